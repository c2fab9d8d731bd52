// An error handler that restarts a crashed server a few times, but never loops: after MAX_RESTARTS crashes within
// WINDOW_MS it stops and tells the user (the pattern of vscode-languageclient's DefaultErrorHandler and vscode-eslint).
import * as vscode from 'vscode';
import { CloseAction, ErrorAction, type CloseHandlerResult, type ErrorHandler, type ErrorHandlerResult, type Message } from 'vscode-languageclient/node';

export const MAX_RESTARTS = 4;
export const WINDOW_MS = 3 * 60 * 1000;

export class RestartLimitingErrorHandler implements ErrorHandler {
	private readonly restarts: number[] = [];

	constructor(private readonly output: vscode.LogOutputChannel) {}

	error(error: Error, _message: Message | undefined, count: number | undefined): ErrorHandlerResult {
		this.output.error(`connection error (${count ?? 1}): ${error.message}`);
		// A few write/read errors in a row can be transient; more mean the connection is gone.
		return { action: count !== undefined && count <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown, handled: true };
	}

	closed(): CloseHandlerResult {
		const now = Date.now();
		this.restarts.push(now);
		while (this.restarts.length > 0 && now - this.restarts[0] > WINDOW_MS) this.restarts.shift();
		if (this.restarts.length > MAX_RESTARTS) {
			const message = vscode.l10n.t(
				'The Arc Logs language server crashed {0} times in the last {1} minutes and will not be restarted. See the "Arc Logs" output for details; run "Arc Logs: Restart Language Server" to try again.',
				this.restarts.length,
				WINDOW_MS / 60000,
			);
			this.output.error(message);
			return { action: CloseAction.DoNotRestart, message };
		}
		this.output.warn(`the language server stopped; restarting (${this.restarts.length}/${MAX_RESTARTS})`);
		return { action: CloseAction.Restart, handled: true };
	}

	/** After a manual restart, start counting afresh. */
	reset(): void {
		this.restarts.length = 0;
	}
}
