// tar and tar.gz archives in memory (what `cloud-init collect-logs` and `tar czf` make): gunzipped with fflate,
// bounded at LIMITS.maxArchiveBytes (a gzip bomb is cut off there), then read header by header. ustar, GNU and
// POSIX pax names (the ustar prefix, GNU long names, pax `path` and `size`); base-256 sizes; every header's checksum
// is verified, so garbage is a "damaged" problem, not members. Links, devices and fifos are not members.
import { Gunzip, strFromU8 } from 'fflate';
import { LIMITS, safeEntryName } from './limits';
import { MemberSet } from './tree';
import type { ArchiveMember, ArchiveProblem, MemberRead } from './types';
import { decompressBounded } from './zip';

export interface TarMember extends ArchiveMember {
	/** Offset of the member's data in the (gunzipped) tar. */
	readonly offset: number;
}

export function isGzip(head: Uint8Array): boolean {
	return head.length >= 3 && head[0] === 0x1f && head[1] === 0x8b && head[2] === 8;
}

/** A tar is recognised by a first header with a valid checksum (old v7 tars have no `ustar` magic). */
export function isTar(head: Uint8Array): boolean {
	return head.length >= 512 && checksumOk(head, 0);
}

/** Gunzip, stopping at `limit` bytes of output. */
export function gunzipBounded(bytes: Uint8Array, limit = LIMITS.maxArchiveBytes): { bytes: Uint8Array; problems: ArchiveProblem[] } {
	const r = decompressBounded((ondata) => new Gunzip(ondata), bytes, limit);
	const problems: ArchiveProblem[] = [];
	if (r.error !== undefined) problems.push({ kind: 'damaged', detail: r.error });
	if (r.over) problems.push({ kind: 'archive-limit', limit });
	else if (!r.ended && !problems.length) problems.push({ kind: 'damaged', detail: 'gzip data cut off' });
	return { bytes: r.bytes, problems };
}

function field(b: Uint8Array, o: number, len: number): string {
	const end = b.subarray(o, o + len).indexOf(0);
	return strFromU8(b.subarray(o, end < 0 ? o + len : o + end));
}

/** An octal number field (spaces and NULs around it), or a base-256 one (first byte 0x80); NaN when neither. */
function number(b: Uint8Array, o: number, len: number): number {
	if (b[o] & 0x80) {
		let n = b[o] & 0x7f;
		for (let i = 1; i < len; i++) n = n * 256 + b[o + i];
		return n;
	}
	const s = field(b, o, len).trim();
	return /^[0-7]+$/.test(s) ? parseInt(s, 8) : s === '' ? 0 : NaN;
}

function checksumOk(b: Uint8Array, o: number): boolean {
	const stated = number(b, o + 148, 8);
	if (!Number.isFinite(stated)) return false;
	let sum = 0;
	for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : b[o + i];
	return sum === stated;
}

/** pax extended header records: `LEN key=value\n`. */
function paxRecords(data: Uint8Array): Record<string, string> {
	const out: Record<string, string> = {};
	let o = 0;
	while (o < data.length) {
		const space = data.indexOf(0x20, o);
		if (space < 0) break;
		const len = parseInt(strFromU8(data.subarray(o, space)), 10);
		if (!(len > 0) || o + len > data.length) break;
		const record = strFromU8(data.subarray(space + 1, o + len - 1));
		const eq = record.indexOf('=');
		if (eq > 0) out[record.slice(0, eq)] = record.slice(eq + 1);
		o += len;
	}
	return out;
}

export interface TarIndex {
	readonly members: TarMember[];
	readonly problems: ArchiveProblem[];
}

export function listTar(tar: Uint8Array): TarIndex {
	const members: TarMember[] = [];
	const problems: ArchiveProblem[] = [];
	const names = new MemberSet<TarMember>(members, problems);
	let o = 0;
	let longName: string | undefined;
	let pax: Record<string, string> = {};
	while (o + 512 <= tar.length) {
		if (tar.subarray(o, o + 512).every((b) => b === 0)) break; // the end: two zero blocks
		if (!checksumOk(tar, o)) {
			problems.push({ kind: 'damaged', detail: `bad tar header at byte ${o}` });
			break;
		}
		const type = String.fromCharCode(tar[o + 156] || 0x30);
		let size = number(tar, o + 124, 12);
		if (pax.size !== undefined && /^\d+$/.test(pax.size)) size = Number(pax.size);
		if (!Number.isFinite(size) || size < 0) {
			problems.push({ kind: 'damaged', detail: `bad tar size at byte ${o}` });
			break;
		}
		const data = o + 512;
		const next = data + Math.ceil(size / 512) * 512;
		if (type === 'x' || type === 'L' || type === 'g' || type === 'K') {
			const body = tar.subarray(data, Math.min(tar.length, data + size));
			if (type === 'x') pax = paxRecords(body);
			else if (type === 'L') longName = field(body, 0, body.length);
			o = next;
			continue;
		}
		const magic = field(tar, o + 257, 6);
		const prefix = magic === 'ustar' ? field(tar, o + 345, 155) : '';
		const stored = pax.path ?? longName ?? (prefix ? `${prefix}/` : '') + field(tar, o, 100);
		longName = undefined;
		const mtimeField = pax.mtime !== undefined ? Number(pax.mtime) : number(tar, o + 136, 12);
		pax = {};
		o = next;
		if (type === '5' || stored.endsWith('/')) continue; // a folder
		const name = safeEntryName(stored);
		if (type === '1' || type === '2') {
			problems.push({ kind: 'link', entry: name });
			continue;
		}
		if (type !== '0' && type !== '7') continue; // devices, fifos, sparse files: not logs
		if (members.length >= LIMITS.maxEntries) {
			problems.push({ kind: 'too-many-entries', limit: LIMITS.maxEntries });
			break;
		}
		if (data + size > tar.length) {
			problems.push({ kind: 'damaged', detail: `${name}: cut off` });
			break;
		}
		names.add({ name, size, offset: data, mtime: Number.isFinite(mtimeField) ? mtimeField * 1000 : undefined });
	}
	return { members, problems };
}

export function readTarMember(tar: Uint8Array, m: TarMember): MemberRead {
	const truncated = m.size > LIMITS.maxInputBytes;
	return { bytes: tar.subarray(m.offset, m.offset + Math.min(m.size, LIMITS.maxInputBytes)), truncated };
}
