// What the benchmarks share: the pattern of what can start a finding (the streaming floor's, and grep's), one measured
// process (CPU, wall, peak RSS), and `arc-logs scan` of one log against `grep -cE` on the same file.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * What can start a finding or a section, as one JavaScript pattern: the streaming floor of bench/scale.mjs runs it over
 * the raw bytes. No look-around and no back-references, so that `grep -E` can run the same pattern (`grepPattern`).
 */
export const floorSource =
	'AZCM\\d{4}|level=(?:error|fatal|panic)|\\b(?:ERROR|FATAL|Error|Traceback|Failed|failed|failure|Exit Code|exit code)\\b|Cloud-init v\\.|azcmagent ';
/** `floorSource` in POSIX ERE as GNU grep reads it (`\b` is a GNU extension; no `\d`, no `(?:`). */
export const grepPattern = floorSource.replace(/\\d/g, '[0-9]').replace(/\(\?:/g, '(');

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Stops the bench with a message if `/usr/bin/time` (peak RSS) is missing. */
export function needTime() {
	if (existsSync('/usr/bin/time')) return;
	console.error('bench: needs /usr/bin/time (apt-get install time)');
	process.exit(2);
}

/**
 * One fresh process, its stdout a pipe read to the end (as a map step's would be; GNU grep stops at the first match
 * when its output is /dev/null). CPU (user + system of all its threads) and wall time come from bash's `time`, to the
 * millisecond (`/usr/bin/time` prints hundredths of a second: too coarse for grep on a few MB); the peak RSS from
 * `/usr/bin/time` around that bash (the larger of the two processes: for grep, which stays under bash's ~3 MiB, an
 * upper bound).
 */
export function timed(cmd, args) {
	const script = 'TIMEFORMAT="BENCH_CPU %3R %3U %3S"; time "$@"';
	const r = spawnSync('/usr/bin/time', ['-f', 'BENCH_RSS %M', 'bash', '-c', script, 'bench', cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
	const t = [...r.stderr.matchAll(/BENCH_CPU ([\d.]+) ([\d.]+) ([\d.]+)/g)].pop();
	const m = [...r.stderr.matchAll(/BENCH_RSS (\d+)/g)].pop();
	if (!t || !m) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr.slice(-400)}`);
	const ms = (...xs) => Math.round(xs.reduce((s, x) => s + Number(x), 0) * 1000);
	return { status: r.status, wallMs: ms(t[1]), cpuMs: ms(t[2], t[3]), rssMiB: Number(m[1]) / 1024, out: r.stdout };
}

/**
 * `arc-logs scan --format jsonl --jobs 1 FILE` (whole process) against `grep -cE grepPattern FILE` on the same file,
 * both with stdout to a pipe; medians of `rounds` runs of the CLI and of at least 3 of grep (cheap, and its CPU on a
 * few MB is tens of milliseconds). `ratio` is CPU over CPU.
 */
export function cliVsGrep(cliPath, file, rounds = 1) {
	const a = [];
	const g = [];
	for (let i = 0; i < Math.max(3, rounds); i++) {
		if (i < rounds) a.push(timed(process.execPath, [cliPath, 'scan', '--format', 'jsonl', '--jobs', '1', file]));
		g.push(timed('grep', ['-cE', grepPattern, file]));
	}
	const of = (rs) => ({ cpuMs: median(rs.map((x) => x.cpuMs)), wallMs: median(rs.map((x) => x.wallMs)), rssMiB: median(rs.map((x) => x.rssMiB)), runs: rs.length });
	const cli = { ...of(a), findings: a[0].out.split('\n').filter(Boolean).length };
	const grep = { ...of(g), matchingLines: Number(g[0].out.trim()) };
	return { pattern: grepPattern, cli, grep, ratio: cli.cpuMs / grep.cpuMs };
}
