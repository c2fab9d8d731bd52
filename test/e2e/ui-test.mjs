// The UI test: the real VS Code web workbench (code-server) in headless Chromium, driven like a user would with
// playwright-core: open an azcmagent log, see the squiggles and the Problems entries, hover the code and read it,
// run Next Failure from the palette and read the cursor position, apply a quick fix with Ctrl+., open the Outline,
// open a cloud-init log, the Failures view of the folder, open a shipped sample from the walkthrough; on a .vsix, assert the package's file list.
// Screenshots go to test/e2e/screenshots/ (git-ignored).
//   node test/e2e/ui-test.mjs [--vsix FILE]     (a .vsix is installed with --install-extension, as a user would;
//                                                 else the folder is loaded as extensionDevelopmentPath, like F5)
//   ARC_LOGS_README_SHOTS=1 node test/e2e/ui-test.mjs
//                                               also writes the README's screenshots, clipped to the area that
//                                               matters, into docs/screenshots/ (committed); folder run only
// Expected positions come from the CLI (the same analysis), never from numbers written here: the core may find more.
// Prints "ui: N passed, N failed".
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium, showHover, startCodeServer, workbenchUrl } from './harness.mjs';

const here = new URL('.', import.meta.url).pathname;
const root = join(here, '..', '..');
const args = process.argv.slice(2);
const vsix = args.includes('--vsix') ? args[args.indexOf('--vsix') + 1] : undefined;
const label = vsix ? 'ui (vsix)' : 'ui';
const shots = join(here, 'screenshots', vsix ? 'vsix' : 'folder');
mkdirSync(shots, { recursive: true });
const readmeShots = !vsix && process.env.ARC_LOGS_README_SHOTS === '1' ? join(root, 'docs', 'screenshots') : undefined;
if (readmeShots) mkdirSync(readmeShots, { recursive: true });
const t0 = Date.now();
const log = (m) => console.log(`[${label}] ${((Date.now() - t0) / 1000).toFixed(1)}s ${m}`);

