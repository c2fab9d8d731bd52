// A case: the logs of a workspace folder (or of a bundle) seen together. Every failure of every log, grouped by
// machine and by run / boot, in time order (arcLogs/caseFailures), and for one failure what the machine's other logs
// recorded meanwhile (the hover, the side-by-side command). Pure: the server finds and reads the logs.
//
// Machines: a case holds the logs of one or more machines (a ticket's folder of bundles, `vm1/`, `vm2/`). A log
// belongs to the shallowest folder of the case (the root included) that has a log directly in it: a bundle with
// `azcmagent.log` at its top and `GuestConfig/gc_agent.log` below is one machine; a folder with only `vm1/` and `vm2/`
// in it holds two.
import type { Locale } from '../knowledge/types';
import { localize } from '../knowledge/index';
import { t } from '../l10n';
import type { Analysis, Level, LineSource, Position, Section, Severity } from '../model';
import { alignMachine, timeAtLine, type Alignment } from '../analysis/timeline';
import { effectiveFindings, isFailure } from './diagnostics';
import { entryOf } from './entryMarkdown';
import { formatDuration } from './hover';
import { contains, clockOf } from './locate';
import { escapeText } from './markdown';
import type { Settings } from './settings';
import { sectionLabel } from './symbols';

/** A log of a case, analyzed. */
export interface CaseLog {
	readonly uri: string;
	/** The path inside the case, `/`-separated (`vm1/GuestConfig/gc_agent.log`). */
	readonly path: string;
	readonly analysis: Analysis;
	/** The log's lines where the caller keeps them (a few suffice: headers, serial-console prefixes). */
	readonly source?: LineSource;
	readonly settings: Pick<Settings, 'severityOverrides' | 'maxProblems'>;
}

export interface CaseFailure {
	readonly uri: string;
	readonly path: string;
	readonly id: string;
	readonly severity: Severity;
	readonly message: string;
	readonly title?: string;
	readonly line: number;
	readonly character: number;
	readonly endLine: number;
	readonly endCharacter: number;
	/** Absolute time (epoch ms, UTC), where the log gives enough (core/analysis/timeline.ts). */
	readonly time?: number;
	/** The time is that of the nearest earlier record (the failure's own line has none). */
	readonly approximate?: boolean;
	/** The log's own clock text of the record ('08:14:15'), when it has one. */
	readonly clock?: string;
}

export interface CaseGroup {
	/** 'log': the failures of a log outside any run or boot. */
	readonly kind: 'run' | 'boot' | 'log';
	/** `connect → failed (AZCM0042)`, `boot at 07:01:07`, or the log's path for 'log'. */
	readonly label: string;
	readonly uri: string;
	readonly path: string;
	readonly line: number;
	/** The earliest failure time of the group. */
	readonly time?: number;
	readonly failures: readonly CaseFailure[];
}

export interface CaseFileCount {
	readonly uri: string;
	readonly path: string;
	readonly format: string;
	readonly errors: number;
	readonly warnings: number;
}

export interface CaseMachine {
	/** The machine's folder inside the case ('' for the root itself). */
	readonly path: string;
	/** Shown: the folder's name, or the case's name for the root. */
	readonly name: string;
	/** Groups in time order (groups without any time last, by path and line). */
	readonly groups: readonly CaseGroup[];
	/** Every log of the machine with its counts, by path. */
	readonly files: readonly CaseFileCount[];
}

export interface CaseFailures {
	readonly root: string;
	readonly machines: readonly CaseMachine[];
	/** The earliest failure (by time) across every log of the case. */
	readonly first?: CaseFailure;
	readonly total: number;
	/** Logs that could not be read, localized, one line each. */
	readonly problems: readonly string[];
}

/** The logs of a case, by machine, with their alignments. */
export interface CaseModel {
	readonly machines: readonly { readonly path: string; readonly logs: readonly CaseLog[]; readonly alignments: readonly Alignment[] }[];
}

function dirOf(path: string): string {
	const i = path.lastIndexOf('/');
	return i < 0 ? '' : path.slice(0, i);
}

/** The machine folder of each path: the shallowest folder (root '' included) that has a log directly in it. */
export function machineFolders(paths: readonly string[]): Map<string, string> {
	const withLogs = new Set(paths.map(dirOf));
	const out = new Map<string, string>();
	for (const p of paths) {
		const parts = dirOf(p) === '' ? [] : dirOf(p).split('/');
		let machine = dirOf(p);
		for (let n = 0; n <= parts.length; n++) {
			const d = parts.slice(0, n).join('/');
			if (withLogs.has(d)) {
				machine = d;
				break;
			}
		}
		out.set(p, machine);
	}
	return out;
}

export function buildCase(logs: readonly CaseLog[]): CaseModel {
	const machineOf = machineFolders(logs.map((l) => l.path));
	const byMachine = new Map<string, CaseLog[]>();
	for (const l of [...logs].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
		const m = machineOf.get(l.path) ?? '';
		let list = byMachine.get(m);
		if (!list) byMachine.set(m, (list = []));
		list.push(l);
	}
	const machines = [...byMachine.entries()]
		.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
		.map(([path, list]) => ({ path, logs: list, alignments: alignMachine(list) }));
	return { machines };
}

