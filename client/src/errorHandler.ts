// The language client's own default error handler (restart a crashed server up to MAX_RESTARTS times within three
// minutes, then stop), wrapped to log to the Arc Logs output and to start counting afresh after a manual restart.
import * as vscode from 'vscode';
import type { BaseLanguageClient, CloseHandlerResult, ErrorHandler, ErrorHandlerResult, Message } from 'vscode-languageclient';

export const MAX_RESTARTS = 4;

export class LoggingErrorHandler implements ErrorHandler {
	private inner: ErrorHandler | undefined;
	private client: BaseLanguageClient | undefined;

	constructor(private readonly output: vscode.LogOutputChannel) {}

	/** Called once the client exists (its default handler needs it). */
	attach(client: BaseLanguageClient): void {
		this.client = client;
		this.reset();
	}

	error(error: Error, message: Message | undefined, count: number | undefined): ErrorHandlerResult | Promise<ErrorHandlerResult> {
		this.output.error(`connection error (${count ?? 1}): ${error.message}`);
		return this.inner!.error(error, message, count);
	}

	async closed(): Promise<CloseHandlerResult> {
		const result = await this.inner!.closed();
		this.output.warn(`the language server stopped: ${result.message ?? result.action}`);
		return result;
	}

	/** After a manual restart, start counting afresh. */
	reset(): void {
		if (this.client) this.inner = this.client.createDefaultErrorHandler(MAX_RESTARTS);
	}
}
