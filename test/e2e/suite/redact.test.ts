// Share safely, in a real VS Code: Copy Redacted Excerpt puts a selection, or the failure at the cursor with its
// related lines, on the clipboard without an id, token or secret; Export Findings as SARIF writes a SARIF 2.1.0 file
// of a log, a folder or a .zip bundle (through the CLI) and opens it.
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { strToU8, zipSync } from 'fflate';
import * as vscode from 'vscode';
import type { ArcLogsApi } from '../../../client/src/extension';
import type { RedactExcerptResult } from '../../../server/src/core/protocol';
import type { ExportResult } from '../../../client/src/sarif';

const WAIT_MS = 20000;
const ws = () => vscode.workspace.workspaceFolders![0].uri.fsPath;
const fixture = (...p: string[]) => vscode.Uri.file(path.join(ws(), 'test', 'fixtures', 'logs', ...p));
const NEXUS = () => fixture('cloud-init-output', 'nexus-arc-connect-failed-azcm0026.log');
const SPN = () => fixture('cloud-init-output', 'script-azcmagent-connect-exit-42.log');
const FORBIDDEN = () => fixture('azcmagent-log', 'connect-authorization-failed-403.log');

/** What must not be on the clipboard: GUIDs, JWTs, the service principal secret of the fixture. */
const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const JWT = /eyJ[A-Za-z0-9_-]{8,}/;
const SECRET = 'Vq78Q~hR2x';

function diagnosticsOf(uri: vscode.Uri, code: string): Promise<vscode.Diagnostic> {
	const find = () => vscode.languages.getDiagnostics(uri).find((d) => d.source === 'arc-logs' && (typeof d.code === 'object' ? String(d.code.value) : String(d.code)) === code);
	const now = find();
	if (now) return Promise.resolve(now);
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			sub.dispose();
			reject(new Error(`timed out waiting for ${code} in ${path.basename(uri.path)}`));
		}, WAIT_MS);
		const sub = vscode.languages.onDidChangeDiagnostics(() => {
			const d = find();
			if (!d) return;
			clearTimeout(timer);
			sub.dispose();
			resolve(d);
		});
	});
}

async function open(uri: vscode.Uri): Promise<vscode.TextEditor> {
	return vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: false });
}

async function copy(): Promise<{ result: RedactExcerptResult | undefined; clipboard: string }> {
	await vscode.env.clipboard.writeText('');
	const result = await vscode.commands.executeCommand<RedactExcerptResult | undefined>('arcLogs.copyRedactedExcerpt');
	return { result, clipboard: await vscode.env.clipboard.readText() };
}

