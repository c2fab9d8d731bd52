// The Connected Machine agent's own formats: the logrus text log (azcmagent.log, himds.log, arcproxy.log; also the
// 2020 console) and the console output of later generations (`ERROR[0007]`, 8-column `FATAL   `, progress bars,
// `azcmagent show`).
import type { Field, Level, Span } from '../model';
import { defineFormat, levelRank, parseLogfmt, parseMs, scanQuoted, toField, toLevel, unescapeGo, type Head } from './common';

/**
 * The partial head of the agent's own lines, `time="…" level=word msg=…` one space apart: the head the pairs of
 * `parseLogfmt` give (the prefilter property test compares with the full parse), without an object per pair.
 * Undefined for any other shape, which the pairs then read.
 */
function agentHead(text: string, off: number, line: number): Head | undefined {
	if (!text.startsWith('time="', off)) return undefined;
	const t = scanQuoted(text, off + 5);
	if (!text.startsWith(' level=', t.end)) return undefined;
	const levelStart = t.end + 7;
	const levelEnd = text.indexOf(' ', levelStart);
	if (levelEnd <= levelStart || text.charCodeAt(levelStart) === 34 /* " */ || !text.startsWith('msg=', levelEnd + 1)) return undefined;
	const level = toLevel(text.slice(levelStart, levelEnd));
	if (!level) return undefined;
	const msgStart = levelEnd + 5;
	let message: string;
	let msgEnd: number;
	if (text.charCodeAt(msgStart) === 34) {
		const q = scanQuoted(text, msgStart);
		message = unescapeGo(text.slice(msgStart + 1, q.bodyEnd));
		msgEnd = q.end;
	} else {
		msgEnd = text.indexOf(' ', msgStart);
		if (msgEnd < 0) msgEnd = text.length;
		message = text.slice(msgStart, msgEnd);
	}
	return {
		format: 'azcmagent-log',
		partial: true,
		time: { text: unescapeGo(text.slice(off + 6, t.bodyEnd)), span: { line, start: off + 5, end: t.end } },
		level,
		levelSpan: { line, start: levelStart, end: levelEnd },
		message,
		messageSpan: { line, start: msgStart, end: msgEnd },
		fields: [],
	};
}

