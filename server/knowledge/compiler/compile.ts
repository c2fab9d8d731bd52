// compileKnowledge: the vendored articles (and our own markdown) → KnowledgeBase. Pure: takes file texts, returns data.
// Fails loudly (KnowledgeCompileError) on anything it cannot place: a table it does not know, a row without an id,
// two rows with one id, a translation without a judgement, a code with no English text.
import type { Article, BenignRule, EntryKind, EntryText, KnowledgeBase, KnowledgeEntry, Locale, Matcher, NexusFacts, TranslationStatus } from '../../src/core/knowledge/types';
import { blockCommands, dedupe, inlineCommands } from './commands';
import { compileMatchers, MatcherError } from './generalize';
import {
	type Block,
	cleanInline,
	codeSpans,
	fixMojibake,
	isoDate,
	linkDefinitions,
	parseBlocks,
	parseFrontMatter,
	parseSections,
	parseTables,
	plain,
	type Section,
	sectionAt,
	splitLines,
	type Table,
} from './markdown';

export interface SourceFile {
	readonly file: string;
	readonly text: string;
}

export interface SourceMeta {
	readonly key: string;
	readonly file: string;
	readonly url: string;
	readonly locale: Locale;
	readonly origin: 'learn' | 'ours';
	readonly archived?: boolean;
	readonly note?: string;
	/** For our own files: the anchor of the Learn section their entries link to. */
	readonly anchor?: string;
	readonly seed?: string;
}

export interface CompilerData {
	/** server/knowledge/sources/sources.json */
	readonly sources: { readonly articles: readonly SourceMeta[] };
	/** server/knowledge/ids.json */
	readonly ids: {
		readonly connection: Readonly<Record<string, string>>;
		readonly nexus: Readonly<Record<string, { readonly id: string; readonly variantGroup?: string }>>;
	};
	/** server/knowledge/translation-review.json */
	readonly review: {
		readonly entries: Readonly<Record<string, { readonly sv?: string; readonly nl?: string; readonly reason: string }>>;
	};
}

export class KnowledgeCompileError extends Error {}

function fail(message: string): never {
	throw new KnowledgeCompileError(message);
}

/** The Learn section anchors of the tables the compiler reads (the same in every locale of the article). */
const TABLES = {
	azcm: 'agent-error-codes',
	exit: 'agent-exit-codes',
	connection: 'agent-connection-issues-to-service',
	cloudInit: 'signatures',
	platform: 'platform-signatures',
	statements: 'failure-statements',
	benign: 'benign-look-alikes',
	translations: 'translations',
	exitStatuses: 'exit-statuses',
} as const;

interface Doc {
	readonly meta: SourceMeta;
	readonly article: Article;
	readonly lines: readonly string[];
	readonly sections: readonly Section[];
	readonly tables: readonly Table[];
	readonly defs: ReadonlyMap<string, string>;
	readonly year: number;
}

interface Row {
	readonly doc: Doc;
	readonly line: number;
	readonly cells: readonly string[];
	readonly section: Section;
}

const inline = (doc: Doc, md: string) => cleanInline(md, doc.article.url, doc.defs);
const anchorUrl = (doc: Doc, section: Section) => `${doc.article.url}#${section.anchor}`;
const stripPeriod = (s: string) => s.replace(/\s*\.$/, '');

function loadDoc(meta: SourceMeta, text: string): Doc {
	const { meta: fm } = parseFrontMatter(text);
	const title = fm.title ? fixMojibake(fm.title) : undefined;
	const date = isoDate(fm['ms.date'] ?? fm.date);
	if (!title) fail(`${meta.file}: no title in the front matter`);
	if (!date) fail(`${meta.file}: no ms.date in the front matter`);
	const contentLocale = fm['ms.contentlocale']?.toLowerCase().split('-')[0];
	if (contentLocale && contentLocale !== meta.locale) fail(`${meta.file}: sources.json says locale ${meta.locale}, the front matter ${fm['ms.contentlocale']}`);
	const lines = splitLines(text);
	const article: Article = {
		key: meta.key,
		title,
		date,
		locale: meta.locale,
		url: meta.url,
		file: meta.file,
		origin: meta.origin,
		...(meta.archived ? { archived: true } : {}),
		...(meta.note ? { note: meta.note } : {}),
	};
	return { meta, article, lines, sections: parseSections(lines), tables: parseTables(lines), defs: linkDefinitions(lines), year: Number(date.slice(0, 4)) };
}

function tableRows(doc: Doc, table: Table): Row[] {
	const section = sectionAt(doc.sections, table.line);
	if (!section) fail(`${doc.meta.file}:${table.line + 1}: a table outside any section`);
	return table.rows.map((r) => {
		if (r.cells.length !== table.header.length) fail(`${doc.meta.file}:${r.line + 1}: ${r.cells.length} cells, the header has ${table.header.length}`);
		return { doc, line: r.line, cells: r.cells, section };
	});
}

// ---------------------------------------------------------------------------------------------------------------
// AZCM codes

