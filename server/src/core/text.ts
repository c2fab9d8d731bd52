// Text helpers: a LineSource over a string (LF, CRLF or lone CR line breaks).
import type { LineSource } from './model';

/** Split `text` into lines without their breaks, as an editor counts them (a final break leaves an empty last line). */
export function linesOf(text: string): LineSource & { readonly lines: readonly string[] } {
	const lines = text.split(/\r\n|\r|\n/);
	return { lines, lineCount: lines.length, lineAt: (i) => lines[i] ?? '' };
}
