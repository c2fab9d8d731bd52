// The extension-host suite: `node test/e2e/run.mjs [--grep PATTERN]`.
// 1. installs what it needs once (setup.sh: apt packages, code-server 4.100.3 into .cache/), 2. builds the suite,
// 3. runs it with @vscode/test-electron's runTests(). Here `vscodeExecutablePath` is code-shim.mjs, which runs the
// suite in code-server's extension host with headless Chromium (no desktop VS Code can be downloaded on this
// machine). On a machine with internet, leave `vscodeExecutablePath` out (ARC_LOGS_E2E_DESKTOP=1): runTests
// downloads desktop VS Code and runs the very same suite there.
// The suite prints "extension-host: N passed, N failed"; the exit code is the suite's result.
import { runTests } from '@vscode/test-electron';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';

const here = new URL('.', import.meta.url).pathname;
const root = join(here, '..', '..');
const args = process.argv.slice(2);
const grepAt = args.indexOf('--grep');
const desktop = process.env.ARC_LOGS_E2E_DESKTOP === '1';
const t0 = Date.now();

if (!existsSync(join(root, 'client/out/extension.js')) || !existsSync(join(root, 'server/out/server.js'))) {
	execFileSync(process.execPath, [join(root, 'build.mjs')], { stdio: 'inherit' });
}
let entry;
if (!desktop) {
	entry = execFileSync('bash', [join(here, 'setup.sh')], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' }).trim().split('\n').pop();
	console.log(`[e2e] setup ${Date.now() - t0} ms`);
}

execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(here, 'tsconfig.json')], { stdio: 'inherit' });
const outdir = join(root, 'test/out/e2e');
rmSync(outdir, { recursive: true, force: true });
await esbuild.build({
	entryPoints: [join(here, 'suite/index.ts'), join(here, 'suite/extension.test.ts'), join(here, 'suite/redact.test.ts'), join(here, 'suite/largeFile.test.ts'), join(here, 'suite/case.test.ts')],
	outdir,
	bundle: true,
	platform: 'node',
	target: 'node20',
	format: 'cjs',
	sourcemap: 'inline',
	external: ['vscode', 'mocha'],
	logLevel: 'warning',
});

// A throw-away workspace with the bundled samples and the test fixtures (tests edit documents, never the repo).
const workspace = mkdtempSync(join(tmpdir(), 'arc-logs-e2e-ws-'));
cpSync(join(root, 'samples'), join(workspace, 'samples'), { recursive: true });
cpSync(join(root, 'test/fixtures/logs'), join(workspace, 'test/fixtures/logs'), { recursive: true });
// Opened as a workspace file with that one folder: the suite mounts bundles as more workspace folders, which in a
// single-folder window would reload it (VS Code turns it into a multi-root workspace first).
const workspaceFile = join(workspace, 'arc-logs-e2e.code-workspace');
writeFileSync(workspaceFile, JSON.stringify({ folders: [{ path: '.' }] }));

let code = 1;
try {
	code = await runTests({
		...(desktop ? {} : { vscodeExecutablePath: join(here, 'code-shim.mjs') }),
		extensionDevelopmentPath: root,
		extensionTestsPath: join(outdir, 'index.js'),
		launchArgs: [workspaceFile, '--disable-extensions'],
		extensionTestsEnv: {
			...(entry ? { CODE_SERVER_ENTRY: entry } : {}),
			...(grepAt >= 0 ? { ARC_LOGS_E2E_GREP: args[grepAt + 1] } : {}),
		},
	});
} catch (e) {
	console.error(`[e2e] ${e instanceof Error ? e.message : String(e)}`);
	code = 1;
} finally {
	rmSync(workspace, { recursive: true, force: true });
}
console.log(`[e2e] extension-host suite done in ${Date.now() - t0} ms (exit ${code})`);
process.exit(code);
