// Document symbols (Outline, breadcrumbs): azcmagent runs, cloud-init boots and their stages, failed ones marked.
import { SymbolKind, type DocumentSymbol, type Range } from 'vscode-languageserver-types';
import type { Locale } from '../knowledge/types';
import { t } from '../l10n';
import type { Analysis, LineSource, Section } from '../model';
import { clockOf } from './locate';

/** Bounds the work for huge logs (like yaml.maxItemsComputed). */
export const MAX_SYMBOLS = 5000;

function kindOf(section: Section): SymbolKind {
	switch (section.kind) {
		case 'run':
			return SymbolKind.Event;
		case 'boot':
			return SymbolKind.Module;
		case 'stage':
			return SymbolKind.Function;
		case 'script':
			return SymbolKind.Method;
	}
}

/** `connect → failed (AZCM0026)`, `modules:final → failed (exit 1)`, `init → ok`. */
export function sectionLabel(section: Section, locale: Locale): string {
	const clock = section.time ? clockOf(section.time.text) : undefined;
	const name = section.name || (section.kind === 'boot' ? (clock ? t(locale, 'boot at {0}', clock) : t(locale, 'boot')) : section.kind);
	switch (section.outcome) {
		case 'failed':
			return section.detail ? `${name} → ${t(locale, 'failed ({0})', section.detail)}` : `${name} → ${t(locale, 'failed')}`;
		case 'ok':
			return `${name} → ${t(locale, 'ok')}`;
		case 'unknown':
			return section.detail ? `${name} (${section.detail})` : name;
	}
}

export function provideDocumentSymbols(analysis: Analysis, source: LineSource, locale: Locale): DocumentSymbol[] {
	let budget = MAX_SYMBOLS;
	const lineEnd = (line: number) => (line >= 0 && line < source.lineCount ? source.lineAt(line).length : 0);
	const convert = (section: Section): DocumentSymbol | undefined => {
		if (budget-- <= 0) return undefined;
		const last = Math.min(Math.max(section.endLine, section.startLine), Math.max(source.lineCount - 1, 0));
		const first = Math.min(section.startLine, last);
		const range: Range = { start: { line: first, character: 0 }, end: { line: last, character: lineEnd(last) } };
		const selectionRange: Range = { start: { line: first, character: 0 }, end: { line: first, character: lineEnd(first) } };
		const children = section.children.map(convert).filter((c): c is DocumentSymbol => c !== undefined);
		const symbol: DocumentSymbol = { name: sectionLabel(section, locale), kind: kindOf(section), range, selectionRange, children };
		if (section.time) symbol.detail = section.time.text;
		return symbol;
	};
	return analysis.sections.map(convert).filter((s): s is DocumentSymbol => s !== undefined);
}
