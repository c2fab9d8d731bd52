// Reading logs from disk for `arc-logs scan` and the language server's cases: files, folders (recursively: known log names and sniffed content) and
// .zip bundles as `azcmagent logs` makes them (zip.ts: streamed entry by entry, nothing extracted to disk, bounded
// against bombs).
// Bytes become lines through node/files.ts (shared with the language server).
import { readdirSync, lstatSync, statSync, realpathSync } from 'node:fs';
import { join, basename } from 'node:path';
import { detectFormat, formatFromName } from '../core/formats/detect';
import type { Locale } from '../core/knowledge/types';
import { t } from '../core/l10n';
import { ByteDecoder, LIMITS, LineSplitter, isBinary, readHead, reason } from './files';

export { ByteDecoder, LIMITS, LineSplitter, isBinary, readFileChunks, readHead, reason } from './files';
export { safeEntryName } from '../core/archive/limits';

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

export { readZip, readZipFile, type ZipEntrySink, type ZipProblem, type ZipEntryError } from './zip';

/** A zip archive is recognised by its signature, not its name. */
export { isZip } from '../core/archive/zip';
