// The language server over a real LSP connection: `node server/out/server.js --stdio` (one process per suite,
// started and shut down cleanly), plus one in-process suite that counts analyses.
import * as assert from 'node:assert/strict';
import {
	CodeActionRequest,
	CodeLensRequest,
	DiagnosticSeverity,
	DidChangeTextDocumentNotification,
	DidCloseTextDocumentNotification,
	DocumentSymbolRequest,
	ExecuteCommandRequest,
	FoldingRangeRequest,
	HoverRequest,
	MessageType,
	SemanticTokensRequest,
	TextDocumentSyncKind,
	type CodeAction,
	type Diagnostic,
	type DocumentSymbol,
	type MarkupContent,
	type SemanticTokensLegend,
} from 'vscode-languageserver-protocol/node';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { Analyzer } from '../../server/src/core/analysis/analyze';
import type { Analysis, AnalyzeOptions } from '../../server/src/core/model';
import { SERVER_COMMANDS, ServerCommands } from '../../server/src/core/protocol';
import { AnalysisCache, startServer, Superseded } from '../../server/src/server';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { AZCMAGENT_LOG, CLOUD_INIT_LOG, CLOUD_INIT_OUTPUT_LOG, plain } from '../unit/features/helpers';
import { SERVER_JS, TestClient } from './client';

const AZ_URI = 'file:///logs/azcmagent.log';
const CI_URI = 'file:///logs/cloud-init-output.log';

function hoverMarkdown(result: unknown): string {
	assert.ok(result, 'a hover');
	const contents = (result as { contents: MarkupContent }).contents;
	assert.equal(contents.kind, 'markdown');
	return contents.value;
}

function codeOf(d: Diagnostic): string | undefined {
	return typeof d.code === 'string' ? d.code : undefined;
}

