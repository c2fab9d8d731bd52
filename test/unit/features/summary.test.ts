import * as assert from 'node:assert/strict';
import { renderRemediationPage } from '../../../server/src/core/features/entryMarkdown';
import { normalizeSettings } from '../../../server/src/core/features/settings';
import { provideSummary } from '../../../server/src/core/features/summary';
import { AZCMAGENT_LOG, analyzeText, finding, makeAnalysis, plain, range, record, section } from './helpers';

const URI = 'file:///logs/azcmagent%20(3).log';

describe('features/summary', () => {
	it('counts, failures in order, per id, first failure, sections, and a markdown report', () => {
		const analysis = makeAnalysis({
			records: [record({ startLine: 2, time: { text: '2024-03-02T09:01:07+02:00', ms: 0, span: { line: 2, start: 0, end: 5 } } })],
			sections: [section({ kind: 'run', name: 'connect', startLine: 0, endLine: 9, outcome: 'failed', detail: 'AZCM0026' })],
			findings: [
				finding({ id: 'AZCM0026', entryId: 'AZCM0026', range: range(2, 3, 11), message: 'connect failed <b>' }),
				finding({ id: 'X-1', kind: 'custom', severity: 'warning', range: range(4, 0, 2) }),
				finding({ id: 'X-1', kind: 'custom', severity: 'warning', range: range(6, 0, 2) }),
				finding({ id: 'Y', kind: 'custom', severity: 'info', range: range(7, 0, 2) }),
			],
		});
		const s = provideSummary(analysis, normalizeSettings({}), URI, 'en');
		assert.deepEqual(s.counts, { error: 1, warning: 2, info: 1, hint: 0 });
		assert.deepEqual(s.failures.map((f) => [f.id, f.line, f.time]), [['AZCM0026', 2, '09:01:07'], ['X-1', 4, undefined], ['X-1', 6, undefined]]);
		assert.equal(s.firstFailure?.id, 'AZCM0026');
		assert.deepEqual(s.byId.map((g) => [g.id, g.count]), [['AZCM0026', 1], ['X-1', 2], ['Y', 1]]);
		assert.ok(s.byId[0].title && s.byId[0].title.length > 0, 'the knowledge title');
		assert.equal(s.sections[0].label, 'connect → failed (AZCM0026)');
		assert.ok(s.markdown.startsWith('# Failures summary\\: azcmagent \\(3\\)\\.log'), s.markdown);
		assert.ok(plain(s.markdown).includes('First failure at 09:01:07, line 3: AZCM0026'), s.markdown);
		assert.ok(plain(s.markdown).includes('- connect → failed (AZCM0026) · line 1'), s.markdown);
		assert.ok(s.markdown.includes('connect failed \\<b\\>'), 'log text escaped');
	});

	it('on a real azcmagent.log (engine)', () => {
		const { analysis } = analyzeText(AZCMAGENT_LOG, 'en', 'azcmagent.log');
		const s = provideSummary(analysis, normalizeSettings({}), URI, 'en');
		assert.ok(s.counts.error >= 1);
		assert.equal(s.firstFailure?.id, 'AZCM0026');
		assert.equal(s.firstFailure?.time, '09:01:07');
		assert.deepEqual(s.sections.map((x) => x.label), ['connect → failed (AZCM0026)']);
	});
});

describe('features/remediation page', () => {
	it('renders the entry as a page: title, cause, remediation, commands, source', () => {
		const md = renderRemediationPage('AZCM0063', 'en')!;
		assert.ok(md.startsWith('# AZCM0063 · An error occurred while disconnecting the server'), md);
		assert.ok(md.includes('```sh\nazcmagent disconnect --force-local-only\n```'), md);
		assert.ok(md.includes('Source: [Troubleshoot Azure Connected Machine agent connection issues](https://learn.microsoft.com/'), md);
		assert.equal(renderRemediationPage('NOPE-1', 'en'), undefined);
	});

	it('for a custom pattern: its own remediation, escaped', () => {
		const f = finding({ id: 'MINE', kind: 'custom', range: range(0, 0, 1), message: 'mine <x>', remediation: 'Run [this](command:x)' });
		const md = renderRemediationPage('MINE', 'en', f)!;
		assert.ok(md.includes('Run \\[this\\]\\(command\\:x\\)'), md);
		assert.ok(!md.includes('](command:'));
	});

	it('in Swedish, with the finding in this log', () => {
		const f = finding({ id: 'AZCM0042', entryId: 'AZCM0042', range: range(0, 0, 1), message: 'skapandet misslyckades' });
		const md = renderRemediationPage('AZCM0042', 'sv', f)!;
		assert.ok(md.startsWith('# AZCM0042 · Det gick inte att skapa den Arc-aktiverade serverresursen'), md);
		assert.ok(md.includes('**I den här loggen:** skapandet misslyckades'), md);
	});
});
