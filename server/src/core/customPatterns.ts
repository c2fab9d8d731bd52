// Validation of `arcLogs.customPatterns` (pure). Every valid pattern is compiled for a linear-time engine (re2js, a
// port of RE2): matching a line costs time proportional to the line whatever the pattern, so no pattern can hang the
// analysis and what is found never depends on a clock. analyze() applies the patterns with its line-length cap.
import { RE2JS } from 're2js';
import { getEntry } from './knowledge/index';
import type { Locale } from './knowledge/types';
import { t } from './l10n';
import type { CustomPattern, Severity } from './model';

export const MAX_CUSTOM_PATTERNS = 50;
export const MAX_REGEX_LENGTH = 500;
const MAX_MESSAGE_LENGTH = 500;
const MAX_REMEDIATION_LENGTH = 4000;
const SEVERITIES: readonly string[] = ['error', 'warning', 'info', 'hint'];
const ID = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;
/** Ids that have a meaning of their own even when the knowledge base does not list them. */
const RESERVED = /^(AZCM\d{4}|EXIT-\d+)$/i;

export interface CustomPatternValidation {
	readonly patterns: CustomPattern[];
	/** One line per rejected pattern or dropped property, in the requested locale (logged; shown once). */
	readonly problems: string[];
}

export function validateCustomPatterns(raw: unknown, locale: Locale = 'en'): CustomPatternValidation {
	const patterns: CustomPattern[] = [];
	const problems: string[] = [];
	if (raw === undefined || raw === null) return { patterns, problems };
	if (!Array.isArray(raw)) {
		problems.push(t(locale, 'arcLogs.customPatterns must be an array of objects.'));
		return { patterns, problems };
	}
	if (raw.length > MAX_CUSTOM_PATTERNS) {
		problems.push(t(locale, 'arcLogs.customPatterns: only the first {0} of {1} patterns are used.', MAX_CUSTOM_PATTERNS, raw.length));
	}
	const seen = new Set<string>();
	raw.slice(0, MAX_CUSTOM_PATTERNS).forEach((item: unknown, i) => {
		const where = `arcLogs.customPatterns[${i}]`;
		if (item === null || typeof item !== 'object' || Array.isArray(item)) {
			problems.push(t(locale, '{0}: not an object; ignored.', where));
			return;
		}
		const o = item as Record<string, unknown>;
		const id = o.id;
		if (typeof id !== 'string' || !ID.test(id)) {
			problems.push(t(locale, '{0}: the id must start with a letter and have at most 64 letters, digits, dots, underscores or hyphens; ignored.', where));
			return;
		}
		const label = `${where} (${id})`;
		if (RESERVED.test(id) || getEntry(id) !== undefined || getEntry(id.toUpperCase()) !== undefined) {
			problems.push(t(locale, '{0}: the id is taken by the knowledge base; choose another; ignored.', label));
			return;
		}
		if (seen.has(id.toUpperCase())) {
			problems.push(t(locale, '{0}: the id is used twice; ignored.', label));
			return;
		}
		const source = o.regex;
		if (typeof source !== 'string' || source.length === 0) {
			problems.push(t(locale, '{0}: the regex is missing; ignored.', label));
			return;
		}
		if (source.length > MAX_REGEX_LENGTH) {
			problems.push(t(locale, '{0}: the regex is longer than {1} characters; ignored.', label, MAX_REGEX_LENGTH));
			return;
		}
		const unsafe = unsafeRegexReason(source);
		if (unsafe) {
			problems.push(
				unsafe === 'backreference'
					? t(locale, '{0}: the regex uses a backreference; ignored.', label)
					: unsafe === 'nested-quantifier'
						? t(locale, '{0}: the regex has a nested quantifier (catastrophic backtracking); ignored.', label)
						: t(locale, '{0}: the regex repeats an alternation without bound (catastrophic backtracking); ignored.', label),
			);
			return;
		}
		let regex: RegExp;
		try {
			new RegExp(source);
		} catch (e) {
			problems.push(t(locale, '{0}: the regex is not a valid JavaScript regular expression ({1}); ignored.', label, e instanceof Error ? e.message : String(e)));
			return;
		}
		try {
			regex = new LinearRegExp(source);
		} catch (e) {
			problems.push(t(locale, '{0}: the regex uses syntax that linear-time matching does not support, such as lookahead or lookbehind ({1}); ignored.', label, e instanceof Error ? e.message : String(e)));
			return;
		}
		if (regex.test('')) {
			problems.push(t(locale, '{0}: the regex matches the empty string (every line); ignored.', label));
			return;
		}
		let severity: Severity = 'warning';
		if (o.severity !== undefined) {
			if (typeof o.severity === 'string' && SEVERITIES.includes(o.severity)) severity = o.severity as Severity;
			else problems.push(t(locale, '{0}: the severity must be error, warning, info or hint; using warning.', label));
		}
		const text = (key: 'message' | 'remediation', max: number): string | undefined => {
			const v = o[key];
			if (v === undefined) return undefined;
			if (typeof v !== 'string') {
				problems.push(t(locale, '{0}: {1} must be a string; dropped.', label, key));
				return undefined;
			}
			if (v.length > max) {
				problems.push(t(locale, '{0}: {1} is longer than {2} characters; cut.', label, key, max));
				return v.slice(0, max);
			}
			return v;
		};
		const message = text('message', MAX_MESSAGE_LENGTH);
		const remediation = text('remediation', MAX_REMEDIATION_LENGTH);
		let url: string | undefined;
		if (o.url !== undefined) {
			if (typeof o.url === 'string' && isHttps(o.url)) url = o.url;
			else problems.push(t(locale, '{0}: the url must be an https URL; dropped.', label));
		}
		seen.add(id.toUpperCase());
		patterns.push({ id, regex, severity, message, remediation, url });
	});
	return { patterns, problems };
}

