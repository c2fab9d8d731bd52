// A zip archive in memory, read through its central directory (so a member is found without inflating the ones
// before it) and inflated with fflate, one member at a time, never past LIMITS.maxInputBytes. Symbolic links,
// encrypted members and unknown compression methods are listed as problems, not read. A zip without a central
// directory (cut off in transfer) is read from its local headers, as far as they go. Zip64 sizes and offsets are
// understood. Pure: bytes in, bytes out.
import { Inflate, strFromU8 } from 'fflate';
import { LIMITS, safeEntryName } from './limits';
import { MemberSet } from './tree';
import type { ArchiveMember, ArchiveProblem, MemberRead } from './types';

export interface ZipMember extends ArchiveMember {
	readonly method: number;
	readonly compressedSize: number;
	/** Offset of the member's local header. */
	readonly localOffset: number;
}

const LOCAL = 0x04034b50;
const CENTRAL = 0x02014b50;
const EOCD = 0x06054b50;
const EOCD64_LOCATOR = 0x07064b50;

export function isZip(head: Uint8Array): boolean {
	return head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && (head[2] === 3 || head[2] === 5) && (head[3] === 4 || head[3] === 6);
}

function u16(b: Uint8Array, o: number): number {
	return b[o] | (b[o + 1] << 8);
}
function u32(b: Uint8Array, o: number): number {
	return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16)) + b[o + 3] * 0x1000000;
}
function u64(b: Uint8Array, o: number): number {
	return u32(b, o) + u32(b, o + 4) * 0x100000000;
}

/** MS-DOS date and time → ms since the epoch (local time as UTC: zip states no zone). */
function dosTime(time: number, date: number): number | undefined {
	const ms = Date.UTC(1980 + (date >> 9), ((date >> 5) & 15) - 1, date & 31, time >> 11, (time >> 5) & 63, (time & 31) * 2);
	return Number.isFinite(ms) ? ms : undefined;
}

export interface ZipIndex {
	readonly members: ZipMember[];
	readonly problems: ArchiveProblem[];
}

export function listZip(bytes: Uint8Array): ZipIndex {
	const eocd = findEocd(bytes);
	if (eocd < 0) {
		const walked = walkLocalHeaders(bytes);
		walked.problems.unshift({ kind: 'damaged', detail: 'no central directory' });
		return walked;
	}
	let cdOffset = u32(bytes, eocd + 16);
	/** Bytes in front of the archive (a self-extracting stub): every stated offset is off by this much. */
	let shift = 0;
	if (cdOffset === 0xffffffff && eocd >= 20 && u32(bytes, eocd - 20) === EOCD64_LOCATOR) {
		const at = u64(bytes, eocd - 12);
		if (at + 56 <= bytes.length) cdOffset = u64(bytes, at + 48);
	} else if (u32(bytes, cdOffset) !== CENTRAL) {
		const start = eocd - u32(bytes, eocd + 12);
		if (start >= 0 && u32(bytes, start) === CENTRAL) {
			shift = start - cdOffset;
			cdOffset = start;
		}
	}
	if (u32(bytes, cdOffset) !== CENTRAL && u16(bytes, eocd + 10) > 0) {
		const walked = walkLocalHeaders(bytes);
		walked.problems.unshift({ kind: 'damaged', detail: 'central directory not found at its offset' });
		return walked;
	}
	const members: ZipMember[] = [];
	const problems: ArchiveProblem[] = [];
	const names = new MemberSet<ZipMember>(members, problems);
	let o = cdOffset;
	while (o + 46 <= bytes.length && u32(bytes, o) === CENTRAL) {
		const madeBy = bytes[o + 5];
		const flags = u16(bytes, o + 8);
		const method = u16(bytes, o + 10);
		const mtime = dosTime(u16(bytes, o + 12), u16(bytes, o + 14));
		let compressedSize = u32(bytes, o + 20);
		let size = u32(bytes, o + 24);
		const nameLen = u16(bytes, o + 28);
		const extraLen = u16(bytes, o + 30);
		const commentLen = u16(bytes, o + 32);
		const external = u32(bytes, o + 38);
		let localOffset = u32(bytes, o + 42);
		const end = o + 46 + nameLen + extraLen + commentLen;
		if (end > bytes.length) {
			problems.push({ kind: 'damaged', detail: 'central directory cut off' });
			break;
		}
		const raw = strFromU8(bytes.subarray(o + 46, o + 46 + nameLen), (flags & 0x800) === 0);
		// Zip64: the fields that overflowed are in the extra field 0x0001, in this order.
		for (let e = o + 46 + nameLen; e + 4 <= o + 46 + nameLen + extraLen; ) {
			const id = u16(bytes, e);
			const len = u16(bytes, e + 2);
			if (id === 1) {
				let f = e + 4;
				if (size === 0xffffffff && f + 8 <= e + 4 + len) (size = u64(bytes, f)), (f += 8);
				if (compressedSize === 0xffffffff && f + 8 <= e + 4 + len) (compressedSize = u64(bytes, f)), (f += 8);
				if (localOffset === 0xffffffff && f + 8 <= e + 4 + len) localOffset = u64(bytes, f);
			}
			e += 4 + len;
		}
		o = end;
		if (raw.endsWith('/') || raw.endsWith('\\')) continue;
		const name = safeEntryName(raw);
		if (members.length >= LIMITS.maxEntries) {
			problems.push({ kind: 'too-many-entries', limit: LIMITS.maxEntries });
			break;
		}
		const unixMode = madeBy === 3 ? external >>> 16 : 0;
		if ((unixMode & 0o170000) === 0o120000) problems.push({ kind: 'link', entry: name });
		else if (flags & 1) problems.push({ kind: 'encrypted', entry: name });
		else if (method !== 0 && method !== 8) problems.push({ kind: 'unsupported-compression', entry: name, method });
		else names.add({ name, size, mtime, method, compressedSize, localOffset: localOffset + shift });
	}
	return { members, problems };
}

