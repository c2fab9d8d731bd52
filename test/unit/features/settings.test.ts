import * as assert from 'node:assert/strict';
import { applySeverityOverride, effectiveLocale, normalizeSettings } from '../../../server/src/core/features/settings';

describe('features/settings', () => {
	it('normalizes what a client sends; bad values fall back to defaults', () => {
		assert.deepEqual(normalizeSettings(undefined), { maxProblems: 1000, locale: 'auto', severityOverrides: [], customPatterns: [], meanwhileWindowSeconds: 60, redactKinds: ['ids', 'tokens', 'secrets'] });
		const s = normalizeSettings({ maxProblems: -3, locale: 'de', severityOverrides: { 'CI-*': 'warning', X: 'loud', '': 'off' } });
		assert.equal(s.maxProblems, 1000);
		assert.equal(s.locale, 'auto');
		assert.deepEqual(s.severityOverrides, [['CI-*', 'warning']]);
		assert.equal(normalizeSettings({ maxProblems: 2.7, locale: 'sv' }).maxProblems, 2);
		assert.equal(effectiveLocale(normalizeSettings({ locale: 'nl' }), 'sv'), 'nl');
		assert.equal(effectiveLocale(normalizeSettings({ locale: 'auto' }), 'sv'), 'sv');
		assert.equal(normalizeSettings({ meanwhileWindowSeconds: 300 }).meanwhileWindowSeconds, 300);
		assert.equal(normalizeSettings({ meanwhileWindowSeconds: 0 }).meanwhileWindowSeconds, 0);
		assert.equal(normalizeSettings({ meanwhileWindowSeconds: -5 }).meanwhileWindowSeconds, 60);
		assert.equal(normalizeSettings({ meanwhileWindowSeconds: '60' }).meanwhileWindowSeconds, 60);
		assert.equal(normalizeSettings({ meanwhileWindowSeconds: 1e9 }).meanwhileWindowSeconds, 86400, 'at most a day');
	});

	it('severity overrides: the most specific glob wins, then the later one', () => {
		const o = normalizeSettings({ severityOverrides: { '*': 'info', 'CI-*': 'warning', 'CI-SCRIPT-FAILED': 'error', 'AUTH-*': 'off' } }).severityOverrides;
		assert.equal(applySeverityOverride('CI-SCRIPT-FAILED', 'warning', o), 'error');
		assert.equal(applySeverityOverride('CI-MODULE-FAILED', 'error', o), 'warning');
		assert.equal(applySeverityOverride('AZCM0026', 'error', o), 'info');
		assert.equal(applySeverityOverride('AUTH-SPN-INVALID-SECRET', 'error', o), 'off');
		assert.equal(applySeverityOverride('azcm0026', 'error', [['AZCM00??', 'warning']]), 'warning', 'case-insensitive, ? is one character');
		assert.equal(applySeverityOverride('AZCM0026', 'error', [['AZCM1*', 'warning'], ['*7', 'info']]), 'error', 'no match keeps the severity');
		assert.equal(applySeverityOverride('AZCM0026', 'error', [['AZCM*', 'warning'], ['*0026', 'info']]), 'info', 'equally specific: the later wins');
		assert.equal(applySeverityOverride('AZCM0026', 'error', []), 'error');
	});
});
