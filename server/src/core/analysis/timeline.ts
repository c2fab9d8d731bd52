// Time alignment: the absolute time (epoch ms, UTC) of every record of a log, where the log gives enough, so that the
// logs of one machine can be lined up. Pure; never throws.
//
// What a record's time can be, and how it becomes absolute:
//  - a stamp with a zone or offset (`2024-11-05T08:14:15Z`, `+02:00`, cloud-init's banner `... +0000`): as written.
//  - a zone-less stamp (cloud-init.log's `2024-06-04 07:01:55,123`, Guest Configuration, Group Policy, waagent,
//    Python logging): the machine's local time. ASSUMPTION: that local time is UTC, unless the machine's logs show an
//    offset: (1) best, the log itself — a zone-less record head whose message carries a stamp with a zone (cloud-init
//    writes `running 'init' at Tue, 04 Jun 2024 07:01:07 +0000` under its own zone-less head); the difference,
//    rounded to a quarter hour, is the offset; (2) else the offset the machine's other logs show that way; (3) else the
//    offset written in the machine's zoned stamps, when they all agree; (4) else UTC.
//  - a year-less syslog / journal stamp (`Jun 07 14:54:07`): the year of the nearest dated record of the same log (or of
//    the machine), the one that puts it closest; local time as above.
//  - an MSI log's time of day (`10:13:42:117`): the day of its `Verbose logging started: 10/14/2024 10:13:42` header
//    (month/day/year, the installer's US form), a day later each time the clock goes backwards by more than 12 hours.
//  - serial-console uptime (`[   12.345678]`): seconds since the boot. The boot is anchored by the records that give both
//    an absolute time and the uptime at that moment: cloud-init's banner `running 'init' at <zoned time>. Up 9.81
//    seconds.` (the latest of their estimates: the stamps are cut to whole seconds). Uptime going backwards starts a
//    new boot, anchored by its own banner.
//  - console-relative seconds (`INFO[0007]`): seconds since the azcmagent process started, i.e. since its run started.
//    Anchored at the run start's absolute time when another record gives it: an absolute record before the first
//    relative one in the same run, or an agent log (azcmagent.log) of the same machine with exactly one run of the same
//    command and the same outcome code (`alignMachine` finds it).
// A record whose time cannot be made absolute has none here; `timeAtLine` falls back to the nearest earlier record
// of the same log that has one (marked approximate).
import type { Analysis, LineSource, LogRecord, Section } from '../model';
import { MONTHS } from '../formats/common';
import { lastAtOrBefore, startLine } from '../search';

export type TimeBasis = 'zoned' | 'local' | 'year-inferred' | 'day-from-header' | 'uptime' | 'run-relative';

export interface Alignment {
	/** Absolute epoch ms per record (index into analysis.records); undefined where the log does not give enough. */
	readonly ms: readonly (number | undefined)[];
	readonly basis: readonly (TimeBasis | undefined)[];
	/** The offset (minutes east of UTC) applied to zone-less stamps, and where it came from. */
	readonly zoneOffsetMinutes: number;
	readonly zoneOffsetSource: 'log' | 'machine' | 'zoned-stamps' | 'assumed-utc';
}

export interface AlignOptions {
	/** The machine's local offset (minutes east of UTC) for zone-less stamps, when the log itself does not show one. */
	readonly machineOffset?: { readonly minutes: number; readonly source: 'machine' | 'zoned-stamps' };
	/** Absolute run start (epoch ms) for runs with console-relative seconds, by the run section's start line. */
	readonly runStarts?: ReadonlyMap<number, number>;
	/** A time near this log (epoch ms) to take the year of year-less stamps from, when the log has no dated record. */
	readonly yearHint?: number;
	/** The log's lines (for headers that are no record: the MSI log's start). */
	readonly source?: LineSource;
}

const QUARTER_HOUR = 15 * 60_000;

