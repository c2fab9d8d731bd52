// findingsAt (a binary search over the sorted findings) gives exactly what a walk over every finding gives: on every
// real log (test/corpus, test/fixtures), at every line of it, at the start, inside and past the end of each finding.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { analyze } from '../../../server/src/core/analysis/analyze';
import { contains, findingsAt } from '../../../server/src/core/features/locate';
import { linesOf } from '../../../server/src/core/text';
import type { Position } from '../../../server/src/core/model';

const repo = resolve(__dirname, '../../../..');
const files = (dir: string): string[] =>
	readdirSync(dir).flatMap((n) => {
		const p = join(dir, n);
		return statSync(p).isDirectory() ? files(p) : /\.(json|md)$/.test(n) ? [] : [p];
	});

describe('locate: findingsAt', () => {
	it('equals the findings whose range contains the position, on every real log', () => {
		let positions = 0;
		let hits = 0;
		for (const file of [...files(join(repo, 'test/corpus/logs')), ...files(join(repo, 'test/fixtures/logs'))]) {
			const a = analyze(linesOf(readFileSync(file, 'utf8')), { fileName: file.split('/').pop() });
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
