// cloud-init's two logs: cloud-init.log (`time - module.py[LEVEL]: msg`, and its syslog/journald forms) and
// cloud-init-output.log (stage banners, `finished at` lines, ci-info tables, script output).
import { defineFormat, MONTHS, parseMs, timedHead, zonelessMs, type Head } from './common';

const CI_STD = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)(?:,(\d{1,6}))? - ([\w.-]{1,80})\[(DEBUG|INFO|WARNING|WARN|ERROR|CRITICAL)\]: ?/;
const CI_SYSLOG = /^([A-Z][a-z]{2}) ([ \d]\d) (\d\d:\d\d:\d\d) (?:(\S{1,100}) )?(?:cloud-init\[\d+\]:|\[CLOUDINIT\]|cloud-init:) ([\w.-]{1,80})\[(DEBUG|INFO|WARNING|WARN|ERROR|CRITICAL)\]: ?/;

function parseCloudInitLog(text: string, off: number, line: number): Head | undefined {
	const rest = off ? text.slice(off) : text;
	let m = CI_STD.exec(rest);
	if (m) {
		const tText = `${m[1]} ${m[2]}${m[3] ? ',' + m[3] : ''}`;
		const lvlStart = off + m[0].lastIndexOf('[') + 1;
		const start = off + m[0].length;
		return timedHead('cloud-init-log', text, line, { time: { text: tText, start: off, ms: zonelessMs(m[1], m[2], m[3]) }, level: { word: m[5], start: lvlStart }, messageStart: start, source: m[4] });
	}
	m = CI_SYSLOG.exec(rest);
	if (m) {
		const month = MONTHS[m[1].toLowerCase()];
		const tText = `${m[1]} ${m[2]} ${m[3]}`;
		// A syslog stamp has no year; 2000 (a leap year) is assumed: only differences between records are used.
		const ms = month === undefined ? undefined : zonelessMs(`2000-${String(month + 1).padStart(2, '0')}-${m[2].trim().padStart(2, '0')}`, m[3]);
		const lvlStart = off + m[0].lastIndexOf('[') + 1;
		const start = off + m[0].length;
		return timedHead('cloud-init-log', text, line, { time: { text: tText, start: off, ms }, level: { word: m[6], start: lvlStart }, messageStart: start, source: m[5] });
	}
	return undefined;
}

/** Continuation lines of a cloud-init.log record outside its own file: the subp block and indented lines. */
const CI_BLOCK = /^(?:Command|Exit code|Reason|Stdout|Stderr):|^\s/;

export const cloudInitLog = defineFormat({
	id: 'cloud-init-log',
	language: 'cloud-init-log',
	label: 'cloud-init.log (and its syslog / journald forms)',
	fileNames: [/^cloud-init(?!-output)[^/\\]*\.log[^/\\]*$/i],
	parse: parseCloudInitLog,
	continues: (_prev, text, dominant) => dominant || CI_BLOCK.test(text),
	cloudInit: true,
	voice: { error: 'CI-ERROR', warning: 'CI-WARNING' },
	tracebacks: true,
});

export const BANNER = /^Cloud-init v\. (\S{1,60}) running '([\w:-]{1,40})' at ([^.]{1,80})\. Up ([\d.]{1,20}) seconds/;
export const FINISHED = /^Cloud-init v\. (\S{1,60}) finished at ([^.]{1,80})\. Datasource (.{0,300}?)\. {1,4}Up ([\d.]{1,20}) seconds/;

function parseCloudInitOutput(text: string, off: number, line: number): Head | undefined {
	const rest = off ? text.slice(off) : text;
	if (rest.charCodeAt(0) === 67 /* C */) {
		let m = BANNER.exec(rest);
		if (m) return { format: 'cloud-init-output', role: 'banner', name: m[2], time: { text: m[3], ms: parseMs(m[3]), span: { line, start: off + rest.indexOf(m[3]), end: off + rest.indexOf(m[3]) + m[3].length } }, level: 'info', message: rest, messageSpan: { line, start: off, end: text.length }, fields: [] };
		m = FINISHED.exec(rest);
		if (m) return { format: 'cloud-init-output', role: 'finished', time: { text: m[2], ms: parseMs(m[2]), span: { line, start: off + rest.indexOf(m[2]), end: off + rest.indexOf(m[2]) + m[2].length } }, level: 'info', message: rest, messageSpan: { line, start: off, end: text.length }, fields: [] };
	}
	if (rest.startsWith('ci-info: ')) return { format: 'cloud-init-output', role: 'ci-info', message: rest, messageSpan: { line, start: off, end: text.length }, fields: [] };
	return undefined;
}

export const cloudInitOutput = defineFormat({
	id: 'cloud-init-output',
	language: 'cloud-init-log',
	label: 'cloud-init-output.log (stages, ci-info, script output)',
	fileNames: [/^cloud-init-output[^/\\]*$/i],
	parse: parseCloudInitOutput,
	cloudInit: true,
});
