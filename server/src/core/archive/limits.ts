// The bounds every reader of an archive or a log keeps (the CLI's zip and file readers, the editor's bundle file
// system), and the one rule that turns a member's stored name into a path that cannot point outside the archive.
// Pure: no Node API.

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
	/** An archive's size (the CLI streams zip entries; the editor and tarballs read the archive in memory). */
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
 * An archive member's name as a relative path inside the archive, never one that points outside it: backslashes
 * become slashes; empty, `.` and `..` segments and drive letters are dropped (`../../etc/x` → `etc/x`).
 */
export function safeEntryName(name: string): string {
	const parts = name
		.replace(/\\/g, '/')
		.split('/')
		.filter((p, i) => p !== '' && p !== '.' && p !== '..' && !(i === 0 && /^[A-Za-z]:$/.test(p)));
	return parts.join('/') || '_';
}