/** Offset of the zip's end record, or -1 (a zip behind a stub has no signature at its start, but has this). */
export function findEocd(bytes: Uint8Array): number {
	// The end record is 22 bytes plus a comment of at most 65535.
	for (let o = bytes.length - 22; o >= 0 && o >= bytes.length - 22 - 0xffff; o--) {
		if (bytes[o] === 0x50 && bytes[o + 1] === 0x4b && u32(bytes, o) === EOCD) return o;
	}
	return -1;
}

/** No central directory: the members whose local header states their size, in order, up to the first that does not. */
function walkLocalHeaders(bytes: Uint8Array): ZipIndex {
	const members: ZipMember[] = [];
	const problems: ArchiveProblem[] = [];
	const names = new MemberSet<ZipMember>(members, problems);
	let o = 0;
	while (o + 30 <= bytes.length && u32(bytes, o) === LOCAL && members.length < LIMITS.maxEntries) {
		const flags = u16(bytes, o + 6);
		const method = u16(bytes, o + 8);
		const compressedSize = u32(bytes, o + 18);
		const size = u32(bytes, o + 22);
		const nameLen = u16(bytes, o + 26);
		const extraLen = u16(bytes, o + 28);
		const data = o + 30 + nameLen + extraLen;
		if (flags & 8 || compressedSize === 0xffffffff || data + compressedSize > bytes.length) break;
		const raw = strFromU8(bytes.subarray(o + 30, o + 30 + nameLen), (flags & 0x800) === 0);
		if (!raw.endsWith('/')) {
			const name = safeEntryName(raw);
			if (flags & 1) problems.push({ kind: 'encrypted', entry: name });
			else if (method !== 0 && method !== 8) problems.push({ kind: 'unsupported-compression', entry: name, method });
			else names.add({ name, size, mtime: dosTime(u16(bytes, o + 10), u16(bytes, o + 12)), method, compressedSize, localOffset: o });
		}
		o = data + compressedSize;
	}
	return { members, problems };
}

/** Inflate (or copy) one member, never more than LIMITS.maxInputBytes of it. */
export function readZipMember(bytes: Uint8Array, m: ZipMember): MemberRead {
	const o = m.localOffset;
	if (o + 30 > bytes.length || u32(bytes, o) !== LOCAL) return { error: { kind: 'damaged', detail: `${m.name}: no local header` } };
	const start = o + 30 + u16(bytes, o + 26) + u16(bytes, o + 28);
	const end = Math.min(bytes.length, start + m.compressedSize);
	const data = bytes.subarray(start, end);
	const cut = start + m.compressedSize > bytes.length;
	if (m.method === 0) {
		const truncated = data.length > LIMITS.maxInputBytes;
		if (cut) return { error: { kind: 'damaged', detail: `${m.name}: cut off` } };
		return { bytes: truncated ? data.subarray(0, LIMITS.maxInputBytes) : data, truncated };
	}
	return inflateBounded(data, m.name, LIMITS.maxInputBytes, cut);
}

/** A streaming decompressor of fflate (Inflate, Gunzip): output through the callback given to its constructor. */
type Decompressor = { push(chunk: Uint8Array, final: boolean): void };

/**
 * Feed `data` through a streaming decompressor in 64 KiB slices, keeping at most `limit` bytes of output: a bomb stops
 * there instead of being decompressed whole. `ended`: the stream said it was complete; `error`: why it broke.
 */
export function decompressBounded(
	make: (ondata: (chunk: Uint8Array, final: boolean) => void) => Decompressor,
	data: Uint8Array,
	limit: number,
): { bytes: Uint8Array; over: boolean; ended: boolean; error?: string } {
	const chunks: Uint8Array[] = [];
	let total = 0;
	let over = false;
	let ended = false;
	const d = make((chunk, final) => {
		if (over) return;
		const room = limit - total;
		if (chunk.length > room) {
			chunks.push(chunk.subarray(0, room));
			total = limit;
			over = true;
			return;
		}
		chunks.push(chunk);
		total += chunk.length;
		if (final) ended = true;
	});
	const step = 64 * 1024;
	let error: string | undefined;
	try {
		for (let i = 0; i < data.length && !over; i += step) d.push(data.subarray(i, Math.min(data.length, i + step)), i + step >= data.length);
		if (data.length === 0) d.push(new Uint8Array(0), true);
	} catch (e) {
		error = e instanceof Error ? e.message : String(e);
	}
	return { bytes: concatAll(chunks, total), over, ended, ...(error !== undefined ? { error } : {}) };
}

/** Raw deflate → bytes, bounded (decompressBounded). */
export function inflateBounded(data: Uint8Array, name: string, limit: number, cut = false): MemberRead {
	const r = decompressBounded((ondata) => new Inflate(ondata), data, limit);
	if (r.error !== undefined) return { error: { kind: 'damaged', detail: `${name}: ${r.error}` } };
	if (!r.over && (!r.ended || cut)) return { error: { kind: 'damaged', detail: `${name}: cut off` } };
	return { bytes: r.bytes, truncated: r.over };
}

export function concatAll(chunks: Uint8Array[], total: number): Uint8Array {
	if (chunks.length === 1) return chunks[0];
	const out = new Uint8Array(total);
	let at = 0;
	for (const c of chunks) {
		out.set(c, at);
		at += c.length;
	}
	return out;
}
