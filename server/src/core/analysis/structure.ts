// Structure above records: azcmagent runs (a command → its outcome), cloud-init boots and their stages.
// Built incrementally while records stream by; a run started by `+ azcmagent connect` inside a cloud-init stage
// nests under that stage.
import type { Outcome, Section } from '../model';

/** Records that say an azcmagent run succeeded. Agent wording across versions. */
export const RUN_SUCCESS = /Successfully Onboarded Resource to Azure|Successfully (?:connected|disconnected|reconnected)\b|Connected machine to Azure|Machine disconnected from Azure|Successfully deleted the Arc server resource/i;
/** A record that names the command of a run: `Agent Command: connect` (also `Command: connect`). */
export const RUN_COMMAND = /\b(?:Agent )?Command:\s{0,4}(connect|disconnect|reconnect|show|check|logs|config|extension|license|version|genkey|upgrade)\b/i;
/** The first record of an onboarding when nothing named the command (the agent's, a Group Policy task's). */
export const RUN_ONBOARDING = /^(?:Onboarding Machine\b|Starting Azure Arc onboarding\b)/i;
/** A record that says an onboarding attempt failed without a code (Group Policy task, wrappers). */
export const RUN_FAILED = /^Onboarding failed\b/i;
/** Commands that change the machine's state: each run of one is a new attempt (`show`, `logs`, `check` are not). */
const ATTEMPT_COMMANDS = new Set(['connect', 'disconnect', 'reconnect', 'upgrade', 'azcmagent']);

/** A section while the analysis builds it (the model's Section is read-only once built). */
export interface MutableSection extends Omit<Section, 'endLine' | 'startLine' | 'outcome' | 'detail' | 'children'> {
	startLine: number;
	endLine: number;
	outcome: Outcome;
	detail?: string;
	children: MutableSection[];
}

function section(kind: Section['kind'], name: string, startLine: number, time?: Section['time']): MutableSection {
	return { kind, name, startLine, endLine: startLine, outcome: 'unknown', time, children: [] };
}

/** cloud-init's stages in the order a boot runs them (a Map: a banner's name such as `constructor` is no key of a prototype). */
const STAGE_ORDER: ReadonlyMap<string, number> = new Map([['init-local', 0], ['init', 1], ['modules:config', 2], ['modules:final', 3]]);

/** The open sections by their place in `StructureBuilder.all` (-1: none). */
export interface SectionIds {
	readonly run: number;
	readonly stage: number;
	readonly boot: number;
}

export class StructureBuilder {
	readonly top: MutableSection[] = [];
	/** Every section in the order it started: what refers to a section by number finds it here, in a copy too. */
	all: MutableSection[] = [];
	private ids: SectionIds = { run: -1, stage: -1, boot: -1 };
	private boot: MutableSection | undefined;
	private stage: MutableSection | undefined;
	private run: MutableSection | undefined;
	/** The run got its outcome (an `Exit Code:` record): it keeps following records only while they belong to it. */
	private runClosing = false;
	private lastLine = -1;
	/** Counts onboarding attempts: errors of one attempt are one event however often they are repeated. */
	attempt = 0;
	/** Counts the changes other than a record extending the open sections (the analyzer stamps its state by them). */
	changes = 0;

	/** The innermost open run, stage and boot. */
	get current(): { run?: MutableSection; stage?: MutableSection; boot?: MutableSection } {
		return { run: this.run, stage: this.stage, boot: this.boot };
	}

	/** The open run, stage and boot by number (in `all`). */
	get currentIds(): SectionIds {
		return this.ids;
	}

	private open(kind: Section['kind'], name: string, line: number, time?: Section['time']): MutableSection {
		const s = section(kind, name, line, time);
		this.ids = { ...this.ids, [kind]: this.all.length };
		this.all.push(s);
		return s;
	}

	/** Every record extends the open sections. */
	touch(line: number): void {
		this.lastLine = line;
		if (this.run) this.run.endLine = line;
		if (this.stage) this.stage.endLine = line;
		if (this.boot) this.boot.endLine = line;
	}