describe('language server over stdio', function () {
	describe('initialize, diagnostics and features (locale en)', () => {
		let client: TestClient;
		before(async () => {
			client = await TestClient.spawn({ locale: 'en', settings: () => ({}) });
		});
		after(async () => {
			await client.stop();
			assert.equal(client.exitCode, 0, 'exits cleanly after shutdown + exit');
		});

		it('announces its capabilities', () => {
			const c = client.initializeResult.capabilities;
			assert.deepEqual(c.textDocumentSync, { openClose: true, change: TextDocumentSyncKind.Incremental });
			assert.equal(c.hoverProvider, true);
			assert.deepEqual(c.codeActionProvider, { codeActionKinds: ['quickfix'] });
			assert.ok(c.documentSymbolProvider);
			assert.equal(c.foldingRangeProvider, true);
			assert.deepEqual(c.codeLensProvider, { resolveProvider: false });
			const legend = (c.semanticTokensProvider as { legend: SemanticTokensLegend }).legend;
			assert.deepEqual(legend.tokenTypes, ['logLevel', 'logTime', 'logFieldKey', 'logCode', 'logMessage']);
			assert.equal(client.initializeResult.serverInfo?.name, 'arc-logs');
		});

		it('publishes diagnostics with code, codeDescription, source and related information on didOpen', async () => {
			const published = await client.open(AZ_URI, AZCMAGENT_LOG);
			assert.equal(published.version, 1);
			const d = published.diagnostics.find((x) => codeOf(x) === 'AZCM0026');
			assert.ok(d, JSON.stringify(published.diagnostics));
			assert.equal(d.source, 'arc-logs');
			assert.equal(d.severity, DiagnosticSeverity.Error);
			assert.equal(d.range.start.line, 4);
			assert.match(d.codeDescription!.href, /^https:\/\/learn\.microsoft\.com\/.+#agent-error-codes$/);
			assert.ok(d.relatedInformation?.some((r) => r.location.uri === AZ_URI && r.location.range.start.line === 6), 'points at the fatal cause');
		});

		it('hovers on the code with the knowledge, and on a timestamp with the time since the previous record', async () => {
			const md = hoverMarkdown(await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: AZ_URI }, position: { line: 4, character: 64 } }));
			assert.ok(plain(md).includes('**Probable cause:** There\'s an error in network configuration'), md);
			assert.ok(plain(md).includes('**What happened here:**'), md);
			const time = hoverMarkdown(await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: AZ_URI }, position: { line: 4, character: 10 } }));
			assert.ok(plain(time).includes('+9 s since the previous record (line 4)'), time);
		});

		/** The AZCM0026 diagnostic of the azcmagent log and the code actions offered for it. */
		async function azcm0026Actions(): Promise<{ d: Diagnostic; actions: CodeAction[] }> {
			const d = client.diagnostics.get(AZ_URI)!.diagnostics.find((x) => codeOf(x) === 'AZCM0026')!;
			const actions = (await client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri: AZ_URI }, range: d.range, context: { diagnostics: [d] } })) as CodeAction[];
			return { d, actions };
		}

		it('offers quick fixes for the diagnostic', async () => {
			const { d, actions } = await azcm0026Actions();
			assert.deepEqual(
				actions.map((a) => [a.title, a.kind, a.command?.command]),
				[
					['Show remediation for AZCM0026', 'quickfix', 'arcLogs.server.showRemediation'],
					['Open Microsoft Learn article', 'quickfix', 'arcLogs.server.openUrl'],
				],
			);
			assert.deepEqual(actions[0].diagnostics, [d]);
			assert.deepEqual(actions[0].command?.arguments, ['AZCM0026', AZ_URI]);
		});

		it('runs the quick-fix commands itself (workspace/executeCommand), for any client', async () => {
			assert.deepEqual(client.initializeResult.capabilities.executeCommandProvider, { commands: [...SERVER_COMMANDS] });
			const { d, actions } = await azcm0026Actions();
			const run = (command: string, args: unknown[]) => client.connection.sendRequest(ExecuteCommandRequest.type, { command, arguments: args });

			// Open the Learn article: window/showDocument, external, the https URL of the action.
			const learn = actions.find((a) => a.command?.command === ServerCommands.openUrl)!;
			const shownBefore = client.shownDocuments.length;
			assert.equal(await run(learn.command!.command, learn.command!.arguments!), learn.command!.arguments![0]);
			assert.deepEqual(client.shownDocuments.slice(shownBefore), [{ uri: learn.command!.arguments![0], external: true }]);
			// Anything but https is refused and nothing is shown.
			for (const bad of ['http://learn.microsoft.com/x', 'javascript:alert(1)', 'file:///etc/passwd', 42]) {
				assert.equal(await run(ServerCommands.openUrl, [bad]), null);
			}
			assert.equal(client.shownDocuments.length, shownBefore + 1);

			// Show remediation: the page as a plain-text message (no markdown escapes), the markdown as the result.
			const messagesBefore = client.messages.length;
			const markdown = await run(ServerCommands.showRemediation, ['AZCM0026', AZ_URI]);
			assert.equal(typeof markdown, 'string');
			const shown = client.messages.slice(messagesBefore);
			assert.equal(shown.length, 1);
			assert.equal(shown[0].type, MessageType.Info);
			assert.ok(shown[0].message.includes('AZCM0026'));
			assert.doesNotMatch(shown[0].message, /\\[-.'()]/);

			// Copy a suggested command: shown as text (a server has no clipboard), returned.
			assert.equal(await run(ServerCommands.copyCommand, ['azcmagent show']), 'azcmagent show');
			assert.ok(client.messages.at(-1)!.message.endsWith('azcmagent show'));

			// Go to a failure: window/showDocument with the selection.
			await run(ServerCommands.goToFailure, [AZ_URI, d.range.start.line, d.range.start.character]);
			assert.deepEqual(client.shownDocuments.at(-1), { uri: AZ_URI, takeFocus: true, selection: { start: d.range.start, end: d.range.start } });
		});

		it('lists the run in the outline, folds, puts a code lens on the first line and returns semantic tokens', async () => {
			const symbols = (await client.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri: AZ_URI } })) as DocumentSymbol[];
			assert.deepEqual(
				symbols.map((s) => s.name),
				['connect → failed (AZCM0026)'],
			);
			const ci = await client.open(CI_URI, CLOUD_INIT_OUTPUT_LOG, 'cloud-init-log');
			assert.ok(ci.diagnostics.some((x) => codeOf(x) === 'CI-SCRIPT-FAILED'), JSON.stringify(ci.diagnostics));
			const folds = await client.connection.sendRequest(FoldingRangeRequest.type, { textDocument: { uri: CI_URI } });
			assert.ok(folds?.some((f) => f.startLine === 0 && f.endLine === 10 && f.kind === 'region'), JSON.stringify(folds));
			assert.ok(folds?.some((f) => f.startLine === 4 && f.endLine === 10), 'the modules:final stage');
			const lenses = await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: AZ_URI } });
			assert.equal(lenses?.length, 1);
			assert.match(lenses![0].command!.title, /^\d+ failures? · first at 09:01:07 · Go to first failure$/);
			assert.deepEqual(lenses![0].command!.arguments?.slice(0, 2), [AZ_URI, 4]);
			const tokens = await client.connection.sendRequest(SemanticTokensRequest.type, { textDocument: { uri: AZ_URI } });
			assert.ok(tokens && tokens.data.length > 0 && tokens.data.length % 5 === 0);
		});

		it('applies incremental changes and republishes for the new version', async () => {
			const v2 = client.waitForDiagnostics(AZ_URI, (p) => p.version === 2);
			const line = AZCMAGENT_LOG.split('\n')[4];
			const start = line.indexOf('AZCM0026: Network Error');
			await client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
				textDocument: { uri: AZ_URI, version: 2 },
				contentChanges: [{ range: { start: { line: 4, character: start }, end: { line: 4, character: start + 'AZCM0026: Network Error'.length } }, text: 'AZCM0042: Failed to Create Resource' }],
			});
			const published = await v2;
			const codes = published.diagnostics.map(codeOf);
			assert.ok(codes.includes('AZCM0042'), JSON.stringify(codes));
			assert.ok(!codes.includes('AZCM0026'));
		});

		it('answers the custom requests arcLogs/summary and arcLogs/remediation', async () => {
			const summary = (await client.connection.sendRequest('arcLogs/summary', { uri: CI_URI })) as { counts: { error: number }; firstFailure?: { id: string }; markdown: string };
			assert.ok(summary.counts.error >= 1);
			assert.ok(summary.firstFailure);
			assert.ok(summary.markdown.startsWith('# Failures summary'));
			const page = (await client.connection.sendRequest('arcLogs/remediation', { id: 'AZCM0063' })) as string;
			assert.ok(page.includes('```sh\nazcmagent disconnect --force-local-only\n```'), page);
			assert.equal(await client.connection.sendRequest('arcLogs/remediation', { id: 'NOT-A-THING' }), null);
			assert.equal(await client.connection.sendRequest('arcLogs/summary', { uri: 'file:///not/open.log' }), null);
		});

		it('a handler that throws logs the error, returns an empty result, and the server stays alive', async () => {
			const logsBefore = client.logs.length;
			// Malformed params: no `context` on a code action request, a null position on a hover.
			const actions = await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri: AZ_URI }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } } });
			assert.deepEqual(actions, []);
			const hover = await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: AZ_URI }, position: null });
			assert.equal(hover, null);
			const errors = client.logs.slice(logsBefore).filter((l) => l.type === MessageType.Error);
			assert.ok(errors.some((l) => l.message.startsWith('codeAction failed: TypeError')), JSON.stringify(errors));
			assert.ok(errors.some((l) => l.message.startsWith('hover failed: TypeError')), JSON.stringify(errors));
			// Unknown documents and positions past the end are not errors: empty results.
			assert.equal(await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: 'file:///nope.log' }, position: { line: 0, character: 0 } }), null);
			assert.equal(await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: AZ_URI }, position: { line: 999, character: 0 } }), null);
			// Still serving.
			const symbols = (await client.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri: AZ_URI } })) as DocumentSymbol[];
			assert.equal(symbols.length, 1);
			assert.equal(client.exitCode, null);
		});

		it('clears diagnostics on close', async () => {
			const cleared = client.waitForDiagnostics(CI_URI, (p) => p.diagnostics.length === 0);
			await client.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: CI_URI } });
			await cleared;
		});
	});

	describe('locale sv from initialize; arcLogs.locale overrides per resource', () => {
		let client: TestClient;
		before(async () => {
			client = await TestClient.spawn({ locale: 'sv-SE', settings: (scopeUri) => (scopeUri?.endsWith('/nl/azcmagent.log') ? { locale: 'nl' } : { locale: 'auto' }) });
		});
		after(() => client.stop());

		const log = [
			'time="2024-03-02T09:00:55+02:00" level=info msg="Onboarding Machine" Operation=connect',
			'time="2024-03-02T09:01:07+02:00" level=info msg="Exit Code:  AZCM0042: Failed to Create Resource"',
			'time="2024-03-02T09:01:07+02:00" level=fatal msg="RequestCorrelationId:1f0e Message: denied Code: AuthorizationFailed httpStatusCode:403"',
		].join('\n');

		it('gives Swedish hovers', async () => {
			const uri = 'file:///sv/azcmagent.log';
			const published = await client.open(uri, log);
			const d = published.diagnostics.find((x) => codeOf(x) === 'AZCM0042')!;
			assert.ok(d, JSON.stringify(published.diagnostics));
			const md = plain(hoverMarkdown(await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: d.range.start })));
			assert.ok(md.includes('**Trolig orsak:** Det gick inte att skapa den Arc-aktiverade serverresursen'), md);
			assert.ok(md.includes('**Vad som hände här:**'), md);
			const actions = (await client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } })) as CodeAction[];
			assert.equal(actions[0].title, 'Visa åtgärd för AZCM0042');
		});

		it('arcLogs.locale = nl for one resource gives Dutch there', async () => {
			const uri = 'file:///nl/azcmagent.log';
			const published = await client.open(uri, log);
			const d = published.diagnostics.find((x) => codeOf(x) === 'AZCM0042')!;
			const md = plain(hoverMarkdown(await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: d.range.start })));
			assert.ok(md.includes('**Waarschijnlijke oorzaak:** Het maken van de arc-serverresource is mislukt'), md);
		});
	});

	describe('settings: maxProblems, severity overrides, custom patterns and workspace trust', () => {
		let client: TestClient;
		let settings: Record<string, unknown> = {};
		const both = `${AZCMAGENT_LOG}\n${'proxy denied by policy'}\n${'proxy denied again'}`;
		const uri = 'file:///s/azcmagent.log';
		before(async () => {
			client = await TestClient.spawn({ locale: 'en', initializationOptions: { workspaceTrusted: false }, settings: () => settings });
		});
		after(() => client.stop());

		async function republish(next: Record<string, unknown>): Promise<Diagnostic[]> {
			settings = next;
			const p = client.waitForDiagnostics(uri);
			await client.changeConfiguration();
			return (await p).diagnostics;
		}

		it('ignores custom patterns while the workspace is untrusted, uses them once trusted', async () => {
			settings = { customPatterns: [{ id: 'PROXY-DENIED', regex: 'proxy denied', severity: 'warning', message: 'The proxy denied it' }] };
			const first = await client.open(uri, both);
			assert.ok(!first.diagnostics.some((d) => codeOf(d) === 'PROXY-DENIED'), 'untrusted: not used');
			const next = client.waitForDiagnostics(uri);
			await client.connection.sendNotification('arcLogs/workspaceTrust', { trusted: true });
			const trusted = (await next).diagnostics.filter((d) => codeOf(d) === 'PROXY-DENIED');
			assert.deepEqual(
				trusted.map((d) => [d.range.start.line, d.severity]),
				[
					[7, DiagnosticSeverity.Warning],
					[8, DiagnosticSeverity.Warning],
				],
			);
		});

		it('refuses an unsafe pattern and says so once', async () => {
			const bad = { customPatterns: [{ id: 'BAD', regex: '(a+)+$' }] };
			const ds = await republish(bad);
			assert.ok(!ds.some((d) => codeOf(d) === 'BAD'));
			await republish({ ...bad });
			const warnings = client.messages.filter((m) => m.type === MessageType.Warning && m.message.includes('(BAD)'));
			assert.equal(warnings.length, 1, JSON.stringify(client.messages));
			assert.match(warnings[0].message, /nested quantifier/);
		});

		it('severity overrides turn findings off or change their severity', async () => {
			const ds = await republish({
				customPatterns: [{ id: 'PROXY-DENIED', regex: 'proxy denied', severity: 'warning' }],
				severityOverrides: { 'AZCM*': 'off', 'PROXY-*': 'error' },
			});
			assert.ok(!ds.some((d) => codeOf(d) === 'AZCM0026'));
			assert.ok(ds.filter((d) => codeOf(d) === 'PROXY-DENIED').every((d) => d.severity === DiagnosticSeverity.Error));
		});

		it('maxProblems caps the list with a final note', async () => {
			const ds = await republish({ customPatterns: [{ id: 'PROXY-DENIED', regex: 'proxy denied' }], maxProblems: 1 });
			assert.equal(ds.length, 2);
			assert.equal(ds[1].severity, DiagnosticSeverity.Information);
			assert.match(ds[1].message as string, /^\d+ more problems not shown \(arcLogs\.maxProblems\)$/);
			assert.equal(ds[1].code, undefined);
		});
	});

	describe('a client without workspace/configuration (like a plain editor)', () => {
		let client: TestClient;
		before(async () => {
			client = await TestClient.spawn({});
		});
		after(() => client.stop());

		it('works with defaults and takes settings from didChangeConfiguration', async () => {
			const uri = 'file:///p/cloud-init.log';
			const first = await client.open(uri, CLOUD_INIT_LOG, 'cloud-init-log');
			assert.ok(first.diagnostics.length > 0, 'the runcmd failure');
			assert.equal(client.configurationRequests, 0);
			const next = client.waitForDiagnostics(uri);
			await client.changeConfiguration({ arcLogs: { severityOverrides: { '*': 'off' } } });
			assert.deepEqual((await next).diagnostics, []);
		});
	});
});