interface CodeRow {
	readonly row: Row;
	readonly codes: readonly string[];
	/** Set for a range or multi-code row: the row's codes as written. */
	readonly documentedAs?: string;
	readonly isRange: boolean;
}

function parseCodeCell(row: Row): CodeRow {
	const cell = fixMojibake(row.cells[0]).replace(/<br\s*\/?>/gi, '\n');
	const where = `${row.doc.meta.file}:${row.line + 1}`;
	const range = /^\s*AZCM(\d{4})\s*[-–]\s*AZCM(\d{4})\s*$/i.exec(cell.replace(/\n/g, ''));
	if (range) {
		const from = Number(range[1]);
		const to = Number(range[2]);
		if (to <= from) fail(`${where}: range AZCM${range[1]}–AZCM${range[2]} is empty`);
		const codes: string[] = [];
		for (let n = from; n <= to; n++) codes.push(`AZCM${String(n).padStart(4, '0')}`);
		return { row, codes, documentedAs: `AZCM${range[1]}–AZCM${range[2]}`, isRange: true };
	}
	const pieces = cell.split(/[\n,]/).map((p) => p.trim()).filter((p) => p !== '');
	if (pieces.length === 0 || pieces.some((p) => !/^AZCM\d{4}$/i.test(p))) fail(`${where}: '${row.cells[0]}' is not an AZCM code, list or range`);
	const codes = pieces.map((p) => p.toUpperCase());
	return { row, codes, documentedAs: codes.length > 1 ? codes.join(', ') : undefined, isRange: false };
}

