// Python `logging` output of provisioning tools that run beside cloud-init (cfn-init, cloud provisioners, Puppet or
// Ansible wrappers): `2023-10-11 18:41:33,251 [ERROR] msg` and `16-09-28 10:50:09 name.sub LEVEL: msg`. Their messages
// often carry the output of the commands they ran.
import { defineFormat, timedHead, zonelessMs, type Head } from './common';

const BRACKETED = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)(?:,(\d{1,6}))? \[(DEBUG|INFO|WARNING|WARN|ERROR|CRITICAL)\] ?/;
const NAMED = /^(\d\d(?:\d\d)?-\d\d-\d\d) (\d\d:\d\d:\d\d)(?:,(\d{1,6}))? ([\w.-]{1,80}) (DEBUG|INFO|WARNING|WARN|ERROR|CRITICAL): ?/;

function parsePythonLog(text: string, off: number, line: number): Head | undefined {
	const rest = off ? text.slice(off) : text;
	const b = BRACKETED.exec(rest);
	const n = b ? null : NAMED.exec(rest);
	const m = b ?? n;
	if (!m) return undefined;
	const lvl = b ? b[4] : n![5];
	const date = m[1].length === 8 ? `20${m[1]}` : m[1];
	const tText = rest.slice(0, m[1].length + 1 + m[2].length + (m[3] ? m[3].length + 1 : 0));
	return timedHead('python-log', text, line, {
		time: { text: tText, start: off, ms: zonelessMs(date, m[2], m[3]) },
		level: { word: lvl, start: off + m[0].lastIndexOf(lvl) },
		messageStart: off + m[0].length,
		source: n ? n[4] : undefined,
	});
}

export const pythonLog = defineFormat({
	id: 'python-log',
	language: 'cloud-init-log',
	label: 'Python logging of provisioning tools (cfn-init, cloud provisioners)',
	fileNames: [/^cfn-(?:init|init-cmd|wire)[^/\\]*\.log[^/\\]*$/i],
	parse: parsePythonLog,
	continues: (_prev, text, dominant) => dominant || /^\s/.test(text),
	carriesOutput: true,
	tracebacks: true,
	voice: { error: 'LOG-ERROR', warning: 'LOG-WARNING' },
});