describe('language server in process: one analysis per document version', () => {
	let client: TestClient;
	const calls: number[] = [];
	const counting = (options: AnalyzeOptions) => {
		const analyzer = new Analyzer(options);
		let lines = 0;
		return {
			push: (line: string) => {
				lines++;
				analyzer.push(line);
			},
			finish: (): Analysis => {
				calls.push(lines);
				return analyzer.finish();
			},
		};
	};
	before(async () => {
		client = await TestClient.inProcess((reader, writer) => startServer(createConnection(ProposedFeatures.all, reader, writer), counting), { locale: 'en', settings: () => ({}) });
	});
	after(() => client.stop());

	it('every feature asking about the same version shares one analysis; a new version analyzes again', async () => {
		const uri = 'file:///mem/azcmagent.log';
		await client.open(uri, AZCMAGENT_LOG);
		assert.equal(calls.length, 1);
		const textDocument = { uri };
		const position = { line: 4, character: 64 };
		const range = { start: { line: 0, character: 0 }, end: { line: 6, character: 0 } };
		await Promise.all([
			client.connection.sendRequest(HoverRequest.type, { textDocument, position }),
			client.connection.sendRequest(DocumentSymbolRequest.type, { textDocument }),
			client.connection.sendRequest(FoldingRangeRequest.type, { textDocument }),
			client.connection.sendRequest(CodeLensRequest.type, { textDocument }),
			client.connection.sendRequest(SemanticTokensRequest.type, { textDocument }),
			client.connection.sendRequest(CodeActionRequest.type, { textDocument, range, context: { diagnostics: [] } }),
			client.connection.sendRequest('arcLogs/summary', { uri }),
		]);
		assert.equal(calls.length, 1);
		const v2 = client.waitForDiagnostics(uri, (p) => p.version === 2);
		const last = AZCMAGENT_LOG.split('\n')[6];
		await client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
			textDocument: { uri, version: 2 },
			contentChanges: [{ range: { start: { line: 6, character: last.length }, end: { line: 6, character: last.length } }, text: '\nmore' }],
		});
		await v2;
		await client.connection.sendRequest(HoverRequest.type, { textDocument, position });
		assert.deepEqual(calls, [7, 8]);
	});
});

