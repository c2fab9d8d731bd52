// The commands that need the editor: next/previous failure, go to a failure, show remediation, copy a command,
// the failures summary. Everything they show comes from the server (diagnostics, custom requests).
//
// Keybindings (package.json): ctrl+F8 / ctrl+shift+F8 (cmd on macOS) for next/previous failure, only when an
// azcmagent-log or cloud-init-log editor has focus. F8-like on purpose, but VS Code's own F8 / shift+F8 (next problem
// in files) and alt+F8 / shift+alt+F8 (next problem in this file, with the peek widget) stay as they are: these go
// through Arc Logs' failures only, without a widget covering the log.
import * as vscode from 'vscode';
import type { BaseLanguageClient } from 'vscode-languageclient';
import { Utils } from 'vscode-uri';
import { ClientCommands, SOURCE, SummaryRequest } from '../../server/src/core/protocol';
import { ViewProvider } from './views';

export const LANGUAGES = ['azcmagent-log', 'cloud-init-log'] as const;
export { SOURCE };

export function isOurDocument(document: vscode.TextDocument): boolean {
	return (LANGUAGES as readonly string[]).includes(document.languageId);
}

/** Arc Logs diagnostics with a code (not the "N more problems" note), sorted by position. */
export function arcDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
	return vscode.languages
		.getDiagnostics(uri)
		.filter((d) => d.source === SOURCE && d.code !== undefined)
		.sort((a, b) => a.range.start.compareTo(b.range.start) || a.range.end.compareTo(b.range.end));
}

export function codeOf(d: vscode.Diagnostic): string | undefined {
	const c = d.code;
	if (c === undefined) return undefined;
	return typeof c === 'object' ? String(c.value) : String(c);
}

/** Failures = error and warning diagnostics. */
export function failures(uri: vscode.Uri): vscode.Diagnostic[] {
	return arcDiagnostics(uri).filter((d) => d.severity === vscode.DiagnosticSeverity.Error || d.severity === vscode.DiagnosticSeverity.Warning);
}

/** Show the failure readable: its line from column 0 (the time, the level and the message), centred, then the cursor on it. */
export async function revealAt(editor: vscode.TextEditor, position: vscode.Position): Promise<void> {
	const lineStart = new vscode.Position(position.line, 0);
	editor.revealRange(new vscode.Range(lineStart, lineStart), vscode.TextEditorRevealType.InCenter);
	editor.selection = new vscode.Selection(position, position);
}

async function moveToFailure(direction: 1 | -1): Promise<void> {
	const editor = vscode.window.activeTextEditor;
	if (!editor || !isOurDocument(editor.document)) return;
	const list = failures(editor.document.uri);
	if (list.length === 0) {
		void vscode.window.showInformationMessage(vscode.l10n.t('No failures in this log.'));
		return;
	}
	const here = editor.selection.active;
	let target: vscode.Diagnostic | undefined;
	let wrapped = false;
	if (direction === 1) {
		target = list.find((d) => d.range.start.isAfter(here));
		if (!target) {
			target = list[0];
			wrapped = true;
		}
	} else {
		for (let i = list.length - 1; i >= 0; i--) {
			if (list[i].range.start.isBefore(here)) {
				target = list[i];
				break;
			}
		}
		if (!target) {
			target = list[list.length - 1];
			wrapped = true;
		}
	}
	await revealAt(editor, target.range.start);
	if (wrapped) {
		vscode.window.setStatusBarMessage(
			direction === 1 ? vscode.l10n.t('Arc Logs: wrapped around to the first failure') : vscode.l10n.t('Arc Logs: wrapped around to the last failure'),
			3000,
		);
	}
}

async function goToFailure(uri: unknown, line: unknown, character: unknown): Promise<void> {
	if (typeof uri !== 'string' || typeof line !== 'number') return;
	const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri, true));
	const editor = await vscode.window.showTextDocument(document);
	const position = document.validatePosition(new vscode.Position(line, typeof character === 'number' ? character : 0));
	await revealAt(editor, position);
}

export async function copyToClipboard(text: unknown): Promise<void> {
	if (typeof text !== 'string' || text.length === 0) return;
	await vscode.env.clipboard.writeText(text);
	void vscode.window.showInformationMessage(vscode.l10n.t('Copied to the clipboard: {0}', text));
}

