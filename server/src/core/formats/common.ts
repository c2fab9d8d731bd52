// What every format module shares: the record head a line parser returns, the format descriptor that makes a format
// one file, level words, timestamps and the logfmt scanner. Pure; never throws.
import type { Field, Level, LogRecord, Span } from '../model';

/** What kind of line a head is, beyond being a record: structure markers the analysis cares about. */
export type LineRole = 'banner' | 'finished' | 'xtrace' | 'progress' | 'ci-info' | 'traceback' | 'prompt' | 'show' | 'header';

/** A record head: a record before it knows its lines, plus what the line is in the structure. */
export interface Head extends Omit<LogRecord, 'startLine' | 'endLine'> {
	readonly role?: LineRole;
	/**
	 * Read in part (`parseLine(…, { partial: true })`, the analysis's pass over every line): the fields and the time's
	 * epoch ms are not read. Parse the line again for them.
	 */
	readonly partial?: boolean;
	/** Banner: the stage name ('init-local', 'modules:final'). Prompt/xtrace: the azcmagent command, if any. */
	readonly name?: string;
}

/** The language id a format's documents get in the editor. */
export type LanguageId = 'azcmagent-log' | 'cloud-init-log';

/** What the analyzer knows of the record an unclaimed line may continue. */
export interface OpenRecord {
	readonly format: string;
	readonly level?: Level;
	/** How many continuation lines the record has absorbed. */
	readonly continued: number;
	/** The record's last physical line. */
	readonly last: string;
	/** The record's head line. */
	readonly head: string;
	/** A logrus record whose msg quote is still open (hard-wrapped by a ticket). */
	readonly openQuote: boolean;
}

/** A candidate a format's own scanner reports (cloud-init status lists, systemd unit blocks, PowerShell records). */
export interface FormatEvent {
	readonly id: string;
	readonly line: number;
	readonly start: number;
	readonly end: number;
	readonly captures: Readonly<Record<string, string>>;
	/** A later line that ends the range (a multi-line message); `end` is then a column of that line. */
	readonly endLine?: number;
	/** Lines that belong to the same event (the record head, the block). */
	readonly relatedLines?: readonly number[];
}

/** Per-document state of a format's scanner: sees every line of records of its format, reports events. */
export interface FormatScanner {
	line(text: string, line: number, head: Head | undefined, emit: (e: FormatEvent) => void): void;
	/** The document ended (or a record of another format started): report what is pending. */
	flush(emit: (e: FormatEvent) => void): void;
}

/**
 * One log format: everything detection, parsing, the analyzer, hover and the CLI's folder walk need to know. Adding a
 * format is one file that exports a descriptor, plus its line in registry.ts.
 */
export interface FormatDescriptor<I extends string = string> {
	readonly id: I;
	readonly language: LanguageId;
	/** What the format is, for people (README, explain). */
	readonly label: string;
	/** Patterns over a file's base name that suggest this format (a hint: content decides). */
	readonly fileNames?: readonly RegExp[];
	/**
	 * The head parser: the record a line starts, reading `text` from `off` (after a serial/syslog prefix). `partial`:
	 * the fields and the time's epoch ms may be left unread (the head then says `partial`).
	 */
	readonly parse: (text: string, off: number, line: number, partial?: boolean) => Head | undefined;
	/** How much a claimed line counts towards detecting this format (default 1). */
	readonly weight?: (head: Head) => number;
	/** Whether an unclaimed line continues an open record of this format; `dominant`: the document is in this format. */
	readonly continues?: (prev: OpenRecord, text: string, dominant: boolean) => boolean;
	/** Records of this format take part in azcmagent runs (the agent's formats, Group Policy). */
	readonly agentRuns?: boolean;
	/** cloud-init's own records: banners inside messages, tracebacks continue the record above, `Exit code:` is a script's. */
	readonly cloudInit?: boolean;
	/** Tool output is logged in this format's messages at info and above (output-scope signatures apply there). */
	readonly carriesOutput?: boolean;
	/** In its own file, a Python traceback after a record is that record's continuation (the exception it logged). */
	readonly tracebacks?: boolean;
	/** The whole document is one operation (an install): what its records say failed is one failure event. */
	readonly oneEvent?: boolean;
	/** Finding ids for records the log itself marks as failed (the log's own voice). */
	readonly voice?: { readonly error: string; readonly warning?: string };
	/** A scanner of the format's own structure (lists, blocks), created per document. */
	readonly scanner?: () => FormatScanner;
}

/** Declare a format (keeps the literal id type for FormatId). */
export function defineFormat<I extends string>(d: FormatDescriptor<I>): FormatDescriptor<I> {
	return d;
}

/** Level words, lower-case (a Map: a word from the log such as `constructor` is no key of an object's prototype). */
const LEVELS: ReadonlyMap<string, Level> = new Map<string, Level>([
	['trace', 'trace'], ['trac', 'trace'], ['verbose', 'debug'],
	['debug', 'debug'], ['debu', 'debug'],
	['info', 'info'], ['notice', 'info'],
	['warn', 'warning'], ['warning', 'warning'],
	['error', 'error'], ['erro', 'error'], ['err', 'error'],
	['fatal', 'fatal'], ['fata', 'fatal'],
	['panic', 'panic'], ['pani', 'panic'],
	['critical', 'critical'], ['crit', 'critical'],
]);

export function toLevel(word: string): Level | undefined {
	// Most level words are written in lower case already: no lower-cased copy for them.
	return LEVELS.get(word) ?? LEVELS.get(word.toLowerCase());
}

