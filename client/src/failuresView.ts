// The Failures view (Explorer section "Arc Logs Failures"): every failure of every log of the workspace folder (or of
// a folder chosen with "Arc Logs: Show Failures of Folder"), grouped by machine and by run / boot, in time order, with
// the counts per file. Its content is the server's (arcLogs/caseFailures): the client only shows it, reveals lines,
// and refreshes when logs change (new diagnostics of an open log, files created, changed or deleted on disk).
// Also "Arc Logs: Open Side by Side": the records the meanwhile hover lists, opened beside the log at their lines.
import * as vscode from 'vscode';
import { DidChangeWatchedFilesNotification, FileChangeType, type BaseLanguageClient } from 'vscode-languageclient';
import { Utils } from 'vscode-uri';
import {
	CaseFailuresRequest,
	ClientCommands,
	MeanwhileRequest,
	SOURCE,
	type CaseFailure,
	type CaseFailures,
	type CaseFileCount,
	type CaseGroup,
	type CaseMachine,
} from '../../server/src/core/protocol';
import { isOurDocument, revealAt } from './commands';

export const FAILURES_VIEW = 'arcLogs.failures';

/** A node of the tree: what it shows is in `item`. */
export type FailuresNode =
	| { readonly kind: 'root'; readonly root: vscode.Uri; readonly result: CaseFailures | null }
	| { readonly kind: 'machine'; readonly machine: CaseMachine }
	| { readonly kind: 'group'; readonly group: CaseGroup }
	| { readonly kind: 'failure'; readonly failure: CaseFailure }
	| { readonly kind: 'files'; readonly files: readonly CaseFileCount[] }
	| { readonly kind: 'file'; readonly file: CaseFileCount }
	| { readonly kind: 'problem'; readonly text: string };

function countText(errors: number, warnings: number): string {
	return [
		errors === 1 ? vscode.l10n.t('1 error') : vscode.l10n.t('{0} errors', errors),
		warnings === 1 ? vscode.l10n.t('1 warning') : vscode.l10n.t('{0} warnings', warnings),
	].join(', ');
}

function failureCount(n: number): string {
	return n === 1 ? vscode.l10n.t('1 failure') : vscode.l10n.t('{0} failures', n);
}

/** Local date and time of an epoch ms, for people (the tooltip also gives UTC). */
function when(ms: number | undefined): string | undefined {
	if (ms === undefined) return undefined;
	const d = new Date(ms);
	return Number.isNaN(d.getTime()) ? undefined : d.toLocaleString(vscode.env.language, { dateStyle: 'short', timeStyle: 'medium' });
}

export class FailuresProvider implements vscode.TreeDataProvider<FailuresNode> {
	private readonly changed = new vscode.EventEmitter<FailuresNode | undefined>();
	readonly onDidChangeTreeData = this.changed.event;
	/** Fires after the tree's content was fetched again (its roots' results are new). */
	private readonly refreshed = new vscode.EventEmitter<void>();
	readonly onDidRefresh = this.refreshed.event;
	private chosen: vscode.Uri[] | undefined;
	private results = new Map<string, CaseFailures | null>();
	private pending: Promise<void> | undefined;
	private stale = true;

	constructor(
		private readonly client: () => BaseLanguageClient | undefined,
		private readonly ensureStarted: () => Promise<void>,
	) {}

	/** The folders shown: the one chosen with Show Failures of Folder, else the workspace folders. */
	roots(): vscode.Uri[] {
		return this.chosen ?? (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri);
	}

	setRoot(root: vscode.Uri | undefined): void {
		this.chosen = root ? [root] : undefined;
		this.refresh();
	}

	refresh(): void {
		this.stale = true;
		this.changed.fire(undefined);
	}

	/** The last results fetched, by root uri (null: the server could not read the root). */
	get current(): ReadonlyMap<string, CaseFailures | null> {
		return this.results;
	}

	/** The roots' results, fetched once per refresh. */
	async fetched(): Promise<ReadonlyMap<string, CaseFailures | null>> {
		if (!this.stale) return this.results;
		this.pending ??= this.fetch().finally(() => (this.pending = undefined));
		await this.pending;
		return this.results;
	}

	private async fetch(): Promise<void> {
		this.stale = false;
		await this.ensureStarted();
		const c = this.client();
		const out = new Map<string, CaseFailures | null>();
		for (const root of this.roots()) {
			if (!c?.isRunning()) {
				out.set(root.toString(), null);
				continue;
			}
			try {
				out.set(root.toString(), await c.sendRequest(CaseFailuresRequest, { root: root.toString() }));
			} catch {
				out.set(root.toString(), null);
			}
		}
		this.results = out;
		this.refreshed.fire();
	}

