// Finding things in an Analysis by position (pure helpers shared by the features).
import type { Analysis, LogRecord, Position, Range, Section } from '../model';
import { lastAtOrBefore } from '../search';

/** Index of the record whose lines contain `line`, or -1. Records are sorted by startLine. */
export function recordIndexAt(analysis: Analysis, line: number): number {
	const records = analysis.records;
	let lo = 0;
	let hi = records.length - 1;
	while (lo <= hi) {
		const mid = (lo + hi) >> 1;
		const r = records[mid];
		if (line < r.startLine) hi = mid - 1;
		else if (line > r.endLine) lo = mid + 1;
		else return mid;
	}
	return -1;
}

export function recordAt(analysis: Analysis, line: number): LogRecord | undefined {
	const i = recordIndexAt(analysis, line);
	return i >= 0 ? analysis.records[i] : undefined;
}

/** The top-level section (run, boot) containing `line`. */
export function topSectionAt(analysis: Analysis, line: number): Section | undefined {
	return analysis.sections.find((s) => s.startLine <= line && line <= s.endLine);
}

export function contains(range: Range, pos: Position): boolean {
	if (pos.line < range.start.line || pos.line > range.end.line) return false;
	if (pos.line === range.start.line && pos.character < range.start.character) return false;
	if (pos.line === range.end.line && pos.character > range.end.character) return false;
	return true;
}

export function sameRange(a: Range, b: Range): boolean {
	return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

/** `09:01:07` out of a timestamp text ('2024-03-02T09:01:07+02:00', '2024-06-04 07:01:55,118', 'Jun  4 07:01:55'). */
export function clockOf(timeText: string): string | undefined {
	return /(\d{1,2}:\d{2}:\d{2})/.exec(timeText)?.[1];
}

/** The time of the record a range starts in, as a short clock text (or the timestamp text when there is no clock). */
export function timeAtLine(analysis: Analysis, line: number): string | undefined {
	const r = recordAt(analysis, line);
	if (!r?.time) return undefined;
	return clockOf(r.time.text) ?? r.time.text;
}

/** Per analysis: the most lines one finding spans (findings are sorted by start, so a lookup scans back this far). */
const maxSpan = new WeakMap<Analysis, number>();

/**
 * Indices (into analysis.findings, ascending) of the findings whose range contains `pos`: a binary search, not a walk
 * over every finding (a hover on a log with 20,000 findings stays well under a millisecond).
 */
export function findingsAt(analysis: Analysis, pos: Position): number[] {
	const findings = analysis.findings;
	let span = maxSpan.get(analysis);
	if (span === undefined) {
		span = 0;
		for (const f of findings) span = Math.max(span, f.range.end.line - f.range.start.line);
		maxSpan.set(analysis, span);
	}
	// The first finding that starts after the position's line.
	const lo = lastAtOrBefore(findings, (f) => f.range.start.line, pos.line) + 1;
	const out: number[] = [];
	for (let i = lo - 1; i >= 0 && findings[i].range.start.line >= pos.line - span; i--) if (contains(findings[i].range, pos)) out.push(i);
	return out.reverse();
}

