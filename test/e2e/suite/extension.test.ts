// The extension in a real VS Code extension host, asserted through the `vscode` API only. Waits on events (with a
// time limit that fails the test), never on sleeps. The analysis core changes in parallel and finds more over time:
// the assertions name codes the bundled logs are known to contain and check structure and behaviour, never exact
// counts of findings or message texts of the core.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { zipSync } from 'fflate';
import * as vscode from 'vscode';
import { codeOf, waiter } from './helpers';
import type { ArcLogsApi, ShownDocument } from '../../../client/src/extension';

const EXTENSION_ID = 'arc-logs.arc-logs';
const WAIT_MS = 20000;
const ws = () => vscode.workspace.workspaceFolders![0].uri.fsPath;
const fileUri = (...p: string[]) => vscode.Uri.file(path.join(ws(), ...p));
const AZ = () => fileUri('samples', 'arc-linux-vm', 'azcmagent.log');
const CI = () => fileUri('samples', 'nexus-vm', 'cloud-init-output.log');
const TRANSCRIPT = () => fileUri('samples', 'windows-transcript', 'azcmagent-connect.txt');
const PROVIDER = () => fileUri('test', 'fixtures', 'logs', 'azcmagent-log', 'connect-provider-not-registered.log');

const when = waiter(WAIT_MS);

const ours = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'arc-logs');

/** Our diagnostics of `uri` once `ok` holds for them. */
function diagnostics(uri: vscode.Uri, ok: (list: vscode.Diagnostic[]) => boolean, what: string): Promise<vscode.Diagnostic[]> {
	return when(
		vscode.languages.onDidChangeDiagnostics,
		() => {
			const list = ours(uri);
			return ok(list) ? list : undefined;
		},
		`diagnostics of ${path.basename(uri.path)}: ${what}`,
	);
}
const hasCode = (code: string) => (list: vscode.Diagnostic[]) => list.some((d) => codeOf(d) === code);

async function open(uri: vscode.Uri): Promise<vscode.TextEditor> {
	const document = await vscode.workspace.openTextDocument(uri);
	return vscode.window.showTextDocument(document, { preview: false });
}

/** The document with this uri once it has this language (a language change re-opens the document). */
function withLanguage(uri: vscode.Uri, languageId: string): Promise<vscode.TextDocument> {
	return when(
		vscode.workspace.onDidOpenTextDocument,
		() => vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString() && d.languageId === languageId),
		`${uri.toString()} as ${languageId}`,
	);
}

function viewOpened(pathPart: string): Promise<vscode.TextDocument> {
	return when(
		vscode.workspace.onDidOpenTextDocument,
		() => vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'arc-logs-view' && d.uri.path.includes(pathPart)),
		`a view ${pathPart}`,
	);
}

async function hoverText(uri: vscode.Uri, position: vscode.Position): Promise<string> {
	const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position);
	return hovers
		.flatMap((h) => h.contents)
		.map((c) => (typeof c === 'string' ? c : c.value))
		.join('\n');
}

async function configure(key: string, value: unknown): Promise<void> {
	await vscode.workspace.getConfiguration('arcLogs').update(key, value, vscode.ConfigurationTarget.Global);
}

function failuresOf(uri: vscode.Uri): vscode.Diagnostic[] {
	return ours(uri)
		.filter((d) => codeOf(d) !== undefined && (d.severity === vscode.DiagnosticSeverity.Error || d.severity === vscode.DiagnosticSeverity.Warning))
		.sort((a, b) => a.range.start.compareTo(b.range.start));
}