/** `time="..." level=... msg="..." Key=Value`. */
function parseLogrus(text: string, off: number, line: number, partial?: boolean): Head | undefined {
	if (!text.startsWith('time=', off) && !text.startsWith('level=', off)) return undefined;
	if (partial) {
		// The agent writes time, level and msg first; the other pairs (most of a line) are left for a full parse.
		const quick = agentHead(text, off, line);
		if (quick) return quick;
		const [t, l, m] = parseLogfmt(text, off, 3, 3).pairs;
		const level = m && t.key === 'time' && l.key === 'level' && m.key === 'msg' ? toLevel(l.value) : undefined;
		if (level) {
			return {
				format: 'azcmagent-log',
				partial: true,
				time: { text: t.value, span: { line, start: t.valueStart, end: t.valueEnd } },
				level,
				levelSpan: { line, start: l.valueStart, end: l.valueEnd },
				message: m.value,
				messageSpan: { line, start: m.valueStart, end: m.valueEnd },
				fields: [],
			};
		}
	}
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

export const azcmagentLog = defineFormat({
	id: 'azcmagent-log',
	language: 'azcmagent-log',
	label: 'azcmagent.log, himds.log, arcproxy.log (logrus)',
	fileNames: [/^(?:azcmagent|himds|arcproxy)[^/\\]*\.log[^/\\]*$/i],
	parse: parseLogrus,
	// In its own file every unclaimed line continues the record; elsewhere only a record whose msg quote is still open
	// (hard-wrapped by a ticket), wherever it is.
	continues: (prev, _text, dominant) => dominant || prev.openQuote,
	agentRuns: true,
	voice: { error: 'AGENT-ERROR' },
});

/** Split a console message from the logrus fields that follow it (`Failed to ... ARM resource       Error="..."`). */
function splitConsoleFields(text: string, start: number, line: number): { message: string; messageSpan: Span; fields: Field[] } {
	if (text.indexOf('=', start) >= 0) {
		// Candidate split points: a space followed by a key and '='. At most 24 tries.
		const re = / +(?=[A-Za-z][\w.-]*(?: [A-Za-z][\w.-]*)?=)/g;
		re.lastIndex = start;
		let tries = 0;
		let m: RegExpExecArray | null;
		while ((m = re.exec(text)) && tries++ < 24) {
			const at = m.index + m[0].length;
			const { pairs, complete } = parseLogfmt(text, at, 2);
			if (complete && pairs.length > 0) {
				return { message: text.slice(start, m.index), messageSpan: { line, start, end: m.index }, fields: pairs.map((p) => toField(p, line)) };
			}
		}
	}
	let e = text.length;
	while (e > start && text.charCodeAt(e - 1) === 32) e--;
	return { message: text.slice(start, e), messageSpan: { line, start, end: e }, fields: [] };
}

const CONSOLE_2020 = /^(TRACE|DEBUG|ERROR|FATAL|PANIC|WARNING|TRAC|DEBU|INFO|WARN|ERRO|FATA|PANI)\[(\d{1,8})\] ?/;
const CONSOLE_2023 = /^( {0,8})(TRACE|DEBUG|INFO|WARN|WARNING|ERROR|FATAL|PANIC)(?: {2,}|\t)(?=\S)/;
const PROGRESS = /^\s{0,8}\d{1,3}(?:\.\d+)?% ?\[[=>#. -]{0,200}\]/;
/** `azcmagent show`: aligned `Key : value` pairs under the keys the agent prints (indented for dependent services). */
const SHOW = /^( {0,4})((?:Resource|Subscription|Tenant|VM|Correlation|Location|Cloud|Agent|Using|Proxy|Dependent|Azure Arc|Hybrid Instance|Guest [Cc]onfiguration|Extension|Manufacturer|Model|Type|Private Link|Portal|Mssql|Certificate|Connected|Status|Last)[\w ()./-]{0,60}?) {1,60}: ?(.*)$/;

function parseConsole(text: string, off: number, line: number): Head | undefined {
	const rest = off ? text.slice(off) : text;
	let m = CONSOLE_2020.exec(rest);
	if (m) {
		return {
			format: 'azcmagent-console',
			level: toLevel(m[1]),
			levelSpan: { line, start: off, end: off + m[1].length },
			time: { text: m[2], relative: Number(m[2]), span: { line, start: off + m[1].length, end: off + m[1].length + m[2].length + 2 } },
			...splitConsoleFields(text, off + m[0].length, line),
		};
	}
	m = CONSOLE_2023.exec(rest);
	if (m) {
		const ls = off + m[1].length;
		return { format: 'azcmagent-console', level: toLevel(m[2]), levelSpan: { line, start: ls, end: ls + m[2].length }, ...splitConsoleFields(text, off + m[0].length, line) };
	}
	if (PROGRESS.test(rest)) return { format: 'azcmagent-console', role: 'progress', message: rest.trim(), messageSpan: { line, start: off, end: text.length }, fields: [] };
	if (off) return undefined;
	const s = SHOW.exec(text);
	if (!s) return undefined;
	const keyStart = s[1].length;
	const valueStart = text.length - s[3].length;
	const key = s[2].trim();
	return {
		format: 'azcmagent-console',
		role: 'show',
		message: text.slice(keyStart),
		messageSpan: { line, start: keyStart, end: text.length },
		fields: [{ key, value: s[3].trim(), keySpan: { line, start: keyStart, end: keyStart + key.length }, valueSpan: { line, start: valueStart, end: text.length } }],
	};
}

export const azcmagentConsole = defineFormat({
	id: 'azcmagent-console',
	language: 'azcmagent-log',
	label: 'azcmagent console output (2020–2025 generations, azcmagent show)',
	parse: parseConsole,
	weight: (h) => (h.role === 'progress' ? 0.5 : 1),
	// A ticket hard-wrapped a long error record: the rest of it lands on an unclaimed line.
	continues: (prev, _text, dominant) => dominant && levelRank(prev.level) >= 3 && prev.last.length >= 60 && prev.continued < 8,
	agentRuns: true,
	voice: { error: 'AGENT-ERROR' },
});
