// The failures summary (custom request arcLogs/summary): counts, findings in order and per id, the first failure,
// runs/boots with their outcome, and the same as a markdown report.
import type { Locale } from '../knowledge/types';
import { t } from '../l10n';
import type { Analysis, Section, Severity } from '../model';
import { effectiveFindings, isFailure } from './diagnostics';
import { entryOf } from './entryMarkdown';
import { localize } from '../knowledge/index';
import { timeAtLine } from './locate';
import { escapeText, sanitizeKnowledge } from './markdown';
import { sectionLabel } from './symbols';
import type { Settings } from './settings';

export interface SummaryFinding {
	readonly id: string;
	readonly severity: Severity;
	readonly message: string;
	readonly line: number;
	readonly character: number;
	/** Clock time of the record, when it has one ('09:01:07'). */
	readonly time?: string;
	/** Localized knowledge title, when the knowledge has the entry. */
	readonly title?: string;
}

export interface SummarySection {
	readonly kind: Section['kind'];
	readonly label: string;
	readonly outcome: Section['outcome'];
	readonly line: number;
	readonly children: readonly SummarySection[];
}

export interface Summary {
	readonly uri: string;
	readonly counts: { readonly error: number; readonly warning: number; readonly info: number; readonly hint: number };
	/** Errors and warnings, in document order (capped by maxProblems). */
	readonly failures: readonly SummaryFinding[];
	/** Every shown finding grouped by id, in order of first appearance. */
	readonly byId: readonly { readonly id: string; readonly count: number; readonly severity: Severity; readonly title?: string }[];
	readonly firstFailure?: SummaryFinding;
	readonly sections: readonly SummarySection[];
	/** The same, as a markdown report (escaped log text, no HTML). */
	readonly markdown: string;
}

export function provideSummary(analysis: Analysis, settings: Pick<Settings, 'severityOverrides' | 'maxProblems'>, uri: string, locale: Locale): Summary {
	const all = effectiveFindings(analysis, settings);
	const counts = { error: 0, warning: 0, info: 0, hint: 0 };
	for (const f of all) counts[f.severity]++;
	const titleOf = new Map<string, string | undefined>();
	const title = (id: string, f: (typeof all)[number]['finding']) => {
		if (!titleOf.has(id)) {
			const entry = entryOf(f);
			titleOf.set(id, entry ? localize(entry, locale).text.title : undefined);
		}
		return titleOf.get(id);
	};
	const failures: SummaryFinding[] = all
		.filter((f) => isFailure(f.severity))
		.slice(0, settings.maxProblems)
		.map(({ finding, severity }) => ({
			id: finding.id,
			severity,
			message: finding.message,
			line: finding.range.start.line,
			character: finding.range.start.character,
			time: timeAtLine(analysis, finding.range.start.line),
			title: title(finding.id, finding),
		}));
	const groups = new Map<string, { id: string; count: number; severity: Severity; title?: string }>();
	for (const { finding, severity } of all) {
		const g = groups.get(finding.id);
		if (g) g.count++;
		else groups.set(finding.id, { id: finding.id, count: 1, severity, title: title(finding.id, finding) });
	}
	const convert = (s: Section): SummarySection => ({
		kind: s.kind,
		label: sectionLabel(s, locale),
		outcome: s.outcome,
		line: s.startLine,
		children: s.children.map(convert),
	});
	const summary = { uri, counts, failures, byId: [...groups.values()], firstFailure: failures[0], sections: analysis.sections.map(convert) };
	return { ...summary, markdown: renderSummary(summary, locale, uri) };
}

function countsLine(counts: Summary['counts'], locale: Locale): string {
	return [
		counts.error === 1 ? t(locale, '1 error') : t(locale, '{0} errors', counts.error),
		counts.warning === 1 ? t(locale, '1 warning') : t(locale, '{0} warnings', counts.warning),
		counts.info === 1 ? t(locale, '1 information message') : t(locale, '{0} information messages', counts.info),
	].join(', ');
}

function renderSummary(s: Omit<Summary, 'markdown'>, locale: Locale, uri: string): string {
	const name = decodeURIComponent(uri.replace(/[?#].*$/, '').split('/').pop() ?? uri);
	const out: string[] = [`# ${escapeText(t(locale, 'Failures summary: {0}', name))}`, escapeText(countsLine(s.counts, locale))];
	if (s.firstFailure) {
		const f = s.firstFailure;
		out.push(
			escapeText(
				f.time
					? t(locale, 'First failure at {0}, line {1}: {2}', f.time, f.line + 1, f.id)
					: t(locale, 'First failure on line {0}: {1}', f.line + 1, f.id),
			),
		);
	}
	if (s.sections.length > 0) {
		out.push(`## ${escapeText(t(locale, 'Runs and boots'))}`);
		const lines: string[] = [];
		const walk = (list: readonly SummarySection[], depth: number) => {
			for (const sec of list) {
				lines.push(`${'  '.repeat(depth)}- ${escapeText(sec.label)} · ${escapeText(t(locale, 'line {0}', sec.line + 1))}`);
				walk(sec.children, depth + 1);
			}
		};
		walk(s.sections, 0);
		out.push(lines.join('\n'));
	}
	if (s.byId.length > 0) {
		out.push(`## ${escapeText(t(locale, 'Findings by code'))}`);
		out.push(
			s.byId
				.map((g) => `- **${escapeText(g.id)}** × ${g.count}${g.title ? ` · ${sanitizeKnowledge(g.title)}` : ''}`)
				.join('\n'),
		);
	}
	if (s.failures.length > 0) {
		out.push(`## ${escapeText(t(locale, 'Failures'))}`);
		out.push(
			s.failures
				.map((f) => `- ${escapeText(t(locale, 'line {0}', f.line + 1))}${f.time ? ` · ${escapeText(f.time)}` : ''} · **${escapeText(f.id)}** · ${escapeText(f.message)}`)
				.join('\n'),
		);
	} else {
		out.push(escapeText(t(locale, 'No failures found in this log.')));
	}
	return out.join('\n\n');
}