	async getChildren(node?: FailuresNode): Promise<FailuresNode[]> {
		if (!node) {
			const results = await this.fetched();
			const roots = this.roots();
			if (roots.length === 1) return this.rootChildren(results.get(roots[0].toString()) ?? null);
			return roots.map((root) => ({ kind: 'root', root, result: results.get(root.toString()) ?? null }));
		}
		switch (node.kind) {
			case 'root':
				return this.rootChildren(node.result);
			case 'machine':
				return this.machineChildren(node.machine);
			case 'group':
				return node.group.failures.map((failure) => ({ kind: 'failure', failure }));
			case 'files':
				return node.files.map((file) => ({ kind: 'file', file }));
			default:
				return [];
		}
	}

	private rootChildren(result: CaseFailures | null): FailuresNode[] {
		if (!result) return [{ kind: 'problem', text: vscode.l10n.t('The Arc Logs language server could not read this folder.') }];
		const machines = result.machines.filter((m) => m.files.length > 0);
		const problems: FailuresNode[] = result.problems.map((text) => ({ kind: 'problem', text }));
		// One machine: its groups at the top (no machine level to open).
		if (machines.length === 1) return [...this.machineChildren(machines[0]), ...problems];
		return [...machines.map((machine): FailuresNode => ({ kind: 'machine', machine })), ...problems];
	}

	private machineChildren(machine: CaseMachine): FailuresNode[] {
		const groups: FailuresNode[] = machine.groups.map((group) => ({ kind: 'group', group }));
		return machine.files.length ? [...groups, { kind: 'files', files: machine.files }] : groups;
	}

	getTreeItem(node: FailuresNode): vscode.TreeItem {
		switch (node.kind) {
			case 'root': {
				const item = new vscode.TreeItem(Utils.basename(node.root) || node.root.toString(), vscode.TreeItemCollapsibleState.Expanded);
				item.description = node.result ? failureCount(node.result.total) : undefined;
				item.iconPath = vscode.ThemeIcon.Folder;
				item.resourceUri = node.root;
				return item;
			}
			case 'machine': {
				const m = node.machine;
				const n = m.groups.reduce((sum, g) => sum + g.failures.length, 0);
				const item = new vscode.TreeItem(m.name, n > 0 ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
				item.description = failureCount(n);
				item.iconPath = new vscode.ThemeIcon('vm');
				item.contextValue = 'machine';
				return item;
			}
			case 'group': {
				const g = node.group;
				const item = new vscode.TreeItem(g.kind === 'log' ? g.path : g.label, vscode.TreeItemCollapsibleState.Expanded);
				item.description = [g.kind === 'log' ? undefined : g.path, when(g.time)].filter(Boolean).join(' · ');
				item.iconPath = new vscode.ThemeIcon(g.kind === 'boot' ? 'debug-restart' : g.kind === 'run' ? 'run' : 'output');
				item.tooltip = `${g.label}\n${g.path}:${g.line + 1}`;
				item.contextValue = 'group';
				return item;
			}
			case 'failure': {
				const f = node.failure;
				const item = new vscode.TreeItem(`${f.id}: ${f.title ?? f.message}`, vscode.TreeItemCollapsibleState.None);
				const time = when(f.time);
				item.description = [time ? (f.approximate ? vscode.l10n.t('at or after {0}', time) : time) : f.clock, vscode.l10n.t('line {0}', f.line + 1)].filter(Boolean).join(' · ');
				// Log text: a plain string tooltip (never markdown).
				item.tooltip = [f.message, `${f.path}:${f.line + 1}`, f.time !== undefined ? new Date(f.time).toISOString() : undefined].filter(Boolean).join('\n');
				item.iconPath = new vscode.ThemeIcon(f.severity === 'error' ? 'error' : 'warning', new vscode.ThemeColor(f.severity === 'error' ? 'problemsErrorIcon.foreground' : 'problemsWarningIcon.foreground'));
				item.command = { command: ClientCommands.goToFailure, title: vscode.l10n.t('Go to failure'), arguments: [f.uri, f.line, f.character] };
				item.contextValue = 'failure';
				return item;
			}
			case 'files': {
				const item = new vscode.TreeItem(vscode.l10n.t('Files ({0})', node.files.length), vscode.TreeItemCollapsibleState.Collapsed);
				item.iconPath = new vscode.ThemeIcon('files');
				return item;
			}
			case 'file': {
				const f = node.file;
				const item = new vscode.TreeItem(f.path, vscode.TreeItemCollapsibleState.None);
				item.description = countText(f.errors, f.warnings);
				item.resourceUri = vscode.Uri.parse(f.uri, true);
				item.command = { command: 'vscode.open', title: vscode.l10n.t('Open'), arguments: [item.resourceUri] };
				item.contextValue = 'file';
				return item;
			}
			case 'problem': {
				const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
				item.iconPath = new vscode.ThemeIcon('warning');
				return item;
			}
		}
	}

	dispose(): void {
		this.changed.dispose();
		this.refreshed.dispose();
	}
}

/** Open the records the meanwhile hover lists for the failure under the cursor, beside the log, at their lines. */
async function openSideBySide(client: () => BaseLanguageClient | undefined): Promise<void> {
	const editor = vscode.window.activeTextEditor;
	const c = client();
	if (!editor || !isOurDocument(editor.document) || !c?.isRunning()) return;
	const position = editor.selection.active;
	const meanwhile = await c.sendRequest(MeanwhileRequest, { uri: editor.document.uri.toString(), position: { line: position.line, character: position.character } });
	if (!meanwhile || meanwhile.records.length === 0) {
		void vscode.window.showInformationMessage(
			meanwhile
				? vscode.l10n.t('Nothing in the other logs of this machine within {0} s of this failure.', meanwhile.windowSeconds)
				: vscode.l10n.t('Put the cursor on a failure with a time to open what the other logs recorded meanwhile.'),
		);
		return;
	}
	// One editor per other log, at its record nearest the failure, in the column beside the log.
	const seen = new Set<string>();
	const nearest = [...meanwhile.records].sort((a, b) => Math.abs(a.offset) - Math.abs(b.offset)).filter((r) => !seen.has(r.uri) && seen.add(r.uri));
	for (const r of nearest) {
		const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(r.uri, true));
		const beside = await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: false, preserveFocus: true });
		await revealAt(beside, document.validatePosition(new vscode.Position(r.line, 0)));
	}
}

