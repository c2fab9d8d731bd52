// Quick fixes per finding, attached to its diagnostic: show remediation, open the Learn article, copy a command.
// Links come from the knowledge (Learn) or a custom pattern's https url, never from log text.
import { CodeActionKind, type CodeAction, type Diagnostic } from 'vscode-languageserver-types';
import type { Locale } from '../knowledge/types';
import { t } from '../l10n';
import type { Analysis } from '../model';
import { effectiveFindings, findingUrl, SOURCE } from './diagnostics';
import { entryOf, suggestedCommands } from './entryMarkdown';
import { isLearnUrl } from './markdown';
import { sameRange } from './locate';
import { ServerCommands } from '../protocol';
import type { Settings } from './settings';

/** The actions carry server commands (workspace/executeCommand), so they work in every LSP client. */
export const Commands = {
	showRemediation: ServerCommands.showRemediation,
	openUrl: ServerCommands.openUrl,
	copyCommand: ServerCommands.copyCommand,
	/** The code lens's "Go to first failure": window/showDocument from the server, in every LSP client. */
	goToFailure: ServerCommands.goToFailure,
} as const;

const MAX_COPY_ACTIONS = 5;

export function provideCodeActions(
	analysis: Analysis,
	settings: Pick<Settings, 'severityOverrides'>,
	uri: string,
	diagnostics: readonly Diagnostic[],
	locale: Locale,
): CodeAction[] {
	const findings = effectiveFindings(analysis, settings);
	const actions: CodeAction[] = [];
	for (const diagnostic of diagnostics) {
		if (diagnostic.source !== SOURCE || typeof diagnostic.code !== 'string') continue;
		const match = findings.find(({ finding }) => finding.id === diagnostic.code && sameRange(finding.range, diagnostic.range));
		if (!match) continue;
		const { finding } = match;
		const attached = [diagnostic];
		const entry = entryOf(finding);
		if (entry || (finding.kind === 'custom' && finding.remediation)) {
			actions.push({
				title: t(locale, 'Show remediation for {0}', finding.id),
				kind: CodeActionKind.QuickFix,
				diagnostics: attached,
				isPreferred: true,
				command: { title: t(locale, 'Show remediation for {0}', finding.id), command: Commands.showRemediation, arguments: [finding.id, uri] },
			});
		}
		// The entries that also explain this failure event (its cause first) have their own remediation.
		for (const id of finding.explainedBy ?? []) {
			const title = t(locale, 'Show remediation for {0}', id);
			actions.push({ title, kind: CodeActionKind.QuickFix, diagnostics: attached, command: { title, command: Commands.showRemediation, arguments: [id, uri] } });
		}
		const url = findingUrl(finding);
		if (url) {
			const title = isLearnUrl(url) ? t(locale, 'Open Microsoft Learn article') : t(locale, 'Open documentation for {0}', finding.id);
			actions.push({ title, kind: CodeActionKind.QuickFix, diagnostics: attached, command: { title, command: Commands.openUrl, arguments: [url] } });
		}
		const commands = suggestedCommands(entry, finding.commands).slice(0, MAX_COPY_ACTIONS);
		for (const command of commands) {
			const title = t(locale, 'Copy suggested command: {0}', command);
			actions.push({
				title,
				kind: CodeActionKind.QuickFix,
				diagnostics: attached,
				command: { title, command: Commands.copyCommand, arguments: [command] },
			});
		}
	}
	return actions;
}
