// Benchmark: `arc-logs scan` over a fleet's support bundles, in process (--jobs 1) and on the worker pool; and a 50 MB
// azcmagent.log against `grep -cE` (numbers, not pass/fail).
//   node bench/fleet.mjs [--bundles 200] [--rounds 1] [--seed 10] [--grep-mb 50] [--no-grep] [--no-scaling] [--cli PATH]
//                        [--json FILE]
// Generates (seeded, kept between runs) a folder of zipped bundles under .cache/bench/fleet-<seed>-<n>/ (the generators
// of bench/generate.mjs), each with an azcmagent.log (a quiet agent: one error record in 2,000) and a himds.log or
// cloud-init-output.log of realistic sizes (50 KB – 1.2 MB) and a config file, as `azcmagent logs` makes them. Every
// measured run is a fresh process (bench/measure.mjs: wall time, user + system CPU of all threads, peak RSS), its
// stdout a pipe read to the end (as a map step's would be). `--json FILE` writes the figures.
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync, rmSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { zipSync, strToU8 } from 'fflate';
import { dir as benchDir, generate, azcmagentLine, azcmagentQuietLine, cloudInitLine } from './generate.mjs';
import { timed, median, cliVsGrep, needTime } from './measure.mjs';

const root = new URL('..', import.meta.url).pathname;
const argv = process.argv.slice(2);
/** `--cli PATH`: a copy of a built CLI bundle (to measure one build while working on another). */
const cli = argv.includes('--cli') ? argv[argv.indexOf('--cli') + 1] : join(root, 'server/out/cli.js');
if (!existsSync(cli)) {
	console.error('bench: build first (npm run build)');
	process.exit(2);
}
needTime();
const opt = (name, dflt) => {
	const i = argv.indexOf(name);
	return i >= 0 ? Number(argv[i + 1]) : dflt;
};
const bundles = opt('--bundles', 200);
const rounds = opt('--rounds', 1);
const seed = opt('--seed', 10);
const grepMb = opt('--grep-mb', 50);
const jsonOut = argv.includes('--json') ? argv[argv.indexOf('--json') + 1] : undefined;
const pool = availableParallelism();

// A small deterministic PRNG (mulberry32), as in bench/generate.mjs (which keeps its own private).
function rng(s) {
	return () => {
		s |= 0;
		s = (s + 0x6d2b79f5) | 0;
		let t = Math.imul(s ^ (s >>> 15), 1 | s);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}
const guid = (r) => 'xxxxxxxx-xxxx-4xxx-8xxx-xxxxxxxxxxxx'.replace(/x/g, () => Math.floor(r() * 16).toString(16));

/** himds.log: token requests and certificate refreshes, now and then a failed renewal or a port in use. */
function himdsLine(r, i) {
	const ts = new Date(Date.UTC(2024, 2, 2, 8, 0, 0) + i * 1000).toISOString().replace('.000', '');
	const x = r();
	if (x < 0.7) return `time="${ts}" level=debug msg="Token request served" resource=https://management.azure.com/ status=200`;
	if (x < 0.99) return `time="${ts}" level=info msg="Refreshing certificate" thumbprint=${guid(r).replace(/-/g, '').toUpperCase()}`;
	if (x < 0.995) return `time="${ts}" level=error msg="Failed to renew certificate, will retry" error="dial tcp 20.42.65.92:443: i/o timeout"`;
	return `time="${ts}" level=error msg="listen tcp 127.0.0.1:40342: bind: address already in use"`;
}

function text(r, bytes, line) {
	const out = [];
	let n = 0;
	for (let i = 0; n < bytes; i++) {
		const l = line(r, i) + '\n';
		n += l.length;
		out.push(l);
	}
	return out.join('');
}

/** The fleet folder (generated once per seed and count). */
function fleet(n) {
	const dir = join(benchDir, `fleet-${seed}-${n}`);
	if (existsSync(join(dir, '.done'))) return dir;
	rmSync(dir, { recursive: true, force: true });
	mkdirSync(dir, { recursive: true });
	const r = rng(seed);
	for (let b = 0; b < n; b++) {
		const second = r() < 0.5 ? ['himds.log', himdsLine] : ['cloud-init-output.log', cloudInitLine];
		const zip = zipSync(
			{
				'azcmagent-logs/azcmagent.log': strToU8(text(r, 100_000 + Math.floor(r() * 1_100_000), azcmagentQuietLine)),
				[`azcmagent-logs/${second[0]}`]: strToU8(text(r, 50_000 + Math.floor(r() * 450_000), second[1])),
				'azcmagent-logs/config/agentconfig.json': strToU8(JSON.stringify({ tenantid: guid(r), subscriptionid: guid(r), resourcegroup: 'rg-arc', location: 'westeurope' })),
			},
			{ level: 6 },
		);
		writeFileSync(join(dir, `machine-${String(b).padStart(4, '0')}.zip`), zip);
	}
	writeFileSync(join(dir, '.done'), '');
	return dir;
}

/** `arc-logs scan --format jsonl --jobs N` of the given folder or files: one fresh process, times in seconds. */
function scan(jobs, paths) {
	const r = timed(process.execPath, [cli, 'scan', '--format', 'jsonl', '--jobs', String(jobs), ...paths]);
	return { ...r, wall: r.wallMs / 1000, cpu: r.cpuMs / 1000 };
}

console.log(`arc-logs fleet benchmark — node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, availableParallelism ${pool}, seed ${seed}`);
const dir = fleet(bundles);
const zips = readdirSync(dir).filter((f) => f.endsWith('.zip'));
const mb = zips.reduce((s, f) => s + statSync(join(dir, f)).size, 0) / 1024 / 1024;
const logs = zips.length * 2;
const result = { machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version }, seed, pool, bundles: zips.length, logs, zippedMB: mb, rounds, runs: [], scaling: [], grep: undefined };
console.log(`\n${zips.length} bundles (${logs} logs, ${mb.toFixed(1)} MB zipped) in ${dir}; scan --format jsonl; median of ${rounds} round(s), runs paired`);
console.log('jobs   wall s   files/s   CPU s   CPU/wall   peak RSS MiB   findings');
const rows = { 1: [], [pool]: [] };
for (let i = 0; i < rounds; i++) {
	for (const jobs of [1, pool]) rows[jobs].push(scan(jobs, [dir]));
}
for (const jobs of [1, pool]) {
	const rs = rows[jobs];
	const wall = median(rs.map((x) => x.wall));
	const cpu = median(rs.map((x) => x.cpu));
	const findings = rs[0].out.split('\n').filter(Boolean).length;
	const rssMiB = median(rs.map((x) => x.rssMiB));
	result.runs.push({ jobs, wallS: wall, cpuS: cpu, filesPerS: logs / wall, rssMiB, findings });
	console.log(
		`${String(jobs).padStart(4)} ${wall.toFixed(2).padStart(8)} ${(logs / wall).toFixed(1).padStart(9)} ${cpu.toFixed(2).padStart(7)} ${(cpu / wall).toFixed(2).padStart(10)} ${rssMiB.toFixed(0).padStart(14)} ${String(findings).padStart(10)}`,
	);
}
if (rows[1][0].out !== rows[pool][0].out) console.log('!! the output of --jobs 1 and the pool differ');

