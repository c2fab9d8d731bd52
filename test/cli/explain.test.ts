// arc-logs explain, in-process through main(): codes, exit codes, ids, pasted text, locales, JSON, exit status, errors.
import * as assert from 'node:assert/strict';
import { main, type Io } from '../../server/src/cli/main';
import { entryForCode, getEntry, tableUrl } from '../../server/src/core/knowledge';

async function cli(argv: string[], isTTY = false): Promise<{ code: number; out: string; err: string }> {
	let out = '';
	let err = '';
	const io: Io = { stdout: (s) => (out += s), stderr: (s) => (err += s), isTTY };
	const code = await main(argv, io);
	return { code, out, err };
}

interface JsonEntry {
	id: string;
	kind: string;
	title: string;
	cause: string;
	remediation: string;
	commands: string[];
	locale: string;
	fallback: boolean;
	ours: boolean;
	steps?: string[];
	source: { key: string; title: string; date: string; url: string; locale: string };
	older?: { locale: string; year: number; cause: string; source: { url: string } };
	match?: { index: number; length: number; text: string; captures: Record<string, string> };
}

async function json(...argv: string[]): Promise<{ code: number; entries: JsonEntry[]; err: string }> {
	const r = await cli(['explain', '--format', 'json', ...argv]);
	return { code: r.code, entries: JSON.parse(r.out) as JsonEntry[], err: r.err };
}

