import * as assert from 'node:assert/strict';
import { codeBlock, escapeText, inlineCode, isLearnUrl, link, sanitizeKnowledge } from '../../../server/src/core/features/markdown';

/** What a CommonMark renderer would see as markup: any markdown-significant character not preceded by a backslash. */
function unescapedMarkup(s: string): string[] {
	return [...s.matchAll(/(?<!\\)[*_`[\]()<>!#&|~]/g)].map((m) => m[0]);
}

describe('features/markdown', () => {
	it('escapes every markdown-significant character of log text', () => {
		const log = '<img src=x onerror=alert(1)> [click](command:workbench.action.terminal.new) **bold** `code` &lt; #h _i_ ~~s~~ |t|';
		const out = escapeText(log);
		assert.deepEqual(unescapedMarkup(out), []);
		assert.ok(!/(?<!\\)</.test(out), 'no raw < from log text');
		// Unescaping gives the text back: nothing was lost.
		assert.equal(out.replace(/\\(.)/g, '$1'), log);
	});

	it('turns line breaks in log text into spaces (one line out)', () => {
		assert.equal(escapeText('a\nb\r\nc'), 'a b c');
	});

	it('fences code with a fence longer than any backtick run inside', () => {
		const block = codeBlock('echo ```` done', 'sh');
		const lines = block.split('\n');
		assert.equal(lines[0], '`````sh');
		assert.equal(lines[2], '`````');
		assert.equal(codeBlock('azcmagent check'), '```\nazcmagent check\n```');
	});

	it('inline code survives backticks in the content', () => {
		assert.equal(inlineCode('a`b'), '``a`b``');
		assert.equal(inlineCode('`x'), '`` `x ``');
	});

	it('links only to https; other targets become escaped text', () => {
		assert.equal(link('Learn', 'https://learn.microsoft.com/x#y'), '[Learn](https://learn.microsoft.com/x#y)');
		assert.equal(link('run', 'command:evil'), 'run');
		assert.equal(link('x', 'javascript:alert(1)'), 'x');
		assert.ok(isLearnUrl('https://learn.microsoft.com/en-us/azure/azure-arc/servers/troubleshoot-agent-onboard#agent-error-codes'));
		assert.ok(!isLearnUrl('https://learn.microsoft.com.evil.example/'));
		assert.ok(!isLearnUrl('http://learn.microsoft.com/'));
	});

	it('keeps knowledge markdown but strips HTML and non-https links', () => {
		const k = 'Run `azcmagent <check>` and see [docs](https://learn.microsoft.com/a) or [this](command:x) <b>now</b> &amp;';
		const out = sanitizeKnowledge(k);
		assert.ok(out.includes('`azcmagent <check>`'), 'code spans untouched');
		assert.ok(out.includes('[docs](https://learn.microsoft.com/a)'));
		assert.ok(!out.includes('(command:x)'));
		assert.ok(out.includes('this'));
		assert.ok(out.includes('\\<b\\>now\\</b\\>'));
		assert.ok(out.includes('\\&amp;'));
	});
});