if (!argv.includes('--no-scaling')) {
	// Memory flat in the number of files: the same pool on the first 1/8, 1/4, 1/2 and all of the bundles (25, 50, 100
	// and 200 by default).
	console.log(`\npeak RSS of the pool (--jobs ${pool}) by number of bundles`);
	console.log('bundles   logs   wall s   peak RSS MiB');
	const counts = [...new Set([8, 4, 2, 1].map((d) => Math.max(1, Math.round(zips.length / d))))];
	for (const n of counts) {
		const m = scan(pool, zips.slice(0, n).map((f) => join(dir, f)));
		result.scaling.push({ bundles: n, logs: n * 2, wallS: m.wall, rssMiB: m.rssMiB });
		console.log(`${String(n).padStart(7)} ${String(n * 2).padStart(6)} ${m.wall.toFixed(2).padStart(8)} ${m.rssMiB.toFixed(0).padStart(14)}`);
	}
}

if (!argv.includes('--no-grep')) {
	// The 50 MB log of the issue-10 figures (bench/scale.mjs, which compares every generated log the same way): the same
	// generator and seed, the same bytes; grep runs the pattern of scale.mjs's streaming floor.
	const log = generate('azcmagent', grepMb, azcmagentLine);
	const size = statSync(log).size / 1024 / 1024;
	const c = cliVsGrep(cli, log, rounds);
	console.log(`\n${log} (${size.toFixed(1)} MB): arc-logs scan vs grep -cE '${c.pattern}' (both with stdout to a pipe); median of ${rounds} (grep: ${c.grep.runs})`);
	console.log('command                      wall s   CPU s   peak RSS MiB   output');
	const row = (name, x, out) => console.log(`${name.padEnd(26)} ${(x.wallMs / 1000).toFixed(2).padStart(8)} ${(x.cpuMs / 1000).toFixed(2).padStart(7)} ${x.rssMiB.toFixed(0).padStart(14)}   ${out}`);
	row('arc-logs scan --format jsonl', c.cli, `${c.cli.findings} findings`);
	row('grep -cE', c.grep, `${c.grep.matchingLines} matching lines`);
	console.log(`ratio (CPU): ${c.ratio.toFixed(1)}× grep`);
	result.grep = { file: log, mb: size, ...c };
}

if (jsonOut) {
	mkdirSync(resolve(jsonOut, '..'), { recursive: true });
	writeFileSync(jsonOut, JSON.stringify(result, null, 2));
	console.log(`\n(json: ${jsonOut})`);
}
