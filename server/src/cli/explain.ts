// arc-logs explain CODE|EXIT|TEXT [--locale en|sv|nl] [--format text|json]
// What the knowledge base says about an AZCM code (AZCM0026, azcm26, "AZCM 26"), an azcmagent exit code (exit 26,
// "exit code 26"), a knowledge id (AUTH-SPN-INVALID-SECRET) or an error text pasted from a log.
// Exit status: 0 = found, 1 = nothing known (an undocumented code says so and points to the article), 2 = bad usage.
import {
	entryForCode,
	entryForExit,
	getEntry,
	isAzcmCode,
	type KnownMatch,
	type KnowledgeEntry,
	type Locale,
	localize,
	matchKnownStrings,
	parseQuery,
	sourceOf,
	tableUrl,
	type EntryText,
} from '../core/knowledge';
import { t } from '../core/l10n';
import { parseArgs, UsageError } from './args';
import type { Io } from './main';
import { safeTerminal } from '../core/report/report';

const HELP = `usage: arc-logs explain CODE|EXIT|TEXT [--locale en|sv|nl] [--format text|json]

  AZCM0026, azcm26, "AZCM 26"        an agent error code
  "exit 26", "exit code 26", EXIT-26  an azcmagent exit code
  26                                  both, where they exist
  AUTH-SPN-INVALID-SECRET             a knowledge id
  "<error text from a log>"           every known error string, code and exit code in it

Exit 0: found, 1: nothing known, 2: bad usage.
`;

const WIDTH = 100;

interface Found {
	readonly entry: KnowledgeEntry;
	readonly match?: KnownMatch;
	readonly text?: string;
}

interface Answer {
	readonly found: readonly Found[];
	/** Well-formed codes the articles don't document ('AZCM0999', 'exit code 999'), with where to look instead. */
	readonly unknown: readonly { readonly label: string; readonly url: string }[];
}

export async function runExplain(argv: readonly string[], io: Io): Promise<number> {
	const args = parseArgs(argv, { values: { '--locale': ['en', 'sv', 'nl'], '--format': ['text', 'json'] }, switches: ['-h', '--help'] });
	if (args.switches.has('-h') || args.switches.has('--help')) {
		io.stdout(HELP);
		return 0;
	}
	const locale = (args.flags['--locale'] ?? 'en') as Locale;
	const format = args.flags['--format'] ?? 'text';
	const query = args.positionals.join(' ');
	const answer = resolve(query, locale);
	if (format === 'json') {
		io.stdout(JSON.stringify(answer.found.map((f) => toJson(f, locale)), null, 2) + '\n');
		for (const u of answer.unknown) io.stderr(`arc-logs: ${t(locale, '{0} is not in the knowledge base: no troubleshooting article documents it.', u.label)} ${u.url}\n`);
		if (answer.found.length === 0 && answer.unknown.length === 0) io.stderr(`arc-logs: ${t(locale, 'Nothing in the knowledge base matches this text.')}\n`);
	} else {
		const style = styles(io.isTTY);
		const parts = answer.found.map((f) => renderText(f, locale, style));
		for (const u of answer.unknown) {
			parts.push(wrap(t(locale, '{0} is not in the knowledge base: no troubleshooting article documents it.', u.label), 0) + '\n' + `${t(locale, 'Documentation:')} ${u.url}`);
		}
		if (parts.length === 0) parts.push(t(locale, 'Nothing in the knowledge base matches this text.'));
		io.stdout(parts.join('\n\n') + '\n');
	}
	return answer.found.length > 0 ? 0 : 1;
}

function resolve(query: string, locale: Locale): Answer {
	const q = parseQuery(query);
	const exitLabel = (n: number) => t(locale, 'exit code {0}', n);
	switch (q.kind) {
		case 'empty':
			throw new UsageError('explain needs a code (AZCM0026), an exit code (exit 26) or an error text');
		case 'code': {
			const e = entryForCode(q.code);
			return e ? { found: [{ entry: e }], unknown: [] } : { found: [], unknown: [{ label: q.code, url: tableUrl('azcm') }] };
		}
		case 'exit': {
			const e = entryForExit(q.exitCode);
			return e ? { found: [{ entry: e }], unknown: [] } : { found: [], unknown: [{ label: exitLabel(q.exitCode), url: tableUrl('exit') }] };
		}
		case 'number': {
			const code = `AZCM${String(q.value).padStart(4, '0')}`;
			const found = [entryForCode(code), entryForExit(q.value)].filter((e): e is KnowledgeEntry => e !== undefined).map((entry) => ({ entry }));
			return found.length ? { found, unknown: [] } : { found: [], unknown: [{ label: code, url: tableUrl('azcm') }, { label: exitLabel(q.value), url: tableUrl('exit') }] };
		}
		case 'id':
			return { found: [{ entry: getEntry(q.id)! }], unknown: [] };
		case 'text':
			return explainText(q.text, exitLabel);
	}
}