/** A stamp with an explicit zone: ISO with Z / ±hh:mm, RFC 2822 with ±hhmm, or a UTC / GMT word. */
const ZONED = /(?:\d ?(?:Z|[+-]\d\d:?\d\d)|\b(?:UTC|GMT))\s*$/;
/** `Jun 07 14:54:07` (syslog, journal, systemd): no year. */
const YEARLESS = /^([A-Z][a-z]{2})\s+(\d{1,2})\s+(\d\d):(\d\d):(\d\d)(?:[.,](\d+))?$/;
/** An MSI log's time of day: `10:13:42:117`. */
const TIME_OF_DAY = /^(\d\d):(\d\d):(\d\d)[:.](\d{3})$/;
const MSI_START = /logging started: (\d{1,2})\/(\d{1,2})\/(\d{4})\s+(\d{1,2}):(\d\d):(\d\d)/;
/** A zoned stamp inside a message: cloud-init's banner `at Tue, 04 Jun 2024 07:01:07 +0000`, or ISO with an offset. */
const ZONED_IN_MESSAGE = /\b(?:[A-Z][a-z]{2}, )?\d{1,2} [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d [+-]\d{4}\b|\b\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)\b/;
const UPTIME_IN_MESSAGE = /\bUp (\d+(?:\.\d+)?) seconds\b/;
const OFFSET_IN_STAMP = /(Z|[+-]\d\d:?\d\d)\s*$/;

export function isZoned(text: string): boolean {
	return ZONED.test(text);
}

/** The offset written in a zoned stamp, in minutes east of UTC (`Z` → 0, `+0200` → 120); undefined without one. */
export function writtenOffset(text: string): number | undefined {
	const m = OFFSET_IN_STAMP.exec(text);
	if (!m) return /\b(?:UTC|GMT)\s*$/.test(text) ? 0 : undefined;
	if (m[1] === 'Z') return 0;
	const digits = m[1].replace(':', '');
	const sign = digits[0] === '-' ? -1 : 1;
	return sign * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)));
}

/**
 * The local offset a log shows by itself: a zone-less record head (taken as UTC) whose message carries a zoned stamp
 * of the same moment. Undefined when no record shows it (or the records disagree).
 */
export function offsetShownByLog(analysis: Analysis): number | undefined {
	let found: number | undefined;
	for (const r of analysis.records) {
		const t = r.time;
		if (!t || t.ms === undefined || isZoned(t.text) || YEARLESS.test(t.text)) continue;
		const m = ZONED_IN_MESSAGE.exec(r.message);
		if (!m) continue;
		const zoned = Date.parse(m[0]);
		if (Number.isNaN(zoned)) continue;
		const diff = t.ms - zoned;
		const rounded = Math.round(diff / QUARTER_HOUR) * QUARTER_HOUR;
		// The same moment: the head is written a little after the message's stamp (within two minutes), at most 14 h apart.
		if (Math.abs(rounded) > 14 * 3_600_000 || Math.abs(diff - rounded) > 120_000) continue;
		const minutes = rounded / 60_000;
		if (found !== undefined && found !== minutes) return undefined;
		found = minutes;
	}
	return found;
}

/** The offsets written in a log's zoned record stamps (distinct values). */
export function writtenOffsets(analysis: Analysis): Set<number> {
	const out = new Set<number>();
	for (const r of analysis.records) {
		if (!r.time || !isZoned(r.time.text)) continue;
		const o = writtenOffset(r.time.text);
		if (o !== undefined) out.add(o);
	}
	return out;
}

