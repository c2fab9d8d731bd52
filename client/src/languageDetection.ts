// Switch a document VS Code opened as plain `log`/`plaintext` to our language when its first lines are clearly an
// azcmagent or cloud-init log (pasted into an untitled editor, odd file names). Once per document, never against
// the user: a document we switched and the user switched back is left alone (remembered for files across sessions).
// Setting: arcLogs.detectLanguage.
import * as vscode from 'vscode';
import { Utils } from 'vscode-uri';
import { detectLanguageId } from '../../server/src/core/formats/detect';
import { isOurDocument } from './commands';

const CANDIDATES = new Set(['log', 'plaintext']);
/** Beyond headers: a PowerShell transcript header alone fills ~20 lines. */
const HEAD_LINES = 200;
/** Schemes of documents that are not a user's log (output panels, diffs, settings). */
const IGNORED_SCHEMES = new Set(['output', 'git', 'vscode-userdata', 'vscode-settings', 'debug', 'vscode-scm', 'arc-logs-view', 'comment', 'walkThrough']);
const DECLINED_KEY = 'arcLogs.detectLanguage.declined';
const MAX_REMEMBERED = 200;

export function registerLanguageDetection(context: vscode.ExtensionContext): void {
	/** Documents (uri) this session switched or decided on: never touched again. */
	const decided = new Set<string>();
	/** Documents we switched, to notice a user switching back. */
	const switched = new Set<string>();
	const declined = new Set<string>(context.workspaceState.get<string[]>(DECLINED_KEY, []));

	const enabled = (document: vscode.TextDocument) =>
		vscode.workspace.getConfiguration('arcLogs', document.uri).get<boolean>('detectLanguage', true);

	const consider = async (document: vscode.TextDocument) => {
		const key = document.uri.toString();
		if (switched.has(key) && CANDIDATES.has(document.languageId)) {
			// We switched it and it is plain again: the user switched back. Remember, and stay away.
			switched.delete(key);
			decided.add(key);
			if (document.uri.scheme !== 'untitled') {
				declined.add(key);
				await context.workspaceState.update(DECLINED_KEY, [...declined].slice(-MAX_REMEMBERED));
			}
			return;
		}
		if (decided.has(key) || declined.has(key) || !CANDIDATES.has(document.languageId)) return;
		if (IGNORED_SCHEMES.has(document.uri.scheme) || !enabled(document)) return;
		const head: string[] = [];
		for (let i = 0; i < Math.min(HEAD_LINES, document.lineCount); i++) head.push(document.lineAt(i).text);
		if (head.join('').trim().length === 0) return; // an empty untitled editor: wait for the paste
		const language = detectLanguageId(head, Utils.basename(document.uri));
		if (!language) return;
		decided.add(key);
		switched.add(key);
		await vscode.languages.setTextDocumentLanguage(document, language);
	};
	const safely = (document: vscode.TextDocument) => {
		consider(document).catch(() => undefined);
	};

	for (const editor of vscode.window.visibleTextEditors) safely(editor.document);
	context.subscriptions.push(
		vscode.window.onDidChangeVisibleTextEditors((editors) => editors.forEach((e) => safely(e.document))),
		vscode.workspace.onDidOpenTextDocument((document) => {
			// Re-opened after a language change: a user switching one of ours back shows up here.
			if (switched.has(document.uri.toString())) safely(document);
		}),
		vscode.workspace.onDidChangeTextDocument((e) => {
			// Pasted into an untitled/plain editor: look again while the head of the document changes.
			if (isOurDocument(e.document) || !CANDIDATES.has(e.document.languageId)) return;
			if (e.contentChanges.some((c) => c.range.start.line < HEAD_LINES)) safely(e.document);
		}),
		vscode.workspace.onDidCloseTextDocument((document) => {
			// An untitled editor that is really gone frees its name (Untitled-1 is reused by the next one).
			const key = document.uri.toString();
			if (document.uri.scheme !== 'untitled') return;
			setTimeout(() => {
				if (!vscode.workspace.textDocuments.some((d) => d.uri.toString() === key)) {
					decided.delete(key);
					switched.delete(key);
				}
			}, 1000);
		}),
	);
}
