// Logs VS Code will not give us. VS Code syncs no file over 50 MB to extensions (no TextDocument, no didOpen: no
// problems at all) and turns colouring off for files over 20 MB (editor.largeFileOptimizations). For such a log the
// user gets a notification and a language status item that say why, and the command "Arc Logs: Analyze Large File":
// the server reads the file from disk (arcLogs/analyzeFile), the failures become Problems entries of the file, and a
// list of them reveals each line (through `vscode.open` with a selection: showTextDocument fails for a file VS Code
// does not sync).
import * as vscode from 'vscode';
import { WorkDoneProgress, type BaseLanguageClient, type ProgressToken } from 'vscode-languageclient';
import { Utils } from 'vscode-uri';
import { formatFromName, languageOf } from '../../server/src/core/formats/registry';
import { AnalyzeFileRequest, ClientCommands, type AnalyzeFileResult } from '../../server/src/core/protocol';

/** VS Code's limits (TextModel): no sync to extensions above 50 MB, no tokenization above 20 MB. */
export const SYNC_LIMIT = 50 * 1024 * 1024;
export const TOKENIZATION_LIMIT = 20 * 1024 * 1024;

/** The failures list of a file analyzed from disk, as it was shown (for the extension-host tests). */
export interface ShownFailures {
	readonly uri: string;
	readonly result: AnalyzeFileResult;
	readonly labels: readonly string[];
}

export interface LargeFileApi {
	/** Fires when the failures list of an analyzed file is shown. */
	readonly onDidShowFailures: vscode.Event<ShownFailures>;
	/** Files noticed as too large to be synced (over 50 MB) or coloured (over 20 MB), by URI. */
	readonly noticed: ReadonlyMap<string, 'sync' | 'tokenization'>;
	/** Fires with the URI when a file is noticed (its notice and status item are up). */
	readonly onDidNotice: vscode.Event<string>;
}

/** The language our manifest gives a file name (the format registry agrees with it: test/unit/manifest.test.ts). */
function isOurFileName(uri: vscode.Uri): boolean {
	const format = formatFromName(Utils.basename(uri));
	return format !== undefined && languageOf(format) !== undefined;
}

/** The file of the active tab (text editors only), whether or not VS Code gave the extension its document. */
export function activeTabFile(): vscode.Uri | undefined {
	const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
	if (input instanceof vscode.TabInputText && input.uri.scheme === 'file') return input.uri;
	const editor = vscode.window.activeTextEditor;
	return editor?.document.uri.scheme === 'file' ? editor.document.uri : undefined;
}

function severityIcon(severity: string): string {
	return severity === 'error' ? '$(error)' : severity === 'warning' ? '$(warning)' : '$(info)';
}

/** A glob that matches exactly this file name (glob characters in it taken literally). */
function literalGlob(name: string): string {
	return name.replace(/[*?[\]{}]/g, (c) => `[${c}]`);
}

