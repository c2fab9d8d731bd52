// Knowledge entries and findings rendered as markdown (hovers, the remediation view). Pure; never trusted markdown.
import { getArticle, getEntry, localize } from '../knowledge/index';
import type { KnowledgeEntry, Locale } from '../knowledge/types';
import { t } from '../l10n';
import type { Finding } from '../model';
import { findingUrl } from './diagnostics';
import { blocks, codeBlock, escapeText, isHttpsUrl, link, sanitizeKnowledge } from './markdown';

/** A command derived from the log that we offer to copy: one line, no shell chaining or substitution. */
export function isCopyableCommand(command: string): boolean {
	return command.trim().length > 0 && command.length <= 500 && !/[\u0000-\u001f\u007f;|&`]|\$\(/.test(command);
}

/**
 * The commands to suggest for a finding: the knowledge entry's commands (text we ship) as they are, plus the ones the
 * engine derived from the log when they pass isCopyableCommand. Knowledge order first, no duplicates.
 */
export function suggestedCommands(entry: KnowledgeEntry | undefined, findingCommands: readonly string[] = []): string[] {
	const known = new Set(entry?.commands ?? []);
	const out = new Set<string>();
	for (const c of entry?.commands ?? []) if (c.trim() && !/[\r\n\u0000]/.test(c)) out.add(c);
	for (const c of findingCommands) if (known.has(c) || isCopyableCommand(c)) out.add(c);
	return [...out];
}

export function languageName(locale: Locale, of: Locale): string {
	switch (of) {
		case 'sv':
			return t(locale, 'Swedish');
		case 'nl':
			return t(locale, 'Dutch');
		case 'en':
			return t(locale, 'English');
	}
}

/** The knowledge entry of a finding, if any. */
export function entryOf(finding: Finding): KnowledgeEntry | undefined {
	if (finding.kind === 'custom') return undefined;
	return getEntry(finding.entryId ?? finding.id);
}

/** User-supplied plain text (custom pattern remediation): escaped, line breaks kept. */
export function plainTextToMarkdown(text: string): string {
	return text
		.split(/\r\n|\r|\n/)
		.map((l) => escapeText(l))
		.join('  \n');
}

/** Hovers show this many suggested commands; the remediation view shows all. */
export const HOVER_COMMANDS = 4;

export interface EntrySections {
	/** `**AZCM0026** · title` */
	readonly heading: string;
	readonly body: string;
}

/**
 * The entry in `locale` (English fallback), as markdown blocks: probable cause, remediation (numbered steps kept),
 * suggested commands (code blocks), the older-meaning / fallback note, and the source article with its date and link.
 */
export function renderEntry(entry: KnowledgeEntry, locale: Locale, findingCommands: readonly string[] = [], maxCommands = Infinity, inThisLog?: string): EntrySections {
	const { text, older, fallback } = localize(entry, locale);
	const heading = text.title && text.title !== text.cause ? `**${escapeText(entry.id)}** · ${sanitizeKnowledge(text.title)}` : `**${escapeText(entry.id)}**`;
	const cause =
		text.causes && text.causes.length > 0
			? `**${t(locale, 'Probable causes:')}**\n\n${text.causes.map((c) => `- ${sanitizeKnowledge(c)}`).join('\n')}`
			: text.cause
				? `**${t(locale, 'Probable cause:')}** ${sanitizeKnowledge(text.cause)}`
				: undefined;
	// Numbered steps are kept as a list; a remediation text that only repeats them (Operator Nexus) is not shown twice.
	const steps = text.steps && text.steps.length > 0 ? text.steps.map((s, i) => `${i + 1}. ${sanitizeKnowledge(s)}`).join('\n') : undefined;
	const repeatsSteps = steps !== undefined && text.steps!.some((s) => s.length > 0 && text.remediation.includes(s.slice(0, 60)));
	const remediation = steps
		? `**${t(locale, 'Remediation:')}**${repeatsSteps ? '' : ` ${sanitizeKnowledge(text.remediation)}`}\n\n${steps}`
		: text.remediation
			? `**${t(locale, 'Remediation:')}** ${sanitizeKnowledge(text.remediation)}`
			: undefined;
	const commands = suggestedCommands(entry, findingCommands);
	const shown = commands.slice(0, maxCommands);
	const more = commands.length - shown.length;
	const commandBlock =
		shown.length > 0
			? `**${t(locale, 'Suggested commands:')}**\n\n${shown.map((c) => codeBlock(c, 'sh')).join('\n\n')}${more > 0 ? `\n\n*${t(locale, '{0} more in the remediation view.', more)}*` : ''}`
			: undefined;
	let note: string | undefined;
	if (older) {
		note = `*${t(locale, 'The article in {0} ({1}) gives an older meaning for this code:', languageName(locale, older.locale), older.year)}* ${sanitizeKnowledge(older.text.cause || older.text.title)}`;
	} else if (fallback && locale !== 'en') {
		note = `*${t(locale, 'No translation into {0} for this entry; shown in English.', languageName(locale, locale))}*`;
	}
	const notes = entry.notes && entry.notes.length > 0 ? entry.notes.map((n) => `*${sanitizeKnowledge(n)}*`).join('\n\n') : undefined;
	return { heading, body: blocks(cause, remediation, commandBlock, inThisLog, note, notes, sourceLine(text.source, text.url, locale, text.ours)) };
}

function sourceLine(sourceKey: string, url: string, locale: Locale, ours?: boolean): string {
	const article = getArticle(sourceKey);
	const href = isHttpsUrl(url) ? url : article?.url;
	if (!article) return `${t(locale, 'Source:')} ${link(sourceKey, href)}`;
	if (article.origin === 'ours') {
		// Our own guidance: its date, and the documentation of the tool it is about (cloud-init, systemd, apt, ...).
		const docs = isHttpsUrl(url) && url !== article.url ? ` · ${t(locale, 'Documentation:')} ${link(new URL(url).host, url)}` : '';
		return `${t(locale, 'Source:')} ${escapeText(t(locale, 'Arc Logs guidance'))} · ${escapeText(article.date)}${docs}`;
	}
	const suffix = ours ? ` · ${escapeText(t(locale, 'translated by Arc Logs'))}` : '';
	return `${t(locale, 'Source:')} ${link(article.title, href)} · ${escapeText(article.date)} · Microsoft Learn, CC BY 4.0${suffix}`;
}

/** Hover markdown for one finding: what happened here, then the knowledge (or the custom pattern's text). */
export function renderFinding(finding: Finding, locale: Locale, maxCommands = HOVER_COMMANDS): string {
	const what = `**${t(locale, 'What happened here:')}** ${escapeText(finding.message)}`;
	if (finding.kind === 'custom') {
		const url = findingUrl(finding);
		return blocks(
			`**${escapeText(finding.id)}** · ${escapeText(t(locale, 'custom pattern (arcLogs.customPatterns)'))}`,
			what,
			finding.remediation ? `**${t(locale, 'Remediation:')}** ${plainTextToMarkdown(finding.remediation)}` : undefined,
			url ? `${t(locale, 'Documentation:')} ${link(url, url)}` : undefined,
		);
	}
	const entry = entryOf(finding);
	if (!entry) {
		const commands = suggestedCommands(undefined, finding.commands).slice(0, maxCommands);
		return blocks(
			`**${escapeText(finding.id)}**`,
			what,
			escapeText(t(locale, '{0} is not in the knowledge base: no troubleshooting article documents it.', finding.id)),
			commands.length > 0 ? `**${t(locale, 'Suggested commands:')}**\n\n${commands.map((c) => codeBlock(c, 'sh')).join('\n\n')}` : undefined,
		);
	}
	const { heading, body } = renderEntry(entry, locale, finding.commands, maxCommands, what);
	// One failure event, one problem: what the entries of its cause and consequences say comes with it.
	const also = (finding.explainedBy ?? []).flatMap((id) => {
		const e = getEntry(id);
		if (!e) return [];
		const more = renderEntry(e, locale, [], maxCommands);
		return [blocks(`**${t(locale, 'Also explained by:')}** ${more.heading}`, more.body)];
	});
	// The answer first (cause, what to do); what this log says, which the problem itself shows too, after it.
	return blocks(heading, body, ...also);
}

/** The remediation view's document: the entry as a page. `finding` supplies custom-pattern text and captured commands. */
export function renderRemediationPage(id: string, locale: Locale, finding?: Finding): string | undefined {
	if (finding && finding.kind === 'custom') {
		const url = findingUrl(finding);
		return blocks(
			`# ${escapeText(finding.id)}`,
			escapeText(finding.message),
			finding.remediation ? `## ${t(locale, 'Remediation')}\n\n${plainTextToMarkdown(finding.remediation)}` : undefined,
			url ? `${t(locale, 'Documentation:')} ${link(url, url)}` : undefined,
		);
	}
	const entry = getEntry(finding?.entryId ?? id);
	if (!entry) return undefined;
	const { text } = localize(entry, locale);
	const { body } = renderEntry(entry, locale, finding?.commands ?? []);
	return blocks(
		`# ${escapeText(entry.id)} · ${sanitizeKnowledge(text.title)}`,
		finding ? `**${t(locale, 'In this log:')}** ${escapeText(finding.message)}` : undefined,
		body,
	);
}
