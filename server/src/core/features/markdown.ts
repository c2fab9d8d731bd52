// Markdown building blocks for hovers, the remediation view and the summary report.
//
// Two kinds of text end up in our markdown:
//  - log text and values captured from it: untrusted. `escapeText` backslash-escapes every ASCII punctuation
//    character (CommonMark allows that for all of them), so nothing in a log can become emphasis, a link, an image,
//    an autolink, an entity or HTML. Line breaks become spaces.
//  - knowledge text (article markdown we ship): kept as markdown, but `sanitizeKnowledge` still escapes `<`/`>`
//    outside code spans (no HTML, no autolinks) and unwraps links whose target is not https.
// Commands go into fenced code blocks whose fence is longer than any backtick run in the content.
// Nothing built here is ever marked trusted, and no command: links are ever produced.
import { neutralizeInvisible } from '../text';

const ASCII_PUNCTUATION = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/g;

/** Escape untrusted text (log text, captured values) for use inside markdown. One line out. */
export function escapeText(text: string): string {
	// Bidi overrides and zero-width characters from the log are shown, not obeyed (they could reorder or hide text).
	return neutralizeInvisible(text)
		.replace(/[\r\n\u2028\u2029]+/g, ' ')
		.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '\uFFFD')
		.replace(ASCII_PUNCTUATION, (c) => `\\${c}`);
}

/** A fenced code block whose fence cannot be closed by the content. Control characters are replaced. */
export function codeBlock(content: string, language = ''): string {
	const clean = content.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '\uFFFD');
	let longest = 0;
	for (const m of clean.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
	const fence = '`'.repeat(Math.max(3, longest + 1));
	return `${fence}${language}\n${clean}\n${fence}`;
}

/** Inline code for untrusted text: a backtick run longer than any inside, padded when needed. One line out. */
export function inlineCode(text: string): string {
	const clean = text.replace(/[\r\n\u2028\u2029]+/g, ' ').replace(/[\u0000-\u001f\u007f]/g, '\uFFFD');
	if (clean.length === 0) return '';
	let longest = 0;
	for (const m of clean.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
	const ticks = '`'.repeat(longest + 1);
	const pad = clean.startsWith('`') || clean.endsWith('`') || (clean.startsWith(' ') && clean.endsWith(' ')) ? ' ' : '';
	return `${ticks}${pad}${clean}${pad}${ticks}`;
}

/** True for the only link targets we emit: absolute https URLs. */
export function isHttpsUrl(url: string | undefined): url is string {
	if (!url) return false;
	try {
		const u = new URL(url);
		return u.protocol === 'https:' && !/[\s<>()]/.test(url);
	} catch {
		return false;
	}
}

/** True for a Microsoft Learn https URL (the only links from the knowledge we put on diagnostics and code actions). */
export function isLearnUrl(url: string | undefined): url is string {
	if (!isHttpsUrl(url)) return false;
	const host = new URL(url).hostname.toLowerCase();
	return host === 'learn.microsoft.com';
}

/** A markdown link with escaped text; plain escaped text when the URL is not https. */
export function link(text: string, url: string | undefined): string {
	return isHttpsUrl(url) ? `[${escapeText(text)}](${url})` : escapeText(text);
}

/**
 * Knowledge text (article markdown): keep its markdown, but no HTML and no non-https links. Outside code spans,
 * `<` and `>` are escaped and `&` that would start an entity is escaped; `[text](target)` with a target that is not
 * https keeps only its text. Inside code spans nothing is interpreted anyway.
 */
export function sanitizeKnowledge(markdown: string): string {
	const parts = markdown.split(/(`+[^`]*?`+)/g);
	return parts
		.map((part, i) => {
			if (i % 2 === 1) return part; // a code span
			return part
				.replace(/!?\[([^\]]*)\]\(([^)\s]*)(?:\s+"[^"]*")?\)/g, (m, text: string, target: string) =>
					isHttpsUrl(target) && !m.startsWith('!') ? `[${text}](${target})` : text,
				)
				.replace(/&(?=#?[a-zA-Z0-9]+;)/g, '\\&')
				.replace(/[<>]/g, (c) => `\\${c}`);
		})
		.join('');
}

/** Join non-empty blocks with blank lines. */
export function blocks(...parts: (string | undefined | false)[]): string {
	return parts.filter((p): p is string => typeof p === 'string' && p.length > 0).join('\n\n');
}
