// The manifest and the format registry agree: every file name a format claims in formats/registry.ts opens in that
// format's language in VS Code (package.json filenames / filenamePatterns), and every name the manifest associates
// is one a format of that language claims. Names too generic to claim in an editor are content-detected only.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { minimatch } from 'minimatch';
import { FORMATS, formatFromName, languageOf } from '../../server/src/core/formats/registry';

const manifest = JSON.parse(readFileSync(resolve(__dirname, '../../../package.json'), 'utf8')) as {
	contributes: { languages: { id: string; filenames?: string[]; filenamePatterns?: string[] }[] };
};

/** The language VS Code gives a file name through our manifest (exact names first, then patterns). */
function manifestLanguage(name: string): string | undefined {
	for (const l of manifest.contributes.languages) if (l.filenames?.includes(name)) return l.id;
	for (const l of manifest.contributes.languages) if (l.filenamePatterns?.some((g) => minimatch(name, g, { nocase: false, dot: true }))) return l.id;
	return undefined;
}

// Real names of each format, including rotated and copied ones.
const NAMED: readonly (readonly [string, string])[] = [
	['azcmagent.log', 'azcmagent-log'],
	['azcmagent.log.1', 'azcmagent-log'],
	['azcmagent (3).log', 'azcmagent-log'],
	['himds.log', 'azcmagent-log'],
	['arcproxy.log-20240601', 'azcmagent-log'],
	['gc_agent.log', 'gc-log'],
	['gc_ext.log.2', 'gc-log'],
	['installationlog.txt', 'msi-log'],
	['cloud-init.log', 'cloud-init-log'],
	['cloud-init.log.1', 'cloud-init-log'],
	['cloud-init-output.log', 'cloud-init-output'],
	['cloud-init-output.log.2', 'cloud-init-output'],
	['waagent.log', 'waagent-log'],
	['waagent.log.1', 'waagent-log'],
	['cfn-init.log', 'python-log'],
	['cfn-init-cmd.log', 'python-log'],
	['PowerShell_transcript.WS01.Ab3xYz.20240318093000.txt', 'powershell'],
	['cloud-init-status.txt', 'cloud-init-status'],
];
/** Names a format recognises as a hint, but that an editor must not claim for every file of that name. */
const HINT_ONLY = ['status.json'];

describe('manifest: file associations agree with the format registry', () => {
	it('every real name opens in the language of its format, and the registry names the same format', () => {
		for (const [name, format] of NAMED) {
			assert.equal(formatFromName(name), format, `registry: ${name}`);
			assert.equal(manifestLanguage(name), languageOf(format as never), `package.json: ${name}`);
		}
	});
	it('every format with file names has a real name above, or is a hint only', () => {
		for (const f of FORMATS) {
			if (!f.fileNames?.length) continue;
			for (const re of f.fileNames) {
				const covered = NAMED.some(([n, id]) => id === f.id && re.test(n)) || HINT_ONLY.some((n) => re.test(n));
				assert.ok(covered, `${f.id}: ${re} has no example`);
			}
		}
		for (const n of HINT_ONLY) assert.equal(manifestLanguage(n), undefined, `${n} must not be claimed by the manifest`);
	});
	it('every manifest name and pattern is claimed by a format of that language', () => {
		for (const l of manifest.contributes.languages) {
			for (const n of l.filenames ?? []) assert.equal(languageOf(formatFromName(n) ?? 'plain'), l.id, n);
			for (const g of l.filenamePatterns ?? []) {
				const sample = g.replace(/\*/g, 'x1');
				assert.equal(languageOf(formatFromName(sample) ?? 'plain'), l.id, `${g} (as ${sample})`);
			}
		}
	});
});

describe('manifest: semantic tokens colour like the grammar', () => {
	it('each semantic token type maps to the scopes the TextMate grammar gives the same element (no colour change when tokens arrive)', () => {
		const m = JSON.parse(readFileSync(resolve(__dirname, '../../../package.json'), 'utf8')) as { contributes: { semanticTokenScopes: { scopes: Record<string, string[]> }[] } };
		const grammar = readFileSync(resolve(__dirname, '../../../syntaxes/azcmagent-log.tmLanguage.json'), 'utf8');
		for (const [type, scopes] of Object.entries(m.contributes.semanticTokenScopes[0].scopes)) {
			const [own, standard] = scopes;
			if (!standard || !own.endsWith('.arc-logs')) continue;
			// The grammar names the element `<standard …> <own>`: the same standard scope, so the same colour in every theme.
			const names = [...grammar.matchAll(/"((?:[\w.-]+ )*[\w.-]+)"/g)].map((m) => m[1].split(' ')).filter((parts) => parts[parts.length - 1] === own);
			assert.ok(names.length > 0, `${type}: the grammar has no ${own}`);
			assert.ok(names.every((parts) => parts.includes(standard)), `${type}: the grammar gives ${own} another standard scope than ${standard}`);
		}
	});
});
