// The web entry (package.json `browser`, bundled to client/out/browser.js for vscode.dev, github.dev, code-server's
// web worker extension host): the language server runs in a web worker from the bundle inside the package
// (server/out/browser.js, server/src/browser/main.ts). Everything else is the shared client (extension.ts).
import * as vscode from 'vscode';
import { LanguageClient } from 'vscode-languageclient/browser';
import { activateClient, type ArcLogsApi } from './extension';

export { deactivate } from './extension';

/** The web worker global of the extension host (its lib types are not part of this project's `lib`). */
declare const Worker: new (url: string, options?: { name?: string }) => object;

/**
 * Where a web workbench keeps the logs a user opens, beyond files and untitled editors: a remote's files seen from the
 * browser (code-server, Codespaces), vscode.dev's repositories and @vscode/test-web's folder.
 */
const WEB_SCHEMES = ['file', 'untitled', 'vscode-remote', 'vscode-vfs', 'vscode-test-web'];

/** The browser client has no restart of its own (the Node one has): stop, then start a fresh worker. */
class WebLanguageClient extends LanguageClient {
	async restart(): Promise<void> {
		await this.stop();
		await this.start();
	}
}

export function activate(context: vscode.ExtensionContext): ArcLogsApi {
	const serverMain = vscode.Uri.joinPath(context.extensionUri, 'server/out/browser.js');
	return activateClient(context, {
		// A fresh worker per start (Restart Server, a locale change): the server's worker closes itself on `exit`.
		createClient: (id, name, options) =>
			new WebLanguageClient(id, name, () => Promise.resolve(new Worker(serverMain.toString(true), { name: 'Arc Logs language server' })), options),
		schemes: WEB_SCHEMES,
	});
}
