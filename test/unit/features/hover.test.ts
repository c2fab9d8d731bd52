import * as assert from 'node:assert/strict';
import type { MarkupContent } from 'vscode-languageserver-types';
import { formatDuration, provideHover } from '../../../server/src/core/features/hover';
import { normalizeSettings } from '../../../server/src/core/features/settings';
import type { Locale } from '../../../server/src/core/knowledge/types';
import type { Analysis, LineSource } from '../../../server/src/core/model';
import { AZCMAGENT_LOG, CLOUD_INIT_OUTPUT_LOG, analyzeText, finding, makeAnalysis, plain, range, record, withCaret } from './helpers';

function hoverText(analysis: Analysis, source: LineSource, position: { line: number; character: number }, locale: Locale = 'en'): string | undefined {
	const h = provideHover(analysis, source, position, { locale, settings: normalizeSettings({}) });
	if (!h) return undefined;
	const c = h.contents as MarkupContent;
	assert.equal(c.kind, 'markdown');
	return c.value;
}

/** A hover over the real engine's analysis of `textWithCaret`. */
function hoverOn(textWithCaret: string, locale: Locale = 'en', fileName?: string): string | undefined {
	const doc = withCaret(textWithCaret);
	const { analysis } = analyzeText(doc.text, locale, fileName);
	return hoverText(analysis, doc.source, doc.position, locale);
}

