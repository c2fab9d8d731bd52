// Issue 9: the CLI against hostile and odd inputs. Each test is the regression test of a numbered defect; each failed
// on the landed code (af24e99). Cases that could hang the old code (FIFO, stdin) run the built CLI in a child process
// with a timeout, so that a regression fails instead of blocking the suite.
import * as assert from 'node:assert/strict';
import { spawnSync, execFileSync } from 'node:child_process';
import { writeFileSync, mkdirSync, readFileSync, readdirSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { zipSync, strToU8 } from 'fflate';
import { runCli, tempDirs } from './run';
import { safeEntryName } from '../../server/src/node/inputs';
import { LIMITS, isBinary } from '../../server/src/node/files';

const repo = resolve(__dirname, '../../..');
const CLI = join(repo, 'server/out/cli.js');

const cli = runCli;

const FAILED_CONNECT = [
	'time="2024-03-02T09:00:58+02:00" level=info msg="Agent Command: connect"',
	'time="2024-03-02T09:01:06+02:00" level=debug msg="Put https://management.azure.com/subscriptions/1/resourceGroups/rg/providers/Microsoft.HybridCompute/machines/web01?api-version=2022-12-27 403"',
	'time="2024-03-02T09:01:07+02:00" level=info msg="Exit Code:  AZCM0042: Failed to Create Resource"',
	'',
].join('\n');
const DEBUG = (i: number) => `time="2024-03-02T08:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}+02:00" level=debug msg="Request ${i} to https://gbl.his.arc.azure.com returned 200 OK"`;
/** A 72 KB azcmagent.log (the size of the report in issue 9) with failures near its end. */
const BIG_LOG = Array.from({ length: 900 }, (_, i) => DEBUG(i)).join('\n') + '\n' + FAILED_CONNECT;

const tmp = tempDirs('robust');

interface JsonFile {
	path: string;
	archive?: { path: string; entry: string };
	lineCount: number;
	notices?: string[];
	findings: { id: string; line: number; column: number; message: string; related: { message: string }[] }[];
}
const filesOf = (out: string): JsonFile[] => JSON.parse(out).files;
const shape = (f: JsonFile) => ({ lineCount: f.lineCount, findings: f.findings.map((x) => `${x.id}@${x.line}:${x.column}`) });

function withLimits<T>(limits: Partial<typeof LIMITS>, run: () => Promise<T>): Promise<T> {
	const saved = { ...LIMITS };
	Object.assign(LIMITS, limits);
	return run().finally(() => Object.assign(LIMITS, saved));
}

describe('cli: robustness (issue 9)', () => {
	it('defect 1: a zip entry over 64 KiB is analyzed once, stored or deflated, exactly like the file', async () => {
		const d = tmp();
		assert.ok(BIG_LOG.length > 72_000);
		writeFileSync(join(d, 'azcmagent.log'), BIG_LOG);
		writeFileSync(join(d, 'stored.zip'), zipSync({ 'logs/azcmagent.log': strToU8(BIG_LOG) }, { level: 0 }));
		writeFileSync(join(d, 'deflated.zip'), zipSync({ 'logs/azcmagent.log': strToU8(BIG_LOG) }, { level: 6 }));
		const r = await cli(['scan', '--format', 'json', join(d, 'azcmagent.log'), join(d, 'stored.zip'), join(d, 'deflated.zip')]);
		assert.equal(r.code, 1, r.err);
		const [file, stored, deflated] = filesOf(r.out);
		assert.equal(file.lineCount, BIG_LOG.split('\n').length);
		assert.ok(file.findings.some((x) => x.id === 'AZCM0042'));
		assert.deepEqual(shape(stored), shape(file));
		assert.deepEqual(shape(deflated), shape(file));
	});

	it('defect 3: a zip bomb is cut off at the limit per input with a "truncated at" problem; its other entries and other paths are still reported', async () => {
		const d = tmp();
		// 4M lines of text (blank lines cost the analyzer nothing and are not counted: a bomb of newlines is cut by bytes).
		const lines = new Uint8Array(8 * 1024 * 1024).map((_, i) => (i % 2 ? 0x0a : 0x78));
		const bomb = zipSync({ 'a/azcmagent.log': lines, 'b/azcmagent.log': strToU8(FAILED_CONNECT) }, { level: 9 });
		assert.ok(bomb.length < 64 * 1024);
		writeFileSync(join(d, 'bomb.zip'), bomb);
		writeFileSync(join(d, 'other.log'), FAILED_CONNECT);
		const r = await withLimits({ maxLines: 10_000 }, () => cli(['scan', '--format', 'json', join(d, 'bomb.zip'), join(d, 'other.log')]));
		assert.equal(r.code, 2);
		assert.match(r.err, /bomb\.zip!\/a\/azcmagent\.log: truncated at 10000 lines \(the limit per input\); the rest is not analyzed/);
		const files = filesOf(r.out);
		assert.deepEqual(
			files.map((f) => f.path.slice(d.length + 1)),
			['bomb.zip!/a/azcmagent.log', 'bomb.zip!/b/azcmagent.log', 'other.log'],
		);
		assert.equal(files[0].lineCount, 10_000);
		assert.ok(files[1].findings.some((x) => x.id === 'AZCM0042'));
		assert.deepEqual(JSON.parse(r.out).problems.length, 1);

		// The archive as a whole: past maxArchiveBytes the entry is cut off and later entries are not read.
		const r2 = await withLimits({ maxArchiveBytes: 1024 * 1024 }, () => cli(['scan', '--format', 'json', join(d, 'bomb.zip'), join(d, 'other.log')]));
		assert.equal(r2.code, 2);
		assert.match(r2.err, /bomb\.zip!\/a\/azcmagent\.log: the archive inflates past 1 MB; cut off there, later entries not read/);
		assert.ok(filesOf(r2.out).some((f) => f.path.endsWith('other.log') && f.findings.length > 0));

		// A file from disk has the same bound (the analyzer survives as much from a file as from a zip).
		writeFileSync(join(d, 'cloud-init-output.log'), `${'x'.repeat(63)}\n`.repeat(32 * 1024));
		const r3 = await withLimits({ maxInputBytes: 512 * 1024 }, () => cli(['scan', '--format', 'json', join(d, 'cloud-init-output.log')]));
		assert.equal(r3.code, 2);
		assert.match(r3.err, /cloud-init-output\.log: truncated at 0\.5 MB \(the limit per input\)/);
		assert.equal(filesOf(r3.out)[0].lineCount, 8193, "the lines of the first 512 KiB, counted as an editor counts a file that ends in a line break");
	});

	it('defect 6: --output refuses to overwrite an input, and replaces an old report atomically (no temp file left)', async () => {
		const d = tmp();
		const log = join(d, 'azcmagent.log');
		writeFileSync(log, FAILED_CONNECT);
		const r = await cli(['scan', '--output', log, log]);
		assert.equal(r.code, 2);
		assert.match(r.err, /--output .*azcmagent\.log is one of the inputs/);
		assert.equal(readFileSync(log, 'utf8'), FAILED_CONNECT, 'the input is untouched');
		// Another spelling of the same file is the same file.
		assert.equal((await cli(['scan', '-o', join(d, '.', 'azcmagent.log'), log])).code, 2);
		assert.equal(readFileSync(log, 'utf8'), FAILED_CONNECT);
		// A log found in a scanned folder is an input too.
		assert.equal((await cli(['scan', '--output', log, d])).code, 2);
		assert.equal(readFileSync(log, 'utf8'), FAILED_CONNECT);

		const report = join(d, 'report.json');
		writeFileSync(report, 'old report');
		assert.equal((await cli(['scan', '--format', 'json', '--output', report, log])).code, 1);
		assert.ok(filesOf(readFileSync(report, 'utf8'))[0].findings.length > 0);
		assert.deepEqual(readdirSync(d).sort(), ['azcmagent.log', 'report.json']);
		// A write that fails leaves what was there, and no temp file.
		mkdirSync(join(d, 'a-folder'));
		assert.equal((await cli(['scan', '--output', join(d, 'a-folder'), log])).code, 2);
		assert.deepEqual(readdirSync(d).sort(), ['a-folder', 'azcmagent.log', 'report.json']);
	});

	it('defect 10: a truncated zip keeps every complete entry and reports the damaged one', async () => {
		const d = tmp();
		const tail = Array.from({ length: 3000 }, (_, i) => DEBUG(i)).join('\n');
		for (const level of [0, 6] as const) {
			const z = zipSync({ 'a/azcmagent.log': strToU8(FAILED_CONNECT), 'a/himds.log': strToU8(tail) }, { level });
			writeFileSync(join(d, `cut${level}.zip`), z.subarray(0, Math.floor(z.length * 0.6)));
			const r = await cli(['scan', '--format', 'json', join(d, `cut${level}.zip`)]);
			assert.equal(r.code, 2, `level ${level}`);
			const files = filesOf(r.out);
			const first = files.find((f) => f.archive?.entry === 'a/azcmagent.log');
			assert.ok(first, `level ${level}: the complete entry is reported`);
			assert.ok(first.findings.some((x) => x.id === 'AZCM0042'));
			assert.match(r.err, new RegExp(`cut${level}\\.zip!/a/himds\\.log: `));
		}
	});

	it('defect 11: names and log text cannot drive a terminal or a markdown viewer; zip entry names never leave the archive', async () => {
		const d = tmp();
		// Escape sequences in a path reach stderr escaped (OSC 52 clipboard write, clear screen).
		const evil = join(d, 'x\x1b]52;c;ZXZpbA==\x07\x1b[2J.log');
		const r = await cli(['scan', evil]);
		assert.equal(r.code, 2);
		assert.doesNotMatch(r.err, /\x1b|\x07/);
		assert.match(r.err, /\\x1b\]52;c;ZXZpbA==\\x07\\x1b\[2J\.log: no such file or folder/);

		// A zip entry that climbs out of the archive, with a log that carries a command link, bidi and zero-width characters.
		const log = 'time="2024-03-02T09:01:07Z" level=info msg="Exit Code:  AZCM0999: see [docs](command:workbench.action.terminal.sendSequence) <command:x> ab\u202ecd\u200bef"\n';
		writeFileSync(join(d, 'bundle.zip'), zipSync({ '../../etc/azcmagent.log': strToU8(log) }));
		const json = await cli(['scan', '--format', 'json', join(d, 'bundle.zip')]);
		const [f] = filesOf(json.out);
		assert.equal(f.path, `${join(d, 'bundle.zip')}!/etc/azcmagent.log`);
		assert.equal(f.archive?.entry, 'etc/azcmagent.log');
		const message = f.findings[0].message;
		assert.doesNotMatch(message, /\]\(command:|(?<!\\)<command:|\u202e|\u200b/);
		assert.match(message, /\[docs\]\\\(command:workbench/);
		assert.match(message, /ab\\u202ecd\\u200bef/);

		const sarif = JSON.parse((await cli(['scan', '--format', 'sarif', join(d, 'bundle.zip')])).out);
		const run = sarif.runs[0];
		assert.doesNotMatch(JSON.stringify(run.artifacts), /\.\./);
		const text: string = run.results[0].message.text;
		assert.doesNotMatch(text, /(?<!\\)\[|(?<!\\)\]|\u202e|\u200b/, 'SARIF: literal brackets escaped, invisible characters shown');

		const plain = await cli(['scan', join(d, 'bundle.zip')]);
		assert.doesNotMatch(plain.out, /\]\(command:|\u202e|\u200b/);
		assert.match(plain.out, /bundle\.zip!\/etc\/azcmagent\.log/);
	});

	it('defect 12: a NUL-padded log is analyzed; binary is decided by the proportion of control bytes; UTF-16 BE without a BOM is decoded', async () => {
		const d = tmp();
		// After a crash: the head of the log, a block of NUL bytes where the file system lost data, then the log goes on.
		writeFileSync(join(d, 'azcmagent.log'), Buffer.concat([Buffer.from(FAILED_CONNECT.slice(0, 100)), Buffer.alloc(4096), Buffer.from('\n' + FAILED_CONNECT)]));
		const be = Buffer.from(FAILED_CONNECT, 'utf16le').swap16();
		writeFileSync(join(d, 'utf16be.log'), be);
		const r = await cli(['scan', '--format', 'json', join(d, 'azcmagent.log'), join(d, 'utf16be.log')]);
		assert.equal(r.code, 1, r.err);
		const [padded, utf16be] = filesOf(r.out);
		assert.ok(padded.findings.some((x) => x.id === 'AZCM0042'));
		assert.ok(utf16be.findings.some((x) => x.id === 'AZCM0042' && x.line === 3), JSON.stringify(utf16be));

		assert.equal(isBinary(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 0, 1, 2, 3, 4, 5, 6, 7, 0x49, 0x48, 0x44, 0x52])), true);
		assert.equal(isBinary(Buffer.concat([Buffer.from(FAILED_CONNECT), Buffer.alloc(8192)])), false);
		assert.equal(isBinary(Buffer.from('plain text with one NUL \0 in it, and many more ordinary characters after it')), false);
	});

	it('defect 13: a line past the analyzed length is reported with a notice', async () => {
		const d = tmp();
		const long = `time="2024-03-02T09:01:07Z" level=info msg="${'x'.repeat(300 * 1024)} Exit Code:  AZCM0042: Failed"`;
		writeFileSync(join(d, 'azcmagent.log'), `${DEBUG(1)}\n${long}\n`);
		const r = await cli(['scan', '--format', 'json', join(d, 'azcmagent.log')]);
		assert.match(r.err, /azcmagent\.log: 1 lines longer than 256 KiB \(the first: line 2\): only their first 256 KiB are analyzed/);
		assert.deepEqual(filesOf(r.out)[0].notices, ['1 lines longer than 256 KiB (the first: line 2): only their first 256 KiB are analyzed']);
		const text = await cli(['scan', join(d, 'azcmagent.log')]);
		assert.match(text.out, /! 1 lines longer than 256 KiB/);
	});

	it('defect 8/13: a line longer than the line limit keeps its head and the line numbers of an editor, however it is chunked', async () => {
		const d = tmp();
		const text = `${DEBUG(1)}\n${'y'.repeat(5000)}\n${FAILED_CONNECT}`;
		writeFileSync(join(d, 'azcmagent.log'), text);
		writeFileSync(join(d, 'bundle.zip'), zipSync({ 'azcmagent.log': strToU8(text) }, { level: 0 }));
		const bytes = Buffer.from(text);
		const small = Array.from({ length: Math.ceil(bytes.length / 7) }, (_, i) => bytes.subarray(i * 7, i * 7 + 7));
		const [file, zip, stdin] = await withLimits({ maxLine: 1000 }, async () => [
			...filesOf((await cli(['scan', '--format', 'json', join(d, 'azcmagent.log'), join(d, 'bundle.zip')])).out),
			...filesOf((await cli(['scan', '--format', 'json', '-'], small)).out),
		]);
		assert.equal(file.lineCount, text.split('\n').length);
		assert.ok(file.findings.some((x) => x.id === 'AZCM0042' && x.line === 5), JSON.stringify(shape(file)));
		assert.deepEqual(shape(zip), shape(file));
		assert.deepEqual(shape(stdin), shape(file));
	});

	it('defect 13: a symlinked log in a folder is followed, a link loop is reported once, a broken link is a problem', async () => {
		const d = tmp();
		mkdirSync(join(d, 'real'));
		mkdirSync(join(d, 'scan'));
		writeFileSync(join(d, 'real', 'azcmagent.log.1'), FAILED_CONNECT);
		symlinkSync(join(d, 'real', 'azcmagent.log.1'), join(d, 'scan', 'azcmagent.log'));
		symlinkSync(join(d, 'scan'), join(d, 'scan', 'loop'));
		const r = await cli(['scan', '--format', 'json', join(d, 'scan')]);
		assert.equal(r.code, 1, r.err);
		assert.deepEqual(
			filesOf(r.out).map((f) => f.path),
			[join(d, 'scan', 'azcmagent.log')],
		);
		assert.match(r.err, /loop: a link to a folder already scanned/);
		symlinkSync(join(d, 'nowhere.log'), join(d, 'scan', 'himds.log'));
		const broken = await cli(['scan', '--format', 'json', join(d, 'scan')]);
		assert.equal(broken.code, 2);
		assert.match(broken.err, /himds\.log: a broken symbolic link/);
	});

	it('defect 13: a folder without logs is exit 2 with the reason', async () => {
		const d = tmp();
		writeFileSync(join(d, 'notes.md'), '# nothing\n');
		const r = await cli(['scan', d]);
		assert.equal(r.code, 2);
		assert.match(r.err, /no log files in this folder/);
	});

	it('defect 13: a FIFO is refused without hanging and later paths are scanned; stdin is read from `-`', () => {
		const d = tmp();
		const fifo = join(d, 'azcmagent.fifo.log');
		execFileSync('mkfifo', [fifo]);
		writeFileSync(join(d, 'azcmagent.log'), FAILED_CONNECT);
		const r = spawnSync(process.execPath, [CLI, 'scan', fifo, join(d, 'azcmagent.log')], { encoding: 'utf8', timeout: 20_000 });
		assert.equal(r.error, undefined, 'no hang');
		assert.equal(r.status, 2);
		assert.match(r.stderr, /azcmagent\.fifo\.log: not a regular file \(a pipe, socket or device\); not read/);
		assert.match(r.stdout, /AZCM0042/);

		const s = spawnSync(process.execPath, [CLI, 'scan', '--format', 'json', '-'], { input: FAILED_CONNECT, encoding: 'utf8', timeout: 20_000 });
		assert.equal(s.status, 1, s.stderr);
		const [f] = filesOf(s.stdout);
		assert.equal(f.path, '-');
		assert.ok(f.findings.some((x) => x.id === 'AZCM0042' && x.line === 3));
	});

	it('defect 13: stdin in-process, and the same findings as the file', async () => {
		const d = tmp();
		writeFileSync(join(d, 'azcmagent.log'), BIG_LOG);
		const bytes = Buffer.from(BIG_LOG);
		const chunks = [bytes.subarray(0, 1000), bytes.subarray(1000, 50_000), bytes.subarray(50_000)];
		const viaStdin = await cli(['scan', '--format', 'json', '-'], chunks);
		const viaFile = await cli(['scan', '--format', 'json', join(d, 'azcmagent.log')]);
		assert.deepEqual(shape(filesOf(viaStdin.out)[0]), shape(filesOf(viaFile.out)[0]));
		const none = await cli(['scan', '-']);
		assert.equal(none.code, 2);
		assert.match(none.err, /-: no standard input to read/);
	});

	it('zip entry names are made safe without losing what they name', () => {
		assert.equal(safeEntryName('../../etc/x'), 'etc/x');
		assert.equal(safeEntryName('/abs/./azcmagent.log'), 'abs/azcmagent.log');
		assert.equal(safeEntryName('C:\\Windows\\..\\azcmagent.log'), 'Windows/azcmagent.log');
		assert.equal(safeEntryName('..'), '_');
	});
});
