// The second pass: candidate events → findings. One finding per failure event (a code, its fatal cause and the
// same error repeated are linked, not flagged thrice); severity from context (the run, stage or boot failed or
// survived), not from the level word; messages say what happened in this log, in the requested locale.
import type { Finding, FindingKind, FormatId, Level, LogRecord, Range, RelatedLocation, Section, Severity, CustomPattern } from '../model';
import type { KnowledgeEntry, Locale } from '../knowledge/types';
import { entryForCode, entryForExit, exitStatusMeaning, getEntry, localize, statesFailure } from '../knowledge';
import { t } from '../l10n';
import { plainText } from '../report/report';
import { levelRank, parseArmError } from '../formats/parse';
import { formatById } from '../formats/registry';
import type { MutableSection } from './structure';
import { lastAtOrBefore, startLine } from '../search';

export interface Candidate {
	/** 'event': a format's scanner; 'signature': our platform signatures; 'voice': a record the log marks as failed. */
	readonly type: 'azcm' | 'known' | 'arm' | 'exit' | 'custom' | 'event' | 'signature' | 'voice';
	readonly id: string;
	readonly line: number;
	readonly start: number;
	readonly end: number;
	/** A range over several lines (a wrapped message): its last line, and `endChar` or `end` the column there. */
	endLine?: number;
	endChar?: number;
	readonly record: number;
	readonly captures: Readonly<Record<string, string>>;
	readonly exitContext?: boolean;
	readonly entry?: KnowledgeEntry;
	readonly relatedLines?: readonly number[];
	readonly custom?: CustomPattern;
	readonly run?: MutableSection;
	readonly stage?: MutableSection;
	readonly boot?: MutableSection;
	readonly level?: Level;
	readonly recordFormat: FormatId;
	/** The onboarding attempt (count of state-changing runs started so far): repeats within one are one event. */
	readonly attempt: number;
}

interface Input {
	readonly records: readonly LogRecord[];
	readonly sections: readonly MutableSection[];
	readonly candidates: readonly Candidate[];
	readonly locale: Locale;
	readonly format: FormatId;
}

/** Level order for picking the most severe occurrence; no level (a plain `ERROR:` line has one) sits just above error. */
const rank = (l: Level | undefined): number => (l === undefined ? 4.5 : levelRank(l));
/** A known failure logged at warning or above (or with no level) is an error unless context says it was survived. */
const isErrorLevel = (l: Level | undefined): boolean => l === undefined || rank(l) >= 3;
/** Captured values that tell two failures of the same kind apart (two providers, two actions). */
const DISTINCT = ['action', 'scope', 'namespace', 'identity', 'application', 'client', 'armCode', 'script', 'module', 'unit'];
const MAX_QUOTE = 160;

/** The tag an installer puts before a custom action's output (`WixQuietExec64:  `). */
const TOOL_PREFIX = /^WixQuietExec(?:64)?:\s{1,8}/;
/** The head of a Windows PowerShell error record: `Set-Service : message`. */
const POWERSHELL_ERROR_HEAD = /^[A-Z][A-Za-z]{1,40}-[A-Za-z]\w{1,80} : \S/;

/** What a cause record says: an ARM error's message and code rather than its envelope; `show`'s error details. */
function statedCause(r: LogRecord): string {
	const details = r.fields.find((f) => f.key === 'Agent Error Details');
	if (details) return details.value;
	const arm = parseArmError(r.message);
	// The ARM error code first: a long message cut for one line must not hide it.
	if (arm) return `${arm.code}${arm.status ? ` (HTTP ${arm.status})` : ''}: ${arm.message ?? r.message}`;
	return r.message.replace(TOOL_PREFIX, '');
}

/** The exception line of a Python traceback record (its last line; `#012` is syslog's escaped newline). */
/** The line that ends a Python traceback: the exception raised (`RuntimeError: Runparts: 1 failures ...`). */
const EXCEPTION_LINE = /^[A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt|Warning)\b/;

