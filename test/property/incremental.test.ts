// Incremental analysis (issue 10) equals a from-scratch analysis. The server keeps one analyzer per document at the
// last line an append cannot change and forks it for the rest; these properties hold on every real log we have
// (test/corpus: real public excerpts; test/fixtures: the real-format fixtures) and on generated edits of them:
// - forking at any line and pushing the rest gives the analysis of the whole text, and the analyzer forked from
//   goes on unaffected by what the fork was given;
// - a document edited at random (appends, edits of the last line, edits in the middle, deletions) and analyzed
//   through the server's AnalysisCache after every edit (restarting from checkpoints) gives the analysis of its text.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyze, Analyzer } from '../../server/src/core/analysis/analyze';
import { linesOf } from '../../server/src/core/text';
import type { Analysis } from '../../server/src/core/model';
import { AnalysisCache, type AnalyzerFactory } from '../../server/src/server';

type AnalyzerLike = ReturnType<AnalyzerFactory>;
import { LinesDocument } from '../../server/src/documents';
import { REAL_LOGS } from '../realLogs';

const SEED = 20261202;

/** Everything the analysis says, in a comparable form. */
const view = (a: Analysis): unknown => JSON.parse(JSON.stringify(a));

function fromScratch(lines: readonly string[], fileName: string): Analysis {
	return analyze({ lineCount: lines.length, lineAt: (i) => lines[i] }, { fileName });
}

