// Time alignment (core/analysis/timeline.ts) on real shapes: the corpus's and the fixtures' logs.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { analyze } from '../../server/src/core/analysis/analyze';
import { alignLog, alignMachine, isZoned, offsetShownByLog, timeAtLine, writtenOffset, yearlessMs, type MachineLog } from '../../server/src/core/analysis/timeline';
import type { Analysis, LineSource } from '../../server/src/core/model';
import { linesOf } from '../../server/src/core/text';

const repo = resolve(__dirname, '../../..');

function load(path: string): MachineLog & { analysis: Analysis; source: LineSource } {
	const source = linesOf(readFileSync(resolve(repo, path), 'utf8'));
	return { source, analysis: analyze(source, { fileName: path }) };
}

/** The aligned time (ISO) of the record that starts on 0-based `line`. */
function isoAt(log: MachineLog, ms: readonly (number | undefined)[], line: number): string | undefined {
	const i = log.analysis.records.findIndex((r) => r.startLine === line);
	assert.ok(i >= 0, `a record starts on line ${line + 1}`);
	const v = ms[i];
	return v === undefined ? undefined : new Date(v).toISOString();
}

function lineOf(log: { source: LineSource }, text: string): number {
	for (let i = 0; i < log.source.lineCount; i++) if (log.source.lineAt(i).includes(text)) return i;
	throw new Error(`no line with ${text}`);
}

