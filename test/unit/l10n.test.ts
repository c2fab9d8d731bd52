// Every user-visible string has a Swedish and a Dutch translation with the same placeholders:
//  - runtime strings: `l10n.t('...')` in client/src, `t(locale, '...')` (any first argument) in server/src, looked up
//    in l10n/bundle.l10n.sv.json / .nl.json (the bundles VS Code's l10n and the core's t() both read);
//  - manifest strings: every package.nls.json key in package.nls.sv.json / package.nls.nl.json, and every `%key%`
//    used in package.json present in package.nls.json.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const root = resolve(__dirname, '../../..');

function walk(dir: string, out: string[] = []): string[] {
	for (const name of readdirSync(dir)) {
		const p = join(dir, name);
		if (name === 'node_modules' || name === 'out' || name === 'generated') continue;
		if (statSync(p).isDirectory()) walk(p, out);
		else if (name.endsWith('.ts')) out.push(p);
	}
	return out;
}

/** The value of a JS string literal (single, double or backtick without substitutions). */
export function unquote(literal: string): string {
	const body = literal.slice(1, -1);
	return body.replace(/\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)/g, (_m, e: string) => {
		if (e.startsWith('u{')) return String.fromCodePoint(parseInt(e.slice(2, -1), 16));
		if (e.startsWith('u') && e.length === 5) return String.fromCharCode(parseInt(e.slice(1), 16));
		if (e.startsWith('x') && e.length === 3) return String.fromCharCode(parseInt(e.slice(1), 16));
		return ({ n: '\n', t: '\t', r: '\r', '0': '\0' } as Record<string, string>)[e] ?? e;
	});
}

const LITERAL = String.raw`('(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|\x60(?:[^\x60\\$]|\\.)*\x60)`;
/** vscode.l10n.t('...') in the client. */
const CLIENT_CALL = new RegExp(String.raw`\bl10n\.t\(\s*` + LITERAL, 'g');
/** t(locale, '...'), t(loc, '...'), t(this.loc, '...') in the server and the core. */
const SERVER_CALL = new RegExp(String.raw`(?<![\w.$])t\(\s*[A-Za-z_$][\w$.]*\s*,\s*` + LITERAL, 'g');

export function extractMessages(source: string, kind: 'client' | 'server'): string[] {
	const re = kind === 'client' ? CLIENT_CALL : SERVER_CALL;
	return [...source.matchAll(re)].map((m) => unquote(m[1]));
}

function placeholders(s: string): string[] {
	return [...s.matchAll(/\{(\d+)\}/g)].map((m) => m[0]).sort();
}

function readJson(path: string): Record<string, unknown> {
	return JSON.parse(readFileSync(join(root, path), 'utf8')) as Record<string, unknown>;
}

describe('l10n', () => {
	describe('extraction (the scanner itself)', () => {
		it('finds client and server calls with their exact English text', () => {
			const client = `vscode.l10n.t('Copied: {0}', x); l10n.t("It's \\"here\\""); other.t('no', 1)`;
			assert.deepEqual(extractMessages(client, 'client'), ['Copied: {0}', `It's "here"`]);
			const server = `t(locale, '{0} ms', n); t(this.loc, 'Cause logged here'); set(locale, 'not this'); t(\n\tloc,\n\t'It\\'s'\n)`;
			assert.deepEqual(extractMessages(server, 'server'), ['{0} ms', 'Cause logged here', "It's"]);
		});
	});

	const sources: { file: string; kind: 'client' | 'server' }[] = [
		...walk(join(root, 'client/src')).map((file) => ({ file, kind: 'client' as const })),
		...walk(join(root, 'server/src')).map((file) => ({ file, kind: 'server' as const })),
	];
	const messages = new Map<string, string>(); // message -> first file using it
	for (const { file, kind } of sources) {
		for (const m of extractMessages(readFileSync(file, 'utf8'), kind)) if (!messages.has(m)) messages.set(m, relative(root, file));
	}

	it('finds the strings of the client and the server', () => {
		assert.ok(messages.has('Show remediation for {0}'), 'the code actions');
		assert.ok(messages.has('Copied to the clipboard: {0}'), 'the client');
	});

	for (const locale of ['sv', 'nl'] as const) {
		it(`every runtime string has a ${locale} translation with the same placeholders`, () => {
			const bundle = readJson(`l10n/bundle.l10n.${locale}.json`);
			const problems: string[] = [];
			for (const [message, file] of messages) {
				const translation = bundle[message];
				if (typeof translation !== 'string' || translation.trim() === '') problems.push(`missing: ${JSON.stringify(message)} (${file})`);
				else if (placeholders(translation).join() !== placeholders(message).join())
					problems.push(`placeholders differ: ${JSON.stringify(message)} → ${JSON.stringify(translation)} (${file})`);
			}
			assert.deepEqual(problems, []);
		});

		it(`every package.nls.json key has a ${locale} translation with the same placeholders`, () => {
			const en = readJson('package.nls.json');
			const tr = readJson(`package.nls.${locale}.json`);
			const problems: string[] = [];
			for (const [key, english] of Object.entries(en)) {
				const translation = tr[key];
				if (typeof translation !== 'string' || translation.trim() === '') problems.push(`missing: ${key}`);
				else if (placeholders(translation).join() !== placeholders(String(english)).join()) problems.push(`placeholders differ: ${key}`);
			}
			assert.deepEqual(problems, []);
		});
	}

	it('every %key% in package.json is in package.nls.json', () => {
		const manifest = readFileSync(join(root, 'package.json'), 'utf8');
		const en = readJson('package.nls.json');
		const keys = [...manifest.matchAll(/"%([^"%]+)%"/g)].map((m) => m[1]);
		assert.ok(keys.length > 0);
		assert.deepEqual(
			keys.filter((k) => typeof en[k] !== 'string' || String(en[k]).trim() === ''),
			[],
		);
	});
});
