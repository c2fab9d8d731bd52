// Outline, folding, code lens and semantic tokens.
import * as assert from 'node:assert/strict';
import { FoldingRangeKind, SymbolKind } from 'vscode-languageserver-types';
import { provideCodeLenses } from '../../../server/src/core/features/codeLens';
import { provideFoldingRanges } from '../../../server/src/core/features/folding';
import { decodeSemanticTokens, legend, provideSemanticTokens } from '../../../server/src/core/features/semanticTokens';
import { normalizeSettings } from '../../../server/src/core/features/settings';
import { provideDocumentSymbols } from '../../../server/src/core/features/symbols';
import { linesOf } from '../../../server/src/core/text';
import { AZCMAGENT_LOG, CLOUD_INIT_LOG, CLOUD_INIT_OUTPUT_LOG, analyzeText, finding, makeAnalysis, range, record, section } from './helpers';

const URI = 'file:///logs/x.log';
const settings = normalizeSettings({});

describe('features/symbols', () => {
	it('runs, boots and stages with outcome and code; failed ones marked', () => {
		const source = linesOf(Array.from({ length: 12 }, (_, i) => `line ${i}`).join('\n'));
		const analysis = makeAnalysis({
			lineCount: 12,
			sections: [
				section({ kind: 'run', name: 'connect', startLine: 0, endLine: 4, outcome: 'failed', detail: 'AZCM0026', time: { text: '2024-03-02T09:00:55+02:00' } }),
				section({
					kind: 'boot',
					startLine: 5,
					endLine: 11,
					outcome: 'failed',
					time: { text: 'Tue, 04 Jun 2024 07:01:12 +0000' },
					children: [section({ kind: 'stage', name: 'init', startLine: 5, endLine: 6, outcome: 'ok' }), section({ kind: 'stage', name: 'modules:final', startLine: 7, endLine: 11, outcome: 'failed', detail: 'exit 1' })],
				}),
			],
		});
		const symbols = provideDocumentSymbols(analysis, source, 'en');
		assert.deepEqual(
			symbols.map((s) => [s.name, s.kind, s.range.start.line, s.range.end.line, s.children?.map((c) => c.name)]),
			[
				['connect → failed (AZCM0026)', SymbolKind.Event, 0, 4, []],
				['boot at 07:01:12 → failed', SymbolKind.Module, 5, 11, ['init → ok', 'modules:final → failed (exit 1)']],
			],
		);
		assert.equal(symbols[0].detail, '2024-03-02T09:00:55+02:00');
		assert.deepEqual(symbols[0].range.end, { line: 4, character: 'line 4'.length });
		assert.equal(provideDocumentSymbols(analysis, source, 'sv')[0].name, 'connect → misslyckades (AZCM0026)');
	});

	it('on real logs (engine): the failed connect run and the failed modules:final stage', () => {
		const a = analyzeText(AZCMAGENT_LOG, 'en', 'azcmagent.log');
		const names = provideDocumentSymbols(a.analysis, a.source, 'en').map((s) => s.name);
		assert.ok(names.includes('connect → failed (AZCM0026)'), JSON.stringify(names));
		const c = analyzeText(CLOUD_INIT_OUTPUT_LOG, 'en', 'cloud-init-output.log');
		const boots = provideDocumentSymbols(c.analysis, c.source, 'en');
		assert.equal(boots.length, 1);
		assert.match(boots[0].name, /failed/);
		assert.deepEqual(
			boots[0].children?.map((s) => s.name.split(' ')[0]),
			['init', 'modules:config', 'modules:final'],
		);
		assert.match(boots[0].children![2].name, /^modules:final → failed/);
	});
});

describe('features/folding', () => {
	it('folds sections (regions) and multi-line records, one range per start line', () => {
		const analysis = makeAnalysis({
			sections: [section({ kind: 'boot', startLine: 0, endLine: 9, children: [section({ kind: 'stage', startLine: 0, endLine: 4 }), section({ kind: 'stage', startLine: 5, endLine: 9 })] })],
			records: [record({ startLine: 1, endLine: 3 }), record({ startLine: 5, endLine: 6 }), record({ startLine: 7 })],
		});
		assert.deepEqual(provideFoldingRanges(analysis), [
			{ startLine: 0, endLine: 9, kind: FoldingRangeKind.Region },
			{ startLine: 1, endLine: 3 },
			{ startLine: 5, endLine: 9, kind: FoldingRangeKind.Region },
		]);
	});

	it('on a real cloud-init.log (engine): the Command:/Exit code: continuation block folds with its record', () => {
		const { analysis } = analyzeText(CLOUD_INIT_LOG, 'en', 'cloud-init.log');
		const ranges = provideFoldingRanges(analysis);
		assert.ok(ranges.some((r) => r.startLine === 1 && r.endLine === 6), JSON.stringify(ranges));
	});
});

