// One physical line → the record head it starts, trying every format of the registry in order (formats/registry.ts),
// after a serial-console or syslog prefix. Lines no format claims return no head (script output, wrapped text, ...).
// Also the parser of Azure Resource Manager errors, which appear inside messages of several formats.
import { cloudInitLog } from './cloud-init';
import type { Head } from './common';
import { FORMATS } from './registry';
import { parseShell } from './shell';

export { BANNER, FINISHED } from './cloud-init';
export { levelRank, type Head, type LineRole } from './common';
export { AZCMAGENT_COMMAND } from './shell';

const ARM_SHAPE = /RequestCorrelationId:\s{0,4}\S{1,80}\s{1,8}Message:\s{0,4}/;
const ARM_CODE = /\sCode:\s{0,4}([A-Za-z][\w.]{0,100})\s{1,8}httpStatusCode:\s{0,4}(\d{3})/;
const SDK_ERROR_CODE = /ERROR CODE:\s{0,4}([A-Za-z][\w.]{1,100})/;
const SDK_RESPONSE = /RESPONSE (\d{3}):/;

export interface ArmError {
	/** The ARM error code (`AuthorizationFailed`) and where it stands in the text. */
	readonly code: string;
	readonly codeStart: number;
	readonly status?: string;
	/** The error's message, for the `RequestCorrelationId: … Message: … Code: … httpStatusCode: …` shape. */
	readonly message?: string;
}

/**
 * An Azure Resource Manager error in one of its two printed shapes: the agent's
 * `RequestCorrelationId:<guid> Message: <text> Code: <ArmCode> httpStatusCode:<n>` (every console generation), or
 * the Azure SDK's `RESPONSE 403: …` / `ERROR CODE: <ArmCode>` body.
 */
export function parseArmError(text: string): ArmError | undefined {
	const shape = text.indexOf('RequestCorrelationId:') >= 0 ? ARM_SHAPE.exec(text) : null;
	if (shape) {
		const at = shape.index + shape[0].length;
		const c = ARM_CODE.exec(text.slice(at));
		if (!c) return undefined;
		const message = text.slice(at, at + c.index).trim();
		return { code: c[1], codeStart: at + c.index + c[0].indexOf(c[1]), status: c[2], ...(message ? { message } : {}) };
	}
	if (text.indexOf('ERROR CODE:') < 0) return undefined;
	const c = SDK_ERROR_CODE.exec(text);
	if (!c) return undefined;
	return { code: c[1], codeStart: c.index + c[0].length - c[1].length, status: SDK_RESPONSE.exec(text)?.[1] };
}

/** The syslog/journald prefix of a line cloud-init wrote through syslog: `Jun  4 07:01:55 myvm cloud-init[1204]: `. */
const SYSLOG_PREFIX = /^([A-Z][a-z]{2}) ([ \d]\d) (\d\d:\d\d:\d\d) (?:\S{1,100} )?(?:cloud-init\[\d+\]:|\[CLOUDINIT\]) /;

/** `[   12.345678] cloud-init[812]: ` serial console / boot diagnostics prefix: returns its length and the uptime. */
const SERIAL = /^\[ {0,12}(\d{1,7}\.\d{1,9})\] (?:cloud-init\[\d+\]: )?/;

export interface LineParse {
	readonly head?: Head;
	/** Length of a serial-console prefix that was skipped. */
	readonly prefix: number;
	readonly uptime?: number;
	/** The line came through syslog/journald (cloud-init.log's syslog form), not cloud-init's own output file. */
	readonly syslog?: boolean;
	/** A serial console line tagged `cloud-init[N]:`: cloud-init's output, whatever follows. */
	readonly cloudInitTag?: boolean;
}

/** The first format of the registry that claims the line from `off`, else a shell line (xtrace, prompt, traceback). */
function claim(text: string, off: number, line: number, partial: boolean): Head | undefined {
	for (const f of FORMATS) {
		const h = f.parse(text, off, line, partial);
		if (h) return h;
	}
	return parseShell(text, off, line);
}

/**
 * Parse one physical line. Lines that no format claims return no head (plain text: script output, wrapped text, ...).
 * `partial`: a head may leave its fields and its time's epoch ms unread (it then says `partial`).
 */
export function parseLine(text: string, line: number, { partial = false } = {}): LineParse {
	let off = 0;
	let uptime: number | undefined;
	if (text.charCodeAt(0) === 91 /* [ */) {
		const s = SERIAL.exec(text);
		if (s) {
			off = s[0].length;
			uptime = Number(s[1]);
		}
	}
	// cloud-init writing through syslog: a record of its own (module.py[LEVEL]) or script output behind the prefix.
	let syslog: Head['time'] | undefined;
	if (!off && text.charCodeAt(0) >= 65 && text.charCodeAt(0) <= 90) {
		const own = cloudInitLog.parse(text, 0, line);
		if (own) return { head: own, prefix: 0, syslog: own.time?.ms !== undefined && /^[A-Z]/.test(own.time.text) };
		const p = SYSLOG_PREFIX.exec(text);
		if (p) {
			off = p[0].length;
			syslog = { text: `${p[1]} ${p[2]} ${p[3]}`, span: { line, start: 0, end: p[1].length + p[2].length + p[3].length + 2 } };
		}
	}
	const head = claim(text, off, line, partial);
	if (syslog) {
		// Each syslog line is a record of its own (multi-line output is escaped as #012), whatever follows the prefix.
		const h: Head = head ?? { format: 'plain', message: text.slice(off), messageSpan: { line, start: off, end: text.length }, fields: [] };
		return { head: h.time ? h : { ...h, time: syslog }, prefix: off, syslog: true };
	}
	if (head && uptime !== undefined && !head.time) {
		return { head: { ...head, time: { text: text.slice(1, off).trim().replace(/\].*$/, ''), relative: uptime, span: { line, start: 0, end: text.indexOf(']') + 1 } } }, prefix: off, uptime };
	}
	return { head, prefix: off, uptime, ...(uptime !== undefined && text.slice(0, off).includes('cloud-init[') ? { cloudInitTag: true } : {}) };
}