/**
 * A RegExp whose matching runs in re2js (linear time in the input, no backtracking). It is a RegExp so that every
 * consumer (`exec`, `test`, `String.prototype.match`, ...) works unchanged: they all go through `exec`, which is
 * replaced here; the JavaScript engine never runs the pattern. No flags (custom patterns have none), so `lastIndex`
 * plays no part.
 */
export class LinearRegExp extends RegExp {
	private readonly re2: RE2JS;

	/** Throws when `source` is not valid JavaScript syntax or uses what RE2 cannot match in linear time (lookaround, backreferences). */
	constructor(source: string) {
		super(source);
		this.re2 = RE2JS.compile(RE2JS.translateRegExp(source));
	}

	override exec(input: string): RegExpExecArray | null {
		// test() runs the DFA (about as fast as the JavaScript engine on a line that does not match, most lines);
		// only a match pays for the capture groups.
		if (!this.re2.test(input)) return null;
		return this.re2.exec(input) as RegExpExecArray | null;
	}
}

function isHttps(url: string): boolean {
	try {
		return new URL(url).protocol === 'https:' && !/[\s<>()]/.test(url);
	} catch {
		return false;
	}
}

/**
 * Why a regex source may backtrack catastrophically, or undefined. Rejected: backreferences (`\1`, `\k<name>`) and a
 * quantified group that itself contains an unbounded quantifier or an alternation whose branches are quantified
 * (`(a+)+`, `(\w*)*`, `(a|a?)+`, `(?:x+y*){2,}`). A conservative, linear scan of the source; escapes and
 * character classes are skipped.
 */
export function unsafeRegexReason(source: string): 'backreference' | 'nested-quantifier' | 'unbounded-alternation' | undefined {
	// Per open group: does it contain an unbounded quantifier (directly or in a nested group)?
	const stack: { quantified: boolean; alternation: boolean }[] = [{ quantified: false, alternation: false }];
	let i = 0;
	/** Length of a quantifier at `j` and whether it is unbounded / repeats more than once. */
	const quantifierAt = (j: number): { length: number; repeats: boolean; unbounded: boolean } | undefined => {
		const c = source[j];
		if (c === '*' || c === '+') return { length: source[j + 1] === '?' ? 2 : 1, repeats: true, unbounded: true };
		if (c === '?') return { length: source[j + 1] === '?' ? 2 : 1, repeats: false, unbounded: false };
		if (c === '{') {
			const m = /^\{(\d+)(,(\d*))?\}\??/.exec(source.slice(j));
			if (!m) return undefined;
			const min = Number(m[1]);
			const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
			return { length: m[0].length, repeats: max > 1, unbounded: max === Infinity || max > 100 };
		}
		return undefined;
	};
	while (i < source.length) {
		const c = source[i];
		if (c === '\\') {
			const next = source[i + 1] ?? '';
			if (/[1-9]/.test(next) || (next === 'k' && source[i + 2] === '<')) return 'backreference';
			i += 2;
			const q = quantifierAt(i);
			if (q) {
				if (q.unbounded) stack[stack.length - 1].quantified = true;
				i += q.length;
			}
			continue;
		}
		if (c === '[') {
			// Skip the class (escapes inside, a leading ']' is literal).
			let j = i + 1;
			if (source[j] === '^') j++;
			if (source[j] === ']') j++;
			while (j < source.length && source[j] !== ']') j += source[j] === '\\' ? 2 : 1;
			i = j + 1;
			const q = quantifierAt(i);
			if (q) {
				if (q.unbounded) stack[stack.length - 1].quantified = true;
				i += q.length;
			}
			continue;
		}
		if (c === '(') {
			stack.push({ quantified: false, alternation: false });
			i++;
			if (source[i] === '?') {
				// (?: (?= (?! (?<= (?<! (?<name>
				i++;
				if (source[i] === '<' && source[i + 1] !== '=' && source[i + 1] !== '!') {
					const close = source.indexOf('>', i);
					i = close < 0 ? source.length : close + 1;
				} else i++;
			}
			continue;
		}
		if (c === '|') {
			stack[stack.length - 1].alternation = true;
			i++;
			continue;
		}
		if (c === ')') {
			const group = stack.length > 1 ? stack.pop()! : { quantified: false, alternation: false };
			i++;
			const q = quantifierAt(i);
			if (q) {
				if (q.repeats && group.quantified) return 'nested-quantifier';
				if (q.unbounded && group.alternation) return 'unbounded-alternation';
				i += q.length;
				if (q.unbounded || group.quantified) stack[stack.length - 1].quantified = true;
			} else if (group.quantified) stack[stack.length - 1].quantified = true;
			continue;
		}
		i++;
		const q = quantifierAt(i);
		if (q) {
			if (q.unbounded) stack[stack.length - 1].quantified = true;
			i += q.length;
		}
	}
	return undefined;
}
