// arcLogs/analyzeFile over stdio (the real server process): a log generated on disk (never committed) is streamed
// through the analysis with progress, can be cancelled, publishes the diagnostics of a file that is not open, and
// finds exactly what the same text finds when it is opened as a document.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
	CancellationTokenSource,
	DidCloseTextDocumentNotification,
	DiagnosticSeverity,
	LSPErrorCodes,
	ResponseError,
	WorkDoneProgress,
	WorkDoneProgressCancelNotification,
	WorkDoneProgressCreateRequest,
	type ProgressToken,
	type Diagnostic,
	type WorkDoneProgressBegin,
	type WorkDoneProgressEnd,
	type WorkDoneProgressReport,
} from 'vscode-languageserver-protocol/node';
import { AnalyzeFileRequest, SummaryRequest, type AnalyzeFileResult } from '../../server/src/core/protocol';
import { AZCMAGENT_LOG } from '../unit/features/helpers';
import { TestClient } from './client';

type Progress = WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd;

/** An azcmagent log of about `mb` MB: heartbeats, with the failures of AZCMAGENT_LOG in the middle; CRLF breaks. */
function generatedLog(mb: number): string {
	const filler = (i: number) =>
		`time="2024-03-02T08:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}Z" level=debug msg="Sending heartbeat" Correlation ID=${String(i).padStart(8, '0')}-1111-4222-8333-444444444444 Request URL=https://eastus.his.arc.azure.com/heartbeat`;
	const half = Math.ceil((mb * 1024 * 1024) / 2 / filler(0).length);
	const lines: string[] = [];
	for (let i = 0; i < half; i++) lines.push(filler(i));
	lines.push(...AZCMAGENT_LOG.split('\n'));
	for (let i = 0; i < half; i++) lines.push(filler(i));
	return lines.join('\r\n') + '\r\n';
}

/** Diagnostics without the URI they point at (related locations name their own document). */
function comparable(list: readonly Diagnostic[]): unknown[] {
	return list.map((d) => ({ ...d, relatedInformation: d.relatedInformation?.map((r) => ({ range: r.location.range, message: r.message })) }));
}