export function registerFailuresView(context: vscode.ExtensionContext, client: () => BaseLanguageClient | undefined, ensureStarted: () => Promise<void>): FailuresProvider {
	const provider = new FailuresProvider(client, ensureStarted);
	const view = vscode.window.createTreeView(FAILURES_VIEW, { treeDataProvider: provider, showCollapseAll: true });
	let timer: ReturnType<typeof setTimeout> | undefined;
	const soon = () => {
		if (timer) clearTimeout(timer);
		timer = setTimeout(() => {
			timer = undefined;
			provider.refresh();
		}, 500);
	};
	// Files on disk: the view refreshes, and the server hears of files created or deleted (its folder walks).
	const watcher = vscode.workspace.createFileSystemWatcher('**/*');
	const forward = (uri: vscode.Uri, type: FileChangeType) => {
		const c = client();
		if (c?.isRunning()) void c.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uri.toString(), type }] }).catch(() => undefined);
		soon();
	};
	context.subscriptions.push(
		provider,
		view,
		watcher,
		watcher.onDidCreate((u) => forward(u, FileChangeType.Created)),
		watcher.onDidChange((u) => forward(u, FileChangeType.Changed)),
		watcher.onDidDelete((u) => forward(u, FileChangeType.Deleted)),
		// An open log's new analysis (its diagnostics) changes the case.
		vscode.languages.onDidChangeDiagnostics((e) => {
			if (!view.visible) return;
			if (e.uris.some((u) => vscode.languages.getDiagnostics(u).some((d) => d.source === SOURCE) || vscode.workspace.textDocuments.some((d) => d.uri.toString() === u.toString() && isOurDocument(d)))) soon();
		}),
		vscode.workspace.onDidChangeWorkspaceFolders(() => provider.refresh()),
		vscode.workspace.onDidChangeConfiguration((e) => {
			if (e.affectsConfiguration('arcLogs')) soon();
		}),
		provider.onDidRefresh(() => {
			let total = 0;
			for (const r of provider.current.values()) total += r?.total ?? 0;
			view.message = total === 0 ? vscode.l10n.t('No failures in the logs of this folder.') : undefined;
			view.description = provider.roots().length === 1 ? Utils.basename(provider.roots()[0]) : undefined;
		}),
		vscode.commands.registerCommand(ClientCommands.refreshFailures, () => provider.refresh()),
		vscode.commands.registerCommand(ClientCommands.showFolderFailures, async (folder?: unknown) => {
			const uri = folder instanceof vscode.Uri ? folder : (await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: vscode.l10n.t('Show Failures') }))?.[0];
			if (!uri) return;
			provider.setRoot(uri);
			await vscode.commands.executeCommand(`${FAILURES_VIEW}.focus`);
		}),
		vscode.commands.registerCommand(ClientCommands.openSideBySide, () => openSideBySide(client)),
	);
	return provider;
}
