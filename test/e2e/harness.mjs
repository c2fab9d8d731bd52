// Start code-server on 127.0.0.1 and open its web workbench in Debian's Chromium via playwright-core.
// (From ../shared/real-editor-tests/harness.mjs; the page grants clipboard access for the extension-host suite.)
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { chromium } from 'playwright-core';

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
    s.on('error', reject);
  });
}

// User settings for a quiet, stable workbench (no welcome page, no AI/chat entries in menus, no telemetry).
export const DEFAULT_SETTINGS = { 'workbench.startupEditor': 'none', 'chat.disableAIFeatures': true,
  'telemetry.telemetryLevel': 'off', 'extensions.autoCheckUpdates': false, 'update.mode': 'none' };

// codeServerEntry: path to node_modules/code-server/out/node/entry.js
// node: the Node binary that runs it (the major that code-server's "engines" names)
// vsix: optional .vsix to install first (as a user would), with `code-server --install-extension`
export async function startCodeServer({ codeServerEntry, node = process.execPath, vsix, settings = DEFAULT_SETTINGS,
  extraArgs = [], log = () => {} }) {
  const tmp = mkdtempSync(join(tmpdir(), 'cs-e2e-'));
  mkdirSync(join(tmp, 'user-data', 'User'), { recursive: true });
  writeFileSync(join(tmp, 'user-data', 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  const dirs = ['--user-data-dir', join(tmp, 'user-data'), '--extensions-dir', join(tmp, 'extensions')];
  const env = { ...process.env, HOME: tmp, XDG_CONFIG_HOME: join(tmp, 'xdg') };
  if (vsix) log(execFileSync(node, [codeServerEntry, '--config', join(tmp, 'none.yaml'), ...dirs, '--install-extension', vsix], { env, encoding: 'utf8' }));
  const port = await freePort();
  writeFileSync(join(tmp, 'config.yaml'), `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  // Since VS Code 1.10x a *built* web workbench honours the extensionDevelopmentPath/extensionTestsPath
  // payload only when the server runs with --enable-smoke-test-driver. code-server >= 4.13x passes it
  // through with --vscode-option; older ones (4.100.x) honour the payload without it.
  const passThrough = readFileSync(join(dirname(codeServerEntry), 'cli.js'), 'utf8').includes('"vscode-option"')
    ? ['--vscode-option', 'enable-smoke-test-driver'] : [];
  const args = [codeServerEntry, ...passThrough, '--config', join(tmp, 'config.yaml'), '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none', '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
    '--disable-getting-started-override', '--ignore-last-opened',
    ...dirs, ...extraArgs];
  const t0 = Date.now();
  const proc = spawn(node, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const killOnExit = () => { try { proc.kill('SIGTERM'); } catch {} };
  process.on('exit', killOnExit);
  let out = '';
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('code-server did not start:\n' + out)), 60000);
    const onData = d => { out += d; log(String(d)); if (/HTTP server listening/.test(out)) { clearTimeout(timer); resolve(); } };
    proc.stdout.on('data', onData); proc.stderr.on('data', onData);
    proc.on('exit', code => { clearTimeout(timer); reject(new Error(`code-server exited ${code}:\n${out}`)); });
  });
  const startedMs = Date.now() - t0;
  return {
    port, tmp, proc, startedMs, url: `http://127.0.0.1:${port}/`,
    remote: p => `vscode-remote://127.0.0.1:${port}${p}`,
    async stop() { proc.removeAllListeners('exit'); proc.kill('SIGTERM'); await new Promise(r => setTimeout(r, 300)); rmSync(tmp, { recursive: true, force: true }); }
  };
}

// playwright's launch() gives Chromium a fresh, empty profile (--user-data-dir) of its own each time.
export async function launchChromium() {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: CHROMIUM_ARGS });
  return { browser, close: () => browser.close() };
}

// Show the editor hover at the cursor (Ctrl+K Ctrl+I) and wait until a visible hover holds `text` (white space
// folded). The chord is pressed again (after Escape, with the first editor group focused) when no such hover came:
// on a loaded machine a key of the chord can land while the workbench moves focus, and then no hover is requested.
// Resolves to the hover's text, read in the page in the same step that found it (a hover can close a moment later,
// before a second lookup); throws the last wait's error when no attempt showed the text.
export async function showHover(page, text, { attempts = 3, timeout = 10000 } = {}) {
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Control+1');
    await page.keyboard.press('Control+k');
    await page.keyboard.press('Control+i');
    try {
      const found = await page.waitForFunction((want) => {
        const fold = (s) => s.replace(/\s+/g, ' ');
        for (const el of document.querySelectorAll('.monaco-hover')) {
          if (!el.getClientRects().length || getComputedStyle(el).visibility === 'hidden') continue;
          const inner = el.innerText;
          if (fold(inner).includes(fold(want))) return inner;
        }
        return false;
      }, text, { timeout });
      return await found.jsonValue();
    } catch (e) {
      if (attempt >= attempts) throw e;
      await page.keyboard.press('Escape');
    }
  }
}

// URL of the workbench with a folder open and, optionally, extension development / tests paths
// (the same payload keys VS Code's own web test runner passes).
export function workbenchUrl(cs, { folder, extensionDevelopmentPath, extensionTestsPath, openFile }) {
  const payload = [];
  if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', cs.remote(extensionDevelopmentPath)]);
  if (extensionTestsPath) payload.push(['extensionTestsPath', cs.remote(extensionTestsPath)]);
  if (openFile) payload.push(['openFile', cs.remote(openFile)]);
  // A .code-workspace file opens as a (multi-root) workspace: adding a folder then keeps the window (and the tests).
  const q = new URLSearchParams(folder.endsWith('.code-workspace') ? { workspace: folder } : { folder });
  if (payload.length) q.set('payload', JSON.stringify(payload));
  return `${cs.url}?${q}`;
}

// Run an extension's test module (extensionTestsPath) inside code-server's Node extension host,
// the way @vscode/test-electron does in desktop VS Code. Resolves to the test run's exit code.
export async function runExtensionTests({ codeServerEntry, node, extensionDevelopmentPath, extensionTestsPath, folder,
  timeoutMs = 900000, log = (...a) => console.log(...a) }) {
  const cs = await startCodeServer({ codeServerEntry, node });
  log(`[e2e] code-server up on ${cs.url} in ${cs.startedMs} ms`);
  let chrome, code = 1;
  try {
    chrome = await launchChromium();
    // The suite reads back what "Copy suggested command" put on the clipboard.
    const context = await chrome.browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
    const page = await context.newPage();
    const done = new Promise(res => page.exposeFunction('codeAutomationExit', c => res(c)));
    await page.exposeFunction('codeAutomationLog', (type, args) => log(...args));
    // The workbench's load event can take well over playwright's default 30 s on a loaded 2-core machine.
    await page.goto(workbenchUrl(cs, { folder, extensionDevelopmentPath, extensionTestsPath }), { timeout: 180000 });
    code = await Promise.race([done, new Promise(r => setTimeout(() => r('timeout'), timeoutMs))]);
    if (code === 'timeout') { log(`[e2e] no result after ${timeoutMs / 1000} s`); code = 1; }
  } finally {
    if (chrome) await chrome.close();
    await cs.stop();
  }
  return code;
}
