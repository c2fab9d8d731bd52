// arc-logs scan on tar and tar.gz bundles (`cloud-init collect-logs`), read through the core's archive reader:
// logs analyzed in memory, other members skipped, nothing extracted to disk, a damaged tarball a clear problem.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCli } from './run';

const repo = resolve(__dirname, '../../..');

describe('arc-logs scan: tar and tar.gz bundles', () => {
	let d: string;
	before(() => {
		d = mkdtempSync(join(tmpdir(), 'arc-logs-tar-'));
		const src = join(d, 'src/cloud-init-logs');
		mkdirSync(src, { recursive: true });
		writeFileSync(join(src, 'cloud-init-output.log'), readFileSync(join(repo, 'samples/nexus-vm/cloud-init-output.log')));
		writeFileSync(join(src, 'cloud-init.log'), readFileSync(join(repo, 'test/corpus/logs/cloud-init-log/amzn2-cloudinit-19.3-scripts-user-failed.log')));
		writeFileSync(join(src, 'version'), '/usr/bin/cloud-init 23.4\n');
		writeFileSync(join(src, 'nested.tar.gz'), new Uint8Array([0x1f, 0x8b, 8, 0]));
		execFileSync('tar', ['-czf', join(d, 'cloud-init.tar.gz'), '-C', join(d, 'src'), 'cloud-init-logs']);
		execFileSync('tar', ['-cf', join(d, 'cloud-init.tar'), '-C', join(d, 'src'), 'cloud-init-logs']);
		rmSync(join(d, 'src'), { recursive: true });
	});
	after(() => rmSync(d, { recursive: true, force: true }));

	for (const name of ['cloud-init.tar.gz', 'cloud-init.tar']) {
		it(`${name}: the logs are analyzed, other members skipped, nested archives noted`, async () => {
			const r = await runCli(['scan', '--format', 'json', join(d, name)]);
			const files = JSON.parse(r.out).files as { path: string; archive: { path: string; entry: string }; findings: { id?: string; ruleId?: string }[] }[];
			assert.deepEqual(files.map((f) => f.archive.entry).sort(), ['cloud-init-logs/cloud-init-output.log', 'cloud-init-logs/cloud-init.log']);
			assert.ok(files.every((f) => f.path === `${join(d, name)}!/${f.archive.entry}` && f.findings.length > 0), 'both logs have findings');
			assert.match(r.out, /AZCM0042/);
			assert.match(r.err, /nested\.tar\.gz: nested archive not scanned/);
			assert.equal(r.code, 1);
			assert.equal(existsSync(join(d, 'cloud-init-logs')), false, 'nothing extracted to disk');
		});
	}

	it('a truncated tar.gz keeps what was read and says it is damaged; a gzip that is no tar is a clear error', async () => {
		const whole = readFileSync(join(d, 'cloud-init.tar.gz'));
		writeFileSync(join(d, 'cut.tgz'), whole.subarray(0, Math.floor(whole.length / 2)));
		writeFileSync(join(d, 'azcmagent.log.gz'), execFileSync('gzip', ['-c'], { input: 'time="2024-03-03T10:00:00Z" level=info msg="Agent Command: connect"\n' }));
		const r = await runCli(['scan', join(d, 'cut.tgz'), join(d, 'azcmagent.log.gz')]);
		assert.equal(r.code, 2);
		assert.match(r.err, /cut\.tgz: damaged archive \(/);
		assert.match(r.err, /azcmagent\.log\.gz: not a zip, tar or tar\.gz archive/);
	});
});
