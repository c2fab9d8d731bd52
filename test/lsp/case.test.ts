// The case requests over a real LSP connection (`node server/out/server.js --stdio`): arcLogs/caseFailures over a
// workspace folder of the bundled samples on disk (two machines), open documents winning over the disk, files
// created later, and the hover's "Meanwhile in other logs".
import * as assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DidChangeWatchedFilesNotification, FileChangeType, HoverRequest, type MarkupContent } from 'vscode-languageserver-protocol/node';
import { URI } from 'vscode-uri';
import { CaseFailuresRequest, MeanwhileRequest, type CaseFailures } from '../../server/src/core/protocol';
import { plain } from '../unit/features/helpers';
import { TestClient } from './client';
import { strToU8, zipSync } from 'fflate';
import { bundleUri } from '../../server/src/core/bundleUri';

const samples = resolve(__dirname, '../../../samples');

describe('language server: a case (arcLogs/caseFailures, the meanwhile hover)', function () {
	let dir: string;
	let root: string;
	let client: TestClient;
	const uriOf = (...p: string[]) => URI.file(join(dir, ...p)).toString();

	before(async () => {
		dir = mkdtempSync(join(tmpdir(), 'arc-logs-case-'));
		mkdirSync(join(dir, 'vm-arc'));
		mkdirSync(join(dir, 'vm-nexus'));
		mkdirSync(join(dir, '.hidden'));
		copyFileSync(join(samples, 'arc-linux-vm', 'azcmagent.log'), join(dir, 'vm-arc', 'azcmagent.log'));
		copyFileSync(join(samples, 'arc-linux-vm', 'himds.log'), join(dir, 'vm-arc', 'himds.log'));
		copyFileSync(join(samples, 'nexus-vm', 'cloud-init.log'), join(dir, 'vm-nexus', 'cloud-init.log'));
		copyFileSync(join(samples, 'nexus-vm', 'cloud-init-output.log'), join(dir, 'vm-nexus', 'cloud-init-output.log'));
		// Not logs, or not entered: a note, and a hidden folder.
		writeFileSync(join(dir, 'vm-arc', 'notes.md'), '# ticket 1234\nERROR: not a log\n');
		copyFileSync(join(samples, 'arc-linux-vm', 'azcmagent.log'), join(dir, '.hidden', 'azcmagent.log'));
		root = URI.file(dir).toString();
		client = await TestClient.spawn({ locale: 'en', settings: () => ({}), workspaceFolders: [root] });
	});
	after(async () => {
		await client.stop();
		rmSync(dir, { recursive: true, force: true });
	});

	const request = (r = root) => client.connection.sendRequest(CaseFailuresRequest, { root: r }) as Promise<CaseFailures | null>;

	it('lists every failure of the folder by machine, in time order, with counts per file and the first failure', async () => {
		const result = (await request())!;
		assert.ok(result);
		assert.deepEqual(
			result.machines.map((m) => m.name),
			['vm-arc', 'vm-nexus'],
		);
		const files = result.machines.flatMap((m) => m.files.map((f) => `${f.path} ${f.errors}/${f.warnings}`));
		assert.deepEqual(files, ['vm-arc/azcmagent.log 1/1', 'vm-arc/himds.log 1/0', 'vm-nexus/cloud-init-output.log 1/0', 'vm-nexus/cloud-init.log 1/0']);
		assert.equal(result.total, 5);
		const arc = result.machines[0];
		assert.deepEqual(
			arc.groups.map((g) => [g.path, g.failures.map((f) => f.id)]),
			[
				['vm-arc/azcmagent.log', ['AZCM0042']],
				['vm-arc/azcmagent.log', ['ARM-AUTHORIZATION-FAILED']],
				['vm-arc/himds.log', ['AGENT-ERROR']],
			],
			'the failed connect (08:14), the later connect (08:41), the heartbeat (08:46)',
		);
		assert.equal(result.first?.path, 'vm-nexus/cloud-init-output.log');
		assert.equal(result.first?.uri, uriOf('vm-nexus', 'cloud-init-output.log'));
		assert.deepEqual(result.problems, []);
	});

	it('an open document is analyzed as the editor has it; a file created later is found once the client says so', async () => {
		const himds = uriOf('vm-arc', 'himds.log');
		const text = readFileSync(join(dir, 'vm-arc', 'himds.log'), 'utf8');
		const extra = 'time="2024-11-05T08:14:20Z" level=error msg="Failed to get access token" error="connection refused"';
		await client.open(himds, `${text.trimEnd()}\n${extra}\n`);
		const withOpen = (await request())!;
		const counts = withOpen.machines[0].files.find((f) => f.path === 'vm-arc/himds.log')!;
		assert.equal(counts.errors, 2, 'the open version, with the added error');

		mkdirSync(join(dir, 'vm-gc'));
		copyFileSync(join(samples, 'windows-server', 'gc_agent.log'), join(dir, 'vm-gc', 'gc_agent.log'));
		const before = (await request())!;
		assert.ok(!before.machines.some((m) => m.name === 'vm-gc'), 'the folder walk is cached until a file event');
		await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uriOf('vm-gc', 'gc_agent.log'), type: FileChangeType.Created }] });
		const after = (await request())!;
		assert.ok(after.machines.some((m) => m.name === 'vm-gc' && m.files.some((f) => f.path === 'vm-gc/gc_agent.log' && f.errors > 0)));
	});

	it('the hover on a failure adds what the other logs of the machine recorded meanwhile', async () => {
		const az = uriOf('vm-arc', 'azcmagent.log');
		const text = readFileSync(join(dir, 'vm-arc', 'azcmagent.log'), 'utf8');
		await client.open(az, text);
		const line = text.split('\n').findIndex((l) => l.includes('Exit Code:  AZCM0042'));
		const position = { line, character: text.split('\n')[line].indexOf('AZCM0042') + 2 };
		const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: az }, position });
		const md = (hover!.contents as MarkupContent).value;
		const shown = plain(md);
		assert.match(shown, /Meanwhile in other logs \(within 60 s\)/);
		// The error added to the open himds.log at 08:14:20, five seconds after the exit code at 08:14:15.
		assert.match(shown, /vm-arc\/himds\.log, line \d+ \(\+5 s\) AGENT-ERROR ERROR: Failed to get access token/);
		assert.doesNotMatch(shown, /vm-nexus/, 'another machine is not a neighbour');
		const meanwhile = await client.connection.sendRequest(MeanwhileRequest, { uri: az, position });
		assert.deepEqual(
			meanwhile?.records.map((r) => [r.path, r.offset, r.level]),
			[['vm-arc/himds.log', 5000, 'error']],
		);
		// Not on a failure: no meanwhile section, and the request answers null.
		assert.equal(await client.connection.sendRequest(MeanwhileRequest, { uri: az, position: { line: 0, character: 0 } }), null);
	});

	it('a root that is not a readable folder answers null, and the server stays up', async () => {
		assert.equal(await request(uriOf('vm-arc', 'azcmagent.log')), null);
		assert.equal(await request(`${root}/no-such-folder`), null);
		assert.equal(await request('untitled:Untitled-1'), null);
		assert.ok(await request());
	});

	it('a support bundle mounted as an arc-bundle: root is a case too: its members, lined up like the folder', async () => {
		// The folder above, as `azcmagent logs` and `cloud-init collect-logs` would hand it over: one zip.
		const files: Record<string, Uint8Array> = {};
		for (const [machine, name] of [['vm-arc', 'azcmagent.log'], ['vm-arc', 'himds.log'], ['vm-nexus', 'cloud-init.log'], ['vm-nexus', 'cloud-init-output.log']]) {
			files[`${machine}/${name}`] = readFileSync(join(samples, machine === 'vm-arc' ? 'arc-linux-vm' : 'nexus-vm', name));
		}
		files['vm-arc/notes.md'] = strToU8('# ticket 1234\nERROR: not a log\n');
		const zip = join(dir, 'ticket-1234.zip');
		writeFileSync(zip, zipSync(files));
		const bundleRoot = bundleUri(URI.file(zip).toString(), '');
		const result = (await request(bundleRoot))!;
		assert.ok(result, 'the bundle root is read');
		assert.deepEqual(
			result.machines.map((m) => m.name),
			['vm-arc', 'vm-nexus'],
		);
		assert.deepEqual(
			result.machines.flatMap((m) => m.files.map((f) => f.path)),
			['vm-arc/azcmagent.log', 'vm-arc/himds.log', 'vm-nexus/cloud-init-output.log', 'vm-nexus/cloud-init.log'],
		);
		assert.equal(result.total, 5);
		assert.equal(result.first?.uri, bundleUri(URI.file(zip).toString(), 'vm-nexus/cloud-init-output.log'));
		// A corrupt archive answers null (no case), and the server stays up.
		writeFileSync(join(dir, 'broken.zip'), 'PK\x03\x04 not really a zip');
		const broken = await request(bundleUri(URI.file(join(dir, 'broken.zip')).toString(), ''));
		assert.ok(broken === null || broken.total === 0);
		assert.ok(await request());
	});
});