const entry = execFileSync('bash', [join(here, 'setup.sh')], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' }).trim().split('\n').pop();
const workspace = mkdtempSync(join(tmpdir(), 'arc-logs-ui-ws-'));
cpSync(join(root, 'samples'), join(workspace, 'samples'), { recursive: true });
const AZ = join(workspace, 'samples/arc-linux-vm/azcmagent.log');

/** The first failure (error or warning) of a log, 1-based, as the CLI reports it. */
function firstFailure(file) {
	const out = execFileSync(process.execPath, [join(root, 'server/out/cli.js'), 'scan', '--format', 'json', '--exit-zero', file], { encoding: 'utf8' });
	const findings = JSON.parse(out).files[0].findings.filter((f) => f.severity === 'error' || f.severity === 'warning');
	findings.sort((a, b) => a.line - b.line || a.column - b.column);
	return findings[0];
}

const checks = [];
const check = (name, fn) => checks.push({ name, fn });
let passed = 0;
let failed = 0;

const cs = await startCodeServer({ codeServerEntry: entry, vsix: vsix ? join(process.cwd(), vsix) : undefined });
log(`code-server on ${cs.url}`);
const chrome = await launchChromium();
const page = await chrome.browser.newPage({ viewport: { width: 1400, height: 900 } });
const editor = page.locator('.editor-instance .monaco-editor').first();
const problems = page.locator('.markers-panel');
const first = firstFailure(AZ);

/**
 * A README screenshot (ARC_LOGS_README_SHOTS=1 only): the page clipped to the union of the given parts (visible
 * ones), with a margin, so the image shows what the README says and stays small.
 */
async function readmeShot(name, parts, { margin = 8, maxWidth = Infinity, maxHeight = Infinity } = {}) {
	if (!readmeShots) return;
	const boxes = [];
	for (const part of parts) {
		const box = await part.first().boundingBox().catch(() => null);
		if (box && box.width > 0 && box.height > 0) boxes.push(box);
	}
	assert.ok(boxes.length > 0, `${name}: nothing to clip to`);
	const view = page.viewportSize();
	const x = Math.max(0, Math.min(...boxes.map((b) => b.x)) - margin);
	const right = Math.min(view.width, x + maxWidth, Math.max(...boxes.map((b) => b.x + b.width)) + margin);
	const bottom = Math.min(view.height, Math.max(...boxes.map((b) => b.y + b.height)) + margin);
	const y = Math.max(0, bottom - maxHeight, Math.min(...boxes.map((b) => b.y)) - margin); // too tall: keep the bottom
	await page.screenshot({ path: join(readmeShots, name), clip: { x, y, width: right - x, height: bottom - y } });
}

async function palette(command) {
	await page.keyboard.press('F1');
	await page.keyboard.type(command);
	await page.locator('.quick-input-list .monaco-list-row', { hasText: command.replace(/^.*?: /, '') }).first().waitFor();
	await page.keyboard.press('Enter');
}

if (vsix) {
	check('the .vsix holds the bundles, the server the client starts, the icon, changelog, walkthrough and samples, and nothing else', async () => {
		const { unzipSync } = await import('fflate');
		const names = [];
		unzipSync(readFileSync(join(process.cwd(), vsix)), { filter: (entry) => (names.push(entry.name), false) });
		const files = names.filter((n) => n.startsWith('extension/')).map((n) => n.slice('extension/'.length));
		const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
		const media = manifest.contributes.walkthroughs.flatMap((w) => w.steps.map((s) => s.media.markdown ?? s.media.image));
		const required = [
			// vsce stores README.md, CHANGELOG.md and LICENSE under these names
			'package.json', 'readme.md', 'changelog.md', 'LICENSE.txt', 'NOTICE', manifest.icon,
			'client/out/extension.js', 'server/out/server.js', 'server/out/cli.js',
			'client/out/browser.js', 'server/out/browser.js',
			'l10n/bundle.l10n.sv.json', 'l10n/bundle.l10n.nl.json', 'package.nls.json', 'package.nls.sv.json', 'package.nls.nl.json',
			'syntaxes/azcmagent-log.tmLanguage.json', 'syntaxes/cloud-init-log.tmLanguage.json',
			'samples/arc-linux-vm/azcmagent.log', 'samples/nexus-vm/cloud-init-output.log',
			...media,
		];
		// What the README and the walkthrough media show (relative images, resolved inside the installed extension).
		for (const md of ['README.md', ...media]) {
			for (const [, image] of readFileSync(join(root, md), 'utf8').matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)) {
				if (!/^https?:/.test(image)) required.push(join(md, '..', image).replace(/^\.\//, ''));
			}
		}
		assert.equal(manifest.icon, 'docs/icon.png');
		assert.ok(media.length === 3, `three walkthrough steps with media: ${JSON.stringify(media)}`);
		for (const f of required) assert.ok(files.includes(f), `${f} in ${JSON.stringify(files)}`);
		// The clients start the server by these paths: desktop context.asAbsolutePath('server/out/server.js'), web
		// Uri.joinPath(context.extensionUri, 'server/out/browser.js').
		assert.match(readFileSync(join(root, 'client/src/node.ts'), 'utf8'), /asAbsolutePath\('server\/out\/server\.js'\)/);
		assert.match(readFileSync(join(root, 'client/src/browser.ts'), 'utf8'), /joinPath\(context\.extensionUri, 'server\/out\/browser\.js'\)/);
		assert.equal(manifest.main, './client/out/extension.js');
		assert.equal(manifest.browser, './client/out/browser.js');
		// No sources, tests, maps, corpus, benchmarks or other samples.
		const shippedSamples = ['samples/arc-linux-vm/azcmagent.log', 'samples/nexus-vm/cloud-init-output.log'];
		const unexpected = files.filter(
			(f) =>
				/\.(ts|map|mjs|svg)$|^(test|bench|server\/src|server\/knowledge|client\/src|syntaxes\/src|node_modules|\.cache)\//.test(f) ||
				/(^|\/)corpus\//.test(f) ||
				(f.startsWith('samples/') && !shippedSamples.includes(f)),
		);
		assert.deepEqual(unexpected, []);
	});
}

check('opens an azcmagent log and draws the squiggles', async () => {
	// The workbench's load event can take well over playwright's default 30 s on a loaded 2-core machine.
	await page.goto(workbenchUrl(cs, { folder: workspace, extensionDevelopmentPath: vsix ? undefined : root, openFile: AZ }), { timeout: 180000 });
	await editor.locator('.view-lines', { hasText: 'Agent Command' }).first().waitFor({ timeout: 60000 });
	await page.locator('.squiggly-error').first().waitFor({ timeout: 30000 });
});

check('lists the failure in the Problems panel', async () => {
	await editor.click();
	await page.keyboard.press('Control+Shift+M');
	await problems.getByText(first.id, { exact: false }).first().waitFor();
	await page.screenshot({ path: join(shots, '1-problems.png') });
});

check('runs Next Failure from the palette: the cursor is on the first failure', async () => {
	await editor.click();
	await page.keyboard.press('Control+Home');
	await palette('Arc Logs: Next Failure');
	const cursor = page.locator('[id="status.editor.selection"]');
	await cursor.getByText(`Ln ${first.line}, Col ${first.column}`).waitFor();
	// Revealed from the line start: the time at the start of the failing record is on screen.
	const lineText = readFileSync(AZ, 'utf8').split('\n')[first.line - 1];
	await editor.locator('.view-line', { hasText: lineText.slice(0, 30) }).first().waitFor();
	await page.screenshot({ path: join(shots, '2-next-failure.png') });
	// The squiggle of the failure on screen, and its entry with the related locations in the Problems panel.
	await readmeShot('problems.png', [page.locator('.part.editor'), problems.locator('.monaco-list-row').last()], { margin: 4, maxWidth: 820, maxHeight: 500 });
});

check('hovers the code: cause and remediation', async () => {
	// Our hover (not only the problem's message): the remediation the analysis gives for this finding.
	const remediation = first.remediation.replace(/[`*_\\]/g, '').slice(0, 30);
	const text = await showHover(page, remediation);
	assert.match(text, new RegExp(first.id));
	const hover = page.locator('.monaco-hover:visible');
	await page.screenshot({ path: join(shots, '3-hover.png') });
	await readmeShot('hover.png', [hover, editor.locator('.cursors-layer .cursor')], { margin: 24 });
	await page.keyboard.press('Escape');
});

check('applies the quick fix with Ctrl+.: the remediation opens', async () => {
	await page.keyboard.press('Control+.');
	const menu = page.locator('.action-widget');
	await menu.getByText(`Show remediation for ${first.id}`).waitFor();
	await page.screenshot({ path: join(shots, '4-quick-fix-menu.png') });
	await readmeShot('quick-fix.png', [menu, editor.locator('.cursors-layer .cursor')], { margin: 48 });
	await page.keyboard.press('Enter'); // the focused first entry; a mouse click is swallowed by the menu's pointer shield
	await page.locator('.tab', { hasText: first.id }).first().waitFor();
	// The markdown preview renders in a webview (an iframe inside an iframe): wait for the page's text there.
	const preview = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
	await preview.getByText(first.id, { exact: false }).first().waitFor({ timeout: 30000 });
	await page.screenshot({ path: join(shots, '5-remediation.png') });
	await readmeShot('remediation.png', [page.locator('.editor-group-container', { has: page.locator('.tab', { hasText: first.id }) })], { margin: 0 });
});

check('opens the Outline with the agent runs', async () => {
	await page.locator('.tab', { hasText: 'azcmagent.log' }).first().click();
	await palette('Explorer: Focus on Outline View');
	const outline = page.locator('.outline-pane, [id="outline"]').first();
	await page.locator('.monaco-list-row', { hasText: /connect/ }).first().waitFor();
	void outline;
	await page.screenshot({ path: join(shots, '6-outline.png') });
	await page.mouse.move(1200, 300); // no tab tooltip in the picture
	await readmeShot('outline.png', [page.locator('.part.sidebar')], { margin: 0 });
});

check('opens a cloud-init log: its failures in the Problems panel', async () => {
	const ci = join(workspace, 'samples/nexus-vm/cloud-init-output.log');
	const ciFirst = firstFailure(ci);
	await page.keyboard.press('Control+p');
	await page.keyboard.type('cloud-init-output.log');
	await page.locator('.quick-input-list .monaco-list-row', { hasText: 'cloud-init-output.log' }).first().waitFor();
	await page.keyboard.press('Enter');
	await page.locator('.tab', { hasText: 'cloud-init-output.log' }).first().waitFor();
	await problems.getByText(ciFirst.id, { exact: false }).first().waitFor();
	await page.screenshot({ path: join(shots, '7-cloud-init.png') });
});

check('the Arc Logs Failures view lists the failures of the folder by machine, and a click reveals the line', async () => {
	await palette('Explorer: Focus on Arc Logs Failures View');
	const view = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Arc Logs Failures' }) }).first();
	// Room for the view: the other sections of the Explorer (folders, Outline, Timeline) are collapsed.
	const others = page.locator('.part.sidebar .pane-header[aria-expanded="true"]').filter({ hasNotText: 'Arc Logs Failures' });
	for (let i = 0; i < 6 && (await others.count()) > 0; i++) await others.first().click();
	// The samples' machines are groups (expanded when they failed), a failed run's failures under it.
	await view.locator('.monaco-list-row', { hasText: 'arc-linux-vm' }).first().waitFor({ timeout: 60000 });
	const failure = view.locator('.monaco-list-row', { hasText: `${first.id}:` }).first();
	await failure.waitFor();
	// A click on the failure reveals its line in the log.
	await failure.click();
	await page.locator('.tab.active', { hasText: 'azcmagent.log' }).first().waitFor();
	await page.locator('[id="status.editor.selection"]').getByText(`Ln ${first.line},`).waitFor();
	await page.screenshot({ path: join(shots, '8-failures-view.png') });
	await page.mouse.move(1200, 300);
	await readmeShot('failures-view.png', [page.locator('.part.sidebar')], { margin: 0 });
});

check('the walkthrough opens a sample log from the package, analyzed', async () => {
	await palette('View: Close All Editors');
	await page.locator('.tab').first().waitFor({ state: 'detached' });
	await palette('Welcome: Open Walkthrough...');
	await page.keyboard.type('Arc Logs');
	await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Get started with Arc Logs' }).first().waitFor();
	await page.keyboard.press('Enter');
	const button = page.getByRole('button', { name: 'Open sample azcmagent.log' });
	await button.waitFor({ timeout: 30000 });
	await page.screenshot({ path: join(shots, '8-walkthrough.png') });
	await button.click();
	await page.locator('.tab', { hasText: 'azcmagent.log' }).first().waitFor();
	// A copy in the extension's storage (the package stays as shipped), analyzed: its problems are listed.
	await problems.locator('.monaco-list-row', { hasText: 'globalStorage' }).first().waitFor({ timeout: 30000 });
	await problems.getByText(first.id, { exact: false }).first().waitFor();
	await page.screenshot({ path: join(shots, '9-walkthrough-sample.png') });
});

try {
	for (const { name, fn } of checks) {
		if (failed > 0) {
			log(`skipped after a failure: ${name}`);
			failed++;
			continue;
		}
		try {
			await fn();
			passed++;
			log(`✔ ${name}`);
		} catch (e) {
			failed++;
			log(`✘ ${name}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
			await page.screenshot({ path: join(shots, 'failure.png') }).catch(() => undefined);
		}
	}
} finally {
	await chrome.close();
	await cs.stop();
	rmSync(workspace, { recursive: true, force: true });
}
log(`screenshots in ${shots}`);
console.log(`${label}: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
