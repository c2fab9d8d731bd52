// Renders docs/icon.svg to docs/icon.png (128×128, transparent background), the extension's Marketplace icon,
// with playwright-core and Debian's Chromium (the browser the UI test uses).
//   node docs/render-icon.mjs
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const here = new URL('.', import.meta.url).pathname;
const svg = readFileSync(join(here, 'icon.svg'), 'utf8');
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
try {
	const page = await browser.newPage({ viewport: { width: 128, height: 128 }, deviceScaleFactor: 1 });
	await page.setContent(`<!doctype html><html><body style="margin:0;background:transparent">${svg}</body></html>`);
	await page.locator('svg').screenshot({ path: join(here, 'icon.png'), omitBackground: true });
} finally {
	await browser.close();
}
console.log('docs/icon.png written');