/** Known error strings, AZCM codes and exit codes in a pasted text, in the order they appear. */
function explainText(text: string, exitLabel: (n: number) => string): Answer {
	const hits: { index: number; found: Found }[] = matchKnownStrings(text).map((m) => ({ index: m.index, found: { entry: m.entry, match: m, text } }));
	const unknown = new Map<string, { label: string; url: string }>();
	for (const m of text.matchAll(/\bAZCM\d{4}\b/gi)) {
		const code = m[0].toUpperCase();
		const e = entryForCode(code);
		if (e) hits.push({ index: m.index!, found: { entry: e } });
		else if (isAzcmCode(code)) unknown.set(code, { label: code, url: tableUrl('azcm') });
	}
	for (const m of text.matchAll(/\bexit\s?code\b[\s:=]{0,5}(?:>>\s{0,3})?(\d{1,3})\b/gi)) {
		const e = entryForExit(Number(m[1]));
		if (e) hits.push({ index: m.index!, found: { entry: e } });
		else unknown.set(`exit ${m[1]}`, { label: exitLabel(Number(m[1])), url: tableUrl('exit') });
	}
	hits.sort((a, b) => a.index - b.index);
	const seen = new Set<string>();
	const found = hits.filter((h) => !seen.has(h.found.entry.id) && seen.add(h.found.entry.id)).map((h) => h.found);
	return { found, unknown: [...unknown.values()] };
}

// ---- JSON ----

function sourceJson(text: EntryText) {
	const a = sourceOf(text);
	return { key: text.source, title: a?.title ?? text.source, date: a?.date ?? '', url: text.url, locale: a?.locale ?? 'en', origin: a?.origin ?? 'learn' };
}

function toJson(f: Found, locale: Locale) {
	const { entry } = f;
	const loc = localize(entry, locale);
	const x = loc.text;
	const shownLocale = loc.fallback ? 'en' : locale;
	const status = locale === 'en' ? undefined : entry.translation[locale];
	return {
		id: entry.id,
		kind: entry.kind,
		...(entry.code ? { code: entry.code } : {}),
		...(entry.exitCode !== undefined ? { exitCode: entry.exitCode } : {}),
		title: x.title,
		cause: x.cause,
		...(x.causes ? { causes: x.causes } : {}),
		remediation: x.remediation,
		...(x.steps ? { steps: x.steps } : {}),
		...(x.error ? { error: x.error } : {}),
		...(x.context ? { context: x.context } : {}),
		commands: entry.commands,
		...(entry.benign ? { benign: true } : {}),
		...(entry.documentedAs ? { documentedAs: entry.documentedAs } : {}),
		...(entry.notes ? { notes: entry.notes } : {}),
		ours: Boolean(x.ours),
		locale: shownLocale,
		fallback: loc.fallback,
		...(status ? { translation: status } : {}),
		...(loc.older
			? { older: { locale: loc.older.locale, year: loc.older.year, title: loc.older.text.title, cause: loc.older.text.cause, remediation: loc.older.text.remediation, source: sourceJson(loc.older.text) } }
			: {}),
		source: sourceJson(x),
		...(entry.alsoIn ? { alsoIn: entry.alsoIn } : {}),
		...(f.match && f.text !== undefined
			? { match: { index: f.match.index, length: f.match.length, text: f.text.slice(f.match.index, f.match.index + f.match.length), captures: f.match.captures } }
			: {}),
	};
}

// ---- text ----

interface Style {
	readonly bold: (s: string) => string;
	readonly dim: (s: string) => string;
	readonly code: (s: string) => string;
	readonly head: (s: string) => string;
	readonly tty: boolean;
}

function styles(tty: boolean): Style {
	const sgr = (open: number, close: number) => (s: string) => (tty ? `\x1b[${open}m${s}\x1b[${close}m` : s);
	return { bold: sgr(1, 22), dim: sgr(2, 22), code: sgr(36, 39), head: sgr(1, 22), tty };
}

/** Knowledge markdown → terminal text: links as `text (url)`, emphasis dropped, code spans kept (colored on a TTY). */
function inlineText(md: string, style: Style): string {
	let s = md.replace(/\[((?:`[^`]*`|[^\]`])+)\]\(([^)\s]+)\)/g, (_m, text: string, url: string) => `${text} (${url})`);
	s = s.replace(/\*\*([^*]+)\*\*/g, (_m, x: string) => style.bold(x));
	s = s.replace(/(^|[\s(])\*([^*\s][^*]*)\*(?=[\s.,;:)]|$)/g, '$1$2');
	return s;
}

