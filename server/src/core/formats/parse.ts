// Line parsers for every format of LOG-FORMATS.md. Each takes one physical line and returns the record head it
// starts (or undefined). They never throw and stay linear in the line length: anchored regexes with bounded or
// non-overlapping quantifiers, and hand-written scanners for logfmt values.
import type { Field, Level, LogRecord, Span } from '../model';

/** What kind of line a head is, beyond being a record: structure markers the analysis cares about. */
export type LineRole = 'banner' | 'finished' | 'xtrace' | 'progress' | 'ci-info' | 'traceback' | 'prompt' | 'show';

/** A record head: a record before it knows its lines, plus what the line is in the structure. */
export interface Head extends Omit<LogRecord, 'startLine' | 'endLine'> {
	readonly role?: LineRole;
	/** Banner: the stage name ('init-local', 'modules:final'). Prompt/xtrace: the azcmagent command, if any. */
	readonly name?: string;
}

const LEVELS: Readonly<Record<string, Level>> = {
	trace: 'trace', trac: 'trace',
	debug: 'debug', debu: 'debug',
	info: 'info',
	warn: 'warning', warning: 'warning',
	error: 'error', erro: 'error', err: 'error',
	fatal: 'fatal', fata: 'fatal',
	panic: 'panic', pani: 'panic',
	critical: 'critical', crit: 'critical',
};

function toLevel(word: string): Level | undefined {
	return LEVELS[word.toLowerCase()];
}

const LEVEL_RANK: Readonly<Record<Level, number>> = { trace: 0, debug: 1, info: 2, warning: 3, error: 4, critical: 5, fatal: 6, panic: 7 };

/** Severity order of levels; `undefined` (no level) ranks below trace. */
export function levelRank(l: Level | undefined): number {
	return l === undefined ? -1 : LEVEL_RANK[l];
}

const MONTHS: Readonly<Record<string, number>> = { jan: 0, feb: 1, mar: 2, apr: 3, may: 4, jun: 5, jul: 6, aug: 7, sep: 8, oct: 9, nov: 10, dec: 11 };

/** `2024-06-04 07:01:55,118` / `2024-06-01 11:20:33.512` / `2024-06-01T11:20:33`: zone-less, taken as UTC. */
function zonelessMs(date: string, time: string, frac = ''): number | undefined {
	const d = /^(\d{4})-(\d\d)-(\d\d)$/.exec(date);
	const t = /^(\d\d):(\d\d):(\d\d)$/.exec(time);
	if (!d || !t) return undefined;
	const ms = frac ? Number(frac.padEnd(3, '0').slice(0, 3)) : 0;
	const v = Date.UTC(+d[1], +d[2] - 1, +d[3], +t[1], +t[2], +t[3], ms);
	return Number.isNaN(v) ? undefined : v;
}

function parseMs(text: string): number | undefined {
	const v = Date.parse(text);
	return Number.isNaN(v) ? undefined : v;
}

// ---------------------------------------------------------------------------------------------------------------
// logfmt (logrus text formatter): key=value pairs, values bare or double-quoted with \" \\ \n escapes.

interface Pair {
	readonly key: string;
	readonly keyStart: number;
	readonly keyEnd: number;
	readonly value: string;
	readonly valueStart: number;
	readonly valueEnd: number;
}

/** Unescape a logrus quoted value body (between the quotes). */
function unescapeGo(s: string): string {
	if (s.indexOf('\\') < 0) return s;
	let out = '';
	for (let i = 0; i < s.length; i++) {
		const c = s[i];
		if (c !== '\\' || i + 1 >= s.length) {
			out += c;
			continue;
		}
		const n = s[++i];
		out += n === 'n' ? '\n' : n === 't' ? '\t' : n === 'r' ? '\r' : n === '"' || n === '\\' ? n : '\\' + n;
	}
	return out;
}

/** Scan a quoted value starting at `q` (the opening quote). Returns the index after the closing quote (or the line end). */
function scanQuoted(line: string, q: number): { end: number; bodyEnd: number; closed: boolean } {
	for (let i = q + 1; i < line.length; i++) {
		const c = line.charCodeAt(i);
		if (c === 92 /* \ */) i++;
		else if (c === 34 /* " */) return { end: i + 1, bodyEnd: i, closed: true };
	}
	return { end: line.length, bodyEnd: line.length, closed: false };
}

const KEY_CHAR = /[A-Za-z0-9_.\-/ ]/;

