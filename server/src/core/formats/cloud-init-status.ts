// `cloud-init status --long` (YAML-like) and `cloud-init status --format json`: the status of the last boot, its
// `errors` and `recoverable_errors` (grouped by level). Each listed error or recoverable error is a finding; empty
// lists (`errors: []`, `"recoverable_errors": {}`) are not.
import { defineFormat, type FormatEvent, type FormatScanner, type Head } from './common';

const KEY = /^(\s*)"?(status|extended_status|boot_status_code|last_update|detail|datasource|errors|recoverable_errors|stage|init|init-local|modules-config|modules-final|schemas|config|start|finished|WARNING|ERROR|CRITICAL|DEPRECATED)"?\s{0,4}:\s{0,4}(.*)$/;
/** Keys that only appear in status output (a lone `status:` or `detail:` is not enough to claim a document). */
const DISTINCT_KEY = /^(?:extended_status|boot_status_code|recoverable_errors|last_update)$/;
const YAML_ITEM = /^(\s*)- (\S.*)$/;
const JSON_ITEM = /^(\s*)"((?:[^"\\]|\\.){1,2000})",?\s*$/;

function parseStatus(text: string, off: number, line: number): Head | undefined {
	if (off) return undefined;
	const m = KEY.exec(text);
	if (!m || !(DISTINCT_KEY.test(m[2]) || /^"/.test(text.trim()) || /^(?:done|error|running|disabled|not started|degraded)\b/.test(m[3]))) return undefined;
	const valueStart = text.length - m[3].length;
	return {
		format: 'cloud-init-status',
		message: text.trim(),
		messageSpan: { line, start: m[1].length, end: text.length },
		fields: [{ key: m[2], value: m[3].replace(/^"|",?$/g, ''), keySpan: { line, start: m[1].length, end: m[1].length + m[2].length + (text[m[1].length] === '"' ? 2 : 0) }, valueSpan: { line, start: valueStart, end: text.length } }],
	};
}

function unescapeJson(s: string): string {
	try {
		return JSON.parse(`"${s}"`) as string;
	} catch {
		return s;
	}
}

class StatusScanner implements FormatScanner {
	/** The list being read: top-level errors, or recoverable errors of a level. */
	private section: { kind: 'errors' | 'recoverable'; indent: number; level?: string } | undefined;
	private statusLine: number | undefined;
	private extended: { line: number; degraded: boolean; start: number; end: number; text: string } | undefined;
	private errorsSeen = false;
	/** Lines of the recoverable errors listed (a degraded status points to them). */
	private recoverable: number[] = [];
	private pendingStatus: FormatEvent | undefined;
	/** A line of status output was seen: from here on, key lines are read as status keys. */
	private active = false;

	line(text: string, line: number, head: Head | undefined, emit: (e: FormatEvent) => void): void {
		if (head?.format === 'cloud-init-status') this.active = true;
		if (!this.active) return;
		const key = KEY.exec(text);
		if (key) {
			const [, indent, name, value] = key;
			const v = value.replace(/^"|"?,?\s*$/g, '');
			if (name === 'errors') this.section = /^\[\s*\]|^\[\]/.test(value) ? undefined : { kind: 'errors', indent: indent.length };
			else if (name === 'recoverable_errors') this.section = /^\{\s*\}/.test(value) ? undefined : { kind: 'recoverable', indent: indent.length };
			else if (/^(?:WARNING|ERROR|CRITICAL|DEPRECATED)$/.test(name) && this.section?.kind === 'recoverable') this.section = { ...this.section, level: name };
			else {
				this.section = undefined;
				if (name === 'status' && indent.length <= 8 && v === 'error') {
					this.statusLine = line;
					const start = text.indexOf('error', indent.length + name.length);
					this.pendingStatus = { id: 'CI-STATUS-ERROR', line, start, end: start + 5, captures: { text: text.trim() } };
				}
				if (name === 'extended_status' && /^(?:degraded|error)\b/.test(v)) {
					const start = text.indexOf(v);
					this.extended = { line, degraded: v.startsWith('degraded'), start, end: start + v.length, text: v };
				}
			}
			return;
		}
		if (!this.section) return;
		const item = YAML_ITEM.exec(text) ?? JSON_ITEM.exec(text);
		if (!item) {
			if (/^\s*[\]}],?\s*$/.test(text) && this.section.kind === 'errors') this.section = undefined;
			return;
		}
		const raw = item[2];
		const msg = YAML_ITEM.test(text) ? raw : unescapeJson(raw);
		const start = item[1].length + (text[item[1].length] === '-' ? 2 : 1);
		const end = Math.min(text.length, start + raw.length);
		if (this.section.kind === 'errors') {
			const related = [this.statusLine, this.extended && !this.extended.degraded ? this.extended.line : undefined].filter((x): x is number => x !== undefined);
			emit({ id: 'CI-STATUS-ERROR', line, start, end, captures: { text: msg }, relatedLines: this.errorsSeen ? [] : related });
			this.errorsSeen = true;
		} else {
			emit({ id: 'CI-STATUS-RECOVERABLE', line, start, end, captures: { text: msg, level: this.section.level ?? 'WARNING' } });
			this.recoverable.push(line);
		}
	}

	flush(emit: (e: FormatEvent) => void): void {
		if (this.pendingStatus && !this.errorsSeen) emit(this.pendingStatus);
		if (this.extended?.degraded) emit({ id: 'CI-STATUS-DEGRADED', line: this.extended.line, start: this.extended.start, end: this.extended.end, captures: { text: this.extended.text }, relatedLines: this.recoverable });
		else if (this.extended && !this.errorsSeen && !this.pendingStatus) emit({ id: 'CI-STATUS-ERROR', line: this.extended.line, start: this.extended.start, end: this.extended.end, captures: { text: this.extended.text } });
		this.pendingStatus = undefined;
		this.extended = undefined;
		this.statusLine = undefined;
		this.errorsSeen = false;
		this.recoverable = [];
		this.section = undefined;
		this.active = false;
	}
}

export const cloudInitStatus = defineFormat({
	id: 'cloud-init-status',
	language: 'cloud-init-log',
	label: 'cloud-init status --long / --format json',
	fileNames: [/^cloud-init-status[^/\\]*$/i, /^status\.json$/i],
	parse: parseStatus,
	scanner: () => new StatusScanner(),
});