	stageBanner(name: string, line: number, time?: Section['time']): void {
		this.changes++;
		const order = STAGE_ORDER.get(name) ?? 3;
		const last = this.stage ? STAGE_ORDER.get(this.stage.name) ?? 3 : -1;
		this.closeRun(line - 1);
		if (!this.boot || order === 0 || order <= last) {
			this.closeBoot(line - 1);
			this.boot = this.open('boot', '', line, time);
			this.top.push(this.boot);
		}
		this.stage = this.open('stage', name, line, time);
		this.boot.children.push(this.stage);
	}

	/**
	 * The `finished at` line. The boot stays the current one until the next banner: cloud-init.log writes the
	 * stage's closing events (`finish: modules-final: FAIL`) after it.
	 */
	bootFinished(line: number): void {
		this.changes++;
		this.touch(line);
		this.closeRun(line);
		if (this.boot && this.boot.outcome === 'unknown') this.boot.outcome = 'ok';
	}

	startRun(name: string, line: number, time?: Section['time']): MutableSection {
		this.changes++;
		this.closeRun(line - 1);
		this.run = this.open('run', name, line, time);
		this.runClosing = false;
		if (ATTEMPT_COMMANDS.has(name)) this.attempt++;
		(this.stage ? this.stage.children : this.top).push(this.run);
		return this.run;
	}

	/** Rename an implicit run once a record names its command. */
	nameRun(name: string): void {
		this.changes++;
		if (this.run) (this.run as { name: string }).name = name;
	}

	/** The open run, or a new implicit one when a run outcome shows up outside any run. */
	ensureRun(line: number, time?: Section['time']): MutableSection {
		return this.run ?? this.startRun('azcmagent', line, time);
	}

	runOutcome(outcome: Outcome, detail: string | undefined, closing: boolean): void {
		this.changes++;
		const run = this.run;
		if (!run) return;
		if (outcome === 'failed' || run.outcome === 'unknown') {
			run.outcome = outcome;
			if (detail) run.detail = detail;
		}
		if (closing) this.runClosing = true;
	}

	get isRunClosing(): boolean {
		return this.runClosing;
	}

	closeRun(endLine: number): void {
		this.changes++;
		if (this.run) this.run.endLine = Math.max(this.run.startLine, Math.min(this.run.endLine, endLine));
		this.run = undefined;
		this.ids = { ...this.ids, run: -1 };
		this.runClosing = false;
	}

	private closeBoot(endLine: number): void {
		if (this.boot) this.boot.endLine = Math.max(this.boot.startLine, Math.min(this.boot.endLine, endLine));
		this.boot = undefined;
		this.stage = undefined;
		this.ids = { ...this.ids, stage: -1, boot: -1 };
	}

	/** A copy that goes on on its own (what refers to a section by number in `all` finds its copy there). */
	clone(): StructureBuilder {
		const map = new Map<MutableSection, MutableSection>();
		const copy = (s: MutableSection): MutableSection => {
			const c: MutableSection = { ...s, children: s.children.map(copy) };
			map.set(s, c);
			return c;
		};
		const b = new StructureBuilder();
		b.top.push(...this.top.map(copy));
		const same = (s: MutableSection | undefined) => (s === undefined ? undefined : map.get(s));
		b.boot = same(this.boot);
		b.stage = same(this.stage);
		b.run = same(this.run);
		b.all = this.all.map((s) => map.get(s)!);
		b.ids = this.ids;
		b.runClosing = this.runClosing;
		b.lastLine = this.lastLine;
		b.attempt = this.attempt;
		b.changes = this.changes;
		return b;
	}

	finish(): MutableSection[] {
		this.closeRun(this.lastLine);
		this.boot = undefined;
		this.stage = undefined;
		this.ids = { run: -1, stage: -1, boot: -1 };
		return this.top;
	}
}
