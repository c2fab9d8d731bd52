// Every fixture under test/fixtures/logs is a realistic log in one of the real formats (LOG-FORMATS.md) with a
// specification beside it (<file>.expected.json): the format detection must return, exactly the findings expected
// (1-based line, id, severity, related lines, the other entries that explain it), and the lines that must carry no finding.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { analyze } from '../../server/src/core/analysis/analyze';
import { linesOf } from '../../server/src/core/text';
import type { Analysis } from '../../server/src/core/model';

const root = resolve(__dirname, '../../fixtures/logs');

interface Expected {
	format: string;
	description?: string;
	findings: { line: number; id: string; severity: string; related?: number[]; explainedBy?: string[] }[];
	notFlagged?: number[];
}

function* specs(dir: string): Generator<string> {
	for (const name of readdirSync(dir).sort()) {
		const p = join(dir, name);
		if (statSync(p).isDirectory()) yield* specs(p);
		else if (name.endsWith('.expected.json')) yield p;
	}
}

const summary = (a: Analysis) => a.findings.map((f) => `${f.range.start.line + 1} ${f.id} ${f.severity}`).sort();

describe('fixtures: real formats, expected findings', () => {
	const all = [...specs(root)];
	it('has fixtures in every format', () => {
		const formats = new Set(all.map((p) => (JSON.parse(readFileSync(p, 'utf8')) as Expected).format));
		for (const f of ['azcmagent-log', 'azcmagent-console', 'gc-log', 'msi-log', 'gpo-log', 'cloud-init-output', 'cloud-init-log', 'plain']) assert.ok(formats.has(f), `no fixture of format ${f}`);
	});
	for (const spec of all) {
		const logPath = spec.slice(0, -'.expected.json'.length);
		const name = relative(root, logPath);
		describe(name, () => {
			const expected = JSON.parse(readFileSync(spec, 'utf8')) as Expected;
			const text = readFileSync(logPath).toString('utf8');
			const a = analyze(linesOf(text), { fileName: logPath.split('/').pop() });
			it(`is detected as ${expected.format}`, () => assert.equal(a.format, expected.format));
			it('has exactly the expected findings (line, id, severity)', () => {
				assert.deepEqual(summary(a), expected.findings.map((f) => `${f.line} ${f.id} ${f.severity}`).sort());
			});
			it('points each finding to its related lines', () => {
				for (const e of expected.findings) {
					if (!e.related?.length) continue;
					const f = a.findings.find((x) => x.id === e.id && x.range.start.line + 1 === e.line);
					assert.ok(f, `finding ${e.id} at ${e.line}`);
					const lines = f.related.map((r) => r.range.start.line + 1);
					for (const l of e.related) assert.ok(lines.includes(l), `${e.id}@${e.line} should relate to line ${l} (has ${lines.join(', ') || 'none'})`);
				}
			});
			it('names the other entries that explain each failure event (its cause, its consequences)', () => {
				for (const e of expected.findings) {
					const f = a.findings.find((x) => x.id === e.id && x.range.start.line + 1 === e.line);
					assert.deepEqual(f?.explainedBy ?? [], e.explainedBy ?? [], `${e.id}@${e.line}`);
				}
			});
			it('flags none of the benign lines', () => {
				const flagged = new Set(a.findings.map((f) => f.range.start.line + 1));
				for (const l of expected.notFlagged ?? []) assert.ok(!flagged.has(l), `line ${l} must not be flagged: ${a.findings.filter((f) => f.range.start.line + 1 === l).map((f) => f.id).join(', ')}`);
			});
			it('finds the same with the other line endings', () => {
				const other = text.includes('\r\n') ? text.replace(/\r\n/g, '\n') : text.replace(/\n/g, '\r\n');
				assert.deepEqual(summary(analyze(linesOf(other), { fileName: logPath.split('/').pop() })), summary(a));
			});
			it('finds the same when pasted without a file name (content decides)', () => {
				const b = analyze(linesOf(text));
				assert.deepEqual(summary(b), summary(a));
			});
		});
	}
});
