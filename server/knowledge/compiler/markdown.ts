// Just enough markdown for the Learn articles and our own source files: front matter, sections with their Learn
// anchors, pipe tables (GFM: escaped pipes, a missing trailing pipe, <br> inside cells), lists, fenced code, and inline
// text cleaned into the knowledge base's markdown (no HTML, links absolute, mojibake repaired). Pure: no fs.

export interface FrontMatter {
	readonly [key: string]: string;
}

/** The `key: value` pairs of a leading `---` block (nested YAML values are ignored; quotes are stripped). */
export function parseFrontMatter(text: string): { meta: FrontMatter; bodyStart: number } {
	const lines = splitLines(text);
	const meta: Record<string, string> = {};
	if (lines[0]?.trim() !== '---') return { meta, bodyStart: 0 };
	for (let i = 1; i < lines.length; i++) {
		const line = lines[i];
		if (line.trim() === '---') return { meta, bodyStart: i + 1 };
		const m = /^([A-Za-z][\w.-]*):\s*(.*)$/.exec(line);
		if (m && m[2] !== '') meta[m[1]] = unquote(m[2].trim());
	}
	return { meta: {}, bodyStart: 0 };
}

function unquote(s: string): string {
	if (s.length >= 2 && (s[0] === '"' || s[0] === "'") && s[s.length - 1] === s[0]) return s.slice(1, -1);
	return s;
}

/** `05/14/2025` (ms.date) or `2025-05-14` → `2025-05-14`; undefined when it is neither. */
export function isoDate(s: string | undefined): string | undefined {
	if (!s) return undefined;
	let m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(s.trim());
	if (m) return `${m[3]}-${m[1].padStart(2, '0')}-${m[2].padStart(2, '0')}`;
	m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s.trim());
	return m ? m[0] : undefined;
}

export function splitLines(text: string): string[] {
	return text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
}

export interface Section {
	readonly level: number;
	/** Heading text, cleaned (HTML anchors removed). */
	readonly title: string;
	/** The Learn anchor: an explicit `<a name="...">` in the heading, else the heading's slug. */
	readonly anchor: string;
	/** 0-based line index of the heading. */
	readonly line: number;
	/** 0-based index of the first line after this section (the next heading of the same or a higher level). */
	readonly end: number;
}

/** Learn's heading slug: lower case, punctuation dropped, spaces to hyphens. */
export function slug(title: string): string {
	return title
		.toLowerCase()
		.replace(/`/g, '')
		.replace(/[^\p{L}\p{N}\s-]/gu, '')
		.trim()
		.replace(/\s+/g, '-');
}

/** Every ATX heading outside fenced code, with its extent. */
export function parseSections(lines: readonly string[], from = 0): Section[] {
	const found: { level: number; title: string; anchor: string; line: number }[] = [];
	let fence: string | undefined;
	for (let i = from; i < lines.length; i++) {
		const line = lines[i];
		const f = /^\s*(`{3,}|~{3,})/.exec(line);
		if (f) {
			if (fence === undefined) fence = f[1][0];
			else if (f[1][0] === fence) fence = undefined;
			continue;
		}
		if (fence !== undefined) continue;
		const h = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
		if (!h) continue;
		const raw = h[2];
		const named = /<a\s+name="([^"]+)"\s*>\s*<\/a>/i.exec(raw);
		const title = raw.replace(/<[^>]*>/g, '').trim();
		found.push({ level: h[1].length, title, anchor: named ? named[1] : slug(title), line: i });
	}
	return found.map((s, k) => {
		let end = lines.length;
		for (let j = k + 1; j < found.length; j++) {
			if (found[j].level <= s.level) {
				end = found[j].line;
				break;
			}
		}
		return { ...s, end };
	});
}

/** The innermost section that contains line `line`. */
export function sectionAt(sections: readonly Section[], line: number): Section | undefined {
	let best: Section | undefined;
	for (const s of sections) if (s.line <= line && line < s.end && (!best || s.level > best.level)) best = s;
	return best;
}

