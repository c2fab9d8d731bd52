// Format detection from content (the first lines), with the file name only as a hint. Works for pasted text
// without a name: a shell prompt on top, serial-console prefixes and blank lines are fine. Every format of the
// registry takes part; a format's `weight` says how much one of its lines counts.
import type { FormatId } from '../model';
import type { LanguageId } from './common';
import { parseLine } from './parse';
import { formatById, formatFromName, languageOf } from './registry';

export { formatFromName };

const JOINED_CLOUD_INIT = /\\n\[ {0,12}\d{1,7}\.\d{1,9}\] cloud-init\[\d{1,10}\]:/;

/** How many non-empty lines detection looks at. */
export const DETECT_LINES = 200;

/** Count, per format, how many of the first lines it claims; cloud-init banners outrank everything they embed. */
export function detectFormat(lines: readonly string[], fileName?: string): FormatId {
	const score = new Map<FormatId, number>();
	let seen = 0;
	let banner = false;
	for (let i = 0; i < lines.length && seen < DETECT_LINES; i++) {
		const text = lines[i].length > 4096 ? lines[i].slice(0, 4096) : lines[i];
		if (!text.trim()) continue;
		seen++;
		const { head, syslog, cloudInitTag } = parseLine(text, i);
		// A serial console capture of a boot: cloud-init's output behind the console prefix, or joined into one line
		// with literal `\n[  12.34] cloud-init[702]:` separators.
		if ((cloudInitTag && (!head || head.format === 'plain')) || JOINED_CLOUD_INIT.test(text)) score.set('cloud-init-output', (score.get('cloud-init-output') ?? 0) + 1);
		if (!head) continue;
		// cloud-init's banners printed through syslog belong to cloud-init.log's syslog form, not to -output.log.
		if (syslog) {
			score.set('cloud-init-log', (score.get('cloud-init-log') ?? 0) + 1);
			continue;
		}
		if (head.role === 'banner' || head.role === 'finished') banner = true;
		if (head.format === 'plain') continue;
		const weight = formatById(head.format)?.weight?.(head) ?? 1;
		score.set(head.format, (score.get(head.format) ?? 0) + weight);
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
export function detectLanguageId(lines: readonly string[], fileName?: string): LanguageId | undefined {
	const f = detectFormat(lines, fileName);
	return f === 'plain' ? undefined : languageOf(f);
}
