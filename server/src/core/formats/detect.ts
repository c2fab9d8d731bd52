// Format detection from content (the first lines), with the file name only as a hint. Works for pasted text
// without a name: a shell prompt on top, serial-console prefixes and blank lines are fine.
import type { FormatId } from '../model';
import { parseLine } from './parse';

/** How many non-empty lines detection looks at. */
export const DETECT_LINES = 200;

const NAME_HINTS: readonly [RegExp, FormatId][] = [
	[/cloud-init-output[^/\\]*$/i, 'cloud-init-output'],
	[/cloud-init[^/\\]*\.log[^/\\]*$/i, 'cloud-init-log'],
	[/(?:azcmagent|himds|arcproxy)[^/\\]*\.log[^/\\]*$/i, 'azcmagent-log'],
	[/gc_(?:agent|ext|worker)[^/\\]*$/i, 'gc-log'],
	[/(?:installationlog|msi)[^/\\]*\.(?:txt|log)$/i, 'msi-log'],
];

/** The format a file name suggests, if any. */
export function formatFromName(fileName: string | undefined): FormatId | undefined {
	if (!fileName) return undefined;
	for (const [re, f] of NAME_HINTS) if (re.test(fileName)) return f;
	return undefined;
}

/** Count, per format, how many of the first lines it claims; cloud-init banners outrank everything they embed. */
export function detectFormat(lines: readonly string[], fileName?: string): FormatId {
	const score = new Map<FormatId, number>();
	let seen = 0;
	let banner = false;
	for (let i = 0; i < lines.length && seen < DETECT_LINES; i++) {
		const text = lines[i].length > 4096 ? lines[i].slice(0, 4096) : lines[i];
		if (!text.trim()) continue;
		seen++;
		const { head, syslog } = parseLine(text, i);
		if (!head) continue;
		// cloud-init's banners printed through syslog belong to cloud-init.log's syslog form, not to -output.log.
		if (syslog) {
			score.set('cloud-init-log', (score.get('cloud-init-log') ?? 0) + 1);
			continue;
		}
		if (head.role === 'banner' || head.role === 'finished') banner = true;
		if (head.format === 'plain') continue;
		score.set(head.format, (score.get(head.format) ?? 0) + (head.role === 'progress' ? 0.5 : 1));
	}
	const hint = formatFromName(fileName);
	if (banner || hint === 'cloud-init-output') return 'cloud-init-output';
	let best: FormatId | undefined;
	let bestScore = 0;
	for (const [f, s] of score) {
		const v = s + (f === hint ? 0.5 : 0);
		if (v > bestScore) {
			best = f;
			bestScore = v;
		}
	}
	// One claimed line among many unclaimed ones is not a format (a stray timestamp in a pasted ticket).
	if (best && (bestScore >= 2 || bestScore >= seen / 2)) return best;
	return hint ?? 'plain';
}

/** The language id for a document whose first lines are clearly ours, else undefined (used for plain/log documents). */
export function detectLanguageId(lines: readonly string[], fileName?: string): 'azcmagent-log' | 'cloud-init-log' | undefined {
	const f = detectFormat(lines, fileName);
	if (f === 'cloud-init-output' || f === 'cloud-init-log') return 'cloud-init-log';
	if (f === 'plain') return undefined;
	return 'azcmagent-log';
}