describe('incremental analysis equals a from-scratch analysis', function () {
	this.timeout(120_000);

	it(`a fork at any line of ${REAL_LOGS.length} real logs, given the rest, analyzes the whole; the analyzer it came from is unaffected`, () => {
		assert.ok(REAL_LOGS.length >= 100, `only ${REAL_LOGS.length} logs found`);
		let forks = 0;
		for (const { name, text } of REAL_LOGS) {
			const lines = linesOf(text).lines;
			const fileName = name.split('/').pop()!;
			const whole = view(fromScratch(lines, fileName));
			// Split points: the start, the end, and a stride through the log (every line of short logs).
			const stride = Math.max(1, Math.floor(lines.length / 12));
			const points = new Set([0, lines.length]);
			for (let k = 1; k < lines.length; k += stride) points.add(k);
			const base = new Analyzer({ fileName });
			let at = 0;
			for (const k of [...points].sort((a, b) => a - b)) {
				for (; at < k; at++) base.push(lines[at]);
				const fork = base.fork();
				for (let i = k; i < lines.length; i++) fork.push(lines[i]);
				assert.deepEqual(view(fork.finish()), whole, `${name}: fork at line ${k}`);
				forks++;
			}
			assert.deepEqual(view(base.finish()), whole, `${name}: the analyzer forked from, after its forks`);
		}
		assert.ok(forks >= REAL_LOGS.length * 3, `${forks} forks`);
	});

	it(`read line by line as the server reads appends, ${REAL_LOGS.length} real logs and their lines after a benign one: a kept resolution is the resolution of the text`, () => {
		// The server's append: the analyzer reads the old last line, a fork reads the new one and finishes. A fork whose
		// new lines changed nothing resolution reads keeps the findings of the last resolution (the same array): each
		// step is compared with the text's analysis from scratch, and the kept ones are counted so the test shows the
		// path ran. Real logs as they are, then each with its lines repeated after an uneventful line (a heartbeat
		// between failures, the common shape of an append).
		const quiet = 'time="2024-03-02T09:00:00Z" level=info msg="Sending heartbeat"';
		let steps = 0;
		let kept = 0;
		for (const { name, text } of REAL_LOGS) {
			const fileName = name.split('/').pop()!;
			const own = linesOf(text).lines;
			for (const lines of [own, [...own, ...own.flatMap((l) => [quiet, quiet, l])]]) {
				// Windows of consecutive appends at a few places in the log (the whole of a short one).
				const window = 8;
				const starts = new Set<number>();
				for (let k = 1; k < lines.length; k += Math.max(window, Math.floor(lines.length / 6))) starts.add(k);
				const base = new Analyzer({ fileName });
				let at = 0;
				for (const k of [...starts].sort((a, b) => a - b)) {
					let previous: Analysis | undefined;
					for (let j = k; j < Math.min(lines.length, k + window); j++) {
						for (; at < j; at++) base.push(lines[at]);
						const fork = base.fork();
						fork.push(lines[j]);
						const analysis = fork.finish();
						if (previous && analysis.findings === previous.findings) kept++;
						assert.deepEqual(view(analysis), view(fromScratch(lines.slice(0, j + 1), fileName)), `${name}: line ${j + 1} of ${lines.length}`);
						previous = analysis;
						steps++;
					}
				}
			}
		}
		// 658 of 9,367 when this was written: the path must have run hundreds of times, not by chance.
		assert.ok(kept >= 200, `a kept resolution in ${kept} of ${steps} appends`);
	});

	it('a document edited at random and analyzed after every edit (AnalysisCache) gives the analysis of its text', async () => {
		const line = fc.constantFrom(
			'',
			'time="2024-03-02T08:00:01Z" level=info msg="Agent Command: connect"',
			'time="2024-03-02T08:00:02Z" level=error msg="unable to refresh token, will retry" error="context deadline exceeded"',
			'time="2024-03-02T08:00:03Z" level=fatal msg="RequestCorrelationId:6c3a Message: The client does not have authorization Code: AuthorizationFailed httpStatusCode:403 "',
			'time="2024-03-02T08:00:03Z" level=info msg="Exit Code:  AZCM0042: Failed to create the resource"',
			"Cloud-init v. 23.4.4 running 'modules:final' at Tue, 04 Jun 2024 07:01:30 +0000. Up 12.00 seconds.",
			'+ azcmagent connect --resource-group rg',
			'ERROR: Failed to login with system-assigned managed identity',
			'2024-06-04 07:01:55,118 - util.py[WARNING]: Failed running /var/lib/cloud/instance/scripts/part-001 [1]',
			'Traceback (most recent call last):',
			'  File "/usr/lib/python3/dist-packages/cloudinit/util.py", line 1, in x',
			'RuntimeError: Runparts: 1 failures in 1 attempted commands',
			'Cloud-init v. 23.4.4 finished at Tue, 04 Jun 2024 07:02:00 +0000. Datasource DataSourceAzure.  Up 40.00 seconds',
			'    continued text of a wrapped record',
		);
		const edit = fc.record({
			kind: fc.constantFrom('append', 'append', 'append', 'typeLast', 'middle', 'delete'),
			at: fc.nat(),
			text: fc.array(line, { minLength: 1, maxLength: 4 }),
		});
		const logs = REAL_LOGS.filter((l) => l.text.length < 20_000);
		await fc.assert(
			fc.asyncProperty(fc.constantFrom(...logs), fc.array(edit, { minLength: 1, maxLength: 12 }), async (log, edits) => {
				const fileName = log.name.split('/').pop()!;
				const doc = new LinesDocument(`file:///x/${fileName}`, 'azcmagent-log', 1, log.text);
				// Checkpoints every 7 lines: edits in the middle restart from one.
				const cache = new AnalysisCache(undefined, 7);
				const check = async () => {
					const entry = await cache.get(doc, 'en', [], '');
					const lines = doc.snapshot();
					const all = Array.from({ length: lines.lineCount }, (_, i) => lines.lineAt(i));
					assert.deepEqual(view(entry.analysis), view(fromScratch(all, fileName)), `version ${doc.version}`);
				};
				await check();
				for (const e of edits) {
					const n = doc.lineCount;
					const last = n - 1;
					const lastLen = doc.getLineRange(last).end.character;
					const text = e.text.join('\n');
					if (e.kind === 'append') doc.update([{ range: { start: { line: last, character: lastLen }, end: { line: last, character: lastLen } }, text: (lastLen ? '\n' : '') + text + '\n' }], doc.version + 1);
					else if (e.kind === 'typeLast') doc.update([{ range: { start: { line: last, character: lastLen }, end: { line: last, character: lastLen } }, text: e.text[0].slice(0, 9) }], doc.version + 1);
					else if (e.kind === 'middle') {
						const l = e.at % n;
						doc.update([{ range: { start: { line: l, character: 0 }, end: { line: l, character: 0 } }, text: text + '\n' }], doc.version + 1);
					} else {
						const l = e.at % n;
						doc.update([{ range: { start: { line: l, character: 0 }, end: { line: Math.min(last, l + 1), character: 0 } }, text: '' }], doc.version + 1);
					}
					await check();
				}
			}),
			{ seed: SEED, numRuns: 60 },
		);
	});

	it('an append re-reads only the new lines and the last one, an edit the lines from the checkpoint before it (counted)', async () => {
		let pushed = 0;
		const counting = (a: Analyzer): AnalyzerLike => ({
			push: (l: string) => {
				pushed++;
				a.push(l);
			},
			finish: () => a.finish(),
			fork: () => counting(a.fork()),
		});
		const cache = new AnalysisCache((o) => counting(new Analyzer(o)), 50);
		const log = REAL_LOGS.find((l) => l.name.endsWith('.log') && linesOf(l.text).lines.length > 200)!;
		const doc = new LinesDocument('file:///x/azcmagent.log', 'azcmagent-log', 1, log.text);
		await cache.get(doc, 'en', [], '');
		assert.equal(pushed, doc.lineCount, 'the first analysis reads every line once');
		for (let k = 0; k < 5; k++) {
			const last = doc.lineCount - 1;
			const len = doc.getLineRange(last).end.character;
			doc.update([{ range: { start: { line: last, character: len }, end: { line: last, character: len } }, text: `time="2024-03-02T08:00:0${k}Z" level=error msg="appended ${k}"\nsecond line\n` }], doc.version + 1);
			pushed = 0;
			await cache.get(doc, 'en', [], '');
			assert.equal(pushed, 3, `append ${k}: the changed last line, the new line, and the new last line`);
		}
		// An edit in the middle re-reads from the checkpoint before it (every 50 lines); one above the first, everything.
		doc.update([{ range: { start: { line: 120, character: 0 }, end: { line: 120, character: 0 } }, text: 'x' }], doc.version + 1);
		pushed = 0;
		await cache.get(doc, 'en', [], '');
		assert.equal(pushed, doc.lineCount - 100);
		doc.update([{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: 'x' }], doc.version + 1);
		pushed = 0;
		await cache.get(doc, 'en', [], '');
		assert.equal(pushed, doc.lineCount);
	});
});
