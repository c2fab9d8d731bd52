// The language server's web entry (bundled to server/out/browser.js): runs in a web worker that the web client
// (client/src/browser.ts) starts, speaking LSP over the worker's messages. The same server as the Node entry
// (startServer, the pure core); nothing here or below it needs Node.
import { BrowserMessageReader, BrowserMessageWriter, createConnection, ProposedFeatures } from 'vscode-languageserver/browser';
import { startServer } from '../server';

interface WorkerErrorEvent {
	readonly error?: unknown;
	readonly reason?: unknown;
	readonly message?: string;
}
/** The worker's global scope, as far as used here (the project's `lib` has no WebWorker types). */
declare const self: {
	postMessage(message: unknown): void;
	close(): void;
	addEventListener(type: 'error' | 'unhandledrejection', listener: (e: WorkerErrorEvent) => void): void;
};

const connection = createConnection(ProposedFeatures.all, new BrowserMessageReader(self), new BrowserMessageWriter(self));

// Last line of defence, as in the Node entry: a stray exception or rejection is logged to the client's output
// instead of silently killing the worker.
const report = (kind: string, e: unknown) => {
	try {
		connection.console.error(`${kind}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
	} catch {
		// The connection itself is gone: nothing left to tell.
	}
};
self.addEventListener('error', (e) => report('uncaught exception', e.error ?? e.message));
self.addEventListener('unhandledrejection', (e) => report('unhandled rejection', e.reason));

startServer(connection);
// A worker outlives its connection unless it ends itself: after `exit` (stop, restart) it closes, so a restart that
// starts a fresh worker leaves no old server behind.
connection.onExit(() => self.close());
