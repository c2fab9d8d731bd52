// Share safely: replace what identifies a customer, or grants access, in log text with stable placeholders before
// the text leaves the machine (a ticket, a chat, a forum). Pure: no Node API, no vscode.
//
// Kinds (what `arcLogs.redact.kinds` and `arc-logs redact --kinds` list):
//   ids      GUIDs, named after the context the log gives them: <tenant-n> (`--tenant-id`, `tenantId=`,
//            login.microsoftonline.com/<id>), <subscription-n> (`/subscriptions/<id>`, `--subscription-id`),
//            <object-n> (service principal, application, client and object ids), <correlation-n>
//            (`RequestCorrelationId:`, `Correlation ID=`, `Trace ID:`, request and activity ids); any other GUID <guid-n>
//   tokens   <token-n>: JWTs (`eyJ…`, also cut short), `Bearer …`, `--access-token`, `access_token=`, SAS `sig=`,
//            `AccountKey=`, `SharedAccessKey=`, API keys
//   secrets  <secret-n>: `--service-principal-secret X`, `-ServicePrincipalSecret`, `--client-secret`, `password=`,
//            `"password": "…"`, `client_secret`, `Pwd=` of connection strings, `user:password@` in URLs
//   ips      <ip-n>: IPv4 and IPv6 addresses, except those that identify nobody: loopback, unspecified (0.0.0.0, ::),
//            netmasks, broadcast, the Azure and cloud metadata endpoints 169.254.169.254 and 168.63.129.16
//   hosts    <host-n>: host names of URLs, fully qualified names with a common top-level domain, names given as a host
//            (`hostname=`, `--resource-name`, `/machines/<name>`, the host field of syslog lines), except Microsoft
//            and Azure service endpoints (what support needs to read) and localhost
//   users    <user-n>: `/home/<u>`, `/Users/<u>`, `C:\Users\<u>`, `user=`, `username=`, `User Id=`, `--username`,
//            the `user` of `user@host:~$` prompts and of `user:password@` URLs; not root, Administrator, Public, Default
//
// The same value gets the same placeholder everywhere in one excerpt (or one CLI input); ids compare case-insensitively.
// Text outside the replaced values is left byte for byte. Every pattern starts at a literal or at a boundary and
// its repetitions are bounded or stop at characters that end them, so the work is linear in the length of a line.

import type { Finding, LineSource, Range, Severity } from './model';

export const REDACT_KINDS = ['ids', 'tokens', 'secrets', 'ips', 'hosts', 'users'] as const;
export type RedactKind = (typeof REDACT_KINDS)[number];
export const DEFAULT_REDACT_KINDS: readonly RedactKind[] = ['ids', 'tokens', 'secrets'];

/** What a placeholder says the value was. */
export type RedactLabel = 'tenant' | 'subscription' | 'object' | 'correlation' | 'guid' | 'token' | 'secret' | 'ip' | 'host' | 'user';

/** The placeholders redaction writes, e.g. `<tenant-1>`. */
export const PLACEHOLDER = /<(?:tenant|subscription|object|correlation|guid|token|secret|ip|host|user)-\d+>/g;

export interface RedactSpan {
	/** UTF-16 offsets into the line: [start, end). */
	readonly start: number;
	readonly end: number;
	readonly kind: RedactKind;
	readonly label: RedactLabel;
}

/** Kinds from a setting or a flag: the known ones (deduplicated, in REDACT_KINDS order) and the unknown names. */
export function parseKinds(value: unknown): { kinds: RedactKind[]; unknown: string[] } {
	const list = typeof value === 'string' ? value.split(',') : Array.isArray(value) ? value : [];
	const want = new Set<string>();
	const unknown: string[] = [];
	for (const v of list) {
		if (typeof v !== 'string') continue;
		const k = v.trim().toLowerCase();
		if (!k) continue;
		if (k === 'all') REDACT_KINDS.forEach((x) => want.add(x));
		else if ((REDACT_KINDS as readonly string[]).includes(k)) want.add(k);
		else unknown.push(v.trim());
	}
	return { kinds: REDACT_KINDS.filter((k) => want.has(k)), unknown };
}

// ---- ids ---------------------------------------------------------------------------------------------------------

