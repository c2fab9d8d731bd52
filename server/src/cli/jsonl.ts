// `arc-logs scan --format jsonl`: one finding per line, every line the same keys (null when unknown), for a map step
// over a fleet's bundles whose output is loaded into a log store. The schema is documented in the README (CLI section)
// and in `arc-logs scan --help`; it changes only with a new `schema` value.
import type { Analysis, Finding, Section, SectionKind } from '../core/model';
import { lastAtOrBefore, startLine } from '../core/search';
import type { Locale } from '../core/knowledge/types';
import { firstStep, safeMessage, type FileReport } from '../core/report/report';
import { version } from '../../../package.json';

export const JSONL_SCHEMA = 'arc-logs.finding/1';

/** Where a finding is in the log's structure, and when its record was written: kept per finding, not the analysis. */
export interface FindingContext {
	/** The time of the finding's record as written, and as UTC ISO 8601 when it is absolute. */
	readonly time?: { readonly text: string; readonly iso?: string };
	/** The innermost section of each kind that holds the finding's line. */
	readonly sections: Partial<Record<SectionKind, SectionRef>>;
}

export interface SectionRef {
	readonly name: string;
	/** 1-based. */
	readonly line: number;
	readonly endLine: number;
	readonly outcome: Section['outcome'];
	readonly detail: string | null;
}

/** A file's report as the CLI keeps it between scanning and printing: findings (and their context), no analysis. */
export interface ScannedFile extends FileReport {
	/** Parallel to `findings`; only when the output needs it (jsonl). */
	readonly contexts?: readonly FindingContext[];
}

/** The context of every finding of an analysis (the analysis itself is dropped after this). */
export function findingContexts(a: Analysis): FindingContext[] {
	return a.findings.map((f) => {
		const line = f.range.start.line;
		const sections: Partial<Record<SectionKind, SectionRef>> = {};
		let level: readonly Section[] = a.sections;
		for (;;) {
			const s = holding(level, line);
			if (!s) break;
			sections[s.kind] = { name: s.name, line: s.startLine + 1, endLine: s.endLine + 1, outcome: s.outcome, detail: s.detail ?? null };
			level = s.children;
		}
		const t = f.record !== undefined ? a.records[f.record]?.time : undefined;
		return { ...(t ? { time: { text: t.text, ...(isoTime(t.ms) ? { iso: isoTime(t.ms) } : {}) } } : {}), sections };
	});
}

/** The section of a list sorted by start that holds `line` (the last one starting at or before it), if any. */
function holding(list: readonly Section[], line: number): Section | undefined {
	const found = list[lastAtOrBefore(list, startLine, line)];
	return found && found.endLine >= line ? found : undefined;
}

function isoTime(ms: number | undefined): string | undefined {
	if (ms === undefined || !Number.isFinite(ms)) return undefined;
	const d = new Date(ms);
	return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

const KINDS: readonly SectionKind[] = ['run', 'boot', 'stage', 'script'];

/** The lines of one file: one JSON object per finding, each ending in a newline. */
export function renderJsonlFile(f: ScannedFile, locale: Locale): string {
	let out = '';
	f.findings.forEach((x: Finding, i) => {
		const c = f.contexts?.[i];
		const line = {
			schema: JSONL_SCHEMA,
			tool: 'arc-logs',
			version,
			file: f.archive ? f.archive.path : f.path,
			member: f.archive ? f.archive.entry : null,
			format: f.format,
			line: x.range.start.line + 1,
			column: x.range.start.character + 1,
			endLine: x.range.end.line + 1,
			endColumn: x.range.end.character + 1,
			id: x.id,
			kind: x.kind,
			severity: x.severity,
			message: safeMessage(x.message),
			entry: x.entryId ?? null,
			url: x.url ?? null,
			remediation: firstStep(x, locale) ?? null,
			explainedBy: x.explainedBy ?? [],
			captures: x.captures,
			related: x.related.map((r) => ({ line: r.range.start.line + 1, column: r.range.start.character + 1, message: safeMessage(r.message) })),
			time: c?.time?.iso ?? null,
			timeText: c?.time ? safeMessage(c.time.text) : null,
			...Object.fromEntries(KINDS.map((k) => [k, c?.sections[k] ? { ...c.sections[k], name: safeMessage(c.sections[k]!.name) } : null])),
			locale,
		};
		out += JSON.stringify(line) + '\n';
	});
	return out;
}
