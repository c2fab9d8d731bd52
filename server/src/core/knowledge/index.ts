// The knowledge base at run time: lookups, known-string matching, localization, explain queries. Pure (no fs, no
// vscode): the data is the JSON the build compiles from the articles (server/knowledge/compiler).
import { AnchorSet } from '../anchors';
import data from './generated/knowledge.json';
import type { Article, BenignRule, EntryKind, EntryText, KnowledgeBase, KnowledgeEntry, Locale } from './types';

export type { Article, BenignRule, EntryKind, EntryText, KnowledgeBase, KnowledgeEntry, Locale, Matcher, NexusFacts, TranslationStatus } from './types';

export const knowledge: KnowledgeBase = data as unknown as KnowledgeBase;

const byId = new Map<string, KnowledgeEntry>();
const byExit = new Map<number, KnowledgeEntry>();
for (const e of knowledge.entries) {
	byId.set(e.id, e);
	if (e.kind === 'exit' && e.exitCode !== undefined) byExit.set(e.exitCode, e);
}
const articles = new Map(knowledge.articles.map((a) => [a.key, a]));

/** An entry by its stable id ('AZCM0026', 'EXIT-26', 'AUTH-SPN-INVALID-SECRET'); ids are matched case-insensitively. */
export function getEntry(id: string): KnowledgeEntry | undefined {
	return typeof id === 'string' ? byId.get(id) ?? byId.get(id.trim().toUpperCase()) : undefined;
}

/** True for a well-formed AZCM code: 'AZCM' and four digits ('AZCM0026', 'azcm0999'); documented or not. */
export function isAzcmCode(s: string): boolean {
	return typeof s === 'string' && /^AZCM\d{4}$/i.test(s);
}

/** The entry of an AZCM code ('AZCM0026'); undefined for codes the articles don't document. */
export function entryForCode(code: string): KnowledgeEntry | undefined {
	if (!isAzcmCode(code)) return undefined;
	const e = byId.get(code.toUpperCase());
	return e?.kind === 'azcm' ? e : undefined;
}

/** The entry of an azcmagent exit code (26 → EXIT-26). */
export function entryForExit(n: number): KnowledgeEntry | undefined {
	return byExit.get(n);
}

export function getArticle(key: string): Article | undefined {
	return articles.get(key);
}

/** The article a text comes from (its title, date, locale and URL). */
export function sourceOf(text: EntryText): Article | undefined {
	return articles.get(text.source);
}

/** The Learn URL (with anchor) of the table that documents AZCM codes or exit codes: where to send undocumented ones. */
export function tableUrl(kind: 'azcm' | 'exit'): string {
	const e = knowledge.entries.find((x) => x.kind === kind && !x.text.en.ours);
	return e ? e.text.en.url : '';
}

// ---- known strings ----

export interface KnownMatch {
	readonly entry: KnowledgeEntry;
	/** Offset of the match in the text (UTF-16 code units). */
	readonly index: number;
	readonly length: number;
	/** The matcher's named groups that took part in the match (action, scope, host, url, ip, tenant, identity, ...). */
	readonly captures: Record<string, string>;
}

interface CompiledMatcher {
	readonly entry: KnowledgeEntry;
	readonly re: RegExp;
	readonly anchor: string;
}

/** A matcher list with one automaton of all its anchors: most texts contain none, and are done after one pass. */
type Matchers = CompiledMatcher[] & { any?: AnchorSet };

let articleMatchers: Matchers | undefined;
let platformMatchers: Matchers | undefined;

function compile(kinds: (k: EntryKind) => boolean): Matchers {
	const out: Matchers = [];
	for (const entry of knowledge.entries) {
		if (!kinds(entry.kind)) continue;
		for (const m of entry.matchers) {
			try {
				out.push({ entry, re: new RegExp(m.regex, m.flags.replace(/[gy]/g, '') + 'g'), anchor: m.anchor });
			} catch {
				// A pattern this engine cannot compile: skip it rather than take the server down.
			}
		}
	}
	out.any = new AnchorSet(out.map((c) => c.anchor));
	return out;
}

