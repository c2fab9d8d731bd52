// systemd as support bundles show it: `systemctl status` blocks (`× unit - description`, `Active: failed (Result:
// exit-code)`, `Process: ... (code=exited, status=3)`), systemd's own journal lines (`systemd[1]: x.service: Failed
// with result 'exit-code'.`, `Failed to start ...`) and `warning: the following units failed: ...`.
import { defineFormat, MONTHS, zonelessMs, type FormatEvent, type FormatScanner, type Head } from './common';

const UNIT = String.raw`[\w@.\\:-]{1,200}\.(?:service|socket|target|mount|timer|path|scope|slice|swap|automount|device)`;
const BLOCK_HEAD = new RegExp(String.raw`^\s{0,4}[●×*○↻] (${UNIT})(?: - (.*))?$`);
const PROPERTY = /^\s{1,16}(Loaded|Active|Process|Main PID|Invocation|Tasks|Memory|Mem peak|CPU|CGroup|IP|Docs|TriggeredBy|Triggers|Status|Drop-In|Condition|Warning|Notice):\s/;
const UNITS_FAILED = /^(?:warning: )?the following units failed: (.{1,2000})$/i;
const JOURNAL = /^(?:([A-Z][a-z]{2}) ([ \d]\d) (\d\d:\d\d:\d\d) (\S{1,100}) )?systemd(?:\[\d+\])?: /;
const JOURNAL_FAILED = new RegExp(String.raw`^(?:(?:Failed to start|Dependency failed for) (${UNIT}|.{1,200}?)(?:\.|$| - )|(${UNIT}): (?:Failed with result '([\w-]{1,40})'|Main process exited, code=(?:exited|killed|dumped), status=(?!0/)))`);
/** systemd's console status lines: `[FAILED] Failed to start X.`, `[DEPEND] Dependency failed for X.` */
const CONSOLE_FAILED = /^\[(?:FAILED|DEPEND)\] /;

function parseSystemd(text: string, off: number, line: number): Head | undefined {
	const rest = off ? text.slice(off) : text;
	let m = BLOCK_HEAD.exec(rest);
	if (m) {
		const start = off + rest.indexOf(m[1]);
		return { format: 'systemd', message: rest.trim(), messageSpan: { line, start, end: text.length }, source: m[1], fields: [] };
	}
	m = UNITS_FAILED.exec(rest);
	if (m) return { format: 'systemd', level: 'error', message: rest, messageSpan: { line, start: off, end: text.length }, fields: [] };
	if (CONSOLE_FAILED.test(rest)) {
		const start = off + rest.indexOf(']') + 2;
		const msg = text.slice(start);
		return { format: 'systemd', level: JOURNAL_FAILED.test(msg) ? 'error' : undefined, message: msg, messageSpan: { line, start, end: text.length }, source: 'systemd', fields: [] };
	}
	m = JOURNAL.exec(rest);
	if (m) {
		const month = m[1] ? MONTHS[m[1].toLowerCase()] : undefined;
		const tText = `${m[1]} ${m[2]} ${m[3]}`;
		const start = off + m[0].length;
		const msg = text.slice(start);
		return {
			format: 'systemd',
			...(m[1] ? { time: { text: tText, ms: month === undefined ? undefined : zonelessMs(`2000-${String(month + 1).padStart(2, '0')}-${m[2].trim().padStart(2, '0')}`, m[3]), span: { line, start: off, end: off + tText.length } } } : {}),
			level: JOURNAL_FAILED.test(msg) ? 'error' : undefined,
			message: msg,
			messageSpan: { line, start, end: text.length },
			source: 'systemd',
			fields: [],
		};
	}
	return undefined;
}

interface Block {
	unit: string;
	head: number;
	active?: { line: number; start: number; end: number; result: string };
	processes: number[];
}

class SystemdScanner implements FormatScanner {
	private block: Block | undefined;
	/** `the following units failed:` lines, by unit. */
	private listed = new Map<string, number>();
	private shown = new Set<string>();
	/** The unit a journal line last reported failed. */
	private lastFailed: { unit: string; line: number } | undefined;

	line(text: string, line: number, head: Head | undefined, emit: (e: FormatEvent) => void): void {
		const b = head?.format === 'systemd' ? BLOCK_HEAD.exec(text) : null;
		if (b) {
			this.close(emit);
			this.block = { unit: b[1], head: line, processes: [] };
			return;
		}
		const l = head?.format === 'systemd' ? UNITS_FAILED.exec(text) : null;
		if (l) {
			for (const u of l[1].split(/[,\s]+/)) if (u) this.listed.set(u, line);
			return;
		}
		if (head?.format === 'systemd' && head.level === 'error') {
			const j = JOURNAL_FAILED.exec(head.message);
			let unit = (j?.[2] ?? j?.[1] ?? '').trim();
			// `Failed to start <description>.` names the unit that just failed by its description: the same failure.
			if (!j?.[2] && !new RegExp(`^${UNIT}$`).test(unit) && this.lastFailed && line - this.lastFailed.line <= 5) unit = this.lastFailed.unit;
			else if (j?.[2]) this.lastFailed = { unit, line };
			const start = head.messageSpan!.start;
			emit({ id: 'SYSTEMD-UNIT-FAILED', line, start, end: text.length, captures: { unit, text: head.message, ...(j?.[3] ? { result: j[3] } : {}) } });
			return;
		}
		const block = this.block;
		if (!block) return;
		const p = PROPERTY.exec(text);
		if (!p) {
			if (!text.trim() || head) this.close(emit);
			return;
		}
		if (p[1] === 'Active') {
			const f = /\bfailed \(Result: ([\w-]{1,40})\)|\bfailed\b/.exec(text);
			if (f) block.active = { line, start: f.index, end: f.index + f[0].length, result: f[1] ?? 'failed' };
		} else if ((p[1] === 'Process' || p[1] === 'Main PID') && /\(code=(?:exited|killed|dumped), status=(?!0[/)])\d/.test(text)) block.processes.push(line);
	}

	private close(emit: (e: FormatEvent) => void): void {
		const b = this.block;
		this.block = undefined;
		if (!b) return;
		this.shown.add(b.unit);
		if (!b.active) return;
		const listed = this.listed.get(b.unit);
		emit({
			id: 'SYSTEMD-UNIT-FAILED',
			line: b.active.line,
			start: b.active.start,
			end: b.active.end,
			captures: { unit: b.unit, result: b.active.result, text: `${b.unit}: ${b.active.result}` },
			relatedLines: [b.head, ...b.processes, ...(listed !== undefined ? [listed] : [])],
		});
	}

	flush(emit: (e: FormatEvent) => void): void {
		this.close(emit);
		for (const [unit, line] of this.listed) if (!this.shown.has(unit)) emit({ id: 'SYSTEMD-UNIT-FAILED', line, start: 0, end: 0, captures: { unit, text: `${unit}` } });
		this.listed.clear();
		this.shown.clear();
	}
}

export const systemd = defineFormat({
	id: 'systemd',
	language: 'cloud-init-log',
	label: 'systemctl status blocks and systemd journal lines',
	parse: parseSystemd,
	// A journal line with its date counts fully; `systemd[1]:` behind a serial console prefix is one voice among many.
	weight: (h) => (h.time || h.source !== 'systemd' ? 1 : 0.3),
	continues: (prev, text) => PROPERTY.test(text) || (prev.continued > 0 && /^\s{4,}\S/.test(text)),
	scanner: () => new SystemdScanner(),
});
