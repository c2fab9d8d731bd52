// A minimal LSP client for the server tests: a real JSON-RPC connection (vscode-languageserver-protocol) to either
// `node server/out/server.js --stdio` in a child process, or an in-process server over a pair of streams.
// It answers workspace/configuration from a settings function, records window messages and log messages, and lets a
// test wait for publishDiagnostics (no sleeps).
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import {
	ConfigurationRequest,
	createProtocolConnection,
	DidChangeConfigurationNotification,
	DidOpenTextDocumentNotification,
	ExitNotification,
	InitializedNotification,
	InitializeRequest,
	LogMessageNotification,
	PublishDiagnosticsNotification,
	ShowMessageNotification,
	ShutdownRequest,
	StreamMessageReader,
	StreamMessageWriter,
	type ClientCapabilities,
	type InitializeResult,
	type LogMessageParams,
	type MessageReader,
	type MessageWriter,
	type ProtocolConnection,
	type PublishDiagnosticsParams,
	type ShowMessageParams,
	ShowDocumentRequest,
	type ShowDocumentParams,
} from 'vscode-languageserver-protocol/node';

export const SERVER_JS = resolve(__dirname, '../../../server/out/server.js');

export interface StartOptions {
	/** initialize `locale`. */
	readonly locale?: string;
	readonly initializationOptions?: unknown;
	/** The `arcLogs` section per scopeUri (workspace/configuration). Undefined: no configuration capability. */
	readonly settings?: (scopeUri: string | undefined) => unknown;
	/** Announce window.workDoneProgress (the server may then create progress: window/workDoneProgress/create). */
	readonly workDoneProgress?: boolean;
	/** initialize `workspaceFolders` (uris). */
	readonly workspaceFolders?: readonly string[];
}

const capabilities = (withConfiguration: boolean): ClientCapabilities => ({
	workspace: { configuration: withConfiguration, semanticTokens: { refreshSupport: false } },
	window: { showDocument: { support: true } },
	textDocument: {
		synchronization: { dynamicRegistration: false },
		hover: { contentFormat: ['markdown', 'plaintext'] },
		publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true, versionSupport: true },
		codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } },
		documentSymbol: { hierarchicalDocumentSymbolSupport: true },
		semanticTokens: {
			requests: { full: true },
			tokenTypes: [],
			tokenModifiers: [],
			formats: ['relative'],
		},
	},
});

export class TestClient {
	readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
	readonly messages: ShowMessageParams[] = [];
	/** window/showDocument requests from the server (answered with success). */
	readonly shownDocuments: ShowDocumentParams[] = [];
	readonly logs: LogMessageParams[] = [];
	/** How many workspace/configuration requests the server sent. */
	configurationRequests = 0;
	initializeResult!: InitializeResult;
	private waiters: { uri: string; accept: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void }[] = [];

	private constructor(
		readonly connection: ProtocolConnection,
		private readonly child?: ChildProcess,
	) {
		connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
			this.diagnostics.set(p.uri, p);
			this.waiters = this.waiters.filter((w) => {
				if (w.uri === p.uri && w.accept(p)) {
					w.resolve(p);
					return false;
				}
				return true;
			});
		});
		connection.onNotification(ShowMessageNotification.type, (p) => {
			this.messages.push(p);
		});
		connection.onRequest(ShowDocumentRequest.type, (p) => {
			this.shownDocuments.push(p);
			return { success: true };
		});
		connection.onNotification(LogMessageNotification.type, (p) => {
			this.logs.push(p);
		});
		connection.listen();
	}

	/** Spawn `node server/out/server.js --stdio`. */
	static async spawn(options: StartOptions = {}): Promise<TestClient> {
		const child = spawn(process.execPath, [SERVER_JS, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
		child.stderr!.on('data', () => undefined);
		const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
		const client = new TestClient(connection, child);
		await client.initialize(options);
		return client;
	}

	/**
	 * An in-process server over a pair of in-memory streams: `start` is the product's startServer with what it needs.
	 * Reader/writer objects (not raw streams), no processId and no `exit`: vscode-languageserver/node would otherwise
	 * end the test process when the streams close or the parent process check fires.
	 */
	static async inProcess(start: (reader: MessageReader, writer: MessageWriter) => void, options: StartOptions = {}): Promise<TestClient> {
		const toServer = new PassThrough();
		const toClient = new PassThrough();
		start(new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
		const connection = createProtocolConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
		const client = new TestClient(connection);
		await client.initialize(options, null);
		return client;
	}

	private async initialize(options: StartOptions, processId: number | null = process.pid): Promise<void> {
		const settings = options.settings;
		this.connection.onRequest(ConfigurationRequest.type, (params) => {
			this.configurationRequests++;
			return params.items.map((item) => (item.section === 'arcLogs' && settings ? settings(item.scopeUri) : null));
		});
		this.initializeResult = await this.connection.sendRequest(InitializeRequest.type, {
			processId,
			rootUri: null,
			capabilities: options.workDoneProgress
				? { ...capabilities(settings !== undefined), window: { ...capabilities(settings !== undefined).window, workDoneProgress: true } }
				: capabilities(settings !== undefined),
			locale: options.locale,
			initializationOptions: options.initializationOptions,
			workspaceFolders: options.workspaceFolders ? options.workspaceFolders.map((uri) => ({ uri, name: uri.slice(uri.lastIndexOf('/') + 1) })) : null,
		});
		await this.connection.sendNotification(InitializedNotification.type, {});
	}

	/** Resolves with the next publishDiagnostics for `uri` that `accept`s (register before triggering). */
	waitForDiagnostics(uri: string, accept: (p: PublishDiagnosticsParams) => boolean = () => true): Promise<PublishDiagnosticsParams> {
		return new Promise((resolve) => this.waiters.push({ uri, accept, resolve }));
	}

	/** Open a document and wait for its first diagnostics. */
	async open(uri: string, text: string, languageId = 'azcmagent-log', version = 1): Promise<PublishDiagnosticsParams> {
		const published = this.waitForDiagnostics(uri, (p) => p.version === version);
		await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version, text } });
		return published;
	}

	async changeConfiguration(settings: unknown = null): Promise<void> {
		await this.connection.sendNotification(DidChangeConfigurationNotification.type, { settings });
	}

	/** shutdown + exit, and wait for the process to end (stdio); in process: shutdown only. */
	async stop(): Promise<void> {
		await this.connection.sendRequest(ShutdownRequest.type);
		if (this.child) {
			const exited = this.child.exitCode !== null ? Promise.resolve() : once(this.child, 'exit').then(() => undefined);
			await this.connection.sendNotification(ExitNotification.type);
			await exited;
		}
		this.connection.dispose();
	}

	get exitCode(): number | null | undefined {
		return this.child?.exitCode;
	}
}
