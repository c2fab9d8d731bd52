// Read-only rendered views: the remediation page of a code and the failures report.
//
// How: the server builds the markdown (escaped log text, sanitized knowledge text, no HTML); a
// TextDocumentContentProvider serves it under the virtual scheme `arc-logs-view:` (read-only by construction), and
// VS Code's own markdown preview renders it. That preview never runs scripts from the content (its strict default
// security applies a CSP without script-src for content, and our markdown carries no HTML anyway), needs no Webview
// code of ours with its own CSP to get wrong, follows the theme, and works in the web and in virtual workspaces.
// Without the built-in markdown extension the same document opens as text, still read-only.
import * as vscode from 'vscode';
import type { BaseLanguageClient } from 'vscode-languageclient';
import { Utils } from 'vscode-uri';
import { RemediationRequest, SummaryRequest } from '../../server/src/core/protocol';

export const VIEW_SCHEME = 'arc-logs-view';

export type { Summary, SummaryFinding } from '../../server/src/core/protocol';

export class ViewProvider implements vscode.TextDocumentContentProvider {
	private readonly changed = new vscode.EventEmitter<vscode.Uri>();
	readonly onDidChange = this.changed.event;

	private readonly listener: vscode.Disposable;

	constructor(private readonly client: () => BaseLanguageClient | undefined) {
		// An open report or remediation page follows its log: new diagnostics for the log refresh it.
		this.listener = vscode.languages.onDidChangeDiagnostics((e) => {
			const changed = new Set(e.uris.map((u) => u.toString()));
			for (const document of vscode.workspace.textDocuments) {
				if (document.uri.scheme !== VIEW_SCHEME) continue;
				const log = new URLSearchParams(document.uri.query).get('uri');
				if (log && changed.has(log)) this.changed.fire(document.uri);
			}
		});
	}

	static remediationUri(id: string, documentUri?: string): vscode.Uri {
		const query = documentUri ? `uri=${encodeURIComponent(documentUri)}` : '';
		return vscode.Uri.from({ scheme: VIEW_SCHEME, path: `/remediation/${encodeURIComponent(id)}.md`, query });
	}

	/** The report's name never matches a log file pattern (`azcmagent*.log.*`, ...): it starts with "Arc Logs summary". */
	static summaryUri(documentUri: string): vscode.Uri {
		let name = 'log';
		try {
			name = Utils.basename(vscode.Uri.parse(documentUri, true)) || name;
		} catch {
			// a malformed uri: keep the generic name
		}
		return vscode.Uri.from({ scheme: VIEW_SCHEME, path: `/summary/Arc Logs summary - ${name}.md`, query: `uri=${encodeURIComponent(documentUri)}` });
	}

	async provideTextDocumentContent(uri: vscode.Uri, token: vscode.CancellationToken): Promise<string> {
		const client = this.client();
		const documentUri = new URLSearchParams(uri.query).get('uri') ?? undefined;
		const notAvailable = vscode.l10n.t('The Arc Logs language server is not running.');
		if (!client || !client.isRunning()) return notAvailable;
		const remediation = /^\/remediation\/(.+)\.md$/.exec(uri.path);
		if (remediation) {
			const id = decodeURIComponent(remediation[1]);
			const markdown = await client.sendRequest(RemediationRequest, { id, uri: documentUri }, token);
			return markdown ?? vscode.l10n.t('Nothing is known about {0}.', id);
		}
		if (uri.path.startsWith('/summary/') && documentUri) {
			const summary = await client.sendRequest(SummaryRequest, { uri: documentUri }, token);
			return summary?.markdown ?? vscode.l10n.t('This log is not open in an Arc Logs editor.');
		}
		return notAvailable;
	}

	/** Open `uri` rendered (markdown preview beside the log, which stays visible), refreshed. */
	async show(uri: vscode.Uri): Promise<void> {
		this.changed.fire(uri);
		try {
			await vscode.commands.executeCommand('markdown.showPreviewToSide', uri);
		} catch {
			const document = await vscode.workspace.openTextDocument(uri);
			await vscode.window.showTextDocument(document, { preview: true, viewColumn: vscode.ViewColumn.Beside });
		}
	}

	dispose(): void {
		this.listener.dispose();
		this.changed.dispose();
	}
}