async function showRemediation(views: ViewProvider, id: unknown, uri: unknown): Promise<void> {
	let code = typeof id === 'string' && id.length > 0 ? id : undefined;
	let documentUri = typeof uri === 'string' ? uri : undefined;
	if (!code) {
		// From the palette: the finding under the cursor, else pick one of this log's codes.
		const editor = vscode.window.activeTextEditor;
		if (!editor || !isOurDocument(editor.document)) return;
		documentUri = editor.document.uri.toString();
		const all = arcDiagnostics(editor.document.uri);
		const here = all.filter((d) => d.range.contains(editor.selection.active) || d.range.start.line === editor.selection.active.line);
		const codes = [...new Set((here.length > 0 ? here : all).map(codeOf).filter((c): c is string => c !== undefined))];
		if (codes.length === 0) {
			void vscode.window.showInformationMessage(vscode.l10n.t('No Arc Logs findings in this log.'));
			return;
		}
		code =
			codes.length === 1
				? codes[0]
				: await vscode.window.showQuickPick(codes, { placeHolder: vscode.l10n.t('Show the remediation for which code?') });
		if (!code) return;
	}
	await views.show(ViewProvider.remediationUri(code, documentUri));
}

function severityIcon(severity: string): string {
	return severity === 'error' ? '$(error)' : severity === 'warning' ? '$(warning)' : '$(info)';
}

interface SummaryItem extends vscode.QuickPickItem {
	readonly report?: boolean;
	readonly line?: number;
	readonly character?: number;
}

async function showSummary(client: () => BaseLanguageClient | undefined, views: ViewProvider): Promise<void> {
	const editor = vscode.window.activeTextEditor;
	const c = client();
	if (!editor || !isOurDocument(editor.document) || !c?.isRunning()) return;
	const uri = editor.document.uri.toString();
	const summary = await c.sendRequest(SummaryRequest, { uri });
	if (!summary) return;
	const items: SummaryItem[] = [
		{
			label: `$(preview) ${vscode.l10n.t('Open as report')}`,
			description: [
				summary.counts.error === 1 ? vscode.l10n.t('1 error') : vscode.l10n.t('{0} errors', summary.counts.error),
				summary.counts.warning === 1 ? vscode.l10n.t('1 warning') : vscode.l10n.t('{0} warnings', summary.counts.warning),
			].join(', '),
			report: true,
		},
	];
	if (summary.failures.length > 0) items.push({ label: vscode.l10n.t('Failures'), kind: vscode.QuickPickItemKind.Separator });
	for (const f of summary.failures) {
		items.push({
			label: `${severityIcon(f.severity)} ${f.id}`,
			description: [vscode.l10n.t('line {0}', f.line + 1), f.time, f.title].filter(Boolean).join(' · '),
			detail: f.message,
			line: f.line,
			character: f.character,
		});
	}
	const picked = await vscode.window.showQuickPick(items, {
		title: vscode.l10n.t('Arc Logs: failures in {0}', Utils.basename(editor.document.uri)),
		placeHolder: summary.failures.length > 0 ? vscode.l10n.t('Go to a failure, or open the report') : vscode.l10n.t('No failures in this log.'),
		matchOnDescription: true,
		matchOnDetail: true,
	});
	if (!picked) return;
	if (picked.report) await views.show(ViewProvider.summaryUri(uri));
	else if (picked.line !== undefined) await goToFailure(uri, picked.line, picked.character);
}

export function registerCommands(context: vscode.ExtensionContext, client: () => BaseLanguageClient | undefined, views: ViewProvider, restart: () => Promise<void>): void {
	context.subscriptions.push(
		vscode.commands.registerCommand(ClientCommands.nextFailure, () => moveToFailure(1)),
		vscode.commands.registerCommand(ClientCommands.previousFailure, () => moveToFailure(-1)),
		vscode.commands.registerCommand(ClientCommands.goToFailure, goToFailure),
		vscode.commands.registerCommand(ClientCommands.copyCommand, copyToClipboard),
		vscode.commands.registerCommand(ClientCommands.showRemediation, (id?: unknown, uri?: unknown) => showRemediation(views, id, uri)),
		vscode.commands.registerCommand(ClientCommands.showSummary, () => showSummary(client, views)),
		vscode.commands.registerCommand(ClientCommands.restartServer, restart),
	);
}
