// A case in the real editor: the Failures view over the bundled samples (five machines), the meanwhile hover and
// Open Side by Side. Runs after extension.test.ts (index.ts adds it second). Waits on events, never on sleeps.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { codeOf, waiter } from './helpers';
import type { ArcLogsApi } from '../../../client/src/extension';
import type { FailuresNode } from '../../../client/src/failuresView';
import { MeanwhileRequest, type CaseFailure, type Meanwhile } from '../../../server/src/core/protocol';

const EXTENSION_ID = 'arc-logs.arc-logs';
const WAIT_MS = 30000;
const ws = () => vscode.workspace.workspaceFolders![0].uri.fsPath;
const fileUri = (...p: string[]) => vscode.Uri.file(path.join(ws(), ...p));

const when = waiter(WAIT_MS);

const failuresOf = (uri: vscode.Uri) =>
	vscode.languages
		.getDiagnostics(uri)
		.filter((d) => d.source === 'arc-logs' && codeOf(d) !== undefined && (d.severity === vscode.DiagnosticSeverity.Error || d.severity === vscode.DiagnosticSeverity.Warning));

/** Every node of the tree under `node`, depth first, in the order the view shows them. */
async function walk(provider: vscode.TreeDataProvider<FailuresNode>, node?: FailuresNode): Promise<FailuresNode[]> {
	const out: FailuresNode[] = [];
	for (const child of (await provider.getChildren(node)) ?? []) {
		out.push(child, ...(await walk(provider, child)));
	}
	return out;
}

/** The tree once `check` holds, walked again after each change of the tree (subscribed before walking: no change is missed). */
async function untilTree(provider: ArcLogsApi['failures'], check: (nodes: FailuresNode[]) => boolean, what: string): Promise<FailuresNode[]> {
	const deadline = Date.now() + WAIT_MS;
	for (;;) {
		let sub: vscode.Disposable | undefined;
		const changed = new Promise<void>((resolve) => (sub = provider.onDidChangeTreeData(() => resolve())));
		try {
			const nodes = await walk(provider);
			if (check(nodes)) return nodes;
			const left = deadline - Date.now();
			if (left <= 0) throw new Error(`timed out waiting for ${what}`);
			let timer: ReturnType<typeof setTimeout> | undefined;
			await Promise.race([changed, new Promise<void>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), left)))]);
			clearTimeout(timer);
		} finally {
			sub?.dispose();
		}
	}
}