describe('language server: responsive and honest under load (issue 9, defect 9)', () => {
	it('one analysis at a time per document: a newer version waits for the one in flight, requests share it', async () => {
		const cache = new AnalysisCache();
		const text = (n: number) => Array.from({ length: 60_000 }, (_, i) => `time="2024-01-01T00:00:00Z" level=info msg="line ${i} of v${n}"`).join('\n');
		const doc = (v: number) => TextDocument.create('file:///m/azcmagent.log', 'azcmagent-log', v, text(v));
		const v1 = cache.get(doc(1), 'en', [], '');
		// A hover while version 2 is typed: the analysis in flight answers it, nothing restarts.
		const read = cache.get(doc(2), 'en', [], '', false);
		const v2 = cache.get(doc(2), 'en', [], '');
		const [e1, r, e2] = await Promise.all([v1, read, v2]);
		assert.deepEqual([e1.version, r.version, e2.version], [1, 1, 2]);
		assert.equal(r, e1);
		assert.equal(e2.analysis.lineCount, 60_000);
		// Asking again for version 2 shares the finished analysis.
		assert.equal(await cache.get(doc(2), 'en', [], ''), e2);
	});

	it('a document closed while it is analyzed: its analysis is given up', async () => {
		const cache = new AnalysisCache();
		const lines = Array.from({ length: 60_000 }, (_, i) => `time="2024-01-01T00:00:00Z" level=info msg="line ${i}"`).join('\n');
		const job = cache.get(TextDocument.create('file:///m/x.log', 'azcmagent-log', 1, lines), 'en', [], '');
		cache.delete('file:///m/x.log');
		await assert.rejects(job, Superseded);
	});

	it('a broken JSON-RPC header ends the process with a message on stderr (the client restarts it)', async () => {
		const child = spawn(process.execPath, [SERVER_JS, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
		let err = '';
		child.stderr.on('data', (d: Buffer) => (err += d.toString()));
		child.stdin.write('Content-Type: text/plain\r\n\r\n{"jsonrpc":"2.0"}\r\n');
		const [code] = (await once(child, 'exit')) as [number | null];
		assert.equal(code, 1);
		assert.match(err, /protocol error, exiting: Header must provide a Content-Length property/);
	});
});