/**
 * Parse `key=value` pairs from `start` to the end of the line. Keys may contain spaces (`VM Id=`, `Status Code=`).
 * `complete` is false when something that is not a pair was met (the rest is then not consumed).
 */
export function parseLogfmt(line: string, start: number, maxKeyWords = 3): { pairs: Pair[]; complete: boolean } {
	const pairs: Pair[] = [];
	let i = start;
	const n = line.length;
	while (i < n) {
		while (i < n && line.charCodeAt(i) === 32) i++;
		if (i >= n) break;
		// key: up to '=', only key characters, at most `maxKeyWords` words
		const keyStart = i;
		let words = 1;
		while (i < n && line[i] !== '=') {
			if (!KEY_CHAR.test(line[i])) return { pairs, complete: false };
			if (line[i] === ' ') {
				if (line[i + 1] === ' ' || line[i + 1] === '=' || ++words > maxKeyWords) return { pairs, complete: false };
			}
			i++;
			if (i - keyStart > 64) return { pairs, complete: false };
		}
		if (i >= n || i === keyStart) return { pairs, complete: false };
		const keyEnd = i;
		i++; // '='
		if (line[i] === '"') {
			const q = scanQuoted(line, i);
			pairs.push({ key: line.slice(keyStart, keyEnd), keyStart, keyEnd, value: unescapeGo(line.slice(i + 1, q.bodyEnd)), valueStart: i, valueEnd: q.end });
			i = q.end;
			if (i < n && line.charCodeAt(i) !== 32) return { pairs, complete: false };
		} else {
			const valueStart = i;
			while (i < n && line.charCodeAt(i) !== 32) i++;
			pairs.push({ key: line.slice(keyStart, keyEnd), keyStart, keyEnd, value: line.slice(valueStart, i), valueStart, valueEnd: i });
		}
	}
	return { pairs, complete: true };
}

function toField(p: Pair, line: number): Field {
	return { key: p.key, value: p.value, keySpan: { line, start: p.keyStart, end: p.keyEnd }, valueSpan: { line, start: p.valueStart, end: p.valueEnd } };
}

/** `time="..." level=... msg="..." Key=Value` (azcmagent.log, himds.log, arcproxy.log; also the 2020 console). */
function parseLogrus(text: string, off: number, line: number): Head | undefined {
	if (!text.startsWith('time=', off) && !text.startsWith('level=', off)) return undefined;
	const { pairs } = parseLogfmt(text, off);
	let time: Head['time'];
	let level: Level | undefined;
	let levelSpan: Span | undefined;
	let message = '';
	let messageSpan: Span | undefined;
	const fields: Field[] = [];
	for (const p of pairs) {
		if (p.key === 'time' && !time) time = { text: p.value, ms: parseMs(p.value), span: { line, start: p.valueStart, end: p.valueEnd } };
		else if (p.key === 'level' && !level) {
			level = toLevel(p.value);
			levelSpan = { line, start: p.valueStart, end: p.valueEnd };
		} else if (p.key === 'msg' && !messageSpan) {
			message = p.value;
			messageSpan = { line, start: p.valueStart, end: p.valueEnd };
		} else fields.push(toField(p, line));
	}
	if (!time && !level) return undefined;
	return { format: 'azcmagent-log', time, level, levelSpan, message, messageSpan, fields };
}

/** Split a console message from the logrus fields that follow it (`Failed to ... ARM resource       Error="..."`). */
function splitConsoleFields(text: string, start: number, line: number): { message: string; messageSpan: Span; fields: Field[] } {
	const end = text.length;
	if (text.indexOf('=', start) >= 0) {
		// Candidate split points: a space followed by a key and '='. Padding (2+ spaces) first; at most 24 tries.
		const re = / +(?=[A-Za-z][\w.-]*(?: [A-Za-z][\w.-]*)?=)/g;
		re.lastIndex = start;
		let tries = 0;
		let m: RegExpExecArray | null;
		while ((m = re.exec(text)) && tries++ < 24) {
			const at = m.index + m[0].length;
			const { pairs, complete } = parseLogfmt(text, at, 2);
			if (complete && pairs.length > 0) {
				return {
					message: text.slice(start, m.index),
					messageSpan: { line, start, end: m.index },
					fields: pairs.map((p) => toField(p, line)),
				};
			}
		}
	}
	let e = end;
	while (e > start && text.charCodeAt(e - 1) === 32) e--;
	return { message: text.slice(start, e), messageSpan: { line, start, end: e }, fields: [] };
}

