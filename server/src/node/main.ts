// The language server's node entry: `node server/out/server.js --stdio` (any LSP client) or --node-ipc (the
// VS Code client); other transports through createConnection's own command-line handling.
import { createConnection, IPCMessageReader, IPCMessageWriter, ProposedFeatures, StreamMessageReader, StreamMessageWriter, type MessageReader, type MessageWriter } from 'vscode-languageserver/node';
import { startServer } from '../server';
import { registerAnalyzeFile } from './analyzeFile';
import { FolderReader } from './folderReader';
import { BundleReader } from './bundleReader';

const stdio = process.argv.includes('--stdio');
const ipc = process.argv.includes('--node-ipc');
const reader: MessageReader | undefined = stdio ? new StreamMessageReader(process.stdin) : ipc ? new IPCMessageReader(process) : undefined;
const writer: MessageWriter | undefined = stdio ? new StreamMessageWriter(process.stdout) : ipc ? new IPCMessageWriter(process) : undefined;
const connection = reader && writer ? createConnection(ProposedFeatures.all, reader, writer) : createConnection(ProposedFeatures.all);

// A stream that is not JSON-RPC (a broken header, garbage) cannot be recovered from: say so on stderr and end with a
// failure exit, so the client sees the server stop and can restart it, instead of a server alive and silent forever.
reader?.onError((e) => {
	process.stderr.write(`arc-logs language server: protocol error, exiting: ${e instanceof Error ? e.message : String(e)}\n`);
	process.exit(1);
});

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

startServer(connection, undefined, { features: [registerAnalyzeFile], caseReaders: [new FolderReader(), new BundleReader()] });