describe('Arc Logs in the extension host', function () {
	let api: ArcLogsApi;

	before(async () => {
		const extension = vscode.extensions.getExtension<ArcLogsApi>(EXTENSION_ID);
		assert.ok(extension, `${EXTENSION_ID} is installed`);
		api = await extension.activate();
	});

	afterEach(async () => {
		for (const key of ['maxProblems', 'severityOverrides', 'customPatterns', 'locale', 'trace.server']) await configure(key, undefined);
	});

	describe('starting', () => {
		it('does not start the language server for a document that is not one of our logs', async () => {
			const plain = await vscode.workspace.openTextDocument({ language: 'plaintext', content: 'just some notes\n' });
			await vscode.window.showTextDocument(plain);
			assert.equal(plain.languageId, 'plaintext');
			assert.notEqual(api.client()?.isRunning(), true, 'no server yet');
		});

		it('starts it on the first azcmagent-log document', async () => {
			await open(AZ());
			await api.ready;
			assert.equal(api.client()?.isRunning(), true);
		});
	});

	describe('languages', () => {
		it('by file name', async () => {
			assert.equal((await vscode.workspace.openTextDocument(AZ())).languageId, 'azcmagent-log');
			assert.equal((await vscode.workspace.openTextDocument(CI())).languageId, 'cloud-init-log');
			assert.equal((await vscode.workspace.openTextDocument(fileUri('samples', 'nexus-vm', 'cloud-init.log'))).languageId, 'cloud-init-log');
			assert.equal((await vscode.workspace.openTextDocument(fileUri('samples', 'arc-linux-vm', 'himds.log'))).languageId, 'azcmagent-log');
		});

		it('by content: a log pasted into an untitled editor', async () => {
			const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ content: '' }));
			assert.equal(editor.document.uri.scheme, 'untitled');
			const text = (await vscode.workspace.openTextDocument(CI())).getText();
			await editor.edit((b) => b.insert(new vscode.Position(0, 0), text));
			const switched = await withLanguage(editor.document.uri, 'cloud-init-log');
			await diagnostics(switched.uri, (l) => l.length > 0, 'findings in the paste');
		});

		it('by content beyond headers: a PowerShell transcript (.txt) becomes an azcmagent log', async () => {
			await open(TRANSCRIPT());
			await withLanguage(TRANSCRIPT(), 'azcmagent-log');
			await diagnostics(TRANSCRIPT(), hasCode('AZCM0041'), 'AZCM0041');
		});
	});

	describe('diagnostics', () => {
		it('carry the code with its Learn link and the related places', async () => {
			await open(AZ());
			const list = await diagnostics(AZ(), hasCode('AZCM0042'), 'AZCM0042');
			const d = list.find((x) => codeOf(x) === 'AZCM0042')!;
			assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
			assert.equal(typeof d.code, 'object', 'code with codeDescription');
			const target = (d.code as { target: vscode.Uri }).target;
			assert.equal(target.scheme, 'https');
			assert.equal(target.authority, 'learn.microsoft.com');
			assert.ok(d.relatedInformation && d.relatedInformation.length > 0, 'related information');
			for (const r of d.relatedInformation) {
				assert.equal(r.location.uri.toString(), AZ().toString());
				assert.ok(r.message.length > 0);
			}
			const document = await vscode.workspace.openTextDocument(AZ());
			assert.ok(document.getText(d.range).includes('AZCM0042'), 'the range covers the code');
		});

		it('in a cloud-init-output log as well, one problem for one failed connect', async () => {
			await open(CI());
			const d = (await diagnostics(CI(), hasCode('AZCM0042'), 'AZCM0042')).find((x) => codeOf(x) === 'AZCM0042')!;
			// The script failure after it is a related location of the code's problem, not a second problem.
			assert.ok(!failuresOf(CI()).some((x) => codeOf(x) === 'CI-SCRIPT-FAILED'));
			const document = await vscode.workspace.openTextDocument(CI());
			assert.ok((d.relatedInformation ?? []).some((r) => document.lineAt(r.location.range.start.line).text.includes('Failed running')), 'the script failure is related');
		});
	});

	describe('hover', () => {
		it('in English, and in Swedish with arcLogs.locale = sv', async () => {
			await open(AZ());
			const d = (await diagnostics(AZ(), hasCode('AZCM0042'), 'AZCM0042')).find((x) => codeOf(x) === 'AZCM0042')!;
			const en = await hoverText(AZ(), d.range.start);
			assert.ok(en.includes('AZCM0042'), en);
			const enMessage = d.message;

			await configure('locale', 'sv');
			const sv = await diagnostics(AZ(), (l) => l.some((x) => codeOf(x) === 'AZCM0042' && x.message !== enMessage), 'Swedish diagnostics');
			const svHover = await hoverText(AZ(), sv.find((x) => codeOf(x) === 'AZCM0042')!.range.start);
			assert.ok(svHover.includes('AZCM0042'), svHover);
			assert.notEqual(svHover, en);
			assert.match(svHover, /[åäö]/i, 'Swedish text');
		});

		it('the Outline follows a locale switch without a reload', async () => {
			await open(AZ());
			await diagnostics(AZ(), hasCode('AZCM0042'), 'AZCM0042');
			const names = async () =>
				JSON.stringify(
					((await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', AZ())) ?? []).map((s) => [s.name, s.detail]),
				);
			const en = await names();
			const enMessage = ours(AZ()).find((x) => codeOf(x) === 'AZCM0042')!.message;
			await configure('locale', 'sv');
			await diagnostics(AZ(), (l) => l.some((x) => codeOf(x) === 'AZCM0042' && x.message !== enMessage), 'Swedish diagnostics');
			assert.notEqual(await names(), en);
		});
	});

	describe('quick fixes', () => {
		async function actionsFor(uri: vscode.Uri, code: string): Promise<vscode.CodeAction[]> {
			const d = (await diagnostics(uri, hasCode(code), code)).find((x) => codeOf(x) === code)!;
			return vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, d.range, vscode.CodeActionKind.QuickFix.value);
		}

		it('Show remediation opens the remediation page of the code', async () => {
			await open(AZ());
			const actions = await actionsFor(AZ(), 'AZCM0042');
			const show = actions.find((a) => a.title.includes('AZCM0042') && a.command?.command === 'arcLogs.server.showRemediation');
			assert.ok(show, JSON.stringify(actions.map((a) => a.title)));
			assert.equal(show.isPreferred, true);
			const opened = viewOpened('/remediation/AZCM0042');
			await vscode.commands.executeCommand(show.command!.command, ...(show.command!.arguments ?? []));
			const page = await opened;
			assert.ok(page.getText().includes('AZCM0042'), page.getText().slice(0, 300));
			assert.notEqual(page.languageId, 'azcmagent-log');
		});

		it('Open Microsoft Learn article opens the https Learn URL (window/showDocument), and nothing else', async () => {
			await open(AZ());
			const actions = await actionsFor(AZ(), 'AZCM0042');
			const learn = actions.find((a) => a.command?.command === 'arcLogs.server.openUrl');
			assert.ok(learn, JSON.stringify(actions.map((a) => a.title)));
			const url = String(learn.command!.arguments![0]);
			assert.ok(url.startsWith('https://learn.microsoft.com/'), url);
			let last: ShownDocument | undefined;
			const sub = api.onDidShowDocument((e) => (last = e));
			const shown = when(api.onDidShowDocument, () => last, 'window/showDocument');
			await vscode.commands.executeCommand(learn.command!.command, ...learn.command!.arguments!);
			const result = await shown;
			assert.equal(result.external, true);
			assert.equal(vscode.Uri.parse(result.uri).toString(), vscode.Uri.parse(url).toString());
			// Not https: the server refuses, the client is never asked to open it.
			last = undefined;
			for (const bad of ['http://learn.microsoft.com/x', 'javascript:alert(1)', 'file:///etc/passwd', 'command:workbench.action.quit']) {
				assert.equal(await vscode.commands.executeCommand('arcLogs.server.openUrl', bad), null, bad);
			}
			// A request that was sent after them comes back after them: showDocument would have been seen by now.
			await vscode.commands.executeCommand('vscode.executeHoverProvider', AZ(), new vscode.Position(0, 0));
			sub.dispose();
			assert.equal(last, undefined);
		});

		it('Copy suggested command puts the command on the clipboard', async () => {
			await open(PROVIDER());
			const actions = await actionsFor(PROVIDER(), 'AZCM0042');
			const copies = actions.filter((a) => a.command?.command === 'arcLogs.server.copyCommand');
			assert.ok(copies.length > 0, JSON.stringify(actions.map((a) => a.title)));
			for (const copy of copies) {
				const text = String(copy.command!.arguments![0]);
				assert.ok(copy.title.includes(text), copy.title);
				await vscode.env.clipboard.writeText('');
				await vscode.commands.executeCommand(copy.command!.command, ...copy.command!.arguments!);
				assert.equal(await vscode.env.clipboard.readText(), text);
			}
		});

		it('every offered quick fix runs as a server command', async () => {
			await open(PROVIDER());
			const actions = await actionsFor(PROVIDER(), 'AZCM0042');
			assert.ok(actions.length > 0);
			// The cause the log states has its own remediation among them.
			assert.ok(actions.some((a) => a.title.includes('ARM-PROVIDER-NOT-REGISTERED')), JSON.stringify(actions.map((a) => a.title)));
			for (const a of actions) assert.match(a.command?.command ?? '', /^arcLogs\.server\./, a.title);
		});

		it('Go to failure (server command) opens the log with the cursor there', async () => {
			await open(CI());
			const target = failuresOf(AZ())[0] ?? (await diagnostics(AZ(), hasCode('AZCM0042'), 'AZCM0042'))[0];
			const moved = when(vscode.window.onDidChangeTextEditorSelection, () => {
				const e = vscode.window.activeTextEditor;
				return e && e.document.uri.toString() === AZ().toString() && e.selection.active.isEqual(target.range.start) ? e : undefined;
			}, 'the cursor at the failure');
			await vscode.commands.executeCommand('arcLogs.server.goToFailure', AZ().toString(), target.range.start.line, target.range.start.character);
			await moved;
		});
	});

	describe('commands', () => {
		it('Next Failure / Previous Failure move the cursor in order and wrap around', async () => {
			const editor = await open(AZ());
			await diagnostics(AZ(), hasCode('AZCM0042'), 'AZCM0042');
			const starts = [...new Map(failuresOf(AZ()).map((d) => [d.range.start.line * 1e6 + d.range.start.character, d.range.start])).values()];
			assert.ok(starts.length >= 2, 'at least two failures to walk through');
			editor.selection = new vscode.Selection(0, 0, 0, 0);
			for (const expected of [...starts, starts[0]]) {
				await vscode.commands.executeCommand('arcLogs.nextFailure');
				assert.deepEqual(editor.selection.active, expected);
				// Revealed from column 0 (time, level and message readable), once the editor scrolled.
				await when(
					vscode.window.onDidChangeTextEditorVisibleRanges,
					() => (editor.visibleRanges.some((r) => r.start.line <= expected.line && expected.line <= r.end.line) ? true : undefined),
					`line ${expected.line} visible`,
				);
			}
			// From the first failure backwards: wrap to the last, then in reverse order.
			for (const expected of [...starts].reverse()) {
				await vscode.commands.executeCommand('arcLogs.previousFailure');
				assert.deepEqual(editor.selection.active, expected);
			}
		});

		it('Show Remediation opens the remediation view', async () => {
			await open(PROVIDER());
			await diagnostics(PROVIDER(), hasCode('AZCM0042'), 'AZCM0042');
			const opened = viewOpened('/remediation/ARM-PROVIDER-NOT-REGISTERED');
			await vscode.commands.executeCommand('arcLogs.showRemediation', 'ARM-PROVIDER-NOT-REGISTERED', PROVIDER().toString());
			assert.ok((await opened).getText().length > 0);
		});

		it('Show Failures Summary opens the report, which is never analyzed as a log and follows the log', async () => {
			const editor = await open(AZ());
			await diagnostics(AZ(), hasCode('AZCM0042'), 'AZCM0042');
			const opened = viewOpened('/summary/');
			const command = vscode.commands.executeCommand('arcLogs.showSummary');
			// The quick pick appears once the server answered; its first item is "Open as report". Accepting before
			// it is shown does nothing: try again on each round trip through the command service (no timer).
			let report: vscode.TextDocument | undefined;
			void opened.then((d) => (report = d));
			for (let i = 0; i < 2000 && !report; i++) {
				await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
				await vscode.commands.executeCommand('vscode.executeFoldingRangeProvider', AZ());
			}
			report = await opened;
			await command;
			assert.ok(report.getText().includes('AZCM0042'));
			assert.ok(!/^(azcmagent|cloud-init|himds|arcproxy|gc_|installationlog)/i.test(path.posix.basename(report.uri.path)), report.uri.path);
			assert.ok(!['azcmagent-log', 'cloud-init-log'].includes(report.languageId), report.languageId);
			// Nothing we generate gets problems.
			const phantom = vscode.languages.getDiagnostics().filter(([uri, list]) => uri.scheme === 'arc-logs-view' && list.length > 0);
			assert.deepEqual(phantom.map(([u]) => u.toString()), []);
			// Edit the log: the report refreshes.
			const before = report.getText();
			const changed = when(vscode.workspace.onDidChangeTextDocument, () => (report!.getText() !== before ? true : undefined), 'the report to refresh');
			const line = editor.document.lineAt(failuresOf(AZ())[0].range.start.line).text;
			await editor.edit((b) => b.insert(new vscode.Position(editor.document.lineCount, 0), `\n${line}\n`));
			await changed;
			// Revert the log itself (the report is the active editor now): later suites see the sample as it is on disk.
			await vscode.window.showTextDocument(editor.document);
			await vscode.commands.executeCommand('workbench.action.files.revert');
			assert.equal(editor.document.isDirty, false);
		});
	});

	describe('structure', () => {
		it('document symbols, folding ranges and the semantic tokens legend', async () => {
			await open(CI());
			await diagnostics(CI(), (l) => l.length > 0, 'findings');
			const document = await vscode.workspace.openTextDocument(CI());
			const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', CI());
			assert.ok(symbols.length > 0, 'symbols');
			for (const s of symbols) {
				assert.ok(s.name.length > 0);
				assert.ok(s.range.end.line < document.lineCount);
				assert.ok(s.range.contains(s.selectionRange));
			}
			const folds = await vscode.commands.executeCommand<vscode.FoldingRange[]>('vscode.executeFoldingRangeProvider', CI());
			assert.ok(folds.length > 0, 'folding ranges');
			for (const f of folds) assert.ok(f.start < f.end && f.end < document.lineCount, JSON.stringify(f));
			const legend = await vscode.commands.executeCommand<vscode.SemanticTokensLegend>('vscode.provideDocumentSemanticTokensLegend', CI());
			for (const t of ['logLevel', 'logTime', 'logFieldKey', 'logCode', 'logMessage']) assert.ok(legend.tokenTypes.includes(t), t);
			for (const m of ['errorLevel', 'warningLevel']) assert.ok(legend.tokenModifiers.includes(m), m);
			const tokens = await vscode.commands.executeCommand<vscode.SemanticTokens>('vscode.provideDocumentSemanticTokens', CI());
			assert.ok(tokens.data.length > 0 && tokens.data.length % 5 === 0);
		});
	});

	describe('settings take effect', () => {
		it('arcLogs.maxProblems', async () => {
			await open(AZ());
			await diagnostics(AZ(), (l) => l.filter((d) => codeOf(d) !== undefined).length >= 2, 'at least two findings');
			await configure('maxProblems', 1);
			const limited = await diagnostics(AZ(), (l) => l.filter((d) => codeOf(d) !== undefined).length === 1, 'one finding');
			assert.ok(limited.some((d) => codeOf(d) === undefined && d.message.includes('arcLogs.maxProblems')), 'a note says more were not shown');
		});

		it('arcLogs.severityOverrides', async () => {
			await open(AZ());
			await diagnostics(AZ(), hasCode('AZCM0042'), 'AZCM0042');
			await configure('severityOverrides', { AZCM0042: 'off' });
			await diagnostics(AZ(), (l) => !hasCode('AZCM0042')(l) && l.length > 0, 'AZCM0042 off, others still there');
			await configure('severityOverrides', { AZCM0042: 'info' });
			await diagnostics(AZ(), (l) => l.some((d) => codeOf(d) === 'AZCM0042' && d.severity === vscode.DiagnosticSeverity.Information), 'AZCM0042 as information');
		});

		it('arcLogs.customPatterns', async () => {
			await open(AZ());
			await diagnostics(AZ(), hasCode('AZCM0042'), 'AZCM0042');
			await configure('customPatterns', [{ id: 'E2E-AGENT-VERSION', regex: 'Agent Version: 1\\.47', severity: 'warning', message: 'old agent' }]);
			const list = await diagnostics(AZ(), hasCode('E2E-AGENT-VERSION'), 'the custom pattern');
			const d = list.find((x) => codeOf(x) === 'E2E-AGENT-VERSION')!;
			assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
			const document = await vscode.workspace.openTextDocument(AZ());
			assert.match(document.lineAt(d.range.start.line).text, /Agent Version: 1\.47/);
		});

		it('arcLogs.trace.server = messages traces the protocol', async () => {
			await open(AZ());
			await diagnostics(AZ(), hasCode('AZCM0042'), 'AZCM0042');
			assert.ok(!api.traceText().includes("'textDocument/hover"), 'nothing traced while off');
			await configure('trace.server', 'messages');
			await hoverText(AZ(), new vscode.Position(0, 2));
			assert.match(api.traceText(), /textDocument\/hover/);
		});
	});

	describe('support bundles opened in place (arc-bundle:)', () => {
		let dir: string;
		let repo: string;
		const mounted: vscode.Uri[] = [];
		const read = (...p: string[]) => readFileSync(path.join(repo, ...p));
		const memberUri = (root: vscode.Uri, ...p: string[]) => vscode.Uri.joinPath(root, ...p);
		const openBundle = async (target: vscode.Uri) => {
			const root = await vscode.commands.executeCommand<vscode.Uri | undefined>('arcLogs.openBundle', target);
			if (root) mounted.push(root);
			return root;
		};

		before(() => {
			repo = vscode.extensions.getExtension(EXTENSION_ID)!.extensionUri.fsPath;
			dir = mkdtempSync(path.join(tmpdir(), 'arc-logs-e2e-bundle-'));
			// An `azcmagent logs`-like zip: agent logs from the fixtures and a config file that is no log.
			writeFileSync(
				path.join(dir, 'azcmagent-logs.zip'),
				zipSync({
					'azcmagent-logs/azcmagent.log': read('test/fixtures/logs/azcmagent-log/connect-provider-not-registered.log'),
					'azcmagent-logs/himds.log': read('test/fixtures/logs/azcmagent-log/himds.port-in-use.log'),
					'azcmagent-logs/config/agentconfig.json': new TextEncoder().encode('{"tenantId": "x"}\n'),
					'../../escape.log': new TextEncoder().encode('kept inside\n'),
				}),
			);
			// A `cloud-init collect-logs`-like tarball, written by tar itself.
			const src = path.join(dir, 'src');
			mkdirSync(path.join(src, 'cloud-init-logs'), { recursive: true });
			writeFileSync(path.join(src, 'cloud-init-logs/cloud-init-output.log'), read('samples/nexus-vm/cloud-init-output.log'));
			writeFileSync(path.join(src, 'cloud-init-logs/cloud-init.log'), read('test/corpus/logs/cloud-init-log/amzn2-cloudinit-19.3-scripts-user-failed.log'));
			execFileSync('tar', ['-czf', path.join(dir, 'cloud-init.tar.gz'), '-C', src, 'cloud-init-logs']);
			mkdirSync(path.join(dir, 'ticket-folder'));
			writeFileSync(path.join(dir, 'ticket-folder/azcmagent.log'), read('samples/arc-linux-vm/azcmagent.log'));
			writeFileSync(path.join(dir, 'broken.zip'), new Uint8Array([0x50, 0x4b, 3, 4, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
		});

		after(async () => {
			await vscode.commands.executeCommand('workbench.action.closeAllEditors');
			const folders = vscode.workspace.workspaceFolders ?? [];
			const first = folders.findIndex((f) => mounted.some((m) => m.toString() === f.uri.toString()));
			if (first > 0) {
				const removed = when(vscode.workspace.onDidChangeWorkspaceFolders, () => ((vscode.workspace.workspaceFolders ?? []).length === first ? true : undefined), 'bundles unmounted');
				vscode.workspace.updateWorkspaceFolders(first, folders.length - first);
				await removed;
			}
			rmSync(dir, { recursive: true, force: true });
		});

		it('mounts a zip as a read-only workspace folder named after it: members listed, our language, diagnostics', async () => {
			const root = await openBundle(vscode.Uri.file(path.join(dir, 'azcmagent-logs.zip')));
			assert.ok(root, 'the command returns the folder');
			assert.equal(root.scheme, 'arc-bundle');
			const folder = vscode.workspace.getWorkspaceFolder(root);
			assert.equal(folder?.name, 'azcmagent-logs.zip');
			assert.deepEqual((await vscode.workspace.fs.readDirectory(root)).sort(), [
				['azcmagent-logs', vscode.FileType.Directory],
				['escape.log', vscode.FileType.File],
			]);
			assert.deepEqual((await vscode.workspace.fs.readDirectory(memberUri(root, 'azcmagent-logs'))).sort(), [
				['azcmagent.log', vscode.FileType.File],
				['config', vscode.FileType.Directory],
				['himds.log', vscode.FileType.File],
			]);
			const log = memberUri(root, 'azcmagent-logs', 'azcmagent.log');
			const editor = await open(log);
			assert.equal(editor.document.languageId, 'azcmagent-log');
			assert.equal(editor.document.getText(), read('test/fixtures/logs/azcmagent-log/connect-provider-not-registered.log').toString('utf8'));
			const d = (await diagnostics(log, hasCode('AZCM0042'), 'AZCM0042 in the zip member')).find((x) => codeOf(x) === 'AZCM0042')!;
			assert.equal(d.range.start.line, 20, 'on the fatal record (line 21)');
			assert.match(await hoverText(log, d.range.start), /AZCM0042/);
			const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', log);
			assert.ok(symbols.length > 0, 'the outline of the member');
			assert.equal((await vscode.workspace.openTextDocument(memberUri(root, 'azcmagent-logs', 'himds.log'))).languageId, 'azcmagent-log');
			await assert.rejects(Promise.resolve(vscode.workspace.fs.writeFile(log, new Uint8Array([1]))), 'members are read-only');
		});

		it('mounts a tar.gz the same way', async () => {
			const root = await openBundle(vscode.Uri.file(path.join(dir, 'cloud-init.tar.gz')));
			assert.ok(root);
			assert.equal(vscode.workspace.getWorkspaceFolder(root)?.name, 'cloud-init.tar.gz');
			assert.deepEqual((await vscode.workspace.fs.readDirectory(memberUri(root, 'cloud-init-logs'))).sort(), [
				['cloud-init-output.log', vscode.FileType.File],
				['cloud-init.log', vscode.FileType.File],
			]);
			const output = memberUri(root, 'cloud-init-logs', 'cloud-init-output.log');
			assert.equal((await open(output)).document.languageId, 'cloud-init-log');
			await diagnostics(output, hasCode('AZCM0042'), 'AZCM0042 in the tar.gz member');
			const ciLog = memberUri(root, 'cloud-init-logs', 'cloud-init.log');
			assert.equal((await open(ciLog)).document.languageId, 'cloud-init-log');
			await diagnostics(ciLog, (l) => l.some((x) => x.severity === vscode.DiagnosticSeverity.Error || x.severity === vscode.DiagnosticSeverity.Warning), 'a failure in cloud-init.log');

			// The bundle is one case: the Failures view lists its members' failures (the server reads the archive), in time
			// order within each run or boot, and a click reveals the member at the line.
			await vscode.commands.executeCommand('arcLogs.showFolderFailures', root);
			const result = (await api.failures.fetched()).get(root.toString());
			assert.ok(result, 'the case of the bundle');
			const all = result.machines.flatMap((m) => m.groups.flatMap((g) => g.failures));
			const same = (a: string, b: vscode.Uri) => vscode.Uri.parse(a, true).toString() === b.toString();
			assert.ok(all.some((f) => f.id === 'AZCM0042' && same(f.uri, output)), JSON.stringify(all.map((f) => [f.id, f.uri])));
			assert.ok(all.some((f) => same(f.uri, ciLog)), 'cloud-init.log has its failures in the view');
			for (const m of result.machines) {
				for (const g of m.groups) {
					const times = g.failures.map((f) => f.time ?? Infinity);
					assert.deepEqual(times, [...times].sort((a, b) => a - b), g.label);
				}
			}
			const target = all.find((f) => f.id === 'AZCM0042')!;
			const item = api.failures.getTreeItem({ kind: 'failure', failure: target });
			await vscode.commands.executeCommand(item.command!.command, ...(item.command!.arguments ?? []));
			await when(
				vscode.window.onDidChangeTextEditorSelection,
				() => {
					const e = vscode.window.activeTextEditor;
					return e && same(target.uri, e.document.uri) && e.selection.active.line === target.line ? e : undefined;
				},
				'the member at the failure',
			);
			api.failures.setRoot(undefined);
		});

		it('opening the same bundle again reuses its folder; a changed archive is read again', async () => {
			const zip = path.join(dir, 'azcmagent-logs.zip');
			const count = vscode.workspace.workspaceFolders!.length;
			const root = await openBundle(vscode.Uri.file(zip));
			assert.equal(vscode.workspace.workspaceFolders!.length, count);
			writeFileSync(zip, zipSync({ 'azcmagent-logs/arcproxy.log': read('test/fixtures/logs/azcmagent-log/himds.port-in-use.log') }));
			assert.deepEqual(await vscode.workspace.fs.readDirectory(memberUri(root!, 'azcmagent-logs')), [['arcproxy.log', vscode.FileType.File]]);
		});

		it('adds a folder as a workspace folder, and refuses a corrupt archive without mounting it', async () => {
			const folder = vscode.Uri.file(path.join(dir, 'ticket-folder'));
			const root = await openBundle(folder);
			assert.equal(root?.toString(), folder.toString());
			assert.equal(vscode.workspace.getWorkspaceFolder(folder)?.uri.toString(), folder.toString());
			const count = vscode.workspace.workspaceFolders!.length;
			assert.equal(await openBundle(vscode.Uri.file(path.join(dir, 'broken.zip'))), undefined);
			assert.equal(vscode.workspace.workspaceFolders!.length, count);
		});
	});
});