const GUID = /[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}/g;
/** What may stand between a key and its value: quotes, `=`, `:`, brackets, spaces (a column of a table). */
const SEP = `[\\s"'\\\\=:{(\\[#@]{0,40}$`;
/** Read against the text just before a GUID (at most CONTEXT_CHARS), the first that matches names it. */
const CONTEXTS: readonly (readonly [RedactLabel, RegExp])[] = [
	['subscription', new RegExp(`/subscriptions/$|\\bsubscription(?:[-_ ]?id)?${SEP}`, 'i')],
	['tenant', new RegExp(`(?:\\b(?:home)?tenant(?:[-_ ]?id)?|\\btid|\\bdirectory(?:[-_ ]?id)|login\\.microsoftonline\\.(?:com|us)/|login\\.windows\\.net/|login\\.chinacloudapi\\.cn/|sts\\.windows\\.net/)${SEP}`, 'i')],
	[
		'object',
		new RegExp(`\\b(?:service[-_ ]?principal(?:[-_ ]?id)?|object[-_ ]?id|oid|app(?:lication)?(?:[-_ ]?id)?|client(?:[-_ ]?id)?|principal[-_ ]?id|(?:managed[-_ ]?)?identity(?:[-_ ]?id)?)${SEP}`, 'i'),
	],
	['correlation', new RegExp(`(?:correlation[-_ ]?id|\\brequest[-_ ]?id|x-ms-[a-z-]*request-id|\\btrace[-_ ]?id|\\bactivity[-_ ]?id|\\boperation[-_ ]?id)${SEP}`, 'i')],
];
const CONTEXT_CHARS = 64;
/** The nil GUID identifies nothing (an unset id). */
export const NIL_GUID = '00000000-0000-0000-0000-000000000000';

function guidLabel(line: string, start: number): RedactLabel | undefined {
	const before = line.slice(Math.max(0, start - CONTEXT_CHARS), start);
	for (const [label, re] of CONTEXTS) if (re.test(before)) return label;
	return undefined;
}

// ---- tokens and secrets ------------------------------------------------------------------------------------------

const JWT = /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}(?:\.[A-Za-z0-9_-]*){0,2}/g;
const BEARER = /\bBearer\s+([A-Za-z0-9._~+/=-]{16,})/gi;

/**
 * Keys whose value is a token or a secret. `flag`: the key may be written as a command-line option (`--x value`,
 * `-X value`); `colon`: `key: value` counts (else only `key=value`, or `"key": "value"` with quotes).
 */
