// Benchmark: `arc-logs scan` on large generated logs (numbers, not pass/fail).
//   node bench/analyze.mjs [MB ...]      default: 10 100
// Generates deterministic azcmagent.log and cloud-init-output.log files of the given sizes under .cache/bench/
// (kept between runs), scans each in a fresh process, and prints MB/s, lines/s, findings and peak RSS.
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { azcmagentLine, cloudInitLine, generate } from './generate.mjs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const cli = join(root, 'server/out/cli.js');
if (!existsSync(cli)) {
	console.error('bench: build first (npm run build)');
	process.exit(2);
}
const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
if (!sizes.length) sizes.push(10, 100);

// The scan runs in a child process so that its peak RSS is its own (process.resourceUsage().maxRSS, in KiB).
const probe = `
const { main } = require(${JSON.stringify(cli)});
const t0 = process.hrtime.bigint();
let out = '';
main(['scan', '--format', 'json', process.argv[1]], { stdout: (s) => (out += s), stderr: (s) => process.stderr.write(s), isTTY: false }).then((code) => {
	const ms = Number(process.hrtime.bigint() - t0) / 1e6;
	const r = JSON.parse(out);
	console.log(JSON.stringify({ code, ms, lines: r.files[0].lineCount, findings: r.files[0].findings.length, maxRssMiB: process.resourceUsage().maxRSS / 1024 }));
});`;

console.log('arc-logs scan benchmark (node ' + process.version + ')');
console.log('file                             size MB   time s    MB/s   lines/s   findings   peak RSS MiB');
for (const mb of sizes) {
	for (const [name, gen] of [['azcmagent', azcmagentLine], ['cloud-init-output', cloudInitLine]]) {
		const path = generate(name, mb, gen);
		const size = statSync(path).size / 1024 / 1024;
		const r = spawnSync(process.execPath, ['--max-old-space-size=8192', '-e', probe, path], { encoding: 'utf8', maxBuffer: 1 << 30 });
		if (r.status !== 0) {
			console.log(`${name}-${mb}mb: failed (${r.status}): ${r.stderr.slice(0, 400)}`);
			continue;
		}
		const m = JSON.parse(r.stdout.trim().split('\n').pop());
		console.log(
			`${(name + '-' + mb + 'mb.log').padEnd(32)} ${size.toFixed(1).padStart(7)} ${(m.ms / 1000).toFixed(2).padStart(8)} ${(size / (m.ms / 1000)).toFixed(1).padStart(7)} ${Math.round(m.lines / (m.ms / 1000)).toString().padStart(9)} ${String(m.findings).padStart(10)} ${m.maxRssMiB.toFixed(0).padStart(14)}`,
		);
	}
}
