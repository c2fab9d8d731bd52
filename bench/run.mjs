// `npm run bench`: the benchmarks of bench/, then ONE table of the issue-10 figures, each next to its baseline measured in
// the same run (numbers, not pass/fail). Build first (`npm run bench` does).
//   node bench/run.mjs [--quick] [--sizes 5,50,200] [--families LIST] [--bundles 200] [--lines N] [--table-only]
//                      [--root DIR]
// --root        measure another built checkout (its core, server, CLI and grammars) with these benches and generators
// --quick       generated logs of 5 MB, 10 bundles, 2,000 tokenized lines per corpus, and only the benches of the table
// --sizes       MB of each generated log (scale.mjs, and the scan-vs-grep comparison on the same files)
// --table-only  skip the benches that are not in the table (analyze, robustness, server, redact)
// Each bench prints its own output; the combined table comes last, and goes to .cache/bench/results/summary.md and
// summary.json (the benches' JSON next to it: run-scale.json, run-fleet.json, run-tokenize.json).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { dir } from './generate.mjs';

const here = new URL('.', import.meta.url).pathname;
const argv = process.argv.slice(2);
const opt = (name, dflt) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : dflt);
const quick = argv.includes('--quick');
const sizes = opt('--sizes', quick ? '5' : '5,50,200');
const families = opt('--families', undefined);
const bundles = opt('--bundles', quick ? '10' : '200');
const lines = opt('--lines', quick ? '2000' : undefined);
const tableOnly = quick || argv.includes('--table-only');
const root = opt('--root', undefined);
const rootArgs = (flag, path) => (root ? [flag, join(root, path)] : []);

const results = join(dir, 'results');
mkdirSync(results, { recursive: true });
const out = (name) => join(results, `run-${name}.json`);
const started = new Date();
const loadStart = loadavg();

// ---- the benches --------------------------------------------------------------------------------------------------

/** Runs one bench (its output to ours); its JSON if it wrote one in this run. */
function bench(script, args, json) {
	console.log(`\n== bench/${script} ${args.join(' ')}`);
	const t = Date.now();
	const r = spawnSync(process.execPath, [here + script, ...args], { stdio: 'inherit' });
	if (r.status !== 0) process.exitCode = r.status ?? 1;
	if (!json) return undefined;
	if (r.status !== 0 || !existsSync(json) || statSync(json).mtimeMs < t) return { error: `bench/${script} exited ${r.status ?? r.signal}, no results` };
	return JSON.parse(readFileSync(json, 'utf8'));
}

// The comparison of the CLI with grep runs per log in scale.mjs (the same 50 MB azcmagent.log as fleet.mjs's, and the
// other families and sizes): fleet.mjs skips its own.
const scale = bench('scale.mjs', [...rootArgs('--root', '.'), '--sizes', sizes, ...(families ? ['--families', families] : []), '--json', out('scale')], out('scale'));
const fleet = bench('fleet.mjs', [...rootArgs('--cli', 'server/out/cli.js'), '--bundles', bundles, '--no-grep', '--json', out('fleet')], out('fleet'));
const tokenize = bench('tokenize.mjs', [...rootArgs('--grammars', 'syntaxes'), ...(lines ? ['--lines', lines] : []), ...(quick ? ['--rounds', '1', '--no-long'] : []), '--json', out('tokenize')], out('tokenize'));
if (!tableOnly) for (const [script, args] of [['analyze.mjs', []], ['robustness.mjs', []], ['server.mjs', ['--lines', '100000']], ['redact.mjs', []]]) bench(script, args);

// ---- the rows -----------------------------------------------------------------------------------------------------

/**
 * One row: `value` against `baseline` (same unit), `ratio` = value / baseline. `goal` is a number the value (or, with
 * `goalOn: 'ratio'`, the ratio) must not exceed, or undefined when the goal is not a bound (then `goalText`).
 */
