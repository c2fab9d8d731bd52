// The server-side commands (workspace/executeCommand) behind the quick fixes, so they work in every LSP client.
// Pure: it decides what to show; the server sends it (window/showDocument, window/showMessage).
import type { ShowDocumentParams } from 'vscode-languageserver-protocol';
import type { Locale } from '../knowledge/types';
import { t } from '../l10n';
import { ServerCommands } from '../protocol';

/** What running a command asks the client to do, and the command's result. */
export interface CommandEffect {
	readonly showDocument?: ShowDocumentParams;
	readonly message?: string;
	readonly result: unknown;
}

export interface CommandContext {
	readonly locale: Locale;
	/** The remediation page (markdown) of a code, for the document it was found in. */
	remediation(id: string, uri: string | undefined): Promise<string | undefined>;
}

function httpsUrl(value: unknown): string | undefined {
	if (typeof value !== 'string') return undefined;
	try {
		const url = new URL(value);
		return url.protocol === 'https:' ? url.toString() : undefined;
	} catch {
		return undefined;
	}
}

/** Markdown as a plain message (window/showMessage is text): no backslash escapes, no emphasis markers. */
export function plainText(markdown: string): string {
	return markdown.replace(/\\([\\`*_{}[\]()#+\-.!'"|<>~=])/g, '$1').replace(/\*\*([^*\n]+)\*\*/g, '$1');
}

/** undefined: not a command of ours or arguments that do not fit (nothing is done). */
export async function runCommand(command: string, args: readonly unknown[], context: CommandContext): Promise<CommandEffect | undefined> {
	switch (command) {
		case ServerCommands.showRemediation: {
			const [id, uri] = args;
			if (typeof id !== 'string' || id.length === 0) return undefined;
			const markdown = (await context.remediation(id, typeof uri === 'string' ? uri : undefined)) ?? t(context.locale, 'Nothing is known about {0}.', id);
			return { message: plainText(markdown), result: markdown };
		}
		case ServerCommands.openUrl: {
			const url = httpsUrl(args[0]);
			if (!url) return undefined;
			return { showDocument: { uri: url, external: true }, result: url };
		}
		case ServerCommands.copyCommand: {
			const [text] = args;
			if (typeof text !== 'string' || text.length === 0) return undefined;
			return { message: t(context.locale, 'Suggested command: {0}', text), result: text };
		}
		case ServerCommands.goToFailure: {
			const [uri, line, character] = args;
			if (typeof uri !== 'string' || typeof line !== 'number' || line < 0) return undefined;
			const position = { line, character: typeof character === 'number' && character >= 0 ? character : 0 };
			return { showDocument: { uri, takeFocus: true, selection: { start: position, end: position } }, result: uri };
		}
		default:
			return undefined;
	}
}
