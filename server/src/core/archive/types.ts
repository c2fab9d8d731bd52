// What the archive readers return: the members of a bundle (by safe name), what was wrong with the archive, and
// the result of reading one member. Plain data; problems are worded by describeArchiveProblem in the caller's locale.
import type { Locale } from '../knowledge/types';
import { t } from '../l10n';

export type ArchiveFormat = 'zip' | 'tar' | 'tar.gz';

export interface ArchiveMember {
	/** The member's path inside the archive (safeEntryName: no `..`, no leading `/`, no drive letter). */
	readonly name: string;
	/** Its size in bytes once read (as the archive declares it). */
	readonly size: number;
	/** Modification time (ms since the epoch), when the archive states one. */
	readonly mtime?: number;
}

export type ArchiveProblem =
	| { readonly kind: 'empty' }
	| { readonly kind: 'not-an-archive' }
	| { readonly kind: 'too-large'; readonly limit: number }
	| { readonly kind: 'too-many-entries'; readonly limit: number }
	| { readonly kind: 'archive-limit'; readonly limit: number }
	| { readonly kind: 'unsupported-compression'; readonly entry: string; readonly method: number }
	| { readonly kind: 'encrypted'; readonly entry: string }
	| { readonly kind: 'link'; readonly entry: string }
	| { readonly kind: 'duplicate'; readonly entry: string }
	| { readonly kind: 'missing'; readonly entry: string }
	| { readonly kind: 'damaged'; readonly detail: string };

/** One member read: its bytes, cut at LIMITS.maxInputBytes (`truncated`), or why it could not be read. */
export type MemberRead = { readonly bytes: Uint8Array; readonly truncated: boolean } | { readonly error: ArchiveProblem };

export function describeArchiveProblem(p: ArchiveProblem, locale: Locale): string {
	const mb = (n: number) => Math.round(n / (1024 * 1024));
	switch (p.kind) {
		case 'empty':
			return t(locale, 'the archive is empty');
		case 'not-an-archive':
			return t(locale, 'not a zip, tar or tar.gz archive');
		case 'too-large':
			return t(locale, 'archive larger than {0} MB; not read', mb(p.limit));
		case 'too-many-entries':
			return t(locale, 'more than {0} entries; the rest are not listed', p.limit);
		case 'archive-limit':
			return t(locale, 'the archive inflates past {0} MB; cut off there, later entries not read (zip bomb?)', mb(p.limit));
		case 'unsupported-compression':
			return t(locale, '{0}: compression method {1} is not supported; not read', p.entry, p.method);
		case 'encrypted':
			return t(locale, '{0}: encrypted; not read', p.entry);
		case 'link':
			return t(locale, '{0}: a link; not followed', p.entry);
		case 'duplicate':
			return t(locale, '{0}: a second member with this name (or a file and a folder of one name); the first is kept', p.entry);
		case 'missing':
			return t(locale, '{0}: no such member in the archive', p.entry);
		case 'damaged':
			return t(locale, 'damaged archive ({0}); the members before the damage are kept', p.detail);
	}
}
