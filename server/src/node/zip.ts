// Zip archives as `azcmagent logs` makes them, read without holding the archive in memory: the central directory is
// read with random-access reads, then one entry at a time is read and inflated in slices (a bundle of any size costs
// the slice and one entry's inflate window). An archive whose central directory cannot be used (a truncated download,
// a damaged end) is read front to back from its local headers instead, so that every complete entry is still kept.
// Both ways are bounded the same (entries, bytes inflated per archive; the per-entry bound is the sink's).
import { openSync, readSync, closeSync, fstatSync } from 'node:fs';
import { Inflate, Unzip, type UnzipDecoder, type UnzipFile } from 'fflate';
import { LIMITS } from '../core/archive/limits';

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

/** Bytes of an archive by position: a file on disk (read as needed) or bytes in memory. */
export interface ZipSource {
	readonly size: number;
	/** Up to `length` bytes at `position` (fewer at the end); the result may be a view that the next read reuses. */
	read(position: number, length: number): Uint8Array;
}

/** Compressed bytes handed to the inflater at a time: deflate expands at most ~1032×, so one slice inflates to ≤ 16 MiB. */
const SLICE = 16 * 1024;
/** A central directory larger than this is not believed (10,000 entries with long names fit in a few MiB). */
const MAX_CENTRAL_DIRECTORY = 64 * 1024 * 1024;

export function bytesSource(bytes: Uint8Array): ZipSource {
	return { size: bytes.length, read: (position, length) => bytes.subarray(position, Math.min(bytes.length, position + length)) };
}

/** Read the zip archive at `path` (see readZipFrom); the file is open only while it is read. */
export function readZipFile(path: string, sink: ZipEntrySink, word: (e: ZipEntryError) => string): ZipProblem[] {
	const fd = openSync(path, 'r');
	try {
		const size = fstatSync(fd).size;
		let buf = new Uint8Array(SLICE);
		return readZipFrom(
			{
				size,
				read(position, length) {
					if (buf.length < length) buf = new Uint8Array(length);
					let n = 0;
					while (n < length) {
						const got = readSync(fd, buf, n, length - n, position + n);
						if (got <= 0) break;
						n += got;
					}
					return buf.subarray(0, n);
				},
			},
			sink,
			word,
		);
	} finally {
		closeSync(fd);
	}
}

/**
 * Stream a zip archive's entries (in memory) into `sink`, bounded: entries past maxEntries are not read, and once the
 * archive inflated past maxArchiveBytes the entry being read is cut off and no further entry is read (zip bombs; the
 * per-entry bound is the sink's: it returns false from data()). A damaged or truncated archive keeps every entry that
 * was read completely; the entry the damage is in is ended with the reason. `word` turns a ZipEntryError into the
 * message the sink gets.
 */
export function readZip(bytes: Uint8Array, sink: ZipEntrySink, word: (e: ZipEntryError) => string): ZipProblem[] {
	return readZipFrom(bytesSource(bytes), sink, word);
}

/** readZip over any ZipSource: by the central directory when it is sound, else front to back. */
export function readZipFrom(src: ZipSource, sink: ZipEntrySink, word: (e: ZipEntryError) => string): ZipProblem[] {
	const directory = centralDirectory(src);
	return directory ? readByDirectory(src, directory, sink, word) : readSequentially(src, sink, word);
}

interface DirectoryEntry {
	readonly name: string;
	readonly method: number;
	readonly compressedSize: number;
	readonly localOffset: number;
}

const u16 = (b: Uint8Array, i: number) => b[i] | (b[i + 1] << 8);
const u32 = (b: Uint8Array, i: number) => (b[i] | (b[i + 1] << 8) | (b[i + 2] << 16)) + b[i + 3] * 0x1000000;
const u64 = (b: Uint8Array, i: number) => u32(b, i) + u32(b, i + 4) * 0x100000000;
const latin1 = (b: Uint8Array) => {
	let s = '';
	for (let i = 0; i < b.length; i += 16384) s += String.fromCharCode(...b.subarray(i, i + 16384));
	return s;
};
const utf8 = new TextDecoder('utf-8');

