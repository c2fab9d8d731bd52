// Reading what `arc-logs scan` is given: files, folders (recursively: known log names and sniffed content) and
// .zip bundles as `azcmagent logs` makes them (read in memory, nothing extracted to disk, bounded against bombs).
// Bytes become lines through node/files.ts (shared with the language server).
import { readdirSync, lstatSync, statSync, realpathSync } from 'node:fs';
import { join, basename } from 'node:path';
import { Inflate, Unzip, type UnzipDecoder, type UnzipFile } from 'fflate';
import { detectFormat, formatFromName } from '../core/formats/detect';
import type { Locale } from '../core/knowledge/types';
import { t } from '../core/l10n';
import { ByteDecoder, LIMITS, LineSplitter, isBinary, readHead, reason } from '../node/files';

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
 */
export function walkFolder(dir: string, out: FoundFile[], problems: string[], locale: Locale = 'en', notes: string[] = problems): void {
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
			if (st.isDirectory()) subdirs.push(p);
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
