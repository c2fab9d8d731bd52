// Folding ranges: runs, boots, stages (regions) and multi-line records.
import { FoldingRangeKind, type FoldingRange } from 'vscode-languageserver-types';
import type { Analysis, Section } from '../model';

export const MAX_FOLDING_RANGES = 5000;

export function provideFoldingRanges(analysis: Analysis): FoldingRange[] {
	// One range per start line (the editor keeps only one): the outermost wins, sections before records.
	const byStart = new Map<number, FoldingRange>();
	const add = (startLine: number, endLine: number, kind?: FoldingRangeKind) => {
		if (endLine <= startLine || startLine < 0) return;
		const existing = byStart.get(startLine);
		if (existing && existing.endLine >= endLine) return;
		const range: FoldingRange = { startLine, endLine };
		if (kind) range.kind = kind;
		byStart.set(startLine, range);
	};
	const walk = (sections: readonly Section[]) => {
		for (const s of sections) {
			add(s.startLine, s.endLine, FoldingRangeKind.Region);
			walk(s.children);
		}
	};
	walk(analysis.sections);
	for (const r of analysis.records) add(r.startLine, r.endLine);
	return [...byStart.values()].sort((a, b) => a.startLine - b.startLine).slice(0, MAX_FOLDING_RANGES);
}