describe('features/hover', () => {
	describe('on hand-made findings', () => {
		it('escapes log text: no HTML, no links, no emphasis from the log', () => {
			const line = 'time="2024-03-02T09:01:07Z" level=fatal msg="<img src=x onerror=alert(1)> [x](command:evil) **b**"';
			const doc = withCaret(line.replace('level=fatal', 'level=fa$0tal'));
			const analysis = makeAnalysis({
				findings: [finding({ id: 'AZCM9999', kind: 'azcm-undocumented', range: range(0, 0, line.length), message: 'failed: <img src=x onerror=alert(1)> [x](command:evil) **b**' })],
			});
			const md = hoverText(analysis, doc.source, doc.position)!;
			assert.ok(md.includes('\\<img src\\=x onerror\\=alert\\(1\\)\\>'), md);
			assert.ok(plain(md).includes('failed: <img src=x onerror=alert(1)> [x](command:evil) **b**'), 'all of the text is there');
			assert.ok(!/(?<!\\)</.test(md), 'no raw < at all');
			assert.ok(!md.includes('](command:'), 'no link from log text');
			assert.ok(md.includes('\\*\\*b\\*\\*'));
			assert.ok(md.includes('AZCM9999 is not in the knowledge base'), 'says so honestly');
		});

		it('shows a custom pattern with its plain-text remediation and https link', () => {
			const doc = withCaret('proxy de$0nied by policy');
			const analysis = makeAnalysis({
				findings: [
					finding({ id: 'PROXY-DENIED', kind: 'custom', severity: 'warning', range: range(0, 0, 12), message: 'Proxy denied', remediation: 'Allow *.his.arc.azure.com\nthen retry', url: 'https://wiki.example.com/proxy' }),
				],
			});
			const md = hoverText(analysis, doc.source, doc.position)!;
			assert.ok(md.includes('**PROXY\\-DENIED**'), md);
			assert.ok(md.includes('Allow \\*\\.his\\.arc\\.azure\\.com  \nthen retry'), md);
			assert.ok(md.includes('(https://wiki.example.com/proxy)'));
		});

		it('returns null away from findings, codes and timestamps, and past the end', () => {
			const doc = withCaret('nothing $0here');
			assert.equal(hoverText(makeAnalysis({}), doc.source, doc.position), undefined);
			assert.equal(hoverText(makeAnalysis({}), doc.source, { line: 5, character: 0 }), undefined);
		});

		it('on a timestamp: time since the previous record and since the run started', () => {
			const lines = ['t0 start', 't1 middle', 't2 here'];
			const doc = withCaret(['t0 start', 't1 middle', '$0t2 here'].join('\n'));
			const analysis = makeAnalysis({
				lineCount: 3,
				records: [
					record({ startLine: 0, time: { text: '09:00:55', ms: 55_000, span: { line: 0, start: 0, end: 2 } } }),
					record({ startLine: 1, time: { text: '09:00:58', ms: 58_000, span: { line: 1, start: 0, end: 2 } } }),
					record({ startLine: 2, time: { text: '09:02:10', ms: 130_500, span: { line: 2, start: 0, end: 2 } } }),
				],
				sections: [{ kind: 'run', name: 'connect', startLine: 0, endLine: 2, outcome: 'failed', children: [] }],
			});
			assert.equal(doc.source.lineAt(2), lines[2]);
			const md = plain(hoverText(analysis, doc.source, doc.position)!);
			assert.ok(md.startsWith('**09:02:10**'), md);
			assert.ok(md.includes('+1 min 12 s since the previous record (line 2)'), md);
			assert.ok(md.includes('+1 min 15 s since the connect run started (line 1)'), md);
			const sv = plain(hoverText(analysis, doc.source, doc.position, 'sv')!);
			assert.ok(sv.includes('+1 min 12 s sedan föregående post (rad 2)'), sv);
		});
	});

	it('formats durations', () => {
		assert.equal(formatDuration(250, 'en'), '+250 ms');
		assert.equal(formatDuration(3000, 'en'), '+3 s');
		assert.equal(formatDuration(1500, 'sv'), '+1,5 s');
		assert.equal(formatDuration(-2000, 'en'), '−2 s');
		assert.equal(formatDuration(3_723_000, 'nl'), '+1 u 2 min');
		assert.equal(formatDuration(90_061_000, 'en'), '+1 d 1 h');
	});

	describe('on real logs (engine + knowledge)', () => {
		it('on AZCM0026: what happened here, probable cause, remediation, source article with date and link', () => {
			const md = hoverOn(AZCMAGENT_LOG.replace('Exit Code:  AZCM0026', 'Exit Code:  AZCM00$026'), 'en', 'azcmagent.log')!;
			assert.ok(md, 'a hover');
			assert.ok(md.includes('**AZCM0026**'), md);
			assert.ok(md.includes('**What happened here:**'), md);
			assert.ok(md.includes('no such host'), 'the cause from the fatal record');
			assert.ok(md.includes('**Probable cause:** There\'s an error in network configuration'), md);
			assert.ok(md.includes('**Remediation:**'), md);
			assert.match(plain(md), /Source: \[Troubleshoot Azure Connected Machine agent connection issues\]\(https:\/\/learn\.microsoft\.com\/[^)]+\) · 2025-05-14/);
		});

		it('in Swedish (locale sv): the Swedish article text and Swedish labels', () => {
			const log = [
				'time="2024-03-02T09:00:55+02:00" level=info msg="Onboarding Machine" Operation=connect',
				'time="2024-03-02T09:01:07+02:00" level=info msg="Exit Code:  AZCM0042: Failed to Create Resource"',
				'time="2024-03-02T09:01:07+02:00" level=fatal msg="RequestCorrelationId:1f0e Message: denied Code: AuthorizationFailed httpStatusCode:403"',
			].join('\n');
			const md = hoverOn(log.replace('AZCM0042:', 'AZCM$00042:'), 'sv', 'azcmagent.log')!;
			assert.ok(md.includes('**Trolig orsak:** Det gick inte att skapa den Arc-aktiverade serverresursen'), md);
			assert.ok(md.includes('**Åtgärd:**'), md);
			assert.ok(md.includes('**Vad som hände här:**'), md);
			assert.ok(md.includes('Källa:'), md);
		});

		it('notes the older meaning where the translation is out of date (AZCM0065 in Dutch)', () => {
			const md = hoverOn('INFO    AZCM00$065: Agent Unavailable', 'nl')!;
			assert.ok(md.includes("The agent service isn't responding or unavailable"), md);
			assert.ok(md.includes('Het artikel in het Nederlands (2021) geeft een oudere betekenis voor deze code:'), md);
			assert.ok(md.includes('communicatiefout'), md);
		});

		it('on an AZCM code no article documents: says so', () => {
			const md = hoverOn('time="2024-03-02T09:01:07Z" level=info msg="Exit Code:  AZCM99$099: Something New"')!;
			assert.ok(md.includes('AZCM9999'), md);
			assert.ok(md.includes('AZCM9999 is not in the knowledge base'), md);
		});

		it('shows suggested commands as code blocks (AZCM0063: azcmagent disconnect --force-local-only)', () => {
			const md = hoverOn('time="2024-03-02T09:01:07Z" level=info msg="Exit Code:  AZCM00$063: Failed to disconnect"')!;
			assert.ok(md.includes('```sh\nazcmagent disconnect --force-local-only\n```'), md);
		});

		it('on a cloud-init script failure: the last command, remediation and commands', () => {
			const md = hoverOn(CLOUD_INIT_OUTPUT_LOG.replace('Failed running /var', 'Failed run$0ning /var'), 'en', 'cloud-init-output.log')!;
			assert.ok(md.includes('**CI\\-SCRIPT\\-FAILED**'), md);
			assert.ok(plain(md).includes('last command: az login --identity'), md);
		});

		it('keeps numbered remediation steps, once (Operator Nexus: az login --identity failed)', () => {
			const md = hoverOn(CLOUD_INIT_OUTPUT_LOG.replace('ERROR: Failed to login', 'ERROR: Failed to lo$0gin'), 'en', 'cloud-init-output.log')!;
			assert.ok(md.includes('**NEXUS\\-LOGIN**'), md);
			assert.match(md, /\*\*Remediation:\*\*\n\n1\. Verify the VM was created with an associated managed identity/);
			assert.match(md, /\n2\. .+\n3\. /);
			assert.equal(md.split('1. Verify the VM was created').length, 2, 'the steps appear once');
			assert.ok(md.includes('**Probable causes:**\n\n- '), 'the causes as a list');
		});

		it('on a timestamp of a real log: since the previous record and since the run started', () => {
			const md = plain(hoverOn(AZCMAGENT_LOG.replace('time="2024-03-02T09:01:07+02:00" level=info msg="Exit', 'time="2024-03-02T09:0$01:07+02:00" level=info msg="Exit'), 'en', 'azcmagent.log')!);
			assert.ok(md.includes('+9 s since the previous record (line 4)'), md);
			assert.ok(md.includes('+12 s since the connect run started (line 3)'), md);
		});
	});
});
