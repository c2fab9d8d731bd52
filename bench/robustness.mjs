// Robustness bench (issue 9): time and peak memory of hostile inputs, each case in its own child process with a
// timeout. Numbers, not pass/fail.
//   node bench/robustness.mjs                       this checkout (builds it first: node build.mjs)
//   node bench/robustness.mjs --root DIR            another checkout (e.g. `git archive af24e99` unpacked, built)
//   node bench/robustness.mjs --timeout 60 --markdown --only 'custom|glob'   (--only: a regex over the case names)
// Cases: 16 MiB of blank lines (CLI scan of a file), a zip bomb (2 GiB of newlines deflated, CLI scan), three ReDoS
// custom patterns on a 128-character line (Analyzer with arcLogs.customPatterns), and the severity-override glob
// `**************!` applied to the ids of the fixtures' findings. Peak memory = the child's max RSS (/usr/bin/time).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync, openSync, writeSync, closeSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import * as esbuild from 'esbuild';
import { Zip, ZipDeflate } from 'fflate';

const argv = process.argv.slice(2);
const opt = (name, dflt) => {
	const i = argv.indexOf(name);
	return i >= 0 ? argv[i + 1] : dflt;
};
const here = new URL('.', import.meta.url).pathname;
const root = resolve(opt('--root', join(here, '..')));
const timeout = Number(opt('--timeout', '60'));
const work = join(tmpdir(), 'arc-logs-robustness-bench');
mkdirSync(work, { recursive: true });