/** More matches than this in one text are not reported (a pathological paste, not a log line). */
const MAX_MATCHES = 10_000;

function matchAll(text: string, matchers: Matchers, kinds?: readonly EntryKind[], lowered?: string): KnownMatch[] {
	try {
		if (typeof text !== 'string' || text.length === 0) return [];
		// Which anchors the text holds, in one pass (undefined where a lower case is ambiguous: each is searched then).
		const hits = matchers.any?.which(text);
		if (hits && hits.indexOf(1) < 0) return [];
		let lower = lowered;
		const found: KnownMatch[] = [];
		for (let i = 0; i < matchers.length; i++) {
			const c = matchers[i];
			if (kinds && !kinds.includes(c.entry.kind)) continue;
			if (hits) {
				if (!hits[i]) continue;
			} else {
				lower ??= text.toLowerCase();
				if (!lower.includes(c.anchor)) continue;
			}
			c.re.lastIndex = 0;
			for (let m = c.re.exec(text); m && found.length < MAX_MATCHES; m = c.re.exec(text)) {
				if (m[0].length === 0) {
					c.re.lastIndex++;
					continue;
				}
				const captures: Record<string, string> = {};
				if (m.groups) for (const [k, v] of Object.entries(m.groups)) if (v !== undefined) captures[k] = v;
				found.push({ entry: c.entry, index: m.index, length: m[0].length, captures });
			}
		}
		found.sort((a, b) => a.index - b.index || b.length - a.length);
		const out: KnownMatch[] = [];
		let end = 0;
		for (const f of found) {
			if (f.index < end) continue;
			out.push(f);
			end = f.index + f.length;
		}
		return out;
	} catch {
		return [];
	}
}

/**
 * Every known error string of the articles (and our cloud-init signatures) in `text` (optionally only entries of
 * `kinds`): non-overlapping, sorted by index, the longest match winning where two start together. Never throws;
 * linear in the text length.
 */
export function matchKnownStrings(text: string, kinds?: readonly EntryKind[], lower?: string): KnownMatch[] {
	articleMatchers ??= compile((k) => k !== 'platform');
	return matchAll(text, articleMatchers, kinds, lower);
}

/** Every platform failure signature (ours: cloud-init, shells, package managers, ...) in `text` (`lower`: lower-cased). */
export function matchSignatures(text: string, lower?: string): KnownMatch[] {
	platformMatchers ??= compile((k) => k === 'platform');
	return matchAll(text, platformMatchers, undefined, lower);
}

/**
 * Every anchor of the articles' known strings, our signatures and the benign look-alikes: a line that contains none
 * (lower-cased) matches none of them.
 */
export function matcherAnchors(): string[] {
	return [...knowledge.entries.flatMap((e) => e.matchers.map((m) => m.anchor)), ...knowledge.benign.map((b) => b.anchor)];
}

/** What a shell exit status means, in `locale` ('127' → 'command not found'); undefined for statuses we don't name. */
export function exitStatusMeaning(status: string | number | undefined, locale: Locale): string | undefined {
	if (status === undefined) return undefined;
	const n = Number(status);
	const m = knowledge.exitStatuses[String(n)];
	if (m) return m[locale] ?? m.en;
	return undefined;
}

// ---- the log's own voice and benign look-alikes (ours) ----

let statement: RegExp | undefined;

/** Whether a warning's message states a failure (arc-logs-platform.md, "Failure statements"). */
export function statesFailure(message: string): boolean {
	statement ??= new RegExp(knowledge.failureStatements.map((s) => `(?:${s})`).join('|'));
	return statement.test(message.length > 4096 ? message.slice(0, 4096) : message);
}

