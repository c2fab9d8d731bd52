// The `arcLogs.*` settings as the features see them, normalized from whatever a client sends (pure).
import type { Locale } from '../knowledge/types';
import type { Severity } from '../model';
import { DEFAULT_REDACT_KINDS, parseKinds, type RedactKind } from '../redact';

export type SeverityOverride = 'off' | 'info' | 'warning' | 'error';
export type LocaleSetting = 'auto' | Locale;

export interface Settings {
	/** At most this many diagnostics per document, plus one that says how many more there are. */
	readonly maxProblems: number;
	readonly locale: LocaleSetting;
	/** id glob → severity, in the user's order. */
	readonly severityOverrides: readonly (readonly [string, SeverityOverride])[];
	/** Raw; validated by validateCustomPatterns. */
	readonly customPatterns: unknown;
	/** `arcLogs.redact.kinds`: what a redacted excerpt replaces. */
	readonly redactKinds: readonly RedactKind[];
	/** The hover on a failure lists the other logs' records within this many seconds of it. */
	readonly meanwhileWindowSeconds: number;
}

export const DEFAULT_MAX_PROBLEMS = 1000;

export const DEFAULT_MEANWHILE_WINDOW_SECONDS = 60;
/** The largest window the meanwhile hover takes (a day): past it the records are no longer "meanwhile". */
export const MAX_MEANWHILE_WINDOW_SECONDS = 86400;

export const defaultSettings: Settings = {
	maxProblems: DEFAULT_MAX_PROBLEMS,
	locale: 'auto',
	severityOverrides: [],
	customPatterns: [],
	meanwhileWindowSeconds: DEFAULT_MEANWHILE_WINDOW_SECONDS,
	redactKinds: DEFAULT_REDACT_KINDS,
};

const OVERRIDES: readonly string[] = ['off', 'info', 'warning', 'error'];

/** Normalize the `arcLogs` section (an object or anything else) into Settings; bad values fall back to defaults. */
export function normalizeSettings(raw: unknown): Settings {
	const o = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
	const max = o.maxProblems;
	const maxProblems = typeof max === 'number' && Number.isFinite(max) && max >= 0 ? Math.floor(max) : DEFAULT_MAX_PROBLEMS;
	const loc = o.locale;
	const locale: LocaleSetting = loc === 'en' || loc === 'sv' || loc === 'nl' ? loc : 'auto';
	const severityOverrides: [string, SeverityOverride][] = [];
	const so = o.severityOverrides;
	if (so !== null && typeof so === 'object' && !Array.isArray(so)) {
		for (const [glob, value] of Object.entries(so as Record<string, unknown>)) {
			if (typeof value === 'string' && OVERRIDES.includes(value) && glob.trim().length > 0) {
				severityOverrides.push([glob.trim(), value as SeverityOverride]);
			}
		}
	}
	const redact = o.redact !== null && typeof o.redact === 'object' ? (o.redact as Record<string, unknown>).kinds : undefined;
	const redactKinds = Array.isArray(redact) ? parseKinds(redact).kinds : DEFAULT_REDACT_KINDS;
	const w = o.meanwhileWindowSeconds;
	const meanwhileWindowSeconds =
		typeof w === 'number' && Number.isFinite(w) && w >= 0 ? Math.min(MAX_MEANWHILE_WINDOW_SECONDS, w) : DEFAULT_MEANWHILE_WINDOW_SECONDS;
	return { maxProblems, locale, severityOverrides, customPatterns: o.customPatterns ?? [], meanwhileWindowSeconds, redactKinds };
}

/** The locale to use: the setting unless 'auto', else the client's display language (already mapped). */
export function effectiveLocale(settings: Settings, clientLocale: Locale): Locale {
	return settings.locale === 'auto' ? clientLocale : settings.locale;
}

/**
 * A glob of `arcLogs.severityOverrides` compiled once: the parts between `*`s, matched against an id without
 * backtracking. The first part must match at the start, the last at the end, and each part between them at its
 * leftmost place after the one before (leftmost is always right when only `*` separates them), so matching costs at
 * most (id length × glob length) steps whatever the glob: `"**************!"` is as cheap as `"*!"`.
 */
export interface CompiledGlob {
	/** Literal (non-wildcard) characters: the specificity. */
	readonly specificity: number;
	matches(id: string): boolean;
}

export function compileGlob(glob: string): CompiledGlob {
	const upper = glob.toUpperCase();
	const parts = upper.split('*');
	const starred = parts.length > 1;
	/** Does `part` (with `?` for any one character) match `id` at `at`? */
	const at = (id: string, part: string, i: number): boolean => {
		if (i + part.length > id.length) return false;
		for (let k = 0; k < part.length; k++) if (part[k] !== '?' && part[k] !== id[i + k]) return false;
		return true;
	};
	return {
		specificity: glob.replace(/[*?]/g, '').length,
		matches(raw: string): boolean {
			const id = raw.toUpperCase();
			if (!starred) return id.length === upper.length && at(id, upper, 0);
			const first = parts[0];
			const last = parts[parts.length - 1];
			if (first.length + last.length > id.length || !at(id, first, 0) || !at(id, last, id.length - last.length)) return false;
			let pos = first.length;
			const end = id.length - last.length;
			for (let p = 1; p < parts.length - 1; p++) {
				const part = parts[p];
				if (!part) continue;
				let i = pos;
				while (i + part.length <= end && !at(id, part, i)) i++;
				if (i + part.length > end) return false;
				pos = i + part.length;
			}
			return true;
		},
	};
}

/** Compiled globs per overrides list (a settings object's list is compiled once, on first use). */
const compiled = new WeakMap<Settings['severityOverrides'], readonly (readonly [CompiledGlob, SeverityOverride])[]>();

function compiledOverrides(overrides: Settings['severityOverrides']): readonly (readonly [CompiledGlob, SeverityOverride])[] {
	let c = compiled.get(overrides);
	if (!c) {
		c = overrides.map(([glob, value]) => [compileGlob(glob), value] as const);
		compiled.set(overrides, c);
	}
	return c;
}

/**
 * The severity of a finding after `arcLogs.severityOverrides`. Globs match the whole id, case-insensitively, with
 * `*` (any run of characters) and `?` (one character). When several globs match, the most specific wins: the one
 * with the most literal (non-wildcard) characters; between equally specific globs, the later one in the setting.
 * So `{"*": "info", "CI-*": "warning", "CI-SCRIPT-FAILED": "error"}` does what it reads like.
 * Returns 'off' when the finding is to be dropped.
 */
export function applySeverityOverride(id: string, severity: Severity, overrides: Settings['severityOverrides']): Severity | 'off' {
	let best: { specificity: number; value: SeverityOverride } | undefined;
	for (const [glob, value] of compiledOverrides(overrides)) {
		if (!glob.matches(id)) continue;
		if (!best || glob.specificity >= best.specificity) best = { specificity: glob.specificity, value };
	}
	return best ? best.value : severity;
}