const byTime = (a: { time?: number }, b: { time?: number }) => (a.time ?? Infinity) - (b.time ?? Infinity);

export function provideCaseFailures(model: CaseModel, root: string, rootName: string, locale: Locale, problems: readonly string[] = []): CaseFailures {
	let total = 0;
	let first: CaseFailure | undefined;
	const titles = new Map<string, string | undefined>();
	const machines: CaseMachine[] = model.machines.map((m) => {
		const groups: CaseGroup[] = [];
		const files: CaseFileCount[] = [];
		m.logs.forEach((log, k) => {
			const alignment = m.alignments[k];
			const shown = effectiveFindings(log.analysis, log.settings).filter((f) => isFailure(f.severity));
			let errors = 0;
			let warnings = 0;
			const bySection = new Map<Section | undefined, CaseFailure[]>();
			for (const { finding, severity } of shown.slice(0, log.settings.maxProblems)) {
				if (severity === 'error') errors++;
				else warnings++;
				const line = finding.range.start.line;
				const at = timeAtLine(log.analysis, alignment, line);
				if (!titles.has(finding.id)) {
					const entry = entryOf(finding);
					titles.set(finding.id, entry ? localize(entry, locale).text.title : undefined);
				}
				const record = log.analysis.records[finding.record ?? -1];
				const failure: CaseFailure = {
					uri: log.uri,
					path: log.path,
					id: finding.id,
					severity,
					message: finding.message,
					title: titles.get(finding.id),
					line,
					character: finding.range.start.character,
					endLine: finding.range.end.line,
					endCharacter: finding.range.end.character,
					...(at ? { time: at.ms, ...(at.approximate ? { approximate: true } : {}) } : {}),
					...(record?.time ? { clock: clockOf(record.time.text) ?? record.time.text } : {}),
				};
				const section = log.analysis.sections.find((s) => (s.kind === 'run' || s.kind === 'boot') && s.startLine <= line && line <= s.endLine);
				let list = bySection.get(section);
				if (!list) bySection.set(section, (list = []));
				list.push(failure);
				total++;
				if (failure.time !== undefined && (first === undefined || failure.time < (first.time ?? Infinity))) first = failure;
			}
			files.push({ uri: log.uri, path: log.path, format: log.analysis.format, errors, warnings });
			for (const [section, list] of bySection) {
				list.sort((a, b) => byTime(a, b) || a.line - b.line);
				const time = list.find((f) => f.time !== undefined)?.time;
				groups.push({
					kind: section ? (section.kind as 'run' | 'boot') : 'log',
					label: section ? sectionLabel(section, locale) : log.path,
					uri: log.uri,
					path: log.path,
					line: section ? section.startLine : list[0].line,
					...(time !== undefined ? { time } : {}),
					failures: list,
				});
			}
		});
		groups.sort((a, b) => byTime(a, b) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) || a.line - b.line);
		const name = m.path === '' ? rootName : m.path.slice(m.path.lastIndexOf('/') + 1);
		return { path: m.path, name, groups, files };
	});
	// With no failure of a log with a time, the first failure is the first listed.
	first ??= machines.flatMap((m) => m.groups.flatMap((g) => g.failures))[0];
	return { root, machines, ...(first ? { first } : {}), total, problems: [...problems] };
}

// ---- meanwhile in other logs

export interface MeanwhileRecord {
	readonly uri: string;
	readonly path: string;
	readonly line: number;
	readonly time: number;
	/** Milliseconds after (positive) or before (negative) the failure. */
	readonly offset: number;
	/** The record has no time of its own: `time` is that of the timed record before it (it lies between two in the window). */
	readonly approximate?: boolean;
	readonly level?: Level;
	/** The record's message (first line, at most 300 characters): log text, untrusted. */
	readonly text: string;
	/** A failure of that log is on this record. */
	readonly failure?: string;
}

export interface Meanwhile {
	readonly uri: string;
	readonly line: number;
	readonly id: string;
	readonly time: number;
	readonly approximate: boolean;
	readonly windowSeconds: number;
	/** In time order. */
	readonly records: readonly MeanwhileRecord[];
	/** Records in the window not listed (past the limits). */
	readonly more: number;
}

/** Records listed at most per other log, and in all. */
export const MEANWHILE_PER_LOG = 5;
export const MEANWHILE_TOTAL = 12;

const NOTABLE: ReadonlySet<Level> = new Set<Level>(['warning', 'error', 'fatal', 'panic', 'critical']);

/**
 * What the other logs of the failure's machine recorded within `windowSeconds` of the failure under `position`: their
 * records at warning level or above, and records their analysis flags as failures (a record without a time of its
 * own when the timed records around it are both in the window), nearest first (at most
 * MEANWHILE_PER_LOG per log and MEANWHILE_TOTAL in all), listed in time order. Undefined when there is no failure
 * with a time under the position.
 */