const LEVEL_RANK: Readonly<Record<Level, number>> = { trace: 0, debug: 1, info: 2, warning: 3, error: 4, critical: 5, fatal: 6, panic: 7 };

/** Severity order of levels; `undefined` (no level) ranks below trace. */
export function levelRank(l: Level | undefined): number {
	return l === undefined ? -1 : LEVEL_RANK[l];
}

export const MONTHS: Readonly<Record<string, number>> = { jan: 0, feb: 1, mar: 2, apr: 3, may: 4, jun: 5, jul: 6, aug: 7, sep: 8, oct: 9, nov: 10, dec: 11 };

/** `2024-06-04 07:01:55,118` / `2024-06-01 11:20:33.512` / `2024/06/01 11:20:33`: zone-less, taken as UTC. */
export function zonelessMs(date: string, time: string, frac = ''): number | undefined {
	const d = /^(\d{4})[-/](\d\d)[-/](\d\d)$/.exec(date);
	const t = /^(\d\d):(\d\d):(\d\d)$/.exec(time);
	if (!d || !t) return undefined;
	const ms = frac ? Number(frac.padEnd(3, '0').slice(0, 3)) : 0;
	const v = Date.UTC(+d[1], +d[2] - 1, +d[3], +t[1], +t[2], +t[3], ms);
	return Number.isNaN(v) ? undefined : v;
}

export function parseMs(text: string): number | undefined {
	const v = Date.parse(text);
	return Number.isNaN(v) ? undefined : v;
}

/**
 * The head of a record whose time, level and message stand at known columns of the line (most line formats): the
 * message runs to the end of the line. `time.end` when the stamp's span differs from its text (`[date][time]`).
 */
export function timedHead(
	format: Head['format'],
	text: string,
	line: number,
	p: { readonly time: { readonly text: string; readonly start: number; readonly end?: number; readonly ms?: number }; readonly level?: { readonly word: string; readonly start: number }; readonly messageStart: number; readonly source?: string },
): Head {
	return {
		format,
		time: { text: p.time.text, ms: p.time.ms, span: { line, start: p.time.start, end: p.time.end ?? p.time.start + p.time.text.length } },
		...(p.level ? { level: toLevel(p.level.word), levelSpan: { line, start: p.level.start, end: p.level.start + p.level.word.length } } : {}),
		...(p.source !== undefined ? { source: p.source } : {}),
		message: text.slice(p.messageStart),
		messageSpan: { line, start: p.messageStart, end: text.length },
		fields: [],
	};
}

/** The rest of the line from `off` as the message of a head. */
export function restMessage(text: string, start: number, line: number): Pick<Head, 'message' | 'messageSpan'> {
	return { message: text.slice(start), messageSpan: { line, start, end: text.length } };
}

// ---------------------------------------------------------------------------------------------------------------
// logfmt (logrus text formatter): key=value pairs, values bare or double-quoted with \" \\ \n escapes.

export interface Pair {
	readonly key: string;
	readonly keyStart: number;
	readonly keyEnd: number;
	readonly value: string;
	readonly valueStart: number;
	readonly valueEnd: number;
}

/** Unescape a logrus quoted value body (between the quotes). */
export function unescapeGo(s: string): string {
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
export function scanQuoted(line: string, q: number): { end: number; bodyEnd: number } {
	for (let i = q + 1; i < line.length; i++) {
		const c = line.charCodeAt(i);
		if (c === 92 /* \ */) i++;
		else if (c === 34 /* " */) return { end: i + 1, bodyEnd: i };
	}
	return { end: line.length, bodyEnd: line.length };
}

/** A character of a logfmt key: `[A-Za-z0-9_.\-/ ]` (char codes: no regex and no string per character). */
function isKeyChar(c: number): boolean {
	return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 45 && c <= 57) || c === 95 || c === 32;
}

/**
 * Parse `key=value` pairs from `start` to the end of the line. Keys may contain spaces (`VM Id=`, `Status Code=`).
 * `complete` is false when something that is not a pair was met (the rest is then not consumed). `maxPairs`: stop
 * after that many (the pairs are those of a full parse, up to that count).
 */
export function parseLogfmt(line: string, start: number, maxKeyWords = 3, maxPairs = Infinity): { pairs: Pair[]; complete: boolean } {
	const pairs: Pair[] = [];
	let i = start;
	const n = line.length;
	while (i < n && pairs.length < maxPairs) {
		while (i < n && line.charCodeAt(i) === 32) i++;
		if (i >= n) break;
		const keyStart = i;
		let words = 1;
		while (i < n && line.charCodeAt(i) !== 61 /* = */) {
			const c = line.charCodeAt(i);
			if (!isKeyChar(c)) return { pairs, complete: false };
			if (c === 32) {
				const next = line.charCodeAt(i + 1);
				if (next === 32 || next === 61 || ++words > maxKeyWords) return { pairs, complete: false };
			}
			i++;
			if (i - keyStart > 64) return { pairs, complete: false };
		}
		if (i >= n || i === keyStart) return { pairs, complete: false };
		const keyEnd = i;
		i++; // '='
		if (line.charCodeAt(i) === 34 /* " */) {
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

export function toField(p: Pair, line: number): Field {
	return { key: p.key, value: p.value, keySpan: { line, start: p.keyStart, end: p.keyEnd }, valueSpan: { line, start: p.valueStart, end: p.valueEnd } };
}

export function span(line: number, start: number, end: number): Span {
	return { line, start, end };
}