describe('features/codeLens', () => {
	it('"N failures · first at 09:01:07 · Go to first failure" on the first line, with the server goToFailure command (every LSP client)', () => {
		const analysis = makeAnalysis({
			records: [record({ startLine: 3, time: { text: '2024-03-02T09:01:07+02:00', ms: 0, span: { line: 3, start: 5, end: 32 } } })],
			findings: [finding({ id: 'AZCM0026', range: range(3, 61, 69) }), finding({ id: 'X', severity: 'warning', range: range(5, 0, 1) }), finding({ id: 'Y', severity: 'info', range: range(6, 0, 1) })],
		});
		const [lens, ...rest] = provideCodeLenses(analysis, settings, URI, 'en');
		assert.equal(rest.length, 0);
		assert.deepEqual(lens.range, range(0, 0, 0));
		assert.deepEqual(lens.command, { title: '2 failures · first at 09:01:07 · Go to first failure', command: 'arcLogs.server.goToFailure', arguments: [URI, 3, 61] });
		assert.equal(provideCodeLenses(analysis, settings, URI, 'sv')[0].command?.title, '2 fel · första kl. 09:01:07 · Gå till första felet');
	});

	it('no lens without failures; overrides count', () => {
		const analysis = makeAnalysis({ findings: [finding({ id: 'CI-X', severity: 'warning', range: range(2, 0, 1) })] });
		assert.deepEqual(provideCodeLenses(analysis, normalizeSettings({ severityOverrides: { 'CI-*': 'info' } }), URI, 'en'), []);
		assert.equal(provideCodeLenses(analysis, settings, URI, 'en')[0].command?.title, '1 failure · first on line 3 · Go to first failure');
	});

	it('on a real azcmagent.log (engine)', () => {
		const { analysis } = analyzeText(AZCMAGENT_LOG, 'en', 'azcmagent.log');
		const [lens] = provideCodeLenses(analysis, settings, URI, 'en');
		assert.match(lens.command!.title, /^\d+ failures? · first at 09:01:07 · Go to first failure$/);
	});
});

describe('features/semanticTokens', () => {
	it('encodes level (with modifier), time, field keys, codes and the quoted message; codes split the message', () => {
		const line = 'time="2024-03-02T09:01:07Z" level=error msg="ERROR AZCM0026 here" Status Code=503';
		const source = linesOf(line);
		const at = (s: string) => line.indexOf(s);
		const analysis = makeAnalysis({
			records: [
				record({
					startLine: 0,
					time: { text: '2024-03-02T09:01:07Z', ms: 0, span: { line: 0, start: at('"2024'), end: at(' level') } },
					level: 'error',
					levelSpan: { line: 0, start: at('error'), end: at('error') + 5 },
					message: 'ERROR AZCM0026 here',
					messageSpan: { line: 0, start: at('"ERROR'), end: at(' Status') },
					fields: [{ key: 'Status Code', value: '503', keySpan: { line: 0, start: at('Status'), end: at('=503') }, valueSpan: { line: 0, start: at('503'), end: line.length } }],
				}),
			],
		});
		const tokens = decodeSemanticTokens(provideSemanticTokens(analysis, source).data);
		const shown = tokens.map((t) => [line.slice(t.start, t.start + t.length), t.type, t.modifiers.join()]);
		assert.deepEqual(shown, [
			['"2024-03-02T09:01:07Z"', 'logTime', ''],
			['error', 'logLevel', 'errorLevel'],
			['"ERROR ', 'logMessage', ''],
			['AZCM0026', 'logCode', ''],
			[' here"', 'logMessage', ''],
			['Status Code', 'logFieldKey', ''],
		]);
		assert.ok(!tokens.some((t) => t.type === 'logLevel' && line.slice(t.start, t.start + t.length) === 'ERROR'), 'ERROR in the message is not a level');
		assert.deepEqual(legend.tokenTypes, ['logLevel', 'logTime', 'logFieldKey', 'logCode', 'logMessage']);
	});

	it('on a real azcmagent.log (engine): one level token per record, none for ERROR inside a message', () => {
		const { analysis, source } = analyzeText(AZCMAGENT_LOG, 'en', 'azcmagent.log');
		const tokens = decodeSemanticTokens(provideSemanticTokens(analysis, source).data);
		const levels = tokens.filter((t) => t.type === 'logLevel');
		assert.equal(levels.length, 7);
		const line3 = source.lineAt(3);
		const level3 = levels.find((t) => t.line === 3)!;
		assert.equal(line3.slice(level3.start, level3.start + level3.length), 'error');
		assert.deepEqual(level3.modifiers, ['errorLevel']);
		assert.ok(tokens.some((t) => t.type === 'logCode' && t.line === 4));
		assert.ok(tokens.some((t) => t.type === 'logFieldKey' && source.lineAt(t.line).slice(t.start, t.start + t.length) === 'Status Code'));
	});
});
