// `arc-logs scan` of a folder says which failure came first across its files (lined up in time per machine).
import * as assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { runCli } from './run';

const samples = resolve(__dirname, '../../../samples');

describe('cli: the first failure across the files of a scan', () => {
	it('a folder of two machines: the earliest failure, with its time (at or after the record before it)', async () => {
		const r = await runCli(['scan', '--exit-zero', samples]);
		assert.equal(r.code, 0);
		const last = r.out.trimEnd().split('\n').pop()!;
		assert.match(last, /^First failure across the files: AZCM0042 in .*nexus-vm\/cloud-init-output\.log, line 122, at or after 2024-06-04T07:01:30Z$/);
	});

	it('in Swedish, and with an exact time when the failure has its own', async () => {
		const r = await runCli(['scan', '--exit-zero', '--locale', 'sv', resolve(samples, 'arc-linux-vm')]);
		const last = r.out.trimEnd().split('\n').pop()!;
		assert.match(last, /^Första felet i filerna: AZCM0042 i .*arc-linux-vm\/azcmagent\.log, rad 31, kl\. 2024-11-05T08:14:15Z$/);
	});

	it('one file: no such line; JSON and SARIF are unchanged by it', async () => {
		const one = await runCli(['scan', '--exit-zero', resolve(samples, 'arc-linux-vm', 'azcmagent.log')]);
		assert.doesNotMatch(one.out, /First failure across/);
		const json = await runCli(['scan', '--exit-zero', '--format', 'json', samples]);
		assert.doesNotThrow(() => JSON.parse(json.out));
		assert.doesNotMatch(json.out, /First failure across/);
	});
});