/**
 * The central directory's file entries (directories left out), sorted by where their data is (the order a front-to-back
 * reader meets them), or undefined when the archive has none that can be trusted: no end record (a truncated archive),
 * a directory outside the file, a bad signature, a multi-disk archive. Names are decoded as fflate does (UTF-8 when
 * the entry says so, else Latin-1), so that both ways of reading give the same names.
 */
function centralDirectory(src: ZipSource): DirectoryEntry[] | undefined {
	if (src.size < 22) return undefined;
	// Most archives have no comment: their end record is the last 22 bytes. Else it is searched in the last 64 KiB.
	let tailStart = src.size - 22;
	let tail = src.read(tailStart, 22).slice();
	let eocd = u32(tail, 0) === 0x06054b50 && u16(tail, 20) === 0 ? 0 : -1;
	if (eocd < 0) {
		const tailLength = Math.min(src.size, 22 + 0xffff);
		tailStart = src.size - tailLength;
		tail = src.read(tailStart, tailLength).slice();
		for (let i = tail.length - 22; i >= 0; i--) {
			if (u32(tail, i) === 0x06054b50 && i + 22 + u16(tail, i + 20) === tail.length) {
				eocd = i;
				break;
			}
		}
	}
	if (eocd < 0) return undefined;
	if (u16(tail, eocd + 4) !== 0 || u16(tail, eocd + 6) !== 0) return undefined;
	let count = u16(tail, eocd + 10);
	let cdSize = u32(tail, eocd + 12);
	let cdOffset = u32(tail, eocd + 16);
	let cdEnd = tailStart + eocd;
	if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
		// Zip64: the locator sits just before the end record and points to the zip64 end record.
		if (eocd < 20 || u32(tail, eocd - 20) !== 0x07064b50) return undefined;
		const at = u64(tail, eocd - 12);
		if (at + 56 > cdEnd) return undefined;
		const z = src.read(at, 56).slice();
		if (z.length < 56 || u32(z, 0) !== 0x06064b50) return undefined;
		count = u64(z, 32);
		cdSize = u64(z, 40);
		cdOffset = u64(z, 48);
		cdEnd = at;
	}
	if (cdOffset + cdSize > cdEnd || cdSize > MAX_CENTRAL_DIRECTORY) return undefined;
	const cd = src.read(cdOffset, cdSize).slice();
	if (cd.length < cdSize) return undefined;
	const entries: DirectoryEntry[] = [];
	let p = 0;
	for (let n = 0; n < count; n++) {
		if (p + 46 > cd.length || u32(cd, p) !== 0x02014b50) return undefined;
		const flags = u16(cd, p + 8);
		const method = u16(cd, p + 10);
		let compressedSize = u32(cd, p + 20);
		let size = u32(cd, p + 24);
		const nameLength = u16(cd, p + 28);
		const extraLength = u16(cd, p + 30);
		const commentLength = u16(cd, p + 32);
		let localOffset = u32(cd, p + 42);
		const next = p + 46 + nameLength + extraLength + commentLength;
		if (next > cd.length) return undefined;
		const rawName = cd.subarray(p + 46, p + 46 + nameLength);
		const name = flags & 0x800 ? utf8.decode(rawName) : latin1(rawName);
		// Zip64 sizes and offset: in the 0x0001 extra field, in this order, only those that are 0xffffffff here.
		for (let e = p + 46 + nameLength; e + 4 <= p + 46 + nameLength + extraLength; ) {
			const id = u16(cd, e);
			const len = u16(cd, e + 2);
			if (id === 1) {
				let q = e + 4;
				const take = () => {
					const v = q + 8 <= e + 4 + len ? u64(cd, q) : -1;
					q += 8;
					return v;
				};
				if (size === 0xffffffff) size = take();
				if (compressedSize === 0xffffffff) compressedSize = take();
				if (localOffset === 0xffffffff) localOffset = take();
				if (size < 0 || compressedSize < 0 || localOffset < 0) return undefined;
			}
			e += 4 + len;
		}
		if (localOffset + 30 > cdOffset) return undefined;
		if (!name.endsWith('/')) entries.push({ name, method, compressedSize, localOffset });
		p = next;
	}
	// Stable: entries at the same offset (overlapping entries, a known bomb shape) keep their directory order.
	return entries.map((e, i) => ({ e, i })).sort((a, b) => a.e.localOffset - b.e.localOffset || a.i - b.i).map((x) => x.e);
}