export interface Table {
	/** 0-based line of the header row. */
	readonly line: number;
	readonly header: readonly string[];
	/** Body rows: raw markdown cells (trimmed), with the 0-based line of the row. */
	readonly rows: readonly { readonly line: number; readonly cells: readonly string[] }[];
}

/** Split one table row into cells: GFM rules (leading/trailing pipe optional, `\|` is a literal pipe). */
export function splitRow(line: string): string[] {
	let s = line.trim();
	if (s.startsWith('|')) s = s.slice(1);
	const cells: string[] = [];
	let cur = '';
	for (let i = 0; i < s.length; i++) {
		const c = s[i];
		if (c === '\\' && s[i + 1] === '|') {
			cur += '|';
			i++;
		} else if (c === '|') {
			cells.push(cur.trim());
			cur = '';
		} else cur += c;
	}
	if (cur.trim() !== '') cells.push(cur.trim()); // a row without its trailing pipe
	return cells;
}

const SEPARATOR = /^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/;

/** Every pipe table outside fenced code. */
export function parseTables(lines: readonly string[]): Table[] {
	const tables: Table[] = [];
	let fence = false;
	for (let i = 0; i < lines.length; i++) {
		if (/^\s*(`{3,}|~{3,})/.test(lines[i])) {
			fence = !fence;
			continue;
		}
		if (fence || !lines[i].trim().startsWith('|') || i + 1 >= lines.length || !SEPARATOR.test(lines[i + 1])) continue;
		const header = splitRow(lines[i]);
		const rows: { line: number; cells: string[] }[] = [];
		let j = i + 2;
		for (; j < lines.length && lines[j].trim().startsWith('|'); j++) rows.push({ line: j, cells: splitRow(lines[j]) });
		tables.push({ line: i, header, rows });
		i = j - 1;
	}
	return tables;
}

// ---- inline text ----

// Windows-1252's 0x80-0x9F block, for repairing UTF-8 that was decoded as Windows-1252 ("â€“" → "–").
const CP1252: Record<string, number> = {
	'\u20AC': 0x80, '\u201A': 0x82, '\u0192': 0x83, '\u201E': 0x84, '\u2026': 0x85, '\u2020': 0x86, '\u2021': 0x87,
	'\u02C6': 0x88, '\u2030': 0x89, '\u0160': 0x8a, '\u2039': 0x8b, '\u0152': 0x8c, '\u017D': 0x8e, '\u2018': 0x91,
	'\u2019': 0x92, '\u201C': 0x93, '\u201D': 0x94, '\u2022': 0x95, '\u2013': 0x96, '\u2014': 0x97, '\u02DC': 0x98,
	'\u2122': 0x99, '\u0161': 0x9a, '\u203A': 0x9b, '\u0153': 0x9c, '\u017E': 0x9e, '\u0178': 0x9f,
};

function cp1252Byte(ch: string): number | undefined {
	const c = ch.charCodeAt(0);
	if (c < 0x100 && !(c >= 0x80 && c < 0xa0)) return c;
	return CP1252[ch];
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Repair mojibake: a lead byte (Â-ô) followed by continuation bytes, all seen through Windows-1252. */
export function fixMojibake(s: string): string {
	return s.replace(/[\u00C2-\u00F4][\u0080-\u00BF\u0152\u0153\u0160\u0161\u0178\u017D\u017E\u0192\u02C6\u02DC\u2013\u2014\u2018-\u201E\u2020-\u2022\u2026\u2030\u2039\u203A\u20AC\u2122]{1,3}/g, (m) => {
		const bytes: number[] = [];
		for (const ch of m) {
			const b = cp1252Byte(ch);
			if (b === undefined) return m;
			bytes.push(b);
		}
		try {
			const out = decoder.decode(new Uint8Array(bytes));
			return out.length === 1 || [...out].length === 1 ? out : m;
		} catch {
			return m;
		}
	});
}

/** Reference-style link definitions (`[label]: url`), keyed by lower-cased label. */
export function linkDefinitions(lines: readonly string[]): Map<string, string> {
	const defs = new Map<string, string>();
	for (const line of lines) {
		const m = /^\s{0,3}\[([^\]]+)\]:\s*(\S+)/.exec(line);
		if (m) defs.set(m[1].toLowerCase(), m[2]);
	}
	return defs;
}

/** Resolve a link target of an article to an absolute Learn URL (`.md` dropped, site-root paths get the locale). */
export function absoluteUrl(href: string, articleUrl: string): string {
	if (/^[a-z][a-z0-9+.-]*:/i.test(href)) return href;
	if (href.startsWith('#')) return articleUrl + href;
	const base = new URL(articleUrl);
	let path = href;
	if (path.startsWith('/')) {
		const locale = base.pathname.split('/')[1];
		if (locale && /^[a-z]{2}-[a-z]{2}$/.test(locale) && !path.startsWith(`/${locale}/`)) path = `/${locale}${path}`;
	}
	const url = new URL(path, base);
	url.pathname = url.pathname.replace(/\.md$/, '');
	return url.toString();
}

/**
 * Turn a piece of article markdown into the knowledge base's markdown: mojibake repaired, HTML dropped (`<br>` becomes
 * `br`), links absolute (inline and reference-style), whitespace collapsed. Code spans are kept verbatim.
 */
export function cleanInline(md: string, articleUrl: string, defs: ReadonlyMap<string, string> = new Map(), br = ' '): string {
	let s = fixMojibake(md);
	s = s.replace(/<br\s*\/?>/gi, br);
	s = s.replace(/<a\s+name="[^"]*"\s*>\s*<\/a>/gi, '');
	s = s.replace(/<\/?(sup|sub|b|i|em|strong|span|a)(\s[^>]*)?>/gi, '');
	// Inline links, then reference links ([text][ref] or a bare [ref] that has a definition).
	s = s.replace(/\[((?:`[^`]*`|[^\]`])+)\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g, (_m, text: string, href: string) => `[${text}](${absoluteUrl(href, articleUrl)})`);
	s = s.replace(/\[((?:`[^`]*`|[^\]`])+)\](?:\[([^\]]*)\])?(?!\()/g, (m, text: string, ref: string | undefined) => {
		const href = defs.get((ref || text).toLowerCase());
		return href ? `[${text}](${absoluteUrl(href, articleUrl)})` : m;
	});
	if (br === ' ') s = s.replace(/\s+/g, ' ');
	else s = s.replace(/[ \t]+/g, ' ').replace(/ ?\n ?/g, '\n');
	return s.trim();
}

/** The contents of every code span, in order. */
export function codeSpans(md: string): string[] {
	const out: string[] = [];
	const re = /(`+)([\s\S]*?[^`])\1(?!`)/g;
	for (let m = re.exec(md); m; m = re.exec(md)) out.push(m[2].trim());
	return out;
}

/** Plain text of inline markdown (code spans unwrapped, links to their text, emphasis dropped). */
export function plain(md: string): string {
	return md
		.replace(/\[((?:`[^`]*`|[^\]`])+)\]\([^)]*\)/g, '$1')
		.replace(/`([^`]*)`/g, '$1')
		.replace(/\*\*([^*]+)\*\*/g, '$1')
		.replace(/\s+/g, ' ')
		.trim();
}

// ---- blocks (for sections written as prose, lists and code: the Operator Nexus article) ----

export type Block =
	| { readonly type: 'paragraph'; readonly text: string; readonly line: number }
	| { readonly type: 'bullets'; readonly items: readonly string[]; readonly line: number }
	| { readonly type: 'numbered'; readonly items: readonly NumberedItem[]; readonly line: number }
	| { readonly type: 'code'; readonly lang: string; readonly lines: readonly string[]; readonly line: number };

export interface NumberedItem {
	/** The item's own text lines joined (markdown, uncleaned). */
	readonly text: string;
	/** Code blocks nested in the item. */
	readonly code: readonly { readonly lang: string; readonly lines: readonly string[] }[];
}

/** Split lines [from, to) into blocks. Nested list content (indented lines, indented fences) stays with its item. */
export function parseBlocks(lines: readonly string[], from: number, to: number): Block[] {
	const blocks: Block[] = [];
	let i = from;
	const fenceOpen = (l: string) => /^(\s*)(`{3,}|~{3,})\s*([\w-]*)/.exec(l);
	const readFence = (start: number): { lang: string; lines: string[]; next: number } => {
		const f = fenceOpen(lines[start])!;
		const indent = f[1].length;
		const body: string[] = [];
		let j = start + 1;
		for (; j < to; j++) {
			if (new RegExp(`^\\s*${f[2][0] === '`' ? '`' : '~'}{${f[2].length},}\\s*$`).test(lines[j])) break;
			body.push(lines[j].slice(Math.min(indent, lines[j].length - lines[j].trimStart().length)));
		}
		return { lang: f[3] || '', lines: body, next: j + 1 };
	};
	while (i < to) {
		const line = lines[i];
		if (line.trim() === '' || /^\s*<!--.*-->\s*$/.test(line) || /^\s{0,3}\[[^\]]+\]:\s*\S/.test(line) || /^\s*\[!INCLUDE/.test(line)) {
			i++;
			continue;
		}
		if (fenceOpen(line)) {
			const f = readFence(i);
			blocks.push({ type: 'code', lang: f.lang, lines: f.lines, line: i });
			i = f.next;
			continue;
		}
		if (/^\s*[-*]\s+/.test(line)) {
			const items: string[] = [];
			const start = i;
			while (i < to && /^\s*[-*]\s+/.test(lines[i])) {
				let text = lines[i].replace(/^\s*[-*]\s+/, '');
				i++;
				while (i < to && lines[i].trim() !== '' && /^\s{2,}\S/.test(lines[i]) && !/^\s*[-*]\s+/.test(lines[i])) text += ' ' + lines[i++].trim();
				items.push(text);
				while (i < to && lines[i].trim() === '' && i + 1 < to && /^\s*[-*]\s+/.test(lines[i + 1])) i++;
			}
			blocks.push({ type: 'bullets', items, line: start });
			continue;
		}
		if (/^\s{0,3}\d+\.\s+/.test(line)) {
			const items: NumberedItem[] = [];
			const start = i;
			while (i < to && /^\s{0,3}\d+\.\s+/.test(lines[i])) {
				const textLines = [lines[i].replace(/^\s*\d+\.\s+/, '')];
				const code: { lang: string; lines: string[] }[] = [];
				i++;
				// The item continues with indented lines (text or fences) and blank lines followed by indented lines.
				while (i < to) {
					if (lines[i].trim() === '') {
						let k = i;
						while (k < to && lines[k].trim() === '') k++;
						if (k < to && /^\s{3,}\S/.test(lines[k])) {
							i = k;
							continue;
						}
						break;
					}
					if (!/^\s{3,}\S/.test(lines[i])) break;
					if (fenceOpen(lines[i])) {
						const f = readFence(i);
						code.push({ lang: f.lang, lines: f.lines });
						i = f.next;
						continue;
					}
					textLines.push(lines[i].trim());
					i++;
				}
				items.push({ text: textLines.join(' '), code });
				while (i < to && lines[i].trim() === '') {
					let k = i;
					while (k < to && lines[k].trim() === '') k++;
					if (k < to && /^\s{0,3}\d+\.\s+/.test(lines[k])) i = k;
					else break;
				}
			}
			blocks.push({ type: 'numbered', items, line: start });
			continue;
		}
		if (/^\s*#{1,6}\s/.test(line)) {
			i++;
			continue;
		}
		const start = i;
		const para: string[] = [];
		while (i < to && lines[i].trim() !== '' && !fenceOpen(lines[i]) && !/^\s*[-*]\s+/.test(lines[i]) && !/^\s{0,3}\d+\.\s+/.test(lines[i]) && !/^\s*#{1,6}\s/.test(lines[i])) {
			para.push(lines[i].trim());
			i++;
		}
		blocks.push({ type: 'paragraph', text: para.join(' '), line: start });
	}
	return blocks;
}
