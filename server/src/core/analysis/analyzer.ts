// The streaming pass: lines in, records + structure + candidate events out. Lines are pushed one at a time (from a
// document or from a file read in chunks), so the CLI can analyze files larger than it could hold as one string.
// Detection needs the first lines: they are buffered until DETECT_LINES non-empty lines were seen.
import type { Analysis, AnalyzeOptions, Finding, FormatId, Level, LogRecord } from '../model';
import type { KnownMatch } from '../knowledge';
import { benignLookAlike, matchKnownStrings, matcherAnchors, matchSignatures, statesFailure } from '../knowledge';
import { AnchorSet } from '../anchors';
import { DETECT_LINES, detectFormat } from '../formats/detect';
import { BANNER, FINISHED, levelRank as rank, parseArmError, parseLine, type Head } from '../formats/parse';
import { scanQuoted, type FormatEvent, type FormatScanner } from '../formats/common';
import { FORMATS, formatById } from '../formats/registry';
import { AZCM_CODE, EXIT_STATUS } from '../concepts';
import { RUN_COMMAND, RUN_FAILED, RUN_ONBOARDING, RUN_SUCCESS, StructureBuilder, type MutableSection } from './structure';
import { markFailed, resolveFindings, type Candidate } from './resolve';
import { forgetReread, KeptRecord, plainHead } from './record';

/** Detection buffers at most this many characters (line breaks counted) before it decides. */
const DETECT_BYTES = 4 * 1024 * 1024;

/** Whether a line has nothing but white space (without copying it). */
function isBlank(text: string): boolean {
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (c !== 32 && c !== 9 && c !== 13 && c !== 12 && c !== 11 && c !== 0xa0 && c !== 0xfeff) return false;
	}
	return true;
}

/** Continuation lines one record may absorb before the next line starts a record of its own. */
const MAX_CONTINUATION = 2000;
/** Matchers see at most this many characters of a line (a 1 MB record is matched on its first 256 KiB). */
export const DEFAULT_MAX_LINE_SCAN = 256 * 1024;
/**
 * Custom patterns see this many characters of a line. They run in a linear-time engine (customPatterns.ts), so the
 * cost is bounded by this cap times the number of patterns, and the result never depends on the clock.
 */
const CUSTOM_LINE_CAP = 4096;

/** A record while it is being read: its end and message grow with its continuation lines (only the last one does). */
type MutableRecord = KeptRecord;

/** What only the last record needs while lines may still continue it (kept on the analyzer, not on every record). */
interface Tail {
	/** How the record may continue. */
	open?: 'traceback' | 'traceback-end' | 'block';
	continued: number;
	/** The record's last physical line (for matches that a hard wrap split across two lines). */
	last: string;
	/** The record's head line. */
	headText: string;
}

/**
 * A candidate as the analyzer keeps it: its sections by number (`StructureBuilder.all`), so a fork shares it (its
 * copy of the structure has the same numbers); resolution gets it with the sections of the copy it resolves.
 */
type Kept = Omit<Candidate, 'run' | 'stage' | 'boot'> & { readonly runId: number; readonly stageId: number; readonly bootId: number };

/**
 * A kept candidate with its sections, every field written out (`satisfies`: a field added to Candidate must be added
 * here): one object shape for resolution's hot paths, where a spread made it 50 % slower.
 */
function withSections(k: Kept, all: readonly MutableSection[]): Candidate {
	return {
		type: k.type,
		id: k.id,
		line: k.line,
		start: k.start,
		end: k.end,
		endLine: k.endLine,
		endChar: k.endChar,
		record: k.record,
		captures: k.captures,
		exitContext: k.exitContext,
		entry: k.entry,
		relatedLines: k.relatedLines,
		custom: k.custom,
		run: all[k.runId],
		stage: all[k.stageId],
		boot: all[k.bootId],
		level: k.level,
		recordFormat: k.recordFormat,
		attempt: k.attempt,
	} satisfies { [K in keyof Required<Candidate>]: unknown };
}

