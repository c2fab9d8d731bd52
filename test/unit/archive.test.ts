// The pure archive reader (server/src/core/archive): zip, tar and tar.gz bundles built here from the vendored real
// logs (test/corpus) — by fflate, by GNU tar where the machine has it, and by a small ustar writer for the hostile
// cases (names with `..`, links, bad checksums) no well-behaved tool writes.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { deflateSync, gzipSync, strToU8, zipSync, type Zippable } from 'fflate';
import { archiveFormat, describeArchiveProblem, LIMITS, openArchive, type Archive, type ArchiveProblem } from '../../server/src/core/archive';

const repo = resolve(__dirname, '../../..');
const corpus = (p: string) => readFileSync(join(repo, 'test/corpus/logs', p));
const AZCM = 'azcmagent-console/ubuntu2404-azcmagent-connect-and-show-healthy.log';
const CI_LOG = 'cloud-init-log/amzn2-cloudinit-19.3-scripts-user-failed.log';
const CI_OUT = 'cloud-init-output/amzn2-userdata-sonarqube-unzip-cp-failures.log';

/** A ustar header block + data blocks. */
function tarEntry(name: string, data: Uint8Array | string, opts: { type?: string; link?: string; prefix?: string; badChecksum?: boolean } = {}): Uint8Array {
	const bytes = typeof data === 'string' ? strToU8(data) : data;
	const h = new Uint8Array(512);
	const put = (o: number, s: string) => h.set(strToU8(s), o);
	put(0, name);
	put(100, '0000644\0');
	put(108, '0000000\0');
	put(116, '0000000\0');
	put(124, bytes.length.toString(8).padStart(11, '0') + '\0');
	put(136, '14557462000\0');
	put(156, opts.type ?? '0');
	if (opts.link) put(157, opts.link);
	put(257, 'ustar\0');
	put(263, '00');
	if (opts.prefix) put(345, opts.prefix);
	h.fill(32, 148, 156);
	const sum = h.reduce((a, b) => a + b, 0) + (opts.badChecksum ? 1 : 0);
	put(148, sum.toString(8).padStart(6, '0') + '\0 ');
	const out = new Uint8Array(512 + Math.ceil(bytes.length / 512) * 512);
	out.set(h);
	out.set(bytes, 512);
	return out;
}
function tar(...entries: Uint8Array[]): Uint8Array {
	const total = entries.reduce((n, e) => n + e.length, 0) + 1024;
	const out = new Uint8Array(total);
	let at = 0;
	for (const e of entries) {
		out.set(e, at);
		at += e.length;
	}
	return out;
}
const text = (a: Archive, name: string) => {
	const r = a.read(name);
	assert.ok('bytes' in r, `${name}: ${JSON.stringify(r)}`);
	return Buffer.from(r.bytes).toString('utf8');
};
const kinds = (ps: readonly ArchiveProblem[]) => ps.map((p) => p.kind);