async function hoverText(uri: vscode.Uri, position: vscode.Position): Promise<string> {
	const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position);
	return hovers
		.flatMap((h) => h.contents)
		.map((c) => (typeof c === 'string' ? c : c.value))
		.join('\n')
		.replace(/\\([!-/:-@[-`{-~])/g, '$1');
}

describe('Arc Logs: a case in the extension host', function () {
	let api: ArcLogsApi;

	before(async () => {
		const extension = vscode.extensions.getExtension<ArcLogsApi>(EXTENSION_ID);
		assert.ok(extension);
		api = await extension.activate();
		// The samples as they are on disk: edits an earlier suite left in open documents are reverted.
		for (const document of vscode.workspace.textDocuments.filter((d) => d.isDirty && d.uri.scheme === 'file')) {
			await vscode.window.showTextDocument(document, { preview: false });
			await vscode.commands.executeCommand('workbench.action.files.revert');
		}
		assert.deepEqual(vscode.workspace.textDocuments.filter((d) => d.isDirty && d.uri.scheme === 'file').map((d) => d.uri.fsPath), []);
	});

	it('the Failures view lists every failure of the samples folder, by machine, in time order, and reveals its line', async function () {
		this.timeout(240000);
		await vscode.commands.executeCommand('arcLogs.showFolderFailures', fileUri('samples'));
		const nodes = await walk(api.failures);
		const failures = nodes.filter((n): n is Extract<FailuresNode, { kind: 'failure' }> => n.kind === 'failure').map((n) => n.failure);
		const machines = nodes.filter((n) => n.kind === 'machine').map((n) => api.failures.getTreeItem(n).label);
		assert.deepEqual(machines, ['arc-linux-vm', 'gpo-onboarding', 'nexus-vm', 'windows-server', 'windows-transcript']);

		// Every failure the editor shows for each log (its diagnostics) is in the view, and nothing else.
		const files = nodes.filter((n): n is Extract<FailuresNode, { kind: 'file' }> => n.kind === 'file').map((n) => n.file);
		assert.equal(files.length, 8, files.map((f) => f.path).join(', '));
		for (const f of files) {
			const uri = vscode.Uri.parse(f.uri, true);
			await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: false });
			const diagnostics = await when(vscode.languages.onDidChangeDiagnostics, () => (failuresOf(uri).length > 0 ? failuresOf(uri) : undefined), `diagnostics of ${f.path}`);
			const fromView = failures.filter((x) => x.uri === f.uri).map((x) => `${x.line}:${x.id}`).sort();
			assert.deepEqual(fromView, diagnostics.map((d) => `${d.range.start.line}:${codeOf(d)}`).sort(), f.path);
			assert.equal(f.errors + f.warnings, diagnostics.length, `${f.path}: its counts`);
			assert.match(String(api.failures.getTreeItem({ kind: 'file', file: f }).description), /\d+ errors?, \d+ warnings?/);
		}

		// Time order inside each machine: its groups by their first failure, the failures of a group by time.
		const groups = nodes.filter((n): n is Extract<FailuresNode, { kind: 'group' }> => n.kind === 'group');
		for (const g of groups) {
			const times = g.group.failures.map((f: CaseFailure) => f.time ?? Infinity);
			assert.deepEqual(times, [...times].sort((a, b) => a - b), g.group.label);
		}
		const arc = groups.filter((g) => g.group.path.startsWith('arc-linux-vm/'));
		assert.deepEqual(
			arc.map((g) => g.group.failures.map((f) => f.id)),
			[['AZCM0042'], ['ARM-AUTHORIZATION-FAILED'], ['AGENT-ERROR']],
			'the failed connect (08:14), the second connect (08:41), the heartbeat error in himds.log (08:46)',
		);

		// Clicking a failure reveals its line.
		const target = failures.find((f) => f.id === 'AGENT-ERROR')!;
		const node: FailuresNode = { kind: 'failure', failure: target };
		const command = api.failures.getTreeItem(node).command!;
		await vscode.commands.executeCommand(command.command, ...(command.arguments ?? []));
		const editor = await when(
			vscode.window.onDidChangeTextEditorSelection,
			() => {
				const e = vscode.window.activeTextEditor;
				return e && e.document.uri.toString() === target.uri && e.selection.active.line === target.line ? e : undefined;
			},
			'the himds.log editor at the failure',
		);
		assert.equal(path.basename(editor.document.uri.fsPath), 'himds.log');
	});

	it('the Failures view refreshes when a log of the folder changes on disk', async function () {
		this.timeout(120000);
		const before = (await walk(api.failures)).filter((n) => n.kind === 'failure').length;
		const added = fileUri('samples', 'arc-linux-vm', 'arcproxy.log');
		const line = 'time="2024-11-05T08:14:16Z" level=error msg="Failed to start proxy" error="listen tcp 127.0.0.1:40343: bind: address already in use"\n';
		await vscode.workspace.fs.writeFile(added, new TextEncoder().encode(line));
		const isProxy = (n: FailuresNode) => n.kind === 'failure' && n.failure.path === 'arc-linux-vm/arcproxy.log';
		const after = await untilTree(api.failures, (nodes) => nodes.some(isProxy), 'the new arcproxy.log in the view');
		assert.equal(after.filter((n) => n.kind === 'failure').length, before + 1);
		await vscode.workspace.fs.delete(added);
		const gone = await untilTree(api.failures, (nodes) => !nodes.some(isProxy), 'arcproxy.log gone from the view');
		assert.equal(gone.filter((n) => n.kind === 'failure').length, before);
	});

	it('the hover on a failure names what the machine\'s other logs recorded meanwhile; Open Side by Side opens them', async function () {
		this.timeout(120000);
		const ci = fileUri('samples', 'nexus-vm', 'cloud-init.log');
		const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(ci), { preview: false, viewColumn: vscode.ViewColumn.One });
		const failure = await when(vscode.languages.onDidChangeDiagnostics, () => failuresOf(ci).find((d) => codeOf(d) === 'CI-SCRIPT-FAILED'), 'CI-SCRIPT-FAILED');
		const text = await hoverText(ci, failure.range.start);
		assert.match(text, /Meanwhile in other logs \(within 60 s\)/);
		assert.match(text, /samples\/nexus-vm\/cloud-init-output\.log, line 122 \(−25\.499 s or later\) AZCM0042/, 'the connect failure of the script');
		assert.match(text, /samples\/nexus-vm\/cloud-init-output\.log, line \d+ \(\+0 ms\) WARNING: Failed running \/var\/lib\/cloud\/instance\/scripts\/part-001/);
		assert.doesNotMatch(text, /test\/fixtures|arc-linux-vm/, 'logs of other machines are no neighbours (a fixture of the same minute included)');

		// Open Side by Side: the other log beside this one, at the record nearest the failure.
		// By method name: the suite's bundle has its own copy of the protocol classes.
		const meanwhile = await api.client()!.sendRequest<Meanwhile | null>(MeanwhileRequest.method, { uri: ci.toString(), position: { line: failure.range.start.line, character: failure.range.start.character } });
		const nearest = [...meanwhile!.records].sort((a, b) => Math.abs(a.offset) - Math.abs(b.offset))[0];
		editor.selection = new vscode.Selection(failure.range.start, failure.range.start);
		await vscode.commands.executeCommand('arcLogs.openSideBySide');
		const beside = await when(
			vscode.window.onDidChangeVisibleTextEditors,
			() => vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === nearest.uri && e.viewColumn !== editor.viewColumn),
			'cloud-init-output.log beside the log',
		);
		assert.equal(path.basename(beside.document.uri.fsPath), 'cloud-init-output.log');
		await when(vscode.window.onDidChangeTextEditorSelection, () => (beside.selection.active.line === nearest.line ? true : undefined), `the selection on line ${nearest.line + 1}`);
		assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), ci.toString(), 'the focus stays on the log');
	});
});