/** Word-wrap one paragraph at WIDTH with an indent; code spans and URLs are never split. */
function wrap(text: string, indent: number, style?: Style): string {
	const pad = ' '.repeat(indent);
	const words = text.match(/`[^`]*`\S*|\S+/g) ?? [];
	const lines: string[] = [];
	let cur = '';
	for (const w of words) {
		if (cur && cur.length + 1 + w.length + indent > WIDTH) {
			lines.push(cur);
			cur = w;
		} else cur = cur ? `${cur} ${w}` : w;
	}
	if (cur) lines.push(cur);
	const out = lines.map((l) => pad + l);
	return (style?.tty ? out.map((l) => l.replace(/`([^`]*)`/g, (_m, c: string) => style.code(c))) : out).join('\n');
}

/** A markdown block (paragraphs, `- ` bullets, `1. ` items, fenced code) as indented terminal text. */
function block(md: string, indent: number, style: Style): string {
	const out: string[] = [];
	const lines = md.split('\n');
	for (let i = 0; i < lines.length; i++) {
		const line = lines[i];
		if (/^\s*```/.test(line)) {
			for (i++; i < lines.length && !/^\s*```/.test(lines[i]); i++) out.push(' '.repeat(indent + 4) + style.code(lines[i].trim() === '' ? '' : lines[i].replace(/^ {0,3}/, '')));
			continue;
		}
		if (line.trim() === '') continue;
		const item = /^(\s*)(\d+\.|-)\s+(.*)$/.exec(line);
		if (item) {
			const marker = item[2];
			const body = wrap(inlineText(item[3], style), indent + marker.length + 1, style);
			out.push(' '.repeat(indent) + marker + body.slice(indent + marker.length));
		} else out.push(wrap(inlineText(line.trim(), style), indent, style));
	}
	return out.join('\n');
}

function renderText(f: Found, locale: Locale, style: Style): string {
	const { entry } = f;
	const loc = localize(entry, locale);
	const x = loc.text;
	const out: string[] = [];
	const sameAsCause = x.title.replace(/\.$/, '') === x.cause.replace(/\.$/, '');
	out.push(style.head(entry.id) + (sameAsCause ? '' : ` — ${style.bold(inlineText(x.title, style))}`));
	if (entry.documentedAs) out.push(wrap(t(locale, 'Documented as {0}', entry.documentedAs), 2, style));
	if (x.context) out.push(block(x.context, 2, style));
	if (f.match && f.text !== undefined) {
		out.push(style.dim(t(locale, 'Matched text:')));
		const m = f.text.slice(f.match.index, f.match.index + f.match.length);
		out.push('  ' + safeTerminal(m.length > 400 ? `${m.slice(0, 400)}…` : m).replace(/\n/g, '\n  '));
		for (const [k, v] of Object.entries(f.match.captures)) out.push(`    ${k} = ${safeTerminal(v.length > 200 ? `${v.slice(0, 200)}…` : v)}`);
	} else if (x.error) {
		out.push(style.dim(t(locale, 'Error text:')));
		out.push(x.error.split('\n').map((l) => wrap(l, 2, style)).join('\n'));
	}
	if (x.causes?.length) {
		out.push(style.dim(t(locale, 'Probable causes:')));
		out.push(x.causes.map((c) => block(`- ${c}`, 2, style)).join('\n'));
	} else {
		out.push(style.dim(t(locale, 'Probable cause:')));
		out.push(block(x.cause, 2, style));
	}
	if (x.steps?.length) {
		out.push(style.dim(t(locale, 'Possible solutions:')));
		out.push(block(x.remediation, 2, style));
	} else {
		out.push(style.dim(t(locale, 'Remediation:')));
		out.push(block(x.remediation, 2, style));
	}
	if (entry.commands.length) {
		out.push(style.dim(t(locale, 'Suggested commands:')));
		for (const c of entry.commands) out.push('    ' + style.code(c));
	}
	for (const n of entry.notes ?? []) {
		out.push(style.dim(t(locale, 'Note:')));
		out.push(block(n, 2, style));
	}
	if (loc.older) {
		const o = loc.older.text;
		out.push(style.dim(t(locale, 'Older meaning ({0}):', loc.older.year)));
		out.push(block(o.cause, 2, style));
		out.push(block(o.remediation, 2, style));
		out.push(style.dim(sourceLine(o, locale).replace(/^/gm, '  ')));
	} else if (loc.fallback && locale !== 'en') {
		out.push(wrap(t(locale, 'No translation into {0} for this entry; shown in English.', t(locale, locale === 'sv' ? 'Swedish' : 'Dutch')), 0, style));
	}
	out.push(style.dim(sourceLine(x, locale)));
	return out.join('\n');
}

function sourceLine(x: EntryText, locale: Locale): string {
	const a = sourceOf(x);
	const by = x.ours ? ` — ${t(locale, 'written by Arc Logs, not Microsoft text')}` : '';
	return a ? `${t(locale, 'Source:')} ${a.title} (${a.date}, ${a.locale})${by}\n  ${x.url}` : `${t(locale, 'Source:')} ${x.source}\n  ${x.url}`;
}
