// `npm test`: type-check, build (with tests), then every suite, each ending with a plain "<suite>: N passed, N failed"
// line, and a grand total "N passed, N failed" as the last line.
//   1. unit   — the core, CLI, grammar and LSP-over-stdio mocha suites (test/out/**/*.test.js)
//   2. extension-host — the extension inside a real VS Code (test/e2e/run.mjs: code-server + headless Chromium;
//      installs what it needs on first use: apt packages and code-server into .cache/)
//   3. neovim — Neovim's LSP client against server/out/server.js (test/editors/nvim)
//   6. web — the web build alone in code-server's web worker extension host (test/e2e/web-test.mjs; after the UI runs)
//   npm test -- --grep PATTERN     only the unit tests whose title matches (the real-editor suites run whole)
//   npm run test:unit              (--unit) only the first suite: the fast loop
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, statSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';

const root = new URL('..', import.meta.url).pathname;
process.chdir(root);
const args = process.argv.slice(2);
const grepAt = args.indexOf('--grep');
const grep = grepAt >= 0 ? args[grepAt + 1] : undefined;
const unitOnly = args.includes('--unit') || grep !== undefined;
const results = [];
const t0 = Date.now();

function step(title, cmd, cmdArgs) {
	console.log(`== ${title}`);
	const r = spawnSync(cmd, cmdArgs, { stdio: 'inherit' });
	if (r.status !== 0) {
		console.log(`\n${title} failed (exit ${r.status ?? r.signal}).`);
		console.log('0 passed, 1 failed');
		process.exit(1);
	}
}

function runMocha(files, { esm = false } = {}) {
	const mocha = new Mocha({ reporter: 'spec', timeout: 30000, color: process.stdout.isTTY });
	if (grep) mocha.grep(grep);
	for (const f of files) mocha.addFile(join(root, f));
	const load = esm ? mocha.loadFilesAsync() : Promise.resolve();
	return load.then(
		() =>
			new Promise((resolve) => {
				const runner = mocha.run(() => {
					const { passes = 0, failures = 0 } = runner.stats ?? {};
					resolve({ passed: passes, failed: failures });
				});
			}),
	);
}

function record(suite, { passed, failed }, ms) {
	// A suite that ran nothing did not pass.
	const r = { suite, passed, failed: passed === 0 && failed === 0 ? 1 : failed };
	results.push(r);
	console.log(`\n${suite}: ${r.passed} passed, ${r.failed} failed (${(ms / 1000).toFixed(1)} s)`);
}

// The knowledge compiler and the build come first: the type-check needs the generated knowledge data.
rmSync('test/out', { recursive: true, force: true });
step('build', process.execPath, ['build.mjs', '--tests']);
step('typecheck', process.execPath, ['node_modules/typescript/bin/tsc', '-b']);

// 1. unit, CLI, grammar, LSP over stdio
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
console.log(`== unit (${files.length} files)`);
let t = Date.now();
record('unit', await runMocha(files), Date.now() - t);

if (!unitOnly) {
	// 2. the extension host
	console.log('== extension-host (test/e2e/run.mjs)');
	t = Date.now();
	record('extension-host', await runScript('extension-host', ['test/e2e/run.mjs', ...(grep ? ['--grep', grep] : [])]), Date.now() - t);

	// 3. Neovim (setup.sh, run by the extension-host suite, installed it if it was missing)
	console.log('== neovim (test/editors/nvim)');
	t = Date.now();
	const nvim = spawnSync('bash', ['-c', 'command -v nvim'], { encoding: 'utf8' }).status === 0;
	if (!nvim) spawnSync('bash', ['test/e2e/setup.sh'], { stdio: ['ignore', 'ignore', 'inherit'] });
	record('neovim', await runMocha(['test/editors/nvim/nvim.test.mjs'], { esm: true }), Date.now() - t);

	// 4. the UI in Chromium, on the folder (like F5); screenshots in test/e2e/screenshots/ (git-ignored)
	if (!grep) {
		console.log('== ui (test/e2e/ui-test.mjs)');
		t = Date.now();
		record('ui', await runScript('ui', ['test/e2e/ui-test.mjs']), Date.now() - t);

		// 5. the same on the packaged .vsix, installed with --install-extension as a user would
		console.log('== ui (vsix)');
		t = Date.now();
		const vsix = '.cache/arc-logs-test.vsix';
		const packed =
			spawnSync(process.execPath, ['build.mjs', '--production'], { stdio: 'inherit' }).status === 0 &&
			spawnSync(process.execPath, ['node_modules/@vscode/vsce/vsce', 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', vsix], {
				stdio: ['ignore', 'ignore', 'inherit'],
			}).status === 0;
		record('ui (vsix)', packed ? await runScript('ui (vsix)', ['test/e2e/ui-test.mjs', '--vsix', vsix]) : { passed: 0, failed: 1 }, Date.now() - t);
		// Leave the development bundles (with source maps) behind, as the build at the start made them.
		spawnSync(process.execPath, ['build.mjs'], { stdio: 'ignore' });

		// 6. the web build alone (the browser entry, the server in a web worker) in code-server's web worker extension host
		console.log('== web (test/e2e/web-test.mjs)');
		t = Date.now();
		record('web', await runScript('web', ['test/e2e/web-test.mjs']), Date.now() - t);
	}
}

/** Run a node script that prints "<label>: N passed, N failed"; a crash or a non-zero exit without failures counts as one failure. */
function runScript(label, scriptArgs) {
	return new Promise((resolve) => {
		const child = spawn(process.execPath, scriptArgs, { stdio: ['ignore', 'pipe', 'inherit'] });
		const pattern = new RegExp(`^${label.replace(/[()]/g, '\\$&')}: (\\d+) passed, (\\d+) failed`);
		let summary;
		let buffer = '';
		child.stdout.on('data', (d) => {
			process.stdout.write(d);
			buffer += d;
			const lines = buffer.split('\n');
			buffer = lines.pop();
			for (const line of lines) {
				const m = pattern.exec(line.trim());
				if (m) summary = { passed: +m[1], failed: +m[2] };
			}
		});
		child.on('close', (code) => {
			// Crashed or timed out before the summary, or failed outside mocha: count it as a failure.
			const s = summary ?? { passed: 0, failed: 1 };
			resolve(code !== 0 && s.failed === 0 ? { ...s, failed: 1 } : s);
		});
	});
}

const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
console.log(`\n== ${results.map((r) => `${r.suite} ${r.passed}/${r.passed + r.failed}`).join(', ')} in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
