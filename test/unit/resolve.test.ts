// The resolver's cost grows with the log, not with its square (issue 9, defect 8): counted in work units (section
// visits), never in wall time.
import * as assert from 'node:assert/strict';
import { resolveFindings, type Candidate } from '../../server/src/core/analysis/resolve';
import type { MutableSection } from '../../server/src/core/analysis/structure';
import type { LogRecord } from '../../server/src/core/model';

/** `runs` failed azcmagent runs of two records each; every run has an exit-code candidate. Returns section visits. */
function visits(runs: number): number {
	let count = 0;
	const sections: MutableSection[] = [];
	const records: LogRecord[] = [];
	const candidates: Candidate[] = [];
	for (let i = 0; i < runs; i++) {
		const run: MutableSection = { kind: 'run', name: 'connect', startLine: 2 * i, endLine: 2 * i + 1, outcome: 'unknown', children: [] };
		sections.push(run);
		for (const line of [2 * i, 2 * i + 1]) records.push({ format: 'azcmagent-log', startLine: line, endLine: line, message: 'exitcode: 26', fields: [], level: 'error' });
		candidates.push({ type: 'exit', id: 'EXIT-26', line: 2 * i + 1, start: 0, end: 2, record: 2 * i + 1, captures: { exitStatus: '26' }, run, recordFormat: 'azcmagent-log', attempt: i, level: 'error' });
	}
	// Count every section the resolver looks at, through the list and through each section's children.
	const counted = new Proxy(sections, {
		get(target, key, receiver) {
			if (typeof key === 'string' && /^\d+$/.test(key)) count++;
			return Reflect.get(target, key, receiver);
		},
	});
	const findings = resolveFindings({ records, sections: counted, candidates, locale: 'en', format: 'azcmagent-log' });
	assert.equal(findings.length, runs);
	assert.ok(sections.every((s) => s.outcome === 'failed'), 'every run is marked failed for the outline');
	return count;
}

describe('resolve: cost linear in the number of runs (issue 9, defect 8)', () => {
	it('4× the runs costs about 4× the section visits, not 16×', () => {
		const small = visits(2000);
		const large = visits(8000);
		assert.ok(large / small < 6, `${small} visits for 2000 runs, ${large} for 8000 (ratio ${(large / small).toFixed(1)})`);
	});
});
