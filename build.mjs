// Build: compile the knowledge base from the vendored articles, then bundle the client, the server and the CLI.
//   node build.mjs               knowledge + bundles
//   node build.mjs --tests       also bundle every test/**/*.test.ts to test/out/ (packages stay external)
//   node build.mjs --production  minified bundles without source maps (for packaging)
import * as esbuild from 'esbuild';
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync, mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';

const argv = process.argv.slice(2);
const production = argv.includes('--production');
const withTests = argv.includes('--tests');
const root = new URL('.', import.meta.url).pathname;
process.chdir(root);

const common = {
	bundle: true,
	platform: 'node',
	target: 'node20',
	format: 'cjs',
	sourcemap: !production,
	minify: production,
	logLevel: 'warning',
	legalComments: 'none',
};

// 1. Knowledge: the compiler is TypeScript too; bundle it and run it. It writes the generated knowledge data.
mkdirSync('.build', { recursive: true });
await esbuild.build({ ...common, sourcemap: true, entryPoints: ['server/knowledge/compiler/main.ts'], outfile: '.build/compile-knowledge.js' });
execFileSync(process.execPath, ['--enable-source-maps', '.build/compile-knowledge.js'], { stdio: 'inherit' });

// 2. The shipped bundles.
await Promise.all([
	esbuild.build({ ...common, entryPoints: ['client/src/node.ts'], outfile: 'client/out/extension.js', external: ['vscode'] }),
	esbuild.build({ ...common, entryPoints: ['server/src/node/main.ts'], outfile: 'server/out/server.js' }),
	esbuild.build({ ...common, entryPoints: ['server/src/cli/main.ts'], outfile: 'server/out/cli.js', banner: { js: '#!/usr/bin/env node' } }),
	// The web build (package.json `browser`): the client for a web worker extension host, the server in a web worker of
	// its own. Platform browser: a Node API anywhere below these entries fails the build.
	esbuild.build({ ...common, platform: 'browser', target: 'es2022', entryPoints: ['client/src/browser.ts'], outfile: 'client/out/browser.js', external: ['vscode'] }),
	esbuild.build({ ...common, platform: 'browser', target: 'es2022', format: 'iife', entryPoints: ['server/src/browser/main.ts'], outfile: 'server/out/browser.js' }),
]);

// 3. Tests (only for `npm test`).
if (withTests) {
	const entries = [];
	const walk = (dir) => {
		for (const name of readdirSync(dir)) {
			const p = join(dir, name);
			if (name === 'out' || name === 'node_modules' || name === 'fixtures' || name === 'e2e') continue;
			if (statSync(p).isDirectory()) walk(p);
			else if (name.endsWith('.test.ts')) entries.push(p);
		}
	};
	walk('test');
	await esbuild.build({
		...common,
		sourcemap: 'inline',
		entryPoints: entries,
		outdir: 'test/out',
		outbase: 'test',
		packages: 'external',
	});
	console.log(`built ${entries.length} test files: ${entries.map((e) => relative('test', e)).join(', ')}`);
}