/** Absolute times of one log's records. */
export function alignLog(analysis: Analysis, options: AlignOptions = {}): Alignment {
	const records = analysis.records;
	const ms: (number | undefined)[] = new Array(records.length).fill(undefined);
	const basis: (TimeBasis | undefined)[] = new Array(records.length).fill(undefined);
	const own = offsetShownByLog(analysis);
	const zoneOffsetMinutes = own ?? options.machineOffset?.minutes ?? 0;
	const zoneOffsetSource: Alignment['zoneOffsetSource'] = own !== undefined ? 'log' : (options.machineOffset?.source ?? 'assumed-utc');
	const shift = zoneOffsetMinutes * 60_000;

	// 1. Stamps with a date: zoned as written, zone-less as local time.
	const yearless: number[] = [];
	const timeOfDay: number[] = [];
	for (let i = 0; i < records.length; i++) {
		const t = records[i].time;
		if (!t) continue;
		if (YEARLESS.test(t.text)) yearless.push(i);
		else if (t.ms !== undefined && Number.isFinite(t.ms)) {
			const zoned = isZoned(t.text);
			ms[i] = zoned ? t.ms : t.ms - shift;
			basis[i] = zoned ? 'zoned' : 'local';
		} else if (t.relative === undefined && TIME_OF_DAY.test(t.text)) timeOfDay.push(i);
	}

	// 2. Year-less stamps: the year that puts each nearest a dated record of this log, else a zoned stamp in a message of
	// this log (cloud-init's banner behind a journal prefix), else the hint.
	if (yearless.length) {
		let inMessage: number | undefined;
		for (const r of records) {
			const m = ZONED_IN_MESSAGE.exec(r.message);
			const v = m ? Date.parse(m[0]) : NaN;
			if (!Number.isNaN(v)) {
				inMessage = v;
				break;
			}
		}
		for (const i of yearless) {
			const near = nearestDefined(ms, i) ?? inMessage ?? options.yearHint;
			if (near === undefined) continue;
			const v = yearlessMs(records[i].time!.text, near);
			if (v !== undefined) {
				ms[i] = v - shift;
				basis[i] = 'year-inferred';
			}
		}
	}

	// 3. An MSI log's times of day, dated by its header.
	if (timeOfDay.length && options.source) {
		let header: RegExpExecArray | null = null;
		for (let l = 0; l < Math.min(options.source.lineCount, 5) && !header; l++) header = MSI_START.exec(options.source.lineAt(l));
		if (header) {
			let day = Date.UTC(+header[3], +header[1] - 1, +header[2]);
			let last = (+header[4] * 3600 + +header[5] * 60 + +header[6]) * 1000;
			for (const i of timeOfDay) {
				const m = TIME_OF_DAY.exec(records[i].time!.text)!;
				const clock = (+m[1] * 3600 + +m[2] * 60 + +m[3]) * 1000 + +m[4];
				if (clock < last - 12 * 3_600_000) day += 86_400_000;
				last = clock;
				if (!Number.isNaN(day)) {
					ms[i] = day + clock - shift;
					basis[i] = 'day-from-header';
				}
			}
		}
	}

	// 4. Serial-console uptime, anchored per boot by a record that gives the absolute time and the uptime together.
	alignUptime(analysis, ms, basis, options.source);

	// 5. Console-relative seconds, anchored at their run's start.
	alignRuns(analysis, ms, basis, options.runStarts);

	return { ms, basis, zoneOffsetMinutes, zoneOffsetSource };
}

function nearestDefined(ms: readonly (number | undefined)[], i: number): number | undefined {
	for (let d = 1; d < ms.length; d++) {
		if (i - d >= 0 && ms[i - d] !== undefined) return ms[i - d];
		if (i + d < ms.length && ms[i + d] !== undefined) return ms[i + d];
		if (i - d < 0 && i + d >= ms.length) break;
	}
	return undefined;
}

/** `Jun 07 14:54:07` in the year (of `near`'s, or the one before or after) that puts it nearest `near` (as UTC). */
export function yearlessMs(text: string, near: number): number | undefined {
	const m = YEARLESS.exec(text);
	if (!m) return undefined;
	const month = MONTHS[m[1].toLowerCase()];
	if (month === undefined) return undefined;
	const frac = m[6] ? Number(m[6].padEnd(3, '0').slice(0, 3)) : 0;
	const year = new Date(near).getUTCFullYear();
	let best: number | undefined;
	for (const y of [year - 1, year, year + 1]) {
		const v = Date.UTC(y, month, +m[2], +m[3], +m[4], +m[5], frac);
		if (Number.isNaN(v)) continue;
		if (best === undefined || Math.abs(v - near) < Math.abs(best - near)) best = v;
	}
	return best;
}

