// The analysis model: what the formats make of a log (records, sections) and what the rules find (findings).
// Plain data; positions are 0-based lines and UTF-16 columns, as in LSP.
import type { Locale } from './knowledge/types';

export interface Position {
	readonly line: number;
	readonly character: number;
}
export interface Range {
	readonly start: Position;
	readonly end: Position;
}

/** What the analysis reads: a TextDocument-like view of lines (vscode-languageserver-textdocument fits via an adapter). */
export interface LineSource {
	readonly lineCount: number;
	/** The text of line `i` without its line break. */
	lineAt(i: number): string;
}

/** A format id of the registry (formats/registry.ts), or 'plain': nothing recognised, still scanned. */
export type { FormatId } from './formats/registry';
import type { FormatId } from './formats/registry';

export type Level = 'trace' | 'debug' | 'info' | 'warning' | 'error' | 'fatal' | 'panic' | 'critical';

export interface Span {
	readonly line: number;
	readonly start: number;
	readonly end: number;
}

export interface Field {
	readonly key: string;
	/** Unquoted and unescaped value. */
	readonly value: string;
	readonly keySpan: Span;
	readonly valueSpan: Span;
}

/** One log record: a head line and its continuation lines. */
export interface LogRecord {
	readonly format: FormatId;
	readonly startLine: number;
	/** Inclusive. */
	readonly endLine: number;
	readonly time?: {
		readonly text: string;
		/** Epoch milliseconds when the timestamp is absolute (with a zone, or zone-less taken as UTC); absent for relative ones. */
		readonly ms?: number;
		/** Seconds since process start (console `INFO[0007]`, serial-console `[   12.345678]`). */
		readonly relative?: number;
		readonly span: Span;
	};
	readonly level?: Level;
	readonly levelSpan?: Span;
	/** The message with escapes undone (`\n` → newline, `\"` → `"`); continuation lines joined with newlines. */
	readonly message: string;
	readonly messageSpan?: Span;
	readonly fields: readonly Field[];
	/** Module / component where the format names one (`util.py`, `Pull Client`). */
	readonly source?: string;
}

export type SectionKind = 'run' | 'boot' | 'stage' | 'script';
export type Outcome = 'ok' | 'failed' | 'unknown';

/** Structure above records: azcmagent runs, cloud-init boots and their stages. */
export interface Section {
	readonly kind: SectionKind;
	/** 'connect', 'init-local', 'modules:final', 'part-001', ... */
	readonly name: string;
	readonly startLine: number;
	/** Inclusive. */
	readonly endLine: number;
	readonly outcome: Outcome;
	/** A short outcome detail: 'AZCM0026', 'exit 1', '2 failures'. */
	readonly detail?: string;
	readonly time?: { readonly text: string; readonly ms?: number };
	readonly children: readonly Section[];
}

export type Severity = 'error' | 'warning' | 'info' | 'hint';

export interface RelatedLocation {
	readonly range: Range;
	/** Localized: "Cause logged here", "Exit code reported here". */
	readonly message: string;
}

/**
 * 'arm': an Azure Resource Manager error no article documents; 'agent': a fatal agent record nothing else explains;
 * 'platform': a failure of the tools around the agent, from our own signatures or the log's own voice.
 */
export type FindingKind = 'azcm' | 'azcm-undocumented' | 'exit' | 'connection' | 'nexus' | 'cloud-init' | 'arm' | 'agent' | 'custom' | 'platform';

export interface Finding {
	/** Knowledge id ('AZCM0026', 'EXIT-42', 'AUTH-SPN-INVALID-SECRET'), an AZCM code no table documents, or a custom pattern id. */
	readonly id: string;
	readonly kind: FindingKind;
	readonly severity: Severity;
	readonly range: Range;
	/** Localized, one line, says what happened in this log (with the captured values). */
	readonly message: string;
	/** Knowledge entry id, when the knowledge base has one. */
	readonly entryId?: string;
	/** Other entries that explain the same failure event (its cause's, its consequences'): one event, one problem. */
	readonly explainedBy?: readonly string[];
	/** Values captured from the log: code, title, action, scope, host, exitStatus, armCode, httpStatus, script, ... */
	readonly captures: Readonly<Record<string, string>>;
	readonly related: readonly RelatedLocation[];
	/** Suggested commands (from the knowledge entry, or derived from the log: `az provider register --namespace X`). */
	readonly commands: readonly string[];
	/** Index of the record the finding is on (into Analysis.records). */
	readonly record?: number;
	/** Learn URL with anchor (from the entry), or undefined. */
	readonly url?: string;
	/** For custom patterns: remediation text supplied by the user's setting (plain text). */
	readonly remediation?: string;
}

export interface AnalyzeOptions {
	readonly locale?: Locale;
	/** A file name or path, used only as a hint for format detection. */
	readonly fileName?: string;
	/** User-defined patterns (validated by the caller). */
	readonly customPatterns?: readonly CustomPattern[];
	/** Stop scanning lines longer than this many characters past this column (matchers see the prefix). */
	readonly maxLineScan?: number;
	/**
	 * Run every matcher on every line, also where the line holds none of their anchors (the reference that the
	 * anchor prefilter is tested against; slower, the same result).
	 */
	readonly exhaustive?: boolean;
}

export interface CustomPattern {
	readonly id: string;
	readonly regex: RegExp;
	readonly severity: Severity;
	readonly message?: string;
	readonly remediation?: string;
	readonly url?: string;
}

export interface Analysis {
	/** The dominant format (by detection); `formats` lists every format seen. */
	readonly format: FormatId;
	readonly formats: readonly FormatId[];
	readonly lineCount: number;
	readonly records: readonly LogRecord[];
	/** Top-level sections (runs, boots) with their children (stages). */
	readonly sections: readonly Section[];
	/** Sorted by range start. */
	readonly findings: readonly Finding[];
	readonly locale: Locale;
}
