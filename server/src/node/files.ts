// Reading logs from disk, shared by the CLI (`arc-logs scan`) and the language server (arcLogs/analyzeFile): files in
// chunks, bytes to text through one decoder (UTF-8, invalid sequences become U+FFFD, never a crash; UTF-16 LE/BE with
// or without a BOM), text to lines across chunk boundaries (CRLF, LF and lone CR; of a line longer than
// LIMITS.maxLine only its head is kept), and the limits one input may give the analyzer. Node only (node:fs).
import { openSync, readSync, closeSync } from 'node:fs';
import { TextDecoder } from 'node:util';
import { DEFAULT_MAX_LINE_SCAN } from '../core/analysis/analyzer';
import type { Locale } from '../core/knowledge/types';
import { t } from '../core/l10n';
import type { Analysis } from '../core/model';

export { LIMITS } from '../core/archive/limits';
import { LIMITS } from '../core/archive/limits';

/**
 * Splits decoded text into lines across chunk boundaries, in time linear in the text however it is chunked (each
 * character is looked at once: the unfinished line is kept as pieces, never re-scanned). A line longer than
 * LIMITS.maxLine keeps its first maxLine characters and the rest of it is dropped, so that line numbers stay those of
 * an editor (the analyzer scans far less of a line than that; the CLI reports such lines).
 */
export class LineSplitter {
	private pieces: string[] = [];
	private length = 0;
	private dropping = false;
	private pendingCR = false;
	constructor(private readonly onLine: (line: string) => void) {}

	push(text: string): void {
		if (!text) return;
		let start = 0;
		if (this.pendingCR) {
			this.pendingCR = false;
			if (text.charCodeAt(0) === 10) start = 1;
		}
		// The next LF and the next CR, each found by indexOf (a loop over every character costs several times more).
		let lf = text.indexOf('\n', start);
		let cr = text.indexOf('\r', start);
		while (lf >= 0 || cr >= 0) {
			let i = cr < 0 || (lf >= 0 && lf < cr) ? lf : cr;
			this.take(text, start, i);
			this.emit();
			if (i === cr) {
				if (i + 1 === text.length) this.pendingCR = true;
				else if (text.charCodeAt(i + 1) === 10) i++;
			}
			start = i + 1;
			if (lf >= 0 && lf < start) lf = text.indexOf('\n', start);
			if (cr >= 0 && cr < start) cr = text.indexOf('\r', start);
		}
		this.take(text, start, text.length);
	}

	end(): void {
		// Like an editor: text after the last break is a line; a final break leaves an empty last line.
		this.emit();
	}

	/** Add text[from, to) to the unfinished line, up to LIMITS.maxLine characters. */
	private take(text: string, from: number, to: number): void {
		if (this.dropping || from >= to) return;
		const room = LIMITS.maxLine - this.length;
		if (to - from > room) {
			to = from + room;
			this.dropping = true;
		}
		if (to > from) {
			this.pieces.push(from === 0 && to === text.length ? text : text.slice(from, to));
			this.length += to - from;
		}
	}

	private emit(): void {
		const line = this.pieces.length === 1 ? this.pieces[0] : this.pieces.join('');
		this.pieces = [];
		this.length = 0;
		this.dropping = false;
		this.onLine(line);
	}
}

/** Bytes → text, choosing the encoding from a BOM (UTF-8 / UTF-16 LE / UTF-16 BE), else UTF-8 (lossy, never throws). */
export class ByteDecoder {
	private decoder: TextDecoder | undefined;
	private head: Uint8Array | undefined = new Uint8Array(0);
	/** UTF-8: the bytes of a character the last chunk ended inside of (decoded with the next chunk). */
	private carry: Uint8Array | undefined;
	constructor(private readonly out: (text: string) => void) {}

