// arcLogs/analyzeFile: a log the editor does not sync (VS Code gives extensions no file over 50 MB), analyzed from disk.
// The file is streamed in chunks through the CLI's reading path (node/files.ts: decoding, line splitting, limits) into
// the same analyzer the documents use, line by line; no string of the whole file is ever made. Progress is reported
// with window/workDoneProgress, cancellation is honoured between chunks, and the findings are published as the
// diagnostics of the file's URI (Problems entries for a file that is not open as a document).
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
	LSPErrorCodes,
	ResponseError,
	type CancellationToken,
	type Connection,
	type WorkDoneProgressReporter,
} from 'vscode-languageserver';
import { provideDiagnostics } from '../core/features/diagnostics';
import type { Settings } from '../core/features/settings';
import { provideSummary } from '../core/features/summary';
import type { Locale } from '../core/knowledge/types';
import { t } from '../core/l10n';
import type { Analysis, AnalyzeOptions, CustomPattern } from '../core/model';
import { AnalyzeFileRequest, type AnalyzeFileParams, type AnalyzeFileResult } from '../core/protocol';
import { byteAnalyzer, fileChunks, isBinary, readHead, reason } from './files';

/** Bytes read between two yields to the event loop (hovers, cancellation, other requests get their turn). */
const CHUNK_BYTES = 256 * 1024;

export interface AnalyzeFileContext {
	/** The analyzer the documents use (the server's factory). */
	readonly factory: (options: AnalyzeOptions) => { push(line: string): void; finish(): Analysis };
	/** Settings, locale and custom patterns that apply to `uri`. */
	settingsFor(uri: string): Promise<{ settings: Settings; locale: Locale; patterns: readonly CustomPattern[] }>;
	/** Whether `uri` is open as a document (then its own diagnostics stand and nothing is published). */
	isOpen(uri: string): boolean;
	/** Whether the client can show progress the server creates (window.workDoneProgress). */
	workDoneProgress(): boolean;
}

/** The error a request ends with when it is cancelled. */
function cancelled(): ResponseError<void> {
	return new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');
}

export function registerAnalyzeFile(connection: Connection, context: AnalyzeFileContext): void {
	/** The analysis in flight per URI: a newer request for the same file cancels it. */
	const running = new Map<string, { cancel: boolean }>();

	connection.onRequest(AnalyzeFileRequest, async (params: AnalyzeFileParams, token: CancellationToken): Promise<AnalyzeFileResult> => {
		const uri = typeof params?.uri === 'string' ? params.uri : '';
		const { settings, locale, patterns } = await context.settingsFor(uri);
		const fail = (message: string) => new ResponseError(LSPErrorCodes.RequestFailed, message);
		let path: string;
		try {
			path = fileURLToPath(uri);
		} catch {
			throw fail(t(locale, 'Only files on disk can be analyzed: {0}', uri));
		}
		let size: number;
		try {
			const st = statSync(path);
			if (st.isDirectory()) throw fail(`${path}: ${t(locale, 'is a folder')}`);
			if (!st.isFile()) throw fail(`${path}: ${t(locale, 'not a regular file (a pipe, socket or device); not read')}`);
			size = st.size;
			if (isBinary(readHead(path, 8192))) throw fail(`${path}: ${t(locale, 'binary file, not a text log')}`);
		} catch (e) {
			throw e instanceof ResponseError ? e : fail(`${path}: ${reason(e, locale)}`);
		}

		const previous = running.get(uri);
		if (previous) previous.cancel = true;
		const job = { cancel: false };
		running.set(uri, job);
		const progress = await startProgress(connection, params, context, t(locale, 'Analyzing {0}', basename(path)));
		try {
			const analyzer = byteAnalyzer(context.factory({ locale, fileName: basename(path), customPatterns: patterns }), locale);
			const total = Math.max(size, 1);
			let read = 0;
			let reported = -1;
			const stop = () => job.cancel || token.isCancellationRequested || progress.token?.isCancellationRequested === true;
			try {
				for (const bytes of fileChunks(path, CHUNK_BYTES)) {
					read += bytes.length;
					const more = analyzer.push(bytes);
					const percent = Math.min(100, Math.floor((read * 100) / total));
					if (percent !== reported) {
						reported = percent;
						progress.reporter.report(percent, t(locale, '{0} of {1} MB', mb(read), mb(size)));
					}
					await new Promise((resolve) => setImmediate(resolve));
					if (stop()) throw cancelled();
					if (!more) break;
				}
			} catch (e) {
				throw e instanceof ResponseError ? e : fail(`${path}: ${reason(e, locale)}`);
			}
			const fed = analyzer.finish();
			if (stop()) throw cancelled();
			const published = !context.isOpen(uri);
			if (published) await connection.sendDiagnostics({ uri, diagnostics: provideDiagnostics(fed.analysis, settings, uri) });
			const summary = provideSummary(fed.analysis, settings, uri, locale);
			return {
				uri,
				lineCount: fed.analysis.lineCount,
				counts: summary.counts,
				failures: summary.failures,
				published,
				notices: fed.truncated ? [fed.truncated, ...fed.notices] : fed.notices,
			};
		} finally {
			progress.reporter.done();
			if (running.get(uri) === job) running.delete(uri);
		}
	});
}

function mb(bytes: number): string {
	return (bytes / (1024 * 1024)).toFixed(1);
}

/**
 * The progress of the request: the client's (its workDoneToken), else one the server creates when the client supports
 * it (then cancellable from the client's progress), else none.
 */
async function startProgress(
	connection: Connection,
	params: AnalyzeFileParams,
	context: AnalyzeFileContext,
	title: string,
): Promise<{ reporter: WorkDoneProgressReporter; token?: CancellationToken }> {
	let reporter: WorkDoneProgressReporter;
	let token: CancellationToken | undefined;
	if (params.workDoneToken !== undefined || !context.workDoneProgress()) reporter = connection.window.attachWorkDoneProgress(params.workDoneToken);
	else {
		try {
			const created = await connection.window.createWorkDoneProgress();
			reporter = created;
			token = created.token;
		} catch {
			reporter = connection.window.attachWorkDoneProgress(undefined);
		}
	}
	reporter.begin(title, 0, undefined, true);
	return { reporter, token };
}
