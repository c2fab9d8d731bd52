// Reading logs from disk, for `arc-logs scan` and the language server's cases: files, folders (recursively: known log
// names and sniffed content) and .zip bundles as `azcmagent logs` makes them (read in memory, nothing extracted to disk, bounded against bombs).
// Bytes become lines through one decoder: UTF-8 (invalid sequences become U+FFFD, never a crash), UTF-16 LE/BE
// with or without a BOM; CRLF, LF and lone CR breaks; of a line longer than LIMITS.maxLine only its head is kept.
import { openSync, readSync, closeSync, readdirSync, lstatSync, statSync, realpathSync } from 'node:fs';
import { join, basename } from 'node:path';
import { Inflate, Unzip, type UnzipDecoder, type UnzipFile } from 'fflate';
import { TextDecoder } from 'node:util';
import { detectFormat, formatFromName } from '../core/formats/detect';
import type { Locale } from '../core/knowledge/types';
import { t } from '../core/l10n';
import { Analyzer } from '../core/analysis/analyze';
import { DEFAULT_MAX_LINE_SCAN } from '../core/analysis/analyzer';
import type { Analysis } from '../core/model';

export const LIMITS = {
	/** Characters of one line that are kept (the rest of the line is dropped; the analyzer scans its first 256 KiB). */
	maxLine: 16 * 1024 * 1024,
	/**
	 * What one input (a file, a zip entry, stdin) may give the analyzer: bytes and lines. Past either the input is cut
	 * off with a "truncated at" problem. Set from what the analyzer is measured to survive on this kind of machine
	 * (bench/robustness.mjs, bench/RESULTS-robustness.md): its memory grows per line with text (blank lines keep
	 * nothing); `maxLines` counts lines with text.
	 */
	maxInputBytes: 256 * 1024 * 1024,
	maxLines: 1_000_000,
	/** A zip archive read into memory. */
	maxZipBytes: 512 * 1024 * 1024,
	/** Bytes inflated from one archive in total (zip bombs; one entry stops at maxInputBytes). */
	maxArchiveBytes: 1024 * 1024 * 1024,
	maxEntries: 10000,
	/** Files a folder scan visits at most. */
	maxFiles: 20000,
	/** Bytes sniffed to decide if an unknown file is a log. */
	sniffBytes: 64 * 1024,
};

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
		for (let i = start; i < text.length; i++) {
			const c = text.charCodeAt(i);
			if (c !== 10 && c !== 13) continue;
			this.take(text, start, i);
			this.emit();
			if (c === 13) {
				if (i + 1 === text.length) this.pendingCR = true;
				else if (text.charCodeAt(i + 1) === 10) i++;
			}
			start = i + 1;
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
			bytes = h.subarray(skip);
		}
		this.out(this.decoder.decode(bytes, { stream: true }));
	}

	end(): void {
		if (!this.decoder && this.head) {
			this.decoder = new TextDecoder('utf-8', { fatal: false });
			this.out(this.decoder.decode(this.head, { stream: true }));
		}
		if (this.decoder) this.out(this.decoder.decode());
	}
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