/** One voice of a physical line: the whole line, or one record of a serial console line that joins several. */
interface Unit {
	readonly start: number;
	readonly text: string;
	readonly format: FormatId;
	readonly level?: Level;
	/** Where the unit's message starts (column in the physical line). */
	readonly msgStart: number;
	/** The unit continues a record (no head of its own). */
	readonly continuation: boolean;
	/** One of several records of a serial console line. */
	readonly joined?: boolean;
}

/** A line that starts by stating an error, in any tool's words (`ERROR:`, `Error:`, `FATAL:`, `[ERROR]`, `Error occurred`). */
const STATES_ERROR = /^(?:(?:ERROR|Error|FATAL|Fatal|CRITICAL)(?::\s|\s{1,4}\[)|\[(?:ERROR|FATAL|CRITICAL)\]|Error occurred\b)/;
/** What a tool's line carries before its words: a `[pid:N]` tag, colour codes. */
const OUTPUT_PREFIX = /^(?:\[pid:\d{1,10}\]\s{0,4})?(?:\x1b\[[\d;]{0,20}m|\s){0,8}/;
/** A serial console line that joins records with a literal `\n[  52.13] ` (a console dump pasted as a string). */
const JOINED = /\\n(?:\[ {0,12}\d{1,7}\.\d{1,9}\](?: |$)|\[\s*$)?/g;
/** What starts a joined record besides its words: the rest of a separator cut by a hard wrap, the `cloud-init[N]:` tag. */
const LEAD = /^\s{0,8}(?:\\?\s{0,4}\d{1,7}\.\d{1,9}\]\s{1,4})?(?:(?:cloud-init\[\d{1,10}\])?:\s{1,4})?/;
/** Where the voice of a record's head ends: continuation lines of a hard-wrapped message are covered up to this. */
const VOICE_WRAP = 3;

/**
 * What the line scans look for besides the knowledge's anchors, lower-cased: AZCM codes, ARM errors (both shapes),
 * a script's `Failed running`, exit statuses (EXIT_STATUS), and the words a line states an error with (STATES_ERROR).
 * A line at a level below warning that holds none of these nor a knowledge anchor yields no candidate.
 */
const SCAN_ANCHORS = ['azcm', 'requestcorrelationid:', 'failed running', 'exitcode', 'exit code', 'exit status', 'exited with', 'return code', 'returned code', 'error', 'fatal', 'critical'];
let lineAnchors: AnchorSet | undefined;

/**
 * Stamps of what resolution reads (candidates, what was dropped, the sections' outcomes, the records near a candidate
 * and the fatal ones): every change takes a new one, unique across analyzers, so two states of one document's
 * analyzers with the same stamp resolve to the same findings (see `Analyzer.resolved`).
 */
let stamps = 0;
const ROOM: never[] = Array<never>(64).fill(undefined as never);
/**
 * A copy of a list with room for what a fork adds: a copy of exactly the list's length would be copied again by the
 * fork's first push (V8 keeps the room when the length is set back below the capacity).
 */
function withRoom<T>(list: readonly T[]): T[] {
	const copy = list.concat(ROOM);
	copy.length = list.length;
	return copy;
}
/**
 * Records resolution reads after an AZCM code's (the only candidates it looks ahead from, for their cause): a fatal
 * one up to 8 records on, a warning in the same second or `show`'s error details up to 3.
 */
const READ_AHEAD = 10;

const EXIT_CODE_BEFORE = /(?:Exit Code|Error Code|exit code|error code)\s{0,4}:?\s{0,4}$/;
const TITLE_AFTER = /^:\s{0,4}([^"\n\\]{1,160})/;
/** cloud-init's `Failed running /var/lib/cloud/instance/scripts/<name> [<exit status>]`. */
const SCRIPT_FAILED = /Failed running (\S{1,400}\/scripts\/(?:per-\w+\/)?([^\s/]{1,200})) \[(\d{1,3})\]/;

export class Analyzer {
	private readonly options: AnalyzeOptions;
	private format: FormatId | undefined;
	private pending: string[] = [];
	private nonEmpty = 0;
	private line = 0;
	private records: MutableRecord[] = [];
	/** The last record's reading state. */
	private tail: Tail = { continued: 0, last: '', headText: '' };
	private structure = new StructureBuilder();
	private candidates: Kept[] = [];
	private formats = new Set<FormatId>();
	private readonly maxScan: number;
	/** The last xtrace (`+ cmd`) line and command per open stage or document. */
	private lastXtrace: { line: number; command: string; azcmagent?: string } | undefined;
	/** The very last xtrace line, `exit 1` included: a script's status is azcmagent's only if azcmagent ran last. */
	private lastXtraceAny: { line: number; command: string; azcmagent?: string } | undefined;
	/** The last line that looked like an error from a script (ERROR:, curl: (n), E: ...). */
	private lastErrorOutput: number | undefined;
	/** The formats' own scanners (status lists, systemd blocks, PowerShell error records), one per document. */
	private scanners: FormatScanner[] = FORMATS.flatMap((f) => (f.scanner ? [f.scanner()] : []));
	/** Candidates that a benign look-alike drops if a line shortly after confirms it (`Could not ... already installed`). */
	private conditional: { readonly from: number; readonly to: number; readonly until: number; readonly after: RegExp }[] = [];
	private dropped = new Set<Kept>();
	/** The voice candidate of the last unit of the previous line: a hard-wrapped message extends it. */
	private openVoice: Kept | undefined;
	/** The state of what resolution reads (see `stamps`). */
	private stamp = ++stamps;
	/** The last record a candidate is on, and the last an AZCM code is on (see READ_AHEAD). */
	private lastCandidateRecord = -1;
	private lastCodeRecord = -1;
	/**
	 * The last resolution of this analyzer or of one forked from the same one (the box is shared by forks): an append
	 * of lines that changed nothing resolution reads (most lines of a log: no candidate, no section outcome, no record
	 * near a candidate) keeps its findings instead of resolving every candidate again.
	 */
	private resolved: { last?: { stamp: number; findings: Finding[] } } = {};

	private changed(): void {
		this.stamp = ++stamps;
	}

	/** A benign look-alike's candidate is no finding (resolution reads what is dropped: a new stamp). */
	private drop(c: Kept): void {
		this.dropped.add(c);
		this.changed();
	}

	constructor(options: AnalyzeOptions = {}) {
		forgetReread();
		this.options = options;
		this.maxScan = options.maxLineScan ?? DEFAULT_MAX_LINE_SCAN;
	}

	push(text: string): void {
		if (this.format === undefined) {
			this.pending.push(text);
			this.pendingBytes += text.length;
			// Detection reads the first DETECT_LINES non-empty lines, or what fits in DETECT_BYTES (a flood of blank
			// or huge lines is not buffered without bound).
			if ((!isBlank(text) && ++this.nonEmpty >= DETECT_LINES) || this.pendingBytes + this.pending.length >= DETECT_BYTES) this.detect();
			return;
		}
		this.process(text);
	}

	private pendingBytes = 0;
	/** The previous line was blank: nothing continues across it. */
	private afterBlank = false;

	private detect(): void {
		this.format = detectFormat(this.pending, this.options.fileName);
		this.changed();
		const pending = this.pending;
		this.pending = [];
		for (const text of pending) this.process(text);
	}

	finish(): Analysis {
		if (this.format === undefined) this.detect();
		const lineCount = this.line;
		for (const sc of this.scanners) sc.flush((e) => this.event(e));
		const sections = this.structure.finish();
		const records: readonly LogRecord[] = this.records;
		const last = this.resolved.last;
		let findings: Finding[];
		if (last?.stamp === this.stamp) {
			findings = last.findings;
			markFailed(sections, findings);
		} else {
			const all = this.structure.all;
			const candidates: Candidate[] = [];
			for (const k of this.candidates) if (!this.dropped.has(k)) candidates.push(withSections(k, all));
			findings = resolveFindings({
				records,
				sections,
				candidates,
				locale: this.options.locale ?? 'en',
				format: this.format ?? 'plain',
			});
			this.resolved.last = { stamp: this.stamp, findings };
		}
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

	/**
	 * A copy of this analyzer's state that goes on on its own: push the lines of a newer version into the fork and
	 * finish it, while this one stays where it is (the server keeps one analyzer per document at its last line that
	 * an append cannot change, and forks it for the rest). Costs a copy of the record and candidate lists (of the
	 * references: records and candidates that can no longer change are shared) and of the sections, never a
	 * re-analysis.
	 */
	fork(): Analyzer {
		// Not constructed: every field is this one's, copied or shared below (and a fork is no new analysis).
		const f = Object.create(Analyzer.prototype) as Record<string, unknown>;
		const me = this as unknown as Record<string, unknown>;
		for (const k of Object.keys(me)) f[k] = me[k];
		f.structure = this.structure.clone();
		// Candidates name their sections by number: all are shared but the one a wrapped line may still extend.
		const candidates = withRoom(this.candidates);
		const dropped = new Set(this.dropped);
		const open = this.openVoice;
		if (open) {
			const copy = { ...open };
			candidates[candidates.lastIndexOf(open)] = copy;
			if (dropped.delete(open)) dropped.add(copy);
			f.openVoice = copy;
		}
		f.candidates = candidates;
		f.dropped = dropped;
		f.records = withRoom(this.records);
		const last = this.records.length - 1;
		if (last >= 0) (f.records as MutableRecord[])[last] = this.records[last].copy();
		f.tail = { ...this.tail };
		f.pending = this.pending.slice();
		f.formats = new Set(this.formats);
		f.conditional = this.conditional.slice();
		f.scanners = this.scanners.map((s) => Object.assign(Object.create(Object.getPrototypeOf(s) as object), structuredClone({ ...s })) as FormatScanner);
		return f as unknown as Analyzer;
	}

	private process(text: string): void {
		const changes = this.structure.changes;
		this.read(text);
		if (this.structure.changes !== changes) this.changed();
	}

	private read(text: string): void {
		const lineNo = this.line++;
		// A blank line is no record (nothing is kept for it); it ends the record above and a format's block.
		if (isBlank(text)) {
			this.afterBlank = true;
			this.openVoice = undefined;
			this.structure.touch(lineNo);
			this.scanFormats(text, lineNo, undefined);
			return;
		}
		const afterBlank = this.afterBlank;
		this.afterBlank = false;
		// Parsing looks at a bounded prefix of monster lines; the record still spans the whole line.
		const scan = text.length > this.maxScan ? text.slice(0, this.maxScan) : text;
		const { head } = parseLine(scan, lineNo, { partial: !this.options.exhaustive });
		const prev = afterBlank ? undefined : this.records[this.records.length - 1];
		// In cloud-init.log a traceback belongs to the record above it (its continuation), not to a record of its own.
		const tracebackOfRecord = head?.role === 'traceback' && !!prev && prev.format === this.format && !!formatById(prev.format)?.tracebacks;
		this.confirmBenign(scan, lineNo);
		if ((!head || tracebackOfRecord) && prev && (tracebackOfRecord || this.continues(prev, scan))) {
			// A longer message: resolution reads it when the record holds a candidate, may be a code's cause, or is fatal.
			const at = this.records.length - 1;
			if (at <= this.lastCandidateRecord || at <= this.lastCodeRecord + READ_AHEAD || prev.level === 'fatal' || prev.level === 'panic') this.changed();
			prev.endLine = lineNo;
			this.tail.continued++;
			if (prev.message.length < 65536) prev.message += '\n' + scan;
			this.structure.touch(lineNo);
			this.scanFormats(scan, lineNo, head);
			this.scanLine(scan, lineNo, this.records.length - 1, prev, false);
			this.scanSeam(this.tail.last, scan, lineNo, this.records.length - 1, prev);
			this.tail.last = scan;
			return;
		}
		const h = head ?? plainHead(scan, lineNo);
		this.records[this.records.length - 1]?.settle();
		const rec = new KeptRecord(h, lineNo, scan);
		// A record resolution may read: a fatal one (AGENT-FATAL), or one close after an AZCM code's (its cause).
		if (rec.level === 'fatal' || rec.level === 'panic' || this.records.length <= this.lastCodeRecord + READ_AHEAD) this.changed();
		// The tail is this analyzer's own (a fork copies it): set in place, no object per record.
		const tail = this.tail;
		tail.open = h.role === 'traceback' ? 'traceback' : undefined;
		tail.continued = 0;
		tail.last = tail.headText = scan;
		this.records.push(rec);
		this.formats.add(rec.format);
		this.onRecord(rec, head, scan, lineNo);
		this.structure.touch(lineNo);
		this.scanFormats(scan, lineNo, head);
		// A command being run (`+ echo 'ERROR: ...'`, a prompt line) is not its output: nothing to flag there.
		if (head?.role === 'xtrace' || head?.role === 'prompt') {
			this.openVoice = undefined;
			return;
		}
		this.scanLine(scan, lineNo, this.records.length - 1, rec, true);
	}

	private scanFormats(text: string, line: number, head: Head | undefined): void {
		for (const sc of this.scanners) sc.line(text, line, head, (e) => this.event(e));
	}

	/** An event of a format's scanner, on a line already read: a candidate on the record that holds that line. */
	private event(e: FormatEvent): void {
		const record = this.recordOf(e.line);
		const rec = this.records[record];
		if (!rec) return;
		this.add({ type: 'event', id: e.id, line: e.line, start: e.start, end: e.end, endLine: e.endLine, record, captures: e.captures, relatedLines: e.relatedLines }, rec);
	}

	private recordOf(line: number): number {
		const r = this.records;
		let i = r.length - 1;
		while (i > 0 && r[i].startLine > line) i--;
		return i;
	}

	/** A benign look-alike that waited for its confirmation (`... already installed`): drop what it flagged. */
	private confirmBenign(text: string, line: number): void {
		if (!this.conditional.length) return;
		this.conditional = this.conditional.filter((c) => {
			if (line > c.until) return false;
			if (!c.after.test(text)) return true;
			for (let i = c.from; i < c.to; i++) this.drop(this.candidates[i]);
			return false;
		});
	}

	/** Whether an unclaimed line continues the previous record. */
	private continues(prev: MutableRecord, text: string): boolean {
		const tail = this.tail;
		if (tail.continued >= MAX_CONTINUATION || !text.trim()) return false;
		if (tail.open === 'traceback') {
			// Indented frames continue; the first unindented line is the exception and ends the traceback.
			if (!/^\s/.test(text)) tail.open = 'traceback-end';
			return true;
		}
		if (tail.open === 'traceback-end') return false;
		const d = formatById(prev.format);
		if (!d?.continues) return false;
		return d.continues({ format: prev.format, level: prev.level, continued: tail.continued, last: tail.last, head: tail.headText, openQuote: tail.open === 'block' }, text, prev.format === this.format);
	}

	private onRecord(rec: MutableRecord, head: Head | undefined, text: string, line: number): void {
		const s = this.structure;
		const msg = rec.message;
		// The record's time, read when a section starts or ends here (most records start none).
		const time = () => (rec.time ? { text: rec.time.text, ms: rec.time.ms } : undefined);
		// A logrus record hard-wrapped by a ticket: its msg quote is still open at the end of the line.
		// (`msg=""` and `msg="a\\"` are closed: the quote is read as the parse reads it, escapes and all.)
		if (rec.format === 'azcmagent-log' && rec.messageSpan && text[rec.messageSpan.start] === '"' && scanQuoted(text, rec.messageSpan.start).bodyEnd >= text.length) this.tail.open = 'block';

		// cloud-init boots and stages (banners print in both cloud-init-output.log and cloud-init.log messages)
		const banner = head?.role === 'banner' ? head.name : rec.format === 'cloud-init-log' ? BANNER.exec(msg)?.[2] : undefined;
		if (banner) {
			s.stageBanner(banner, line, time());
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
			if (head.name) s.startRun(head.name, line, time());
			return;
		}
		if (head?.role === 'prompt') {
			if (head.name) s.startRun(head.name, line, time());
			return;
		}
		// Runs live in the agent's own formats, in Group Policy onboarding logs and in pasted/wrapper text.
		const agent = rec.format === 'azcmagent-log' || rec.format === 'azcmagent-console';
		if (formatById(rec.format)?.agentRuns) {
			const cmd = RUN_COMMAND.exec(msg);
			const run = s.current.run;
			if (cmd && (!run || run.startLine < line)) {
				if (run && run.name === 'azcmagent' && !s.isRunClosing && run.outcome === 'unknown') s.nameRun(cmd[1].toLowerCase());
				else s.startRun(cmd[1].toLowerCase(), line, time());
			} else if (RUN_ONBOARDING.test(msg) && (!run || s.isRunClosing || run.outcome !== 'unknown' || rec.format === 'gpo-log')) s.startRun('connect', line, time());
			else if (s.isRunClosing && !this.belongsToClosingRun(rec)) s.closeRun(line - 1);
		}
		if (/^(?:ERROR|error):|^curl: \(\d+\)|^E: |^(?:fatal|FATAL):/.test(msg)) this.lastErrorOutput = line;
		if (agent || rec.format === 'plain' || rec.format === 'gpo-log') {
			if (RUN_SUCCESS.test(msg)) {
				s.ensureRun(line, time());
				s.runOutcome('ok', undefined, false);
			}
			if (rec.level === 'fatal' || rec.level === 'panic' || RUN_FAILED.test(msg)) {
				s.ensureRun(line, time());
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

	private add(c: Omit<Candidate, 'run' | 'stage' | 'boot' | 'level' | 'recordFormat' | 'attempt'> & { level?: Level }, rec: MutableRecord): Kept {
		const s = this.structure;
		const ids = s.currentIds;
		const cand: Kept = { level: rec.level, ...c, runId: ids.run, stageId: ids.stage, bootId: ids.boot, recordFormat: rec.format, attempt: s.attempt };
		this.candidates.push(cand);
		this.lastCandidateRecord = Math.max(this.lastCandidateRecord, c.record);
		if (c.type === 'azcm') this.lastCodeRecord = Math.max(this.lastCodeRecord, c.record);
		this.changed();
		return cand;
	}

	/** Everything on one physical line: the articles first, then our signatures and the log's own voice; benign look-alikes dropped. */
	private scanLine(text: string, line: number, record: number, rec: MutableRecord, isHead: boolean): void {
		const units = this.units(text, line, rec, isHead);
		// Most lines hold no anchor of any matcher: one pass over their characters, and only the voice they may extend.
		if (units.length === 1 && rank(rec.level) < 3 && !this.options.exhaustive && !this.options.customPatterns?.length) {
			lineAnchors ??= new AnchorSet([...matcherAnchors(), ...SCAN_ANCHORS]);
			if (!lineAnchors.test(text)) {
				this.extendVoice(units[0], line, true, false);
				return;
			}
		}
		// Every matcher prefilters on lower-case anchors: lower-case the line once.
		const lower = text.toLowerCase();
		const lowerOf = (u: Unit) => (u.text === text ? lower : lower.slice(u.start, u.start + u.text.length));
		const benign = units.map((u) => benignLookAlike(u.text, lowerOf(u)));
		const from = this.candidates.length;
		if (!(units.length === 1 && benign[0] && !benign[0].after)) this.scanArticles(text, line, record, rec, lower);
		const articles = this.candidates.length;
		units.forEach((u, i) => {
			if (!benign[i] || benign[i]!.after) this.scanPlatform(u, line, record, rec, i === units.length - 1, lowerOf(u));
		});
		// What a benign unit flagged is not a finding; a conditional one waits for the line that confirms it.
		units.forEach((u, i) => {
			const b = benign[i];
			if (!b) return;
			const inUnit = (c: Kept) => c.line === line && c.start >= u.start && c.start < u.start + u.text.length;
			if (!b.after) {
				for (let k = from; k < this.candidates.length; k++) if (inUnit(this.candidates[k])) this.drop(this.candidates[k]);
				return;
			}
			const own = this.candidates.slice(articles).filter(inUnit);
			if (!own.length) return;
			const first = this.candidates.indexOf(own[0]);
			const last = this.candidates.indexOf(own[own.length - 1]) + 1;
			if (b.after.test(text.slice(u.start + u.text.length))) for (const c of own) this.drop(c);
			else this.conditional.push({ from: first, to: last, until: line + 6, after: b.after });
		});
	}

	/**
	 * The voices of a physical line: the line itself, or, for a serial console dump joined with literal `\n[ t]`
	 * separators, each record in it (parsed on its own; the first continues the previous line's last one).
	 */
	private units(text: string, line: number, rec: MutableRecord, isHead: boolean): Unit[] {
		const whole: Unit = { start: 0, text, format: rec.format, level: rec.level, msgStart: isHead && rec.messageSpan?.line === line ? rec.messageSpan.start : 0, continuation: !isHead };
		const escapedBreak = text.includes('\\n');
		// Neither a `\n` nor the `]` of a stamp: one voice (the common case, without the patterns below).
		if (!escapedBreak && !text.includes(']')) return [whole];
		const afterJoined = this.lastUnitLine === line - 1 && escapedBreak;
		if (!afterJoined && !/\\n(?:\[|\s*$)/.test(text) && !LEAD.exec(text)![0].includes(']')) return [whole];
		// Separators [from, to): a record runs from one separator's end to the next one's start.
		const seps: [number, number][] = [];
		JOINED.lastIndex = 0;
		for (let m = JOINED.exec(text); m; m = JOINED.exec(text)) seps.push([m.index, m.index + m[0].length]);
		if (!seps.length) return [whole];
		const units: Unit[] = [];
		for (let i = 0; i <= seps.length; i++) {
			const segStart = i === 0 ? 0 : seps[i - 1][1];
			const segEnd = i < seps.length ? seps[i][0] : text.length;
			if (segEnd <= segStart) continue;
			let start = segStart;
			const raw = text.slice(segStart, segEnd);
			const lead = LEAD.exec(raw)![0];
			start += lead.length;
			const seg = text.slice(start, segEnd);
			if (!seg.trim()) continue;
			const head = parseLine(seg, line).head;
			// The first record continues the previous line's last one, unless a separator or tag starts it here.
			const continuation = !head && i === 0 && !/[\]:]/.test(lead);
			const prev = continuation ? this.lastUnit : undefined;
			units.push({ start, text: seg, format: head?.format ?? prev?.format ?? 'plain', level: head?.level ?? prev?.level, msgStart: start + (head?.messageSpan?.start ?? 0), continuation, joined: true });
		}
		if (!units.length) return [whole];
		this.lastUnit = units[units.length - 1];
		this.lastUnitLine = line;
		return units;
	}

	/** The last record of the previous serial console line (its next line may continue it). */
	private lastUnit: Unit | undefined;
	private lastUnitLine = -2;

	/** Our platform signatures and the log's own voice, on one unit of a line. */
	private scanPlatform(u: Unit, line: number, record: number, rec: MutableRecord, lastUnit: boolean, lower: string): void {
		const d = formatById(u.format);
		const debug = rank(u.level ?? (u.continuation ? rec.level : undefined)) <= 1 && (u.level !== undefined || (u.continuation && rec.level !== undefined));
		const message = u.text.slice(Math.max(0, u.msgStart - u.start));
		const words = message.replace(OUTPUT_PREFIX, '');
		const output = !debug && (u.format === 'plain' || (!!d?.carriesOutput && rank(u.level ?? rec.level) >= 2));
		let found = false;
		for (const k of matchSignatures(u.text, lower)) {
			const scope = k.entry.scope ?? 'any';
			if ((scope === 'leveled' && debug) || (scope === 'output' && !output)) continue;
			const start = u.start + k.index;
			this.add({ type: 'signature', id: k.entry.id, line, start, end: start + k.length, record, captures: { ...k.captures, text: u.text.slice(k.index, k.index + Math.min(k.length, 300)), line: u.text.trim().slice(0, 300) }, entry: k.entry, level: u.level }, rec);
			found = true;
		}
		if (this.extendVoice(u, line, lastUnit, found)) return;
		if (found || (u.continuation && !(u.joined && STATES_ERROR.test(words)))) return;
		let id: string | undefined;
		const lvl = u.level;
		const agentFatal = (lvl === 'fatal' || lvl === 'panic') && (d?.agentRuns || u.format === 'plain');
		if (rank(lvl) >= 4 && !agentFatal) id = d?.voice?.error ?? 'LOG-ERROR';
		else if (lvl === 'warning' && statesFailure(message)) id = d?.voice?.warning ?? 'LOG-WARNING';
		else if ((lvl === undefined || (d?.carriesOutput && rank(lvl) >= 2)) && STATES_ERROR.test(words)) id = 'LOG-ERROR';
		if (!id) return;
		const start = Math.min(u.msgStart, u.start + u.text.length);
		const c = this.add({ type: 'voice', id, line, start, end: u.start + u.text.length, record, captures: { text: words.trim().slice(0, 300) }, level: lvl === undefined ? 'error' : lvl }, rec);
		if (lastUnit) this.openVoice = c;
	}

	/** A hard-wrapped message: a unit without a voice of its own (`found`: nor a signature) extends the voice of the line before. */
	private extendVoice(u: Unit, line: number, lastUnit: boolean, found: boolean): boolean {
		const open = this.openVoice;
		this.openVoice = undefined;
		if (!u.continuation || !open || line - open.line > VOICE_WRAP || found) return false;
		open.endLine = line;
		open.endChar = u.start + u.text.length;
		this.changed();
		if (lastUnit) this.openVoice = open;
		return true;
	}

	/** Find codes, known strings, ARM errors, exit codes and custom patterns on one physical line. */
	private scanArticles(text: string, line: number, record: number, rec: MutableRecord, lower: string): void {
		const s = this.structure;
		// AZCM codes
		if (lower.includes('azcm')) {
			AZCM_CODE.lastIndex = 0;
			let m: RegExpExecArray | null;
			while ((m = AZCM_CODE.exec(text))) {
				const code = m[0].toUpperCase();
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
		// A status summary quotes cloud-init's errors (its own scanner reports them); a Python traceback outside
		// cloud-init's logs is not cloud-init's.
		const dominant = formatById(this.format ?? 'plain');
		const known = matchKnownStrings(text, undefined, lower).filter((k) => k.entry.kind !== 'cloud-init' || (this.format !== 'cloud-init-status' && (k.entry.id !== 'CI-TRACEBACK' || !dominant || dominant.cloudInit)));
		for (const k of known) this.addKnown(k, text, line, record, rec);
		// ARM errors that no article documents (the message of a documented one was matched above)
		this.scanArm(line, record, rec, text, known);
		// azcmagent exit codes printed by wrappers (`... failed with error:  >> exitcode: 42`)
		if (rec.format !== 'cloud-init-log' && !/^\s*Exit code:/i.test(text)) {
			EXIT_STATUS.lastIndex = 0;
			const e = EXIT_STATUS.exec(text);
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
		// User-defined patterns (linear time: no budget, the same findings on every run)
		const custom = this.options.customPatterns;
		if (custom?.length) {
			const slice = text.length > CUSTOM_LINE_CAP ? text.slice(0, CUSTOM_LINE_CAP) : text;
			for (const p of custom) {
				const m = p.regex.exec(slice);
				p.regex.lastIndex = 0;
				if (m && m[0].length > 0) this.add({ type: 'custom', id: p.id, line, start: m.index, end: m.index + m[0].length, record, captures: { text: m[0] }, custom: p }, rec);
			}
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