describe('arcLogs/analyzeFile: a log from disk (large-file path)', function () {
	this.timeout(120_000);
	let client: TestClient;
	let dir: string;
	let text: string;
	let bigPath: string;
	before(async () => {
		dir = mkdtempSync(join(tmpdir(), 'arc-logs-analyze-file-'));
		text = generatedLog(3);
		bigPath = join(dir, 'azcmagent.log');
		writeFileSync(bigPath, text);
		client = await TestClient.spawn({ locale: 'en', settings: () => ({}) });
	});
	after(async () => {
		await client.stop();
		rmSync(dir, { recursive: true, force: true });
	});

	it('streams the file with progress, publishes its diagnostics and returns its failures: the same as the document would get', async () => {
		const uri = pathToFileURL(bigPath).toString();
		const events: Progress[] = [];
		const workDoneToken = 'analyze-1';
		const sub = client.connection.onProgress(WorkDoneProgress.type, workDoneToken, (p) => {
			events.push(p);
		});
		const published = client.waitForDiagnostics(uri);
		const result: AnalyzeFileResult = await client.connection.sendRequest(AnalyzeFileRequest, { uri, workDoneToken });
		sub.dispose();
		const diagnostics = (await published).diagnostics;

		// Progress: begin (cancellable), reports with rising percentages up to 100, end.
		assert.equal(events[0].kind, 'begin');
		assert.equal((events[0] as WorkDoneProgressBegin).cancellable, true);
		assert.match((events[0] as WorkDoneProgressBegin).title, /azcmagent\.log/);
		assert.equal(events[events.length - 1].kind, 'end');
		const percents = events.filter((e): e is WorkDoneProgressReport => e.kind === 'report').map((e) => e.percentage!);
		assert.ok(percents.length >= 10, `a report per chunk of a 3 MB file: ${percents.join(',')}`);
		assert.deepEqual([...percents].sort((a, b) => a - b), percents, 'rising');
		assert.equal(percents[percents.length - 1], 100);

		// The result lists the failures with line, column, message, severity and id; AZCM0026 where it is written.
		const middle = text.split('\r\n').findIndex((l) => l.includes('AZCM0026'));
		assert.ok(middle > 5_000, `the failure is deep in the file (line ${middle})`);
		assert.equal(result.uri, uri);
		assert.equal(result.published, true);
		assert.equal(result.lineCount, text.split('\r\n').length);
		assert.deepEqual(result.notices, []);
		const azcm = result.failures.find((f) => f.id === 'AZCM0026');
		assert.ok(azcm, JSON.stringify(result.failures));
		assert.equal(azcm.line, middle);
		assert.equal(azcm.severity, 'error');
		assert.ok(azcm.message.length > 0);
		assert.equal(result.counts.error, diagnostics.filter((d) => d.severity === DiagnosticSeverity.Error).length);

		// Exactly what the same text gets when it is opened as a document.
		const docUri = 'file:///mem/azcmagent.log';
		const asDocument = await client.open(docUri, text);
		assert.ok(diagnostics.length > 0);
		assert.deepEqual(comparable(diagnostics), comparable(asDocument.diagnostics));
		assert.deepEqual(
			result.failures.map((f) => [f.line, f.character, f.id]),
			asDocument.diagnostics.filter((d) => d.severity === DiagnosticSeverity.Error || d.severity === DiagnosticSeverity.Warning).map((d) => [d.range.start.line, d.range.start.character, d.code]),
		);
		assert.ok(diagnostics.every((d) => d.relatedInformation?.every((r) => r.location.uri === uri) ?? true), 'related locations point into the file');
		await client.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: docUri } });
	});

	it('is cancelled between chunks: the request ends with RequestCancelled, the progress ends, nothing is published', async () => {
		// A file four times the size of the others: the cancellation arrives while many chunks are still unread, however
		// slowly this machine passes the first report to the client and its cancellation back.
		const path = join(dir, 'cancel', 'azcmagent.log');
		mkdirSync(join(dir, 'cancel'));
		writeFileSync(path, generatedLog(12));
		const uri = pathToFileURL(path).toString();
		const source = new CancellationTokenSource();
		const events: Progress[] = [];
		const workDoneToken = 'analyze-cancel';
		const sub = client.connection.onProgress(WorkDoneProgress.type, workDoneToken, (p) => {
			events.push(p);
			// Cancel once the server has read a part of the file.
			if (p.kind === 'report') source.cancel();
		});
		const request = client.connection.sendRequest(AnalyzeFileRequest, { uri, workDoneToken }, source.token);
		await assert.rejects(request, (e: unknown) => e instanceof ResponseError && e.code === LSPErrorCodes.RequestCancelled);
		// A round trip after it: anything the cancelled analysis would have sent has arrived by now.
		await client.connection.sendRequest(SummaryRequest, { uri });
		sub.dispose();
		assert.equal(events[events.length - 1].kind, 'end');
		// Stopped before the end of the file: the last report is short of 100 % (the whole file reports 100, above).
		const percents = events.filter((e): e is WorkDoneProgressReport => e.kind === 'report').map((e) => e.percentage!);
		assert.ok(percents.length >= 1 && percents[percents.length - 1] < 100, `stopped early: ${percents.join(',')}`);
		assert.equal(client.diagnostics.has(uri), false, 'no diagnostics for a cancelled analysis');
	});

	it('a file open as a document keeps its own diagnostics: the failures are returned, nothing is published', async () => {
		const path = join(dir, 'open', 'azcmagent.log');
		mkdirSync(join(dir, 'open'));
		writeFileSync(path, AZCMAGENT_LOG);
		const uri = pathToFileURL(path).toString();
		await client.open(uri, AZCMAGENT_LOG);
		const before = client.diagnostics.get(uri);
		const result = await client.connection.sendRequest(AnalyzeFileRequest, { uri });
		assert.equal(result.published, false);
		assert.ok(result.failures.some((f) => f.id === 'AZCM0026' && f.line === 4));
		await client.connection.sendRequest(SummaryRequest, { uri });
		assert.equal(client.diagnostics.get(uri), before, 'not published again');
		await client.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
	});

	it('bad input is a clear error, never a crash: missing file, folder, binary file, not a file URI; an empty file is analyzed', async () => {
		const failure = (message: RegExp) => (e: unknown) => e instanceof ResponseError && e.code === LSPErrorCodes.RequestFailed && message.test(e.message);
		await assert.rejects(client.connection.sendRequest(AnalyzeFileRequest, { uri: pathToFileURL(join(dir, 'missing.log')).toString() }), failure(/missing\.log: no such file or folder/));
		await assert.rejects(client.connection.sendRequest(AnalyzeFileRequest, { uri: pathToFileURL(dir).toString() }), failure(/is a folder/));
		const binary = join(dir, 'azcmagent.log.1');
		writeFileSync(binary, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7) % 32)));
		await assert.rejects(client.connection.sendRequest(AnalyzeFileRequest, { uri: pathToFileURL(binary).toString() }), failure(/binary file, not a text log/));
		await assert.rejects(client.connection.sendRequest(AnalyzeFileRequest, { uri: 'untitled:Untitled-1' }), failure(/Only files on disk can be analyzed: untitled:Untitled-1/));
		const empty = join(dir, 'cloud-init-output.log');
		writeFileSync(empty, '');
		const result = await client.connection.sendRequest(AnalyzeFileRequest, { uri: pathToFileURL(empty).toString() });
		assert.deepEqual([result.lineCount, result.failures], [1, []]);
		// Still alive and answering.
		assert.equal(await client.connection.sendRequest(SummaryRequest, { uri: 'file:///nothing.log' }), null);
	});

	it('a client that supports window.workDoneProgress but sends no token: the server creates the progress, and cancelling it stops the analysis', async () => {
		const other = await TestClient.spawn({ locale: 'en', settings: () => ({}), workDoneProgress: true });
		try {
			const created: ProgressToken[] = [];
			const events: Progress[] = [];
			other.connection.onRequest(WorkDoneProgressCreateRequest.type, (p) => {
				created.push(p.token);
				other.connection.onProgress(WorkDoneProgress.type, p.token, (e) => {
					events.push(e);
					if (e.kind === 'report') void other.connection.sendNotification(WorkDoneProgressCancelNotification.type, { token: p.token });
				});
			});
			const uri = pathToFileURL(bigPath).toString();
			await assert.rejects(other.connection.sendRequest(AnalyzeFileRequest, { uri }), (e: unknown) => e instanceof ResponseError && e.code === LSPErrorCodes.RequestCancelled);
			assert.equal(created.length, 1);
			assert.equal(events[0].kind, 'begin');
			assert.equal(events[events.length - 1].kind, 'end');
			assert.ok(events.filter((e) => e.kind === 'report').length < 5, 'stopped early');
			await other.connection.sendRequest(SummaryRequest, { uri });
			assert.equal(other.diagnostics.has(uri), false);
		} finally {
			await other.stop();
		}
	});
});
