// Turn an example error text (as an article quotes it) into a Matcher: a linear-time, case-insensitive RegExp that
// tolerates the parts real logs fill differently, plus a literal anchor every match contains. The rules are generic:
// they apply to any example text, never to one row in particular.
//
//   variable parts      URLs (host, resource path captured), GUIDs and xxxxxxxx-... placeholders, IPv4/IPv6 with
//                       port, simple quoted values ('Microsoft.HybridCompute/machines/read', named after the word
//                       before them: action, scope, client, namespace, ...), `lookup <host>` with Go's optional
//                       `on <resolver>`, and `<name>` placeholders in our own signatures.
//   wording             `isn't` / `is not` (and wasn't, doesn't, can't, ...), `is provided` / `provided`,
//                       `log in` / `login`, a leading `ERROR:` optional, quotes and full stops optional,
//                       whitespace runs (with a stray `:` of Go's error chains) tolerant.
//   scope of the match  the first sentence, plus following sentences only while they hold a variable part: the
//                       explanatory tail of an error ("This can happen if ...") differs between services and versions.
//
// Every quantifier is bounded and no quantified group contains another quantifier, so the cost per start position
// is bounded and a match attempt over a 1 MB line stays linear.
import type { Matcher } from '../../src/core/knowledge/types';

type Token =
	| { readonly t: 'word'; readonly text: string }
	| { readonly t: 'ws' }
	| { readonly t: 'punct'; readonly ch: string }
	| { readonly t: 'var'; readonly kind: VarKind; readonly name: string; readonly path?: 'scope' | 'path'; readonly service?: string }
	| { readonly t: 'neg'; readonly base: string } // isn't / is not
	| { readonly t: 'optis'; readonly word: string } // (is )?provided
	| { readonly t: 'login' } // log in / login
	| { readonly t: 'alt'; readonly options: readonly string[]; readonly name: string }; // merged variants

type VarKind = 'url' | 'guid' | 'ip' | 'quoted' | 'lookup' | 'digits' | 'token' | 'line';

/** Quoted values are named after the word before them (our naming of capture groups). */
const QUOTED_NAMES: Readonly<Record<string, string>> = {
	client: 'client',
	id: 'guid',
	action: 'action',
	scope: 'scope',
	namespace: 'namespace',
	identifier: 'application',
	directory: 'tenant',
	identity: 'identity',
};

/** Placeholder classes of our own signatures, by placeholder name; anything else is one token. */
const PLACEHOLDER_KIND: Readonly<Record<string, VarKind>> = {
	status: 'digits',
	code: 'digits',
	command: 'line',
	detail: 'line',
	message: 'line',
	text: 'line',
};

