// `npm test`: type-check, build (with tests), run every mocha suite, end with a plain "N passed, N failed" line.
//   npm test -- --grep PATTERN     only the tests whose title matches
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';

const root = new URL('..', import.meta.url).pathname;
process.chdir(root);
const args = process.argv.slice(2);
const grepAt = args.indexOf('--grep');
const grep = grepAt >= 0 ? args[grepAt + 1] : undefined;

function step(title, cmd, cmdArgs) {
	console.log(`== ${title}`);
	const r = spawnSync(cmd, cmdArgs, { stdio: 'inherit' });
	if (r.status !== 0) {
		console.log(`\n${title} failed (exit ${r.status ?? r.signal}).`);
		console.log('0 passed, 1 failed');
		process.exit(1);
	}
}

// The knowledge compiler and the build come first: the type-check needs the generated knowledge data.
rmSync('test/out', { recursive: true, force: true });
step('build', process.execPath, ['build.mjs', '--tests']);
step('typecheck', process.execPath, ['node_modules/typescript/bin/tsc', '-b']);

const files = [];
const walk = (dir) => {
	for (const name of readdirSync(dir)) {
		const p = join(dir, name);
		if (statSync(p).isDirectory()) walk(p);
		else if (name.endsWith('.test.js')) files.push(p);
	}
};
walk('test/out');
files.sort();

const mocha = new Mocha({ reporter: 'spec', timeout: 30000, color: process.stdout.isTTY });
if (grep) mocha.grep(grep);
for (const f of files) mocha.addFile(join(root, f));
console.log(`== mocha (${files.length} files)`);
const runner = mocha.run(() => {
	const { passes = 0, failures = 0, pending = 0 } = runner.stats ?? {};
	console.log(`\n${passes} passed, ${failures} failed${pending ? `, ${pending} skipped` : ''}`);
	process.exitCode = failures > 0 || passes === 0 ? 1 : 0;
});