const VALUE_KEYS: readonly { readonly re: string; readonly label: 'token' | 'secret'; readonly colon: boolean }[] = [
	{ re: 'service[-_]?principal[-_]?secret', label: 'secret', colon: true },
	{ re: 'client[-_]?secret', label: 'secret', colon: true },
	{ re: 'password|passwd|pwd', label: 'secret', colon: true },
	{ re: 'secret', label: 'secret', colon: false },
	{ re: 'access[-_]?token|refresh[-_]?token|id[-_]?token', label: 'token', colon: true },
	{ re: 'token', label: 'token', colon: false },
	{ re: 'sig', label: 'token', colon: false },
	{ re: 'account[-_]?key|shared[-_]?access[-_]?key|shared[-_]?access[-_]?signature|api[-_]?key|subscription[-_]?key', label: 'token', colon: true },
];
const KEY = new RegExp(`(?<![A-Za-z0-9$-])(--?)?(${VALUE_KEYS.map((k) => k.re).join('|')})(?![A-Za-z0-9_])`, 'gi');
const KEY_PARTS = VALUE_KEYS.map((k) => ({ ...k, whole: new RegExp(`^(?:${k.re})$`, 'i') }));
/** Where an unquoted value ends. */
const VALUE_END = /[\s;,&"'\\<>(){}[\]|]/;
const URL_USERINFO = /:\/\/([^\s:/@"'<>]{1,256}):([^\s/@"'<>]{1,256})@/g;

/** Values that are already masked or stand for a value: `***`, `<placeholder>`, `$variable`, `%VAR%`, `${x}`. */
function isMask(v: string): boolean {
	return /^(?:\*+|x{3,}|\.{3}|<[^>]*>?|\$\{?[\w]+\}?|%\w+%)$/i.test(v);
}

/** The value after a key at `at` (the key's end): its span, or undefined. */
function valueAfter(line: string, at: number, flag: boolean, colon: boolean, quotedKey: boolean): [number, number] | undefined {
	let i = at;
	// The closing quote of a quoted key ("password": …, \"password\": …).
	if (quotedKey) {
		if (line[i] === '\\' && line[i + 1] === '"') i += 2;
		else if (line[i] === '"' || line[i] === "'") i += 1;
	}
	let j = i;
	while (j < line.length && j - i < 40 && (line[j] === ' ' || line[j] === '\t')) j++;
	const sep = line[j];
	if (sep === '=' || (sep === ':' && (colon || quotedKey))) {
		j++;
		while (j < line.length && j - i < 16 && (line[j] === ' ' || line[j] === '\t')) j++;
	} else if (!(flag && j > i)) return undefined;
	// A quoted value runs to its closing quote (on this line); an unquoted one to a delimiter.
	let q = '';
	if (line[j] === '\\' && line[j + 1] === '"') {
		q = '\\"';
		j += 2;
	} else if (line[j] === '"' || line[j] === "'") {
		q = line[j];
		j += 1;
	}
	let end: number;
	if (q) {
		end = line.indexOf(q, j);
		if (end < 0) end = line.length;
	} else {
		end = j;
		while (end < line.length && !VALUE_END.test(line[end])) end++;
	}
	if (end <= j || isMask(line.slice(j, end))) return undefined;
	// `--secret --next-flag`: the option has no value here.
	if (flag && !q && line[j] === '-') return undefined;
	return [j, end];
}

// ---- ips ---------------------------------------------------------------------------------------------------------

const IPV4 = /(?<![\w.])(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?!\w|\.\d)/g;
const IPV6 = /(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|(?:\d{1,3}\.){3}\d{1,3})?(?![\w:])/g;

/** Whether the IPv4 address identifies nobody: unspecified, loopback, a netmask or broadcast, a metadata endpoint. */
export function isAnonymousIpv4(octets: readonly number[]): boolean {
	const [a, b, c, d] = octets;
	if (a === 0 || a === 127) return true;
	if ((a === 169 && b === 254 && c === 169 && d === 254) || (a === 168 && b === 63 && c === 129 && d === 16)) return true;
	const n = ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
	// A netmask: ones, then zeros (255.255.240.0), the all-ones broadcast among them.
	return a === 255 && ((~n >>> 0) & ((~n >>> 0) + 1)) === 0;
}

function ipv4At(m: RegExpExecArray, line: string): boolean {
	const parts = m.slice(1, 5);
	if (parts.some((p) => (p.length > 1 && p[0] === '0') || Number(p) > 255)) return false;
	if (isAnonymousIpv4(parts.map(Number))) return false;
	// A four-part version number (Version: 1.29.82.0) is not an address.
	return !/version\s*[:=]?\s*$|\bv$/i.test(line.slice(Math.max(0, m.index - 40), m.index));
}

function ipv6At(s: string): boolean {
	const halves = s.split('::');
	if (halves.length > 2) return false;
	let count = 0;
	for (const half of halves) {
		if (half === '') continue;
		const groups = half.split(':');
		for (let i = 0; i < groups.length; i++) {
			const g = groups[i];
			if (g === '') return false;
			const v4 = i === groups.length - 1 && half === halves[halves.length - 1] && g.includes('.');
			if (v4 ? !/^(\d{1,3}\.){3}\d{1,3}$/.test(g) : !/^[0-9A-Fa-f]{1,4}$/.test(g)) return false;
			count += v4 ? 2 : 1;
		}
	}
	// Without '::' all eight groups are written (times like 14:54:07 and MAC addresses have fewer); '::' and '::1'
	// identify nobody.
	if (halves.length === 1) return count === 8;
	return count <= 7 && count > 0 && !/^::1?$/.test(s);
}

// ---- hosts -------------------------------------------------------------------------------------------------------

/** Microsoft and Azure service endpoints (and their subdomains): what support needs to read, never redacted. */
export const SERVICE_DOMAINS: readonly string[] = [
	'microsoft.com', 'microsoftonline.com', 'microsoftonline.us', 'windows.net', 'windows.com', 'windowsupdate.com',
	'azure.com', 'azure.net', 'azure.us', 'azure.cn', 'azureedge.net', 'azurefd.net', 'azure-automation.net',
	'azurecr.io', 'msftauth.net', 'msauth.net', 'msft.net', 'msocsp.com', 'microsoft.us', 'usgovcloudapi.net',
	'chinacloudapi.cn', 'visualstudio.com', 'live.com', 'office.com', 'aka.ms', 'digicert.com', 'mcr.microsoft.com',
];
/** Public package and code hosts the logs download from: they identify nobody. */
export const PUBLIC_DOMAINS: readonly string[] = [
	'ubuntu.com', 'canonical.com', 'launchpad.net', 'snapcraft.io', 'debian.org', 'centos.org', 'fedoraproject.org',
	'redhat.com', 'github.com', 'githubusercontent.com', 'python.org', 'pypi.org', 'docker.com', 'docker.io', 'npmjs.org',
	'cloud-init.io', 'kernel.org', 'suse.com', 'opensuse.org',
];
const TLDS = new Set(
	(
		'com net org edu gov mil int io info biz co us uk eu de se nl fr ca au jp cn in ru br it es ch at be dk no fi pl ie nz sg hk kr za mx tw ' +
		'local lan internal intranet corp home localdomain cloud dev app ai'
	).split(' '),
);
const FQDN = /(?<![\w.-])(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.){1,16}([A-Za-z]{2,24})(?![\w-]|\.[A-Za-z0-9])/g;
const URL_HOST = /:\/\/(?:[^\s/@"'<>]{1,256}@)?([A-Za-z0-9][A-Za-z0-9.-]{0,252})/g;
const HOST_KEY = /(?<![A-Za-z0-9-])(?:(--?)|\b)(host(?:[-_ ]?name)?|computer[-_ ]?name|machine[-_ ]?name|resource[-_]?name|node[-_ ]?name|fqdn)(?![A-Za-z0-9_])/gi;
const MACHINES = /providers\/Microsoft\.HybridCompute\/machines\/([A-Za-z0-9][A-Za-z0-9._-]{0,63})/gi;
/** An e-mail address: the local part is a user, the domain a host. */
const EMAIL = /(?<![\w.%+-])([A-Za-z0-9._%+-]{1,64})@([A-Za-z0-9](?:[A-Za-z0-9-]{0,62}\.){1,8}[A-Za-z]{2,24})(?![\w-])/g;
/** The host field of a syslog or journal line: `Jun  7 14:54:07 <host> program[pid]: `. */
const SYSLOG_HOST = /^(?:[A-Z][a-z]{2} {1,2}\d{1,2} \d\d:\d\d:\d\d|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?(?:Z|[+-]\d\d:?\d\d)?) ([A-Za-z0-9][A-Za-z0-9.-]{0,252}) (?=[\w./-]{1,64}(?:\[\d{1,10}\])?: )/;
const SHELL_PROMPT = /(?<![\w.-])([a-z_][a-z0-9_.-]{0,31})@([A-Za-z0-9][A-Za-z0-9.-]{0,62})(?=:[~/])/g;

export function isServiceHost(host: string): boolean {
	const h = trimDots(host.toLowerCase());
	return [...SERVICE_DOMAINS, ...PUBLIC_DOMAINS].some((d) => h === d || h.endsWith(`.${d}`));
}

/** Names that identify nobody: this machine, the cloud metadata services. */
export const ANONYMOUS_HOSTS: ReadonlySet<string> = new Set(['localhost', 'localhost.localdomain', 'instance-data', 'metadata', 'metadata.google.internal']);

function isHostValue(v: string): boolean {
	const h = trimDots(v.toLowerCase());
	if (!/[a-z]/.test(h) || ANONYMOUS_HOSTS.has(h) || h.endsWith('.localhost') || PROSE.has(h) || isServiceHost(h)) return false;
	// An IP literal is an address, not a name.
	return !/^[\d.]+$/.test(h);
}

// ---- users -------------------------------------------------------------------------------------------------------

const HOME = /(?:\/home\/|\/Users\/|[A-Za-z]:(?:\\\\?|\/)Users(?:\\\\?|\/))([^\s/\\"':;,()[\]<>|*?#$]{1,64})/gi;
const USER_KEY = /(?<![A-Za-z0-9-])(?:(--?)|\b)(user(?:[-_ ]?(?:name|id))?|login[-_]?name)(?![A-Za-z0-9_])/gi;
const NOT_PERSONAL = new Set(['root', 'administrator', 'admin', 'system', 'public', 'default', 'default user', 'all users', 'localservice', 'networkservice', 'nobody', 'daemon']);

function isUserValue(v: string): boolean {
	// Not a file put straight into C:\Users\ (C:\Users\AzureConnectedMachineAgent.msi).
	return !NOT_PERSONAL.has(v.toLowerCase()) && /[A-Za-z0-9]/.test(v) && !/\.(?:msi|exe|ps1|txt|log|zip|json|xml|cmd|bat|ini)$/i.test(v);
}

/** Words that follow an option in prose ("use --resource-name to choose"), not its value. */
const PROSE = new Set(['to', 'the', 'a', 'an', 'of', 'for', 'with', 'is', 'be', 'and', 'or', 'not', 'in', 'on', 'as', 'if', 'was']);

/** `s` without trailing dots (a loop: `/\.+$/` costs quadratic time on a long run of dots). */
function trimDots(s: string): string {
	let end = s.length;
	while (end > 0 && s.charCodeAt(end - 1) === 46) end--;
	return end === s.length ? s : s.slice(0, end);
}

/**
 * Every match of the global `re` in `line`; `f` returns where the value it took ends, and matching goes on from
 * there: keys inside a value are not read again (`password=password=…` costs linear time, not quadratic).
 */
function eachKey(re: RegExp, line: string, f: (m: RegExpExecArray) => number | undefined): void {
	re.lastIndex = 0;
	for (let m = re.exec(line); m; m = re.exec(line)) {
		const end = f(m);
		if (end !== undefined && end > re.lastIndex) re.lastIndex = end;
	}
}

// ---- the redactor ------------------------------------------------------------------------------------------------

/** Which label wins when two candidates cover the same text: secrets and tokens over what they contain. */
const PRIORITY: Readonly<Record<RedactLabel, number>> = { secret: 0, token: 1, user: 2, tenant: 3, subscription: 3, object: 3, correlation: 3, guid: 4, host: 5, ip: 6 };
const KIND_OF: Readonly<Record<RedactLabel, RedactKind>> = {
	tenant: 'ids', subscription: 'ids', object: 'ids', correlation: 'ids', guid: 'ids', token: 'tokens', secret: 'secrets', ip: 'ips', host: 'hosts', user: 'users',
};
const ID_LABELS: ReadonlySet<RedactLabel> = new Set(['tenant', 'subscription', 'object', 'correlation', 'guid']);

/**
 * Redacts line after line with one table of placeholders: the same value, the same placeholder. Optionally
 * `learn()` every line first (a whole excerpt): a GUID then gets the name of the first context that names it,
 * even where it appears before that context.
 */
export class Redactor {
	private readonly kinds: ReadonlySet<RedactKind>;
	private readonly placeholders = new Map<string, string>();
	private readonly counters = new Map<RedactLabel, number>();
	private readonly learned = new Map<string, RedactLabel>();
	/** Values replaced (occurrences). */
	replaced = 0;

	constructor(kinds: readonly RedactKind[] = DEFAULT_REDACT_KINDS) {
		this.kinds = new Set(kinds);
	}

	/** Distinct values replaced. */
	get distinct(): number {
		return this.placeholders.size;
	}

	/** Name the GUIDs of `line` from their context, for lines redacted later. */
	learn(line: string): void {
		if (!this.kinds.has('ids')) return;
		for (const m of line.matchAll(GUID)) {
			const key = m[0].toLowerCase();
			if (this.learned.has(key)) continue;
			const label = guidLabel(line, m.index);
			if (label) this.learned.set(key, label);
		}
	}

	/** The line with every value of the chosen kinds replaced by its placeholder. */
	line(line: string): string {
		const spans = this.spans(line);
		if (!spans.length) return line;
		let out = '';
		let at = 0;
		for (const s of spans) {
			out += line.slice(at, s.start) + this.placeholder(line.slice(s.start, s.end), s.label);
			at = s.end;
		}
		this.replaced += spans.length;
		return out + line.slice(at);
	}

	/** The values of `line` to replace: sorted, not overlapping (no placeholder is assigned). */
	spans(line: string): RedactSpan[] {
		const found: RedactSpan[] = [];
		const add = (start: number, end: number, label: RedactLabel) => {
			if (end > start && this.kinds.has(KIND_OF[label])) found.push({ start, end, kind: KIND_OF[label], label });
		};
		const k = this.kinds;
		if (k.has('ids')) {
			for (const m of line.matchAll(GUID)) {
				if (m[0] === NIL_GUID) continue;
				add(m.index, m.index + m[0].length, this.learned.get(m[0].toLowerCase()) ?? guidLabel(line, m.index) ?? 'guid');
			}
		}
		if (k.has('tokens')) {
			for (const m of line.matchAll(JWT)) add(m.index, m.index + m[0].length, 'token');
			// A bearer token, not the word in a sentence ("Bearer authorization failed").
			for (const m of line.matchAll(BEARER)) if (/[0-9._~+/=-]/.test(m[1])) add(m.index + m[0].length - m[1].length, m.index + m[0].length, 'token');
		}
		if (k.has('tokens') || k.has('secrets')) {
			eachKey(KEY, line, (m) => {
				const part = KEY_PARTS.find((p) => p.whole.test(m[2]))!;
				const keyStart = m.index + (m[1]?.length ?? 0);
				const quotedKey = line[keyStart - 1] === '"' || line[keyStart - 1] === "'";
				const v = valueAfter(line, m.index + m[0].length, m[1] !== undefined, part.colon, quotedKey);
				if (!v) return undefined;
				// PWD=/home/x of sudo and shells is the working directory.
				if (!(/^pwd$/i.test(m[2]) && /^[/~]/.test(line[v[0]]))) add(v[0], v[1], part.label);
				return v[1];
			});
			for (const m of line.matchAll(URL_USERINFO)) {
				const end = m.index + m[0].length - 1;
				if (!isMask(m[2])) add(end - m[2].length, end, 'secret');
			}
		}
		if (k.has('users')) {
			for (const m of line.matchAll(URL_USERINFO)) if (isUserValue(m[1])) add(m.index + 3, m.index + 3 + m[1].length, 'user');
			for (const m of line.matchAll(HOME)) if (isUserValue(m[1])) add(m.index + m[0].length - m[1].length, m.index + m[0].length, 'user');
			eachKey(USER_KEY, line, (m) => {
				const v = valueAfter(line, m.index + m[0].length, m[1] !== undefined, true, line[m.index - 1] === '"' || line[m.index - 1] === "'");
				if (!v) return undefined;
				// DOMAIN\user as one value.
				const domain = line[v[1]] === '\\' ? /^\\[^\s\\;,&"'<>()|]{1,64}/.exec(line.slice(v[1], v[1] + 66)) : null;
				const end = domain ? v[1] + domain[0].length : v[1];
				const value = line.slice(v[0], end);
				if (isUserValue(value) && !PROSE.has(value.toLowerCase()) && !value.startsWith('/subscriptions/')) add(v[0], end, 'user');
				return end;
			});
			for (const m of line.matchAll(SHELL_PROMPT)) if (isUserValue(m[1])) add(m.index, m.index + m[1].length, 'user');
			for (const m of line.matchAll(EMAIL)) if (isUserValue(m[1])) add(m.index, m.index + m[1].length, 'user');
		}
		if (k.has('hosts')) {
			for (const m of line.matchAll(URL_HOST)) {
				const host = trimDots(m[1]);
				if (isHostValue(host)) add(m.index + m[0].length - m[1].length, m.index + m[0].length - m[1].length + host.length, 'host');
			}
			for (const m of line.matchAll(FQDN)) if (TLDS.has(m[1].toLowerCase()) && isHostValue(m[0])) add(m.index, m.index + m[0].length, 'host');
			eachKey(HOST_KEY, line, (m) => {
				const v = valueAfter(line, m.index + m[0].length, m[1] !== undefined, true, line[m.index - 1] === '"' || line[m.index - 1] === "'");
				if (!v) return undefined;
				const name = trimDots(/^[A-Za-z0-9][A-Za-z0-9.-]*/.exec(line.slice(v[0], v[1]))?.[0] ?? '');
				if (name && isHostValue(name)) add(v[0], v[0] + name.length, 'host');
				return v[1];
			});
			for (const m of line.matchAll(MACHINES)) if (isHostValue(m[1])) add(m.index + m[0].length - m[1].length, m.index + m[0].length, 'host');
			const sys = SYSLOG_HOST.exec(line);
			if (sys && isHostValue(sys[1])) add(sys[0].length - sys[1].length - 1, sys[0].length - 1, 'host');
			for (const m of line.matchAll(SHELL_PROMPT)) if (isHostValue(m[2])) add(m.index + m[1].length + 1, m.index + m[0].length, 'host');
			for (const m of line.matchAll(EMAIL)) if (isHostValue(m[2])) add(m.index + m[1].length + 1, m.index + m[0].length, 'host');
		}
		if (k.has('ips')) {
			for (const m of line.matchAll(IPV4)) if (ipv4At(m, line)) add(m.index, m.index + m[0].length, 'ip');
			for (const m of line.matchAll(IPV6)) if (ipv6At(m[0])) add(m.index, m.index + m[0].length, 'ip');
		}
		if (found.length < 2) return found;
		// The earliest, then the longest, then the most sensitive wins; what overlaps a winner is dropped.
		found.sort((a, b) => a.start - b.start || b.end - a.end || PRIORITY[a.label] - PRIORITY[b.label]);
		const out: RedactSpan[] = [];
		for (const s of found) {
			const last = out[out.length - 1];
			if (last && s.start < last.end) {
				// A value that runs on past the winner (a URL host that ends in an IP) extends it.
				if (s.end > last.end) out[out.length - 1] = { ...last, end: s.end };
				continue;
			}
			out.push(s);
		}
		return out;
	}

	private placeholder(value: string, label: RedactLabel): string {
		const key = ID_LABELS.has(label) ? `id:${value.toLowerCase()}` : `${KIND_OF[label]}:${value}`;
		let p = this.placeholders.get(key);
		if (!p) {
			const n = (this.counters.get(label) ?? 0) + 1;
			this.counters.set(label, n);
			p = `<${label}-${n}>`;
			this.placeholders.set(key, p);
		}
		return p;
	}
}

/** Redact a whole text (an excerpt): line breaks kept as they are, GUIDs named from anywhere in the text. */
export function redactText(text: string, kinds: readonly RedactKind[] = DEFAULT_REDACT_KINDS): { text: string; replaced: number; distinct: number } {
	const r = new Redactor(kinds);
	const parts = text.split(/(\r\n|\r|\n)/);
	for (let i = 0; i < parts.length; i += 2) r.learn(parts[i]);
	for (let i = 0; i < parts.length; i += 2) parts[i] = r.line(parts[i]);
	return { text: parts.join(''), replaced: r.replaced, distinct: r.distinct };
}

// ---- excerpts --------------------------------------------------------------------------------------------------

/** The line between two parts of an excerpt that are not adjacent in the log. */
export const EXCERPT_GAP = '…';

/**
 * The failure at `line` (an error or warning on that line, else one whose related locations are on it; errors first)
 * as an excerpt: its lines and its related lines in log order, a line `…` where lines are left out. `severityOf`
 * gives a finding's severity after the user's overrides ('off': not shown).
 */
export function failureExcerpt(
	findings: readonly Finding[],
	source: LineSource,
	line: number,
	severityOf: (f: Finding) => Severity | 'off' = (f) => f.severity,
): { id: string; lines: number[]; text: string } | undefined {
	const failures = findings.filter((f) => {
		const s = severityOf(f);
		return s === 'error' || s === 'warning';
	});
	const on = (r: Range) => r.start.line <= line && line <= r.end.line;
	const rank = (f: Finding) => (severityOf(f) === 'error' ? 0 : 1);
	const pick = (list: Finding[]) => list.sort((a, b) => rank(a) - rank(b))[0];
	const finding = pick(failures.filter((f) => on(f.range))) ?? pick(failures.filter((f) => f.related.some((r) => on(r.range))));
	if (!finding) return undefined;
	const wanted = new Set<number>();
	for (const r of [finding.range, ...finding.related.map((x) => x.range)]) {
		const last = Math.min(r.end.line, r.start.line + 200, source.lineCount - 1);
		for (let i = Math.max(0, r.start.line); i <= last; i++) wanted.add(i);
	}
	const lines = [...wanted].sort((a, b) => a - b);
	const out: string[] = [];
	lines.forEach((n, i) => {
		if (i > 0 && n > lines[i - 1] + 1) out.push(EXCERPT_GAP);
		out.push(source.lineAt(n));
	});
	return { id: finding.id, lines, text: out.join('\n') };
}