describe('timeline: absolute times of records', () => {
	it('recognises zoned stamps and their offsets', () => {
		assert.equal(isZoned('2024-11-05T08:14:15Z'), true);
		assert.equal(isZoned('2020-11-03T10:11:48-08:00'), true);
		assert.equal(isZoned('Tue, 04 Jun 2024 07:01:07 +0000'), true);
		assert.equal(isZoned('2024-06-04 07:01:55,123'), false);
		assert.equal(isZoned('2024-09-02 07:30:04'), false);
		assert.equal(writtenOffset('2020-11-03T10:11:48-08:00'), -480);
		assert.equal(writtenOffset('2024-09-30T13:15:22+01:00'), 60);
		assert.equal(writtenOffset('Tue, 04 Jun 2024 07:01:07 +0000'), 0);
		assert.equal(writtenOffset('2024-06-04 07:01:55,123'), undefined);
	});

	it('takes zoned stamps as written (logrus with -08:00)', () => {
		const log = load('test/fixtures/logs/azcmagent-log/device-flow-unreachable-then-forbidden-2020.log');
		const a = alignLog(log.analysis);
		assert.equal(isoAt(log, a.ms, 0), '2020-11-03T18:11:48.000Z');
		assert.equal(a.basis[0], 'zoned');
	});

	it('zone-less cloud-init.log stamps: the log shows its offset by its banner (here UTC), and a shifted copy shows +02:00', () => {
		const log = load('samples/nexus-vm/cloud-init.log');
		assert.equal(offsetShownByLog(log.analysis), 0);
		const a = alignLog(log.analysis);
		assert.equal(a.zoneOffsetSource, 'log');
		assert.equal(isoAt(log, a.ms, lineOf(log, 'Failed running /var/lib/cloud/instance/scripts/part-001')), '2024-06-04T07:01:55.499Z');
		// The same log written by a machine two hours east of UTC: heads at local time, the banner's stamp in UTC.
		const text = readFileSync(resolve(repo, 'samples/nexus-vm/cloud-init.log'), 'utf8').replace(/^2024-06-04 07:/gm, '2024-06-04 09:');
		const shifted = analyze(linesOf(text), { fileName: 'cloud-init.log' });
		assert.equal(offsetShownByLog(shifted), 120);
		const b = alignLog(shifted);
		assert.deepEqual(b.ms, a.ms, 'the same absolute times');
	});

	it('zone-less stamps of a machine without evidence are UTC; with another log of the machine showing an offset, that offset', () => {
		const gc = load('samples/windows-server/gc_agent.log');
		const alone = alignMachine([gc])[0];
		assert.equal(alone.zoneOffsetSource, 'assumed-utc');
		assert.equal(isoAt(gc, alone.ms, 0), '2024-10-14T07:26:40.118Z');
		// Beside a logrus log written at +01:00, the Guest Configuration log's zone-less stamps are taken as +01:00.
		const agent = load('test/fixtures/logs/azcmagent-log/connect-rp-register-403-then-success.log');
		const [withAgent] = alignMachine([gc, agent]);
		assert.equal(withAgent.zoneOffsetSource, 'zoned-stamps');
		assert.equal(withAgent.zoneOffsetMinutes, 60);
		assert.equal(isoAt(gc, withAgent.ms, 0), '2024-10-14T06:26:40.118Z');
	});

	it('year-less journal stamps take the year of the banner in the same log', () => {
		const log = load('test/corpus/logs/cloud-init-log/amzn2-journald-prefix-healthy.log');
		const a = alignLog(log.analysis);
		assert.equal(isoAt(log, a.ms, 0), '2018-06-07T14:54:06.000Z');
		assert.equal(a.basis[0], 'year-inferred');
		assert.equal(new Date(yearlessMs('Jan 01 00:00:05', Date.UTC(2023, 11, 31, 23, 59))!).toISOString(), '2024-01-01T00:00:05.000Z', 'across new year');
	});

	it("an MSI log's times of day get the date of its header", () => {
		const log = load('samples/windows-server/installationlog.txt');
		const a = alignLog(log.analysis, { source: log.source });
		assert.equal(isoAt(log, a.ms, 1), '2024-10-14T10:13:42.117Z');
		assert.equal(alignLog(log.analysis).ms[1], undefined, 'without the header, no date');
	});

	it('serial-console uptime is anchored at the boot by the banner (time and uptime together)', () => {
		const log = load('test/fixtures/logs/cloud-init-output/serial-console-nexus-login.log');
		const a = alignLog(log.analysis, { source: log.source });
		// `running 'init-local' at Fri, 26 Jul 2024 03:12:41 +0000. Up 5.38 seconds.` → boot at 03:12:35.620 (the latest
		// of the banners' estimates: their stamps are cut to whole seconds).
		assert.equal(isoAt(log, a.ms, 0), '2024-07-26T03:12:35.620Z');
		const error = lineOf(log, 'ERROR: Failed to log in with user-assigned managed identity');
		const at = a.ms[log.analysis.records.findIndex((r) => r.startLine === error)]!;
		assert.equal(new Date(at).toISOString(), '2024-07-26T03:12:58.491Z');
		// cloud-init's own zone-less record on the next line (03:12:58,148) lines up within a second.
		const next = a.ms[log.analysis.records.findIndex((r) => r.startLine === error + 1)]!;
		assert.ok(Math.abs(next - at) < 1000, `${next - at} ms apart`);
	});

	it('a second boot (uptime going backwards) is anchored by its own banner', () => {
		const log = load('test/fixtures/logs/cloud-init-output/serial-console-nexus-login.log');
		const lines = log.source as LineSource & { lines: readonly string[] };
		const boot2 = lines.lines.map((l) => l.replace('Fri, 26 Jul 2024 03:12:', 'Sat, 27 Jul 2024 03:12:'));
		const both = linesOf([...lines.lines, ...boot2].join('\n'));
		const analysis = analyze(both, { fileName: 'console.log' });
		const a = alignLog(analysis, { source: both });
		const first = analysis.records.findIndex((r) => r.startLine === 0);
		const second = analysis.records.findIndex((r) => r.startLine === lines.lines.length);
		assert.equal(new Date(a.ms[first]!).toISOString(), '2024-07-26T03:12:35.620Z');
		assert.equal(new Date(a.ms[second]!).toISOString(), '2024-07-27T03:12:35.620Z');
	});

	it("console-relative seconds are anchored at the agent log's run of the same command and outcome", () => {
		const transcript = load('test/fixtures/logs/azcmagent-console/windows-transcript-spn-forbidden.crlf.log');
		const exit = lineOf(transcript, 'INFO[0006] Exit Code:  AZCM0041');
		assert.equal(isoAt(transcript, alignLog(transcript.analysis).ms, exit), undefined, 'alone: no absolute time');
		// The agent's own log of that connect (run start 14:21:58Z, AZCM0041): the transcript's seconds count from there.
		const agent = load('test/fixtures/logs/azcmagent-log/spn-invalid-secret-is-provided-2021.log');
		const [t] = alignMachine([transcript, agent]);
		assert.equal(isoAt(transcript, t.ms, exit), '2021-03-09T14:22:04.000Z');
		assert.equal(t.basis[transcript.analysis.records.findIndex((r) => r.startLine === exit)], 'run-relative');
		// Two agent runs that could be it (the same command and code twice): no guess.
		const twice = load('test/fixtures/logs/azcmagent-log/device-flow-unreachable-then-forbidden-2020.log');
		const [u] = alignMachine([transcript, twice]);
		assert.equal(isoAt(transcript, u.ms, exit), undefined);
	});

	it('a failure on a line without a time takes the nearest earlier time, marked approximate', () => {
		const log = load('samples/nexus-vm/cloud-init-output.log');
		const a = alignLog(log.analysis, { source: log.source });
		const failure = log.analysis.findings.find((f) => f.id === 'AZCM0042')!;
		const at = timeAtLine(log.analysis, a, failure.range.start.line)!;
		assert.equal(at.approximate, true);
		assert.equal(new Date(at.ms).toISOString(), '2024-06-04T07:01:30.000Z', "the 'modules:final' banner before it");
		const exact = timeAtLine(log.analysis, a, 0)!;
		assert.equal(exact.approximate, false);
	});

	it('never throws on logs without any time, and gives none', () => {
		const log = load('test/corpus/logs/cloud-init-status/status-long-done-lxd.log');
		const [a] = alignMachine([log]);
		assert.ok(a.ms.every((v) => v === undefined));
		assert.equal(timeAtLine(log.analysis, a, 0), undefined);
		const empty = analyze(linesOf(''), {});
		assert.deepEqual(alignMachine([{ analysis: empty }])[0].ms, []);
	});
});
