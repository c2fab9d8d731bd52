// Guest Configuration logs (gc_agent.log, gc_ext.log, gc_worker.log): `[ts] [PID n] [TID n] [component] [LEVEL] [id] text`,
// wrapped in `<GCLOG>...</GCLOG>` on Windows.
import { defineFormat, toLevel, zonelessMs, type Head } from './common';

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

export const guestConfig = defineFormat({
	id: 'gc-log',
	language: 'azcmagent-log',
	label: 'Guest Configuration (gc_agent.log, gc_ext.log, gc_worker.log)',
	fileNames: [/^gc_(?:agent|ext|worker)[^/\\]*$/i],
	parse: parseGc,
	continues: (_prev, _text, dominant) => dominant,
	voice: { error: 'GC-ERROR', warning: 'GC-WARNING' },
});