if (!argv.includes('--no-build')) {
	const r = spawnSync(process.execPath, ['build.mjs'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
	if (r.status !== 0) throw new Error(`build of ${root} failed`);
}

// ---- inputs (cached in the temp folder) --------------------------------------------------------------------------

function blankLines() {
	const p = join(work, 'blank-16MiB.log');
	if (!existsSync(p)) writeFileSync(p, Buffer.alloc(16 * 1024 * 1024, 0x0a));
	return p;
}

async function zipBomb() {
	const p = join(work, 'bomb-2GiB-newlines.zip');
	if (existsSync(p) && statSync(p).size > 0) return p;
	const fd = openSync(p + '.part', 'w');
	await new Promise((done, fail) => {
		const zip = new Zip((err, chunk, final) => {
			if (err) return fail(err);
			writeSync(fd, chunk);
			if (final) done();
		});
		const entry = new ZipDeflate('azcmagent.log', { level: 9 });
		zip.add(entry);
		const block = new Uint8Array(8 * 1024 * 1024).fill(0x0a);
		const total = 2 * 1024 * 1024 * 1024;
		for (let n = 0; n < total; n += block.length) entry.push(block, n + block.length >= total);
		zip.end();
	});
	closeSync(fd);
	spawnSync('mv', [p + '.part', p]);
	return p;
}

// A harness bundled from the checkout's sources: custom patterns and severity overrides are server settings, not CLI flags.
async function harness() {
	const entry = join(work, `harness-${Buffer.from(root).toString('hex').slice(-24)}.ts`);
	const out = entry.replace(/\.ts$/, '.cjs');
	writeFileSync(
		entry,
		`
import { Analyzer } from ${JSON.stringify(join(root, 'server/src/core/analysis/analyzer'))};
import { validateCustomPatterns } from ${JSON.stringify(join(root, 'server/src/core/customPatterns'))};
import { applySeverityOverride } from ${JSON.stringify(join(root, 'server/src/core/features/settings'))};
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
const [kind, arg] = process.argv.slice(2);
let found = 0;
if (kind === 'regex') {
	const v = validateCustomPatterns([{ id: 'MY-PATTERN', regex: arg, severity: 'warning' }]);
	if (!v.patterns.length) { console.log('rejected: ' + v.problems.join('; ')); process.exit(0); }
	const a = new Analyzer({ locale: 'en', fileName: 'azcmagent.log', customPatterns: v.patterns });
	a.push('time="2024-03-02T09:00:58Z" level=info msg="Agent Command: connect"');
	a.push('a'.repeat(127) + 'b');
	found = a.finish().findings.length;
} else {
	const dir = ${JSON.stringify(join(root, 'test/fixtures/logs'))};
	const ids = new Set<string>(['MY-CUSTOM-PATTERN-FOR-THE-PROXY-ERRORS-OF-THE-DATACENTER-WEST']);
	for (const d of readdirSync(dir)) {
		if (d.endsWith('.md')) continue;
		for (const f of readdirSync(join(dir, d))) {
			if (f.endsWith('.json')) continue;
			const a = new Analyzer({ locale: 'en', fileName: f });
			for (const l of readFileSync(join(dir, d, f), 'utf8').split(/\\r?\\n/)) a.push(l);
			for (const x of a.finish().findings) ids.add(x.id);
		}
	}
	for (const id of ids) if (applySeverityOverride(id, 'error', [[arg, 'off']]) === 'off') found++;
}
console.log('findings: ' + found);
`,
	);
	await esbuild.build({ entryPoints: [entry], outfile: out, bundle: true, platform: 'node', format: 'cjs', logLevel: 'error', nodePaths: [join(root, 'node_modules')] });
	return out;
}

// ---- running -----------------------------------------------------------------------------------------------------

function run(args) {
	const t0 = process.hrtime.bigint();
	const r = spawnSync('/usr/bin/time', ['-f', '@@ %M', process.execPath, ...args], { timeout: timeout * 1000, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, killSignal: 'SIGKILL' });
	const ms = Number(process.hrtime.bigint() - t0) / 1e6;
	const rss = /@@ (\d+)/.exec(r.stderr ?? '')?.[1];
	const errTail = (r.stderr ?? '').replace(/@@ \d+\s*$/, '').trim().split('\n').filter(Boolean);
	if (r.error?.code === 'ETIMEDOUT' || r.signal === 'SIGKILL') return { time: `>${timeout} s`, mem: '–', note: 'killed at the timeout' };
	const outcome = r.status === 0 || r.status === 1 || r.status === 2 ? `exit ${r.status}` : `crash (exit ${r.status ?? r.signal})`;
	const note = [outcome, ...(/findings: \d+|rejected: .*/.exec(r.stdout ?? '') ?? []), ...errTail.filter((l) => !/^Command (exited|terminated)/.test(l)).slice(-2).map((l) => l.replace(/^arc-logs: \S*\/([^/]+): /, '$1: ').slice(0, 160))].join('; ');
	return { time: `${(ms / 1000).toFixed(2)} s`, mem: rss ? `${(Number(rss) / 1024).toFixed(0)} MB` : '?', note };
}

const cli = join(root, 'server/out/cli.js');
const h = await harness();
const cases = [
	['16 MiB of blank lines (scan file)', () => [cli, 'scan', '--format', 'json', blankLines()]],
	['zip bomb: 2 GiB of newlines deflated (scan zip)', async () => [cli, 'scan', '--format', 'json', await zipBomb()]],
	['custom pattern `\\w*\\w*\\w*\\w*\\w*!`, 128-char line', () => [h, 'regex', '\\w*\\w*\\w*\\w*\\w*!']],
	['custom pattern `.*.*.*.*.*.*=`, 128-char line', () => [h, 'regex', '.*.*.*.*.*.*=']],
	['custom pattern `(a|a){1,100}$`, 128-char line', () => [h, 'regex', '(a|a){1,100}$']],
	['severity override glob `**************!`', () => [h, 'glob', '**************!']],
];
const rows = [];
console.log(`root: ${root}, timeout ${timeout} s, node ${process.version}`);
const only = opt('--only') ? new RegExp(opt('--only')) : undefined;
for (const [name, make] of cases) {
	if (only && !only.test(name)) continue;
	const r = run(await make());
	rows.push([name, r.time, r.mem, r.note]);
	console.log(`${name}: ${r.time}, ${r.mem} (${r.note})`);
}
if (argv.includes('--markdown')) {
	console.log('\n| case | time | peak RSS | outcome |\n|---|---:|---:|---|');
	for (const r of rows) console.log(`| ${r.map((c) => String(c).replace(/\|/g, '\\|')).join(' | ')} |`);
}