export function provideMeanwhile(model: CaseModel, uri: string, position: Position, windowSeconds: number): Meanwhile | undefined {
	for (const m of model.machines) {
		const k = m.logs.findIndex((l) => l.uri === uri);
		if (k < 0) continue;
		const log = m.logs[k];
		const hit = effectiveFindings(log.analysis, log.settings).find((f) => isFailure(f.severity) && contains(f.finding.range, position));
		if (!hit) return undefined;
		const at = timeAtLine(log.analysis, m.alignments[k], hit.finding.range.start.line);
		if (!at) return undefined;
		const window = Math.max(0, windowSeconds) * 1000;
		const candidates: MeanwhileRecord[] = [];
		let more = 0;
		m.logs.forEach((other, j) => {
			if (j === k) return;
			const flagged = new Map<number, string>();
			for (const f of effectiveFindings(other.analysis, other.settings)) if (isFailure(f.severity) && f.finding.record !== undefined) flagged.set(f.finding.record, f.finding.id);
			const mine: MeanwhileRecord[] = [];
			const ms = m.alignments[j].ms;
			// A record without a time of its own lies between the timed records around it: in the window when both are.
			const next: (number | undefined)[] = new Array(ms.length);
			for (let i = ms.length - 1, n: number | undefined; i >= 0; i--) {
				next[i] = n;
				if (ms[i] !== undefined) n = ms[i];
			}
			let prev: number | undefined;
			other.analysis.records.forEach((r, i) => {
				const own = ms[i];
				const lo = own ?? prev;
				const hi = own ?? next[i];
				if (own !== undefined) prev = own;
				if (lo === undefined || hi === undefined || lo < at.ms - window || hi > at.ms + window) return;
				const failure = flagged.get(i);
				if (!failure && !(r.level && NOTABLE.has(r.level))) return;
				const text = (r.message.split('\n', 1)[0] ?? '').slice(0, 300);
				mine.push({
					uri: other.uri,
					path: other.path,
					line: r.startLine,
					time: lo,
					offset: lo - at.ms,
					...(own === undefined ? { approximate: true } : {}),
					...(r.level ? { level: r.level } : {}),
					text,
					...(failure ? { failure } : {}),
				});
			});
			mine.sort((a, b) => Math.abs(a.offset) - Math.abs(b.offset) || a.line - b.line);
			more += Math.max(0, mine.length - MEANWHILE_PER_LOG);
			candidates.push(...mine.slice(0, MEANWHILE_PER_LOG));
		});
		candidates.sort((a, b) => Math.abs(a.offset) - Math.abs(b.offset) || a.line - b.line);
		more += Math.max(0, candidates.length - MEANWHILE_TOTAL);
		const records = candidates.slice(0, MEANWHILE_TOTAL).sort((a, b) => a.time - b.time || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) || a.line - b.line);
		return { uri, line: hit.finding.range.start.line, id: hit.finding.id, time: at.ms, approximate: at.approximate, windowSeconds, records, more };
	}
	return undefined;
}

/** The meanwhile section of a hover: escaped log text only, no links, no commands. */
export function renderMeanwhile(m: Meanwhile, locale: Locale): string {
	const lines: string[] = [`**${escapeText(t(locale, 'Meanwhile in other logs (within {0} s)', m.windowSeconds))}**`];
	if (m.records.length === 0) {
		lines.push(escapeText(t(locale, 'Nothing at warning level or above in the other logs of this machine.')));
		return lines.join('\n\n');
	}
	const items = m.records.map((r) => {
		const where = t(locale, '{0}, line {1}', r.path, r.line + 1);
		const level = r.level ? ` ${r.level.toUpperCase()}` : '';
		const text = r.text.length > 160 ? `${r.text.slice(0, 160)}…` : r.text;
		const offset = r.approximate ? t(locale, '{0} or later', formatDuration(r.offset, locale)) : formatDuration(r.offset, locale);
		const what = r.failure ? `${r.failure}${level}` : level.trim();
		return `- ${escapeText(`${where} (${offset})${what ? ` ${what}` : ''}: ${text}`)}`;
	});
	lines.push(items.join('\n'));
	if (m.more > 0) lines.push(escapeText(t(locale, '{0} more in the window.', m.more)));
	lines.push(escapeText(t(locale, 'Arc Logs: Open Side by Side opens them beside this log.')));
	return lines.join('\n\n');
}

/** The first failure across the logs, in one line (the CLI's summary of a folder or a bundle). */
export function firstFailureLine(first: CaseFailure | undefined, locale: Locale): string | undefined {
	if (!first) return undefined;
	const when = first.time !== undefined ? new Date(first.time).toISOString().replace('.000Z', 'Z') : undefined;
	if (!when) return t(locale, 'First failure across the files: {0} in {1}, line {2}', first.id, first.path, first.line + 1);
	return first.approximate
		? t(locale, 'First failure across the files: {0} in {1}, line {2}, at or after {3}', first.id, first.path, first.line + 1, when)
		: t(locale, 'First failure across the files: {0} in {1}, line {2}, at {3}', first.id, first.path, first.line + 1, when);
}
