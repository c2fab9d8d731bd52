// Arc Logs: Copy Redacted Excerpt. The editor selection, or with no selection the failure at the cursor with its
// related lines, redacted by the server (arcLogs/redactExcerpt: the kinds of arcLogs.redact.kinds), to the clipboard.
// The notification says how many values were replaced; it never shows the text itself.
import * as vscode from 'vscode';
import type { BaseLanguageClient } from 'vscode-languageclient';
import { ClientCommands, RedactExcerptRequest, type RedactExcerptResult } from '../../server/src/core/protocol';
import { isOurDocument } from './commands';

export async function copyRedactedExcerpt(client: () => BaseLanguageClient | undefined): Promise<RedactExcerptResult | undefined> {
	const editor = vscode.window.activeTextEditor;
	if (!editor || !isOurDocument(editor.document)) {
		void vscode.window.showInformationMessage(vscode.l10n.t('Open an azcmagent or cloud-init log to copy a redacted excerpt of it.'));
		return undefined;
	}
	const c = client();
	if (!c?.isRunning()) {
		void vscode.window.showWarningMessage(vscode.l10n.t('The Arc Logs language server is not running.'));
		return undefined;
	}
	const selection = editor.selection;
	const uri = c.code2ProtocolConverter.asUri(editor.document.uri);
	const result = await c.sendRequest(
		RedactExcerptRequest,
		selection.isEmpty ? { uri, position: c.code2ProtocolConverter.asPosition(selection.active) } : { uri, range: c.code2ProtocolConverter.asRange(selection) },
	);
	if (!result) {
		void vscode.window.showInformationMessage(vscode.l10n.t('No failure at the cursor. Select the lines to copy, or put the cursor on a failure.'));
		return undefined;
	}
	await vscode.env.clipboard.writeText(result.text);
	const kinds = result.kinds.join(', ');
	const message =
		result.replaced === 0
			? vscode.l10n.t('Copied a redacted excerpt: nothing needed replacing ({0}).', kinds)
			: result.replaced === 1
				? vscode.l10n.t('Copied a redacted excerpt: 1 value replaced ({0}).', kinds)
				: vscode.l10n.t('Copied a redacted excerpt: {0} values replaced, {1} distinct ({2}).', result.replaced, result.distinct, kinds);
	void vscode.window.showInformationMessage(message);
	return result;
}

export function registerRedactCommand(context: vscode.ExtensionContext, client: () => BaseLanguageClient | undefined): void {
	context.subscriptions.push(vscode.commands.registerCommand(ClientCommands.copyRedactedExcerpt, () => copyRedactedExcerpt(client)));
}
