// Semantic tokens from the parse: the record's level, its time, field keys, AZCM codes and (quoted) messages.
// Because tokens come from the parsed record, `ERROR` written inside a message is part of the message token, never a
// level token. The token types are contributed in package.json (semanticTokenTypes/Modifiers) and mapped to TextMate
// scopes there (semanticTokenScopes), so themes colour them like the grammar does.
import type { SemanticTokens, SemanticTokensLegend } from 'vscode-languageserver-types';
import type { Analysis, Level, LineSource, Span } from '../model';
import { AZCM_CODE } from '../concepts';

export const TOKEN_TYPES = ['logLevel', 'logTime', 'logFieldKey', 'logCode', 'logMessage'] as const;
export const TOKEN_MODIFIERS = ['fatalLevel', 'errorLevel', 'warningLevel', 'infoLevel', 'debugLevel'] as const;
export type TokenType = (typeof TOKEN_TYPES)[number];
export type TokenModifier = (typeof TOKEN_MODIFIERS)[number];

export const legend: SemanticTokensLegend = { tokenTypes: [...TOKEN_TYPES], tokenModifiers: [...TOKEN_MODIFIERS] };

/** Lines longer than this are only tokenized up to here (megabyte lines happen). */
const MAX_SCAN = 10_000;

export function levelModifier(level: Level): TokenModifier {
	switch (level) {
		case 'fatal':
		case 'panic':
		case 'critical':
			return 'fatalLevel';
		case 'error':
			return 'errorLevel';
		case 'warning':
			return 'warningLevel';
		case 'info':
			return 'infoLevel';
		case 'debug':
		case 'trace':
			return 'debugLevel';
	}
}

export interface DecodedToken {
	readonly line: number;
	readonly start: number;
	readonly length: number;
	readonly type: TokenType;
	readonly modifiers: readonly TokenModifier[];
}

interface Raw {
	line: number;
	start: number;
	end: number;
	type: TokenType;
	modifiers: number;
	/** Lower value wins where tokens overlap. */
	rank: number;
}

const RANK: Record<TokenType, number> = { logLevel: 0, logTime: 0, logCode: 1, logFieldKey: 2, logMessage: 3 };

export function provideSemanticTokens(analysis: Analysis, source: LineSource): SemanticTokens {
	const raw: Raw[] = [];
	const push = (span: Span | undefined, type: TokenType, modifiers = 0) => {
		if (!span || span.line < 0 || span.line >= source.lineCount) return;
		const end = Math.min(span.end, MAX_SCAN);
		if (end <= span.start) return;
		raw.push({ line: span.line, start: span.start, end, type, modifiers, rank: RANK[type] });
	};
	for (const r of analysis.records) {
		if (r.time) push(r.time.span, 'logTime');
		if (r.level && r.levelSpan) push(r.levelSpan, 'logLevel', 1 << TOKEN_MODIFIERS.indexOf(levelModifier(r.level)));
		for (const f of r.fields) push(f.keySpan, 'logFieldKey');
		// A quoted message (logrus msg="..."), quotes included. Other formats keep the grammar's colours.
		const m = r.messageSpan;
		if (m && m.line < source.lineCount) {
			const text = source.lineAt(m.line);
			if (text.charAt(m.start) === '"' || (m.start > 0 && text.charAt(m.start - 1) === '"')) push(m, 'logMessage');
		}
	}
	// AZCM codes, wherever they are.
	for (let line = 0; line < source.lineCount; line++) {
		const text = source.lineAt(line);
		if (!/azcm/i.test(text)) continue;
		const scan = text.length > MAX_SCAN ? text.slice(0, MAX_SCAN) : text;
		for (const match of scan.matchAll(AZCM_CODE)) {
			const start = match.index ?? 0;
			raw.push({ line, start, end: start + match[0].length, type: 'logCode', modifiers: 0, rank: RANK.logCode });
		}
	}
	return { data: encode(resolveOverlaps(raw)) };
}

/** Tokens may not overlap: a lower-ranked token (a message) is split around higher-ranked ones (codes inside it). */
function resolveOverlaps(tokens: Raw[]): Raw[] {
	const byLine = new Map<number, Raw[]>();
	for (const t of tokens) {
		const list = byLine.get(t.line);
		if (list) list.push(t);
		else byLine.set(t.line, [t]);
	}
	const out: Raw[] = [];
	for (const line of [...byLine.keys()].sort((a, b) => a - b)) {
		const list = byLine.get(line)!.sort((a, b) => a.rank - b.rank || a.start - b.start);
		const placed: Raw[] = [];
		for (const token of list) {
			let pieces: Raw[] = [token];
			for (const p of placed) {
				const next: Raw[] = [];
				for (const piece of pieces) {
					if (p.end <= piece.start || p.start >= piece.end) {
						next.push(piece);
						continue;
					}
					if (piece.start < p.start) next.push({ ...piece, end: p.start });
					if (piece.end > p.end) next.push({ ...piece, start: p.end });
				}
				pieces = next;
			}
			placed.push(...pieces);
		}
		out.push(...placed.sort((a, b) => a.start - b.start));
	}
	return out;
}

function encode(tokens: readonly Raw[]): number[] {
	const data: number[] = [];
	let prevLine = 0;
	let prevStart = 0;
	for (const t of tokens) {
		const deltaLine = t.line - prevLine;
		const deltaStart = deltaLine === 0 ? t.start - prevStart : t.start;
		data.push(deltaLine, deltaStart, t.end - t.start, TOKEN_TYPES.indexOf(t.type), t.modifiers);
		prevLine = t.line;
		prevStart = t.start;
	}
	return data;
}

/** Decode `data` with our legend (for tests and tools). */
export function decodeSemanticTokens(data: readonly number[]): DecodedToken[] {
	const out: DecodedToken[] = [];
	let line = 0;
	let start = 0;
	for (let i = 0; i + 4 < data.length; i += 5) {
		line += data[i];
		start = data[i] === 0 ? start + data[i + 1] : data[i + 1];
		const bits = data[i + 4];
		out.push({
			line,
			start,
			length: data[i + 2],
			type: TOKEN_TYPES[data[i + 3]],
			modifiers: TOKEN_MODIFIERS.filter((_, b) => (bits & (1 << b)) !== 0),
		});
	}
	return out;
}
