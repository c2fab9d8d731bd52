// findingsAt (a binary search over the sorted findings) gives exactly what a walk over every finding gives: on every
// real log (test/corpus, test/fixtures), at every line of it, at the start, inside and past the end of each finding.
import * as assert from 'node:assert/strict';
import { analyze } from '../../../server/src/core/analysis/analyze';
import { contains, findingsAt } from '../../../server/src/core/features/locate';
import { linesOf } from '../../../server/src/core/text';
import type { Position } from '../../../server/src/core/model';
import { REAL_LOGS } from '../../realLogs';

describe('locate: findingsAt', () => {
	it('equals the findings whose range contains the position, on every real log', () => {
		let positions = 0;
		let hits = 0;
		for (const { name: file, fileName, text } of REAL_LOGS) {
			const a = analyze(linesOf(text), { fileName });
			const probes: Position[] = [];
			for (let line = 0; line < a.lineCount; line++) probes.push({ line, character: 0 }, { line, character: 40 });
			for (const f of a.findings) probes.push(f.range.start, f.range.end, { line: f.range.end.line, character: f.range.end.character + 1 });
			for (const p of probes) {
				const expected = a.findings.flatMap((f, i) => (contains(f.range, p) ? [i] : []));
				assert.deepEqual(findingsAt(a, p), expected, `${file} ${p.line}:${p.character}`);
				positions++;
				hits += expected.length;
			}
		}
		assert.ok(positions > 5000 && hits > 100, `${positions} positions, ${hits} hits`);
	});
});