/** Read a file from disk in chunks into `sink` (bytes), until its end or until `sink` returns false. */
export function readFileChunks(path: string, sink: (bytes: Uint8Array) => boolean | void, chunk = 1024 * 1024): void {
	const fd = openSync(path, 'r');
	try {
		const buf = new Uint8Array(chunk);
		for (;;) {
			const n = readSync(fd, buf, 0, chunk, null);
			if (n <= 0) break;
			if (sink(buf.slice(0, n)) === false) break;
		}
	} finally {
		closeSync(fd);
	}
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

/** Decode a head of bytes to its first lines (for sniffing). */
export function headLines(head: Uint8Array): string[] {
	const lines: string[] = [];
	const split = new LineSplitter((l) => lines.push(l));
	const dec = new ByteDecoder((t) => split.push(t));
	dec.push(head);
	dec.end();
	split.end();
	return lines.slice(0, 200);
}

const KNOWN_NAME = /(?:azcmagent|himds|arcproxy|cloud-init|gc_agent|gc_ext|gc_worker|installationlog|onboarding)[^/\\]*$/i;
const TEXTY = /\.(?:log|txt|out|[0-9]+)$/i;

/** Whether a file found in a folder or a zip is worth analyzing: a known log name, or a log-like name whose content is ours. */
export function wantFile(name: string, head?: () => Uint8Array): boolean {
	const base = basename(name);
	if (KNOWN_NAME.test(base) || formatFromName(base)) return true;
	if (!TEXTY.test(base) || !head) return false;
	const h = head();
	if (isBinary(h)) return false;
	return detectFormat(headLines(h), base) !== 'plain';
}

export interface FoundFile {
	readonly path: string;
	readonly kind: 'file' | 'zip';
}

/**
 * Expand a folder: files worth analyzing and zip bundles, sorted. Symbolic links are followed (a log is often a link
 * into a rotation folder), within a loop guard: a folder already visited (by its real path) is not visited again.
 * A broken link, and a pipe, socket or device with a log's name, are reported; other special files are passed over.
 * `skipDir`: sub-folders not to enter, by name (node_modules and .git never are).
 */
export function walkFolder(dir: string, out: FoundFile[], problems: string[], locale: Locale = 'en', notes: string[] = problems, skipDir?: (name: string) => boolean): void {
	const stack = [dir];
	const seen = new Set<string>();
	let visited = 0;
	while (stack.length) {
		const d = stack.pop()!;
		let names: string[];
		try {
			const real = realpathSync(d);
			if (seen.has(real)) {
				notes.push(t(locale, '{0}: a link to a folder already scanned ({1}); not scanned again', d, real));
				continue;
			}
			seen.add(real);
			names = readdirSync(d).sort();
		} catch (e) {
			problems.push(`${d}: ${reason(e, locale)}`);
			continue;
		}
		const subdirs: string[] = [];
		for (const name of names) {
			if (name === 'node_modules' || name === '.git') continue;
			const p = join(d, name);
			if (++visited > LIMITS.maxFiles) {
				problems.push(t(locale, '{0}: more than {1} files; the rest is not scanned', dir, LIMITS.maxFiles));
				return;
			}
			let st;
			try {
				st = lstatSync(p);
				if (st.isSymbolicLink()) st = statSync(p);
			} catch (e) {
				problems.push(`${p}: ${(e as NodeJS.ErrnoException)?.code === 'ENOENT' ? t(locale, 'a broken symbolic link') : reason(e, locale)}`);
				continue;
			}
			if (st.isDirectory()) {
				if (!skipDir?.(name)) subdirs.push(p);
			}
			else if (st.isFile()) {
				if (/\.zip$/i.test(name)) out.push({ path: p, kind: 'zip' });
				else {
					try {
						if (wantFile(name, () => readHead(p))) out.push({ path: p, kind: 'file' });
					} catch (e) {
						problems.push(`${p}: ${reason(e, locale)}`);
					}
				}
			} else if (wantFile(name)) notes.push(`${p}: ${t(locale, 'not a regular file (a pipe, socket or device); not read')}`);
		}
		stack.push(...subdirs.reverse());
	}
}

export interface ZipEntrySink {
	/** Return false to skip the entry. `name` is the entry's name as stored (see safeEntryName). */
	begin(name: string): boolean;
	/** Return false when no more of this entry is wanted (its analysis was cut off): it is not inflated further. */
	data(bytes: Uint8Array): boolean | void;
	/** `error`: why the entry is incomplete (cut off at a limit, corrupt, the archive ends inside it). */
	end(name: string, error?: string): void;
}

/** What readZip reports about the archive as a whole (not about one entry). */
export type ZipProblem =
	| { readonly kind: 'too-many-entries'; readonly limit: number }
	| { readonly kind: 'unsupported-compression'; readonly entry: string; readonly method: number }
	| { readonly kind: 'damaged'; readonly detail: string };

/** Why readZip cut an entry short (given to ZipEntrySink.end as the error, already worded by `word`). */
export type ZipEntryError = { readonly kind: 'archive-limit'; readonly limit: number } | { readonly kind: 'corrupt'; readonly detail: string } | { readonly kind: 'truncated' };

/**
 * A zip entry's name as a relative path inside the archive, never one that points outside it: backslashes become
 * slashes; empty, `.` and `..` segments and drive letters are dropped (`../../etc/x` → `etc/x`).
 */
export function safeEntryName(name: string): string {
	const parts = name
		.replace(/\\/g, '/')
		.split('/')
		.filter((p, i) => p !== '' && p !== '.' && p !== '..' && !(i === 0 && /^[A-Za-z]:$/.test(p)));
	return parts.join('/') || '_';
}

/**
 * Stream a zip archive's entries (in memory) into `sink`, bounded: entries past maxEntries are not read, and once the
 * archive inflated past maxArchiveBytes the entry being read is cut off and no further entry is read (zip bombs; the
 * per-entry bound is the sink's: it returns false from data()). A damaged or truncated archive keeps every entry that
 * was read completely; the entry the damage is in is ended with the reason. `word` turns a ZipEntryError into the
 * message the sink gets.
 */
export function readZip(bytes: Uint8Array, sink: ZipEntrySink, word: (e: ZipEntryError) => string): ZipProblem[] {
	const errors: ZipProblem[] = [];
	let entries = 0;
	let total = 0;
	let stopped = false;
	/** The entry being inflated (started, not yet ended). */
	let open: { name: string; end: (error?: string) => void } | undefined;
	const uz = new Unzip((file: UnzipFile) => {
		if (stopped) return;
		if (file.name.endsWith('/')) return;
		if (++entries > LIMITS.maxEntries) {
			if (entries === LIMITS.maxEntries + 1) errors.push({ kind: 'too-many-entries', limit: LIMITS.maxEntries });
			return;
		}
		if (file.compression !== 0 && file.compression !== 8) {
			errors.push({ kind: 'unsupported-compression', entry: file.name, method: file.compression });
			return;
		}
		if (!sink.begin(file.name)) return;
		let done = false;
		const end = (error?: string) => {
			if (done) return;
			done = true;
			if (open?.end === end) open = undefined;
			sink.end(file.name, error);
		};
		open = { name: file.name, end };
		file.ondata = (err, chunk, final) => {
			if (done) return;
			if (err) return end(word({ kind: 'corrupt', detail: err.message }));
			total += chunk.length;
			if (total > LIMITS.maxArchiveBytes) {
				stopped = true;
				file.terminate();
				return end(word({ kind: 'archive-limit', limit: LIMITS.maxArchiveBytes }));
			}
			if (sink.data(chunk) === false && !final) {
				file.terminate();
				return end();
			}
			if (final) end();
		};
		file.start();
	});
	uz.register(StoppableInflate);
	// Feed in slices so that a bomb is cut off before it is inflated whole.
	const step = 64 * 1024;
	try {
		for (let i = 0; i < bytes.length && !stopped; i += step) uz.push(bytes.subarray(i, Math.min(bytes.length, i + step)), i + step >= bytes.length);
		if (bytes.length === 0) uz.push(new Uint8Array(0), true);
	} catch (e) {
		const detail = e instanceof Error ? e.message : String(e);
		if (open) open.end(word({ kind: 'corrupt', detail }));
		else errors.push({ kind: 'damaged', detail });
	}
	// The data ended inside an entry: a truncated archive. What was inflated of it is kept, and said to be partial.
	if (open && !stopped) open.end(word({ kind: 'truncated' }));
	return errors;
}

/**
 * fflate's streaming inflate for zip entries, with a terminate() that really stops: fflate's own UnzipInflate has
 * none, so an entry cut off at a limit went on inflating to its end (a 2 GiB bomb entry: minutes of CPU for nothing).
 */
class StoppableInflate implements UnzipDecoder {
	static readonly compression = 8;
	ondata: UnzipDecoder['ondata'] = () => undefined;
	private stopped = false;
	private readonly inflate = new Inflate((data, final) => this.ondata(null, data, final));

	push(data: Uint8Array, final: boolean): void {
		if (this.stopped) return;
		try {
			this.inflate.push(data, final);
		} catch (e) {
			this.ondata(e as Parameters<UnzipDecoder['ondata']>[0], null as unknown as Parameters<UnzipDecoder['ondata']>[1], final);
		}
	}

	terminate(): void {
		this.stopped = true;
	}
}

/** A zip archive is recognised by its signature, not its name. */
export function isZip(head: Uint8Array): boolean {
	return head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && (head[2] === 3 || head[2] === 5) && (head[3] === 4 || head[3] === 6);
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

/** One input's analysis and what was partial about it. */
export interface Fed {
	readonly analysis: Analysis;
	/** Why the input was cut off (a problem: exit 2), if it was. */
	readonly truncated?: string;
	/** Partial results that are not the input's fault (a line longer than the analyzer scans). */
	readonly notices: readonly string[];
}

/**
 * Feed bytes through decoding and line splitting into a fresh analyzer, bounded by LIMITS.maxInputBytes and
 * LIMITS.maxLines. push() returns false once the input is cut off (the caller stops reading it). `onLine` sees each
 * line the analyzer is given, with its 0-based number (the language server keeps a few of them).
 */
export function byteAnalyzer(locale: Locale, fileName: string, onLine?: (line: string, index: number) => void): { push(b: Uint8Array): boolean; finish(): Fed } {
	const analyzer = new Analyzer({ locale, fileName });
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