export function registerLargeFile(context: vscode.ExtensionContext, client: () => BaseLanguageClient | undefined, start: () => Promise<void>): LargeFileApi {
	const shown = new vscode.EventEmitter<ShownFailures>();
	const noticedEvent = new vscode.EventEmitter<string>();
	const noticed = new Map<string, 'sync' | 'tokenization'>();
	const items = new Map<string, vscode.LanguageStatusItem>();
	let progressTokens = 0;
	let statusItems = 0;

	async function analyze(arg?: unknown): Promise<AnalyzeFileResult | undefined> {
		let uri = arg instanceof vscode.Uri ? arg : activeTabFile();
		if (!uri) {
			const picked = await vscode.window.showOpenDialog({
				canSelectMany: false,
				canSelectFolders: false,
				openLabel: vscode.l10n.t('Analyze'),
				title: vscode.l10n.t('Arc Logs: analyze a log file from disk'),
			});
			uri = picked?.[0];
			if (!uri) return undefined;
		}
		if (uri.scheme !== 'file') {
			void vscode.window.showErrorMessage(vscode.l10n.t('Only files on disk can be analyzed: {0}', uri.toString()));
			return undefined;
		}
		await start();
		const c = client();
		if (!c?.isRunning()) return undefined;
		const target = uri;
		const name = Utils.basename(target);
		let result: AnalyzeFileResult | undefined;
		try {
			result = await vscode.window.withProgress(
				{ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Arc Logs: analyzing {0}', name), cancellable: true },
				async (progress, token) => {
					const workDoneToken: ProgressToken = `arcLogs.analyzeFile.${++progressTokens}`;
					let last = 0;
					const sub = c.onProgress(WorkDoneProgress.type, workDoneToken, (p) => {
						if (p.kind !== 'report') return;
						const percentage = p.percentage ?? last;
						progress.report({ increment: Math.max(0, percentage - last), message: p.message });
						last = Math.max(last, percentage);
					});
					try {
						return await c.sendRequest(AnalyzeFileRequest, { uri: c.code2ProtocolConverter.asUri(target), workDoneToken }, token);
					} finally {
						sub.dispose();
					}
				},
			);
		} catch (e) {
			// Superseded by a newer analysis of the same file: nothing to say. Anything else: the server's message
			// (localized, about the file).
			if (!(e instanceof vscode.CancellationError)) {
				void vscode.window.showErrorMessage(vscode.l10n.t('Arc Logs could not analyze {0}: {1}', name, e instanceof Error ? e.message : String(e)));
			}
			return undefined;
		}
		// Cancelled by the user (the client answers a cancelled request with nothing).
		if (!result) return undefined;
		for (const notice of result.notices) void vscode.window.showWarningMessage(`${name}: ${notice}`);
		await showFailures(target, result);
		return result;
	}

	async function showFailures(uri: vscode.Uri, result: AnalyzeFileResult): Promise<void> {
		type Item = vscode.QuickPickItem & { readonly line?: number; readonly character?: number };
		const list: Item[] = result.failures.map((f) => ({
			label: `${severityIcon(f.severity)} ${f.id}`,
			description: [vscode.l10n.t('line {0}', f.line + 1), f.time, f.title].filter(Boolean).join(' · '),
			detail: f.message,
			line: f.line,
			character: f.character,
		}));
		const counts = [
			result.counts.error === 1 ? vscode.l10n.t('1 error') : vscode.l10n.t('{0} errors', result.counts.error),
			result.counts.warning === 1 ? vscode.l10n.t('1 warning') : vscode.l10n.t('{0} warnings', result.counts.warning),
		].join(', ');
		const pick = vscode.window.createQuickPick<Item>();
		pick.title = vscode.l10n.t('Arc Logs: failures in {0} ({1})', Utils.basename(uri), counts);
		pick.placeholder = list.length > 0 ? vscode.l10n.t('Go to a failure') : vscode.l10n.t('No failures in this log.');
		pick.matchOnDescription = true;
		pick.matchOnDetail = true;
		pick.items = list;
		const chosen = new Promise<Item | undefined>((resolve) => {
			pick.onDidAccept(() => resolve(pick.selectedItems[0]));
			pick.onDidHide(() => resolve(undefined));
		});
		pick.show();
		shown.fire({ uri: uri.toString(), result, labels: list.map((i) => `${i.label} ${i.description}`) });
		const item = await chosen;
		pick.dispose();
		if (item?.line === undefined) return;
		const at = new vscode.Position(item.line, item.character ?? 0);
		// vscode.open works for files VS Code does not sync; showTextDocument needs a TextDocument there is none of.
		await vscode.commands.executeCommand('vscode.open', uri, { selection: new vscode.Range(at, at), preview: false } satisfies vscode.TextDocumentShowOptions);
	}

	/** Why colours (and for files over 50 MB, problems) are off in this log, as a notice and a status item, once per file. */
	async function consider(uri: vscode.Uri): Promise<void> {
		const key = uri.toString();
		if (uri.scheme !== 'file' || noticed.has(key) || !isOurFileName(uri)) return;
		const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
		let size: number;
		try {
			size = (await vscode.workspace.fs.stat(uri)).size;
		} catch {
			return;
		}
		const optimized = vscode.workspace.getConfiguration('editor', uri).get<boolean>('largeFileOptimizations', true);
		const kind = !document && size > SYNC_LIMIT ? 'sync' : optimized && size > TOKENIZATION_LIMIT ? 'tokenization' : undefined;
		if (!kind || noticed.has(key)) return;
		noticed.set(key, kind);
		const name = Utils.basename(uri);
		const mb = Math.round(size / (1024 * 1024));
		const why =
			kind === 'sync'
				? vscode.l10n.t('{0} is {1} MB: VS Code gives extensions no file over 50 MB, so it has no colours and no problems.', name, mb)
				: vscode.l10n.t('{0} is {1} MB: VS Code does not colour files over 20 MB (editor.largeFileOptimizations).', name, mb);
		const item = vscode.languages.createLanguageStatusItem(`arcLogs.largeFile.${++statusItems}`, { pattern: new vscode.RelativePattern(Utils.dirname(uri), literalGlob(name)) });
		item.name = vscode.l10n.t('Arc Logs large file');
		item.text = kind === 'sync' ? vscode.l10n.t('No colours or problems: over 50 MB') : vscode.l10n.t('No colours: over 20 MB');
		item.detail = why;
		item.severity = kind === 'sync' ? vscode.LanguageStatusSeverity.Warning : vscode.LanguageStatusSeverity.Information;
		// Over 50 MB the analysis from disk is offered; between 20 and 50 MB VS Code gives us the document and its problems
		// are listed as usual: only the colours are missing.
		item.command =
			kind === 'sync'
				? { title: vscode.l10n.t('Analyze Large File'), command: ClientCommands.analyzeLargeFile, arguments: [uri] }
				: { title: vscode.l10n.t('Show Problems'), command: 'workbench.actions.view.problems' };
		items.set(key, item);
		noticedEvent.fire(key);
		if (kind === 'tokenization') {
			void vscode.window.showInformationMessage(`${why} ${vscode.l10n.t('Its problems are listed as usual.')}`);
			return;
		}
		const action = vscode.l10n.t('Analyze Large File');
		const answer = await vscode.window.showInformationMessage(`${why} ${vscode.l10n.t('Arc Logs can analyze it from disk.')}`, action);
		if (answer === action) await analyze(uri);
	}

	const considerTabs = (tabs: readonly vscode.Tab[]) => {
		for (const tab of tabs) if (tab.input instanceof vscode.TabInputText) void consider(tab.input.uri);
	};
	considerTabs(vscode.window.tabGroups.all.flatMap((g) => g.tabs));
	context.subscriptions.push(
		shown,
		noticedEvent,
		{ dispose: () => items.forEach((i) => i.dispose()) },
		vscode.commands.registerCommand(ClientCommands.analyzeLargeFile, analyze),
		// Opened, or brought to the front (a log may have grown past a limit since): one stat per such event.
		vscode.window.tabGroups.onDidChangeTabs((e) => considerTabs([...e.opened, ...e.changed.filter((t) => t.isActive)])),
		vscode.window.tabGroups.onDidChangeTabs((e) => {
			// A log whose tabs are all closed: its status item goes; the notice may come again when it is reopened.
			for (const tab of e.closed) {
				if (!(tab.input instanceof vscode.TabInputText)) continue;
				const key = tab.input.uri.toString();
				const open = vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === key));
				if (open) continue;
				items.get(key)?.dispose();
				items.delete(key);
				noticed.delete(key);
			}
		}),
	);
	return { onDidShowFailures: shown.event, noticed, onDidNotice: noticedEvent.event };
}
