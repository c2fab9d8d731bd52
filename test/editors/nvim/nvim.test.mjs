// Neovim's built-in LSP client (headless, Debian's neovim) against `node server/out/server.js --stdio`: it gets the
// diagnostics, a hover on a code, and every code action works when applied through Neovim's own code-action path.
// Run by test/run.mjs after the build (the server bundle must exist).
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const here = new URL('.', import.meta.url).pathname;
const root = join(here, '..', '..', '..');

function probe(file, code) {
	const stdout = execFileSync('bash', [join(here, 'run-nvim.sh'), join(root, 'server/out/server.js'), join(root, file), code], {
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'ignore'],
	});
	const result = JSON.parse(stdout.trim().split('\n').pop());
	assert.equal(result.error, undefined, result.error);
	return result;
}

const CASES = [
	// code, fixture: codes these logs are known to contain (the core may find more around them)
	['AZCM0042', 'test/fixtures/logs/azcmagent-log/connect-provider-not-registered.log'],
	['CI-SCRIPT-FAILED', 'samples/nexus-vm/cloud-init.log'],
];

for (const [code, file] of CASES) {
	describe(`neovim as an LSP client: ${code} in ${file}`, function () {
		this.timeout(60000);
		let r;
		before(() => {
			r = probe(file, code);
		});

		it('sees the server run its commands (executeCommandProvider)', () => {
			assert.match(r.client, /^neovim \d+\.\d+/);
			assert.ok(r.execute_commands, 'executeCommandProvider');
			for (const c of ['arcLogs.server.showRemediation', 'arcLogs.server.openUrl', 'arcLogs.server.copyCommand', 'arcLogs.server.goToFailure']) {
				assert.ok(JSON.stringify(r.execute_commands).includes(c), c);
			}
		});

		it('gets the diagnostics, with code and source, into vim.diagnostic', () => {
			const target = r.diagnostics.find((d) => d.code === code);
			assert.ok(target, JSON.stringify(r.diagnostics.map((d) => d.code)));
			assert.equal(target.source, 'arc-logs');
			assert.ok(target.codeDescription?.href?.startsWith('https://'));
			assert.equal(r.editor_diagnostics.length, r.diagnostics.length);
			assert.ok(r.editor_diagnostics.some((d) => d.lnum === target.range.start.line && d.source === 'arc-logs'));
		});

		it('hovers on the code', () => {
			assert.equal(r.hover.contents.kind, 'markdown');
			assert.ok(r.hover.contents.value.replace(/\\/g, '').includes(code), r.hover.contents.value.slice(0, 200));
		});

		it('applies every code action, and each does what its title says', () => {
			assert.ok(r.actions.length >= 2, JSON.stringify(r.actions.map((a) => a.title)));
			for (const a of r.actions) {
				assert.equal(a.picked, a.title, 'offered in the code-action menu');
				assert.equal(a.done, true, `${a.title}: the server answered`);
				if (a.command === 'arcLogs.server.showRemediation') {
					// The code's own remediation, or that of an entry that also explains it (its stated cause).
					const id = a.title.slice(a.title.lastIndexOf(' ') + 1);
					assert.ok(a.message.message.includes(id), `the remediation of ${id}, as a message`);
					assert.doesNotMatch(a.message.message, /\\[-.'()]/, 'plain text, no markdown escapes');
				} else if (a.command === 'arcLogs.server.openUrl') {
					assert.equal(a.show_document.external, true);
					assert.match(a.show_document.uri, /^https:\/\//);
				} else if (a.command === 'arcLogs.server.copyCommand') {
					const text = a.title.slice(a.title.indexOf(': ') + 2);
					assert.ok(a.message.message.endsWith(text), a.message.message);
				} else {
					assert.fail(`unexpected command ${a.command} (${a.title})`);
				}
			}
			assert.ok(r.actions.some((a) => a.command === 'arcLogs.server.showRemediation' && a.title.endsWith(code)));
		});

		it('goes to the failure through window/showDocument', () => {
			assert.deepEqual(r.go_to_failure.cursor, r.target.range.start);
			assert.equal(r.go_to_failure.show_document.takeFocus, true);
		});
	});
}
