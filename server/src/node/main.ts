// The language server's node entry: `node server/out/server.js --stdio` (any LSP client) or --node-ipc (the
// VS Code client). createConnection reads the transport from the command line.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from '../server';

const connection = createConnection(ProposedFeatures.all);

// Last line of defence: handlers are guarded in startServer, but a stray rejection or exception must not take the
// server down; it is logged to the client's output instead.
const report = (kind: string) => (e: unknown) => {
	try {
		connection.console.error(`${kind}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
	} catch {
		// The connection itself is gone: nothing left to tell.
	}
};
process.on('unhandledRejection', report('unhandled rejection'));
process.on('uncaughtException', report('uncaught exception'));

startServer(connection);
