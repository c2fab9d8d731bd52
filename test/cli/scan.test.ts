// arc-logs scan, in-process: inputs (files, folders, zip bundles, UTF-16, binary, unreadable), exit status,
// the three renderings (golden files) and SARIF validity against the OASIS schema.
import * as assert from 'node:assert/strict';
import { writeFileSync, mkdirSync, readFileSync, existsSync, chmodSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { zipSync, strToU8 } from 'fflate';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { runCli, tempDirs } from './run';
import { LIMITS } from '../../server/src/node/files';

const repo = resolve(__dirname, '../../..');

const cli = (...argv: string[]) => runCli(argv);

const FAILED_CONNECT = [
	'time="2024-03-02T09:00:58+02:00" level=info msg="Agent Command: connect"',
	'time="2024-03-02T09:00:58+02:00" level=debug msg="Agent Version: 1.38.02546.1102"',
	'time="2024-03-02T09:01:06+02:00" level=debug msg="Put https://management.azure.com/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-arc/providers/Microsoft.HybridCompute/machines/web01?api-version=2022-12-27 403"',
	'time="2024-03-02T09:01:07+02:00" level=info msg="Exit Code:  AZCM0042: Failed to Create Resource"',
	'time="2024-03-02T09:01:07+02:00" level=info msg="For troubleshooting, see https://aka.ms/arc/azcmerror"',
	"time=\"2024-03-02T09:01:07+02:00\" level=fatal msg=\"RequestCorrelationId:1f0e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b Message: The client 'ops@contoso.com' with object id '9a8b7c6d-5e4f-3a2b-1c0d-9e8f7a6b5c4d' does not have authorization to perform action 'Microsoft.HybridCompute/machines/write' over scope '/subscriptions/11111111-2222-3333-4444-555555555555/resourcegroups/rg-arc/providers/Microsoft.HybridCompute/machines/web01' or the scope is invalid. If access was recently granted, please refresh your credentials. Code: AuthorizationFailed httpStatusCode:403 \"",
	'',
].join('\n');
const HEALTHY = [
	'time="2024-03-03T10:00:00Z" level=info msg="Agent Command: connect"',
	'time="2024-03-03T10:00:01Z" level=debug msg="Request to http://169.254.169.254/metadata/instance/compute?api-version=2020-06-01 returned 404 Not Found"',
	'time="2024-03-03T10:00:01Z" level=info msg="Azure not detected"',
	'time="2024-03-03T10:00:09Z" level=info msg="Successfully Onboarded Resource to Azure" VM Id=0b6c3f1e-2f0e-4f0e-9b7e-1c2d3e4f5a6b',
	'',
].join('\n');

const tmp = tempDirs('scan');

describe('cli: scan', () => {
	it('exit 1 with error findings, 0 on a healthy log, and prints the remediation step', async () => {
		const d = tmp();
		writeFileSync(join(d, 'azcmagent.log'), FAILED_CONNECT);
		writeFileSync(join(d, 'healthy.log'), HEALTHY);
		const bad = await cli('scan', join(d, 'azcmagent.log'));
		assert.equal(bad.code, 1);
		assert.match(bad.out, /4:\d+\s+error\s+AZCM0042/);
		// One failure event, one problem: the ARM 403 the fatal record states is the code's cause, and its remediation
		// (from the ARM-AUTHORIZATION-FAILED entry) comes first under the code.
		assert.doesNotMatch(bad.out, /error\s+ARM-AUTHORIZATION-FAILED/);
		assert.match(bad.out, /AZCM0042[^\n]*\n\s+→ Verify you or the service principal is a member of the Azure Connected Machine Onboarding role\.\n\s+→ /);
		assert.doesNotMatch(bad.out, /\x1b\[/, 'no colors when not a TTY');
		const good = await cli('scan', join(d, 'healthy.log'));
		assert.equal(good.code, 0, good.out + good.err);
		assert.match(good.out, /0 errors, 0 warnings in 1 files/);
		assert.equal((await cli('scan', '--exit-zero', join(d, 'azcmagent.log'))).code, 0);
	});

	it('bad usage is exit 2 with a one-line reason', async () => {
		for (const argv of [['scan'], ['scan', '--format', 'xml', 'x'], ['scan', '--bogus', 'x'], ['frobnicate']]) {
			const r = await cli(...argv);
			assert.equal(r.code, 2, argv.join(' '));
			assert.match(r.err.split('\n')[0], /^arc-logs: /);
		}
	});

	it('an unreadable path gets a reason on stderr, the other paths are still scanned, exit 2', async () => {
		const d = tmp();
		writeFileSync(join(d, 'azcmagent.log'), FAILED_CONNECT);
		const r = await cli('scan', '--format', 'json', join(d, 'missing.log'), join(d, 'azcmagent.log'));
		assert.equal(r.code, 2);
		assert.match(r.err, /missing\.log: no such file or folder/);
		const json = JSON.parse(r.out);
		assert.equal(json.files.length, 1);
		assert.ok(json.files[0].findings.some((f: { id: string }) => f.id === 'AZCM0042'));
		if (process.getuid?.() !== 0) {
			const locked = join(d, 'locked.log');
			writeFileSync(locked, HEALTHY);
			chmodSync(locked, 0);
			assert.match((await cli('scan', locked)).err, /permission denied/);
		}
	});

	it('folders: recursively, known names and sniffed content, nothing else', async () => {
		const d = tmp();
		mkdirSync(join(d, 'var/opt/azcmagent/log'), { recursive: true });
		writeFileSync(join(d, 'var/opt/azcmagent/log/azcmagent.log'), FAILED_CONNECT);
		writeFileSync(join(d, 'ticket-paste.txt'), FAILED_CONNECT);
		writeFileSync(join(d, 'notes.txt'), 'nothing to see here\n');
		writeFileSync(join(d, 'image.log'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 0, 1, 2]));
		const r = await cli('scan', '--format', 'json', d);
		const paths = JSON.parse(r.out).files.map((f: { path: string }) => f.path.slice(d.length + 1)).sort();
		assert.deepEqual(paths, ['ticket-paste.txt', 'var/opt/azcmagent/log/azcmagent.log']);
		assert.equal(r.code, 1);
	});

	it('zip bundles are read in memory: logs analyzed, other entries skipped', async () => {
		const d = tmp();
		const zip = zipSync({
			'azcmagent-logs/azcmagent.log': strToU8(FAILED_CONNECT),
			'azcmagent-logs/himds.log': strToU8(HEALTHY),
			'azcmagent-logs/config/agentconfig.json': strToU8('{"tenantid":"x"}'),
			'azcmagent-logs/cert.pfx': new Uint8Array([0, 1, 2, 3, 0, 0, 0]),
		});
		writeFileSync(join(d, 'bundle.zip'), zip);
		const r = await cli('scan', '--format', 'json', join(d, 'bundle.zip'));
		const files = JSON.parse(r.out).files;
		assert.deepEqual(files.map((f: { archive: { entry: string } }) => f.archive.entry).sort(), ['azcmagent-logs/azcmagent.log', 'azcmagent-logs/himds.log']);
		assert.equal(r.code, 1);
		assert.equal(existsSync(join(d, 'azcmagent-logs')), false, 'nothing extracted to disk');
	});

	it('a zip bomb is cut off with a reason, a corrupt zip is a clear error', async () => {
		const d = tmp();
		const saved = LIMITS.maxInputBytes;
		LIMITS.maxInputBytes = 1024 * 1024;
		try {
			const bomb = zipSync({ 'azcmagent.log': new Uint8Array(8 * 1024 * 1024).fill(0x41) }, { level: 9 });
			assert.ok(bomb.length < 64 * 1024);
			writeFileSync(join(d, 'bomb.zip'), bomb);
			const r = await cli('scan', join(d, 'bomb.zip'));
			assert.equal(r.code, 2);
			assert.match(r.err, /bomb\.zip!\/azcmagent\.log: truncated at 1 MB \(the limit per input\); the rest is not analyzed/);
		} finally {
			LIMITS.maxInputBytes = saved;
		}
		writeFileSync(join(d, 'corrupt.zip'), Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(100, 0xff)]));
		writeFileSync(join(d, 'fake.zip'), 'not a zip at all');
		const r = await cli('scan', join(d, 'corrupt.zip'), join(d, 'fake.zip'));
		assert.equal(r.code, 2);
		assert.match(r.err, /corrupt\.zip: /);
		assert.match(r.err, /fake\.zip: not a zip archive/);
	});

	it('decodes UTF-16 with a BOM and survives invalid UTF-8, CRLF and an empty file', async () => {
		const d = tmp();
		const crlf = FAILED_CONNECT.replace(/\n/g, '\r\n');
		writeFileSync(join(d, 'utf16.log'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(crlf, 'utf16le')]));
		writeFileSync(join(d, 'latin1.log'), Buffer.concat([Buffer.from(FAILED_CONNECT.slice(0, 200)), Buffer.from([0xc3, 0x28, 0xff, 0x81, 0x0a]), Buffer.from(FAILED_CONNECT.slice(200))]));
		writeFileSync(join(d, 'empty.log'), '');
		const r = await cli('scan', '--format', 'json', join(d, 'utf16.log'), join(d, 'latin1.log'), join(d, 'empty.log'));
		assert.equal(r.code, 1, r.err);
		const [u16, latin, empty] = JSON.parse(r.out).files;
		assert.equal(u16.format, 'azcmagent-log');
		assert.ok(u16.findings.some((f: { id: string; line: number }) => f.id === 'AZCM0042' && f.line === 4));
		assert.ok(latin.findings.some((f: { id: string }) => f.id === 'AZCM0042'));
		assert.equal(empty.findings.length, 0);
	});

	it('escapes control characters of log text on the terminal', async () => {
		const d = tmp();
		writeFileSync(join(d, 'azcmagent.log'), 'time="2024-03-02T09:01:07Z" level=info msg="Exit Code:  AZCM0999: Evil \x1b[2J title"\n');
		const r = await cli('scan', join(d, 'azcmagent.log'));
		assert.doesNotMatch(r.out, /\x1b\[2J/);
		assert.match(r.out, /\\x1b\[2J/);
	});

	it('--output writes the report to a file; --locale sv localizes it', async () => {
		const d = tmp();
		writeFileSync(join(d, 'azcmagent.log'), FAILED_CONNECT);
		const r = await cli('scan', '--locale', 'sv', '--output', join(d, 'report.txt'), join(d, 'azcmagent.log'));
		assert.equal(r.out, '');
		const text = readFileSync(join(d, 'report.txt'), 'utf8');
		assert.match(text, /fel/);
		assert.equal((await cli('scan', '--output', join(d, 'no/such/dir/r.txt'), join(d, 'azcmagent.log'))).code, 2);
	});
});