	push(bytes: Uint8Array): void {
		if (!this.decoder) {
			const h = concat(this.head!, bytes);
			if (h.length < 3) {
				this.head = h;
				return;
			}
			this.head = undefined;
			let enc = 'utf-8';
			let skip = 0;
			if (h[0] === 0xff && h[1] === 0xfe) [enc, skip] = ['utf-16le', 2];
			else if (h[0] === 0xfe && h[1] === 0xff) [enc, skip] = ['utf-16be', 2];
			else if (h[0] === 0xef && h[1] === 0xbb && h[2] === 0xbf) [enc, skip] = ['utf-8', 3];
			else if (looksUtf16(h, 1)) enc = 'utf-16le';
			else if (looksUtf16(h, 0)) enc = 'utf-16be';
			this.decoder = new TextDecoder(enc, { fatal: false, ignoreBOM: true });
			if (enc === 'utf-8') this.carry = new Uint8Array(0);
			bytes = h.subarray(skip);
		}
		if (!this.carry) {
			this.out(this.decoder.decode(bytes, { stream: true }));
			return;
		}
		// UTF-8 is decoded chunk by chunk without the streaming decoder (several times slower): each chunk up to the
		// character it ends inside of. The text is the same: before a lead byte the decoder is always back at its start
		// (a sequence still open there is one U+FFFD either way).
		const b = concat(this.carry, bytes);
		const cut = utf8Cut(b);
		this.carry = b.slice(cut);
		if (cut) this.out(this.decoder.decode(b.subarray(0, cut)));
	}

	end(): void {
		if (!this.decoder && this.head) {
			this.decoder = new TextDecoder('utf-8', { fatal: false });
			this.out(this.decoder.decode(this.head, { stream: true }));
		}
		if (this.carry) {
			if (this.carry.length) this.out(this.decoder!.decode(this.carry));
			this.carry = new Uint8Array(0);
		} else if (this.decoder) this.out(this.decoder.decode());
	}
}

/** Where to cut UTF-8 bytes so that no character is split: before a lead byte in the last three whose sequence is longer than what follows it. */
export function utf8Cut(b: Uint8Array): number {
	const n = b.length;
	for (let j = n - 1; j >= 0 && j >= n - 3; j--) {
		const c = b[j];
		if (c < 0x80) return n;
		if (c < 0xc0) continue;
		const needs = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 1;
		return needs > n - j ? j : n;
	}
	return n;
}

/**
 * UTF-16 without a BOM (PowerShell redirects): ASCII text with every other byte zero, the odd bytes for little endian
 * (`zeroAt` 1), the even bytes for big endian (`zeroAt` 0).
 */
function looksUtf16(b: Uint8Array, zeroAt: 0 | 1): boolean {
	const n = Math.min(b.length & ~1, 512);
	if (n < 8) return false;
	let zeros = 0;
	for (let i = 0; i < n; i += 2) if (b[i + zeroAt] === 0 && b[i + 1 - zeroAt] !== 0) zeros++;
	return zeros >= (n / 2) * 0.9;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
	if (!a.length) return b;
	const r = new Uint8Array(a.length + b.length);
	r.set(a);
	r.set(b, a.length);
	return r;
}

/**
 * A file that is really binary, decided by the proportion of control bytes in its head (not by one NUL: a log that a
 * crash padded with NUL bytes is still a log). Runs of NUL bytes (padding: 8 or more in a row) are not counted; of the
 * other bytes, more than 1 in 10 being control bytes other than tab, line breaks, form feed and ESC means binary.
 * UTF-16 text (with or without a BOM) is text.
 */
export function isBinary(head: Uint8Array): boolean {
	if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff) || looksUtf16(head, 1) || looksUtf16(head, 0)) return false;
	const n = Math.min(head.length, 8192);
	let counted = 0;
	let control = 0;
	for (let i = 0; i < n; ) {
		if (head[i] === 0) {
			let j = i;
			while (j < n && head[j] === 0) j++;
			if (j - i < 8) {
				counted += j - i;
				control += j - i;
			}
			i = j;
			continue;
		}
		const c = head[i++];
		counted++;
		if ((c < 0x20 && c !== 9 && c !== 10 && c !== 12 && c !== 13 && c !== 0x1b) || c === 0x7f) control++;
	}
	return counted > 0 && control * 10 > counted;
}

/** A file's bytes in chunks, read from disk one chunk at a time (the file is closed when the iteration ends or stops). */
export function* fileChunks(path: string, chunk = 1024 * 1024): Generator<Uint8Array, void, undefined> {
	const fd = openSync(path, 'r');
	try {
		const buf = new Uint8Array(chunk);
		for (;;) {
			const n = readSync(fd, buf, 0, chunk, null);
			if (n <= 0) break;
			yield buf.slice(0, n);
		}
	} finally {
		closeSync(fd);
	}
}

