// The web entry (package.json `browser`, bundled to client/out/browser.js for vscode.dev, github.dev, code-server's
// web worker extension host): the language server runs in a web worker from the bundle inside the package
// (server/out/browser.js, server/src/browser/main.ts). Everything else is the shared client (extension.ts).
import * as vscode from 'vscode';
import { BrowserMessageReader, BrowserMessageWriter, LanguageClient, type MessageTransports } from 'vscode-languageclient/browser';
import { activateClient, type ArcLogsApi } from './extension';

export { deactivate } from './extension';

// Web worker globals of the extension host (the project's `lib` has no DOM / WebWorker types).
declare const Worker: new (url: string, options?: { name?: string }) => object;
declare const Blob: new (parts: Uint8Array[], options?: { type?: string }) => object;
declare const URL: { createObjectURL(blob: object): string };

/**
 * Where a web workbench keeps the logs a user opens, beyond files and untitled editors: a remote's files seen from the
 * browser (code-server, Codespaces), vscode.dev's repositories and @vscode/test-web's folder.
 */
const WEB_SCHEMES = ['vscode-remote', 'vscode-vfs', 'vscode-test-web'];

/** The browser client has no restart of its own (the Node one has): stop, then start a fresh worker. */
class WebLanguageClient extends LanguageClient {
	async restart(): Promise<void> {
		await this.stop();
		await this.start();
	}
}

/**
 * The server's worker and its message transports. From the bundle's URL where the host can load one (vscode.dev: the
 * extension's https location); an extension installed on a remote (code-server, Codespaces) has a vscode-remote: URI,
 * which VS Code's web worker extension host refuses to start a worker from: then the bundle is read through the
 * workspace file system and the worker starts from a blob of it. Transports, not the worker itself: the host's
 * patched `Worker` returns workers that are no `instanceof Worker`, which the client would take for transports.
 */
async function startWorker(serverMain: vscode.Uri): Promise<MessageTransports> {
	const options = { name: 'Arc Logs language server' };
	let worker: object;
	if (serverMain.scheme !== 'vscode-remote') worker = new Worker(serverMain.toString(true), options);
	else {
		const code = await vscode.workspace.fs.readFile(serverMain);
		worker = new Worker(URL.createObjectURL(new Blob([code], { type: 'text/javascript' })), options);
	}
	return { reader: new BrowserMessageReader(worker), writer: new BrowserMessageWriter(worker) };
}

export function activate(context: vscode.ExtensionContext): ArcLogsApi {
	const serverMain = vscode.Uri.joinPath(context.extensionUri, 'server/out/browser.js');
	return activateClient(context, {
		// A fresh worker per start (Restart Server, a locale change): the server's worker closes itself on `exit`.
		createClient: (id, name, options) => new WebLanguageClient(id, name, () => startWorker(serverMain), options),
		workspaceSchemes: WEB_SCHEMES,
	});
}