const GUID = /[0-9a-fx]{8}-[0-9a-fx]{4}-[0-9a-fx]{4}-[0-9a-fx]{4}-[0-9a-fx]{12}/iy;
const URL_RE = /"?https?:\/\/[^\s"'<>]+/iy;
const IP = /(?:\d{1,3}\.){3}\d{1,3}(?::\d{1,5})?|\[[0-9a-f:]{2,39}\](?::\d{1,5})?/iy;
const QUOTED = /'([^'\s]{1,300})'/y;
const LOOKUP = /lookup\s+([a-z0-9][a-z0-9.-]{0,252}[a-z0-9])(?=[\s:])/iy;
const PLACEHOLDER = /<([a-z][a-z0-9]{0,30})>/iy;
const NEG = /(is|was|does|do|are|were|has|have|had|can|could|would|should|did|will)(?:n['’]t|\s+not)\b/iy;
const OPTIS = /is\s+([a-z]{2,}ed)\b/iy; // `is provided` → `(is )?provided`
const LOGIN = /log(?:\s|-)?in\b/iy;
const WORD = /[\p{L}\p{N}_]+/uy;

/**
 * The word-level rules, tried in order at a word boundary: the pattern, the token it makes, and the word it leaves
 * behind for naming a following quoted value (undefined = none).
 */
const RULES: readonly { readonly re: RegExp; readonly token: (m: RegExpExecArray) => Token; readonly word?: (m: RegExpExecArray) => string }[] = [
	{ re: GUID, token: () => ({ t: 'var', kind: 'guid', name: 'guid' }) },
	{ re: IP, token: () => ({ t: 'var', kind: 'ip', name: 'ip' }) },
	{ re: LOOKUP, token: () => ({ t: 'var', kind: 'lookup', name: 'host' }) },
	{ re: NEG, token: (m) => ({ t: 'neg', base: m[1].toLowerCase() }), word: () => 'not' },
	{ re: OPTIS, token: (m) => ({ t: 'optis', word: m[1] }), word: (m) => m[1].toLowerCase() },
	{ re: LOGIN, token: () => ({ t: 'login' }), word: () => 'login' },
	{ re: WORD, token: (m) => ({ t: 'word', text: m[0] }), word: (m) => m[0].toLowerCase() },
];

function at(re: RegExp, s: string, i: number): RegExpExecArray | null {
	re.lastIndex = i;
	return re.exec(s);
}

export function tokenize(s: string): Token[] {
	const out: Token[] = [];
	let prevWord = '';
	let i = 0;
	next: while (i < s.length) {
		let m: RegExpExecArray | null;
		if (/\s/.test(s[i])) {
			while (i < s.length && /\s/.test(s[i])) i++;
			out.push({ t: 'ws' });
			continue;
		}
		if ((m = at(PLACEHOLDER, s, i))) {
			out.push({ t: 'var', kind: PLACEHOLDER_KIND[m[1].toLowerCase()] ?? 'token', name: m[1] });
			i += m[0].length;
			prevWord = '';
			continue;
		}
		if ((m = at(URL_RE, s, i))) {
			const text = m[0].replace(/["'.,;:)]+$/, '');
			const url = new URL(text.replace(/^"/, ''));
			// The host's first label names the service (login., management.): kept, so that an error of another
			// endpoint (gbl.his.arc.azure.com) is not taken for this row; the rest varies by cloud and is generalized.
			const service = /^[a-z][a-z0-9-]{0,62}(?=\.)/i.exec(url.hostname)?.[0];
			out.push({ t: 'var', kind: 'url', name: 'url', path: /^\/subscriptions\//i.test(url.pathname) ? 'scope' : 'path', service });
			i += text.length + (s[i + text.length] === '"' ? 1 : 0);
			prevWord = '';
			continue;
		}
		if ((m = at(QUOTED, s, i))) {
			out.push({ t: 'var', kind: 'quoted', name: QUOTED_NAMES[prevWord] ?? 'value' });
			i += m[0].length;
			prevWord = '';
			continue;
		}
		if (i === 0 || !/[\p{L}\p{N}_]/u.test(s[i - 1])) {
			for (const rule of RULES) {
				if ((m = at(rule.re, s, i))) {
					out.push(rule.token(m));
					if (rule.word) prevWord = rule.word(m);
					i += m[0].length;
					continue next;
				}
			}
		}
		out.push({ t: 'punct', ch: s[i] });
		i++;
	}
	return out;
}

const hasVar = (ts: readonly Token[]) => ts.some((t) => t.t === 'var');

/** Keep the first sentence, and the following ones while they hold a variable part; drop trailing punctuation. */
export function scopeOfMatch(tokens: readonly Token[]): Token[] {
	const sentences: Token[][] = [[]];
	for (let k = 0; k < tokens.length; k++) {
		const tok = tokens[k];
		sentences[sentences.length - 1].push(tok);
		const next = tokens[k + 1];
		const after = tokens[k + 2];
		if (tok.t === 'punct' && tok.ch === '.' && next?.t === 'ws' && after && ((after.t === 'word' && /^\p{Lu}/u.test(after.text)) || after.t === 'punct')) {
			sentences.push([]);
		}
	}
	const kept: Token[] = [...sentences[0]];
	for (let k = 1; k < sentences.length && hasVar(sentences[k]); k++) kept.push(...sentences[k]);
	while (kept.length) {
		const last = kept[kept.length - 1];
		if (last.t === 'ws' || (last.t === 'punct' && /[.:'"`,;]/.test(last.ch))) kept.pop();
		else break;
	}
	while (kept.length && kept[0].t === 'ws') kept.shift();
	return kept;
}

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
const GAP = '[\\s:]{1,20}';
/** An optional quote, maybe backslash-escaped (logrus writes `\"` inside a quoted field). */
const Q = '\\\\?["\'`]?';
const IP_ADDR = '\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}(?::\\d{1,5})?|\\[[0-9a-f:.]{2,45}\\](?::\\d{1,5})?';

interface Emitted {
	readonly regex: string;
	/** Literal words every match contains (for the anchor). */
	readonly required: readonly string[];
}

function emit(tokens: readonly Token[], prefix: string): Emitted {
	const used = new Set<string>();
	const group = (name: string, body: string) => {
		if (used.has(name)) return `(?:${body})`;
		used.add(name);
		return `(?<${name}>${body})`;
	};
	const required: string[] = [];
	let re = prefix;
	let k = 0;
	// A leading level word (`ERROR:`) is optional: the same message is printed with and without it.
	if (tokens[0]?.t === 'word' && /^[A-Z]{3,}$/.test(tokens[0].text) && tokens[1]?.t === 'punct' && tokens[1].ch === ':') {
		re += `(?:${esc(tokens[0].text)}:\\s{0,20})?`;
		k = 2;
		while (tokens[k]?.t === 'ws') k++;
	}
	for (; k < tokens.length; k++) {
		const tok = tokens[k];
		switch (tok.t) {
			case 'ws':
			case 'punct':
				if (tok.t === 'punct' && tok.ch !== ':') {
					if (tok.ch === '.') re += '\\.?';
					else if (tok.ch === "'" || tok.ch === '"' || tok.ch === '`') re += Q;
					else re += esc(tok.ch);
					break;
				}
				{
					// A run of whitespace and colons is one gap; colons alone are optional.
					let hasWs = false;
					let j = k;
					for (; j < tokens.length; j++) {
						const g = tokens[j];
						if (g.t === 'ws') hasWs = true;
						else if (!(g.t === 'punct' && g.ch === ':')) break;
					}
					re += hasWs ? GAP : ':?';
					k = j - 1;
				}
				break;
			case 'word':
				re += esc(tok.text);
				required.push(tok.text.toLowerCase());
				break;
			case 'neg':
				re += tok.base === 'can' ? "(?:can['’]t|can\\s{0,20}not)" : tok.base === 'will' ? "(?:won['’]t|will\\s{1,20}not)" : `${esc(tok.base)}(?:n['’]t|\\s{1,20}not)`;
				break;
			case 'optis':
				re += `(?:is\\s{1,20})?${esc(tok.word)}`;
				required.push(tok.word.toLowerCase());
				break;
			case 'login':
				re += 'log[\\s-]{0,2}in';
				break;
			case 'alt':
				re += group(tok.name, tok.options.map(esc).join('|'));
				break;
			case 'var':
				re += emitVar(tok, group);
				break;
		}
	}
	return { regex: re, required };
}

function emitVar(tok: Extract<Token, { t: 'var' }>, group: (name: string, body: string) => string): string {
	switch (tok.kind) {
		case 'url': {
			const host = group('host', `${tok.service ? esc(tok.service) + '\\.' : ''}[^\\s"'/:?#\\\\]{1,253}`);
			const path = group(tok.path ?? 'path', '\\/[^\\s"\'?#:\\\\]{0,600}');
			return `${Q}${group('url', `https?:\\/\\/${host}(?::\\d{1,5})?(?:${path})?(?:\\?[^\\s"'#:\\\\]{0,600})?`)}${Q}`;
		}
		case 'guid':
			return group(tok.name, '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}');
		case 'ip':
			return group('ip', IP_ADDR);
		case 'quoted':
			return `'${group(tok.name, "[^'\\r\\n]{0,400}")}'`;
		case 'lookup':
			return `lookup${GAP}${group('host', '[a-z0-9][a-z0-9.-]{0,252}')}(?:\\s{1,20}on\\s{1,20}(?:${IP_ADDR}))?`;
		case 'digits':
			return group(tok.name, '\\d{1,10}');
		case 'line':
			return group(tok.name, '[^\\r\\n]{0,400}?');
		case 'token':
			return group(tok.name, '[^\\s\'"]{0,399}[^\\s\'":,;.]');
	}
}

export class MatcherError extends Error {}

export interface MatcherOptions {
	/** Several examples that differ in one word become one matcher, that word captured under this name. */
	readonly variantGroup?: string;
	/** An optional service error-code prefix the example leaves out (Entra ID's `AADSTS7000215:`). */
	readonly errorCodePrefix?: boolean;
}

/** Compile example texts into matchers (deduplicated: the 2025 and 2020 spellings of one error give one matcher). */
export function compileMatchers(examples: readonly string[], options: MatcherOptions = {}): Matcher[] {
	let sequences = examples.map((e) => scopeOfMatch(tokenize(e)));
	if (options.variantGroup && sequences.length > 1) sequences = mergeVariants(sequences, options.variantGroup);
	const prefix = options.errorCodePrefix ? '(?:AADSTS\\d{3,10}:\\s{0,20})?' : '';
	const out: Matcher[] = [];
	const seen = new Set<string>();
	sequences.forEach((tokens, k) => {
		if (tokens.length === 0) throw new MatcherError(`example ${JSON.stringify(examples[k])} leaves nothing to match`);
		const first = tokens[0];
		if (first.t === 'var' && first.kind !== 'url' && first.kind !== 'lookup') {
			throw new MatcherError(`example ${JSON.stringify(examples[k])} starts with a variable part: matchers start with literal text`);
		}
		const { regex, required } = emit(tokens, prefix);
		const anchor = required.reduce((a, b) => (b.length > a.length ? b : a), '');
		if (anchor.length < 4) throw new MatcherError(`example ${JSON.stringify(examples[k])} has no literal word to anchor on`);
		new RegExp(regex, 'i'); // throws on a bad pattern: fail the build, not the server
		if (seen.has(regex)) return;
		seen.add(regex);
		out.push({ regex, flags: 'i', anchor, example: examples[k] });
	});
	return out;
}

function sameToken(a: Token, b: Token): boolean {
	return JSON.stringify(a) === JSON.stringify(b) || (a.t === 'word' && b.t === 'word' && a.text.toLowerCase() === b.text.toLowerCase());
}

/** Examples identical but for one word at the same place merge into one token sequence with an alternation. */
function mergeVariants(sequences: Token[][], name: string): Token[][] {
	const [first, ...rest] = sequences;
	if (rest.some((s) => s.length !== first.length)) return sequences;
	let diff = -1;
	for (let k = 0; k < first.length; k++) {
		if (rest.every((s) => sameToken(s[k], first[k]))) continue;
		if (diff >= 0 || first[k].t !== 'word' || rest.some((s) => s[k].t !== 'word')) return sequences;
		diff = k;
	}
	if (diff < 0) return [first];
	const options = [...new Set(sequences.map((s) => (s[diff] as { text: string }).text))];
	const merged = [...first];
	merged[diff] = { t: 'alt', options, name };
	return [merged];
}