/** Read a file from disk in chunks into `sink` (bytes), until its end or until `sink` returns false. */
export function readFileChunks(path: string, sink: (bytes: Uint8Array) => boolean | void, chunk = 1024 * 1024): void {
	for (const bytes of fileChunks(path, chunk)) if (sink(bytes) === false) break;
}

export function readHead(path: string, bytes = LIMITS.sniffBytes): Uint8Array {
	const fd = openSync(path, 'r');
	try {
		const buf = new Uint8Array(bytes);
		const n = readSync(fd, buf, 0, bytes, 0);
		return buf.subarray(0, n);
	} finally {
		closeSync(fd);
	}
}

/** One input's analysis and what was partial about it. */
export interface Fed {
	readonly analysis: Analysis;
	/** Why the input was cut off (a problem: exit 2), if it was. */
	readonly truncated?: string;
	/** Partial results that are not the input's fault (a line longer than the analyzer scans). */
	readonly notices: readonly string[];
}

/**
 * Feed bytes through decoding and line splitting into `analyzer` (a fresh one), bounded by LIMITS.maxInputBytes and
 * LIMITS.maxLines. push() returns false once the input is cut off (the caller stops reading it).
 */
export function byteAnalyzer(analyzer: { push(line: string): void; finish(): Analysis }, locale: Locale, onLine?: (line: string, index: number) => void): { push(b: Uint8Array): boolean; finish(): Fed } {
	let bytes = 0;
	let lines = 0;
	let cut: 'bytes' | 'lines' | undefined;
	let longLines = 0;
	let firstLong = 0;
	let textLines = 0;
	const split = new LineSplitter((l) => {
		if (cut) return;
		// Blank lines cost the analyzer nothing: the limit counts lines with text.
		const blank = !/\S/.test(l);
		if (!blank && textLines >= LIMITS.maxLines) {
			cut = 'lines';
			return;
		}
		if (l.length > DEFAULT_MAX_LINE_SCAN && longLines++ === 0) firstLong = lines + 1;
		onLine?.(l, lines);
		lines++;
		if (!blank) textLines++;
		analyzer.push(l);
	});
	const dec = new ByteDecoder((t) => split.push(t));
	return {
		push: (b) => {
			if (cut) return false;
			const over = bytes + b.length > LIMITS.maxInputBytes;
			if (over) b = b.subarray(0, LIMITS.maxInputBytes - bytes);
			bytes += b.length;
			dec.push(b);
			// The lines of the bytes up to the limit are analyzed; a line the limit cuts in two is analyzed as far as it goes.
			if (over && !cut) {
				split.end();
				cut = 'bytes';
			}
			return !cut;
		},
		finish: () => {
			dec.end();
			if (!cut) split.end();
			const analysis = analyzer.finish();
			const mb = (n: number) => (n / (1024 * 1024)).toFixed(n % (1024 * 1024) ? 1 : 0);
			const truncated =
				cut === 'bytes'
					? t(locale, 'truncated at {0} MB (the limit per input); the rest is not analyzed', mb(LIMITS.maxInputBytes))
					: cut === 'lines'
						? t(locale, 'truncated at {0} lines (the limit per input); the rest is not analyzed', LIMITS.maxLines)
						: undefined;
			const notices: string[] = [];
			if (longLines) notices.push(t(locale, '{0} lines longer than {1} KiB (the first: line {2}): only their first {1} KiB are analyzed', longLines, DEFAULT_MAX_LINE_SCAN / 1024, firstLong));
			return { analysis, truncated, notices };
		},
	};
}

export function reason(e: unknown, locale: Locale = 'en'): string {
	const err = e as NodeJS.ErrnoException;
	switch (err?.code) {
		case 'ENOENT':
			return t(locale, 'no such file or folder');
		case 'EACCES':
		case 'EPERM':
			return t(locale, 'permission denied');
		case 'EISDIR':
			return t(locale, 'is a folder');
		case 'ELOOP':
			return t(locale, 'too many levels of symbolic links');
		case 'ESPIPE':
			return t(locale, 'cannot seek in a pipe: use a file, or pipe into `arc-logs scan -`');
		default:
			return err?.message ?? String(e);
	}
}
