// The thin client, shared by both entries: starts the language server on the first azcmagent-log / cloud-init-log
// document, registers the commands that need the editor, the language status item, the read-only views and the
// language switch for pasted logs. No analysis here. The entries say how the server runs: node.ts (desktop, a Node
// process over IPC) and browser.ts (vscode.dev and other web hosts, a web worker); each calls activateClient() with
// its way to create the client. activateClient() returns a small API (used by the extension-host tests).
// Nothing here may need Node: the browser bundle contains this module too.
import * as vscode from 'vscode';
import { ResponseError, RevealOutputChannelOn, type BaseLanguageClient, type LanguageClientOptions } from 'vscode-languageclient';
import { ServerCommands, WorkspaceTrustNotification } from '../../server/src/core/protocol';
import { BUNDLE_SCHEME } from '../../server/src/core/bundleUri';
import { registerBundles } from './bundle';
import { copyToClipboard, isOurDocument, LANGUAGES, registerCommands } from './commands';
import { LoggingErrorHandler } from './errorHandler';
import type { LargeFileApi } from './largeFile';
import { registerLanguageDetection } from './languageDetection';
import { registerSampleCommand } from './samples';
import { registerRedactCommand } from './redact';
import { createStatusItem } from './status';
import { TraceChannel } from './trace';
import { VIEW_SCHEME, ViewProvider } from './views';
import { registerFailuresView, type FailuresProvider } from './failuresView';

/** What activate() returns. */
export interface ArcLogsApi {
	/** Resolves when the language server runs (it starts on the first Arc Logs document). */
	readonly ready: Promise<void>;
	client(): BaseLanguageClient | undefined;
	/** The tail of the arcLogs.trace.server output. */
	traceText(): string;
	/** Fires after the server asked to show a document or URL (window/showDocument) and the client did it. */
	readonly onDidShowDocument: vscode.Event<ShownDocument>;
	/** Logs VS Code does not sync or colour, analyzed from disk (largeFile.ts; the desktop entry only). */
	readonly largeFile?: LargeFileApi;
	/** The Failures view's tree (every failure of the workspace folder's logs, from the server). */
	readonly failures: FailuresProvider;
}
export interface ShownDocument {
	readonly uri: string;
	readonly external: boolean;
	readonly success: boolean;
}

/** How an entry runs the server: the client it makes (id, name and options as given), and where its workspaces live. */
export interface ClientHost {
	createClient(id: string, name: string, options: LanguageClientOptions): BaseLanguageClient & { restart(): Promise<void> };
	/** Schemes of logs analyzed beyond files and untitled (pasted) documents: where a web host keeps its workspaces. */
	readonly workspaceSchemes: readonly string[];
	/** Commands that need Node (a file on disk, the CLI in a process): the desktop entry registers them. */
	registerNodeFeatures?(context: vscode.ExtensionContext, client: () => BaseLanguageClient | undefined, start: () => Promise<void>): { largeFile: LargeFileApi };
}

let client: BaseLanguageClient | undefined;