const CONSOLE_2020 = /^(TRACE|DEBUG|ERROR|FATAL|PANIC|WARNING|TRAC|DEBU|INFO|WARN|ERRO|FATA|PANI)\[(\d{1,8})\] ?/;
const CONSOLE_2023 = /^( {0,8})(TRACE|DEBUG|INFO|WARN|WARNING|ERROR|FATAL|PANIC)(?: {2,}|\t)(?=\S)/;
const PROGRESS = /^\s{0,8}\d{1,3}(?:\.\d+)?% ?\[[=>#. -]{0,200}\]/;

function parseConsole(text: string, off: number, line: number): Head | undefined {
	const rest = off ? text.slice(off) : text;
	let m = CONSOLE_2020.exec(rest);
	if (m) {
		const start = off + m[0].length;
		return {
			format: 'azcmagent-console',
			level: toLevel(m[1]),
			levelSpan: { line, start: off, end: off + m[1].length },
			time: { text: m[2], relative: Number(m[2]), span: { line, start: off + m[1].length, end: off + m[1].length + m[2].length + 2 } },
			...splitConsoleFields(text, start, line),
		};
	}
	m = CONSOLE_2023.exec(rest);
	if (m) {
		const ls = off + m[1].length;
		return {
			format: 'azcmagent-console',
			level: toLevel(m[2]),
			levelSpan: { line, start: ls, end: ls + m[2].length },
			...splitConsoleFields(text, off + m[0].length, line),
		};
	}
	if (PROGRESS.test(rest)) return { format: 'azcmagent-console', role: 'progress', message: rest.trim(), messageSpan: { line, start: off, end: text.length }, fields: [] };
	return undefined;
}

const GC = /^(<GCLOG>)?\[(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)(?:\.(\d{1,6}))?\] \[PID (\d+)\] \[TID (\d+)\] \[([^\]]{0,200})\] \[([A-Za-z]{1,10})\] (?:\[([^\]]{0,80})\] ?)?/;

function parseGc(text: string, off: number, line: number): Head | undefined {
	const rest = off ? text.slice(off) : text;
	const m = GC.exec(rest);
	if (!m) return undefined;
	const tStart = off + (m[1]?.length ?? 0) + 1;
	const tText = `${m[2]} ${m[3]}${m[4] ? '.' + m[4] : ''}`;
	const lvl = m[8];
	const lvlStart = off + m[0].lastIndexOf(`[${lvl}]`) + 1;
	let end = text.length;
	if (text.endsWith('</GCLOG>')) end -= 8;
	const start = off + m[0].length;
	return {
		format: 'gc-log',
		time: { text: tText, ms: zonelessMs(m[2], m[3], m[4]), span: { line, start: tStart, end: tStart + tText.length } },
		level: toLevel(lvl),
		levelSpan: { line, start: lvlStart, end: lvlStart + lvl.length },
		source: m[7],
		message: text.slice(start, Math.max(start, end)),
		messageSpan: { line, start, end: Math.max(start, end) },
		fields: [],
	};
}

