// Localization for the core, the server and the CLI. The bundles are the same files VS Code's own l10n reads for
// the client (l10n/bundle.l10n.<locale>.json: English source string -> translation), so one set of translations
// serves the editor, the hovers, the diagnostics and the CLI. Placeholders are {0}, {1}, ... as in vscode.l10n.t.
import type { Locale } from './knowledge/types';
import sv from '../../../l10n/bundle.l10n.sv.json';
import nl from '../../../l10n/bundle.l10n.nl.json';

const bundles: Record<Locale, Readonly<Record<string, string>>> = { en: {}, sv, nl };

/** Translate `message` (the English source string) into `locale`, then fill {0}, {1}, ... with `args`. */
export function t(locale: Locale, message: string, ...args: (string | number)[]): string {
	const template = bundles[locale][message] ?? message;
	return template.replace(/\{(\d+)\}/g, (m, i: string) => {
		const v = args[Number(i)];
		return v === undefined ? m : String(v);
	});
}

/** Map a display language ('sv-SE', 'nl', 'en-US', 'de') to the nearest supported locale (English fallback). */
export function toLocale(language: string | undefined | null): Locale {
	const base = (language ?? '').toLowerCase().split(/[-_]/)[0];
	return base === 'sv' || base === 'nl' ? base : 'en';
}