describe('archive (core)', () => {
	describe('zip', () => {
		const files: Zippable = {
			'bundle/azcmagent.log': corpus(AZCM),
			'bundle/cloud-init/cloud-init.log': [corpus(CI_LOG), { level: 9 }],
			'bundle/cloud-init/cloud-init-output.log': [corpus(CI_OUT), { level: 0 }],
			'bundle/empty/': new Uint8Array(0),
		};
		const a = openArchive(zipSync(files));

		it('lists the members of a zip by path, folders implied, stored and deflated alike', () => {
			assert.equal(a.format, 'zip');
			assert.deepEqual(a.problems, []);
			assert.deepEqual(
				a.members.map((m) => m.name),
				['bundle/azcmagent.log', 'bundle/cloud-init/cloud-init.log', 'bundle/cloud-init/cloud-init-output.log'],
			);
			assert.equal(a.members[1].size, corpus(CI_LOG).length);
			assert.ok(a.members[0].mtime && a.members[0].mtime > Date.UTC(2020, 0, 1));
			const root = a.tree.get('bundle');
			assert.ok(root?.type === 'folder');
			assert.deepEqual([...root.children.keys()], ['azcmagent.log', 'cloud-init']);
			assert.deepEqual(
				a.tree.files('bundle/cloud-init').map((m) => m.name),
				['bundle/cloud-init/cloud-init-output.log', 'bundle/cloud-init/cloud-init.log'],
			);
		});

		it('reads every member back byte for byte', () => {
			assert.equal(text(a, 'bundle/azcmagent.log'), corpus(AZCM).toString('utf8'));
			assert.equal(text(a, 'bundle/cloud-init/cloud-init.log'), corpus(CI_LOG).toString('utf8'));
			assert.equal(text(a, '/bundle/cloud-init/cloud-init-output.log'), corpus(CI_OUT).toString('utf8'));
			const missing = a.read('bundle/nope.log');
			assert.ok('error' in missing && missing.error.kind === 'missing');
			assert.ok('error' in a.read('bundle/cloud-init'), 'a folder is not read as a file');
		});

		it('keeps `..`, absolute and drive-letter names inside the archive', () => {
			const z = openArchive(zipSync({ '../../etc/passwd': strToU8('x'), '/abs/azcmagent.log': strToU8('y'), 'C:/win/himds.log': strToU8('z') }));
			assert.deepEqual(
				z.members.map((m) => m.name),
				['etc/passwd', 'abs/azcmagent.log', 'win/himds.log'],
			);
			assert.equal(text(z, 'etc/passwd'), 'x');
		});

		it('does not follow symbolic links (listed as problems, not members)', () => {
			const z = openArchive(zipSync({ 'link.log': [strToU8('/etc/shadow'), { os: 3, attrs: (0o120777 << 16) >>> 0 }], 'azcmagent.log': corpus(AZCM) }));
			assert.deepEqual(
				z.members.map((m) => m.name),
				['azcmagent.log'],
			);
			assert.deepEqual(z.problems, [{ kind: 'link', entry: 'link.log' }]);
		});

		it('cuts a bomb member off at LIMITS.maxInputBytes', () => {
			const saved = LIMITS.maxInputBytes;
			LIMITS.maxInputBytes = 1024 * 1024;
			try {
				const z = openArchive(zipSync({ 'azcmagent.log': [new Uint8Array(4 * 1024 * 1024), { level: 1 }] }));
				assert.ok(z.members[0].size === 4 * 1024 * 1024);
				const r = z.read('azcmagent.log');
				assert.ok('bytes' in r);
				assert.equal(r.bytes.length, 1024 * 1024);
				assert.equal(r.truncated, true);
			} finally {
				LIMITS.maxInputBytes = saved;
			}
		});

		it('says what is wrong with an empty, a truncated or a corrupt zip, and never throws', () => {
			assert.deepEqual(kinds(openArchive(zipSync({})).problems), ['empty']);
			assert.deepEqual(kinds(openArchive(new Uint8Array(0)).problems), ['empty']);
			// Cut in the middle of the second member: no central directory, the first member is still there.
			const whole = zipSync({ 'azcmagent.log': [corpus(AZCM), { level: 0 }], 'cloud-init.log': [corpus(CI_LOG), { level: 0 }] });
			const cut = openArchive(whole.subarray(0, corpus(AZCM).length + 200));
			assert.deepEqual(
				cut.members.map((m) => m.name),
				['azcmagent.log'],
			);
			assert.equal(cut.problems[0].kind, 'damaged');
			assert.equal(text(cut, 'azcmagent.log'), corpus(AZCM).toString('utf8'));
			// Deflate data overwritten with garbage: that member reads as damaged, the archive still lists.
			const bad = zipSync({ 'azcmagent.log': [corpus(AZCM), { level: 6 }] });
			const deflated = deflateSync(corpus(AZCM), { level: 6 });
			const at = 30 + 'azcmagent.log'.length;
			bad.fill(0xff, at + 10, at + Math.min(deflated.length, 400));
			const r = openArchive(bad).read('azcmagent.log');
			assert.ok('error' in r && r.error.kind === 'damaged', JSON.stringify(r));
			// Random bytes behind a zip signature.
			const junk = new Uint8Array(4096).map((_, i) => (i * 7919) % 251);
			junk.set([0x50, 0x4b, 3, 4]);
			const j = openArchive(junk);
			assert.equal(j.members.length, 0);
			assert.ok(j.problems.length > 0);
		});

		it('reads a zip behind a stub (self-extracting) and one whose central directory offset is wrong', () => {
			const zip = zipSync({ 'azcmagent.log': corpus(AZCM), 'cloud-init.log': corpus(CI_LOG) });
			const stub = Buffer.concat([Buffer.from('#!/bin/sh\nexit 0\n'.repeat(50)), zip]);
			const a = openArchive(new Uint8Array(stub.buffer, stub.byteOffset, stub.length));
			assert.deepEqual(a.problems, []);
			assert.equal(text(a, 'cloud-init.log'), corpus(CI_LOG).toString('utf8'));
			// The end record points into the void: read from the local headers, said to be damaged.
			const wrong = Buffer.from(zip);
			const eocd = wrong.lastIndexOf(Buffer.from([0x50, 0x4b, 5, 6]));
			wrong.writeUInt32LE(7, eocd + 16);
			wrong.writeUInt32LE(1, eocd + 12);
			const w = openArchive(new Uint8Array(wrong));
			assert.deepEqual(
				w.members.map((m) => m.name),
				['azcmagent.log', 'cloud-init.log'],
			);
			assert.deepEqual(kinds(w.problems), ['damaged']);
			assert.equal(text(w, 'azcmagent.log'), corpus(AZCM).toString('utf8'));
		});

		it('reads a zip with an unsupported compression method as a problem, and an encrypted member as a problem', () => {
			const z = zipSync({ 'a.log': [strToU8('hello'), { level: 0 }], 'b.log': [strToU8('world'), { level: 0 }] });
			// method field of the central records (offset 10) and of the first local header (offset 8)
			const view = Buffer.from(z);
			const cd = view.indexOf(Buffer.from([0x50, 0x4b, 1, 2]));
			view.writeUInt16LE(14, cd + 10);
			const cd2 = view.indexOf(Buffer.from([0x50, 0x4b, 1, 2]), cd + 4);
			view.writeUInt16LE(view.readUInt16LE(cd2 + 8) | 1, cd2 + 8);
			const a2 = openArchive(new Uint8Array(view));
			assert.deepEqual(a2.members, []);
			assert.deepEqual(a2.problems, [
				{ kind: 'unsupported-compression', entry: 'a.log', method: 14 },
				{ kind: 'encrypted', entry: 'b.log' },
			]);
		});
	});

	describe('tar and tar.gz', () => {
		it('lists and reads a tar.gz of real logs, with a ustar prefix, folders and a later duplicate', () => {
			const bytes = tar(
				tarEntry('bundle/', '', { type: '5' }),
				tarEntry('azcmagent.log', corpus(AZCM), { prefix: 'bundle' }),
				tarEntry('bundle/cloud-init.log', corpus(CI_LOG)),
				tarEntry('bundle/cloud-init.log', 'second copy'),
			);
			const a = openArchive(gzipSync(bytes));
			assert.equal(a.format, 'tar.gz');
			assert.deepEqual(
				a.members.map((m) => m.name),
				['bundle/azcmagent.log', 'bundle/cloud-init.log'],
			);
			assert.deepEqual(a.problems, [{ kind: 'duplicate', entry: 'bundle/cloud-init.log' }]);
			assert.equal(text(a, 'bundle/azcmagent.log'), corpus(AZCM).toString('utf8'));
			assert.equal(text(a, 'bundle/cloud-init.log'), corpus(CI_LOG).toString('utf8'));
			assert.equal(a.members[0].mtime, 0o14557462000 * 1000);
			// The same bytes uncompressed are a plain tar.
			assert.equal(openArchive(bytes).format, 'tar');
			assert.equal(text(openArchive(bytes), 'bundle/cloud-init.log'), corpus(CI_LOG).toString('utf8'));
		});

		it('keeps `..` and absolute names inside, and does not follow links', () => {
			const a = openArchive(
				tar(tarEntry('../../etc/cron.d/x', 'evil'), tarEntry('/var/log/azcmagent.log', 'a'), tarEntry('himds.log', '', { type: '2', link: '/etc/shadow' }), tarEntry('hard.log', '', { type: '1', link: 'x' })),
			);
			assert.deepEqual(
				a.members.map((m) => m.name),
				['etc/cron.d/x', 'var/log/azcmagent.log'],
			);
			assert.deepEqual(a.problems, [
				{ kind: 'link', entry: 'himds.log' },
				{ kind: 'link', entry: 'hard.log' },
			]);
		});

		it('stops at a header with a bad checksum, keeping the members before it', () => {
			const a = openArchive(gzipSync(tar(tarEntry('azcmagent.log', corpus(AZCM)), tarEntry('cloud-init.log', 'x', { badChecksum: true }), tarEntry('after.log', 'y'))));
			assert.deepEqual(
				a.members.map((m) => m.name),
				['azcmagent.log'],
			);
			assert.equal(a.problems.length, 1);
			assert.equal(a.problems[0].kind, 'damaged');
		});

		it('reports a truncated tar.gz and a member cut off by the end of the data', () => {
			const gz = gzipSync(tar(tarEntry('azcmagent.log', corpus(AZCM)), tarEntry('cloud-init.log', corpus(CI_LOG))));
			const a = openArchive(gz.subarray(0, Math.floor(gz.length * 0.8)));
			assert.equal(a.format, 'tar.gz');
			assert.ok(kinds(a.problems).includes('damaged'), JSON.stringify(a.problems));
			assert.ok(a.members.every((m) => 'bytes' in a.read(m.name)));
		});

		it('cuts a gzip bomb off at LIMITS.maxArchiveBytes', () => {
			const saved = LIMITS.maxArchiveBytes;
			LIMITS.maxArchiveBytes = 1024 * 1024;
			try {
				const a = openArchive(gzipSync(tar(tarEntry('azcmagent.log', corpus(AZCM)), tarEntry('zeros.log', new Uint8Array(4 * 1024 * 1024))), { level: 9 }));
				assert.deepEqual(
					a.members.map((m) => m.name),
					['azcmagent.log'],
				);
				assert.deepEqual(kinds(a.problems), ['archive-limit', 'damaged']);
			} finally {
				LIMITS.maxArchiveBytes = saved;
			}
		});

		it('says "empty" for an empty tar and a gzip of nothing, "not an archive" for other bytes', () => {
			assert.deepEqual(kinds(openArchive(new Uint8Array(1024)).problems), ['not-an-archive']);
			assert.deepEqual(kinds(openArchive(gzipSync(new Uint8Array(1024))).problems), ['empty']);
			assert.deepEqual(kinds(openArchive(gzipSync(strToU8('time="2024" level=info msg="a log, not a tar"'))).problems), ['not-an-archive']);
			assert.deepEqual(kinds(openArchive(corpus(AZCM)).problems), ['not-an-archive']);
			assert.equal(archiveFormat(corpus(AZCM)), undefined);
		});

		it('reads what GNU tar writes: gnu and pax long names, symlinks, gzip', function () {
			const dir = mkdtempSync(join(tmpdir(), 'arc-logs-archive-'));
			try {
				const long = 'var/log/' + 'azure-arc-support-bundle-with-a-long-folder-name/'.repeat(3) + 'azcmagent.log';
				mkdirSync(join(dir, 'src', long, '..'), { recursive: true });
				writeFileSync(join(dir, 'src', long), corpus(AZCM));
				writeFileSync(join(dir, 'src/cloud-init-output.log'), corpus(CI_OUT));
				symlinkSync('/etc/passwd', join(dir, 'src/passwd.log'));
				for (const format of ['gnu', 'pax', 'ustar']) {
					const out = join(dir, `b-${format}.tgz`);
					execFileSync('tar', ['-czf', out, `--format=${format}`, '-C', join(dir, 'src'), '.'], { stdio: 'ignore' });
					const a = openArchive(readFileSync(out));
					assert.equal(a.format, 'tar.gz');
					assert.deepEqual(a.members.map((m) => m.name).sort(), ['cloud-init-output.log', long].sort(), format);
					assert.deepEqual(a.problems, [{ kind: 'link', entry: 'passwd.log' }], format);
					assert.equal(text(a, long), corpus(AZCM).toString('utf8'));
				}
			} finally {
				rmSync(dir, { recursive: true, force: true });
			}
		});
	});

	it('words every problem in en, sv and nl', () => {
		const all: ArchiveProblem[] = [
			{ kind: 'empty' },
			{ kind: 'not-an-archive' },
			{ kind: 'too-large', limit: 512 * 1024 * 1024 },
			{ kind: 'too-many-entries', limit: 10000 },
			{ kind: 'archive-limit', limit: 1024 * 1024 * 1024 },
			{ kind: 'unsupported-compression', entry: 'a.log', method: 14 },
			{ kind: 'encrypted', entry: 'a.log' },
			{ kind: 'link', entry: 'a.log' },
			{ kind: 'duplicate', entry: 'a.log' },
			{ kind: 'missing', entry: 'a.log' },
			{ kind: 'damaged', detail: 'x' },
		];
		for (const p of all) {
			const en = describeArchiveProblem(p, 'en');
			assert.ok(!/\{\d\}/.test(en), en);
			for (const locale of ['sv', 'nl'] as const) assert.notEqual(describeArchiveProblem(p, locale), en, `${locale}: ${en}`);
		}
		assert.equal(describeArchiveProblem({ kind: 'too-large', limit: 512 * 1024 * 1024 }, 'en'), 'archive larger than 512 MB; not read');
	});
});
