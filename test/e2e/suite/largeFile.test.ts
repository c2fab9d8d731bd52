// The large-file path in the real editor: a 60 MB azcmagent log, generated in a temp folder (never committed), is a
// file VS Code does not give the extension (no TextDocument). The extension notices it, and "Arc Logs: Analyze Large
// File" gets its failures from disk: Problems entries on the file and a list whose entries reveal the line.
import * as assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { codeOf, waiter } from './helpers';
import type { ArcLogsApi } from '../../../client/src/extension';
import type { ShownFailures } from '../../../client/src/largeFile';

const EXTENSION_ID = 'arc-logs.arc-logs';
const WAIT_MS = 150_000;
const ws = () => vscode.workspace.workspaceFolders![0].uri.fsPath;

const when = waiter(WAIT_MS);

const activeTabUri = () => {
	const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
	return input instanceof vscode.TabInputText ? input.uri.toString() : undefined;
};

describe('a log over 50 MB: the large-file path', function () {
	this.timeout(WAIT_MS + 30_000);
	let api: ArcLogsApi;
	let dir: string;
	let big: vscode.Uri;
	/** The line of AZCM0042 in the generated log. */
	let failureLine: number;

	before(async () => {
		api = await vscode.extensions.getExtension<ArcLogsApi>(EXTENSION_ID)!.activate();
		// Desktop VS Code opens files up to 1 GB without asking; code-server (a remote) asks above 10 MB. Open like desktop.
		await vscode.workspace.getConfiguration('workbench').update('editorLargeFileConfirmation', 1024, vscode.ConfigurationTarget.Global);
		const fixture = readFileSync(path.join(ws(), 'test', 'fixtures', 'logs', 'azcmagent-log', 'connect-provider-not-registered.log'), 'utf8').replace(/\r?\n$/, '').split(/\r?\n/);
		const filler = (h: string) => `time="2022-11-24T${h}:00:00Z" level=debug msg="Sending heartbeat" Correlation ID=07293820-86d5-4e25-9418-79c4f04038fe Request URL=https://uksouth.his.arc.azure.com/heartbeat\n`;
		const half = Math.ceil((30 * 1024 * 1024) / filler('08').length);
		dir = mkdtempSync(path.join(tmpdir(), 'arc-logs-large-'));
		const file = path.join(dir, 'azcmagent.log');
		const fd = openSync(file, 'w');
		const block = 10_000;
		for (let i = 0; i < half; i += block) writeSync(fd, filler('08').repeat(Math.min(block, half - i)));
		writeSync(fd, fixture.join('\n') + '\n');
		for (let i = 0; i < half; i += block) writeSync(fd, filler('10').repeat(Math.min(block, half - i)));
		closeSync(fd);
		failureLine = half + fixture.findIndex((l) => l.includes('AZCM0042'));
		assert.ok(failureLine > half);
		big = vscode.Uri.file(file);
		assert.ok((await vscode.workspace.fs.stat(big)).size > 60 * 1024 * 1024, 'over 60 MB');
	});

	after(async () => {
		await vscode.workspace.getConfiguration('workbench').update('editorLargeFileConfirmation', undefined, vscode.ConfigurationTarget.Global);
		await vscode.commands.executeCommand('workbench.action.closeAllEditors');
		rmSync(dir, { recursive: true, force: true });
	});

	it('opened in the editor: VS Code gives the extension no document, and the extension says why colours and problems are off', async () => {
		await vscode.commands.executeCommand('vscode.open', big, { preview: false });
		const kind = await when(api.largeFile!.onDidNotice, () => api.largeFile!.noticed.get(big.toString()), 'the large file noticed');
		assert.equal(kind, 'sync');
		assert.equal(activeTabUri(), big.toString());
		assert.equal(
			vscode.workspace.textDocuments.find((d) => d.uri.toString() === big.toString()),
			undefined,
			'VS Code did not sync the 60 MB file to the extension',
		);
		assert.deepEqual(
			vscode.languages.getDiagnostics(big).filter((d) => d.source === 'arc-logs'),
			[],
			'no problems without the large-file path',
		);
	});

	it('Analyze Large File: Problems entries on the file, and a list of its failures whose entries reveal the line', async () => {
		// Another editor in front, as when the command runs from the Explorer's context menu on the file.
		await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(path.join(ws(), 'samples', 'arc-linux-vm', 'azcmagent.log')), { preview: false });
		assert.notEqual(activeTabUri(), big.toString());
		const listed = new Promise<ShownFailures>((resolve) => {
			const sub = api.largeFile!.onDidShowFailures((e) => {
				sub.dispose();
				resolve(e);
			});
		});
		const command = vscode.commands.executeCommand('arcLogs.analyzeLargeFile', big);
		const list = await listed;

		// The list: the failures from disk, AZCM0042 on its line.
		assert.equal(list.uri, big.toString());
		assert.ok(list.result.published);
		assert.ok(list.result.lineCount > 2 * 30 * 1024 * 1024 / 200, `${list.result.lineCount} lines`);
		const first = list.result.failures.find((f) => f.id === 'AZCM0042');
		assert.ok(first, JSON.stringify(list.result.failures.map((f) => f.id)));
		assert.equal(first.line, failureLine);
		assert.equal(list.labels.length, list.result.failures.length);
		assert.ok(list.labels.some((l) => l.includes('AZCM0042') && l.includes(`${failureLine + 1}`)), list.labels.join('\n'));

		// Problems entries on the file, though VS Code never gave it to the extension.
		const problems = vscode.languages.getDiagnostics(big).filter((d) => d.source === 'arc-logs');
		const d = problems.find((p) => codeOf(p) === 'AZCM0042');
		assert.ok(d, JSON.stringify(problems.map(codeOf)));
		assert.equal(d.range.start.line, failureLine);
		assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
		assert.equal(
			problems.filter((p) => p.severity === vscode.DiagnosticSeverity.Error).length,
			list.result.counts.error,
		);

		// Accept the first entry: the file comes to the front (vscode.open with the failure's line selected). The list is
		// shown by now; accepting goes through the command service like a key press.
		const firstListed = list.result.failures[0];
		const shown = when(vscode.window.tabGroups.onDidChangeTabs, () => (activeTabUri() === big.toString() ? true : undefined), 'the large file in front');
		await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
		await shown;
		const result = (await command) as { failures: { line: number }[] } | undefined;
		assert.equal(result?.failures[0].line, firstListed.line);
		assert.equal(
			vscode.workspace.textDocuments.find((doc) => doc.uri.toString() === big.toString()),
			undefined,
			'still no document: revealed without one',
		);
	});
});