const MSI = /^MSI \(([scSC])\) \(([0-9A-Fa-f]{2}[:!][0-9A-Fa-f]{2})\) \[(\d\d:\d\d:\d\d:\d{3})\]: /;
const MSI_ERROR = /returned actual error code [1-9]|Return value 3\b|\berror code [1-9]\d{2,}|Installation (?:failed|operation failed)|Product: .* -- Installation failed/i;
const MSI_OTHER = /^(?:Action (?:start|ended) \d{1,2}:\d\d:\d\d: |Property\([SC]\): |=== (?:Verbose )?logging (?:started|stopped)|WixQuietExec(?:64)?: |CustomAction |MSI \()/;

function parseMsi(text: string, off: number, line: number): Head | undefined {
	const rest = off ? text.slice(off) : text;
	const m = MSI.exec(rest);
	if (!m) {
		if (!MSI_OTHER.test(rest)) return undefined;
		return { format: 'msi-log', level: MSI_ERROR.test(rest) ? 'error' : undefined, message: rest, messageSpan: { line, start: off, end: text.length }, fields: [], source: /^WixQuietExec(?:64)?/.exec(rest)?.[0] };
	}
	const start = off + m[0].length;
	const tStart = off + m[0].indexOf('[') + 1;
	return {
		format: 'msi-log',
		time: { text: m[3], span: { line, start: tStart, end: tStart + m[3].length } },
		level: MSI_ERROR.test(rest) ? 'error' : undefined,
		message: text.slice(start),
		messageSpan: { line, start, end: text.length },
		fields: [],
		source: `MSI (${m[1]})`,
	};
}

const GPO = /^\[(\d{4}-\d\d-\d\d)\]\[(\d\d:\d\d:\d\d)\] (INFO|WARNING|WARN|ERROR|DEBUG|VERBOSE|FATAL)\b:? ?/;

function parseGpo(text: string, off: number, line: number): Head | undefined {
	const rest = off ? text.slice(off) : text;
	const m = GPO.exec(rest);
	if (!m) return undefined;
	const start = off + m[0].length;
	const lvlStart = off + m[1].length + m[2].length + 5;
	return {
		format: 'gpo-log',
		time: { text: `${m[1]} ${m[2]}`, ms: zonelessMs(m[1], m[2]), span: { line, start: off, end: off + m[1].length + m[2].length + 4 } },
		level: m[3] === 'VERBOSE' ? 'debug' : toLevel(m[3]),
		levelSpan: { line, start: lvlStart, end: lvlStart + m[3].length },
		message: text.slice(start),
		messageSpan: { line, start, end: text.length },
		fields: [],
	};
}

const CI_STD = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)(?:,(\d{1,6}))? - ([\w.-]{1,80})\[(DEBUG|INFO|WARNING|WARN|ERROR|CRITICAL)\]: ?/;
const CI_SYSLOG = /^([A-Z][a-z]{2}) ([ \d]\d) (\d\d:\d\d:\d\d) (\S{1,100}) (?:cloud-init\[\d+\]:|\[CLOUDINIT\]|cloud-init:) ([\w.-]{1,80})\[(DEBUG|INFO|WARNING|WARN|ERROR|CRITICAL)\]: ?/;

function parseCloudInitLog(text: string, off: number, line: number): Head | undefined {
	const rest = off ? text.slice(off) : text;
	let m = CI_STD.exec(rest);
	if (m) {
		const tText = `${m[1]} ${m[2]}${m[3] ? ',' + m[3] : ''}`;
		const lvlStart = off + m[0].lastIndexOf('[') + 1;
		const start = off + m[0].length;
		return {
			format: 'cloud-init-log',
			time: { text: tText, ms: zonelessMs(m[1], m[2], m[3]), span: { line, start: off, end: off + tText.length } },
			level: toLevel(m[5]),
			levelSpan: { line, start: lvlStart, end: lvlStart + m[5].length },
			source: m[4],
			message: text.slice(start),
			messageSpan: { line, start, end: text.length },
			fields: [],
		};
	}
	m = CI_SYSLOG.exec(rest);
	if (m) {
		const month = MONTHS[m[1].toLowerCase()];
		const tText = `${m[1]} ${m[2]} ${m[3]}`;
		// A syslog stamp has no year; 2000 (a leap year) is assumed: only differences between records are used.
		const ms = month === undefined ? undefined : zonelessMs(`2000-${String(month + 1).padStart(2, '0')}-${m[2].trim().padStart(2, '0')}`, m[3]);
		const lvlStart = off + m[0].lastIndexOf('[') + 1;
		const start = off + m[0].length;
		return {
			format: 'cloud-init-log',
			time: { text: tText, ms, span: { line, start: off, end: off + tText.length } },
			level: toLevel(m[6]),
			levelSpan: { line, start: lvlStart, end: lvlStart + m[6].length },
			source: m[5],
			message: text.slice(start),
			messageSpan: { line, start, end: text.length },
			fields: [],
		};
	}
	return undefined;
}

export const BANNER = /^Cloud-init v\. (\S{1,60}) running '([\w:-]{1,40})' at ([^.]{1,80})\. Up ([\d.]{1,20}) seconds/;
export const FINISHED = /^Cloud-init v\. (\S{1,60}) finished at ([^.]{1,80})\. Datasource (.{0,300}?)\. {1,4}Up ([\d.]{1,20}) seconds/;

