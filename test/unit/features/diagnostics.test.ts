import * as assert from 'node:assert/strict';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { provideDiagnostics } from '../../../server/src/core/features/diagnostics';
import { normalizeSettings } from '../../../server/src/core/features/settings';
import { AZCMAGENT_LOG, analyzeText, finding, makeAnalysis, range, textAt } from './helpers';

const URI = 'file:///logs/azcmagent.log';
const LEARN = 'https://learn.microsoft.com/en-us/azure/azure-arc/servers/troubleshoot-agent-onboard#agent-error-codes';

describe('features/diagnostics', () => {
	it('maps a finding to a diagnostic: code, codeDescription, source, severity, message, related information', () => {
		const analysis = makeAnalysis({
			lineCount: 10,
			findings: [
				finding({
					id: 'AZCM0026',
					range: range(4, 61, 69),
					message: 'azcmagent connect failed with AZCM0026',
					url: LEARN,
					related: [{ range: range(6, 49, 100), message: 'Cause logged here' }],
				}),
			],
		});
		const [d, ...rest] = provideDiagnostics(analysis, normalizeSettings({}), URI);
		assert.equal(rest.length, 0);
		assert.equal(d.code, 'AZCM0026');
		assert.equal(d.source, 'arc-logs');
		assert.equal(d.severity, DiagnosticSeverity.Error);
		assert.equal(d.message, 'azcmagent connect failed with AZCM0026');
		assert.deepEqual(d.codeDescription, { href: LEARN });
		assert.deepEqual(d.relatedInformation, [{ location: { uri: URI, range: range(6, 49, 100) }, message: 'Cause logged here' }]);
	});

	it('puts only Learn URLs (or https custom-pattern URLs) on codeDescription', () => {
		const analysis = makeAnalysis({
			findings: [
				finding({ id: 'AZCM0026', range: range(0, 0, 1), url: 'https://evil.example/phish' }),
				finding({ id: 'MINE', kind: 'custom', range: range(0, 2, 3), url: 'https://wiki.example.com/x' }),
				finding({ id: 'MINE2', kind: 'custom', range: range(0, 4, 5), url: 'http://wiki.example.com/x' }),
			],
		});
		const ds = provideDiagnostics(analysis, normalizeSettings({}), URI);
		assert.deepEqual(
			ds.map((d) => d.codeDescription?.href),
			[undefined, 'https://wiki.example.com/x', undefined],
		);
	});

	it('applies severity overrides; off removes the finding', () => {
		const analysis = makeAnalysis({
			findings: [
				finding({ id: 'AZCM0026', range: range(0, 0, 1) }),
				finding({ id: 'CI-SCRIPT-FAILED', kind: 'cloud-init', range: range(1, 0, 1) }),
				finding({ id: 'AUTH-SPN-INVALID-SECRET', kind: 'connection', range: range(2, 0, 1), severity: 'warning' }),
			],
		});
		const settings = normalizeSettings({ severityOverrides: { 'CI-*': 'info', 'AUTH-*': 'off' } });
		const ds = provideDiagnostics(analysis, settings, URI);
		assert.deepEqual(
			ds.map((d) => [d.code, d.severity]),
			[
				['AZCM0026', DiagnosticSeverity.Error],
				['CI-SCRIPT-FAILED', DiagnosticSeverity.Information],
			],
		);
	});

	it('caps at maxProblems with a final information diagnostic at the first dropped finding', () => {
		const findings = Array.from({ length: 7 }, (_, i) => finding({ id: `AZCM00${10 + i}`, range: range(i, 0, 8) }));
		const ds = provideDiagnostics(makeAnalysis({ findings, lineCount: 7 }), normalizeSettings({ maxProblems: 5 }), URI);
		assert.equal(ds.length, 6);
		const last = ds[5];
		assert.equal(last.severity, DiagnosticSeverity.Information);
		assert.equal(last.code, undefined);
		assert.equal(last.message, '2 more problems not shown (arcLogs.maxProblems)');
		assert.deepEqual(last.range, range(5, 0, 8));
		assert.equal(provideDiagnostics(makeAnalysis({ findings }), normalizeSettings({ maxProblems: 7 }), URI).length, 7);
	});

	it('says it in the analysis locale', () => {
		const findings = [finding({ id: 'A1', range: range(0, 0, 1) }), finding({ id: 'A2', range: range(1, 0, 1) })];
		const [, note] = provideDiagnostics(makeAnalysis({ findings, locale: 'sv' }), normalizeSettings({ maxProblems: 1 }), URI);
		assert.equal(note.message, '1 problem till visas inte (arcLogs.maxProblems)');
	});

	it('on a real azcmagent.log: AZCM0026 on the exit-code record, related to the fatal cause (engine)', () => {
		const { analysis, source } = analyzeText(AZCMAGENT_LOG, 'en', 'azcmagent.log');
		const ds = provideDiagnostics(analysis, normalizeSettings({}), URI);
		const d = ds.find((x) => x.code === 'AZCM0026');
		assert.ok(d, JSON.stringify(ds));
		assert.equal(d.range.start.line, 4);
		assert.equal(textAt(source, d.range), 'AZCM0026');
		assert.equal(d.severity, DiagnosticSeverity.Error);
		assert.ok(d.codeDescription?.href.startsWith('https://learn.microsoft.com/'));
		assert.ok(d.relatedInformation?.some((r) => r.location.range.start.line === 6 && r.location.uri === URI));
		// The "ERROR while probing" record at level=error is not AZCM0026, and the benign lines are not flagged.
		assert.ok(!ds.some((x) => x.range.start.line === 5), 'the aka.ms troubleshooting line is not a problem');
	});

	it('shows bidi overrides and zero-width characters from the log instead of obeying them (issue 9, defect 11)', () => {
		const { analysis } = analyzeText('time="2024-01-01T00:00:00Z" level=error msg="Failed to reach \u202eexe.live\u200b-portal"\n', 'en', 'azcmagent.log');
		const [d] = provideDiagnostics(analysis, normalizeSettings({}), 'file:///x/azcmagent.log');
		assert.ok(d, 'the error record is a problem');
		assert.doesNotMatch(String(d.message), /[\u202e\u200b]/);
		assert.match(String(d.message), /\\u202e/);
	});
});
