// Three renderings of the same findings (DESIGN.md: one way to do each thing): text for people, JSON for tools,
// SARIF 2.1.0 for code-scanning pipelines. Pure: the CLI hands in what it read, these return strings.
import type { Finding, FormatId, Severity } from '../model';
import type { Locale } from '../knowledge/types';
import { getEntry, localize } from '../knowledge';
import { t } from '../l10n';
import { neutralizeInvisible, safeMessage } from '../text';

export { neutralizeInvisible, safeMessage };
import { version } from '../../../../package.json';

export interface FileReport {
	/** Path as the user gave it (or `bundle.zip!/entry` for zip entries). */
	readonly path: string;
	/** For zip entries: the archive's path and the entry's name inside it. */
	readonly archive?: { readonly path: string; readonly entry: string };
	readonly format: FormatId;
	readonly lineCount: number;
	readonly findings: readonly Finding[];
	/** What was partial about this file's analysis (a line longer than the analyzer scans, ...), in the report's locale. */
	readonly notices?: readonly string[];
}

export interface Report {
	readonly files: readonly FileReport[];
	readonly locale: Locale;
	/** Inputs that could not be read, with the reason. */
	readonly problems: readonly string[];
}

/** Markdown of the articles → one line of plain text (links become their text, code spans their content). */
export function plainText(md: string): string {
	return md
		.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
		.replace(/<[^>]*>/g, '')
		.replace(/\*\*([^*]+)\*\*/g, '$1')
		.replace(/(^|\W)\*([^*]+)\*(?=\W|$)/g, '$1$2')
		.replace(/`([^`]*)`/g, '$1')
		.replace(/\s+/g, ' ')
		.trim();
}

/** The first thing to do: the first numbered step, else the first sentence of the remediation. */
export function firstStep(finding: Finding, locale: Locale): string | undefined {
	if (finding.remediation) return plainText(finding.remediation);
	return finding.entryId ? entryStep(finding.entryId, locale) : undefined;
}

/** The first step of a knowledge entry's remediation, as plain text. */
function entryStep(id: string, locale: Locale): string | undefined {
	const entry = getEntry(id);
	if (!entry) return undefined;
	const { text } = localize(entry, locale);
	const s = text.steps?.[0] ?? text.remediation;
	const plain = plainText(s.split('\n')[0]);
	const m = /^(.+?[.!?])(?:\s|$)/.exec(plain);
	return m ? m[1] : plain;
}

export function countBySeverity(files: readonly FileReport[]): Record<Severity, number> {
	const c: Record<Severity, number> = { error: 0, warning: 0, info: 0, hint: 0 };
	for (const f of files) for (const x of f.findings) c[x.severity]++;
	return c;
}

// ---- text --------------------------------------------------------------------------------------------------------

const COLORS: Readonly<Record<Severity | 'dim' | 'bold', [string, string]>> = {
	error: ['\x1b[31m', '\x1b[39m'],
	warning: ['\x1b[33m', '\x1b[39m'],
	info: ['\x1b[36m', '\x1b[39m'],
	hint: ['\x1b[2m', '\x1b[22m'],
	dim: ['\x1b[2m', '\x1b[22m'],
	bold: ['\x1b[1m', '\x1b[22m'],
};

/**
 * Control characters of log text never reach a terminal raw (escape sequences in a log are text, not commands: CSI,
 * OSC 52 clipboard writes, OSC 8 links), nor do bidi overrides and zero-width characters that make text read other
 * than it is: each is shown as its escape (`\x1b`, `\u202e`).
 */
export function safeTerminal(s: string): string {
	// eslint-disable-next-line no-control-regex
	return neutralizeInvisible(s.replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));
}

/** safeTerminal, and line breaks and tabs escaped too: one line of stderr stays one line. */
export function safeLine(s: string): string {
	return safeTerminal(s).replace(/[\n\t]/g, (c) => (c === '\n' ? '\\n' : '\\t'));
}

/** A SARIF plain-text message: safeMessage, and every literal square bracket escaped, as SARIF 2.1.0 (§3.11.5) requires. */
export function sarifText(s: string): string {
	return safeMessage(s).replace(/[[\]]/g, '\\$&');
}

export function renderText(report: Report, color: boolean): string {
	return report.files.map((f) => renderTextFile(f, report.locale, color)).join('') + renderTextSummary(report.locale, countBySeverity(report.files), report.files.length);
}

/** One file of the text report (a CLI streams these as files finish, then the summary). */
export function renderTextFile(f: FileReport, loc: Locale, color: boolean): string {
	const paint = (k: keyof typeof COLORS, s: string) => (color ? COLORS[k][0] + s + COLORS[k][1] : s);
	const sev: Readonly<Record<Severity, string>> = { error: t(loc, 'error'), warning: t(loc, 'warning'), info: t(loc, 'info'), hint: t(loc, 'hint') };
	const out: string[] = [];
	out.push(`${paint('bold', safeTerminal(f.path))}  ${paint('dim', `(${f.format}, ${t(loc, '{0} lines', f.lineCount)})`)}`);
	for (const n of f.notices ?? []) out.push(`  ${paint('warning', '!')} ${safeTerminal(n)}`);
	if (!f.findings.length) out.push(`  ${paint('dim', t(loc, 'no failures found'))}`);
	const width = Math.max(0, ...f.findings.map((x) => `${x.range.start.line + 1}:${x.range.start.character + 1}`.length));
	for (const x of f.findings) {
		const pos = `${x.range.start.line + 1}:${x.range.start.character + 1}`.padEnd(width);
		out.push(`  ${paint('dim', pos)}  ${paint(x.severity, sev[x.severity].padEnd(7))}  ${paint('bold', safeTerminal(x.id))}  ${safeTerminal(safeMessage(x.message))}`);
		// The cause's remediation first (what to do about the stated cause), then the code's.
		const steps = [...(x.explainedBy ?? []).map((id) => entryStep(id, loc)), firstStep(x, loc)];
		for (const step of new Set(steps.filter(Boolean))) out.push(`  ${' '.repeat(width)}  ${paint('dim', '→')} ${safeTerminal(step!)}`);
	}
	out.push('');
	return out.join('\n') + '\n';
}

/** The last line of the text report. */
export function renderTextSummary(loc: Locale, c: Readonly<Record<Severity, number>>, files: number): string {
	return t(loc, '{0} errors, {1} warnings in {2} files', c.error, c.warning, files) + '\n';
}

// ---- JSON --------------------------------------------------------------------------------------------------------

export function renderJson(report: Report): string {
	const files = report.files.map((f) => ({
		path: f.path,
		...(f.archive ? { archive: f.archive } : {}),
		format: f.format,
		lineCount: f.lineCount,
		...(f.notices?.length ? { notices: f.notices.map(safeMessage) } : {}),
		findings: f.findings.map((x) => ({
			id: x.id,
			kind: x.kind,
			severity: x.severity,
			line: x.range.start.line + 1,
			column: x.range.start.character + 1,
			endLine: x.range.end.line + 1,
			endColumn: x.range.end.character + 1,
			message: safeMessage(x.message),
			...(x.url ? { url: x.url } : {}),
			...(firstStep(x, report.locale) ? { remediation: firstStep(x, report.locale) } : {}),
			captures: x.captures,
			...(x.explainedBy?.length ? { explainedBy: x.explainedBy } : {}),
			related: x.related.map((r) => ({ line: r.range.start.line + 1, column: r.range.start.character + 1, message: safeMessage(r.message) })),
			commands: x.commands,
		})),
	}));
	return JSON.stringify({ tool: 'arc-logs', version, locale: report.locale, summary: countBySeverity(report.files), files, problems: report.problems.map(safeMessage) }, null, 2) + '\n';
}

// ---- SARIF 2.1.0 -------------------------------------------------------------------------------------------------

const SARIF_LEVEL: Readonly<Record<Severity, 'error' | 'warning' | 'note'>> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };
const LANG: Readonly<Record<Locale, string>> = { en: 'en-US', sv: 'sv-SE', nl: 'nl-NL' };
const FALLBACK_URL = 'https://learn.microsoft.com/en-us/azure/azure-arc/servers/troubleshoot-agent-onboard';

function uriOf(path: string): string {
	return path.split(/[\\/]/).map(encodeURIComponent).join('/');
}

export function renderSarif(report: Report): string {
	const loc = report.locale;
	const rules: object[] = [];
	const ruleIndex = new Map<string, number>();
	const artifacts: object[] = [];
	const artifactIndex = new Map<string, number>();
	const artifact = (f: FileReport): { uri: string; index: number } => {
		const key = f.path;
		let i = artifactIndex.get(key);
		if (i === undefined) {
			if (f.archive) {
				let p = artifactIndex.get(`zip:${f.archive.path}`);
				if (p === undefined) {
					p = artifacts.length;
					artifacts.push({ location: { uri: uriOf(f.archive.path) }, mimeType: 'application/zip' });
					artifactIndex.set(`zip:${f.archive.path}`, p);
				}
				i = artifacts.length;
				artifacts.push({ location: { uri: uriOf(f.archive.entry) }, parentIndex: p, mimeType: 'text/plain' });
			} else {
				i = artifacts.length;
				artifacts.push({ location: { uri: uriOf(f.path) }, mimeType: 'text/plain' });
			}
			artifactIndex.set(key, i);
		}
		return { uri: uriOf(f.archive ? f.archive.entry : f.path), index: i };
	};
	const rule = (x: Finding): number => {
		let i = ruleIndex.get(x.id);
		if (i !== undefined) return i;
		const entry = x.entryId ? getEntry(x.entryId) : undefined;
		const r: Record<string, unknown> = { id: x.id };
		if (entry) {
			const { text, older } = localize(entry, loc);
			r.name = x.id.replace(/[^A-Za-z0-9]+/g, '');
			r.shortDescription = { text: plainText(text.title) };
			r.fullDescription = { text: plainText(text.cause) };
			const steps = text.steps?.length ? text.steps.map((s, n) => `${n + 1}. ${s}`).join('\n') : text.remediation;
			const olderNote = older ? `\n\n${t(loc, 'Older meaning ({0}): {1}', older.year, older.text.cause)}` : '';
			r.help = { text: plainText(steps) + (olderNote ? ' ' + plainText(olderNote) : ''), markdown: steps + olderNote };
			r.helpUri = text.url;
			r.properties = { kind: entry.kind, source: text.source, ...(text.ours ? { ours: true } : {}) };
		} else {
			r.shortDescription = { text: x.kind === 'azcm-undocumented' ? t(loc, 'An AZCM code the troubleshooting articles do not document') : x.id };
			r.helpUri = x.url ?? FALLBACK_URL;
		}
		r.defaultConfiguration = { level: SARIF_LEVEL[x.severity] };
		i = rules.length;
		rules.push(r);
		ruleIndex.set(x.id, i);
		return i;
	};
	const region = (rg: Finding['range']) => ({
		startLine: rg.start.line + 1,
		startColumn: rg.start.character + 1,
		endLine: rg.end.line + 1,
		endColumn: Math.max(rg.end.character + 1, rg.start.line === rg.end.line ? rg.start.character + 1 : 1),
	});
	const results: object[] = [];
	const notices: object[] = [];
	for (const f of report.files) {
		for (const n of f.notices ?? []) notices.push({ level: 'warning', message: { text: sarifText(`${f.path}: ${n}`) } });
		const art = artifact(f);
		for (const x of f.findings) {
			results.push({
				ruleId: x.id,
				ruleIndex: rule(x),
				level: SARIF_LEVEL[x.severity],
				message: { text: sarifText(x.message) },
				locations: [{ physicalLocation: { artifactLocation: { uri: art.uri, index: art.index }, region: region(x.range) } }],
				...(x.related.length
					? { relatedLocations: x.related.map((r, id) => ({ id, message: { text: sarifText(r.message) }, physicalLocation: { artifactLocation: { uri: art.uri, index: art.index }, region: region(r.range) } })) }
					: {}),
				...(Object.keys(x.captures).length ? { properties: { captures: x.captures, ...(x.commands.length ? { commands: x.commands } : {}), ...(x.explainedBy?.length ? { explainedBy: x.explainedBy } : {}) } } : {}),
			});
		}
	}
	const sarif = {
		$schema: 'https://json.schemastore.org/sarif-2.1.0.json',
		version: '2.1.0',
		runs: [
			{
				tool: { driver: { name: 'arc-logs', version, semanticVersion: version, informationUri: FALLBACK_URL, language: LANG[loc], rules } },
				language: LANG[loc],
				columnKind: 'utf16CodeUnits',
				artifacts,
				results,
				invocations: [
					{
						executionSuccessful: report.problems.length === 0,
						...(report.problems.length || notices.length
							? { toolExecutionNotifications: [...report.problems.map((p) => ({ level: 'error', message: { text: sarifText(p) } })), ...notices] }
							: {}),
					},
				],
			},
		],
	};
	return JSON.stringify(sarif, null, 2) + '\n';
}
