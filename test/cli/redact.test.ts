// arc-logs redact, in-process: files and standard input (in chunks cut anywhere), line breaks kept, placeholders
// consistent across the input, the kinds flag, and bad input (folders, zips, binary, missing files, bad flags).
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { redactText } from '../../server/src/core/redact';
import { runCli } from './run';

const repo = resolve(__dirname, '../../..');
const LOG = join(repo, 'test/fixtures/logs/azcmagent-log/connect-authorization-failed-403.log');
const TENANT = '24295870-b4f1-4b71-b660-983bf58411c3';

let dir: string;
before(() => (dir = mkdtempSync(join(tmpdir(), 'arc-logs-redact-'))));
after(() => rmSync(dir, { recursive: true, force: true }));

/** `text` as stdin chunks of `size` bytes (cutting lines, GUIDs and CRLF pairs anywhere). */
function chunks(text: string | Uint8Array, size: number): Uint8Array[] {
	const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
	const out: Uint8Array[] = [];
	for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
	return out;
}

describe('cli: arc-logs redact', () => {
	it('a file: the same text as the core redacts, on stdout; a count on stderr', async () => {
		const text = readFileSync(LOG, 'utf8');
		const r = await runCli(['redact', LOG]);
		assert.equal(r.code, 0, r.err);
		assert.equal(r.out, redactText(text).text);
		assert.ok(!r.out.includes(TENANT));
		assert.match(r.out, /--tenant-id <tenant-1> /);
		assert.match(r.err, /^arc-logs: redacted \d+ values \(\d+ distinct\): ids, tokens, secrets\n$/);
	});

	it('standard input in chunks cut anywhere gives the same output as one piece; CRLF, LF and the last line kept', async () => {
		const text = [
			'a --tenant-id 2a98202e-421c-4d4d-9c3e-1a2b3c4d5e6f password=hunter22\r',
			'b ' + 'x'.repeat(5000) + ' sig=abcdef',
			'c tenant 2A98202E-421C-4D4D-9C3E-1A2B3C4D5E6F from 10.1.2.3 — ünïcode',
			'',
			'd --tenant-id 1baa39d4-5788-4c1e-9d2a-5f2b3c4d5e6f no final break',
		].join('\n');
		const whole = await runCli(['redact', '--kinds', 'ids,secrets,tokens,ips', '-'], [Buffer.from(text)]);
		assert.equal(whole.code, 0, whole.err);
		assert.equal(
			whole.out,
			[
				'a --tenant-id <tenant-1> password=<secret-1>\r',
				'b ' + 'x'.repeat(5000) + ' sig=<token-1>',
				'c tenant <tenant-1> from <ip-1> — ünïcode',
				'',
				'd --tenant-id <tenant-2> no final break',
			].join('\n'),
		);
		for (const size of [1, 2, 3, 7, 64, 4096]) {
			const r = await runCli(['redact', '--kinds', 'ids,secrets,tokens,ips', '-'], chunks(text, size));
			assert.equal(r.out, whole.out, `chunks of ${size}`);
		}
	});

	it('a stream keeps the placeholder of a value across the whole input (values far apart)', async () => {
		const lines = Array.from({ length: 20000 }, (_, i) => (i % 5000 === 0 ? `--subscription-id 015fdd1e-82df-4141-93b6-b099c7ea39aa line ${i}` : `line ${i}`));
		const r = await runCli(['redact', '-'], chunks(lines.join('\n') + '\n', 65536));
		const out = r.out.split('\n');
		assert.equal(out.length, 20001);
		for (let i = 0; i < 20000; i += 5000) assert.equal(out[i], `--subscription-id <subscription-1> line ${i}`);
	});

	it('a file is read twice: a GUID is named by a context later in the file', async () => {
		const file = join(dir, 'later.log');
		writeFileSync(file, 'job 2a98202e-421c-4d4d-9c3e-1a2b3c4d5e6f started\n--tenant-id 2a98202e-421c-4d4d-9c3e-1a2b3c4d5e6f\n');
		assert.equal((await runCli(['redact', file])).out, 'job <tenant-1> started\n--tenant-id <tenant-1>\n');
	});

	it('--kinds all adds addresses, host names and user names; UTF-16 input is decoded', async () => {
		const file = join(dir, 'utf16.log');
		const text = 'proxy http://svc:pw1@webproxy.contoso.com:3128 from 10.20.30.40 in /home/alice\n';
		writeFileSync(file, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
		const r = await runCli(['redact', '--kinds=all', file]);
		assert.equal(r.code, 0, r.err);
		assert.equal(r.out, 'proxy http://<user-1>:<secret-1>@<host-1>:3128 from <ip-1> in /home/<user-2>\n');
	});

	it('empty input: empty output', async () => {
		const file = join(dir, 'empty.log');
		writeFileSync(file, '');
		const r = await runCli(['redact', file]);
		assert.deepEqual([r.code, r.out], [0, '']);
	});

	it('bad usage and unreadable input: exit 2 with a one-line reason, nothing on stdout', async () => {
		const zip = join(dir, 'bundle.zip');
		writeFileSync(zip, zipSync({ 'azcmagent.log': strToU8('x') }));
		const bin = join(dir, 'core.bin');
		writeFileSync(bin, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0, 1, 2, 3, 0, 0]));
		for (const [argv, why] of [
			[['redact', '--kinds', 'ids,bogus', LOG], /--kinds takes/],
			[['redact', '--kinds', '', LOG], /--kinds takes/],
			[['redact', LOG, LOG], /one FILE/],
			[['redact', join(dir, 'missing.log')], /no such file/],
			[['redact', dir], /is a folder/],
			[['redact', zip], /zip archive/],
			[['redact', bin], /binary file/],
		] as const) {
			const r = await runCli([...argv]);
			assert.equal(r.code, 2, argv.join(' '));
			assert.equal(r.out, '', argv.join(' '));
			assert.match(r.err, why);
		}
		const binary = await runCli(['redact', '-'], [Buffer.from([0, 1, 2, 0, 0, 0, 3])]);
		assert.equal(binary.code, 2);
		assert.match(binary.err, /binary file/);
	});

	it('--help lists redact', async () => {
		const r = await runCli(['--help']);
		assert.match(r.out, /redact \[--kinds ids,tokens,secrets,ips,hosts,users\|all\]/);
	});
});
