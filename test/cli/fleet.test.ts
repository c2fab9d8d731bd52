// Issue 10 (CLI): `scan --format jsonl`, the worker pool (--jobs) and zip entries streamed from the central directory.
// The pool's workers run the built CLI (server/out/cli.js; test/cli/run.ts points the pool at it).
import * as assert from 'node:assert/strict';
import { writeFileSync, readFileSync, readdirSync, statSync, mkdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { zipSync, strToU8 } from 'fflate';
import { runCli, tempDirs } from './run';
import { bytesSource, readZip, readZipFile, readZipFrom, type ZipEntrySink, type ZipSource } from '../../server/src/node/zip';
import { LIMITS } from '../../server/src/node/inputs';
import { POOL } from '../../server/src/cli/pool';

const repo = resolve(__dirname, '../../..');
const corpus = join(repo, 'test/corpus/logs');
const fixtures = join(repo, 'test/fixtures/logs');

const FAILED_CONNECT = [
	'time="2024-03-02T09:00:58+02:00" level=info msg="Agent Command: connect"',
	'time="2024-03-02T09:01:06+02:00" level=debug msg="Put https://management.azure.com/subscriptions/1/resourceGroups/rg/providers/Microsoft.HybridCompute/machines/web01?api-version=2022-12-27 403"',
	'time="2024-03-02T09:01:07+02:00" level=info msg="Exit Code:  AZCM0042: Failed to Create Resource"',
	'',
].join('\n');
const CLOUD_INIT_FAILED = [
	'Cloud-init v. 23.4.4-0ubuntu0~22.04.1 running \'modules:final\' at Tue, 11 Jun 2024 08:12:03 +0000. Up 21.43 seconds.',
	'+ azcmagent connect --resource-group rg-arc --tenant-id 00000000-0000-0000-0000-000000000000 --location westeurope',
	'Failed running /var/lib/cloud/instance/scripts/part-001 [1]',
	'2024-06-11 08:12:09,112 - util.py[WARNING]: Failed running /var/lib/cloud/instance/scripts/part-001 [1]',
	'Cloud-init v. 23.4.4-0ubuntu0~22.04.1 finished at Tue, 11 Jun 2024 08:12:09 +0000. Datasource DataSourceAzure [seed=/dev/sr0].  Up 27.80 seconds',
	'',
].join('\n');

/** Every key of a jsonl line, in order: the documented schema arc-logs.finding/1. */
const KEYS = [
	'schema', 'tool', 'version', 'file', 'member', 'format', 'line', 'column', 'endLine', 'endColumn', 'id', 'kind', 'severity', 'message',
	'entry', 'url', 'remediation', 'explainedBy', 'captures', 'related', 'time', 'timeText', 'run', 'boot', 'stage', 'script', 'locale',
];

const tmp = tempDirs('fleet');

const lines = (out: string) => out.split('\n').filter(Boolean).map((l) => JSON.parse(l));

function filesUnder(dir: string): string[] {
	const out: string[] = [];
	for (const name of readdirSync(dir).sort()) {
		const p = join(dir, name);
		if (statSync(p).isDirectory()) out.push(...filesUnder(p));
		else out.push(p);
	}
	return out;
}

/** A folder of zip bundles made of real logs: each corpus folder and each fixture folder becomes one bundle. */
function bundles(): string {
	const d = tmp();
	for (const [root, tag] of [[corpus, 'corpus'], [fixtures, 'fixtures']] as const) {
		for (const group of readdirSync(root).sort()) {
			const g = join(root, group);
			if (!statSync(g).isDirectory()) continue;
			const entries: Record<string, Uint8Array> = {};
			for (const f of filesUnder(g)) entries[`${group}/${relative(g, f)}`] = readFileSync(f);
			writeFileSync(join(d, `${tag}-${group}.zip`), zipSync(entries, { level: 6 }));
		}
	}
	return d;
}

describe('cli: scan --format jsonl', () => {
	it('one finding per line, every line with the same documented keys, the same findings as --format json', async () => {
		for (const input of [corpus, fixtures]) {
			const jsonl = await runCli(['scan', '--format', 'jsonl', '--jobs', '1', input]);
			const json = await runCli(['scan', '--format', 'json', '--jobs', '1', input]);
			assert.equal(jsonl.code, json.code);
			assert.equal(jsonl.err, json.err);
			const got = lines(jsonl.out);
			assert.ok(got.length > 40, `${input}: ${got.length} findings`);
			for (const l of got) {
				assert.deepEqual(Object.keys(l), KEYS);
				assert.equal(l.schema, 'arc-logs.finding/1');
				assert.match(l.version, /^\d+\.\d+\.\d+/);
			}
			const expected = JSON.parse(json.out).files.flatMap((f: { path: string; format: string; findings: Record<string, unknown>[] }) =>
				f.findings.map((x) => ({ file: f.path, format: f.format, id: x.id, line: x.line, column: x.column, endLine: x.endLine, endColumn: x.endColumn, severity: x.severity, message: x.message, url: x.url ?? null })),
			);
			assert.deepEqual(
				got.map((l) => ({ file: l.file, format: l.format, id: l.id, line: l.line, column: l.column, endLine: l.endLine, endColumn: l.endColumn, severity: l.severity, message: l.message, url: l.url })),
				expected,
			);
		}
	});

	it('says where a finding is: the archive and its member, the run or boot and stage, and the time of its record', async () => {
		const d = tmp();
		writeFileSync(join(d, 'bundle.zip'), zipSync({ 'logs/azcmagent.log': strToU8(FAILED_CONNECT), 'logs/cloud-init-output.log': strToU8(CLOUD_INIT_FAILED) }));
		const r = await runCli(['scan', '--format', 'jsonl', join(d, 'bundle.zip')]);
		assert.equal(r.code, 1, r.err);
		const got = lines(r.out);
		const agent = got.find((l) => l.id === 'AZCM0042');
		assert.ok(agent, r.out);
		assert.equal(agent.file, join(d, 'bundle.zip'));
		assert.equal(agent.member, 'logs/azcmagent.log');
		assert.equal(agent.format, 'azcmagent-log');
		assert.equal(agent.line, 3);
		assert.equal(agent.severity, 'error');
		assert.equal(agent.entry, 'AZCM0042');
		assert.match(agent.url, /^https:\/\/learn\.microsoft\.com\//);
		assert.equal(agent.time, '2024-03-02T07:01:07.000Z', 'UTC, from the record written at 09:01:07+02:00');
		assert.equal(agent.timeText, '2024-03-02T09:01:07+02:00');
		assert.deepEqual(agent.run, { name: 'connect', line: 1, endLine: 4, outcome: 'failed', detail: 'AZCM0042' });
		assert.equal(agent.boot, null);
		const script = got.find((l) => l.member === 'logs/cloud-init-output.log' && l.severity === 'error');
		assert.ok(script, r.out);
		assert.equal(script.stage?.name, 'modules:final');
		assert.equal(script.stage?.outcome, 'failed');
		assert.ok(script.boot, 'a stage is inside a boot');
		assert.equal(script.run?.name, 'connect', 'the azcmagent run the stage started');
	});

	it('the schema is documented: every key in `scan --help` and in the README', async () => {
		const help = (await runCli(['scan', '--help'])).out;
		const readme = readFileSync(join(repo, 'README.md'), 'utf8');
		for (const k of KEYS) {
			assert.match(help, new RegExp(`\\b${k}\\b`), `--help: ${k}`);
			assert.match(readme, new RegExp(`\`${k}\``), `README: ${k}`);
		}
		assert.match(help, /arc-logs\.finding\/1/);
		assert.match(readme, /arc-logs\.finding\/1/);
	});
});

describe('cli: scan --jobs (worker pool)', () => {
	it('the same output and stderr with --jobs 1 and --jobs 2 on the fixtures and on bundles of the corpus and the fixtures, in text and jsonl', async function () {
		// The heaviest test of the suite: every real log, scanned four times (the machine is shared: a generous timeout).
		this.timeout(240_000);
		const zips = bundles();
		let jsonl = '';
		for (const format of ['text', 'jsonl']) {
			const argv = ['scan', '--format', format, fixtures, zips];
			const one = await runCli([...argv, '--jobs', '1']);
			const started = POOL.started;
			const two = await runCli([...argv, '--jobs', '2']);
			assert.equal(POOL.started - started, 2, 'two workers scanned');
			assert.equal(two.code, one.code, format);
			assert.equal(two.err, one.err, format);
			assert.equal(two.out, one.out, format);
			assert.ok(one.out.length > 10_000, `${format}: a real report`);
			jsonl = two.out;
		}
		// The fixtures' bundles hold the same logs as the fixtures folder: the same findings, entry by entry.
		const key = (l: { id: string; line: number; column: number; message: string }) => `${l.id}@${l.line}:${l.column} ${l.message}`;
		const all = lines(jsonl);
		const folder = all.filter((l) => l.member === null).map(key).sort();
		const zipped = all.filter((l) => l.member !== null && /[\\/]fixtures-[^\\/]+\.zip$/.test(l.file)).map(key).sort();
		assert.ok(folder.length > 40);
		assert.deepEqual(zipped, folder);
		assert.ok(all.some((l) => /[\\/]corpus-[^\\/]+\.zip$/.test(l.file)), 'the corpus bundles are scanned too');
	});

	it('limits set in the main thread hold in the workers', async () => {
		const d = tmp();
		const big = Array.from({ length: 2000 }, (_, i) => `time="2024-03-02T08:00:00Z" level=debug msg="heartbeat ${i}"`).join('\n');
		writeFileSync(join(d, 'a.zip'), zipSync({ 'azcmagent.log': strToU8(big) }));
		writeFileSync(join(d, 'b.zip'), zipSync({ 'azcmagent.log': strToU8(big) }));
		const saved = LIMITS.maxLines;
		LIMITS.maxLines = 100;
		try {
			const started = POOL.started;
			const r = await runCli(['scan', '--jobs', '2', join(d, 'a.zip'), join(d, 'b.zip')]);
			assert.equal(POOL.started - started, 2, 'two workers scanned');
			assert.equal(r.code, 2);
			assert.match(r.err, /a\.zip!\/azcmagent\.log: truncated at 100 lines/);
			assert.match(r.err, /b\.zip!\/azcmagent\.log: truncated at 100 lines/);
		} finally {
			LIMITS.maxLines = saved;
		}
	});

	it('--jobs takes a whole number from 1', async () => {
		for (const bad of ['0', '-1', 'two', '1.5', '']) {
			const r = await runCli(['scan', '--jobs', bad, fixtures]);
			assert.equal(r.code, 2, bad);
			assert.match(r.err, /^arc-logs: --jobs must be a whole number/, bad);
		}
	});

	it('text and jsonl are streamed per file, jsonl to --output too', async () => {
		const d = tmp();
		const out = join(d, 'findings.jsonl');
		const r = await runCli(['scan', '--format', 'jsonl', '--jobs', '2', '--output', out, corpus]);
		assert.equal(r.out, '');
		assert.equal(readFileSync(out, 'utf8'), (await runCli(['scan', '--format', 'jsonl', '--jobs', '1', corpus])).out);
		assert.deepEqual(readdirSync(d), ['findings.jsonl'], 'no temporary file left');
	});
});

/** Records what a sink is given, entry by entry. */
function recorder(skip: (name: string) => boolean = () => false) {
	const entries: { name: string; bytes: number; text: string; error?: string }[] = [];
	const sink: ZipEntrySink = {
		begin: (name) => {
			if (skip(name)) return false;
			entries.push({ name, bytes: 0, text: '' });
			return true;
		},
		data: (b) => {
			const e = entries[entries.length - 1];
			e.bytes += b.length;
			e.text += Buffer.from(b).toString('latin1');
		},
		end: (name, error) => {
			const e = entries[entries.length - 1];
			assert.equal(e.name, name);
			if (error) e.error = error;
		},
	};
	return { entries, sink };
}

const word = (e: { kind: string }) => e.kind;

describe('cli: zip archives read by their central directory', () => {
	const files: Record<string, Uint8Array> = {
		'logs/azcmagent.log': strToU8(FAILED_CONNECT.repeat(2000)),
		'logs/big.bin': new Uint8Array(3 * 1024 * 1024).map((_, i) => (i * 7919) & 0xff),
		'logs/empty.log': new Uint8Array(0),
		'logs/': new Uint8Array(0),
		'logs/cloud-init-output.log': strToU8(CLOUD_INIT_FAILED),
	};

	it('from a file and from memory: the same entries and bytes, stored or deflated', () => {
		const d = tmp();
		for (const level of [0, 6] as const) {
			const zip = zipSync(files, { level });
			const path = join(d, `b${level}.zip`);
			writeFileSync(path, zip);
			const mem = recorder();
			const disk = recorder();
			assert.deepEqual(readZip(zip, mem.sink, word), []);
			assert.deepEqual(readZipFile(path, disk.sink, word), []);
			assert.deepEqual(disk.entries, mem.entries);
			assert.deepEqual(
				disk.entries.map((e) => [e.name, e.bytes]),
				[
					['logs/azcmagent.log', files['logs/azcmagent.log'].length],
					['logs/big.bin', files['logs/big.bin'].length],
					['logs/empty.log', 0],
					['logs/cloud-init-output.log', files['logs/cloud-init-output.log'].length],
				],
			);
			assert.equal(disk.entries[0].text, FAILED_CONNECT.repeat(2000));
			// Bytes after the end record hide it: the archive is read front to back, with the same result.
			const front = recorder();
			assert.deepEqual(readZip(Buffer.concat([zip, Buffer.alloc(100, 0x20)]), front.sink, word), []);
			assert.deepEqual(front.entries, disk.entries);
		}
	});

	it('reads in small slices, and never reads the data of an entry it skips', () => {
		const zip = zipSync(files, { level: 0 });
		const big = Buffer.from(zip).indexOf(Buffer.from(files['logs/big.bin'].subarray(0, 64)));
		assert.ok(big > 0);
		const reads: [number, number][] = [];
		const mem = bytesSource(zip);
		const src: ZipSource = {
			size: mem.size,
			read: (position, length) => {
				const r = mem.read(position, length);
				reads.push([position, r.length]);
				return r;
			},
		};
		const { entries, sink } = recorder((name) => name.endsWith('.bin'));
		assert.deepEqual(readZipFrom(src, sink, word), []);
		assert.deepEqual(entries.map((e) => e.name), ['logs/azcmagent.log', 'logs/empty.log', 'logs/cloud-init-output.log']);
		const largest = Math.max(...reads.map(([, n]) => n));
		assert.ok(largest <= 70 * 1024, `largest read ${largest} bytes of a ${zip.length}-byte archive`);
		const end = big + files['logs/big.bin'].length;
		assert.ok(!reads.some(([at, n]) => at < end && at + n > big + 1024), 'the skipped entry was not read');
	});

	it('a damaged end (no usable central directory) falls back to reading front to back; bombs stay bounded', () => {
		const zip = zipSync({ 'a/azcmagent.log': strToU8(FAILED_CONNECT), 'a/himds.log': strToU8(FAILED_CONNECT.repeat(500)) }, { level: 6 });
		const cut = recorder();
		readZip(zip.subarray(0, Math.floor(zip.length * 0.7)), cut.sink, word);
		assert.deepEqual(cut.entries.map((e) => e.name), ['a/azcmagent.log', 'a/himds.log']);
		assert.equal(cut.entries[0].error, undefined);
		assert.match(cut.entries[1].error ?? '', /^(?:truncated|corrupt)$/);
		assert.equal(cut.entries[0].text, FAILED_CONNECT);

		const saved = LIMITS.maxArchiveBytes;
		LIMITS.maxArchiveBytes = 4 * 1024 * 1024;
		try {
			const bomb = zipSync({ 'x/azcmagent.log': new Uint8Array(16 * 1024 * 1024).fill(0x41), 'y/azcmagent.log': strToU8(FAILED_CONNECT) }, { level: 9 });
			const r = recorder();
			readZip(bomb, r.sink, word);
			assert.deepEqual(r.entries.map((e) => [e.name, e.error]), [['x/azcmagent.log', 'archive-limit']]);
			assert.ok(r.entries[0].bytes <= LIMITS.maxArchiveBytes);
		} finally {
			LIMITS.maxArchiveBytes = saved;
		}
	});

	it('bundles in a folder: a zip that is not one, and a bundle with a nested zip, are said so; the others are scanned', async () => {
		const d = tmp();
		mkdirSync(join(d, 'fleet'));
		writeFileSync(join(d, 'fleet', 'm1.zip'), zipSync({ 'azcmagent.log': strToU8(FAILED_CONNECT), 'inner.zip': zipSync({ 'azcmagent.log': strToU8(FAILED_CONNECT) }) }));
		writeFileSync(join(d, 'fleet', 'm2.zip'), 'not a zip');
		writeFileSync(join(d, 'fleet', 'm3.zip'), zipSync({ 'var/log/cloud-init-output.log': strToU8(CLOUD_INIT_FAILED) }));
		for (const jobs of ['1', '2']) {
			const r = await runCli(['scan', '--format', 'jsonl', '--jobs', jobs, join(d, 'fleet')]);
			assert.equal(r.code, 2, jobs);
			assert.match(r.err, /m1\.zip!\/inner\.zip: nested zip archive not scanned/);
			assert.match(r.err, /m2\.zip: not a zip archive/);
			assert.deepEqual([...new Set(lines(r.out).map((l) => `${relative(d, l.file)}!/${l.member}`))], ['fleet/m1.zip!/azcmagent.log', 'fleet/m3.zip!/var/log/cloud-init-output.log']);
		}
	});
});