interface CompiledBenign {
	readonly rule: BenignRule;
	readonly re: RegExp;
	readonly after?: RegExp;
}
let benignRules: CompiledBenign[] | undefined;
let benignAnchors: AnchorSet | undefined;

/** The benign look-alike rule a text matches, if any; `after` (when set) must match a line shortly after. */
export function benignLookAlike(text: string, lowered?: string): { readonly rule: BenignRule; readonly after?: RegExp } | undefined {
	benignRules ??= knowledge.benign.map((rule) => ({ rule, re: new RegExp(rule.regex, rule.flags), after: rule.followedBy ? new RegExp(rule.followedBy.regex, rule.followedBy.flags) : undefined }));
	const s = text.length > 8192 ? text.slice(0, 8192) : text;
	benignAnchors ??= new AnchorSet(knowledge.benign.map((b) => b.anchor));
	const hits = benignAnchors.which(s);
	if (hits) {
		for (let i = 0; i < benignRules.length; i++) if (hits[i] && benignRules[i].re.test(s)) return benignRules[i];
		return undefined;
	}
	const lower = lowered !== undefined && s === text ? lowered : s.toLowerCase();
	for (const b of benignRules) if (lower.includes(b.rule.anchor) && b.re.test(s)) return b;
	return undefined;
}

// ---- localization ----

export interface Localized {
	/** The text to show: the translation where it states the current meaning, else English. */
	readonly text: EntryText;
	/** Where the translation states an older meaning: that text, labelled by its year. */
	readonly older?: { readonly text: EntryText; readonly year: number; readonly locale: 'sv' | 'nl' };
	/** True when `text` is English although another locale was asked for (no translation, or an outdated one). */
	readonly fallback: boolean;
}

export function localize(entry: KnowledgeEntry, locale: Locale): Localized {
	if (locale !== 'sv' && locale !== 'nl') return { text: entry.text.en, fallback: false };
	const text = entry.text[locale];
	const status = entry.translation[locale];
	if (!text || !status) return { text: entry.text.en, fallback: true };
	if (status.status === 'current') return { text, fallback: false };
	return { text: entry.text.en, older: { text, year: status.year, locale }, fallback: true };
}

// ---- explain queries ----

export type ExplainQuery =
	/** A well-formed AZCM code ('AZCM0026', 'azcm26', 'AZCM 26'), documented or not. */
	| { readonly kind: 'code'; readonly code: string }
	/** An exit code ('exit 26', 'exit code 26', 'EXIT-26', 'exitcode: 26'). */
	| { readonly kind: 'exit'; readonly exitCode: number }
	/** A bare number ('26'): could be AZCM0026 or exit code 26; explain shows both where they exist. */
	| { readonly kind: 'number'; readonly value: number }
	/** A knowledge id ('AUTH-SPN-INVALID-SECRET', 'nexus-login'). */
	| { readonly kind: 'id'; readonly id: string }
	/** Anything else: an error text pasted from a log. */
	| { readonly kind: 'text'; readonly text: string }
	| { readonly kind: 'empty' };

export function parseQuery(q: string): ExplainQuery {
	const s = typeof q === 'string' ? q.trim() : '';
	if (s === '') return { kind: 'empty' };
	if (s.length <= 40) {
		let m = /^azcm[\s_-]*(\d{1,4})$/i.exec(s);
		if (m) return { kind: 'code', code: `AZCM${m[1].padStart(4, '0')}` };
		m = /^exit(?:[\s_-]*(?:code|status))?[\s:=#_-]*(\d{1,3})$/i.exec(s);
		if (m) return { kind: 'exit', exitCode: Number(m[1]) };
		m = /^\d{1,4}$/.exec(s);
		if (m) return { kind: 'number', value: Number(s) };
		if (/^[a-z][a-z0-9]*(?:-[a-z0-9]+)+$/i.test(s) && getEntry(s)) return { kind: 'id', id: getEntry(s)!.id };
	}
	return { kind: 'text', text: s };
}