describe('Share safely in the extension host', function () {
	before(async () => {
		const api = await vscode.extensions.getExtension<ArcLogsApi>('arc-logs.arc-logs')!.activate();
		await open(FORBIDDEN());
		await api.ready;
	});

	describe('Copy Redacted Excerpt', () => {
		it('the selection: its text with ids replaced by named placeholders', async () => {
			const editor = await open(FORBIDDEN());
			const line = editor.document.getText().split('\n').findIndex((l) => l.includes('Command Args'));
			assert.ok(line >= 0);
			editor.selection = new vscode.Selection(line, 0, line + 1, 0);
			const { result, clipboard } = await copy();
			assert.ok(result, 'a result');
			assert.equal(clipboard, result.text);
			assert.ok(clipboard.startsWith(editor.document.lineAt(line).text.slice(0, 40)), clipboard);
			assert.match(clipboard, /--service-principal-id <object-1> .*--tenant-id <tenant-1> .*--subscription-id <subscription-1> .*--correlation-id <correlation-1>/);
			assert.ok(!GUID.test(clipboard), clipboard);
			assert.ok(result.replaced >= 4);
		});

		it('a whole log with a service principal secret: no id, token or secret on the clipboard', async () => {
			const editor = await open(SPN());
			assert.ok(editor.document.getText().includes(SECRET), 'the fixture holds the secret');
			const last = editor.document.lineCount - 1;
			editor.selection = new vscode.Selection(0, 0, last, editor.document.lineAt(last).text.length);
			const { result, clipboard } = await copy();
			assert.ok(result);
			assert.equal(clipboard.split('\n').length, editor.document.lineCount);
			assert.ok(!clipboard.includes(SECRET) && !GUID.test(clipboard) && !JWT.test(clipboard), clipboard);
			assert.match(clipboard, /--service-principal-secret <secret-1>/);
		});

		it('no selection: the failure at the cursor with its related lines (the connect command and its token)', async () => {
			const editor = await open(NEXUS());
			const failure = await diagnosticsOf(NEXUS(), 'AZCM0026');
			const related = failure.relatedInformation ?? [];
			assert.ok(related.length > 0, 'the failure has related lines');
			editor.selection = new vscode.Selection(failure.range.start, failure.range.start);
			const { result, clipboard } = await copy();
			assert.ok(result, 'a result');
			assert.equal(result.id, 'AZCM0026');
			assert.equal(clipboard, result.text);
			for (const r of related) assert.ok(result.lines.includes(r.location.range.start.line), `related line ${r.location.range.start.line + 1} in the excerpt`);
			assert.ok(clipboard.includes('--access-token <token-1>') || clipboard.includes('ACCESS_TOKEN=<token-1>'), clipboard);
			assert.ok(!GUID.test(clipboard) && !JWT.test(clipboard), clipboard);
		});

		it('no selection and no failure at the cursor: nothing copied', async () => {
			const editor = await open(FORBIDDEN());
			const line = editor.document.getText().split('\n').findIndex((l) => l.includes('Loading local configuration'));
			editor.selection = new vscode.Selection(line, 0, line, 0);
			await vscode.env.clipboard.writeText('unchanged');
			assert.equal(await vscode.commands.executeCommand('arcLogs.copyRedactedExcerpt'), undefined);
			assert.equal(await vscode.env.clipboard.readText(), 'unchanged');
		});
	});

	describe('Export Findings as SARIF', () => {
		const out = () => mkdtempSync(path.join(ws(), 'sarif-'));
		const sarifOf = (r: ExportResult) => JSON.parse(readFileSync(r.target.fsPath, 'utf8')) as { version: string; runs: { results: { ruleId: string }[]; artifacts: unknown[] }[] };

		it('the active log: a SARIF 2.1.0 file with its findings, opened (no SARIF Viewer here: as a document)', async () => {
			await open(FORBIDDEN());
			await diagnosticsOf(FORBIDDEN(), 'AZCM0042');
			const target = vscode.Uri.file(path.join(out(), 'forbidden.sarif'));
			const r = await vscode.commands.executeCommand<ExportResult>('arcLogs.exportSarif', undefined, { target });
			assert.ok(r, 'a result');
			assert.equal(r.target.fsPath, target.fsPath);
			const sarif = sarifOf(r);
			assert.equal(sarif.version, '2.1.0');
			assert.ok(sarif.runs[0].results.some((x) => x.ruleId === 'AZCM0042'));
			assert.equal(r.results, sarif.runs[0].results.length);
			assert.equal(r.openedIn, vscode.extensions.getExtension('MS-SarifVSCode.sarif-viewer') ? 'sarif-viewer' : 'editor');
			if (r.openedIn === 'editor') assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, target.fsPath);
			assert.deepEqual(r.problems, []);
		});

		it('a folder and a .zip bundle, as from the Explorer', async () => {
			const folder = out();
			mkdirSync(path.join(folder, 'vm1'));
			writeFileSync(path.join(folder, 'vm1', 'azcmagent.log'), readFileSync(FORBIDDEN().fsPath));
			writeFileSync(path.join(folder, 'vm1', 'cloud-init-output.log'), readFileSync(SPN().fsPath));
			const r = await vscode.commands.executeCommand<ExportResult>('arcLogs.exportSarif', vscode.Uri.file(folder), { target: vscode.Uri.file(path.join(out(), 'folder.sarif')) });
			assert.ok(r);
			assert.equal(sarifOf(r).runs[0].artifacts.length, 2, 'both logs of the folder');
			assert.ok(sarifOf(r).runs[0].results.some((x) => x.ruleId === 'AZCM0042'));

			const dir = out();
			const zip = path.join(dir, 'bundle.zip');
			writeFileSync(zip, zipSync({ 'azcmagent.log': strToU8(readFileSync(FORBIDDEN().fsPath, 'utf8')), 'notes.bin': new Uint8Array([0, 1, 2]) }));
			const z = await vscode.commands.executeCommand<ExportResult>('arcLogs.exportSarif', vscode.Uri.file(zip), { target: vscode.Uri.file(path.join(dir, 'bundle.sarif')) });
			assert.ok(z && existsSync(z.target.fsPath));
			assert.ok(sarifOf(z).runs[0].results.some((x) => x.ruleId === 'AZCM0042'));
		});

		it('an unreadable input: the SARIF file still says so, and the problem is reported', async () => {
			const dir = out();
			const r = await vscode.commands.executeCommand<ExportResult>('arcLogs.exportSarif', vscode.Uri.file(path.join(dir, 'missing.log')), { target: vscode.Uri.file(path.join(dir, 'missing.sarif')) });
			assert.ok(r);
			assert.equal(r.results, 0);
			assert.equal(r.problems.length, 1);
			assert.match(r.problems[0], /missing\.log: no such file or folder/);
		});
	});
});