describe('cli: scan renderings (golden) and SARIF schema', () => {
	const input = join(repo, 'test/data/golden/input');
	const golden = join(repo, 'test/data/golden');
	const cases: [string, string[]][] = [
		['report.txt', ['--format', 'text']],
		['report.json', ['--format', 'json']],
		['report.sarif', ['--format', 'sarif']],
		['report.sv.sarif', ['--format', 'sarif', '--locale', 'sv']],
	];
	for (const [file, flags] of cases) {
		it(`golden: ${file}`, async () => {
			const prev = process.cwd();
			process.chdir(golden);
			let r;
			try {
				r = await cli('scan', ...flags, 'input');
			} finally {
				process.chdir(prev);
			}
			assert.equal(r.code, 1, r.err);
			if (process.env.UPDATE_GOLDEN) writeFileSync(join(golden, file), r.out);
			assert.equal(r.out, readFileSync(join(golden, file), 'utf8'));
		});
	}
	it('the SARIF output is valid SARIF 2.1.0 with rules, helpUri, localized help and related locations', async () => {
		const ajv = new Ajv({ strict: false, allErrors: true });
		addFormats(ajv);
		const validate = ajv.compile(JSON.parse(readFileSync(join(repo, 'test/data/sarif-schema-2.1.0.json'), 'utf8')));
		for (const locale of ['en', 'sv', 'nl']) {
			const r = await cli('scan', '--format', 'sarif', '--locale', locale, input);
			assert.ok(validate(JSON.parse(r.out)), JSON.stringify(validate.errors, null, 1));
			const sarif = JSON.parse(r.out);
			const run = sarif.runs[0];
			assert.ok(run.tool.driver.rules.length > 0);
			for (const rule of run.tool.driver.rules) assert.match(rule.helpUri, /^https:\/\//);
			const results = run.results as { ruleId: string; relatedLocations?: unknown[]; locations: { physicalLocation: { region: { startLine: number } } }[] }[];
			assert.ok(results.some((x) => x.relatedLocations?.length));
			assert.ok(results.every((x) => x.locations[0].physicalLocation.region.startLine >= 1));
		}
	});
});
