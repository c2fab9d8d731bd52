// waagent.log, the Azure Linux VM agent (WALinuxAgent): `2018/01/30 06:44:29.056788 ERROR Event: name=..., op=...`;
// agents before 2.2 print `2015/09/13 14:44:03 <text>` with no level; 2.2.40+ print ISO times with a thread name
// (`2021-03-03T12:33:14.123456Z INFO ExtHandler ExtHandler <text>`).
import { defineFormat, timedHead, zonelessMs, type Head } from './common';

const SLASHED = /^(\d{4}\/\d\d\/\d\d) (\d\d:\d\d:\d\d)(?:\.(\d{1,6}))? (?:(INFO|WARNING|WARN|ERROR|VERBOSE) )?/;
const ISO = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)(?:\.(\d{1,6}))?Z (INFO|WARNING|WARN|ERROR|VERBOSE) /;

function parseWaagent(text: string, off: number, line: number): Head | undefined {
	const rest = off ? text.slice(off) : text;
	const m = SLASHED.exec(rest) ?? ISO.exec(rest);
	if (!m) return undefined;
	const tText = rest.slice(0, m[1].length + 1 + m[2].length + (m[3] ? m[3].length + 1 : 0));
	return timedHead('waagent-log', text, line, {
		time: { text: tText, start: off, ms: zonelessMs(m[1], m[2], m[3]) },
		level: m[4] ? { word: m[4], start: off + tText.length + 1 } : undefined,
		messageStart: off + m[0].length,
	});
}

export const waagent = defineFormat({
	id: 'waagent-log',
	language: 'azcmagent-log',
	label: 'waagent.log (Azure Linux VM agent)',
	fileNames: [/^waagent[^/\\]*\.log[^/\\]*$/i],
	parse: parseWaagent,
	// Tracebacks and wrapped text continue a record; the next timestamp starts one.
	continues: (_prev, _text, dominant) => dominant,
	voice: { error: 'WAAGENT-ERROR', warning: 'WAAGENT-WARNING' },
});
