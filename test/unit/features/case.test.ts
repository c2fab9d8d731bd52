// A case (core/features/case.ts) on the bundled samples: machines by folder, every failure in time order, counts per
// file, the first failure, and what the other logs recorded meanwhile.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { analyze } from '../../../server/src/core/analysis/analyze';
import { buildCase, firstFailureLine, machineFolders, provideCaseFailures, provideMeanwhile, renderMeanwhile, type CaseLog } from '../../../server/src/core/features/case';
import { effectiveFindings, isFailure } from '../../../server/src/core/features/diagnostics';
import { defaultSettings } from '../../../server/src/core/features/settings';
import { linesOf } from '../../../server/src/core/text';
import { plain } from './helpers';

const samples = resolve(__dirname, '../../../../samples');

function sampleLogs(): CaseLog[] {
	const out: CaseLog[] = [];
	for (const dir of readdirSync(samples, { withFileTypes: true })) {
		if (!dir.isDirectory()) continue;
		for (const name of readdirSync(join(samples, dir.name))) {
			const source = linesOf(readFileSync(join(samples, dir.name, name), 'utf8'));
			out.push({ uri: `file:///case/${dir.name}/${name}`, path: `${dir.name}/${name}`, analysis: analyze(source, { fileName: name }), source, settings: defaultSettings });
		}
	}
	return out;
}

describe('case: the logs of a folder together', () => {
	it('a machine is the shallowest folder with a log directly in it', () => {
		const m = machineFolders(['vm1/azcmagent.log', 'vm1/GuestConfig/gc_agent.log', 'vm2/logs/cloud-init.log', 'vm2/logs/x/y.log']);
		assert.equal(m.get('vm1/GuestConfig/gc_agent.log'), 'vm1');
		assert.equal(m.get('vm2/logs/x/y.log'), 'vm2/logs');
		const bundle = machineFolders(['azcmagent.log', 'GuestConfig/gc_agent.log']);
		assert.equal(bundle.get('GuestConfig/gc_agent.log'), '', 'a bundle with a log at its top is one machine');
	});

	it('lists every failure of every log once, grouped by machine and run / boot, in time order, with counts per file', () => {
		const logs = sampleLogs();
		const result = provideCaseFailures(buildCase(logs), 'file:///case', 'case', 'en');
		assert.deepEqual(
			result.machines.map((m) => m.name),
			['arc-linux-vm', 'gpo-onboarding', 'nexus-vm', 'windows-server', 'windows-transcript'],
		);
		const listed = result.machines.flatMap((m) => m.groups.flatMap((g) => g.failures.map((f) => `${f.path}:${f.line}:${f.id}`))).sort();
		const expected = logs.flatMap((l) => effectiveFindings(l.analysis, l.settings).filter((f) => isFailure(f.severity)).map((f) => `${l.path}:${f.finding.range.start.line}:${f.finding.id}`)).sort();
		assert.deepEqual(listed, expected);
		assert.equal(result.total, expected.length);
		for (const m of result.machines) {
			const times = m.groups.map((g) => g.time ?? Infinity);
			assert.deepEqual(times, [...times].sort((a, b) => a - b), `${m.name}: groups in time order`);
			for (const g of m.groups) {
				const ft = g.failures.map((f) => f.time ?? Infinity);
				assert.deepEqual(ft, [...ft].sort((a, b) => a - b), `${g.label}: failures in time order`);
			}
			for (const f of m.files) {
				const log = logs.find((l) => l.path === f.path)!;
				const shown = effectiveFindings(log.analysis, log.settings);
				assert.equal(f.errors, shown.filter((x) => x.severity === 'error').length, `${f.path} errors`);
				assert.equal(f.warnings, shown.filter((x) => x.severity === 'warning').length, `${f.path} warnings`);
			}
		}
		// The azcmagent runs are groups of their own: the failed connect before the later one.
		const arc = result.machines[0];
		assert.match(arc.groups[0].label, /^connect → failed \(AZCM0042\)/);
		assert.equal(arc.groups[0].failures[0].id, 'AZCM0042');
		// The earliest failure of the samples: the nexus VM's boot on 2024-06-04 (the connect's exit code, at or after the
		// last banner before it).
		assert.equal(result.first?.path, 'nexus-vm/cloud-init-output.log');
		assert.equal(result.first?.id, 'AZCM0042');
		assert.equal(result.first?.approximate, true);
		assert.equal(firstFailureLine(result.first, 'en'), `First failure across the files: AZCM0042 in nexus-vm/cloud-init-output.log, line ${result.first!.line + 1}, at or after 2024-06-04T07:01:30Z`);
	});

	it('meanwhile: the failure in cloud-init.log lists what cloud-init-output.log recorded in that minute, escaped', () => {
		const logs = sampleLogs();
		const model = buildCase(logs);
		const ci = logs.find((l) => l.path === 'nexus-vm/cloud-init.log')!;
		const failure = ci.analysis.findings.find((f) => f.id === 'CI-SCRIPT-FAILED')!;
		const m = provideMeanwhile(model, ci.uri, failure.range.start, 60)!;
		assert.ok(m, 'a meanwhile for a failure with a time');
		assert.equal(new Date(m.time).toISOString(), '2024-06-04T07:01:55.499Z');
		assert.ok(m.records.every((r) => r.path === 'nexus-vm/cloud-init-output.log'), 'only the other log of the same machine');
		const azcm = m.records.find((r) => r.failure === 'AZCM0042');
		assert.ok(azcm, 'the connect failure of the script, in the output log');
		assert.equal(azcm.approximate, true);
		const md = renderMeanwhile(m, 'en');
		assert.doesNotMatch(md, /\]\(|(?<!\\)<[a-z]/i, 'no links, no HTML');
		const text = plain(md);
		assert.match(text, /Meanwhile in other logs \(within 60 s\)/);
		assert.match(text, /nexus-vm\/cloud-init-output\.log, line \d+ \(−25\.499 s or later\) AZCM0042 INFO: Exit Code:  AZCM0042/);
		assert.match(text, /nexus-vm\/cloud-init-output\.log, line \d+ \(\+0 ms\) WARNING: Failed running \/var\/lib\/cloud\/instance\/scripts\/part-001/);
		// Nothing for a position that is not a failure, and a window of 0 s keeps only what happened at that moment.
		assert.equal(provideMeanwhile(model, ci.uri, { line: 0, character: 0 }, 60), undefined);
		const now = provideMeanwhile(model, ci.uri, failure.range.start, 0)!.records;
		assert.deepEqual(now.map((r) => [r.offset, r.line]), [[0, m.records.find((r) => r.offset === 0)!.line]]);
		// Swedish and Dutch headings.
		assert.match(plain(renderMeanwhile(m, 'sv')), /Under tiden i andra loggar/);
		assert.match(plain(renderMeanwhile(m, 'nl')), /Intussen in andere logboeken/);
	});

	it('a record of another machine is never a neighbour, however close in time', () => {
		const logs = sampleLogs();
		const ci = logs.find((l) => l.path === 'nexus-vm/cloud-init.log')!;
		// The same log under another machine's folder: at the very same times, but another machine.
		const copy: CaseLog = { ...ci, uri: 'file:///case/other-vm/cloud-init.log', path: 'other-vm/cloud-init.log' };
		const model = buildCase([...logs, copy]);
		const failure = ci.analysis.findings.find((f) => f.id === 'CI-SCRIPT-FAILED')!;
		const m = provideMeanwhile(model, ci.uri, failure.range.start, 3600)!;
		assert.ok(m.records.every((r) => !r.path.startsWith('other-vm/')));
	});
});