export function activateClient(context: vscode.ExtensionContext, host: ClientHost): ArcLogsApi {
	const output = vscode.window.createOutputChannel('Arc Logs', { log: true });
	const trace = new TraceChannel();
	context.subscriptions.push(output, trace);

	const errorHandler = new LoggingErrorHandler(output);
	const shown = new vscode.EventEmitter<ShownDocument>();
	context.subscriptions.push(shown);
	let views: ViewProvider;
	const clientOptions: LanguageClientOptions = {
		// Files, untitled (pasted) documents and the members of bundles opened in place (arc-bundle:) only: nothing
		// we generate (the report and remediation previews live under arc-logs-view:) is ever analyzed as a log,
		// whatever its name.
		documentSelector: LANGUAGES.flatMap((language) => [
			...host.workspaceSchemes.map((scheme) => ({ language, scheme })),
			{ language, scheme: 'file' },
			{ language, scheme: 'untitled' },
			{ language, scheme: BUNDLE_SCHEME },
		]),
		synchronize: { configurationSection: 'arcLogs' },
		initializationOptions: () => ({ locale: vscode.env.language, workspaceTrusted: vscode.workspace.isTrusted }),
		outputChannel: output,
		traceOutputChannel: trace,
		revealOutputChannelOn: RevealOutputChannelOn.Never,
		errorHandler,
		// Hovers are plain markdown: never trusted, no HTML (the server escapes log text as well).
		markdown: { isTrusted: false, supportHtml: false },
		middleware: {
			// The server runs its commands for any LSP client; in VS Code remediation renders in a preview and a
			// suggested command goes to the clipboard. Opening URLs and documents stays with the server
			// (window/showDocument, https only).
			executeCommand: async (command, args, next) => {
				if (command === ServerCommands.showRemediation && typeof args[0] === 'string') {
					await views.show(ViewProvider.remediationUri(args[0], typeof args[1] === 'string' ? args[1] : undefined));
					return undefined;
				}
				if (command === ServerCommands.copyCommand) return copyToClipboard(args[0]);
				return next(command, args);
			},
			window: {
				showDocument: async (params, token, next) => {
					const result = await next(params, token);
					if (result instanceof ResponseError) return result;
					shown.fire({ uri: params.uri, external: params.external === true, success: result.success });
					return result;
				},
			},
		},
	};
	// Client id 'arcLogs': the client reads arcLogs.trace.server itself (through the trace channel's level).
	const languageClient = host.createClient('arcLogs', 'Arc Logs', clientOptions);
	errorHandler.attach(languageClient);
	client = languageClient;

	views = new ViewProvider(() => client);
	context.subscriptions.push(views, vscode.workspace.registerTextDocumentContentProvider(VIEW_SCHEME, views));

	let starting: Promise<void> | undefined;
	let markReady: () => void = () => undefined;
	const ready = new Promise<void>((resolve) => (markReady = resolve));
	const start = (): Promise<void> => {
		starting ??= languageClient.start().then(markReady, (e: unknown) => {
			output.error(`the language server did not start: ${e instanceof Error ? e.message : String(e)}`);
			void vscode.window.showErrorMessage(vscode.l10n.t('The Arc Logs language server did not start. See the "Arc Logs" output for details.'));
		});
		return starting;
	};
	// The server starts only when there is work: the first document in one of our languages (opened, or switched
	// to ours by content sniffing).
	const startFor = (document: vscode.TextDocument) => {
		// The client's own selector decides (its filters are language + scheme only, the same shape in both typings).
		if (!starting && isOurDocument(document) && vscode.languages.match(clientOptions.documentSelector as vscode.DocumentSelector, document) > 0) void start();
	};
	vscode.workspace.textDocuments.forEach(startFor);
	context.subscriptions.push(vscode.workspace.onDidOpenTextDocument(startFor));

	registerCommands(
		context,
		() => client,
		views,
		async () => {
			errorHandler.reset();
			if (languageClient.isRunning()) await languageClient.restart();
			else await start();
		},
	);
	registerSampleCommand(context);
	registerBundles(context);
	registerRedactCommand(context, () => client);
	const largeFile = host.registerNodeFeatures?.(context, () => client, start).largeFile;
	const failures = registerFailuresView(context, () => client, start);
	createStatusItem(context);
	registerLanguageDetection(context);
	context.subscriptions.push(
		vscode.workspace.onDidGrantWorkspaceTrust(() => {
			if (languageClient.isRunning()) void languageClient.sendNotification(WorkspaceTrustNotification, { trusted: true });
		}),
		// The Outline, breadcrumbs and code lenses come from the server's answers, which VS Code caches per document:
		// a new display language needs a fresh session.
		vscode.workspace.onDidChangeConfiguration((e) => {
			if (e.affectsConfiguration('arcLogs.locale') && languageClient.isRunning()) {
				void languageClient.restart().catch((err: unknown) => output.error(`restart failed: ${String(err)}`));
			}
		}),
	);
	return { ready, client: () => client, traceText: () => trace.recent, onDidShowDocument: shown.event, largeFile, failures };
}

export async function deactivate(): Promise<void> {
	const c = client;
	client = undefined;
	if (c && c.isRunning()) await c.stop();
}
