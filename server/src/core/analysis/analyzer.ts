// The streaming pass: lines in, records + structure + candidate events out. Lines are pushed one at a time (from a
// document or from a file read in chunks), so the CLI can analyze files larger than it could hold as one string.
// Detection needs the first lines: they are buffered until DETECT_LINES non-empty lines were seen.
import type { Analysis, AnalyzeOptions, FormatId, Level, LogRecord } from '../model';
import type { KnownMatch } from '../knowledge';
import { matchKnownStrings } from '../knowledge';
import { DETECT_LINES, detectFormat } from '../formats/detect';
import { BANNER, FINISHED, levelRank as rank, parseArmError, parseLine, type Head } from '../formats/parse';
import { RUN_COMMAND, RUN_FAILED, RUN_ONBOARDING, RUN_SUCCESS, StructureBuilder } from './structure';
import { isBenign } from './benign';
import { resolveFindings, type Candidate } from './resolve';

/** Continuation lines one record may absorb before the next line starts a record of its own. */
const MAX_CONTINUATION = 2000;
/** Matchers see at most this many characters of a line (a 1 MB record is matched on its first 256 KiB). */
export const DEFAULT_MAX_LINE_SCAN = 256 * 1024;
/** Custom patterns get this many characters of a line, and this much time per document (milliseconds). */
const CUSTOM_LINE_CAP = 4096;
const CUSTOM_BUDGET_MS = 250;

/** A record while it is being read: its end and message grow with its continuation lines. */
interface MutableRecord extends Omit<LogRecord, 'endLine' | 'message'> {
	endLine: number;
	message: string;
	/** Internal: how this record may continue. */
	open?: 'traceback' | 'traceback-end' | 'block';
	continued: number;
	/** Internal: the record's last physical line (for matches that a hard wrap split across two lines). */
	last: string;
}