describe('cli: explain', () => {
	it('explains an AZCM code in all its spellings', async () => {
		const cause = entryForCode('AZCM0026')!.text.en.cause;
		for (const q of [['AZCM0026'], ['azcm26'], ['AZCM 26'], ['AZCM', '26']]) {
			const r = await cli(['explain', ...q]);
			assert.equal(r.code, 0, q.join(' '));
			assert.match(r.out, /^AZCM0026\b/);
			assert.ok(r.out.replace(/\s+/g, ' ').includes(cause), q.join(' '));
			assert.match(r.out, /Source: Troubleshoot Azure Connected Machine agent connection issues \(2025-05-14, en\)/);
			assert.match(r.out, /troubleshoot-agent-onboard#agent-error-codes/);
			assert.equal(r.err, '');
		}
	});

	it('explains exit codes, and a bare number as both a code and an exit code', async () => {
		for (const q of [['exit', '26'], ['exit code 26'], ['EXIT-26']]) {
			const r = await json(...q);
			assert.equal(r.code, 0);
			assert.deepEqual(r.entries.map((e) => e.id), ['EXIT-26'], q.join(' '));
			assert.match(r.entries[0].source.url, /#agent-exit-codes$/);
		}
		const both = await json('26');
		assert.deepEqual(both.entries.map((e) => e.id), ['AZCM0026', 'EXIT-26']);
		const onlyExit = await json('4');
		assert.deepEqual(onlyExit.entries.map((e) => e.id), ['EXIT-4']);
	});

	it('JSON carries id, kind, title, cause, remediation and source {title, date, url, locale}', async () => {
		const r = await json('AZCM0063');
		assert.equal(r.code, 0);
		const [e] = r.entries;
		assert.equal(e.id, 'AZCM0063');
		assert.equal(e.kind, 'azcm');
		assert.equal(e.title, 'An error occurred while disconnecting the server');
		assert.match(e.remediation, /azcmagent disconnect --force-local-only/);
		assert.deepEqual(e.commands, ['azcmagent disconnect --force-local-only']);
		assert.deepEqual(
			{ title: e.source.title, date: e.source.date, locale: e.source.locale, url: e.source.url },
			{
				title: 'Troubleshoot Azure Connected Machine agent connection issues',
				date: '2025-05-14',
				locale: 'en',
				url: 'https://learn.microsoft.com/en-us/azure/azure-arc/servers/troubleshoot-agent-onboard#agent-error-codes',
			},
		);
	});

	it('says plainly that an undocumented code is unknown and points to the article (exit 1)', async () => {
		const r = await cli(['explain', 'AZCM0999']);
		assert.equal(r.code, 1);
		assert.match(r.out, /AZCM0999 is not in the knowledge base: no troubleshooting article documents it\./);
		assert.ok(r.out.includes(tableUrl('azcm')));
		const x = await cli(['explain', 'exit 999']);
		assert.equal(x.code, 1);
		assert.match(x.out, /exit code 999 is not in the knowledge base/);
		assert.ok(x.out.includes(tableUrl('exit')));
		const j = await json('AZCM0999');
		assert.equal(j.code, 1);
		assert.deepEqual(j.entries, []);
		assert.match(j.err, /AZCM0999.*#agent-error-codes/);
		const sv = await cli(['explain', 'azcm999', '--locale', 'sv']);
		assert.match(sv.out, /AZCM0999 finns inte i kunskapsbasen/);
	});

	it('finds known strings, codes and exit codes in a pasted log text, with what they captured', async () => {
		const line =
			"time=\"2024-03-02T09:01:07+02:00\" level=info msg=\"Exit Code:  AZCM0042: Failed to Create Resource\"\n" +
			"time=\"2024-03-02T09:01:07+02:00\" level=fatal msg=\"RequestCorrelationId:1f0e2d3c Message: The client 'ops@contoso.com' with object id '9a8b7c6d-5e4f-3a2b-1c0d-9e8f7a6b5c4d' does not have authorization to perform action 'Microsoft.HybridCompute/machines/write' over scope '/subscriptions/11111111-2222-3333-4444-555555555555/resourcegroups/rg/providers/Microsoft.HybridCompute/machines/web01' or the scope is invalid. Code: AuthorizationFailed httpStatusCode:403\"\n" +
			'wrapper: azcmagent failed with error:  >> exitcode: 42';
		const r = await json(line);
		assert.equal(r.code, 0);
		assert.deepEqual(r.entries.map((e) => e.id), ['AZCM0042', 'ARM-AUTHORIZATION-FAILED', 'EXIT-42']);
		const arm = r.entries[1];
		assert.equal(arm.match!.captures.action, 'Microsoft.HybridCompute/machines/write');
		assert.equal(line.slice(arm.match!.index, arm.match!.index + arm.match!.length), arm.match!.text);
		const t = await cli(['explain', line]);
		assert.match(t.out, /ARM-AUTHORIZATION-FAILED — Get ARM Resource Response/);
		assert.match(t.out, /action = Microsoft\.HybridCompute\/machines\/write/);
		assert.match(t.out, /Azure Connected Machine Onboarding/);
	});

	it('a pasted text with nothing known exits 1', async () => {
		const r = await cli(['explain', 'everything is fine here']);
		assert.equal(r.code, 1);
		assert.match(r.out, /Nothing in the knowledge base matches this text\./);
		const j = await json('everything is fine here');
		assert.deepEqual(j.entries, []);
		assert.equal(j.code, 1);
	});

	it('shows the Swedish text where it is current, and the English text with the older meaning where it is outdated', async () => {
		const current = await cli(['explain', 'AZCM0061', '--locale', 'sv']);
		assert.equal(current.code, 0);
		assert.match(current.out, /Trolig orsak:\n {2}Det går inte att nå agenttjänsten/);
		assert.match(current.out, /Källa: Felsöka Azure Arc-aktiverade serveragentanslutningsproblem \(2021-04-12, sv\)/);
		assert.match(current.out, /sv-se\/azure\/azure-arc\/servers\/troubleshoot-agent-onboard#agent-error-codes/);
		assert.doesNotMatch(current.out, /Äldre betydelse/);

		const outdated = await cli(['explain', 'AZCM0068', '--locale', 'sv']);
		assert.match(outdated.out, /subscription GUID/);
		assert.match(outdated.out, /Äldre betydelse \(2021\):\n {2}Ett internt fel inträffade vid frånkoppling av servern från Azure/);
		const nl = await json('AZCM0068', '--locale', 'nl');
		assert.equal(nl.entries[0].locale, 'en');
		assert.equal(nl.entries[0].fallback, true);
		assert.equal(nl.entries[0].older!.year, 2021);
		assert.equal(nl.entries[0].older!.locale, 'nl');
		assert.match(nl.entries[0].older!.cause, /loskoppelen/);
		assert.match(nl.entries[0].older!.source.url, /\/nl-nl\//);
		const nlText = await cli(['explain', 'AZCM0068', '--locale', 'nl']);
		assert.match(nlText.out, /Oudere betekenis \(2021\):/);

		const untranslated = await cli(['explain', 'AZCM0026', '--locale', 'nl']);
		assert.match(untranslated.out, /Geen vertaling in het Nederlands voor dit item; in het Engels weergegeven\./);
	});

	it('marks the English text we wrote ourselves', async () => {
		const en = await json('AZCM0013');
		assert.equal(en.entries[0].ours, true);
		assert.equal(en.entries[0].source.key, 'ours-translations');
		const text = await cli(['explain', 'AZCM0013']);
		assert.match(text.out, /written by Arc Logs, not Microsoft text/);
		const sv = await json('AZCM0013', '--locale', 'sv');
		assert.equal(sv.entries[0].ours, false);
		assert.equal(sv.entries[0].source.key, 'sv-2021');
		assert.match(sv.entries[0].cause, /taggarna/);
	});

	it('explains ids and keeps numbered steps', async () => {
		const r = await json('nexus-arc-connect');
		assert.equal(r.code, 0);
		assert.equal(r.entries[0].id, 'NEXUS-ARC-CONNECT');
		assert.equal(r.entries[0].steps!.length, getEntry('NEXUS-ARC-CONNECT')!.text.en.steps!.length);
		const t = await cli(['explain', 'NEXUS-ARC-CONNECT']);
		for (let k = 1; k <= r.entries[0].steps!.length; k++) assert.match(t.out, new RegExp(`^ {2}${k}\\. `, 'm'));
		assert.match(t.out, /^ {4}azcmagent show$/m);
	});

	it('uses colors only on a terminal, and never passes control characters of the pasted text through', async () => {
		const plain = await cli(['explain', 'AZCM0026']);
		assert.doesNotMatch(plain.out, /\x1b\[/);
		const tty = await cli(['explain', 'AZCM0026'], true);
		assert.match(tty.out, /\x1b\[/);
		// The escape sequences sit inside the match and its capture: they are shown escaped.
		const hostile = await cli(['explain', "\x1b]0;pwned\x07 The subscription is not registered to use namespace 'Microsoft.\x1b[2JHybrid\x07Compute'"]);
		assert.equal(hostile.code, 0);
		assert.match(hostile.out, /ARM-PROVIDER-NOT-REGISTERED/);
		assert.match(hostile.out, /namespace = Microsoft\.\\x1b\[2JHybrid\\x07Compute/);
		assert.doesNotMatch(hostile.out, /\x1b|\x07/);
	});

	it('rejects bad usage with exit 2 and a one-line reason', async () => {
		for (const argv of [['explain'], ['explain', ''], ['explain', '   '], ['explain', 'AZCM0026', '--format', 'xml'], ['explain', 'AZCM0026', '--locale', 'de'], ['explain', '--bogus', 'x'], ['explain', 'AZCM0026', '--locale']]) {
			const r = await cli(argv);
			assert.equal(r.code, 2, JSON.stringify(argv));
			assert.match(r.err, /^arc-logs: /, JSON.stringify(argv));
			assert.equal(r.out, '');
		}
		const help = await cli(['explain', '--help']);
		assert.equal(help.code, 0);
		assert.match(help.out, /usage: arc-logs explain/);
	});

	it('survives binary garbage and a 1 MB pasted line', async function () {
		this.timeout(20000);
		const garbage = Array.from({ length: 20000 }, (_, i) => String.fromCharCode((i * 7919) % 0xffff)).join('');
		const g = await cli(['explain', garbage]);
		assert.ok(g.code === 0 || g.code === 1);
		assert.equal(g.err, '');
		const big = 'x'.repeat(500_000) + ' AADSTS7000215: Invalid client secret provided. ' + "'".repeat(500_000);
		const started = Date.now();
		const b = await json(big);
		assert.ok(Date.now() - started < 5000);
		assert.equal(b.code, 0);
		assert.deepEqual(b.entries.map((e) => e.id), ['AUTH-SPN-INVALID-SECRET']);
	});
});
