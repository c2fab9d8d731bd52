// The `arcLogs.*` settings as the features see them, normalized from whatever a client sends (pure).
import type { Locale } from '../knowledge/types';
import type { Severity } from '../model';

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
}

export const DEFAULT_MAX_PROBLEMS = 1000;

export const defaultSettings: Settings = { maxProblems: DEFAULT_MAX_PROBLEMS, locale: 'auto', severityOverrides: [], customPatterns: [] };

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
	return { maxProblems, locale, severityOverrides, customPatterns: o.customPatterns ?? [] };
}

/** The locale to use: the setting unless 'auto', else the client's display language (already mapped). */
export function effectiveLocale(settings: Settings, clientLocale: Locale): Locale {
	return settings.locale === 'auto' ? clientLocale : settings.locale;
}

function globToRegExp(glob: string): RegExp {
	const source = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
	return new RegExp(`^${source}$`, 'i');
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
	for (const [glob, value] of overrides) {
		if (!globToRegExp(glob).test(id)) continue;
		const specificity = glob.replace(/[*?]/g, '').length;
		if (!best || specificity >= best.specificity) best = { specificity, value };
	}
	return best ? best.value : severity;
}