function parseCloudInitOutput(text: string, off: number, line: number): Head | undefined {
	const rest = off ? text.slice(off) : text;
	const c = rest.charCodeAt(0);
	if (c === 67 /* C */) {
		let m = BANNER.exec(rest);
		if (m) return { format: 'cloud-init-output', role: 'banner', name: m[2], time: { text: m[3], ms: parseMs(m[3]), span: { line, start: off + rest.indexOf(m[3]), end: off + rest.indexOf(m[3]) + m[3].length } }, level: 'info', message: rest, messageSpan: { line, start: off, end: text.length }, fields: [] };
		m = FINISHED.exec(rest);
		if (m) return { format: 'cloud-init-output', role: 'finished', time: { text: m[2], ms: parseMs(m[2]), span: { line, start: off + rest.indexOf(m[2]), end: off + rest.indexOf(m[2]) + m[2].length } }, level: 'info', message: rest, messageSpan: { line, start: off, end: text.length }, fields: [] };
	}
	if (rest.startsWith('ci-info: ')) return { format: 'cloud-init-output', role: 'ci-info', message: rest, messageSpan: { line, start: off, end: text.length }, fields: [] };
	return undefined;
}

const ARM_SHAPE = /RequestCorrelationId:\s{0,4}\S{1,80}\s{1,8}Message:\s{0,4}/;
const ARM_CODE = /\sCode:\s{0,4}([A-Za-z][\w.]{0,100})\s{1,8}httpStatusCode:\s{0,4}(\d{3})/;
const SDK_ERROR_CODE = /ERROR CODE:\s{0,4}([A-Za-z][\w.]{1,100})/;
const SDK_RESPONSE = /RESPONSE (\d{3}):/;

export interface ArmError {
	/** The ARM error code (`AuthorizationFailed`) and where it stands in the text. */
	readonly code: string;
	readonly codeStart: number;
	readonly status?: string;
	/** The error's message, for the `RequestCorrelationId: … Message: … Code: … httpStatusCode: …` shape. */
	readonly message?: string;
}

/**
 * An Azure Resource Manager error in one of its two printed shapes: the agent's
 * `RequestCorrelationId:<guid> Message: <text> Code: <ArmCode> httpStatusCode:<n>` (every console generation), or
 * the Azure SDK's `RESPONSE 403: …` / `ERROR CODE: <ArmCode>` body.
 */
export function parseArmError(text: string): ArmError | undefined {
	const shape = text.indexOf('RequestCorrelationId:') >= 0 ? ARM_SHAPE.exec(text) : null;
	if (shape) {
		const at = shape.index + shape[0].length;
		const c = ARM_CODE.exec(text.slice(at));
		if (!c) return undefined;
		const message = text.slice(at, at + c.index).trim();
		return { code: c[1], codeStart: at + c.index + c[0].indexOf(c[1]), status: c[2], ...(message ? { message } : {}) };
	}
	if (text.indexOf('ERROR CODE:') < 0) return undefined;
	const c = SDK_ERROR_CODE.exec(text);
	if (!c) return undefined;
	return { code: c[1], codeStart: c.index + c[0].length - c[1].length, status: SDK_RESPONSE.exec(text)?.[1] };
}

/** `azcmagent show`: aligned `Key : value` pairs under the keys the agent prints (indented for dependent services). */
const SHOW = /^( {0,4})((?:Resource|Subscription|Tenant|VM|Correlation|Location|Cloud|Agent|Using|Proxy|Dependent|Azure Arc|Hybrid Instance|Guest [Cc]onfiguration|Extension|Manufacturer|Model|Type|Private Link|Portal|Mssql|Certificate|Connected|Status|Last)[\w ()./-]{0,60}?) {1,60}: ?(.*)$/;

function parseShow(text: string, off: number, line: number): Head | undefined {
	if (off) return undefined;
	const m = SHOW.exec(text);
	if (!m) return undefined;
	const keyStart = m[1].length;
	const valueStart = text.length - m[3].length;
	const key = m[2].trim();
	return {
		format: 'azcmagent-console',
		role: 'show',
		message: text.slice(keyStart),
		messageSpan: { line, start: keyStart, end: text.length },
		fields: [{ key, value: m[3].trim(), keySpan: { line, start: keyStart, end: keyStart + key.length }, valueSpan: { line, start: valueStart, end: text.length } }],
	};
}

/** The syslog/journald prefix of a line cloud-init wrote through syslog: `Jun  4 07:01:55 myvm cloud-init[1204]: `. */
const SYSLOG_PREFIX = /^([A-Z][a-z]{2}) ([ \d]\d) (\d\d:\d\d:\d\d) \S{1,100} (?:cloud-init\[\d+\]:|\[CLOUDINIT\]) /;

/** `[   12.345678] cloud-init[812]: ` serial console / boot diagnostics prefix: returns its length and the uptime. */
const SERIAL = /^\[ {0,12}(\d{1,7}\.\d{1,9})\] (?:cloud-init\[\d+\]: )?/;

