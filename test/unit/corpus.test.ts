// The development corpus (test/corpus, vendored from ../shared/corpus: real public log excerpts, labelled line by
// line): every labelled failure is covered by a finding (on its line, or among the finding's related locations),
// no benign look-alike is flagged, and the severities agree. Recall is asserted at what the analyzer reaches.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { analyze } from '../../server/src/core/analysis/analyze';
import { linesOf } from '../../server/src/core/text';
import type { Finding } from '../../server/src/core/model';

const root = resolve(__dirname, '../../corpus');

interface Label {
	readonly line: number;
	readonly phrase: string;
	readonly severity?: string;
}
interface LabelledFile {
	readonly file: string;
	readonly findings: readonly Label[];
	readonly benign: readonly Label[];
}

const labels = JSON.parse(readFileSync(resolve(root, 'labels.json'), 'utf8')) as { files: LabelledFile[] };

/** Labels count physical lines split on LF; the analyzer counts lines as an editor does (CR, LF, CRLF). */
function editorLines(text: string): (n: number) => [number, number] {
	const starts: number[] = [0];
	for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
	const breaksBefore = (offset: number) => {
		let n = 0;
		for (let i = 0; i < offset; i++) {
			const c = text.charCodeAt(i);
			if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) n++;
		}
		return n;
	};
	return (n) => {
		const from = breaksBefore(starts[n - 1]);
		const to = n < starts.length ? breaksBefore(starts[n] - 1) : from;
		return [from, Math.max(from, to)];
	};
}

const overlaps = (a: [number, number], s: number, e: number) => a[0] <= e && s <= a[1];
const covers = (f: Finding, lines: [number, number]) => overlaps(lines, f.range.start.line, f.range.end.line) || f.related.some((r) => overlaps(lines, r.range.start.line, r.range.end.line));

describe('corpus: real public logs, labelled (test/corpus)', () => {
	let total = 0;
	let covered = 0;
	let severityAgrees = 0;
	let benignFlagged = 0;
	for (const f of labels.files) {
		describe(f.file, () => {
			const text = readFileSync(resolve(root, f.file)).toString('utf8');
			const a = analyze(linesOf(text), { fileName: f.file.split('/').pop() });
			const at = editorLines(text);
			it('covers every labelled failure, at its severity', () => {
				const missed: string[] = [];
				for (const x of f.findings) {
					total++;
					const cover = a.findings.filter((g) => covers(g, at(x.line)));
					if (!cover.length) {
						missed.push(`line ${x.line} [${x.severity}]: ${x.phrase}`);
						continue;
					}
					covered++;
					if (cover.some((g) => g.severity === x.severity)) severityAgrees++;
					else missed.push(`line ${x.line}: severity ${cover.map((g) => g.severity).join('/')} where the label says ${x.severity}`);
				}
				assert.deepEqual(missed, []);
			});
			it('flags no benign look-alike', () => {
				const flagged: string[] = [];
				for (const x of f.benign) {
					const lines = at(x.line);
					const hit = a.findings.filter((g) => overlaps(lines, g.range.start.line, g.range.end.line));
					if (hit.length) {
						benignFlagged++;
						flagged.push(`line ${x.line} (${hit.map((g) => g.id).join(', ')}): ${x.phrase}`);
					}
				}
				assert.deepEqual(flagged, []);
			});
		});
	}
	describe('in total', () => {
		it('reaches 100 % recall with every severity agreeing, and flags 0 benign lines', () => {
			assert.ok(total >= 65, `only ${total} labelled failures were checked`);
			assert.equal(covered, total, `recall ${covered}/${total}`);
			assert.equal(severityAgrees, covered);
			assert.equal(benignFlagged, 0);
		});
	});
});
