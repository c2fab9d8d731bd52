import * as assert from 'node:assert/strict';
import { MAX_CUSTOM_PATTERNS, unsafeRegexReason, validateCustomPatterns } from '../../../server/src/core/customPatterns';
import { analyze } from '../../../server/src/core/analysis/analyze';
import { linesOf } from '../../../server/src/core/text';

describe('customPatterns', () => {
	it('accepts well-formed patterns with defaults', () => {
		const { patterns, problems } = validateCustomPatterns([
			{ id: 'PROXY-DENIED', regex: 'proxy\\s+denied', severity: 'error', message: 'Proxy said no', remediation: 'Allow *.his.arc.azure.com', url: 'https://wiki.example.com/proxy' },
			{ id: 'my.pattern_2', regex: 'timeout after \\d+s' },
		]);
		assert.deepEqual(problems, []);
		assert.equal(patterns.length, 2);
		assert.equal(patterns[0].severity, 'error');
		assert.ok(patterns[0].regex.test('the proxy   denied it'));
		assert.equal(patterns[0].url, 'https://wiki.example.com/proxy');
		assert.equal(patterns[1].severity, 'warning');
	});

	it('rejects non-arrays, non-objects, missing id/regex, invalid regexes', () => {
		assert.equal(validateCustomPatterns({ id: 'X', regex: 'x' }).problems.length, 1);
		assert.deepEqual(validateCustomPatterns(undefined), { patterns: [], problems: [] });
		const { patterns, problems } = validateCustomPatterns(['x', null, [], { regex: 'a' }, { id: 'A' }, { id: 'B', regex: '(' }, { id: '1bad', regex: 'a' }]);
		assert.equal(patterns.length, 0);
		assert.equal(problems.length, 7);
		assert.ok(problems.some((p) => p.includes('not a valid JavaScript regular expression')));
		assert.deepEqual(validateCustomPatterns('x', 'sv').problems, ['arcLogs.customPatterns måste vara en matris med objekt.']);
		assert.deepEqual(validateCustomPatterns([{ id: 'P', regex: '(a)\\1' }], 'nl').problems, ['arcLogs.customPatterns[0] (P): de regex gebruikt een terugverwijzing; genegeerd.']);
	});

	it('rejects ReDoS-prone regexes: nested quantifiers, unbounded alternations, backreferences, empty matches', () => {
		for (const bad of ['(a+)+$', '(\\w*)*x', '(?:x+y*){2,}', '(a|aa)+', '(.*a){20}', '(a)\\1', '(?<q>a)\\k<q>', '((ab)*c)+', 'x*']) {
			const { patterns, problems } = validateCustomPatterns([{ id: 'P', regex: bad }]);
			assert.equal(patterns.length, 0, bad);
			assert.equal(problems.length, 1, bad);
		}
		for (const good of ['a+b+', '(ab)+', '(?:foo|bar) failed', '[(+*]+', '\\(a+\\)+', 'AZCM\\d{4}', '(?<code>AZCM\\d{4}): (\\w+)', '(a?){3}']) {
			assert.equal(unsafeRegexReason(good), undefined, good);
		}
	});

	it('rejects ids of the knowledge base, reserved shapes and duplicates; caps the count', () => {
		const { patterns, problems } = validateCustomPatterns([
			{ id: 'AZCM0026', regex: 'a' },
			{ id: 'AZCM9999', regex: 'a' },
			{ id: 'EXIT-42', regex: 'a' },
			{ id: 'CI-SCRIPT-FAILED', regex: 'a' },
			{ id: 'MINE', regex: 'a' },
			{ id: 'mine', regex: 'b' },
		]);
		assert.deepEqual(patterns.map((p) => p.id), ['MINE']);
		assert.equal(problems.length, 5);
		const many = Array.from({ length: MAX_CUSTOM_PATTERNS + 5 }, (_, i) => ({ id: `P${i}`, regex: `x${i}` }));
		const capped = validateCustomPatterns(many);
		assert.equal(capped.patterns.length, MAX_CUSTOM_PATTERNS);
		assert.equal(capped.problems.length, 1);
	});

	it('drops non-https urls and bad severities but keeps the pattern', () => {
		const { patterns, problems } = validateCustomPatterns([{ id: 'P', regex: 'a', url: 'http://x.example', severity: 'fatal' }]);
		assert.equal(patterns.length, 1);
		assert.equal(patterns[0].url, undefined);
		assert.equal(patterns[0].severity, 'warning');
		assert.equal(problems.length, 2);
	});

	it('finds every match on every run: no time budget decides what is found (issue 9, defect 7)', () => {
		const { patterns } = validateCustomPatterns([{ id: 'SLOW-ISH', regex: '\\w{1,40}-\\d{1,8}!', severity: 'warning' }]);
		const lines = Array.from({ length: 1000 }, (_, i) => `${'x'.repeat(2000)} ticket-${i}! ${'y'.repeat(2000)}`);
		const counts = [1, 2].map(() => analyze(linesOf(lines.join('\n')), { customPatterns: patterns }).findings.filter((f) => f.id === 'SLOW-ISH').length);
		assert.deepEqual(counts, [1000, 1000]);
	});
});
