// Hover: on a finding (a code, an exit code, a known error string), on any AZCM code, and on a timestamp.
// Markdown only, built from escaped log text and sanitized knowledge text; never trusted.
import { MarkupKind, type Hover, type Position, type Range } from 'vscode-languageserver-types';
import { entryForCode, entryForExit } from '../knowledge/index';
import type { Locale } from '../knowledge/types';
import { AZCM_CODE, EXIT_STATUS } from '../concepts';
import { t } from '../l10n';
import type { Analysis, LineSource, LogRecord } from '../model';
import { effectiveFindings } from './diagnostics';
import { renderEntry, renderFinding } from './entryMarkdown';
import { findingsAt, recordIndexAt, topSectionAt } from './locate';
import { blocks, escapeText } from './markdown';
import type { Settings } from './settings';

export interface HoverContext {
	readonly locale: Locale;
	readonly settings: Pick<Settings, 'severityOverrides'>;
}


export function provideHover(analysis: Analysis, source: LineSource, position: Position, ctx: HoverContext): Hover | null {
	if (position.line < 0 || position.line >= source.lineCount) return null;
	const time = timestampHover(analysis, position, ctx.locale);
	if (time) return time;

	const findings = effectiveFindings(analysis, ctx.settings, findingsAt(analysis, position));
	if (findings.length > 0) {
		const range = findings[0].finding.range;
		return markdownHover(findings.map(({ finding }) => renderFinding(finding, ctx.locale)).join('\n\n---\n\n'), range);
	}

	const line = source.lineAt(position.line);
	const code = wordMatch(line, position, AZCM_CODE);
	if (code) {
		const id = code.text.toUpperCase();
		const entry = entryForCode(id);
		if (entry && !entry.benign) {
			const { heading, body } = renderEntry(entry, ctx.locale);
			return markdownHover(blocks(heading, body), code.range);
		}
		if (entry) {
			const { heading } = renderEntry(entry, ctx.locale);
			return markdownHover(blocks(heading, escapeText(t(ctx.locale, '{0} means success.', id))), code.range);
		}
		return markdownHover(
			blocks(`**${escapeText(id)}**`, escapeText(t(ctx.locale, '{0} is not in the knowledge base: no troubleshooting article documents it.', id))),
			code.range,
		);
	}

	// `exitcode: 42` from wrappers around azcmagent. cloud-init's `Exit code: 1` is a script's status, not azcmagent's.
	if (analysis.format !== 'cloud-init-output' && analysis.format !== 'cloud-init-log') {
		const exit = wordMatch(line, position, EXIT_STATUS);
		if (exit) {
			const entry = entryForExit(Number(exit.groups[0]));
			if (entry) {
				const { heading, body } = renderEntry(entry, ctx.locale);
				return markdownHover(blocks(heading, body), exit.range);
			}
		}
	}
	return null;
}

function markdownHover(value: string, range: Range): Hover {
	return { contents: { kind: MarkupKind.Markdown, value }, range };
}

function wordMatch(line: string, position: Position, re: RegExp): { text: string; groups: string[]; range: Range } | undefined {
	re.lastIndex = 0;
	for (const m of line.matchAll(re)) {
		const start = m.index ?? 0;
		const end = start + m[0].length;
		if (position.character >= start && position.character <= end) {
			return {
				text: m[0],
				groups: m.slice(1),
				range: { start: { line: position.line, character: start }, end: { line: position.line, character: end } },
			};
		}
	}
	return undefined;
}

// ---- timestamps

/** Milliseconds between two records' times, when they are comparable (both absolute or both relative). */
function diffMs(a: LogRecord, b: LogRecord): number | undefined {
	if (a.time?.ms !== undefined && b.time?.ms !== undefined) return a.time.ms - b.time.ms;
	if (a.time?.relative !== undefined && b.time?.relative !== undefined) return Math.round((a.time.relative - b.time.relative) * 1000);
	return undefined;
}

export function formatDuration(ms: number, locale: Locale): string {
	const sign = ms < 0 ? '−' : '+';
	const rest = Math.abs(ms);
	if (rest < 1000) return `${sign}${t(locale, '{0} ms', rest)}`;
	const totalSeconds = Math.floor(rest / 1000);
	const ms3 = rest % 1000;
	if (totalSeconds < 60) {
		const s = ms3 === 0 ? String(totalSeconds) : (rest / 1000).toFixed(3).replace(/0+$/, '').replace(/\.$/, '');
		return `${sign}${t(locale, '{0} s', locale === 'en' ? s : s.replace('.', ','))}`;
	}
	const days = Math.floor(totalSeconds / 86400);
	const hours = Math.floor((totalSeconds % 86400) / 3600);
	const minutes = Math.floor((totalSeconds % 3600) / 60);
	const seconds = totalSeconds % 60;
	if (days > 0) return `${sign}${t(locale, '{0} d {1} h', days, hours)}`;
	if (hours > 0) return `${sign}${t(locale, '{0} h {1} min', hours, minutes)}`;
	return `${sign}${t(locale, '{0} min {1} s', minutes, seconds)}`;
}

function timestampHover(analysis: Analysis, position: Position, locale: Locale): Hover | null {
	const index = recordIndexAt(analysis, position.line);
	if (index < 0) return null;
	const record = analysis.records[index];
	const time = record.time;
	if (!time || time.span.line !== position.line || position.character < time.span.start || position.character > time.span.end) return null;

	const lines: string[] = [`**${escapeText(time.text)}**`];
	for (let i = index - 1; i >= 0; i--) {
		const d = diffMs(record, analysis.records[i]);
		if (d === undefined) continue;
		lines.push(escapeText(t(locale, '{0} since the previous record (line {1})', formatDuration(d, locale), analysis.records[i].startLine + 1)));
		break;
	}
	const section = topSectionAt(analysis, position.line);
	const startRecordIndex = firstTimedRecord(analysis, section ? section.startLine : 0, record);
	if (startRecordIndex !== undefined && startRecordIndex !== index) {
		const start = analysis.records[startRecordIndex];
		const d = diffMs(record, start);
		if (d !== undefined) {
			const where = start.startLine + 1;
			const message = !section
				? t(locale, '{0} since the first record of the log (line {1})', formatDuration(d, locale), where)
				: section.kind === 'boot'
					? t(locale, '{0} since the boot started (line {1})', formatDuration(d, locale), where)
					: t(locale, '{0} since the {2} run started (line {1})', formatDuration(d, locale), where, section.name);
			lines.push(escapeText(message));
		}
	} else if (startRecordIndex === index && section) {
		lines.push(escapeText(section.kind === 'boot' ? t(locale, 'The boot starts here.') : t(locale, 'The {0} run starts here.', section.name)));
	}
	if (time.relative !== undefined && time.ms === undefined) {
		lines.push(escapeText(t(locale, '{0} s after the process started', String(time.relative))));
	}
	const range: Range = { start: { line: time.span.line, character: time.span.start }, end: { line: time.span.line, character: time.span.end } };
	return markdownHover(lines.join('  \n'), range);
}

/** The first record at or after `fromLine` with a time comparable to `record`'s. */
function firstTimedRecord(analysis: Analysis, fromLine: number, record: LogRecord): number | undefined {
	for (let i = Math.max(0, recordIndexAt(analysis, fromLine)); i < analysis.records.length; i++) {
		const r = analysis.records[i];
		if (r.startLine < fromLine) continue;
		if (r.startLine > record.startLine) break;
		if (diffMs(record, r) !== undefined) return i;
	}
	return undefined;
}