const rows = [];
const problems = [];
function row(figure, log, unit, value, baseline, baselineOf, goal, goalText, goalOn = 'value') {
	const ok = (x) => typeof x === 'number' && Number.isFinite(x);
	const ratio = ok(value) && ok(baseline) && baseline > 0 ? value / baseline : undefined;
	const judged = goalOn === 'ratio' ? ratio : value;
	const met = goal === undefined || !ok(judged) ? undefined : judged <= goal;
	rows.push({ figure, log, unit, value, baseline, baselineOf, ratio, goal, goalOn, goalText, met });
}

/** A goal of the issue for 50 MB, for a log of `mb` MB (the work is linear in the log); whole milliseconds. */
const per50 = (goal, mb) => Math.round((goal * mb) / 50);

if (scale?.error) problems.push(scale.error);
for (const r of scale?.rows ?? []) {
	const log = `${r.file} (${r.mb.toFixed(1)} MB)`;
	for (const [what, x] of [
		['floor', r.floor],
		['analysis', r.analysis],
		['stdio', r.stdio],
		['scan/grep', r.scan],
	])
		if (x?.error) problems.push(`${r.file}: ${what}: ${x.error}`);
	const { floor, analysis: a, stdio: s, scan } = r;
	row('CLI `scan` (whole process) vs `grep -cE`, CPU', log, 'ms', scan?.cli?.cpuMs, scan?.grep?.cpuMs, 'grep', 4, '≤ 4× grep', 'ratio');
	const analysisGoal = per50(300, r.mb);
	row('in-process analysis, CPU', log, 'ms', a.cpuMs, floor.cpuMs, 'floor CPU', analysisGoal, `≤ ${analysisGoal.toLocaleString('en-US')} ms (300 per 50 MB)`);
	row('re-analysis after appending one line, CPU', log, 'ms', a.appendCpuMs, floor.cpuMs, 'floor CPU', 2, '≤ 2 ms');
	const openGoal = per50(1000, r.mb);
	row('didOpen → diagnostics over stdio', log, 'ms', s.openMs, s.transportMs, 'the text sent to an unknown method', openGoal, `≤ ${openGoal.toLocaleString('en-US')} ms (1 s per 50 MB)`);
	row('append → diagnostics over stdio (median)', log, 'ms', s.appendMs, s.noopP50, 'no-op request p50', undefined, '— (not in the issue)');
	row('heap per byte of log', log, 'B', a.heapPerByte, a.heapLinesPerByte, 'the lines alone', 2, '≤ 2 B');
	row('hover p99 over stdio', log, 'ms', s.hoverP99, s.noopP99, 'no-op request p99', 1, '≤ 1 ms');
}

if (fleet?.error) problems.push(fleet.error);
if (fleet && !fleet.error) {
	const one = fleet.runs.find((x) => x.jobs === 1);
	const pool = fleet.runs.find((x) => x.jobs === fleet.pool);
	const few = fleet.scaling[0];
	const all = fleet.scaling[fleet.scaling.length - 1];
	row(`fleet: files/s, pool (--jobs ${fleet.pool}) vs --jobs 1`, `${fleet.bundles} bundles (${fleet.logs} logs)`, 'files/s', pool?.filesPerS, one?.filesPerS, '--jobs 1', undefined, `≈ ${fleet.pool}× (both cores)`);
	const n = (k) => `${k} bundle${k === 1 ? '' : 's'}`;
	if (few && all && few !== all) row('fleet: peak RSS of the pool, all bundles vs the fewest', `${all.bundles} vs ${n(few.bundles)}`, 'MiB', all.rssMiB, few.rssMiB, n(few.bundles), undefined, '≈ 1× (flat)');
}

