// Reading what `arc-logs scan` is given: files, folders (recursively: known log names and sniffed content) and
// .zip bundles as `azcmagent logs` makes them (read in memory, nothing extracted to disk, bounded against bombs).
// Bytes become lines through one decoder: UTF-8 (invalid sequences become U+FFFD, never a crash), UTF-16 LE/BE
// with a BOM; CRLF, LF and lone CR breaks; a line longer than MAX_LINE is split rather than held forever.
import { openSync, readSync, closeSync, readdirSync, lstatSync } from 'node:fs';
import { join, basename } from 'node:path';
import { Unzip, UnzipInflate, type UnzipFile } from 'fflate';
import { TextDecoder } from 'node:util';
import { detectFormat, formatFromName } from '../core/formats/detect';

export const LIMITS = {
	/** One line may not grow past this many characters before it is cut into pieces. */
	maxLine: 16 * 1024 * 1024,
	/** A zip archive read into memory. */
	maxZipBytes: 512 * 1024 * 1024,
	/** Bytes inflated from one zip entry / from one archive in total (zip bombs). */
	maxEntryBytes: 1024 * 1024 * 1024,
	maxArchiveBytes: 2 * 1024 * 1024 * 1024,
	maxEntries: 10000,
	/** Files a folder scan visits at most. */
	maxFiles: 20000,
	/** Bytes sniffed to decide if an unknown file is a log. */
	sniffBytes: 64 * 1024,
};

/** Splits decoded text into lines across chunk boundaries. */
export class LineSplitter {
	private rest = '';
	private pendingCR = false;
	constructor(private readonly onLine: (line: string) => void) {}

	push(text: string): void {
		if (!text) return;
		let s = this.rest + text;
		this.rest = '';
		if (this.pendingCR) {
			this.pendingCR = false;
			if (s.charCodeAt(0) === 10) s = s.slice(1);
		}
		let start = 0;
		for (let i = 0; i < s.length; i++) {
			const c = s.charCodeAt(i);
			if (c !== 10 && c !== 13) continue;
			this.onLine(s.slice(start, i));
			if (c === 13) {
				if (i + 1 === s.length) this.pendingCR = true;
				else if (s.charCodeAt(i + 1) === 10) i++;
			}
			start = i + 1;
		}
		this.rest = s.slice(start);
		while (this.rest.length > LIMITS.maxLine) {
			this.onLine(this.rest.slice(0, LIMITS.maxLine));
			this.rest = this.rest.slice(LIMITS.maxLine);
		}
	}

	end(): void {
		// Like an editor: text after the last break is a line; a final break leaves an empty last line.
		this.onLine(this.rest);
		this.rest = '';
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
			else if (looksUtf16le(h)) enc = 'utf-16le';
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

/** UTF-16 LE without a BOM (PowerShell redirects): ASCII text with every other byte zero. */
function looksUtf16le(b: Uint8Array): boolean {
	const n = Math.min(b.length & ~1, 512);
	if (n < 8) return false;
	let zeros = 0;
	for (let i = 1; i < n; i += 2) if (b[i] === 0 && b[i - 1] !== 0) zeros++;
	return zeros >= (n / 2) * 0.9;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
	if (!a.length) return b;
	const r = new Uint8Array(a.length + b.length);
	r.set(a);
	r.set(b, a.length);
	return r;
}

/** A text file that is really binary: NUL bytes in its head that are not UTF-16. */
export function isBinary(head: Uint8Array): boolean {
	if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff) || looksUtf16le(head)) return false;
	const n = Math.min(head.length, 8192);
	let nul = 0;
	for (let i = 0; i < n; i++) if (head[i] === 0) nul++;
	return nul > 0;
}