/** One entry at a time, from its local header, `SLICE` compressed bytes at a time. */
function readByDirectory(src: ZipSource, entries: readonly DirectoryEntry[], sink: ZipEntrySink, word: (e: ZipEntryError) => string): ZipProblem[] {
	const errors: ZipProblem[] = [];
	let total = 0;
	for (let n = 0; n < entries.length; n++) {
		const entry = entries[n];
		if (n >= LIMITS.maxEntries) {
			errors.push({ kind: 'too-many-entries', limit: LIMITS.maxEntries });
			break;
		}
		if (entry.method !== 0 && entry.method !== 8) {
			errors.push({ kind: 'unsupported-compression', entry: entry.name, method: entry.method });
			continue;
		}
		const local = src.read(entry.localOffset, 30);
		if (local.length < 30 || u32(local, 0) !== 0x04034b50) {
			errors.push({ kind: 'damaged', detail: `no local header at offset ${entry.localOffset}` });
			continue;
		}
		const start = entry.localOffset + 30 + u16(local, 26) + u16(local, 28);
		if (!sink.begin(entry.name)) continue;
		const end = Math.min(src.size, start + entry.compressedSize);
		let error: string | undefined;
		let stopped = false;
		/** Give inflated bytes to the sink; false once the entry (or the archive) is done. */
		const give = (chunk: Uint8Array): boolean => {
			if (stopped || !chunk.length) return !stopped;
			total += chunk.length;
			if (total > LIMITS.maxArchiveBytes) {
				error = word({ kind: 'archive-limit', limit: LIMITS.maxArchiveBytes });
				stopped = true;
				return false;
			}
			if (sink.data(chunk) === false) stopped = true;
			return !stopped;
		};
		const inflate = entry.method === 8 ? new Inflate((chunk) => give(chunk)) : undefined;
		try {
			for (let at = start; at < end && !stopped; at += SLICE) {
				// A copy: the sink and the inflater may keep what they are given, and the next read reuses the buffer.
				const slice = src.read(at, Math.min(SLICE, end - at)).slice();
				if (inflate) inflate.push(slice, at + slice.length >= end);
				else give(slice);
			}
			if (inflate && start >= end && !stopped) inflate.push(new Uint8Array(0), true);
		} catch (e) {
			if (!stopped) error = word({ kind: 'corrupt', detail: e instanceof Error ? e.message : String(e) });
		}
		if (!error && !stopped && start + entry.compressedSize > src.size) error = word({ kind: 'truncated' });
		sink.end(entry.name, error);
		if (total > LIMITS.maxArchiveBytes) break;
	}
	return errors;
}

/**
 * Front to back through the local headers (fflate's Unzip), for an archive without a usable central directory: fed
 * in slices so that a bomb is cut off before it is inflated whole, and the data ending inside an entry (a truncated
 * archive) ends that entry with the reason.
 */
function readSequentially(src: ZipSource, sink: ZipEntrySink, word: (e: ZipEntryError) => string): ZipProblem[] {
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
	const step = 64 * 1024;
	try {
		for (let i = 0; i < src.size && !stopped; i += step) uz.push(src.read(i, Math.min(step, src.size - i)).slice(), i + step >= src.size);
		if (src.size === 0) uz.push(new Uint8Array(0), true);
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
