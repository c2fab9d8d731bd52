// PowerShell as onboarding scripts leave it: transcripts (`Windows PowerShell transcript start` header) and error
// records in both shapes. Windows PowerShell 5: `Cmdlet-Name : message` wrapped over lines, then `At C:\x.ps1:12 char:5`,
// `+ CategoryInfo ...`, `+ FullyQualifiedErrorId ...`. PowerShell 7: `Cmdlet_Name: C:\x.ps1:261`, `Line |`, the source
// line, `~~~~` and `| message`. The message is the finding; the rest is its record.
import { defineFormat, type FormatEvent, type FormatScanner, type Head } from './common';

/** PowerShell 7: `Get-AzConnectedMachine_Get: C:\ArcBox\x.ps1:261`, `ParentContainsErrorRecordException: <path>:699`. */
const PS7_HEAD = /^([A-Za-z][\w.-]{1,100}): (\S.{0,500}?\.ps[dm]?1):(\d{1,7})\s*$/;
const PS7_CONT = /^\s{0,12}(?:Line \||\d{1,7} \||\|)/;
/** Windows PowerShell 5: `Copy-VMFile : message`, `C:\x\onboard.ps1 : message` (Write-Error from a script). */
const PS5_HEAD = /^([A-Z][A-Za-z]{1,40}-[A-Za-z][\w]{1,80}|[A-Za-z]:\\[^:*?"<>|]{1,300}\.ps[dm]?1) : (\S.*)$/;
const PS5_POSITION = /^(?:At (?:line:\d|[A-Za-z]:\\|\S{1,300}:\d{1,7} char:\d)|\+ (?:CategoryInfo|FullyQualifiedErrorId)\s{0,30}:|\+ {1,40}[~ ]{0,400}~|\+ \S)/;
const HEADER = /^(?:\*{10,}|(?:Windows )?PowerShell transcript (?:start|end)|(?:Start|End) time: \d{14}|(?:Username|RunAs User|Configuration Name|Machine|Host Application|Process ID|PSVersion|PSEdition|PSCompatibleVersions|BuildVersion|CLRVersion|WSManStackVersion|PSRemotingProtocolVersion|SerializationVersion|OS): |Transcript started, output file is )/;
const STREAM = /^(VERBOSE|WARNING|DEBUG): /;

function parsePowerShell(text: string, off: number, line: number): Head | undefined {
	if (off) return undefined;
	let m = PS7_HEAD.exec(text);
	if (m) return { format: 'powershell', level: 'error', source: m[1], message: text, messageSpan: { line, start: 0, end: text.length }, fields: [] };
	m = PS5_HEAD.exec(text);
	if (m) {
		const start = m[1].length + 3;
		return { format: 'powershell', level: 'error', source: m[1], message: m[2], messageSpan: { line, start, end: text.length }, fields: [] };
	}
	if (HEADER.test(text)) return { format: 'powershell', role: 'header', message: text, messageSpan: { line, start: 0, end: text.length }, fields: [] };
	m = STREAM.exec(text);
	if (m) {
		const start = m[0].length;
		return { format: 'powershell', level: m[1] === 'WARNING' ? 'warning' : 'debug', levelSpan: { line, start: 0, end: m[1].length }, message: text.slice(start), messageSpan: { line, start, end: text.length }, fields: [] };
	}
	return undefined;
}

interface ErrorRecord {
	readonly shape: 5 | 7;
	readonly head: number;
	/** Message lines: [line, start, end]. */
	readonly message: [number, number, number][];
	readonly position: number[];
	tilde: boolean;
	text: string;
}

class PowerShellScanner implements FormatScanner {
	private rec: ErrorRecord | undefined;

	line(text: string, line: number, head: Head | undefined, emit: (e: FormatEvent) => void): void {
		const r = this.rec;
		if (head?.format === 'powershell' && head.level === 'error') {
			this.flush(emit);
			const ps7 = PS7_HEAD.test(text);
			this.rec = { shape: ps7 ? 7 : 5, head: line, message: ps7 ? [] : [[line, head.messageSpan!.start, text.length]], position: [], tilde: false, text: ps7 ? '' : head.message };
			return;
		}
		if (!r) return;
		if (head) return this.flush(emit);
		if (r.shape === 7) {
			if (!PS7_CONT.test(text)) return this.flush(emit);
			const bar = text.indexOf('|');
			const body = text.slice(bar + 1).trim();
			if (/^~+$/.test(body)) r.tilde = true;
			else if (r.tilde || (!/^\s*(?:Line|\d+) \|/.test(text) && body)) {
				if (!body) return;
				const start = text.indexOf(body, bar);
				r.message.push([line, start, text.length]);
				r.text += (r.text ? ' ' : '') + body;
			}
			return;
		}
		// Windows PowerShell 5: wrapped message lines, then the position and category lines.
		if (!text.trim()) return this.flush(emit);
		if (PS5_POSITION.test(text.trim())) {
			r.position.push(line);
			if (/^\+ FullyQualifiedErrorId/.test(text.trim())) this.flush(emit);
			return;
		}
		if (r.position.length || r.message.length >= 12) return this.flush(emit);
		const start = text.length - text.trimStart().length;
		r.message.push([line, start, text.length]);
		r.text += ' ' + text.trim();
	}

	flush(emit: (e: FormatEvent) => void): void {
		const r = this.rec;
		this.rec = undefined;
		if (!r) return;
		const first = r.message[0];
		const last = r.message[r.message.length - 1];
		if (!first) {
			emit({ id: 'PS-ERROR', line: r.head, start: 0, end: 0, captures: { text: r.text || 'error record', shape: String(r.shape) }, relatedLines: r.position });
			return;
		}
		emit({
			id: 'PS-ERROR',
			line: first[0],
			start: first[1],
			end: last[2],
			endLine: last[0],
			captures: { text: r.text.trim(), shape: String(r.shape) },
			relatedLines: [...(r.head !== first[0] ? [r.head] : []), ...r.position],
		});
	}
}

export const powershell = defineFormat({
	id: 'powershell',
	language: 'azcmagent-log',
	label: 'PowerShell transcripts and error records (Windows PowerShell 5, PowerShell 7)',
	fileNames: [/^PowerShell_transcript\.[^/\\]*\.txt$/i],
	parse: parsePowerShell,
	// An error record's head is distinctive (a PowerShell 7 `Cmdlet: path.ps1:line` most of all); transcript headers less.
	weight: (h) => (h.role === 'header' ? 0.2 : h.level === 'error' ? (h.message.endsWith(`:${/\d+$/.exec(h.message)?.[0]}`) ? 3 : 2) : 1),
	continues: (prev, text) => {
		if (PS7_HEAD.test(prev.head)) return PS7_CONT.test(text);
		if (PS5_HEAD.test(prev.head)) return text.trim() !== '' && prev.continued < 16;
		return false;
	},
	scanner: () => new PowerShellScanner(),
});