const XTRACE = /^(\++) (.*)$/;
/** A shell prompt before a command: `root@web01:~# `, `$ `, `PS C:\> `, `C:\Users\x> `. */
const PROMPT = /^(?:[\w.-]{1,64}@[\w.-]{1,64}:[^#$\s]{0,200}[#$]|\$|#|PS [A-Za-z]:\\[^>]{0,200}>|[A-Za-z]:\\[^>]{0,200}>) (?=\S)/;
export const AZCMAGENT_COMMAND = /(?:^|[\s"'&/\\])(?:sudo\s+(?:-\S+\s+)*)?(?:[\w.\\/:"-]*[/\\])?azcmagent(?:\.exe)?"?\s+(connect|disconnect|reconnect|show|check|logs|config|extension|license|version|genkey|upgrade|help)\b/;

export interface LineParse {
	readonly head?: Head;
	/** Length of a serial-console prefix that was skipped. */
	readonly prefix: number;
	readonly uptime?: number;
	/** The line came through syslog/journald (cloud-init.log's syslog form), not cloud-init's own output file. */
	readonly syslog?: boolean;
}

/**
 * Parse one physical line. Lines that no format claims return no head (plain text: script output, wrapped text, ...).
 */
export function parseLine(text: string, line: number): LineParse {
	let off = 0;
	let uptime: number | undefined;
	if (text.charCodeAt(0) === 91 /* [ */) {
		const s = SERIAL.exec(text);
		if (s) {
			off = s[0].length;
			uptime = Number(s[1]);
		}
	}
	// cloud-init writing through syslog: a record of its own (module.py[LEVEL]) or script output behind the prefix.
	let syslog: Head['time'] | undefined;
	if (!off && text.charCodeAt(0) >= 65 && text.charCodeAt(0) <= 90) {
		const own = parseCloudInitLog(text, 0, line);
		if (own) return { head: own, prefix: 0, syslog: own.time?.ms !== undefined && /^[A-Z]/.test(own.time.text) };
		const p = SYSLOG_PREFIX.exec(text);
		if (p) {
			off = p[0].length;
			syslog = { text: `${p[1]} ${p[2]} ${p[3]}`, span: { line, start: 0, end: p[1].length + p[2].length + p[3].length + 2 } };
		}
	}
	const head =
		parseLogrus(text, off, line) ??
		parseCloudInitLog(text, off, line) ??
		parseCloudInitOutput(text, off, line) ??
		parseConsole(text, off, line) ??
		parseGc(text, off, line) ??
		parseGpo(text, off, line) ??
		parseMsi(text, off, line) ??
		parseShow(text, off, line) ??
		parseShell(text, off, line);
	if (syslog) {
		// Each syslog line is a record of its own (multi-line output is escaped as #012), whatever follows the prefix.
		const h: Head = head ?? { format: 'plain', message: text.slice(off), messageSpan: { line, start: off, end: text.length }, fields: [] };
		return { head: h.time ? h : { ...h, time: syslog }, prefix: off, syslog: true };
	}
	if (head && uptime !== undefined && !head.time) {
		return { head: { ...head, time: { text: text.slice(1, off).trim().replace(/\].*$/, ''), relative: uptime, span: { line, start: 0, end: text.indexOf(']') + 1 } } }, prefix: off, uptime };
	}
	return { head, prefix: off, uptime };
}

/** xtrace lines (`+ az login --identity`), shell prompts with a command, and a Python traceback's first line. */
function parseShell(text: string, off: number, line: number): Head | undefined {
	const rest = off ? text.slice(off) : text;
	const x = XTRACE.exec(rest);
	if (x) {
		const cmd = x[2];
		return { format: 'plain', role: 'xtrace', name: AZCMAGENT_COMMAND.exec(cmd)?.[1], message: cmd, messageSpan: { line, start: off + x[1].length + 1, end: text.length }, fields: [] };
	}
	const p = PROMPT.exec(rest);
	if (p) {
		const cmd = rest.slice(p[0].length);
		return { format: 'plain', role: 'prompt', name: AZCMAGENT_COMMAND.exec(' ' + cmd)?.[1], message: cmd, messageSpan: { line, start: off + p[0].length, end: text.length }, fields: [] };
	}
	if (rest.startsWith('Traceback (most recent call last):')) return { format: 'plain', role: 'traceback', level: 'error', message: rest, messageSpan: { line, start: off, end: text.length }, fields: [] };
	return undefined;
}
