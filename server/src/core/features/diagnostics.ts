// Diagnostics: one per finding (after severity overrides), capped by arcLogs.maxProblems.
import { getEntry } from '../knowledge/index';
import { neutralizeInvisible } from '../text';
import { DiagnosticSeverity, type Diagnostic, type DiagnosticRelatedInformation } from 'vscode-languageserver-types';
import { t } from '../l10n';
import type { Analysis, Finding, Severity } from '../model';
import { isHttpsUrl, isLearnUrl } from './markdown';
import { applySeverityOverride, type Settings } from './settings';

export const SOURCE = 'arc-logs';

export function toDiagnosticSeverity(s: Severity): DiagnosticSeverity {
	switch (s) {
		case 'error':
			return DiagnosticSeverity.Error;
		case 'warning':
			return DiagnosticSeverity.Warning;
		case 'info':
			return DiagnosticSeverity.Information;
		case 'hint':
			return DiagnosticSeverity.Hint;
	}
}

/** A finding with its severity after the user's overrides; findings turned 'off' are not listed. */
export interface EffectiveFinding {
	readonly finding: Finding;
	readonly severity: Severity;
	/** Index into analysis.findings. */
	readonly index: number;
}

export function effectiveFindings(analysis: Analysis, settings: Pick<Settings, 'severityOverrides'>, indices?: readonly number[]): EffectiveFinding[] {
	const out: EffectiveFinding[] = [];
	const add = (finding: Finding, index: number) => {
		const severity = applySeverityOverride(finding.id, finding.severity, settings.severityOverrides);
		if (severity !== 'off') out.push({ finding, severity, index });
	};
	if (indices) for (const i of indices) add(analysis.findings[i], i);
	else analysis.findings.forEach(add);
	return out;
}

/** A "failure" for the lens, the summary and next/previous failure: an error or a warning. */
export function isFailure(severity: Severity): boolean {
	return severity === 'error' || severity === 'warning';
}

/** The link a finding may carry: Learn URLs from the knowledge; for custom patterns any https URL. Never log text. */
export function findingUrl(finding: Finding): string | undefined {
	if (finding.kind === 'custom') return isHttpsUrl(finding.url) ? finding.url : undefined;
	// Our own guidance links the documentation of its tool (cloud-init, systemd, apt, ...); the articles link Learn.
	const ours = !!getEntry(finding.entryId ?? finding.id)?.text.en.ours;
	return isLearnUrl(finding.url) || (ours && isHttpsUrl(finding.url)) ? finding.url : undefined;
}

export function provideDiagnostics(analysis: Analysis, settings: Pick<Settings, 'severityOverrides' | 'maxProblems'>, uri: string): Diagnostic[] {
	const findings = effectiveFindings(analysis, settings);
	const max = settings.maxProblems;
	const shown = findings.slice(0, max);
	const diagnostics: Diagnostic[] = shown.map(({ finding, severity }) => {
		const d: Diagnostic = {
			range: finding.range,
			severity: toDiagnosticSeverity(severity),
			source: SOURCE,
			code: finding.id,
			message: neutralizeInvisible(finding.message),
		};
		const href = findingUrl(finding);
		if (href) d.codeDescription = { href };
		if (finding.related.length > 0) {
			d.relatedInformation = finding.related.map(
				(r): DiagnosticRelatedInformation => ({ location: { uri, range: r.range }, message: neutralizeInvisible(r.message) }),
			);
		}
		return d;
	});
	if (findings.length > max) {
		const first = findings[max].finding;
		const more = findings.length - max;
		diagnostics.push({
			range: first.range,
			severity: DiagnosticSeverity.Information,
			source: SOURCE,
			message: t(analysis.locale, '{0} more problems not shown (arcLogs.maxProblems)', more),
		});
	}
	return diagnostics;
}