if (tokenize?.error) problems.push(tokenize.error);
if (tokenize && !tokenize.error) {
	if (!tokenize.builtin) problems.push('tokenize: the built-in `log` grammar was not found (node bench/tokenize.mjs --fetch): no grammar ratios');
	for (const c of tokenize.corpora) {
		const [ours, builtin] = c.grammars;
		const log = `${c.name}, ${c.lines.toLocaleString('en-US')} lines`;
		row('grammar vs built-in `log` grammar, CPU', log, 'ms', ours.cpuMs, builtin?.cpuMs, 'built-in CPU', 1, '≤ 1.0×', 'ratio');
		row('grammar vs built-in `log` grammar, wall', log, 'ms', ours.ms, builtin?.ms, 'built-in wall', 1, '≤ 1.0×', 'ratio');
	}
}

// ---- the table ----------------------------------------------------------------------------------------------------

/** Three significant digits or so (two under 1), thousands separated. */
function fmt(x, unit) {
	if (typeof x !== 'number' || !Number.isFinite(x)) return '—';
	const a = Math.abs(x);
	const d = a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 || a === 0 ? 2 : Math.max(2, 1 - Math.floor(Math.log10(a)));
	const n = x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
	return unit ? `${n} ${unit}` : n;
}
// One block of rows per figure, in the order above (the logs within it in the order they were measured).
const order = [...new Set(rows.map((r) => r.figure))];
rows.sort((a, b) => order.indexOf(a.figure) - order.indexOf(b.figure));
const loadEnd = loadavg();
const ended = new Date();
const load = (l) => l.map((x) => x.toFixed(2)).join(' / ');
const machine = {
	cpus: cpus().length,
	model: cpus()[0]?.model ?? 'unknown',
	availableParallelism: availableParallelism(),
	memGiB: totalmem() / 2 ** 30,
	os: `${process.platform} ${release()} ${process.arch}`,
	node: process.version,
	started: started.toISOString(),
	ended: ended.toISOString(),
	loadStart,
	loadEnd,
};
const options = { quick, sizes, families: families ?? 'all', bundles: Number(bundles), lines: lines ? Number(lines) : 'default' };
const md = [
	`## Arc Logs benchmarks: the issue-10 figures against their baselines${quick ? ' (--quick)' : ''}`,
	'',
	...(root ? [`Measured: the checkout at ${root}.`, ''] : []),
	`Machine: ${machine.cpus} × ${machine.model} (availableParallelism ${machine.availableParallelism}), ${machine.memGiB.toFixed(1)} GiB, ${machine.os}, Node ${machine.node}. ` +
		`Run ${machine.started.slice(0, 16).replace('T', ' ')} → ${machine.ended.slice(machine.ended.slice(0, 10) === machine.started.slice(0, 10) ? 11 : 0, 16).replace('T', ' ')} UTC; load average (1 / 5 / 15 min) ${load(loadStart)} at the start, ${load(loadEnd)} at the end. ` +
		`Sizes ${sizes} MB, ${bundles} bundles, tokenize ${lines ?? 'default'} lines.`,
	'',
	'| figure | log | value | baseline | ratio | goal | met |',
	'|---|---|---:|---:|---:|---|:-:|',
	...rows.map((r) => `| ${r.figure} | ${r.log} | ${fmt(r.value, r.unit)} | ${fmt(r.baseline, r.unit)} (${r.baselineOf}) | ${fmt(r.ratio)}× | ${r.goalText} | ${r.met === undefined ? '—' : r.met ? 'yes' : 'no'} |`),
	'',
	'ratio = value / baseline. Goals in ms are the issue\'s for 50 MB, scaled to the log\'s size where the work grows with it; "met" compares the value (or the ratio, for goals in ×) with the goal.',
	...problems.map((p) => `\n!! ${p}`),
].join('\n');
writeFileSync(join(results, 'summary.md'), md + '\n');
writeFileSync(join(results, 'summary.json'), JSON.stringify({ machine, options, rows, problems }, null, 2));
console.log(`\n\n(the table below is in ${join(results, 'summary.md')}, and summary.json)\n\n${md}`);