/** Read a file from disk in chunks into `sink` (bytes). */
export function readFileChunks(path: string, sink: (bytes: Uint8Array) => void, chunk = 1024 * 1024): void {
	const fd = openSync(path, 'r');
	try {
		const buf = new Uint8Array(chunk);
		for (;;) {
			const n = readSync(fd, buf, 0, chunk, null);
			if (n <= 0) break;
			sink(buf.slice(0, n));
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

/** Expand a folder: files worth analyzing and zip bundles, sorted, without following symlinked folders. */
export function walkFolder(dir: string, out: FoundFile[], problems: string[]): void {
	const stack = [dir];
	let visited = 0;
	while (stack.length) {
		const d = stack.pop()!;
		let names: string[];
		try {
			names = readdirSync(d).sort();
		} catch (e) {
			problems.push(`${d}: ${reason(e)}`);
			continue;
		}
		const subdirs: string[] = [];
		for (const name of names) {
			if (name === 'node_modules' || name === '.git') continue;
			const p = join(d, name);
			if (++visited > LIMITS.maxFiles) {
				problems.push(`${dir}: more than ${LIMITS.maxFiles} files; the rest is not scanned`);
				return;
			}
			let st;
			try {
				st = lstatSync(p);
			} catch (e) {
				problems.push(`${p}: ${reason(e)}`);
				continue;
			}
			if (st.isDirectory()) subdirs.push(p);
			else if (st.isFile()) {
				if (/\.zip$/i.test(name)) out.push({ path: p, kind: 'zip' });
				else {
					try {
						if (wantFile(name, () => readHead(p))) out.push({ path: p, kind: 'file' });
					} catch (e) {
						problems.push(`${p}: ${reason(e)}`);
					}
				}
			}
		}
		stack.push(...subdirs.reverse());
	}
}

export interface ZipEntrySink {
	/** Return false to skip the entry. */
	begin(name: string): boolean;
	data(bytes: Uint8Array): void;
	end(name: string, error?: string): void;
}

/**
 * Stream a zip archive's entries (in memory) into `sink`, bounded: entries past maxEntries, entries that inflate
 * past maxEntryBytes and archives past maxArchiveBytes are cut off with an error for that entry.
 * Throws (with a readable message) only when the archive itself is corrupt.
 */
export function readZip(bytes: Uint8Array, sink: ZipEntrySink): string[] {
	const errors: string[] = [];
	let entries = 0;
	let total = 0;
	let stopped = false;
	const uz = new Unzip((file: UnzipFile) => {
		if (stopped) return;
		if (file.name.endsWith('/')) return;
		if (++entries > LIMITS.maxEntries) {
			if (entries === LIMITS.maxEntries + 1) errors.push(`more than ${LIMITS.maxEntries} entries; the rest is not scanned`);
			return;
		}
		if (file.compression !== 0 && file.compression !== 8) {
			errors.push(`${file.name}: unsupported compression method ${file.compression}`);
			return;
		}
		if (!sink.begin(file.name)) return;
		let size = 0;
		let done = false;
		file.ondata = (err, chunk, final) => {
			if (done) return;
			if (err) {
				done = true;
				sink.end(file.name, `corrupt entry (${err.message})`);
				return;
			}
			size += chunk.length;
			total += chunk.length;
			if (size > LIMITS.maxEntryBytes || total > LIMITS.maxArchiveBytes) {
				done = true;
				file.terminate();
				const what = size > LIMITS.maxEntryBytes ? `inflates past ${LIMITS.maxEntryBytes} bytes` : `the archive inflates past ${LIMITS.maxArchiveBytes} bytes`;
				sink.end(file.name, `${what}; cut off there (zip bomb?)`);
				if (total > LIMITS.maxArchiveBytes) stopped = true;
				return;
			}
			sink.data(chunk);
			if (final) {
				done = true;
				sink.end(file.name);
			}
		};
		file.start();
	});
	uz.register(UnzipInflate);
	// Feed in slices so that a bomb is cut off before it is inflated whole.
	const step = 64 * 1024;
	for (let i = 0; i < bytes.length && !stopped; i += step) uz.push(bytes.subarray(i, Math.min(bytes.length, i + step)), i + step >= bytes.length);
	if (bytes.length === 0) uz.push(new Uint8Array(0), true);
	return errors;
}

/** A zip archive is recognised by its signature, not its name. */
export function isZip(head: Uint8Array): boolean {
	return head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && (head[2] === 3 || head[2] === 5) && (head[3] === 4 || head[3] === 6);
}

export function reason(e: unknown): string {
	const err = e as NodeJS.ErrnoException;
	switch (err?.code) {
		case 'ENOENT':
			return 'no such file or folder';
		case 'EACCES':
		case 'EPERM':
			return 'permission denied';
		case 'EISDIR':
			return 'is a folder';
		default:
			return err?.message ?? String(e);
	}
}
