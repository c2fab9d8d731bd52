// The Group Policy onboarding log (`AzureArcDeploy-<computer>.log`): `[yyyy-mm-dd][hh:mm:ss] LEVEL text`.
import { defineFormat, toLevel, zonelessMs, type Head } from './common';

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
		level: toLevel(m[3]),
		levelSpan: { line, start: lvlStart, end: lvlStart + m[3].length },
		message: text.slice(start),
		messageSpan: { line, start, end: text.length },
		fields: [],
	};
}

export const gpo = defineFormat({
	id: 'gpo-log',
	language: 'azcmagent-log',
	label: 'Group Policy onboarding log (AzureArcDeploy-<computer>.log)',
	parse: parseGpo,
	agentRuns: true,
	voice: { error: 'GPO-ERROR' },
});
