// Redaction benchmark: `arc-logs redact --kinds all` (the built CLI, a process per run) on the real logs of
// test/corpus and test/fixtures repeated to a size, and on hostile inputs (long runs of what each pattern starts
// with) at two sizes: time per MB should stay about the same when the input grows 4× (linear time). Printed, never
// asserted.
//
//   node bench/redact.mjs [--mb 4]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const cli = join(root, 'server/out/cli.js');
const argv = process.argv.slice(2);
const MB = Number(argv[argv.indexOf('--mb') + 1] ?? 4) || 4;
if (!statSync(cli, { throwIfNoEntry: false })) spawnSync(process.execPath, [join(root, 'build.mjs')], { stdio: 'inherit' });

const logs = [];
const walk = (d) => {
	for (const n of readdirSync(d)) {
		const p = join(d, n);
		if (statSync(p).isDirectory()) walk(p);
		else if (!/\.(json|md)$/.test(n)) logs.push(readFileSync(p, 'utf8'));
	}
};
walk(join(root, 'test/corpus/logs'));
walk(join(root, 'test/fixtures/logs'));
const corpus = logs.join('\n');

/** `unit` repeated to `mb` megabytes, in lines of `lineChars` (0: one line). */
function sized(unit, mb, lineChars = 0) {
	const want = mb * 1024 * 1024;
	let s = unit.repeat(Math.ceil(want / unit.length)).slice(0, want);
	if (lineChars) s = s.replace(new RegExp(`(.{${lineChars}})`, 'gs'), '$1\n');
	return s;
}

const hostile = {
	'real logs (corpus + fixtures)': (mb) => sized(corpus + '\n', mb),
	'hex and dashes, one line': (mb) => sized('0123abcd-', mb),
	'eyJ run, one line': (mb) => sized('eyJ', mb),
	'dotted labels, one line': (mb) => sized('a1.', mb),
	'colons and hex, one line': (mb) => sized('ab:', mb),
	'digits and dots, one line': (mb) => sized('1.2.', mb),
	'password= repeated, one line': (mb) => sized('password=', mb),
	'/home/ repeated, one line': (mb) => sized('/home/', mb),
	'tenant contexts, 1 KB lines': (mb) => sized('tenant subscription client ', mb, 1024),
};

const dir = mkdtempSync(join(tmpdir(), 'arc-logs-bench-redact-'));
try {
	console.log(`arc-logs redact --kinds all, ${process.version}, ${MB} MB and ${MB * 4} MB inputs`);
	console.log(`${'input'.padEnd(34)} ${'MB'.padStart(4)} ${'s'.padStart(7)} ${'s/MB'.padStart(7)}   ${'MB'.padStart(4)} ${'s'.padStart(7)} ${'s/MB'.padStart(7)}  ratio`);
	for (const [name, make] of Object.entries(hostile)) {
		const row = [];
		for (const mb of [MB, MB * 4]) {
			const file = join(dir, 'in.log');
			writeFileSync(file, make(mb));
			const t0 = process.hrtime.bigint();
			const r = spawnSync(process.execPath, [cli, 'redact', '--kinds', 'all', file], { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 20 });
			const s = Number(process.hrtime.bigint() - t0) / 1e9;
			if (r.status !== 0) console.log(`  ${name}: exit ${r.status} ${String(r.stderr).trim()}`);
			row.push([mb, s]);
		}
		const [[m1, s1], [m2, s2]] = row;
		console.log(`${name.padEnd(34)} ${String(m1).padStart(4)} ${s1.toFixed(2).padStart(7)} ${(s1 / m1).toFixed(3).padStart(7)}   ${String(m2).padStart(4)} ${s2.toFixed(2).padStart(7)} ${(s2 / m2).toFixed(3).padStart(7)}  ${(s2 / m2 / (s1 / m1)).toFixed(2)}`);
	}
} finally {
	rmSync(dir, { recursive: true, force: true });
}
