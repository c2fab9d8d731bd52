// The desktop entry (package.json `main`, bundled to client/out/extension.js): the language server runs as a Node
// process over IPC, started from the bundle inside the package. Everything else is the shared client (extension.ts).
import type * as vscode from 'vscode';
import { LanguageClient, TransportKind, type ServerOptions } from 'vscode-languageclient/node';
import { activateClient, type ArcLogsApi } from './extension';
import { registerLargeFile } from './largeFile';
import { registerSarifCommand } from './sarif';

export type { ArcLogsApi, ShownDocument } from './extension';
export { deactivate } from './extension';

export function activate(context: vscode.ExtensionContext): ArcLogsApi {
	const serverModule = context.asAbsolutePath('server/out/server.js');
	const serverOptions: ServerOptions = {
		run: { module: serverModule, transport: TransportKind.ipc },
		debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
	};
	return activateClient(context, {
		createClient: (id, name, options) => new LanguageClient(id, name, serverOptions, options),
		workspaceSchemes: [],
		registerNodeFeatures: (ctx, client, start) => {
			registerSarifCommand(ctx);
			return { largeFile: registerLargeFile(ctx, client, start) };
		},
	});
}
