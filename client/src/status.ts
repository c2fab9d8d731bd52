// The language status item: "2 errors, 1 warning" for the log in the active editor; opens the Problems panel.
import * as vscode from 'vscode';
import { arcDiagnostics, isOurDocument, LANGUAGES } from './commands';
import { activeTabFile } from './largeFile';

export function countsText(errors: number, warnings: number): string {
	return [
		errors === 1 ? vscode.l10n.t('1 error') : vscode.l10n.t('{0} errors', errors),
		warnings === 1 ? vscode.l10n.t('1 warning') : vscode.l10n.t('{0} warnings', warnings),
	].join(', ');
}

export function createStatusItem(context: vscode.ExtensionContext): void {
	const item = vscode.languages.createLanguageStatusItem(
		'arcLogs.failures',
		LANGUAGES.map((language) => ({ language })),
	);
	item.name = vscode.l10n.t('Arc Logs failures');
	item.command = { title: vscode.l10n.t('Show Problems'), command: 'workbench.actions.view.problems' };
	item.detail = vscode.l10n.t('Arc Logs findings in this log');
	/** The log in front: the active editor's, or a file VS Code gave no editor to the extension for (over 50 MB). */
	const activeLog = (): vscode.Uri | undefined => {
		const editor = vscode.window.activeTextEditor;
		if (editor) return isOurDocument(editor.document) ? editor.document.uri : undefined;
		return activeTabFile();
	};
	const update = () => {
		const uri = activeLog();
		if (!uri) return;
		const list = arcDiagnostics(uri);
		const errors = list.filter((d) => d.severity === vscode.DiagnosticSeverity.Error).length;
		const warnings = list.filter((d) => d.severity === vscode.DiagnosticSeverity.Warning).length;
		item.text = countsText(errors, warnings);
		item.severity = errors > 0 ? vscode.LanguageStatusSeverity.Error : warnings > 0 ? vscode.LanguageStatusSeverity.Warning : vscode.LanguageStatusSeverity.Information;
	};
	// Busy from an open or edit of a log until the server publishes its diagnostics (a large log takes a moment).
	const pending = new Set<string>();
	const showBusy = () => {
		const active = vscode.window.activeTextEditor?.document.uri.toString();
		item.busy = active !== undefined && pending.has(active);
	};
	const markPending = (document: vscode.TextDocument) => {
		if (!isOurDocument(document)) return;
		pending.add(document.uri.toString());
		showBusy();
	};
	update();
	vscode.workspace.textDocuments.forEach((d) => {
		if (isOurDocument(d) && arcDiagnostics(d.uri).length === 0) markPending(d);
	});
	context.subscriptions.push(
		item,
		vscode.window.onDidChangeActiveTextEditor(() => {
			update();
			showBusy();
		}),
		vscode.window.tabGroups.onDidChangeTabs(update),
		vscode.workspace.onDidOpenTextDocument(markPending),
		vscode.workspace.onDidChangeTextDocument((e) => {
			if (e.contentChanges.length > 0) markPending(e.document);
		}),
		vscode.workspace.onDidCloseTextDocument((d) => pending.delete(d.uri.toString())),
		vscode.languages.onDidChangeDiagnostics((e) => {
			for (const u of e.uris) pending.delete(u.toString());
			showBusy();
			const active = activeLog()?.toString();
			if (active && e.uris.some((u) => u.toString() === active)) update();
		}),
	);
}
