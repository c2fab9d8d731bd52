// The web smoke test: the extension's browser entry alone, in the real VS Code web workbench (code-server 4.100.3
// in headless Chromium, the harness of the UI test). The workbench runs it in its web worker extension host because
// the test copy of the extension (a throw-away folder) is web-only: its manifest has `extensionKind: ["web"]` and no
// `main`, and the copy holds the browser bundles (client/out/browser.js, server/out/browser.js) but neither
// client/out/extension.js nor server/out/server.js. So the client runs in the browser and starts the language server
// in a web worker; nothing of ours runs in Node. Opens an azcmagent log and asserts a diagnostic (the squiggle and
// its Problems entry), the hover of its code (cause and remediation), the server in a worker of its own, and that
// Restart Server replaces that worker with one that answers.
// Expected positions and text come from the CLI (the same analysis), never from numbers written here.
// (@vscode/test-web would download VS Code from the internet, which this machine cannot reach.)
//   node test/e2e/web-test.mjs          prints "web: N passed, N failed"; screenshots in test/e2e/screenshots/web/
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium, showHover, startCodeServer, workbenchUrl } from './harness.mjs';

const here = new URL('.', import.meta.url).pathname;
const root = join(here, '..', '..');
const label = 'web';
const shots = join(here, 'screenshots', 'web');
mkdirSync(shots, { recursive: true });
const t0 = Date.now();
const log = (m) => console.log(`[${label}] ${((Date.now() - t0) / 1000).toFixed(1)}s ${m}`);

if (!existsSync(join(root, 'client/out/browser.js')) || !existsSync(join(root, 'server/out/browser.js'))) {
	execFileSync(process.execPath, [join(root, 'build.mjs')], { stdio: 'inherit' });
}
const entry = execFileSync('bash', [join(here, 'setup.sh')], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' }).trim().split('\n').pop();

// The web-only copy of the extension: what the .vsix ships for the web, and nothing that runs in Node.
const tmp = mkdtempSync(join(tmpdir(), 'arc-logs-web-'));
const extension = join(tmp, 'extension');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
delete manifest.main;
manifest.extensionKind = ['web'];
mkdirSync(extension);
writeFileSync(join(extension, 'package.json'), JSON.stringify(manifest, null, 2));
for (const f of ['client/out/browser.js', 'server/out/browser.js', 'syntaxes', 'l10n', 'package.nls.json', 'package.nls.sv.json', 'package.nls.nl.json']) {
	cpSync(join(root, f), join(extension, f), { recursive: true });
}
// The manifest's web entry is the bundle copied (a precondition, not a check).
assert.equal(manifest.browser, './client/out/browser.js');
const workspace = join(tmp, 'workspace');
cpSync(join(root, 'samples/arc-linux-vm'), join(workspace, 'arc-linux-vm'), { recursive: true });
const AZ = join(workspace, 'arc-linux-vm/azcmagent.log');

/** The first failure (error or warning) of a log, 1-based, as the CLI reports it. */
function firstFailure(file) {
	const out = execFileSync(process.execPath, [join(root, 'server/out/cli.js'), 'scan', '--format', 'json', '--exit-zero', file], { encoding: 'utf8' });
	const findings = JSON.parse(out).files[0].findings.filter((f) => f.severity === 'error' || f.severity === 'warning');
	findings.sort((a, b) => a.line - b.line || a.column - b.column);
	return findings[0];
}
const first = firstFailure(AZ);
/** The start of its remediation as the hover renders it (markdown marks dropped). */
const remediation = first.remediation.replace(/[`*_\\]/g, '').slice(0, 30);

const checks = [];
const check = (name, fn) => checks.push({ name, fn });
let passed = 0;
let failed = 0;

const cs = await startCodeServer({ codeServerEntry: entry });
log(`code-server on ${cs.url}`);
const chrome = await launchChromium();
const page = await chrome.browser.newPage({ viewport: { width: 1400, height: 900 } });
page.setDefaultTimeout(60000);
const editor = page.locator('.editor-instance .monaco-editor').first();
// Workers the page starts (the web worker extension host, and the language server's worker it starts).
const workers = [];
page.on('worker', (w) => workers.push(w));
if (process.env.ARC_LOGS_WEB_DEBUG) page.on('console', (m) => log(`console.${m.type()}: ${m.text()}`));

check('opens an azcmagent log: the squiggle and the Problems entry of its first failure', async () => {
	await page.goto(workbenchUrl(cs, { folder: workspace, extensionDevelopmentPath: extension, openFile: AZ }), { waitUntil: 'domcontentloaded', timeout: 90000 });
	// Generous timeouts, not speed goals: on a busy 2-core machine the web worker extension host starts late.
	await editor.locator('.view-lines', { hasText: 'Agent Command' }).first().waitFor({ timeout: 120000 });
	await page.locator('.squiggly-error').first().waitFor({ timeout: 180000 });
	await editor.click();
	await page.keyboard.press('Control+Shift+M');
	await page.locator('.markers-panel').getByText(first.id, { exact: false }).first().waitFor();
	await page.screenshot({ path: join(shots, '1-problems.png') });
});

/** Put the cursor on the first failure's code (Go to Line) and show the hover there, with its remediation; resolves
 * to the hover's text. */
async function hoverFirstFailure() {
	await editor.click();
	await page.keyboard.press('Control+g');
	await page.keyboard.type(`${first.line}:${first.column}`);
	await page.keyboard.press('Enter');
	await page.locator('[id="status.editor.selection"]').getByText(`Ln ${first.line}, Col ${first.column}`).waitFor();
	return showHover(page, remediation);
}

check('hovers the code: cause and remediation', async () => {
	assert.match(await hoverFirstFailure(), new RegExp(first.id));
	await page.screenshot({ path: join(shots, '2-hover.png') });
	await page.keyboard.press('Escape');
});

/** Is this the language server's worker? By the name client/src/browser.ts gives it, which VS Code's web worker
 * extension host prefixes ("ExtensionHostWorker -> "); a worker that ended has none. */
const isServer = async (w) => /Arc Logs language server$/.test((await w.evaluate(() => self.name).catch(() => '')) ?? '');
const serverWorkers = async () => {
	const flags = await Promise.all(workers.map(isServer));
	return workers.filter((_, i) => flags[i]);
};

check('the language server runs in a web worker of its own', async () => {
	assert.equal((await serverWorkers()).length, 1);
});

check('Restart Server ends the server worker and starts a fresh one that answers', async () => {
	const [old] = await serverWorkers();
	const closed = new Promise((resolve) => old.once('close', resolve));
	const fresh = new Promise((resolve) => page.on('worker', async (w) => (await isServer(w)) && resolve(w)));
	await editor.click();
	await page.keyboard.press('F1');
	await page.keyboard.type('Arc Logs: Restart Language Server');
	await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Restart Language Server' }).first().waitFor();
	await page.keyboard.press('Enter');
	await Promise.all([closed, fresh]);
	assert.equal((await serverWorkers()).length, 1);
	// The new server analyzes the log again: the hover of the code comes back.
	await hoverFirstFailure();
	await page.keyboard.press('Escape');
});

try {
	for (const { name, fn } of checks) {
		try {
			await fn();
			passed++;
			log(`ok   ${name}`);
		} catch (e) {
			failed++;
			log(`FAIL ${name}: ${e instanceof Error ? e.message : String(e)}`);
			await page.screenshot({ path: join(shots, `fail-${passed + failed}.png`) }).catch(() => {});
		}
	}
} finally {
	await chrome.close();
	await cs.stop();
	rmSync(tmp, { recursive: true, force: true });
}
console.log(`${label}: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