/** code → its row in one document: explicit rows (single or multi-code) win over ranges. */
function codeRows(doc: Doc, rows: readonly Row[]): Map<string, CodeRow> {
	const explicit = new Map<string, CodeRow>();
	const ranged = new Map<string, CodeRow>();
	for (const row of rows) {
		const cr = parseCodeCell(row);
		const target = cr.isRange ? ranged : explicit;
		for (const code of cr.codes) {
			const prev = target.get(code);
			if (prev) fail(`${doc.meta.file}: ${code} is documented twice (lines ${prev.row.line + 1} and ${row.line + 1})`);
			target.set(code, cr);
		}
	}
	const out = new Map(ranged);
	for (const [code, cr] of explicit) out.set(code, cr);
	return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Connection errors

interface ConnRow {
	readonly row: Row;
	readonly id: string;
	readonly message: string;
	readonly error: string;
	readonly cause: string;
	readonly solution: string;
}

/** Lower case, contractions spelled out, whitespace collapsed: the form ids.json phrases are matched against. */
export function normalizeForId(s: string): string {
	return s
		.toLowerCase()
		.replace(/['’]/g, "'")
		.replace(/\b(is|was|does|do|are|were|has|have|can)n't\b/g, '$1 not')
		.replace(/\s+/g, ' ')
		.trim();
}

/** The error text of a cell: its code spans joined (an article may split one long error over several, with <br>). */
function errorText(md: string): string {
	const spans = fixMojibake(md)
		.split(/<br\s*\/?>/i)
		.flatMap((part) => codeSpans(part));
	return (spans.length ? spans.join('') : plain(md)).replace(/\s+/g, ' ').trim();
}

function parseConnRow(row: Row, ids: CompilerData['ids']['connection']): ConnRow {
	const where = `${row.doc.meta.file}:${row.line + 1}`;
	let message: string;
	let error: string;
	let rest: readonly string[];
	if (row.cells.length === 4) {
		message = plain(fixMojibake(row.cells[0]));
		error = errorText(row.cells[1]);
		rest = row.cells.slice(2);
	} else if (row.cells.length === 3) {
		// 2025 layout: "Message:<br>`error`" in the first cell.
		const br = /<br\s*\/?>/i.exec(row.cells[0]);
		if (!br) fail(`${where}: expected 'message:<br>error' in the first cell`);
		message = plain(fixMojibake(row.cells[0].slice(0, br.index))).replace(/:$/, '');
		error = errorText(row.cells[0].slice(br.index + br[0].length));
		rest = row.cells.slice(1);
	} else fail(`${where}: a connection-error row of ${row.cells.length} cells`);
	const norm = normalizeForId(error);
	const hits = Object.keys(ids).filter((phrase) => norm.includes(phrase.toLowerCase()));
	if (hits.length === 0) fail(`${where}: no id for the row '${error}' (add a distinctive phrase of it to ids.json)`);
	if (hits.length > 1) fail(`${where}: the row '${error}' matches several ids.json phrases: ${hits.join(', ')}`);
	return { row, id: ids[hits[0]], message, error, cause: inline(row.doc, rest[0]), solution: inline(row.doc, rest[1]) };
}

/** The footnotes a row refers to (`(#footnote1)` → the text after `<a name="footnote1"></a><sup>1</sup>`). */
function footnotes(doc: Doc, cells: readonly string[]): string[] {
	const out: string[] = [];
	for (const m of cells.join(' ').matchAll(/\(#(footnote[\w-]*)\)/g)) {
		const line = doc.lines.find((l) => l.includes(`name="${m[1]}"`));
		if (!line) fail(`${doc.meta.file}: footnote ${m[1]} is referenced but not found`);
		out.push(inline(doc, line.replace(/<a\s+name="[^"]*"\s*>\s*<\/a>/i, '').replace(/^\s*<sup>[^<]*<\/sup>\s*/i, '')));
	}
	return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Operator Nexus

function sectionByAnchor(doc: Doc, anchor: string): Section {
	const s = doc.sections.find((x) => x.anchor === anchor);
	if (!s) fail(`${doc.meta.file}: no section #${anchor}`);
	return s;
}

function fenced(code: { lang: string; lines: readonly string[] }): string {
	return '```' + (code.lang || '') + '\n' + code.lines.join('\n').replace(/\s+$/, '') + '\n```';
}

/** Commands of the code blocks of the sections that `md` links to inside its own article. */
function linkedSectionCommands(doc: Doc, md: string): string[] {
	const out: string[] = [];
	for (const m of md.matchAll(/\]\(([^)\s]*)#([\w-]+)\)/g)) {
		if (m[1] !== '' && m[1] !== doc.article.url) continue;
		const s = sectionByAnchor(doc, m[2]);
		for (const b of parseBlocks(doc.lines, s.line + 1, s.end)) if (b.type === 'code') out.push(...blockCommands(b.lines));
	}
	return out;
}

function nexusEntry(doc: Doc, section: Section, id: string, variantGroup: string | undefined): KnowledgeEntry {
	const where = `${doc.meta.file}:${section.line + 1}`;
	const blocks = parseBlocks(doc.lines, section.line + 1, section.end);
	const labelAt = (re: RegExp) => blocks.findIndex((b) => b.type === 'paragraph' && re.test(b.text));
	const ex = labelAt(/^Example error messages?:/i);
	const pc = labelAt(/^Possible causes:/i);
	const ps = labelAt(/^Possible solutions:/i);
	if (ex < 0 || pc < 0 || ps < 0) fail(`${where}: expected 'Example error message', 'Possible causes' and 'Possible solutions'`);
	const exampleBlock = blocks.slice(ex + 1).find((b) => b.type === 'code');
	const causeBlock = blocks[pc + 1];
	const stepBlock = blocks[ps + 1];
	if (exampleBlock?.type !== 'code' || causeBlock?.type !== 'bullets' || stepBlock?.type !== 'numbered') fail(`${where}: example, causes or solutions are not where expected`);
	const examples = exampleBlock.lines.map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
	const context = blocks
		.slice(0, ex)
		.filter((b): b is Extract<Block, { type: 'paragraph' }> => b.type === 'paragraph')
		.map((b) => inline(doc, b.text))
		.join('\n\n');
	const causes = causeBlock.items.map((c) => inline(doc, c));
	const steps = stepBlock.items.map((item) => [inline(doc, item.text), ...item.code.map(fenced)].join('\n\n'));
	const trailing = blocks.slice(ps + 2).map((b) => {
		switch (b.type) {
			case 'paragraph':
				return inline(doc, b.text);
			case 'bullets':
				return b.items.map((i) => `- ${inline(doc, i)}`).join('\n');
			case 'numbered':
				return b.items.map((i, k) => `${k + 1}. ${inline(doc, i.text)}`).join('\n');
			case 'code':
				return fenced(b);
		}
	});
	const remediation = [steps.map((s, k) => `${k + 1}. ${s.replace(/\n/g, '\n   ')}`).join('\n'), ...trailing].join('\n\n');
	const commands: string[] = [];
	stepBlock.items.forEach((item, k) => {
		commands.push(...inlineCommands(inline(doc, item.text)));
		for (const c of item.code) commands.push(...blockCommands(c.lines));
		commands.push(...linkedSectionCommands(doc, steps[k]));
	});
	for (const b of blocks.slice(ps + 2)) {
		if (b.type === 'code') commands.push(...blockCommands(b.lines));
		else if (b.type === 'paragraph') commands.push(...inlineCommands(b.text));
	}
	for (const c of causes) commands.push(...linkedSectionCommands(doc, c));
	let matchers: Matcher[];
	try {
		matchers = compileMatchers(examples, { variantGroup });
	} catch (e) {
		if (e instanceof MatcherError) fail(`${where}: ${e.message}`);
		throw e;
	}
	const text: EntryText = {
		title: section.title.replace(/^Error:\s*/i, ''),
		cause: causes.map((c) => `- ${c}`).join('\n'),
		causes,
		remediation,
		steps,
		source: doc.meta.key,
		url: anchorUrl(doc, section),
		error: examples.join('\n'),
		...(context ? { context } : {}),
	};
	return { id, kind: 'nexus', text: { en: text }, translation: {}, matchers, commands: dedupe(commands) };
}

function nexusFacts(doc: Doc): NexusFacts {
	const where = doc.meta.file;
	// Required roles: the list right after the sentence that names them.
	let requiredRoles: string[] | undefined;
	let rolesSection: Section | undefined;
	const blocks = parseBlocks(doc.lines, 0, doc.lines.length);
	const k = blocks.findIndex((b) => b.type === 'paragraph' && /required roles/i.test(b.text));
	const list = blocks[k + 1];
	if (k >= 0 && list?.type === 'bullets') {
		requiredRoles = list.items.map((i) => plain(i));
		rolesSection = sectionAt(doc.sections, list.line);
	}
	if (!requiredRoles || !rolesSection) fail(`${where}: no list of required roles`);
	const imds = doc.sections.find((s) => /\bIMDS\b/.test(s.title));
	const proxy = doc.sections.find((s) => /\bproxy\b/i.test(s.title) && /\bCSN\b/.test(s.title));
	if (!imds || !proxy) fail(`${where}: no IMDS or CSN proxy section`);
	const spans = (s: Section) => codeSpans(doc.lines.slice(s.line + 1, s.end).join('\n'));
	const imdsAddress = spans(imds).find((c) => /^\d{1,3}(\.\d{1,3}){3}$/.test(c));
	const csnProxy = spans(proxy).find((c) => /^https?:\/\//.test(c));
	const noProxyLine = doc.lines.map((l) => /^\s*export\s+NO_PROXY=(\S+)/.exec(l)).find((m) => m);
	if (!imdsAddress || !csnProxy || !noProxyLine) fail(`${where}: IMDS address, CSN proxy or NO_PROXY value not found`);
	return {
		requiredRoles,
		imdsAddress,
		csnProxy,
		noProxy: noProxyLine[1],
		source: doc.meta.key,
		url: doc.article.url,
		urls: { requiredRoles: anchorUrl(doc, rolesSection), imds: anchorUrl(doc, imds), csnProxy: anchorUrl(doc, proxy) },
	};
}

// ---------------------------------------------------------------------------------------------------------------

const KIND_ORDER: readonly EntryKind[] = ['azcm', 'exit', 'connection', 'nexus', 'cloud-init', 'platform'];

function sortEntries(entries: KnowledgeEntry[]): KnowledgeEntry[] {
	return entries.sort((a, b) => {
		const k = KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind);
		if (k) return k;
		if (a.exitCode !== undefined && b.exitCode !== undefined) return a.exitCode - b.exitCode;
		return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
	});
}

const TRANSLATED: readonly ('sv' | 'nl')[] = ['sv', 'nl'];

export function compileKnowledge(files: readonly SourceFile[], data: CompilerData): KnowledgeBase {
	const byName = new Map(files.map((f) => [f.file, f.text]));
	const docs: Doc[] = [];
	const keys = new Set<string>();
	for (const meta of data.sources.articles) {
		if (keys.has(meta.key)) fail(`sources.json: key ${meta.key} twice`);
		keys.add(meta.key);
		const text = byName.get(meta.file);
		if (text === undefined) fail(`sources.json lists ${meta.file}, which is not in server/knowledge/sources`);
		docs.push(loadDoc(meta, text));
	}
	for (const f of files) if (!data.sources.articles.some((a) => a.file === f.file)) fail(`${f.file} is not listed in sources.json`);

	const learnEnglish = docs.filter((d) => d.meta.origin === 'learn' && d.meta.locale === 'en').sort((a, b) => (a.article.date < b.article.date ? 1 : -1));
	const handled = new Set<Table>();
	const rowsOf = (doc: Doc, anchor: string): Row[] => {
		const rows: Row[] = [];
		for (const t of doc.tables) {
			const s = sectionAt(doc.sections, t.line);
			if (s?.anchor !== anchor) continue;
			handled.add(t);
			rows.push(...tableRows(doc, t));
		}
		return rows;
	};

	const entries: KnowledgeEntry[] = [];
	const ids = new Map<string, string>();
	const add = (e: KnowledgeEntry, where: string) => {
		const prev = ids.get(e.id);
		if (prev) fail(`id ${e.id} is given twice: ${prev} and ${where}`);
		ids.set(e.id, where);
		entries.push(e);
	};
	const review = (id: string, locale: 'sv' | 'nl', doc: Doc): TranslationStatus => {
		const r = data.review.entries[id];
		const status = r?.[locale];
		if (status !== 'current' && status !== 'outdated') fail(`translation-review.json: no '${locale}' judgement (current or outdated) for ${id}`);
		return { status, year: doc.year, reason: r.reason };
	};
	const usedReview = new Set<string>();

	// ---- AZCM codes: the newest English table, the translations, our English for translation-only codes.
	const azcmByDoc = new Map<Doc, Map<string, CodeRow>>();
	for (const doc of docs) {
		const rows = rowsOf(doc, TABLES.azcm);
		if (rows.length) azcmByDoc.set(doc, codeRows(doc, rows));
	}
	const enAzcm = learnEnglish.find((d) => azcmByDoc.has(d));
	if (!enAzcm) fail('no English AZCM error-code table');
	const ours = docs.filter((d) => d.meta.origin === 'ours' && azcmByDoc.has(d));
	const allCodes = new Set<string>();
	for (const m of azcmByDoc.values()) for (const c of m.keys()) allCodes.add(c);
	for (const code of [...allCodes].sort()) {
		const en = azcmByDoc.get(enAzcm)!.get(code);
		const oursRows = ours.map((d) => azcmByDoc.get(d)!.get(code)).filter((r): r is CodeRow => r !== undefined);
		const translated = docs.filter((d) => d.meta.origin === 'learn' && d.meta.locale !== 'en' && azcmByDoc.get(d)?.has(code));
		const olderEnglish = learnEnglish.filter((d) => d !== enAzcm && azcmByDoc.get(d)?.has(code));
		if (en && oursRows.length) fail(`${code}: our English text competes with ${enAzcm.meta.file}; drop it from ${oursRows[0].row.doc.meta.file}`);
		if (oursRows.length > 1) fail(`${code}: English text of ours twice`);
		const main = en ?? oursRows[0] ?? (olderEnglish[0] && azcmByDoc.get(olderEnglish[0])!.get(code));
		if (!main) fail(`${code} is documented only in ${translated.map((d) => d.meta.file).join(', ')}: write its English text (our translation) in arc-logs-translations.md`);
		const mdoc = main.row.doc;
		const isOurs = mdoc.meta.origin === 'ours';
		if (isOurs) {
			const from = main.row.cells[3]?.split(/[,\s]+/).filter(Boolean) ?? [];
			const missing = from.filter((k) => !translated.some((d) => d.meta.key === k));
			if (from.length === 0 || missing.length) fail(`${mdoc.meta.file}:${main.row.line + 1}: ${code} says it is translated from '${main.row.cells[3] ?? ''}', but the code is not in ${missing.join(', ') || 'any translation'}`);
		}
		const textOf = (cr: CodeRow, isOursText: boolean): EntryText => {
			const doc = cr.row.doc;
			const cause = inline(doc, cr.row.cells[1]);
			const section = isOursText && doc.meta.anchor ? undefined : cr.row.section;
			return {
				title: stripPeriod(cause),
				cause,
				remediation: inline(doc, cr.row.cells[2]),
				source: doc.meta.key,
				url: section ? anchorUrl(doc, section) : doc.article.url + doc.meta.anchor,
				...(isOursText ? { ours: true } : {}),
			};
		};
		const text: Record<string, EntryText> = { en: textOf(main, isOurs) };
		const translation: Partial<Record<'sv' | 'nl', TranslationStatus>> = {};
		for (const doc of translated) {
			const locale = doc.meta.locale as 'sv' | 'nl';
			if (text[locale]) fail(`${code}: two ${locale} translations`);
			text[locale] = textOf(azcmByDoc.get(doc)!.get(code)!, false);
			translation[locale] = review(code, locale, doc);
			usedReview.add(code);
		}
		const n = Number(code.slice(4));
		add(
			{
				id: code,
				kind: 'azcm',
				code,
				text: text as KnowledgeEntry['text'],
				translation,
				matchers: [],
				commands: dedupe(inlineCommands(text.en.remediation)),
				...(n === 0 ? { benign: true } : {}),
				...(main.documentedAs ? { documentedAs: main.documentedAs } : {}),
				...alsoIn(mdoc, [...translated, ...olderEnglish]),
			},
			`${mdoc.meta.file}:${main.row.line + 1}`,
		);
	}

	// ---- Exit codes.
	let exitDoc: Doc | undefined;
	for (const doc of docs) {
		const rows = rowsOf(doc, TABLES.exit);
		if (!rows.length) continue;
		// One English exit-code table today; a second one (a translation, a revision) needs a merge rule first.
		if (doc.meta.locale !== 'en' || doc.meta.origin !== 'learn') fail(`${doc.meta.file}: an exit-code table outside English Learn articles is not handled`);
		if (exitDoc) fail(`${doc.meta.file}: a second exit-code table (the first is in ${exitDoc.meta.file}) is not handled`);
		exitDoc = doc;
		for (const row of rows) {
			const num = plain(row.cells[0]).replace(/\*/g, '');
			if (!/^\d{1,3}$/.test(num)) fail(`${doc.meta.file}:${row.line + 1}: '${row.cells[0]}' is not an exit code`);
			const n = Number(num);
			const description = inline(doc, row.cells[1]);
			const remediation = inline(doc, row.cells[2]);
			add(
				{
					id: `EXIT-${n}`,
					kind: 'exit',
					exitCode: n,
					text: { en: { title: stripPeriod(description), cause: description, remediation, source: doc.meta.key, url: anchorUrl(doc, row.section) } },
					translation: {},
					matchers: [],
					commands: dedupe(inlineCommands(remediation)),
					...(n === 0 ? { benign: true } : {}),
				},
				`${doc.meta.file}:${row.line + 1}`,
			);
		}
	}

	// ---- Connection errors: rows of every article merged by id; newest English text wins.
	const conn = new Map<string, ConnRow[]>();
	for (const doc of docs) {
		const seen = new Map<string, number>();
		for (const row of rowsOf(doc, TABLES.connection)) {
			const cr = parseConnRow(row, data.ids.connection);
			const prev = seen.get(cr.id);
			if (prev !== undefined) fail(`${doc.meta.file}: rows at lines ${prev + 1} and ${row.line + 1} both get id ${cr.id}`);
			seen.set(cr.id, row.line);
			conn.set(cr.id, [...(conn.get(cr.id) ?? []), cr]);
		}
	}
	for (const phrase of Object.keys(data.ids.connection)) {
		if (!conn.has(data.ids.connection[phrase])) fail(`ids.json: '${phrase}' (${data.ids.connection[phrase]}) matches no row`);
	}
	for (const [id, rows] of conn) {
		const english = rows.filter((r) => r.row.doc.meta.locale === 'en').sort((a, b) => (a.row.doc.article.date < b.row.doc.article.date ? 1 : -1));
		if (!english.length) fail(`${id}: documented only in translations`);
		const main = english[0];
		const textOf = (r: ConnRow): EntryText => ({
			title: r.message,
			cause: r.cause,
			remediation: r.solution,
			source: r.row.doc.meta.key,
			url: anchorUrl(r.row.doc, r.row.section),
			error: r.error,
		});
		const text: Record<string, EntryText> = { en: textOf(main) };
		const translation: Partial<Record<'sv' | 'nl', TranslationStatus>> = {};
		for (const r of rows) {
			const locale = r.row.doc.meta.locale;
			if (locale === 'en') continue;
			if (text[locale]) fail(`${id}: two ${locale} rows`);
			text[locale] = textOf(r);
			translation[locale] = review(id, locale, r.row.doc);
			usedReview.add(id);
		}
		const notes = dedupe(english.flatMap((r) => footnotes(r.row.doc, r.row.cells)));
		let matchers: Matcher[];
		try {
			matchers = compileMatchers(
				rows.map((r) => r.error),
				{ errorCodePrefix: true },
			);
		} catch (e) {
			if (e instanceof MatcherError) fail(`${id}: ${e.message}`);
			throw e;
		}
		add(
			{
				id,
				kind: 'connection',
				text: text as KnowledgeEntry['text'],
				translation,
				matchers,
				commands: dedupe([...inlineCommands(main.solution), ...notes.flatMap(inlineCommands)]),
				...alsoIn(main.row.doc, rows.map((r) => r.row.doc)),
				...(notes.length ? { notes } : {}),
			},
			`${main.row.doc.meta.file}:${main.row.line + 1}`,
		);
	}

	// ---- Operator Nexus errors and facts.
	let nexus: NexusFacts | undefined;
	for (const doc of docs) {
		const errorSections = doc.sections.filter((s) => /^Error:/i.test(s.title));
		if (!errorSections.length) continue;
		const used = new Set<string>();
		for (const s of errorSections) {
			const hits = Object.keys(data.ids.nexus).filter((p) => s.title.toLowerCase().includes(p));
			if (hits.length !== 1) fail(`${doc.meta.file}:${s.line + 1}: section '${s.title}' matches ${hits.length} ids.json nexus phrases`);
			used.add(hits[0]);
			const spec = data.ids.nexus[hits[0]];
			add(nexusEntry(doc, s, spec.id, spec.variantGroup), `${doc.meta.file}:${s.line + 1}`);
		}
		for (const p of Object.keys(data.ids.nexus)) if (!used.has(p)) fail(`ids.json: nexus phrase '${p}' matches no section of ${doc.meta.file}`);
		if (nexus) fail('two Operator Nexus articles');
		nexus = nexusFacts(doc);
	}
	if (!nexus) fail('no Operator Nexus article');

	// ---- Our cloud-init signatures.
	for (const doc of docs) {
		for (const row of rowsOf(doc, TABLES.cloudInit)) {
			if (doc.meta.origin !== 'ours') fail(`${doc.meta.file}: a signature table outside our own files`);
			const [id, title, signature, cause, remediation, docUrl] = row.cells;
			if (!/^CI-[A-Z0-9-]+$/.test(id ?? '')) fail(`${doc.meta.file}:${row.line + 1}: '${id}' is not a cloud-init id`);
			if (docUrl !== undefined && !/^https:\/\/\S+$/.test(docUrl)) fail(`${doc.meta.file}:${row.line + 1}: documentation '${docUrl}' is not an https URL`);
			// Our signatures: one per code span, `\n` a line break.
			const examples = signature
				.split(/<br\s*\/?>/i)
				.flatMap((part) => codeSpans(part))
				.map((e) => e.replace(/\\n/g, '\n'));
			let matchers: Matcher[];
			try {
				matchers = compileMatchers(examples);
			} catch (e) {
				if (e instanceof MatcherError) fail(`${doc.meta.file}:${row.line + 1}: ${e.message}`);
				throw e;
			}
			const rem = inline(doc, remediation);
			add(
				{
					id,
					kind: 'cloud-init',
					text: {
						en: {
							title: plain(title),
							cause: inline(doc, cause),
							remediation: rem,
							source: doc.meta.key,
							url: docUrl ?? doc.article.url + (doc.meta.anchor ?? ''),
							ours: true,
							error: examples.join('\n'),
						},
					},
					translation: {},
					matchers,
					commands: dedupe(inlineCommands(rem)),
				},
				`${doc.meta.file}:${row.line + 1}`,
			);
		}
	}

	// ---- Our platform signatures, failure statements and benign look-alikes (regular expressions, checked here).
	const failureStatements: string[] = [];
	const exitStatuses: Record<string, Record<Locale, string>> = {};
	const benign: BenignRule[] = [];
	for (const doc of docs) {
		const where = (row: { line: number }) => `${doc.meta.file}:${row.line + 1}`;
		const ours = (what: string) => {
			if (doc.meta.origin !== 'ours') fail(`${doc.meta.file}: ${what} outside our own files`);
		};
		for (const row of rowsOf(doc, TABLES.platform)) {
			ours('a platform signature table');
			const [id, title, signature, severity, scope, cause, remediation, docUrl] = row.cells;
			if (!/^[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+$/.test(id ?? '')) fail(`${where(row)}: '${id}' is not an id`);
			if (!['error', 'warning', 'level'].includes(severity)) fail(`${where(row)}: severity '${severity}' (error, warning or level)`);
			if (!['any', 'leveled', 'output'].includes(scope)) fail(`${where(row)}: scope '${scope}' (any, leveled or output)`);
			if (!/^https:\/\/\S+$/.test(docUrl ?? '')) fail(`${where(row)}: documentation '${docUrl}' is not an https URL`);
			const sources = signature.trim() === '—' ? [] : signature.split(/<br\s*\/?>/i).flatMap((part) => codeSpans(part));
			const matchers = sources.map((src) => regexMatcher(src, where(row)));
			const rem = inline(doc, remediation);
			add(
				{
					id,
					kind: 'platform',
					text: { en: { title: plain(title), cause: inline(doc, cause), remediation: rem, source: doc.meta.key, url: docUrl, ours: true, ...(sources.length ? { error: sources.join('\n') } : {}) } },
					translation: {},
					matchers,
					commands: dedupe(inlineCommands(rem)),
					severity: severity as KnowledgeEntry['severity'],
					scope: scope as KnowledgeEntry['scope'],
				},
				where(row),
			);
		}
		for (const row of rowsOf(doc, TABLES.exitStatuses)) {
			ours('an exit status table');
			const [status, en, sv, nl] = row.cells.map((c) => plain(c ?? ''));
			if (!/^\d{1,3}$/.test(status) || !en || !sv || !nl) fail(`${where(row)}: an exit status needs a number and its meaning in en, sv and nl`);
			exitStatuses[status] = { en, sv, nl };
		}
		for (const row of rowsOf(doc, TABLES.statements)) {
			ours('a failure statement table');
			const [src] = codeSpans(row.cells[0] ?? '');
			if (!src) fail(`${where(row)}: no statement`);
			regexMatcher(src, where(row), false);
			failureStatements.push(src);
		}
		for (const row of rowsOf(doc, TABLES.benign)) {
			ours('a benign look-alike table');
			const [pattern, followed, why] = row.cells;
			const [src] = codeSpans(pattern ?? '');
			if (!src || !why) fail(`${where(row)}: a benign look-alike needs a pattern and a reason`);
			const [after] = codeSpans(followed ?? '');
			benign.push({ ...regexMatcher(src, where(row)), ...(after ? { followedBy: regexMatcher(after, where(row)) } : {}), why: plain(why) });
		}
	}

	// ---- Our Swedish and Dutch text of our own entries (platform signatures, cloud-init signatures).
	for (const doc of docs) {
		for (const row of rowsOf(doc, TABLES.translations)) {
			const where = `${doc.meta.file}:${row.line + 1}`;
			if (doc.meta.origin !== 'ours') fail(`${doc.meta.file}: a translation table outside our own files`);
			const [id, locale, title, cause, remediation] = row.cells;
			if (locale !== doc.meta.locale || (locale !== 'sv' && locale !== 'nl')) fail(`${where}: locale '${locale}' in a ${doc.meta.locale} file`);
			const entry = entries.find((e) => e.id === id);
			if (!entry || !entry.text.en.ours || (entry.kind !== 'platform' && entry.kind !== 'cloud-init')) fail(`${where}: '${id}' is not an entry of ours`);
			if (entry.text[locale]) fail(`${where}: ${id} translated into ${locale} twice`);
			for (const span of codeSpans(entry.text.en.cause + entry.text.en.remediation)) {
				if (!(cause + remediation).includes(span)) fail(`${where}: ${id} ${locale} drops the inline code \`${span}\``);
			}
			const text: EntryText = { ...entry.text.en, title: plain(title), cause: inline(doc, cause), remediation: inline(doc, remediation), source: doc.meta.key };
			(entry.text as Record<string, EntryText>)[locale] = text;
			(entry.translation as Record<string, TranslationStatus>)[locale] = { status: 'current', year: doc.year };
		}
	}
	for (const e of entries) {
		if (e.kind === 'platform' || (e.kind === 'cloud-init' && e.text.en.ours)) for (const l of TRANSLATED) if (!e.text[l]) fail(`${e.id}: no ${l} text of ours (arc-logs-platform.${l}.md)`);
	}

	// ---- Loose ends: unknown tables, judgements of nothing, anchors of our files.
	for (const doc of docs) {
		for (const t of doc.tables) {
			if (!handled.has(t)) fail(`${doc.meta.file}:${t.line + 1}: a table the compiler does not know (section #${sectionAt(doc.sections, t.line)?.anchor})`);
		}
		if (doc.meta.anchor) {
			const target = docs.find((d) => d.meta.origin === 'learn' && d.article.url === doc.meta.url);
			if (target && !target.sections.some((s) => `#${s.anchor}` === doc.meta.anchor)) fail(`sources.json: ${doc.meta.key} links to ${doc.meta.anchor}, which ${target.meta.file} does not have`);
		}
	}
	for (const id of Object.keys(data.review.entries)) {
		if (!usedReview.has(id)) fail(`translation-review.json: ${id} has a judgement but no Swedish or Dutch text`);
		for (const locale of TRANSLATED) {
			const e = entries.find((x) => x.id === id);
			if (data.review.entries[id][locale] !== undefined && !e?.text[locale]) fail(`translation-review.json: ${id} has a ${locale} judgement but no ${locale} text`);
		}
	}

	return {
		schema: 1,
		articles: docs.map((d) => d.article).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
		entries: sortEntries(entries),
		nexus,
		failureStatements,
		benign,
		exitStatuses,
	};
}

function alsoIn(main: Doc, docs: readonly Doc[]): { alsoIn?: readonly string[] } {
	const keys = [...new Set(docs.filter((d) => d !== main).map((d) => d.meta.key))].sort();
	return keys.length ? { alsoIn: keys } : {};
}

/** Stable JSON: object keys sorted, arrays in order, no undefined, a final newline. */
export function serializeKnowledge(kb: KnowledgeBase): string {
	const sortKeys = (v: unknown): unknown => {
		if (Array.isArray(v)) return v.map(sortKeys);
		if (v && typeof v === 'object') {
			const out: Record<string, unknown> = {};
			for (const k of Object.keys(v).sort()) {
				const x = (v as Record<string, unknown>)[k];
				if (x !== undefined) out[k] = sortKeys(x);
			}
			return out;
		}
		return v;
	};
	return JSON.stringify(sortKeys(kb), null, '\t') + '\n';
}


/**
 * A regular expression of our own files as a matcher: it must compile, stay linear (no nested quantifiers, no
 * back-references) and, unless `needAnchor` is false, contain a literal run of at least 3 characters outside groups
 * and alternations: that run, lower-cased, is the anchor matched before the expression runs.
 */
export function regexMatcher(src: string, where: string, needAnchor = true): Matcher {
	try {
		new RegExp(src);
	} catch (e) {
		fail(`${where}: /${src}/ does not compile: ${(e as Error).message}`);
	}
	if (/\\[1-9]|\\k</.test(src)) fail(`${where}: /${src}/ uses a back-reference`);
	if (/\((?:[^()\\]|\\.)*[*+}](?:[^()\\]|\\.)*\)[*+{]/.test(src)) fail(`${where}: /${src}/ repeats a repeated group (not linear)`);
	const anchor = literalAnchor(src);
	if (needAnchor && anchor.length < 3) fail(`${where}: /${src}/ has no literal anchor of 3 characters or more`);
	return { regex: src, flags: '', anchor };
}

/** The longest literal run of a regular expression at its top level (outside groups, classes and alternatives). */
function literalAnchor(src: string): string {
	let top = src.replace(/\\./g, 'x').replace(/\[[^\]]*\]/g, 'x');
	for (let prev = ''; prev !== top; ) [prev, top] = [top, top.replace(/\([^()]*\)/g, 'x')];
	if (top.includes('|')) return '';
	let best = '';
	let run = '';
	let depth = 0;
	const end = () => {
		if (run.length > best.length) best = run;
		run = '';
	};
	for (let i = 0; i < src.length; i++) {
		const c = src[i];
		if (c === '\\') {
			const n = src[++i] ?? '';
			if (depth === 0 && /[^\w]/.test(n)) run += n;
			else if (depth === 0) end();
			continue;
		}
		if (c === '(') {
			depth++;
			end();
		} else if (c === ')') depth--;
		else if (c === '[') {
			end();
			while (i < src.length && src[i] !== ']') i += src[i] === '\\' ? 2 : 1;
		} else if (depth > 0) continue;
		else if (c === '?' || c === '*' || c === '{') {
			run = run.slice(0, -1);
			end();
			if (c === '{') while (i < src.length && src[i] !== '}') i++;
		} else if (c === '+' || c === '.' || c === '^' || c === '$') end();
		else run += c;
	}
	end();
	return best.toLowerCase();
}