/** Records with serial-console uptime: split into boots where the uptime goes backwards; each boot anchored by its banner. */
function alignUptime(analysis: Analysis, ms: (number | undefined)[], basis: (TimeBasis | undefined)[], source?: LineSource): void {
	const records = analysis.records;
	let boot: number[] = [];
	let anchor: number | undefined;
	let lastUptime = -1;
	const close = () => {
		if (anchor !== undefined) {
			for (const i of boot) {
				ms[i] = Math.round(anchor + uptimeOf(records[i], source)! * 1000);
				basis[i] = 'uptime';
			}
		}
		boot = [];
		anchor = undefined;
	};
	for (let i = 0; i < records.length; i++) {
		const r = records[i];
		const uptime = uptimeOf(r, source);
		if (uptime !== undefined) {
			if (uptime < lastUptime - 0.5) close();
			lastUptime = uptime;
			if (ms[i] === undefined) boot.push(i);
		}
		// The banner: an absolute record whose message states the uptime at that moment.
		if (ms[i] !== undefined && basis[i] !== 'uptime') {
			const up = UPTIME_IN_MESSAGE.exec(r.message);
			if (up) {
				const boots = Number(up[1]);
				if (boots < lastUptime - 0.5 && boot.length) {
					close();
				}
				lastUptime = Math.max(lastUptime, boots);
				// The banner's stamp is cut to whole seconds (it is at most a second late), its uptime to hundredths: each
				// banner's estimate is at most a second early, so the latest estimate is the closest.
				const a = ms[i]! - Math.round(boots * 1000);
				anchor = anchor === undefined ? a : Math.max(anchor, a);
			}
		}
	}
	close();
}

const SERIAL_UPTIME = /^\[\s*(\d+\.\d+)\]/;

/**
 * The serial-console uptime of a record (not the console's seconds since the process start): its relative time, or the
 * `[   22.871114]` prefix of its line when no format claimed the rest (script output behind `cloud-init[1183]:`).
 */
function uptimeOf(r: LogRecord, source?: LineSource): number | undefined {
	if (r.format === 'azcmagent-console') return undefined;
	if (r.time?.relative !== undefined) return r.time.relative;
	if (!source) return undefined;
	const m = SERIAL_UPTIME.exec(source.lineAt(r.startLine));
	return m ? Number(m[1]) : undefined;
}

/** Console records (`INFO[0007]`): the run start plus the seconds. */
function alignRuns(analysis: Analysis, ms: (number | undefined)[], basis: (TimeBasis | undefined)[], runStarts?: ReadonlyMap<number, number>): void {
	const records = analysis.records;
	for (const run of runsOf(analysis)) {
		let start = runStarts?.get(run.startLine);
		let firstRelative = -1;
		for (let i = 0; i < records.length; i++) {
			const r = records[i];
			if (r.startLine < run.startLine) continue;
			if (r.startLine > run.endLine) break;
			if (r.format === 'azcmagent-console' && r.time?.relative !== undefined && ms[i] === undefined) {
				if (firstRelative < 0) firstRelative = i;
				if (start === undefined) continue;
				ms[i] = start + Math.round(r.time.relative * 1000);
				basis[i] = 'run-relative';
			} else if (start === undefined && firstRelative < 0 && ms[i] !== undefined) {
				// An absolute record before the first relative one in the run: the run started then (at the latest).
				start = ms[i];
			}
		}
		if (start !== undefined && firstRelative >= 0) {
			for (let i = firstRelative; i < records.length && records[i].startLine <= run.endLine; i++) {
				const r = records[i];
				if (r.format === 'azcmagent-console' && r.time?.relative !== undefined && ms[i] === undefined) {
					ms[i] = start + Math.round(r.time.relative * 1000);
					basis[i] = 'run-relative';
				}
			}
		}
	}
}

