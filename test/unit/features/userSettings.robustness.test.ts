// Issue 9, defects 4 and 5: settings from a repository the user just cloned cannot hang the analysis. No wall-clock
// assertions: on the landed code these inputs did not finish (the suite times out), here they are matched by engines
// whose cost is bounded by construction.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { LinearRegExp, validateCustomPatterns } from '../../../server/src/core/customPatterns';
import { applySeverityOverride, compileGlob, normalizeSettings } from '../../../server/src/core/features/settings';
import { Analyzer } from '../../../server/src/core/analysis/analyze';

const repo = resolve(__dirname, '../../../..');
const LINE = 'a'.repeat(127) + 'b';

describe('user settings cannot hang or mislead (issue 9)', () => {
	it('defect 5: ReDoS patterns are matched in linear time (re2js), with the right answers', () => {
		for (const regex of ['\\w*\\w*\\w*\\w*\\w*!', '.*.*.*.*.*.*=', '(a|a){1,100}$']) {
			const { patterns, problems } = validateCustomPatterns([{ id: 'MINE', regex }]);
			assert.deepEqual(problems, [], regex);
			assert.ok(patterns[0].regex instanceof LinearRegExp, regex);
			assert.equal(patterns[0].regex.exec(LINE), null, regex);
			const a = new Analyzer({ fileName: 'azcmagent.log', customPatterns: patterns });
			for (let i = 0; i < 50; i++) a.push(LINE);
			assert.equal(a.finish().findings.length, 0, regex);
		}
		const m = new LinearRegExp('(?<code>AZCM\\d{4}): (\\w+)').exec('😀 Exit Code:  AZCM0042: Failed');
		assert.ok(m);
		assert.equal(m.index, 15, 'UTF-16 index, like RegExp');
		assert.deepEqual([...m], ['AZCM0042: Failed', 'AZCM0042', 'Failed']);
		assert.equal(m.groups?.code, 'AZCM0042');
		assert.ok(new LinearRegExp('proxy\\s+denied').test('the proxy   denied it'));
		assert.deepEqual('x AZCM1 AZCM2'.match(new LinearRegExp('AZCM\\d')), Object.assign(['AZCM1'], { index: 2, input: 'x AZCM1 AZCM2', groups: undefined }));
	});

	it('defect 5: syntax a linear-time engine cannot match is refused with a reason', () => {
		for (const regex of ['(?=x)y', '(?<=x)y', '(?!x)y']) {
			const { patterns, problems } = validateCustomPatterns([{ id: 'MINE', regex }]);
			assert.equal(patterns.length, 0, regex);
			assert.match(problems[0], /linear-time matching does not support/, regex);
		}
		assert.match(validateCustomPatterns([{ id: 'MINE', regex: '(?=x)y' }], 'sv').problems[0], /linjär tid/);
	});

	it('defect 4: severity-override globs are matched without backtracking, compiled once, with the documented semantics', () => {
		const long = 'MY-CUSTOM-PATTERN-FOR-THE-PROXY-ERRORS-OF-THE-DATACENTER-WEST-01';
		for (const id of ['AZCM0026', 'CI-SCRIPT-FAILED', long]) assert.equal(applySeverityOverride(id, 'error', [['**************!', 'off']]), 'error', id);
		assert.equal(applySeverityOverride(long + '!', 'error', [['**************!', 'off']]), 'off');
		const g = compileGlob('*a?c*D*');
		assert.equal(g.specificity, 3);
		for (const [id, want] of [
			['abcd', true],
			['XXABCYYD', true],
			['ABD', false],
			['ABCDX', true],
			['ABC', false],
			['aXcd', true],
		] as const)
			assert.equal(g.matches(id), want, id);
		assert.ok(compileGlob('A*A').matches('AA'));
		assert.ok(!compileGlob('A*A').matches('A'));
		assert.ok(compileGlob('*').matches(''));
		assert.ok(compileGlob('ab').matches('AB'));
		assert.ok(!compileGlob('ab').matches('abc'));
		// Matches what the documented glob semantics (anchored, * any run, ? one character, case-insensitive) mean.
		const ids = ['AZCM0026', 'CI-SCRIPT-FAILED', 'AUTH-SPN-INVALID-SECRET', 'EXIT-42', 'ARM-ERROR', 'A', ''];
		for (const glob of ['*', 'CI-*', '*-*-*', 'A*', '*0?2*', '?', '??*', 'E*T-4?', '*ERROR', 'a*r*o*r']) {
			const re = new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
			for (const id of ids) assert.equal(compileGlob(glob).matches(id), re.test(id), `${glob} ~ ${id}`);
		}
		const overrides = normalizeSettings({ severityOverrides: { '*': 'info', 'CI-*': 'warning' } }).severityOverrides;
		assert.equal(applySeverityOverride('CI-X', 'error', overrides), 'warning');
		assert.equal(applySeverityOverride('AZCM0026', 'error', overrides), 'info');
	});

	it('defect 4: arcLogs.severityOverrides and arcLogs.customPatterns are restricted in untrusted workspaces', () => {
		const pkg = JSON.parse(readFileSync(resolve(repo, 'package.json'), 'utf8'));
		assert.deepEqual([...pkg.capabilities.untrustedWorkspaces.restrictedConfigurations].sort(), ['arcLogs.customPatterns', 'arcLogs.severityOverrides']);
	});
});