function exceptionOf(message: string): string {
	const lines = message.split(/\n|#012/).map((l) => l.trim()).filter(Boolean);
	const tb = lines.findIndex((l) => l.includes('Traceback (most recent call last)'));
	if (tb < 0 || tb === lines.length - 1) return '';
	for (let i = tb + 1; i < lines.length; i++) if (EXCEPTION_LINE.test(lines[i])) return lines[i];
	return lines[lines.length - 1];
}

/** First line of a message, trimmed and shortened for a one-line finding message. */
export function quote(text: string, max = MAX_QUOTE): string {
	const nl = text.indexOf('\n');
	const first = (nl >= 0 ? text.slice(0, nl) : text).replace(/\s+/g, ' ').trim();
	if (first.length <= max) return first;
	// Cut at a word boundary, and never inside a URL (a half URL misleads): before it, when enough text is left.
	let cut = first.lastIndexOf(' ', max - 1);
	if (cut < max * 0.6) cut = max - 1;
	const lastWord = first.slice(first.lastIndexOf(' ', cut - 1) + 1, cut);
	if (/^\W{0,2}https?:\/\//i.test(lastWord) || (cut === max - 1 && /https?:\/\/\S*$/i.test(first.slice(0, cut)))) {
		const url = first.slice(0, cut).search(/\S*https?:\/\/\S*$/i);
		const urlEnd = first.indexOf(' ', url);
		if (url >= max * 0.4) cut = url - 1;
		// An early URL is kept whole when it ends soon enough.
		else if ((urlEnd < 0 ? first.length : urlEnd) <= max + 80) cut = urlEnd < 0 ? first.length : urlEnd;
	}
	if (cut >= first.length) return first;
	return first.slice(0, cut).trimEnd() + ' …';
}

class Resolver {
	private readonly findings: Finding[] = [];
	/** Records that a finding uses as its cause or as related evidence (never flagged on their own as AGENT-FATAL). */
	private readonly usedRecords = new Set<number>();
	/** Records that are the cause of a code finding → where that code was reported (to link back). */
	private readonly causeOf = new Map<number, { line: number; start: number; end: number }>();

	constructor(private readonly input: Input) {}

	private get loc(): Locale {
		return this.input.locale;
	}

	run(): Finding[] {
		const c = this.input.candidates;
		this.azcm(c.filter((x) => x.type === 'azcm'));
		this.cloudInit(c.filter((x) => x.type === 'known' && x.entry?.kind === 'cloud-init'));
		this.known(c.filter((x) => x.type === 'known' && x.entry?.kind !== 'cloud-init'));
		this.known(c.filter((x) => x.type === 'arm'));
		this.exit(c.filter((x) => x.type === 'exit'));
		// Then what no article names, most specific first: a format's structure, our signatures, the log's own voice.
		// Generic findings (the voice, LOG-* signatures) go last and in line order, so a burst folds into its first line.
		const generic = (x: Candidate) => x.type === 'voice' || (x.type === 'signature' && x.id.startsWith('LOG-'));
		for (const x of c) if (x.type === 'event' || x.type === 'signature') this.claimed.add(x.record);
		this.platform(c.filter((x) => x.type === 'event'));
		this.platform(c.filter((x) => x.type === 'signature' && !generic(x)));
		// A record a format's structure or a signature speaks for has no voice of its own.
		this.platform(c.filter((x) => generic(x) && !(x.type === 'voice' && this.claimed.has(x.record))).sort((a, b) => a.line - b.line || a.start - b.start));
		this.fatal();
		this.custom(c.filter((x) => x.type === 'custom'));
		this.propagate();
		for (const f of this.findings) {
			const seen = new Set<string>([`${f.range.start.line}:${f.range.start.character}`]);
			const kept = f.related.filter((r) => {
				const k = `${r.range.start.line}:${r.range.start.character}`;
				return !seen.has(k) && !!seen.add(k);
			});
			(f.related as RelatedLocation[]).splice(0, f.related.length, ...kept);
		}
		return this.findings.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.id.localeCompare(b.id));
	}

	// ---- helpers ----------------------------------------------------------------------------------------------

	private range(c: Candidate): Range {
		if (c.endLine !== undefined && c.endLine > c.line) return { start: { line: c.line, character: c.start }, end: { line: c.endLine, character: c.endChar ?? c.end } };
		return { start: { line: c.line, character: c.start }, end: { line: c.line, character: c.end } };
	}

	/** The record whose head is on `line` (or that contains it). */
	private recordAt(line: number): number {
		return Math.max(0, lastAtOrBefore(this.input.records, startLine, line));
	}

	private recordRange(index: number, line?: number): Range {
		const r = this.input.records[index];
		const l = line ?? r.startLine;
		if (r.messageSpan && r.messageSpan.line === l) return { start: { line: l, character: r.messageSpan.start }, end: { line: l, character: r.messageSpan.end } };
		return { start: { line: l, character: 0 }, end: { line: l, character: 0 } };
	}

	private related(lineOrRecord: { record: number; line?: number }, message: string): RelatedLocation {
		return { range: this.recordRange(lineOrRecord.record, lineOrRecord.line), message };
	}

	/** Same failure event: same id, same boot/stage, same onboarding attempt, same distinguishing values. */
	private key(c: Candidate, id: string): string {
		const s = c.stage ?? c.boot;
		const values = DISTINCT.map((k) => (c.captures[k] ?? '').toLowerCase()).join('|');
		return `${s ? `${s.kind}:${s.startLine}` : 'doc'}|a${c.attempt}|${id}|${values}`;
	}

	private group(cs: readonly Candidate[], idOf: (c: Candidate) => string = (c) => c.id): Candidate[][] {
		const map = new Map<string, Candidate[]>();
		for (const c of cs) {
			const k = this.key(c, idOf(c));
			const g = map.get(k);
			if (g) g.push(c);
			else map.set(k, [c]);
		}
		return [...map.values()];
	}

	/** Severity of an error the log shows, from the outcome of what it happened in. */
	private contextSeverity(c: Candidate): Severity {
		for (const s of [c.run, c.stage, c.boot]) {
			if (!s) continue;
			if (s.outcome === 'failed') return 'error';
			if (s.outcome === 'ok') return 'warning';
		}
		return isErrorLevel(c.level) ? 'error' : 'warning';
	}

	private push(f: Finding, c: Candidate): void {
		this.findings.push(f);
		const at = this.atLine.get(f.range.start.line);
		if (at) at.push(f);
		else this.atLine.set(f.range.start.line, [f]);
		this.usedRecords.add(c.record);
		if (!this.byRecord.has(c.record)) this.byRecord.set(c.record, f);
	}

	/** Findings by the line they start on. */
	private readonly atLine = new Map<number, Finding[]>();

	/** The first finding on each record: what no article names is folded into it, not flagged again. */
	private readonly byRecord = new Map<number, Finding>();

	private entryFields(entry: KnowledgeEntry | undefined): { url?: string; entryId?: string } {
		if (!entry) return {};
		return { url: localize(entry, this.loc).text.url, entryId: entry.id };
	}

	private title(entry: KnowledgeEntry): string {
		return localize(entry, this.loc).text.title;
	}

	// ---- AZCM codes -------------------------------------------------------------------------------------------

	private azcm(cs: readonly Candidate[]): void {
		for (const g of this.group(cs)) {
			const c = g[0];
			const code = c.id;
			const entry = entryForCode(code);
			const exitContext = g.some((x) => x.exitContext);
			const related: RelatedLocation[] = [];
			const cause = this.findCause(c);
			if (cause !== undefined) {
				related.push(this.related({ record: cause }, t(this.loc, 'Cause logged here')));
				this.usedRecords.add(cause);
			}
			for (const x of g.slice(1)) related.push({ range: this.range(x), message: t(this.loc, 'Also logged here') });
			const printed = g.map((x) => x.captures.title).find(Boolean);
			let stated = cause !== undefined ? statedCause(this.input.records[cause]) : undefined;
			// A cause without a level that wraps onto the next record (`... due to the` / `following error: Access is denied`).
			const next = cause !== undefined ? this.input.records[cause + 1] : undefined;
			if (stated !== undefined && next && cause! + 1 < c.record && next.level === undefined && this.input.records[cause!].level === undefined && statesFailure(next.message)) {
				stated += ' ' + next.message.replace(TOOL_PREFIX, '');
				related.push(this.related({ record: cause! + 1 }, t(this.loc, 'Cause logged here')));
				this.usedRecords.add(cause! + 1);
			}
			const causeText = stated !== undefined ? quote(stated) : undefined;
			let message: string;
			let severity: Severity;
			if (!entry) {
				severity = 'warning';
				message = t(this.loc, '{0} is not documented in the troubleshooting articles; the log says: "{1}"', code, printed ? quote(printed, 100) : '—');
			} else {
				severity = exitContext ? 'error' : this.contextSeverity(c);
				const title = printed ? quote(printed, 100) : this.title(entry);
				const runName = c.run && c.run.name !== 'azcmagent' ? c.run.name : undefined;
				message = exitContext && runName
					? t(this.loc, 'azcmagent {0} failed with {1} ({2})', runName, code, title)
					: exitContext
						? t(this.loc, 'azcmagent failed with {0} ({1})', code, title)
						: t(this.loc, 'The agent reported {0} ({1})', code, title);
				if (causeText) message += `: ${causeText}`;
			}
			this.push({
				id: code,
				kind: entry ? 'azcm' : 'azcm-undocumented',
				severity,
				range: this.range(c),
				message,
				...this.entryFields(entry),
				captures: { ...c.captures, ...(causeText ? { cause: causeText } : {}) },
				related,
				commands: entry?.commands ?? [],
				record: c.record,
			}, c);
			if (cause !== undefined) this.causeOf.set(cause, { line: c.line, start: c.start, end: c.end });
			const f = this.findings[this.findings.length - 1];
			for (const s of [c.run, c.stage]) if (s && severity === 'error' && !this.owners.has(s)) this.owners.set(s, f);
			this.hostOf.set(c.record, f);
			if (cause !== undefined) this.hostOf.set(cause, f);
		}
	}

	/**
	 * The record that states the cause: the next fatal of the same run, else the error just before the code, else a
	 * warning logged in the same second right after it (Group Policy logs); for `azcmagent show`, its error details.
	 */
	private findCause(c: Candidate): number | undefined {
		const recs = this.input.records;
		const self = recs[c.record];
		if (self.fields.some((f) => f.key === 'Agent Error Code')) {
			for (let i = c.record + 1; i < recs.length && i <= c.record + 3; i++) if (recs[i].fields.some((f) => f.key === 'Agent Error Details' && f.value)) return i;
			return undefined;
		}
		const within = (i: number): boolean => {
			const r = recs[i];
			if (!c.run) return Math.abs(r.startLine - c.line) <= 12;
			return r.startLine >= c.run.startLine && r.startLine <= c.run.endLine;
		};
		for (let i = c.record + 1; i < recs.length && i <= c.record + 8 && within(i); i++) {
			if (recs[i].level === 'fatal' || recs[i].level === 'panic') return i;
		}
		if (recs[c.record].level === 'fatal' || recs[c.record].level === 'panic') return undefined;
		for (let i = c.record - 1; i >= 0 && i >= c.record - 8 && within(i); i--) {
			const l = recs[i].level;
			if (l === 'fatal' || l === 'panic' || l === 'error') return i;
		}
		if (self.time) {
			for (let i = c.record + 1; i < recs.length && i <= c.record + 3 && recs[i].time?.text === self.time.text; i++) if (rank(recs[i].level) >= 3) return i;
		}
		// Records without levels (an installer's script output): the failure statement just before the code, from the
		// head of its error record (`Set-Service : ... cannot be configured` / `following error: Access is denied`).
		let found: number | undefined;
		for (let i = c.record - 1; i >= 0 && i >= c.record - 10 && within(i); i--) {
			if (recs[i].level !== undefined) break;
			const text = recs[i].message.replace(TOOL_PREFIX, '');
			if (!statesFailure(text)) continue;
			found = i;
			if (POWERSHELL_ERROR_HEAD.test(text)) break;
		}
		return found;
	}

	// ---- known strings (connection, Operator Nexus) and undocumented ARM errors ---------------------------------

	private known(cs: readonly Candidate[]): void {
		for (const g of this.group(cs)) {
			// The occurrence on the most severe record is the finding; the others are where it was also logged.
			let best = g[0];
			for (const x of g) if (rank(x.level) > rank(best.level)) best = x;
			// The cause an AZCM code's record states (an ARM or sign-in error), or what a script printed after the agent
			// failed (Operator Nexus): part of that code's failure, not a second problem.
			const host = g.map((x) => this.hostOf.get(x.record)).find(Boolean);
			const ordered = [best, ...g.filter((x) => x !== best)];
			if (host && this.fold(host, ordered, t(this.loc, 'Cause logged here'), best.entry?.id)) continue;
			if (best.entry?.kind === 'nexus' && this.fold(this.codeBefore(best), ordered, t(this.loc, 'Same failure reported here'), best.entry.id)) continue;
			const related: RelatedLocation[] = [];
			const code = this.causeOf.get(best.record) ?? g.map((x) => this.causeOf.get(x.record)).find(Boolean);
			if (code) related.push({ range: { start: { line: code.line, character: code.start }, end: { line: code.line, character: code.end } }, message: t(this.loc, 'Exit code reported here') });
			for (const l of best.relatedLines ?? []) {
				const r = this.recordAt(l);
				related.push(this.related({ record: r, line: l }, t(this.loc, 'Last command before the failure')));
				this.usedRecords.add(r);
			}
			for (const x of g) if (x !== best) {
				related.push({ range: this.range(x), message: t(this.loc, 'Also logged here') });
				this.usedRecords.add(x.record);
			}
			const severity = this.contextSeverity(best);
			if (best.type === 'arm') {
				const cap = best.captures;
				const message = cap.armMessage
					? t(this.loc, 'Azure Resource Manager refused the request: {0} (HTTP {1}): {2}', cap.armCode, cap.httpStatus ?? '?', quote(cap.armMessage, 120))
					: t(this.loc, 'Azure Resource Manager refused the request: {0} (HTTP {1})', cap.armCode, cap.httpStatus ?? '?');
				this.push({ id: 'ARM-ERROR', kind: 'arm', severity, range: this.range(best), message, captures: cap, related, commands: [], record: best.record }, best);
				continue;
			}
			const entry = best.entry!;
			this.push({
				id: entry.id,
				kind: entry.kind as FindingKind,
				severity,
				range: this.range(best),
				message: this.knownMessage(entry, best.captures),
				...this.entryFields(entry),
				captures: best.captures,
				related,
				commands: this.commands(entry, best.captures),
				record: best.record,
			}, best);
		}
	}

	private knownMessage(entry: KnowledgeEntry, cap: Readonly<Record<string, string>>): string {
		const details: string[] = [];
		const label: Readonly<Record<string, string>> = {
			client: t(this.loc, 'client'),
			action: t(this.loc, 'action'),
			scope: t(this.loc, 'scope'),
			namespace: t(this.loc, 'namespace'),
			application: t(this.loc, 'application'),
			tenant: t(this.loc, 'tenant'),
			directory: t(this.loc, 'directory'),
			host: t(this.loc, 'host'),
			ip: t(this.loc, 'address'),
			identity: t(this.loc, 'identity'),
			status: t(this.loc, 'status'),
		};
		for (const k of Object.keys(label)) {
			const v = cap[k];
			if (v) details.push(`${label[k]} '${quote(v, 100)}'`);
		}
		// A connection-table row's "message" column is the agent's context ("Get ARM Resource Response"); its probable
		// cause says what went wrong. Operator Nexus and cloud-init entries are titled by what happened.
		const text = localize(entry, this.loc).text;
		const title = entry.kind === 'connection' ? plainText(text.cause).replace(/\.$/, '') : text.title;
		return details.length ? `${title} (${details.join(', ')})` : title;
	}

	/** The entry's commands, plus the one the log makes concrete (`az provider register --namespace X`). */
	private commands(entry: KnowledgeEntry, cap: Readonly<Record<string, string>>): string[] {
		const out = [...entry.commands];
		const ns = cap.namespace;
		if (entry.id === 'ARM-PROVIDER-NOT-REGISTERED' && ns && /^[A-Za-z][A-Za-z0-9.]{1,100}$/.test(ns)) out.unshift(`az provider register --namespace ${ns}`);
		return out;
	}

	// ---- cloud-init -------------------------------------------------------------------------------------------

	/**
	 * cloud-init failure events. A script failure (`Failed running .../scripts/x [N]`) owns what cloud-init logs
	 * about it in the same stage: the module warnings, the subp `Unexpected error` block, tracebacks and FAIL events.
	 * Without one, a module failure owns them; only what nothing owns is a finding of its own.
	 */
	private cloudInit(cs: readonly Candidate[]): void {
		const byId = (id: string) => cs.filter((c) => c.id === id);
		const scope = (c: Candidate) => c.stage ?? c.boot;
		const owners: { c: Candidate; related: RelatedLocation[]; severity: Severity; message: string }[] = [];
		const byScope = new Map<MutableSection | undefined, (typeof owners)[number]>();
		const ownerFor = (x: Candidate) => byScope.get(scope(x));
		const attach = (x: Candidate): boolean => {
			const o = ownerFor(x);
			if (!o) {
				const host = scope(x) && this.owners.get(scope(x)!);
				return !!host && this.fold(host, [x], t(this.loc, 'Same failure reported here'));
			}
			if (o.c.record === x.record) return true;
			o.related.push({ range: this.range(x), message: t(this.loc, 'Same failure reported here') });
			for (const l of this.evidence(x.record)) o.related.push(this.related({ record: x.record, line: l }, t(this.loc, 'Same failure reported here')));
			this.usedRecords.add(x.record);
			return true;
		};

		for (const g of this.group(byId('CI-SCRIPT-FAILED'), (c) => `script:${c.captures.script ?? c.captures.text}`)) {
			const c = g[0];
			// A script that failed because azcmagent did: the exit status is part of the agent's failure.
			if (/\bazcmagent\b/.test(c.captures.command ?? '') && this.fold(this.codeBefore(c), g, t(this.loc, 'Same failure reported here'), 'CI-SCRIPT-FAILED')) continue;
			const related: RelatedLocation[] = [];
			const [cmdLine, errLine] = c.relatedLines ?? [];
			if (cmdLine !== undefined && cmdLine >= 0) {
				const r = this.recordAt(cmdLine);
				related.push(this.related({ record: r, line: cmdLine }, t(this.loc, 'Last command before the failure')));
				this.usedRecords.add(r);
			}
			if (errLine !== undefined && errLine >= 0) {
				const r = this.recordAt(errLine);
				related.push(this.related({ record: r, line: errLine }, t(this.loc, 'Error output of the script')));
				this.usedRecords.add(r);
			}
			for (const l of this.evidence(c.record)) related.push(this.related({ record: c.record, line: l }, t(this.loc, 'Same failure reported here')));
			related.push(...this.also(g));
			const cap = c.captures;
			let message = t(this.loc, 'Script {0} failed with exit status {1}', cap.script ?? '?', cap.exitStatus ?? '?');
			const meaning = exitStatusMeaning(cap.exitStatus, this.loc);
			if (meaning) message += ` (${meaning})`;
			if (cap.command) message += t(this.loc, '; last command: {0}', quote(cap.command, 100));
			owners.push({ c, related, severity: 'error', message });
			if (!byScope.has(scope(c))) byScope.set(scope(c), owners[owners.length - 1]);
		}
		for (const g of this.group(byId('CI-MODULE-FAILED').filter((x) => !attach(x)))) {
			const related = g.slice(1).map((x) => ({ range: this.range(x), message: t(this.loc, 'Same failure reported here') }));
			owners.push({ c: g[0], related, severity: 'error', message: this.knownMessage(g[0].entry!, g[0].captures) });
			if (!byScope.has(scope(g[0]))) byScope.set(scope(g[0]), owners[owners.length - 1]);
		}
		// What the owners did not take: FAIL events (error), tracebacks (error when their stage failed), subp blocks
		// logged at WARNING or above (warning; DEBUG ones are cloud-init probing commands that fail routinely).
		const own: { c: Candidate; severity: Severity; message: string; extra?: Record<string, string> }[] = [];
		for (const g of this.group(byId('CI-EVENT-FAIL').filter((x) => !attach(x)))) own.push({ c: g[0], severity: 'error', message: this.ciMessage(g[0]) });
		for (const c of byId('CI-TRACEBACK').filter((x) => !attach(x))) {
			const exception = exceptionOf(this.input.records[c.record].message);
			const failed = scope(c)?.outcome === 'failed' || c.boot?.outcome === 'failed';
			own.push({ c, severity: failed ? 'error' : 'warning', message: exception ? t(this.loc, 'Python traceback: {0}', quote(exception, 140)) : this.title(c.entry!), extra: exception ? { exception: quote(exception, 300) } : {} });
		}
		for (const g of this.group(byId('CI-COMMAND-FAILED').filter((x) => !attach(x) && rank(x.level) >= 3))) own.push({ c: g[0], severity: 'warning', message: this.ciMessage(g[0]) });
		for (const g of this.group(byId('CI-AZURE-DATASOURCE'), (c) => `${c.id}:${c.captures.text}`)) own.push({ c: g[0], severity: 'warning', message: this.ciMessage(g[0]) });

		for (const o of owners) this.pushCi(o.c, o.severity, o.message, o.related);
		for (const o of own) this.pushCi(o.c, o.severity, o.message, [], o.extra);
	}

	private also(g: readonly Candidate[]): RelatedLocation[] {
		return g.slice(1).map((x) => ({ range: this.range(x), message: t(this.loc, 'Also logged here') }));
	}

	private ciMessage(c: Candidate): string {
		const title = this.title(c.entry!);
		const meaning = exitStatusMeaning(c.captures.status, this.loc);
		return `${title}: ${quote(c.captures.text ?? '', 120)}${meaning ? ` (${meaning})` : ''}`;
	}

	private pushCi(c: Candidate, severity: Severity, message: string, related: RelatedLocation[], extra: Record<string, string> = {}): void {
		const entry = c.entry!;
		this.push({ id: entry.id, kind: 'cloud-init', severity, range: this.range(c), message, ...this.entryFields(entry), captures: { ...c.captures, ...extra }, related, commands: entry.commands, record: c.record }, c);
		const scope = c.stage ?? c.boot;
		if (scope && severity === 'error' && !this.owners.has(scope) && ['CI-SCRIPT-FAILED', 'CI-MODULE-FAILED'].includes(entry.id)) this.owners.set(scope, this.findings[this.findings.length - 1]);
	}

	// ---- what no article names: format structure, our platform signatures, the log's own voice ----------------

	/**
	 * One finding per failure event: a candidate on a record that already has a finding is a related location of
	 * it; repeats of the same message in the same stage or attempt are one finding, "also logged here".
	 */
	private platform(cs: readonly Candidate[]): void {
		const what = (c: Candidate) => (formatById(c.recordFormat)?.oneEvent ? '' : c.captures.unit ?? (c.captures.line ?? c.captures.text ?? '').replace(/\d+/g, '#').slice(0, 160));
		const groups = this.group(cs, (c) => `${c.id}|${what(c)}`);
		for (const g of groups) {
			const rest: Candidate[] = [];
			for (const x of g) {
				// What the log says failed in a run, stage or install an article already explains is part of that failure.
				const f = this.byRecord.get(x.record) ?? (x.type === 'voice' ? this.ownerOf(x) : undefined);
				// A record another finding already shows as its cause or evidence is not a failure of its own.
				if (!f && this.usedRecords.has(x.record)) continue;
				if (!f) rest.push(x);
				else if (f.range.start.line !== x.line) (f.related as RelatedLocation[]).push({ range: this.range(x), message: t(this.loc, 'Same failure reported here') });
			}
			if (!rest.length) continue;
			const c = rest[0];
			const entry = getEntry(c.id);
			// A tool that prints one failure as several error records in the same second: one event (the log's voice,
			// generic signatures, or the same signature again). A warning never absorbs an error.
			const burst = this.burstOf(c);
			const severity = this.platformSeverity(c, entry?.severity);
			if (burst && (c.type === 'voice' || c.id.startsWith('LOG-') || c.id === burst.id) && (burst.severity === 'error' || severity === 'warning') && this.fold(burst, rest, t(this.loc, 'Same failure reported here'))) continue;
			// A consequence of a failure already flagged in the same boot (`Ran 9 modules with 1 failures`) points to it.
			if (entry?.id === 'CI-MODULES-FAILED') {
				const owner = this.owners.get((c.stage ?? c.boot)!) ?? this.findings.find((f) => f.severity === 'error' && f.kind === 'cloud-init' && c.boot && f.range.start.line >= c.boot.startLine && f.range.start.line <= c.line);
				if (owner) {
					(owner.related as RelatedLocation[]).push({ range: this.range(c), message: t(this.loc, 'Same failure reported here') });
					continue;
				}
			}
			const related: RelatedLocation[] = [];
			for (const l of c.relatedLines ?? []) if (l !== c.line) related.push(this.related({ record: this.recordAt(l), line: l }, t(this.loc, 'Same failure reported here')));
			for (const l of this.evidence(c.record)) if (l !== c.line) related.push(this.related({ record: c.record, line: l }, t(this.loc, 'Same failure reported here')));
			related.push(...this.also(rest));
			// The line the signature matched says more than the match (`cp: cannot stat 'x': No such file or directory`).
			const text = c.captures.line ?? c.captures.text ?? '';
			const title = entry ? this.title(entry) : c.id;
			this.push({
				id: c.id,
				kind: 'platform',
				severity,
				range: this.range(c),
				message: text ? `${title}: ${quote(text, 140)}` : title,
				...this.entryFields(entry),
				captures: c.captures,
				related,
				commands: entry?.commands ?? [],
				record: c.record,
			}, c);
		}
	}

	/** Records an event or a signature spoke for. */
	private readonly claimed = new Set<number>();

	/** A finding on a record of the same format logged in the same second, at most 20 lines before `c`. */
	private burstOf(c: Candidate): Finding | undefined {
		const recs = this.input.records;
		const time = recs[c.record]?.time;
		if (!time?.text) return undefined;
		const second = time.text.replace(/[.,]\d+$/, '');
		for (let l = c.line; l >= 0 && l >= c.line - 20; l--) {
			for (const f of this.atLine.get(l) ?? []) {
				if (f.record === undefined) continue;
				const r = recs[f.record];
				if (r.format === recs[c.record].format && r.time?.text.replace(/[.,]\d+$/, '') === second) return f;
			}
		}
		return undefined;
	}

	/** The article finding that explains the run, stage or one-operation document a candidate belongs to. */
	private ownerOf(c: Candidate): Finding | undefined {
		const s = c.run ?? c.stage ?? c.boot;
		if (s) return this.owners.get(s);
		return formatById(c.recordFormat)?.oneEvent ? this.findings.find((f) => f.kind === 'azcm' && f.severity === 'error') : undefined;
	}

	/** Runs, stages and boots whose failure an article finding explains (an AZCM code, a script or module failure). */
	private readonly owners = new Map<Section, Finding>();
	/** Records that hold an AZCM code or its cause → that code's finding (what they say is part of it). */
	private readonly hostOf = new Map<number, Finding>();

	/**
	 * Fold a failure event's other evidence into the finding that explains it: its locations become related
	 * locations, its knowledge entry an entry that also explains it. Returns false when there is nothing to fold into.
	 */
	private fold(host: Finding | undefined, g: readonly Candidate[], message: string, entryId?: string): boolean {
		if (!host) return false;
		const related = host.related as RelatedLocation[];
		g.forEach((x, i) => {
			related.push({ range: this.range(x), message: i === 0 ? message : t(this.loc, 'Also logged here') });
			this.usedRecords.add(x.record);
			for (const l of x.relatedLines ?? []) if (l >= 0) related.push(this.related({ record: this.recordAt(l), line: l }, t(this.loc, 'Last command before the failure')));
		});
		const entry = entryId ? getEntry(entryId) : undefined;
		if (entry && entryId !== host.entryId && entryId !== host.id) {
			const also = (host.explainedBy ?? []) as string[];
			if (!also.includes(entry.id)) (host as { explainedBy?: string[] }).explainedBy = [...also, entry.id];
			// What the cause's entry says to run comes first (`az provider register --namespace X`).
			const own = this.commands(entry, g[0].captures).filter((c) => !host.commands.includes(c));
			(host as { commands: readonly string[] }).commands = [...own, ...host.commands];
		}
		return true;
	}

	/** The AZCM finding of the run or stage a candidate happened in, when it was reported before the candidate. */
	private codeBefore(c: Candidate): Finding | undefined {
		for (const s of [c.run, c.stage]) {
			const f = s && this.owners.get(s);
			if (f && (f.kind === 'azcm' || f.kind === 'azcm-undocumented') && f.range.start.line <= c.line) return f;
		}
		return undefined;
	}

	/** Lines of a record that say what failed: a subprocess's `Exit code: N`, the exception that ends a traceback. */
	private evidence(record: number): number[] {
		const r = this.input.records[record];
		if (!r || r.endLine === r.startLine) return [];
		const lines = r.message.split('\n');
		const out: number[] = [];
		let traceback = false;
		for (let i = 1; i < lines.length; i++) {
			const l = lines[i];
			if (/^Exit code: [1-9]/.test(l)) out.push(r.startLine + i);
			if (l.startsWith('Traceback (most recent call last)')) traceback = true;
			else if (traceback && EXCEPTION_LINE.test(l)) {
				out.push(r.startLine + i);
				traceback = false;
			}
		}
		return out;
	}

	private platformSeverity(c: Candidate, declared: 'error' | 'warning' | 'level' | undefined): Severity {
		if (declared === 'warning' || (declared === 'level' && rank(c.level) < 4) || (c.type === 'voice' && c.level === 'warning')) return 'warning';
		for (const s of [c.run, c.stage, c.boot]) {
			if (!s) continue;
			if (s.outcome === 'failed') return 'error';
			if (s.outcome === 'ok') return 'warning';
		}
		return 'error';
	}

	// ---- exit codes, fatal records, custom patterns -------------------------------------------------------------

	private exit(cs: readonly Candidate[]): void {
		for (const g of this.group(cs)) {
			const c = g[0];
			const n = Number(c.captures.exitStatus);
			const entry = entryForExit(n);
			const related: RelatedLocation[] = (c.relatedLines ?? []).map((l) => this.related({ record: this.recordAt(l), line: l }, t(this.loc, 'Last command before the failure')));
			const message = entry ? t(this.loc, 'azcmagent exited with code {0}: {1}', n, this.title(entry)) : t(this.loc, 'azcmagent exited with code {0}, which the exit-code table does not list', n);
			this.push({ id: c.id, kind: 'exit', severity: 'error', range: this.range(c), message, ...this.entryFields(entry), captures: c.captures, related: [...related, ...this.also(g)], commands: entry?.commands ?? [], record: c.record }, c);
		}
	}

	/** Fatal agent records nothing else explains: a process died, and the log says why in its own words. */
	private fatal(): void {
		const recs = this.input.records;
		let last: (Finding & { related: RelatedLocation[] }) | undefined;
		let lastIndex = -2;
		for (let i = 0; i < recs.length; i++) {
			const r = recs[i];
			if ((r.level !== 'fatal' && r.level !== 'panic') || this.usedRecords.has(i)) continue;
			if (r.format !== 'azcmagent-log' && r.format !== 'azcmagent-console' && r.format !== 'plain') continue;
			const range = this.recordRange(i);
			// Fatal records printed back to back are one death.
			if (last && lastIndex === i - 1) {
				last.related.push({ range, message: t(this.loc, 'Also logged here') });
				lastIndex = i;
				continue;
			}
			last = { id: 'AGENT-FATAL', kind: 'agent', severity: 'error', range, message: t(this.loc, 'The agent stopped with a fatal error: {0}', quote(r.message)), captures: { text: quote(r.message, 300) }, related: [], commands: [], record: i };
			lastIndex = i;
			this.findings.push(last);
		}
	}

	private custom(cs: readonly Candidate[]): void {
		for (const c of cs) {
			const p = c.custom!;
			this.push({ id: p.id, kind: 'custom', severity: p.severity, range: this.range(c), message: p.message ?? t(this.loc, 'Custom pattern {0} matched: {1}', p.id, quote(c.captures.text ?? '', 120)), captures: c.captures, related: [], commands: [], record: c.record, ...(p.url ? { url: p.url } : {}), ...(p.remediation ? { remediation: p.remediation } : {}) }, c);
		}
	}

	/** Error findings mark what they happened in as failed (for the outline). */
	private propagate(): void {
		markFailed(this.input.sections, this.findings);
	}
}

/** Error findings mark what they happened in as failed (for the outline), innermost first. */
export function markFailed(sections: readonly MutableSection[], findings: readonly Finding[]): void {
	// Sections are in line order and do not overlap: a binary search finds the one holding a line (80k runs with a
	// finding each stay linear, issue 9 defect 8).
	const mark = (ss: readonly MutableSection[], line: number): void => {
		// The last section that starts at or before the line (sections are pushed in line order).
		const at = lastAtOrBefore(ss, startLine, line);
		for (let i = at; i >= 0 && i >= at - 1; i--) {
			if (line > ss[i].endLine) continue;
			mark(ss[i].children, line);
			ss[i].outcome = 'failed';
		}
	};
	for (const f of findings) if (f.severity === 'error') mark(sections, f.range.start.line);
}

export function resolveFindings(input: Input): Finding[] {
	return new Resolver(input).run();
}