function runsOf(analysis: Analysis): Section[] {
	return analysis.sections.filter((s) => s.kind === 'run');
}

/** Whether a log has console-relative records in a run that no absolute record anchors. */
export function unanchoredRuns(analysis: Analysis, alignment: Alignment): Section[] {
	const out: Section[] = [];
	for (const run of runsOf(analysis)) {
		const i = analysis.records.findIndex((r, k) => r.startLine >= run.startLine && r.startLine <= run.endLine && r.format === 'azcmagent-console' && r.time?.relative !== undefined && alignment.ms[k] === undefined);
		if (i >= 0) out.push(run);
	}
	return out;
}

/** A log of a machine, as `alignCase` takes it. */
export interface MachineLog {
	readonly analysis: Analysis;
	readonly source?: LineSource;
}

/**
 * Line up the logs of one machine: the machine's offset for zone-less stamps (from what its logs show), the year of
 * year-less stamps, and console runs anchored at the agent log's run of the same command and outcome.
 */
export function alignMachine(logs: readonly MachineLog[]): Alignment[] {
	// The offset: shown by a log itself (zone-less head + zoned stamp of the same moment), else the zoned stamps' own.
	const shown = new Set<number>();
	const written = new Set<number>();
	for (const l of logs) {
		const o = offsetShownByLog(l.analysis);
		if (o !== undefined) shown.add(o);
		for (const w of writtenOffsets(l.analysis)) written.add(w);
	}
	const machineOffset: AlignOptions['machineOffset'] =
		shown.size === 1 ? { minutes: [...shown][0], source: 'machine' } : shown.size === 0 && written.size === 1 ? { minutes: [...written][0], source: 'zoned-stamps' } : undefined;
	const first = logs.map((l) => alignLog(l.analysis, { machineOffset, source: l.source }));
	// A year for logs with no dated record: the machine's earliest time.
	let hint: number | undefined;
	for (const a of first) for (const v of a.ms) if (v !== undefined && (hint === undefined || v < hint)) hint = v;
	// Agent runs with an absolute start, for console runs that have none.
	const agentRuns: { name: string; detail?: string; start: number }[] = [];
	logs.forEach((l, k) => {
		for (const run of runsOf(l.analysis)) {
			if (l.analysis.format === 'azcmagent-console') continue;
			const i = l.analysis.records.findIndex((r) => r.startLine >= run.startLine && r.startLine <= run.endLine);
			const v = i >= 0 ? first[k].ms[i] : undefined;
			if (v !== undefined) agentRuns.push({ name: run.name, detail: run.detail, start: v });
		}
	});
	return logs.map((l, k) => {
		const unanchored = unanchoredRuns(l.analysis, first[k]);
		const needsYear = hint !== undefined && l.analysis.records.some((r, i) => r.time && first[k].ms[i] === undefined && YEARLESS.test(r.time.text));
		if (!unanchored.length && !needsYear) return first[k];
		const runStarts = new Map<number, number>();
		for (const run of unanchored) {
			const candidates = agentRuns.filter((a) => a.name === run.name && a.detail !== undefined && a.detail === run.detail);
			if (candidates.length === 1) runStarts.set(run.startLine, candidates[0].start);
		}
		return alignLog(l.analysis, { machineOffset, runStarts, yearHint: hint, source: l.source });
	});
}

/**
 * The time of a failure on `line`: its record's absolute time, else the nearest earlier record's (approximate: the
 * failure happened at or after it). Undefined when nothing before it has a time.
 */
export function timeAtLine(analysis: Analysis, alignment: Alignment, line: number): { ms: number; approximate: boolean } | undefined {
	const records = analysis.records;
	const at = lastAtOrBefore(records, startLine, line);
	for (let i = at; i >= 0; i--) {
		const v = alignment.ms[i];
		if (v !== undefined) return { ms: v, approximate: i !== at || records[at].endLine < line };
	}
	return undefined;
}
