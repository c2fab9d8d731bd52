// `npm run bench`: every benchmark in bench/, one after the other (numbers, not pass/fail).
import { spawnSync } from 'node:child_process';

const here = new URL('.', import.meta.url).pathname;
for (const [script, args] of [['scale.mjs', []], ['fleet.mjs', []], ['tokenize.mjs', []], ['analyze.mjs', []], ['robustness.mjs', []], ['server.mjs', ['--lines', '100000']], ['redact.mjs', []]]) {
	console.log(`\n== bench/${script} ${args.join(' ')}`);
	const r = spawnSync(process.execPath, [here + script, ...args], { stdio: 'inherit' });
	if (r.status !== 0) process.exitCode = r.status ?? 1;
}
