// Text helpers: a LineSource over a string (LF, CRLF or lone CR line breaks), and log text made safe to show (every
// rendering that puts log text in front of a person: the CLI's reports, and hovers and diagnostics can use the same).
import type { LineSource } from './model';

/** Split `text` into lines without their breaks, as an editor counts them (a final break leaves an empty last line). */
export function linesOf(text: string): LineSource & { readonly lines: readonly string[] } {
	const lines = text.split(/\r\n|\r|\n/);
	return { lines, lineCount: lines.length, lineAt: (i) => lines[i] ?? '' };
}

/** Bidi controls (U+061C, U+200E/F, U+202A–202E, U+2066–2069) and zero-width characters (U+200B–200D, U+2060, U+FEFF) as `\uXXXX`. */
export function neutralizeInvisible(s: string): string {
	return s.replace(/[\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Log text in a message that a viewer may render as markdown (JSON consumers, a ticket the text report is pasted
 * into): link and image syntax `[text](command:...)` and autolinks `<command:...>` cannot become live. The `(` after
 * `]` and the `<` of an autolink are backslash-escaped (markdown renders them as they were, without the link); the
 * rest of the text is unchanged. Invisible characters are shown as escapes.
 */
export function safeMessage(s: string): string {
	return neutralizeInvisible(s.replace(/\]\s*\(/g, (m) => `${m.slice(0, -1)}\\(`).replace(/<(?=[A-Za-z][A-Za-z0-9+.-]{1,31}:)/g, '\\<'));
}
