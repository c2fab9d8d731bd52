// The LSP adapter: capabilities, a document cache keyed by uri + version (one analyze() per version per locale and
// pattern set), settings per resource, the locale, and one line per feature that forwards to the pure core.
// Every handler is guarded: an exception is logged to the connection console and an empty result returned.
import {
	CodeActionKind,
	CodeLensRefreshRequest,
	FileChangeType,
	MessageType,
	ShowDocumentRequest,
	ShowMessageNotification,
	TextDocuments,
	TextDocumentSyncKind,
	type CancellationToken,
	type Connection,
	type InitializeParams,
	type InitializeResult,
	type Hover,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { MarkupContent } from 'vscode-languageserver-types';
import { Analyzer } from './core/analysis/analyze';
import { validateCustomPatterns } from './core/customPatterns';
import { provideCodeActions } from './core/features/codeActions';
import { provideCodeLenses } from './core/features/codeLens';
import { provideDiagnostics } from './core/features/diagnostics';
import { renderRemediationPage } from './core/features/entryMarkdown';
import { provideFoldingRanges } from './core/features/folding';
import { provideHover } from './core/features/hover';
import { legend, provideSemanticTokens } from './core/features/semanticTokens';
import { defaultSettings, effectiveLocale, normalizeSettings, type Settings } from './core/features/settings';
import { provideSummary, type Summary } from './core/features/summary';
import { provideDocumentSymbols } from './core/features/symbols';
import type { Locale } from './core/knowledge/types';
import { t, toLocale } from './core/l10n';
import type { Analysis, AnalyzeOptions, CustomPattern, LineSource } from './core/model';
import { linesOf } from './core/text';
import { runCommand } from './core/features/commands';
import { LinesDocument, LinesDocuments } from './documents';
import type { AnalyzeFileContext } from './node/analyzeFile';
import { RemediationRequest, SERVER_COMMANDS, SummaryRequest, WorkspaceTrustNotification, type RemediationParams, type SummaryParams } from './core/protocol';
import { RedactExcerptRequest, type RedactExcerptParams, type RedactExcerptResult } from './core/protocol';
import { failureExcerpt, parseKinds, redactText } from './core/redact';
import { applySeverityOverride } from './core/features/settings';
import { CaseFailuresRequest, MeanwhileRequest, type CaseFailures, type CaseFailuresParams, type Meanwhile, type MeanwhileParams } from './core/protocol';
import { provideCaseFailures, provideMeanwhile, renderMeanwhile } from './core/features/case';
import { CaseStore, isUnder, rootName, type CaseReader } from './case';
import { isFailure, effectiveFindings } from './core/features/diagnostics';
import { findingsAt } from './core/features/locate';

/** Custom protocol between the client and this server (any LSP client may use it): core/protocol.ts. */
export {
	RemediationRequest,
	SummaryRequest,
	WorkspaceTrustNotification,
	ServerCommands,
	type RemediationParams,
	type SummaryParams,
	RedactExcerptRequest,
	type RedactExcerptParams,
	type RedactExcerptResult,
} from './core/protocol';

/** What the client may pass in initializationOptions. */
export interface InitializationOptions {
	/** The display language ('sv', 'nl-NL', ...); else the initialize `locale`. */
	readonly locale?: string;
	/** False when the workspace is untrusted: arcLogs.customPatterns is then ignored. Default true. */
	readonly workspaceTrusted?: boolean;
}

/** Debounce for re-analysis after edits (opens are analyzed at once). */
const CHANGE_DELAY_MS = 150;

/** What the server analyzes with: lines pushed one at a time, then the analysis (the core's Analyzer). */
export type AnalyzerFactory = (options: AnalyzeOptions) => { push(line: string): void; finish(): Analysis; fork?(): ReturnType<AnalyzerFactory> };

/** Lines analyzed between two yields to the event loop: hovers, cancellations and newer edits get their turn. */
const SLICE_LINES = 20_000;

/** An analysis given up because a newer version of its document arrived. */
export class Superseded extends Error {}

interface CacheEntry {
	readonly version: number;
	readonly key: string;
	readonly source: LineSource;
	readonly analysis: Analysis;
}

type AnalyzerLike = ReturnType<AnalyzerFactory>;

/** A document's analyzer: it has read the first `consumed` lines of the document (as of `version`). */
interface Base {
	readonly key: string;
	analyzer: AnalyzerLike;
	consumed: number;
	version: number;
	/** Forks of the analyzer at every `checkpointLines` lines, for edits above `consumed`. */
	readonly checkpoints: { readonly consumed: number; readonly analyzer: AnalyzerLike }[];
}

interface Job {
	readonly version: number;
	readonly key: string;
	cancelled: boolean;
	promise?: Promise<CacheEntry>;
}

/**
 * The analysis of each document, computed once per (version, locale, custom patterns), in slices: every request for
 * the same version shares one analysis, and a newer version stops the analysis of the older one.
 */
export class AnalysisCache {
	private readonly entries = new Map<string, CacheEntry>();
	private readonly jobs = new Map<string, Job>();
	/** Per document: an analyzer that has read its first `consumed` lines (as of `version`), for incremental analysis. */
	private readonly bases = new Map<string, Base>();
	constructor(
		private readonly factory: AnalyzerFactory = (options) => new Analyzer(options),
		/** Lines between two checkpoints of a document's analyzer (an edit re-reads at most this many lines above it). */
		private readonly checkpointLines = 32_768,
	) {}

	/**
	 * The analysis of `document`. `fresh`: of this very version (diagnostics), superseding an older one in flight.
	 * Otherwise (hovers, symbols, code actions while the user types) the analysis in flight or the last one finished
	 * serves, whatever its version, so a request never waits for, nor restarts, the analysis of a log being edited.
	 */
	get(document: TextDocument, locale: Locale, patterns: readonly CustomPattern[], patternsKey: string, fresh = true): Promise<CacheEntry> {
		const key = `${locale}\u0000${patternsKey}`;
		const hit = this.entries.get(document.uri);
		if (hit && hit.version === document.version && hit.key === key) return Promise.resolve(hit);
		const running = this.jobs.get(document.uri);
		if (running && running.key === key && running.promise) {
			if (running.version === document.version || !fresh) return running.promise;
			// An older version is being analyzed: let it finish, then analyze the version the document has then. One
			// analysis at a time per document: a log edited faster than it is analyzed is never analyzed in vain.
			return running.promise.then(
				() => this.get(document, locale, patterns, patternsKey, true),
				() => this.get(document, locale, patterns, patternsKey, true),
			);
		}
		if (!fresh && hit && hit.key === key) return Promise.resolve(hit);
		if (running) running.cancelled = true;
		const job: Job = { version: document.version, key, cancelled: false };
		// Registered before it runs: a small document is analyzed without yielding, and run() unregisters it at its end.
		this.jobs.set(document.uri, job);
		job.promise = this.run(document, job, { locale, fileName: fileNameOf(document.uri), customPatterns: patterns });
		return job.promise;
	}

	private async run(document: TextDocument, job: Job, options: AnalyzeOptions): Promise<CacheEntry> {
		try {
			const source = document instanceof LinesDocument ? document.snapshot() : linesOf(document.getText());
			const n = source.lineCount;
			// Incremental: the document's analyzer has read the lines an edit since has not touched; it reads on from
			// there up to the last line (which an append still changes) and is forked for that last line. An edit above
			// where it is restarts it from the last checkpoint (a fork kept every `checkpointLines` lines) before the edit.
			let base = this.bases.get(document.uri);
			if (base && (base.key !== job.key || !(document instanceof LinesDocument))) base = undefined;
			if (base && document instanceof LinesDocument) {
				const changed = document.firstChangedSince(base.version);
				if (changed < base.consumed) {
					const cps = base.checkpoints;
					while (cps.length && cps[cps.length - 1].consumed > changed) cps.pop();
					const cp = cps[cps.length - 1];
					if (cp) Object.assign(base, { analyzer: cp.analyzer.fork!(), consumed: cp.consumed });
					else base = undefined;
				}
			}
			if (!base) {
				const analyzer = this.factory(options);
				base = { key: job.key, analyzer, consumed: 0, version: job.version, checkpoints: [] };
				if (analyzer.fork && document instanceof LinesDocument) this.bases.set(document.uri, base);
				else this.bases.delete(document.uri);
			}
			const incremental = this.bases.get(document.uri) === base;
			const stable = incremental ? n - 1 : n;
			let sliced = 0;
			for (let i = base.consumed; i < stable; i++) {
				base.analyzer.push(source.lineAt(i));
				base.consumed = i + 1;
				base.version = job.version;
				if (incremental && base.consumed % this.checkpointLines === 0) base.checkpoints.push({ consumed: base.consumed, analyzer: base.analyzer.fork!() });
				if (++sliced % SLICE_LINES === 0) {
					await new Promise((resolve) => setTimeout(resolve, 0));
					if (job.cancelled) throw new Superseded(document.uri);
				}
			}
			base.version = job.version;
			let last = base.analyzer;
			if (incremental) {
				last = base.analyzer.fork!();
				if (n > 0) last.push(source.lineAt(n - 1));
			}
			const analysis = last.finish();
			if (job.cancelled) throw new Superseded(document.uri);
			const entry = { version: job.version, key: job.key, source, analysis };
			this.entries.set(document.uri, entry);
			return entry;
		} finally {
			if (this.jobs.get(document.uri) === job) this.jobs.delete(document.uri);
		}
	}

	delete(uri: string): void {
		this.entries.delete(uri);
		this.bases.delete(uri);
		const job = this.jobs.get(uri);
		if (job) job.cancelled = true;
		this.jobs.delete(uri);
	}
}

function fileNameOf(uri: string): string | undefined {
	const path = uri.replace(/[?#].*$/, '');
	const name = path.slice(path.lastIndexOf('/') + 1);
	try {
		return decodeURIComponent(name) || undefined;
	} catch {
		return name || undefined;
	}
}

/** The promise's value, or undefined as soon as the request is cancelled (the work itself goes on for others). */
function untilCancelled<T>(promise: Promise<T>, token: CancellationToken | undefined): Promise<T | undefined> {
	if (!token) return promise;
	if (token.isCancellationRequested) return Promise.resolve(undefined);
	return new Promise<T | undefined>((resolve, reject) => {
		const sub = token.onCancellationRequested(() => {
			sub.dispose();
			resolve(undefined);
		});
		promise.then(
			(v) => {
				sub.dispose();
				resolve(v);
			},
			(e) => {
				sub.dispose();
				reject(e);
			},
		);
	});
}

/**
 * A feature an entry adds to the server: the Node entry adds reading large files from disk (node/analyzeFile.ts);
 * the web worker has no disk, and the server itself uses no Node API.
 */
export type ServerFeature = (connection: Connection, context: AnalyzeFileContext) => void;

/** What an entry adds to the server (see ServerFeature); the readers of cases' logs (the Node entry: folders on disk). */
export interface ServerExtras {
	readonly features?: readonly ServerFeature[];
	readonly caseReaders?: readonly CaseReader[];
}

export function startServer(connection: Connection, factory?: AnalyzerFactory, extras: ServerExtras = {}): void {
	const documents = new TextDocuments(LinesDocuments);
	const cache = new AnalysisCache(factory);
	const settingsCache = new Map<string, Promise<Settings>>();
	const pendingValidation = new Map<string, ReturnType<typeof setTimeout>>();
	const shownProblems = new Set<string>();
	let clientLocale: Locale = 'en';
	let hasConfigurationCapability = false;
	let semanticTokensRefresh = false;
	let codeLensRefresh = false;
	let showDocumentSupport = false;
	let workDoneProgressSupport = false;
	let workspaceFoldersSupport = false;
	let pushedSettings: Settings = defaultSettings;
	let workspaceTrusted = true;
	let untrustedNoticeLogged = false;
	/** Workspace folder uris (cases), from initialize and workspace/didChangeWorkspaceFolders. */
	let workspaceFolders: string[] = [];
	/** The last validated custom patterns (validation compiles regexes: once per distinct setting, not per request). */
	let validated: { key: string; locale: Locale; patterns: CustomPattern[] } | undefined;

	const log = (message: string) => connection.console.log(message);
	const logRejection = (e: unknown) => connection.console.error(`sending failed: ${e instanceof Error ? e.message : String(e)}`);

	function guard<P, R>(name: string, fallback: R, handler: (params: P, token?: CancellationToken) => R | Promise<R>) {
		return async (params: P, token?: CancellationToken): Promise<R> => {
			try {
				return await handler(params, token);
			} catch (e) {
				connection.console.error(`${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
				return fallback;
			}
		};
	}

	function getSettings(uri: string | undefined): Promise<Settings> {
		if (!hasConfigurationCapability) return Promise.resolve(pushedSettings);
		let result = settingsCache.get(uri ?? '');
		if (!result) {
			result = connection.workspace.getConfiguration({ scopeUri: uri, section: 'arcLogs' }).then(
				(raw) => normalizeSettings(raw),
				(e) => {
					connection.console.error(`reading settings for ${uri} failed: ${String(e)}`);
					return defaultSettings;
				},
			);
			settingsCache.set(uri ?? '', result);
		}
		return result;
	}

	function customPatternsOf(settings: Settings): { patterns: CustomPattern[]; key: string } {
		const raw = settings.customPatterns;
		if (!workspaceTrusted) {
			if (Array.isArray(raw) && raw.length > 0 && !untrustedNoticeLogged) {
				untrustedNoticeLogged = true;
				log('arcLogs.customPatterns is ignored: the workspace is not trusted.');
			}
			return { patterns: [], key: '' };
		}
		let key = '';
		try {
			key = JSON.stringify(raw) ?? '';
		} catch {
			key = 'unserializable';
		}
		const locale = effectiveLocale(settings, clientLocale);
		if (validated && validated.key === key && validated.locale === locale) return { patterns: validated.patterns, key };
		const { patterns, problems } = validateCustomPatterns(raw, locale);
		validated = { key, locale, patterns };
		const fresh = problems.filter((p) => !shownProblems.has(p));
		if (fresh.length > 0) {
			for (const p of fresh) {
				shownProblems.add(p);
				connection.console.warn(p);
			}
			// A notification (window/showMessage), not a request: nothing to wait for, nothing to fail.
			void connection
				.sendNotification(ShowMessageNotification.type, {
					type: MessageType.Warning,
					message: fresh.length === 1 ? fresh[0] : t(locale, '{0} (and {1} more problems; see the Arc Logs output)', fresh[0], fresh.length - 1),
				})
				.catch(logRejection);
		}
		return { patterns, key };
	}

	interface DocumentState {
		readonly document: TextDocument;
		/** The version the analysis is of (the document may have moved on while requests were answered). */
		readonly version: number;
		readonly settings: Settings;
		readonly locale: Locale;
		readonly analysis: Analysis;
		readonly source: LineSource;
	}

	/** The document's analysis and settings; undefined for a document this server does not have. */
	/**
	 * The analysis of the document (`fresh`: of its current version, for diagnostics; otherwise the one in flight or
	 * the last finished). A request that is cancelled stops waiting (undefined); an analysis superseded by a newer
	 * version is retried.
	 */
	async function stateOf(uri: string, token?: CancellationToken, fresh = false): Promise<DocumentState | undefined> {
		for (let attempt = 0; attempt < 5; attempt++) {
			const document = documents.get(uri);
			if (!document) return undefined;
			const settings = await getSettings(uri);
			const current = documents.get(uri);
			if (!current || token?.isCancellationRequested) return undefined;
			const locale = effectiveLocale(settings, clientLocale);
			const { patterns, key } = customPatternsOf(settings);
			try {
				const entry = await untilCancelled(cache.get(current, locale, patterns, key, fresh), token);
				if (!entry) return undefined;
				return { document: current, version: entry.version, settings, locale, analysis: entry.analysis, source: entry.source };
			} catch (e) {
				if (!(e instanceof Superseded)) throw e;
			}
		}
		return undefined;
	}

	/** Documents being validated → whether a newer version asked for validation meanwhile. */
	const validating = new Map<string, boolean>();

	/** One validation per document at a time; a version that arrives meanwhile is validated right after it. */
	async function validate(uri: string): Promise<void> {
		if (validating.has(uri)) {
			validating.set(uri, true);
			return;
		}
		validating.set(uri, false);
		try {
			await publishDiagnostics(uri);
		} finally {
			const again = validating.get(uri);
			validating.delete(uri);
			if (again && documents.get(uri)) scheduleValidation(uri, 0);
		}
	}

	async function publishDiagnostics(uri: string): Promise<void> {
		const state = await stateOf(uri, undefined, true);
		// Diagnostics only for the version the client has now: an analysis of a replaced version is not published (the
		// validation scheduled by the newer version publishes).
		if (!state || documents.get(uri)?.version !== state.version) return;
		const diagnostics = provideDiagnostics(state.analysis, state.settings, uri);
		await connection.sendDiagnostics({ uri, version: state.version, diagnostics });
	}

	function scheduleValidation(uri: string, delay: number): void {
		const pending = pendingValidation.get(uri);
		if (pending) clearTimeout(pending);
		pendingValidation.set(
			uri,
			setTimeout(() => {
				pendingValidation.delete(uri);
				validate(uri).catch((e) => connection.console.error(`diagnostics for ${uri} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`));
			}, delay),
		);
	}

	connection.onInitialize((params: InitializeParams): InitializeResult => {
		const options = (params.initializationOptions ?? {}) as InitializationOptions;
		clientLocale = toLocale(typeof options.locale === 'string' ? options.locale : params.locale);
		workspaceTrusted = options.workspaceTrusted !== false;
		hasConfigurationCapability = params.capabilities.workspace?.configuration === true;
		semanticTokensRefresh = params.capabilities.workspace?.semanticTokens?.refreshSupport === true;
		codeLensRefresh = params.capabilities.workspace?.codeLens?.refreshSupport === true;
		showDocumentSupport = params.capabilities.window?.showDocument?.support === true;
		workDoneProgressSupport = params.capabilities.window?.workDoneProgress === true;
		workspaceFolders = (params.workspaceFolders ?? []).map((f) => f.uri.replace(/\/+$/, ''));
		workspaceFoldersSupport = params.capabilities.workspace?.workspaceFolders === true;
		return {
			capabilities: {
				textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
				hoverProvider: true,
				codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
				documentSymbolProvider: { label: 'Arc Logs' },
				foldingRangeProvider: true,
				codeLensProvider: { resolveProvider: false },
				semanticTokensProvider: { legend, full: true, range: false },
				executeCommandProvider: { commands: [...SERVER_COMMANDS] },
				workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
			},
			serverInfo: { name: 'arc-logs' },
		};
	});

	connection.onDidChangeConfiguration(
		guard('didChangeConfiguration', undefined, (params) => {
			settingsCache.clear();
			if (!hasConfigurationCapability) {
				const section = (params.settings as { arcLogs?: unknown } | null | undefined)?.arcLogs;
				pushedSettings = normalizeSettings(section);
			}
			for (const document of documents.all()) scheduleValidation(document.uri, 0);
			// Overrides change the lens; custom patterns and the locale change everything.
			if (semanticTokensRefresh) connection.languages.semanticTokens.refresh().catch(logRejection);
			if (codeLensRefresh) connection.sendRequest(CodeLensRefreshRequest.type).catch(logRejection);
		}),
	);

	connection.onNotification(
		WorkspaceTrustNotification,
		guard('workspaceTrust', undefined, (params: { trusted?: unknown }) => {
			const trusted = params?.trusted !== false;
			if (trusted === workspaceTrusted) return;
			workspaceTrusted = trusted;
			for (const document of documents.all()) scheduleValidation(document.uri, 0);
		}),
	);

	// TextDocuments fires onDidChangeContent right after onDidOpen: an open is analyzed at once, edits are debounced.
	const justOpened = new Set<string>();
	documents.onDidOpen((e) => justOpened.add(e.document.uri));
	// A log that grows (lines added at its end) is analyzed incrementally and at once; edits wait for typing to pause.
	documents.onDidChangeContent((e) => scheduleValidation(e.document.uri, justOpened.delete(e.document.uri) || e.document.wasAppended ? 0 : CHANGE_DELAY_MS));
	documents.onDidClose((e) => {
		const pending = pendingValidation.get(e.document.uri);
		if (pending) clearTimeout(pending);
		pendingValidation.delete(e.document.uri);
		justOpened.delete(e.document.uri);
		cache.delete(e.document.uri);
		settingsCache.delete(e.document.uri);
		connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] }).catch(logRejection);
	});

	connection.onHover(
		guard('hover', null, async (params, token): Promise<Hover | null> => {
			const s = await stateOf(params.textDocument.uri, token);
			if (!s) return null;
			const hover = provideHover(s.analysis, s.source, params.position, { locale: s.locale, settings: s.settings });
			// On a failure with a time: what the machine's other logs recorded meanwhile.
			if (!hover || !MarkupContent.is(hover.contents)) return hover;
			const onFailure = effectiveFindings(s.analysis, s.settings, findingsAt(s.analysis, params.position)).some((f) => isFailure(f.severity));
			if (!onFailure) return hover;
			const meanwhile = await meanwhileAt(params.textDocument.uri, params.position).catch((e: unknown) => {
				connection.console.error(`meanwhile failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
				return undefined;
			});
			if (!meanwhile || token?.isCancellationRequested) return hover;
			return { ...hover, contents: { kind: hover.contents.kind, value: `${hover.contents.value}\n\n---\n\n${renderMeanwhile(meanwhile, s.locale)}` } };
		}),
	);
	connection.onCodeAction(
		guard('codeAction', [], async (params, token) => {
			const s = await stateOf(params.textDocument.uri, token);
			return s ? provideCodeActions(s.analysis, s.settings, params.textDocument.uri, params.context.diagnostics, s.locale) : [];
		}),
	);
	connection.onDocumentSymbol(
		guard('documentSymbol', [], async (params, token) => {
			const s = await stateOf(params.textDocument.uri, token);
			return s ? provideDocumentSymbols(s.analysis, s.source, s.locale) : [];
		}),
	);
	connection.onFoldingRanges(
		guard('foldingRange', [], async (params, token) => {
			const s = await stateOf(params.textDocument.uri, token);
			return s ? provideFoldingRanges(s.analysis) : [];
		}),
	);
	connection.onCodeLens(
		guard('codeLens', [], async (params, token) => {
			const s = await stateOf(params.textDocument.uri, token);
			return s ? provideCodeLenses(s.analysis, s.settings, params.textDocument.uri, s.locale) : [];
		}),
	);
	connection.languages.semanticTokens.on(
		guard('semanticTokens', { data: [] }, async (params, token) => {
			const s = await stateOf(params.textDocument.uri, token);
			return s ? provideSemanticTokens(s.analysis, s.source) : { data: [] };
		}),
	);
	async function remediation(params: RemediationParams): Promise<{ markdown: string | null; locale: Locale }> {
		const s = params.uri ? await stateOf(params.uri) : undefined;
		const locale = params.locale ? toLocale(params.locale) : (s?.locale ?? effectiveLocale(await getSettings(params.uri), clientLocale));
		const finding = s?.analysis.findings.find((f) => f.id === params.id);
		return { markdown: renderRemediationPage(params.id, locale, finding) ?? null, locale };
	}
	connection.onRequest(
		RemediationRequest,
		guard('remediation', null, async (params: RemediationParams): Promise<string | null> => (await remediation(params)).markdown),
	);
	// Quick fixes run here, so they work in every LSP client: documents and URLs open through window/showDocument,
	// text to read or copy comes as window/showMessage.
	connection.onExecuteCommand(
		guard('executeCommand', null, async (params): Promise<unknown> => {
			const args = params.arguments ?? [];
			const uri = typeof args[1] === 'string' ? args[1] : undefined;
			const locale = effectiveLocale(await getSettings(uri), clientLocale);
			const effect = await runCommand(params.command, args, {
				locale,
				remediation: async (id, documentUri) => (await remediation({ id, uri: documentUri })).markdown ?? undefined,
			});
			if (!effect) {
				connection.console.warn(`executeCommand: ${params.command} with unusable arguments; nothing done.`);
				return null;
			}
			if (effect.showDocument) {
				if (showDocumentSupport) {
					const shown = await connection.sendRequest(ShowDocumentRequest.type, effect.showDocument);
					if (!shown.success) connection.console.warn(`the client did not show ${effect.showDocument.uri}`);
				} else {
					await connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Info, message: effect.showDocument.uri });
				}
			}
			if (effect.message) await connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Info, message: effect.message });
			return effect.result;
		}),
	);
	connection.onRequest(
		SummaryRequest,
		guard('summary', null, async (params: SummaryParams, token): Promise<Summary | null> => {
			const s = await stateOf(params.uri, token);
			return s ? provideSummary(s.analysis, s.settings, params.uri, s.locale) : null;
		}),
	);

	// A redacted excerpt for sharing: the selection, or the failure at the cursor with its related lines.
	connection.onRequest(
		RedactExcerptRequest,
		guard('redactExcerpt', null, async (params: RedactExcerptParams, token): Promise<RedactExcerptResult | null> => {
			const document = documents.get(params.uri);
			if (!document) return null;
			const settings = await getSettings(params.uri);
			const kinds = params.kinds ? parseKinds(params.kinds).kinds : settings.redactKinds;
			const r = params.range;
			if (r && (r.start.line !== r.end.line || r.start.character !== r.end.character)) {
				const lines: number[] = [];
				for (let i = r.start.line; i <= Math.min(r.end.line, document.lineCount - 1); i++) lines.push(i);
				return { ...redactText(document.getText(r), kinds), kinds, lines };
			}
			const s = await stateOf(params.uri, token);
			const line = params.position?.line ?? r?.start.line;
			if (!s || line === undefined) return null;
			const excerpt = failureExcerpt(s.analysis.findings, s.source, line, (f) => applySeverityOverride(f.id, f.severity, s.settings.severityOverrides));
			return excerpt ? { ...redactText(excerpt.text, kinds), kinds, lines: excerpt.lines, id: excerpt.id } : null;
		}),
	);
	// What the entry adds: from the Node entry, logs the editor does not sync (over 50 MB), analyzed from disk.
	const featureContext: AnalyzeFileContext = {
		factory: factory ?? ((options) => new Analyzer(options)),
		settingsFor: async (uri) => {
			const settings = await getSettings(uri);
			return { settings, locale: effectiveLocale(settings, clientLocale), patterns: customPatternsOf(settings).patterns };
		},
		isOpen: (uri) => documents.get(uri) !== undefined,
		workDoneProgress: () => workDoneProgressSupport,
	};
	for (const feature of extras.features ?? []) feature(connection, featureContext);
	// ---- cases: the logs of a workspace folder, lined up in time (case.ts, core/features/case.ts)
	const cases = new CaseStore({
		openLogs: async (root) => {
			const out = [];
			for (const d of documents.all()) {
				if (!isUnder(d.uri, root)) continue;
				const st = await stateOf(d.uri);
				if (st) out.push({ uri: d.uri, version: st.version, analysis: st.analysis, source: st.source, settings: st.settings });
			}
			return out;
		},
		settings: (root) => getSettings(root),
	}, extras.caseReaders);

	/** The case a document belongs to: the innermost workspace folder that holds it, else the document's own folder. */
	function caseRootOf(uri: string): string | undefined {
		const folder = workspaceFolders.filter((f) => isUnder(uri, f)).sort((a, b) => b.length - a.length)[0];
		if (folder) return folder;
		if (!uri.startsWith('file:')) return undefined;
		const slash = uri.lastIndexOf('/');
		return slash > 'file://'.length ? uri.slice(0, slash) : undefined;
	}

	async function meanwhileAt(uri: string, position: MeanwhileParams['position']): Promise<Meanwhile | undefined> {
		const root = caseRootOf(uri);
		if (!root) return undefined;
		const settings = await getSettings(uri);
		const c = await cases.model(root, effectiveLocale(settings, clientLocale));
		return c ? provideMeanwhile(c.model, uri, position, settings.meanwhileWindowSeconds) : undefined;
	}

	connection.onRequest(
		CaseFailuresRequest,
		guard('caseFailures', null, async (params: CaseFailuresParams): Promise<CaseFailures | null> => {
			if (typeof params?.root !== 'string') return null;
			const root = params.root.replace(/\/+$/, '');
			const locale = effectiveLocale(await getSettings(root), clientLocale);
			const c = await cases.model(root, locale);
			return c ? provideCaseFailures(c.model, root, rootName(root, locale), locale, c.problems) : null;
		}),
	);
	connection.onRequest(
		MeanwhileRequest,
		guard('meanwhile', null, async (params: MeanwhileParams): Promise<Meanwhile | null> => {
			if (typeof params?.uri !== 'string' || typeof params.position?.line !== 'number') return null;
			return (await meanwhileAt(params.uri, params.position)) ?? null;
		}),
	);
	connection.onDidChangeWatchedFiles(
		guard('didChangeWatchedFiles', undefined, (params) => {
			for (const c of params.changes ?? []) {
				cases.changed(c.uri, c.type === FileChangeType.Created ? 'created' : c.type === FileChangeType.Deleted ? 'deleted' : 'changed');
			}
		}),
	);
	connection.onInitialized(() => {
		if (!workspaceFoldersSupport) return;
		connection.workspace.onDidChangeWorkspaceFolders((e) => {
			const removed = new Set(e.removed.map((f) => f.uri.replace(/\/+$/, '')));
			workspaceFolders = [...workspaceFolders.filter((f) => !removed.has(f)), ...e.added.map((f) => f.uri.replace(/\/+$/, ''))];
		});
	});

	documents.listen(connection);
	connection.listen();
}
