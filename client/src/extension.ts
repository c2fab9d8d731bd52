// The thin client: starts the language server (IPC), registers the commands that need the editor, the language
// status item, the read-only views and the language switch for pasted logs. No analysis here.
// activate() returns once the client is ready.
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { LANGUAGES, registerCommands } from './commands';
import { RestartLimitingErrorHandler } from './errorHandler';
import { registerLanguageDetection } from './languageDetection';
import { createStatusItem } from './status';
import { VIEW_SCHEME, ViewProvider } from './views';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
	const output = vscode.window.createOutputChannel('Arc Logs', { log: true });
	context.subscriptions.push(output);

	const serverModule = context.asAbsolutePath('server/out/server.js');
	const serverOptions: ServerOptions = {
		run: { module: serverModule, transport: TransportKind.ipc },
		debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
	};
	const errorHandler = new RestartLimitingErrorHandler(output);
	const clientOptions: LanguageClientOptions = {
		// Any scheme: files, untitled (pasted) documents, virtual file systems (vscode-vfs, ...).
		documentSelector: LANGUAGES.map((language) => ({ language })),
		synchronize: { configurationSection: 'arcLogs' },
		initializationOptions: () => ({ locale: vscode.env.language, workspaceTrusted: vscode.workspace.isTrusted }),
		outputChannel: output,
		errorHandler,
		// Hovers are plain markdown: never trusted, no HTML (the server escapes log text as well).
		markdown: { isTrusted: false, supportHtml: false },
		middleware: {
			// The server's "Open Microsoft Learn article" action is `vscode.open` with the URL as a string (the
			// protocol carries no Uri type); VS Code's vscode.open wants a Uri. Convert https URLs only.
			provideCodeActions: async (document, range, context, token, next) => {
				const actions = await next(document, range, context, token);
				if (!actions) return actions;
				return actions.filter((action) => {
					const command = action instanceof vscode.CodeAction ? action.command : action;
					if (command?.command !== 'vscode.open') return true;
					const target = httpsUri(command.arguments?.[0]);
					if (target) command.arguments = [target];
					return target !== undefined;
				});
			},
		},
	};
	// Client id 'arcLogs': the client reads arcLogs.trace.server itself.
	const languageClient = new LanguageClient('arcLogs', 'Arc Logs', serverOptions, clientOptions);
	client = languageClient;

	const views = new ViewProvider(() => client);
	context.subscriptions.push(views, vscode.workspace.registerTextDocumentContentProvider(VIEW_SCHEME, views));
	registerCommands(
		context,
		() => client,
		views,
		async () => {
			errorHandler.reset();
			await languageClient.restart();
		},
	);
	createStatusItem(context);
	registerLanguageDetection(context);
	context.subscriptions.push(
		vscode.workspace.onDidGrantWorkspaceTrust(() => {
			if (languageClient.isRunning()) void languageClient.sendNotification('arcLogs/workspaceTrust', { trusted: true });
		}),
	);

	try {
		await languageClient.start();
	} catch (e) {
		output.error(`the language server did not start: ${e instanceof Error ? e.message : String(e)}`);
		void vscode.window.showErrorMessage(vscode.l10n.t('The Arc Logs language server did not start. See the "Arc Logs" output for details.'));
	}
}

function httpsUri(value: unknown): vscode.Uri | undefined {
	if (typeof value !== 'string') return undefined;
	try {
		const uri = vscode.Uri.parse(value, true);
		return uri.scheme === 'https' ? uri : undefined;
	} catch {
		return undefined;
	}
}

export async function deactivate(): Promise<void> {
	const c = client;
	client = undefined;
	if (c) await c.stop();
}