const AZCM = /\bAZCM(\d{4})\b/g;
const EXIT_CODE_BEFORE = /(?:Exit Code|Error Code|exit code|error code)\s{0,4}:?\s{0,4}$/;
const TITLE_AFTER = /^:\s{0,4}([^"\n\\]{1,160})/;
const EXIT_WRAPPER = /(?:\bexitcode|\bexit code|\bexit status|\bexited with(?: code| status)?|\breturn(?:ed)? code)\s{0,4}[:=]?\s{0,4}(\d{1,3})\b/i;
/** cloud-init's `Failed running /var/lib/cloud/instance/scripts/<name> [<exit status>]`. */
const SCRIPT_FAILED = /Failed running (\S{1,400}\/scripts\/(?:per-\w+\/)?([^\s/]{1,200})) \[(\d{1,3})\]/;
const PLAIN_LEVEL = /^\s{0,4}(ERROR|FATAL|CRITICAL|WARNING|WARN|E|W):\s/;

export class Analyzer {
	private readonly options: AnalyzeOptions;
	private format: FormatId | undefined;
	private pending: string[] = [];
	private nonEmpty = 0;
	private line = 0;
	private readonly records: MutableRecord[] = [];
	private readonly structure = new StructureBuilder();
	private readonly candidates: Candidate[] = [];
	private readonly formats = new Set<FormatId>();
	private readonly maxScan: number;
	private customSpent = 0;
	private customExhausted = false;
	/** The last xtrace (`+ cmd`) line and command per open stage or document. */
	private lastXtrace: { line: number; command: string; azcmagent?: string } | undefined;
	/** The very last xtrace line, `exit 1` included: a script's status is azcmagent's only if azcmagent ran last. */
	private lastXtraceAny: { line: number; command: string; azcmagent?: string } | undefined;
	/** The last line that looked like an error from a script (ERROR:, curl: (n), E: ...). */
	private lastErrorOutput: number | undefined;

	constructor(options: AnalyzeOptions = {}) {
		this.options = options;
		this.maxScan = options.maxLineScan ?? DEFAULT_MAX_LINE_SCAN;
	}

	push(text: string): void {
		if (this.format === undefined) {
			this.pending.push(text);
			if (text.trim() && ++this.nonEmpty >= DETECT_LINES) this.detect();
			return;
		}
		this.process(text);
	}

	private detect(): void {
		this.format = detectFormat(this.pending, this.options.fileName);
		const pending = this.pending;
		this.pending = [];
		for (const text of pending) this.process(text);
	}

	finish(): Analysis {
		if (this.format === undefined) this.detect();
		const lineCount = this.line;
		const sections = this.structure.finish();
		const records = this.records.map(({ open: _o, continued: _c, ...r }) => r as LogRecord);
		const findings = resolveFindings({
			records,
			sections,
			candidates: this.candidates,
			locale: this.options.locale ?? 'en',
			format: this.format ?? 'plain',
		});
		return {
			format: this.format ?? 'plain',
			formats: [...this.formats].sort(),
			lineCount,
			records,
			sections,
			findings,
			locale: this.options.locale ?? 'en',
		};
	}

	private process(text: string): void {
		const lineNo = this.line++;
		// Parsing looks at a bounded prefix of monster lines; the record still spans the whole line.
		const scan = text.length > this.maxScan ? text.slice(0, this.maxScan) : text;
		const { head } = parseLine(scan, lineNo);
		const prev = this.records[this.records.length - 1];
		// In cloud-init.log a traceback belongs to the record above it (its continuation), not to a record of its own.
		const tracebackOfRecord = head?.role === 'traceback' && prev?.format === 'cloud-init-log' && this.format === 'cloud-init-log';
		if ((!head || tracebackOfRecord) && prev && (tracebackOfRecord || this.continues(prev, scan))) {
			prev.endLine = lineNo;
			prev.continued++;
			if (prev.message.length < 65536) prev.message += '\n' + scan;
			this.structure.touch(lineNo);
			this.scanLine(scan, lineNo, this.records.length - 1, prev);
			this.scanSeam(prev.last, scan, lineNo, this.records.length - 1, prev);
			prev.last = scan;
			return;
		}
		const rec = this.newRecord(head ?? this.plainHead(scan, lineNo), lineNo);
		rec.last = scan;
		this.records.push(rec);
		this.formats.add(rec.format);
		this.onRecord(rec, head, scan, lineNo);
		this.structure.touch(lineNo);
		// A command being run (`+ echo 'ERROR: ...'`, a prompt line) is not its output: nothing to flag there.
		if (head?.role === 'xtrace' || head?.role === 'prompt') return;
		this.scanLine(scan, lineNo, this.records.length - 1, rec);
	}

	/** A line no format claims: script output, a pasted sentence; `ERROR:` / `E:` prefixes still give it a level. */
	private plainHead(text: string, line: number): Head {
		const m = PLAIN_LEVEL.exec(text);
		const level: Level | undefined = m ? (m[1][0] === 'E' || m[1] === 'CRITICAL' ? 'error' : m[1][0] === 'F' ? 'fatal' : 'warning') : undefined;
		const indent = m ? m[0].length - m[0].trimStart().length : 0;
		return {
			format: 'plain',
			level,
			levelSpan: m ? { line, start: indent, end: indent + m[1].length } : undefined,
			message: text,
			messageSpan: { line, start: 0, end: text.length },
			fields: [],
		};
	}

	private newRecord(head: Head, line: number): MutableRecord {
		return {
			format: head.format,
			startLine: line,
			endLine: line,
			time: head.time,
			level: head.level,
			levelSpan: head.levelSpan,
			message: head.message,
			messageSpan: head.messageSpan,
			fields: head.fields,
			source: head.source,
			open: head.role === 'traceback' ? 'traceback' : undefined,
			continued: 0,
			last: '',
		};
	}

	/** Whether an unclaimed line continues the previous record. */
	private continues(prev: MutableRecord, text: string): boolean {
		if (prev.continued >= MAX_CONTINUATION || !text.trim()) return false;
		if (prev.open === 'traceback') {
			// Indented frames continue; the first unindented line is the exception and ends the traceback.
			if (!/^\s/.test(text)) prev.open = 'traceback-end';
			return true;
		}
		if (prev.open === 'traceback-end') return false;
		switch (this.format) {
			case 'azcmagent-log':
			case 'cloud-init-log':
			case 'gc-log':
				return prev.format === this.format;
			case 'msi-log':
				return /^(?:\s|At [A-Za-z]:\\|\+ )/.test(text);
			case 'azcmagent-console':
				// A ticket hard-wrapped a long error record: the rest of it lands on an unclaimed line.
				if (prev.format === 'azcmagent-console' && rank(prev.level) >= 3 && prev.last.length >= 60 && prev.continued < 8) return true;
				return prev.format === 'azcmagent-log' && prev.open === 'block';
			default:
				// Elsewhere only a hard-wrapped logrus record (its msg quote still open) or a cloud-init.log
				// record's continuation block (Command:/Exit code:/Reason:/Stdout:/Stderr:) continue.
				return (prev.format === 'azcmagent-log' && prev.open === 'block') || (prev.format === 'cloud-init-log' && /^(?:Command|Exit code|Reason|Stdout|Stderr):|^\s/.test(text));
		}
	}

	private onRecord(rec: MutableRecord, head: Head | undefined, text: string, line: number): void {
		const s = this.structure;
		const msg = rec.message;
		const time = rec.time ? { text: rec.time.text, ms: rec.time.ms } : undefined;
		// A logrus record hard-wrapped by a ticket: its msg quote is still open at the end of the line.
		if (rec.format === 'azcmagent-log' && rec.messageSpan && text[rec.messageSpan.start] === '"' && !/[^\\]"/.test(text.slice(rec.messageSpan.start + 1, rec.messageSpan.end))) rec.open = 'block';

		// cloud-init boots and stages (banners print in both cloud-init-output.log and cloud-init.log messages)
		const banner = head?.role === 'banner' ? head.name : rec.format === 'cloud-init-log' ? BANNER.exec(msg)?.[2] : undefined;
		if (banner) {
			s.stageBanner(banner, line, time);
			this.lastXtrace = this.lastXtraceAny = undefined;
			this.lastErrorOutput = undefined;
			return;
		}
		if (head?.role === 'finished' || (rec.format === 'cloud-init-log' && FINISHED.test(msg))) {
			s.bootFinished(line);
			return;
		}

		// azcmagent runs
		if (head?.role === 'xtrace') {
			// The failing command is the last real one: not the `echo`/`exit 1` a script prints on its way out.
			this.lastXtraceAny = { line, command: head.message, azcmagent: head.name };
			if (!/^(?:exit|echo|printf|set|true|false|return|logger|:)(?:\s|$)/.test(head.message)) this.lastXtrace = this.lastXtraceAny;
			if (head.name) s.startRun(head.name, line, time);
			return;
		}
		if (head?.role === 'prompt') {
			if (head.name) s.startRun(head.name, line, time);
			return;
		}
		// Runs live in the agent's own formats, in Group Policy onboarding logs and in pasted/wrapper text.
		const agent = rec.format === 'azcmagent-log' || rec.format === 'azcmagent-console';
		if (agent || rec.format === 'gpo-log') {
			const cmd = RUN_COMMAND.exec(msg);
			const run = s.current.run;
			if (cmd && (!run || run.startLine < line)) {
				if (run && run.name === 'azcmagent' && !s.isRunClosing && run.outcome === 'unknown') s.nameRun(cmd[1].toLowerCase());
				else s.startRun(cmd[1].toLowerCase(), line, time);
			} else if (RUN_ONBOARDING.test(msg) && (!run || s.isRunClosing || run.outcome !== 'unknown' || rec.format === 'gpo-log')) s.startRun('connect', line, time);
			else if (s.isRunClosing && !this.belongsToClosingRun(rec)) s.closeRun(line - 1);
		}
		if (/^(?:ERROR|error):|^curl: \(\d+\)|^E: |^(?:fatal|FATAL):/.test(msg)) this.lastErrorOutput = line;
		if (agent || rec.format === 'plain' || rec.format === 'gpo-log') {
			if (RUN_SUCCESS.test(msg)) {
				s.ensureRun(line, time);
				s.runOutcome('ok', undefined, false);
			}
			if (rec.level === 'fatal' || rec.level === 'panic' || RUN_FAILED.test(msg)) {
				s.ensureRun(line, time);
				s.runOutcome('failed', undefined, false);
			}
		}
	}

	/** After `Exit Code:`, the troubleshooting hint and the fatal cause printed in the same second still belong to the run. */
	private belongsToClosingRun(rec: MutableRecord): boolean {
		if (rec.level === 'fatal' || rec.level === 'panic' || rec.level === 'error') return true;
		if (/For troubleshooting, see|aka\.ms\/arc/i.test(rec.message)) return true;
		const exit = this.exitTime;
		return exit !== undefined && rec.time?.ms !== undefined && rec.time.ms - exit <= 2000;
	}

	/** When the run's `Exit Code:` record was logged (epoch ms), if it had an absolute time. */
	private exitTime: number | undefined;

	private add(c: Omit<Candidate, 'run' | 'stage' | 'boot' | 'level' | 'recordFormat' | 'attempt'>, rec: MutableRecord): void {
		const s = this.structure;
		const cur = s.current;
		this.candidates.push({ ...c, run: cur.run, stage: cur.stage, boot: cur.boot, level: rec.level, recordFormat: rec.format, attempt: s.attempt });
	}

	/** Find codes, known strings, ARM errors, exit codes and custom patterns on one physical line. */
	private scanLine(text: string, line: number, record: number, rec: MutableRecord): void {
		if (isBenign(text)) return;
		const s = this.structure;
		// AZCM codes
		if (text.indexOf('AZCM') >= 0) {
			AZCM.lastIndex = 0;
			let m: RegExpExecArray | null;
			while ((m = AZCM.exec(text))) {
				const code = m[0];
				if (code === 'AZCM0000') continue;
				const before = text.slice(Math.max(0, m.index - 24), m.index);
				const msgStart = rec.messageSpan && rec.messageSpan.line === line ? rec.messageSpan.start + (text[rec.messageSpan.start] === '"' ? 1 : 0) : 0;
				const exitContext = EXIT_CODE_BEFORE.test(before) || m.index === msgStart || /^\s*$/.test(text.slice(msgStart, m.index));
				const title = TITLE_AFTER.exec(text.slice(m.index + code.length))?.[1].trim();
				if (exitContext) {
					s.ensureRun(line, rec.time ? { text: rec.time.text, ms: rec.time.ms } : undefined);
					s.runOutcome('failed', code, /Exit Code/i.test(before));
					if (/Exit Code/i.test(before)) this.exitTime = rec.time?.ms;
				}
				this.add({ type: 'azcm', id: code, line, start: m.index, end: m.index + code.length, record, captures: title ? { code, title } : { code }, exitContext }, rec);
			}
		}
		// Known strings of the articles (connection errors, Operator Nexus, cloud-init signatures)
		const known = matchKnownStrings(text);
		for (const k of known) this.addKnown(k, text, line, record, rec);
		// ARM errors that no article documents (the message of a documented one was matched above)
		this.scanArm(line, record, rec, text, known);
		// azcmagent exit codes printed by wrappers (`... failed with error:  >> exitcode: 42`)
		if (rec.format !== 'cloud-init-log' && !/^\s*Exit code:/i.test(text)) {
			const e = EXIT_WRAPPER.exec(text);
			if (e && e[1] !== '0' && (/azcmagent/i.test(text) || this.format === 'azcmagent-console' || this.format === 'azcmagent-log')) {
				const start = e.index + e[0].length - e[1].length;
				this.add({ type: 'exit', id: `EXIT-${Number(e[1])}`, line, start, end: start + e[1].length, record, captures: { exitStatus: String(Number(e[1])) } }, rec);
			}
		}
		// cloud-init: a script's exit status is azcmagent's when the script's last command was azcmagent
		const x = this.lastXtraceAny;
		if (x?.azcmagent && text.indexOf('Failed running') >= 0) {
			const m = SCRIPT_FAILED.exec(text);
			if (m && m[3] !== '0') {
				const start = m.index + m[0].length - m[3].length - 1;
				this.add({ type: 'exit', id: `EXIT-${Number(m[3])}`, line, start, end: start + m[3].length, record, captures: { exitStatus: String(Number(m[3])), command: x.command }, relatedLines: [x.line] }, rec);
			}
		}
		// User-defined patterns, within a per-document time budget
		const custom = this.options.customPatterns;
		if (custom?.length && !this.customExhausted) {
			const t0 = Date.now();
			const slice = text.length > CUSTOM_LINE_CAP ? text.slice(0, CUSTOM_LINE_CAP) : text;
			for (const p of custom) {
				const m = p.regex.exec(slice);
				p.regex.lastIndex = 0;
				if (m && m[0].length > 0) this.add({ type: 'custom', id: p.id, line, start: m.index, end: m.index + m[0].length, record, captures: { text: m[0] }, custom: p }, rec);
			}
			this.customSpent += Date.now() - t0;
			if (this.customSpent > CUSTOM_BUDGET_MS) this.customExhausted = true;
		}
	}

	/** A known error that a hard wrap split across two lines: matched on the seam, flagged on the second line. */
	private scanSeam(prevLine: string, text: string, line: number, record: number, rec: MutableRecord): void {
		if (!prevLine) return;
		const tail = prevLine.length > 2048 ? prevLine.slice(-2048) : prevLine;
		const head = text.length > 2048 ? text.slice(0, 2048) : text;
		const joined = tail + ' ' + head;
		const seam = tail.length + 1;
		for (const k of matchKnownStrings(joined)) {
			if (k.index >= seam || k.index + k.length <= seam) continue;
			const end = k.index + k.length - seam;
			this.addKnown({ ...k, index: 0, length: end }, head, line, record, rec);
		}
	}

	private addKnown(k: KnownMatch, text: string, line: number, record: number, rec: MutableRecord): void {
		const captures: Record<string, string> = { ...k.captures, text: text.slice(k.index, k.index + Math.min(k.length, 300)) };
		if (k.entry.id === 'CI-SCRIPT-FAILED') {
			const m = SCRIPT_FAILED.exec(text);
			if (m) Object.assign(captures, { path: m[1], script: m[2], exitStatus: m[3] });
			if (this.lastXtrace) captures.command = this.lastXtrace.command;
		}
		const related: number[] = [];
		// For a script failure: [the failing command's line, the script's last error output line], -1 where unknown.
		if (k.entry.id === 'CI-SCRIPT-FAILED') related.push(this.lastXtrace?.line ?? -1, this.lastErrorOutput !== line ? (this.lastErrorOutput ?? -1) : -1);
		if (k.entry.kind === 'nexus' && this.lastXtrace && this.lastXtrace.line < line) related.push(this.lastXtrace.line);
		this.add({ type: 'known', id: k.entry.id, line, start: k.index, end: k.index + k.length, record, captures, entry: k.entry, relatedLines: related }, rec);
		if (k.entry.kind === 'cloud-init' && ['CI-SCRIPT-FAILED', 'CI-MODULE-FAILED', 'CI-EVENT-FAIL'].includes(k.entry.id)) {
			const stage = this.structure.current.stage;
			if (stage) stage.outcome = 'failed';
			const boot = this.structure.current.boot;
			if (boot) boot.outcome = 'failed';
		}
	}

	private scanArm(line: number, record: number, rec: MutableRecord, text: string, known: readonly KnownMatch[]): void {
		const arm = parseArmError(text);
		// A documented error in the same line explains it: no second finding for one failure.
		if (!arm || known.some((k) => k.entry.kind === 'connection')) return;
		const captures = { armCode: arm.code, ...(arm.status ? { httpStatus: arm.status } : {}), ...(arm.message ? { armMessage: arm.message.slice(0, 300) } : {}) };
		this.add({ type: 'arm', id: 'ARM-ERROR', line, start: arm.codeStart, end: arm.codeStart + arm.code.length, record, captures }, rec);
	}
}

