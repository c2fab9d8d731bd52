// The Group Policy onboarding log (`AzureArcDeploy-<computer>.log`): `[yyyy-mm-dd][hh:mm:ss] LEVEL text`.
import { defineFormat, timedHead, zonelessMs, type Head } from './common';

const GPO = /^\[(\d{4}-\d\d-\d\d)\]\[(\d\d:\d\d:\d\d)\] (INFO|WARNING|WARN|ERROR|DEBUG|VERBOSE|FATAL)\b:? ?/;

function parseGpo(text: string, off: number, line: number): Head | undefined {
	const rest = off ? text.slice(off) : text;
	const m = GPO.exec(rest);
	if (!m) return undefined;
	const lvlStart = off + m[1].length + m[2].length + 5;
	return timedHead('gpo-log', text, line, {
		time: { text: `${m[1]} ${m[2]}`, start: off, end: off + m[1].length + m[2].length + 4, ms: zonelessMs(m[1], m[2]) },
		level: { word: m[3], start: lvlStart },
		messageStart: off + m[0].length,
	});
}

export const gpo = defineFormat({
	id: 'gpo-log',
	language: 'azcmagent-log',
	label: 'Group Policy onboarding log (AzureArcDeploy-<computer>.log)',
	parse: parseGpo,
	agentRuns: true,
	voice: { error: 'GPO-ERROR' },
});
