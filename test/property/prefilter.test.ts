// The candidate-first pass (issue 10) gives the analysis of the full pass. The analyzer reads every line's head in
// part (a logrus record's fields and epoch ms are read again only for the records that need them) and runs its
// matchers only on lines that hold one of their anchors (one Aho–Corasick pass, core/anchors.ts). With
// `exhaustive: true` it parses every line in full and runs every matcher on every line: the reference. Properties:
// - on every real log we have (test/corpus, test/fixtures) the two analyses are the same: findings, records,
//   sections, formats;
// - on generated documents made of real lines (upper-cased, re-levelled, behind serial-console stamps, joined with a
//   literal `\n`, with anchors and arbitrary Unicode spliced in) the two are the same;
// - the anchor automaton answers what lower-casing the text and searching every anchor answers, on any string, for
//   any anchor and for each one.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyze } from '../../server/src/core/analysis/analyze';
import { AnchorSet } from '../../server/src/core/anchors';
import { matcherAnchors } from '../../server/src/core/knowledge';
import { linesOf } from '../../server/src/core/text';
import type { Analysis, AnalyzeOptions } from '../../server/src/core/model';
import { REAL_LOGS } from '../realLogs';

const SEED = 20261203;

/** Everything the analysis says, in a comparable form (records with their fields and times, findings, sections). */
const view = (a: Analysis): unknown => JSON.parse(JSON.stringify(a));

/** What the analyzer's own line scans look for (codes, ARM errors, exit statuses, stated errors), in log wording. */
const SHAPES = [
	'AZCM0042',
	'Exit Code: 3',
	'exitcode: 4',
	'returned code 3',
	'exited with status 2',
	'İnstalled',
	'ERROR: disk gone',
	'[FATAL] disk gone',
	'CRITICAL: no route',
	'[CRITICAL] no route',
	'Fatal: no route',
	'Error occurred while it ran',
	'RequestCorrelationId:6c3a Message: nope Code: Xyz httpStatusCode:409 ',
	'RESPONSE 409: ERROR CODE: Xyz',
	'Failed running /var/lib/cloud/instance/scripts/part-001 [1]',
];

function both(lines: readonly string[], options: AnalyzeOptions): [unknown, unknown] {
	const doc = { lineCount: lines.length, lineAt: (i: number) => lines[i] };
	return [view(analyze(doc, options)), view(analyze(doc, { ...options, exhaustive: true }))];
}

describe('the candidate-first pass equals the full pass', function () {
	this.timeout(300_000);

	it(`on ${REAL_LOGS.length} real logs: the same findings, records and sections as every matcher on every line`, () => {
		assert.ok(REAL_LOGS.length >= 100, `only ${REAL_LOGS.length} logs found`);
		let findings = 0;
		for (const { name, text } of REAL_LOGS) {
			const [fast, full] = both(linesOf(text).lines, { fileName: name.split('/').pop() });
			assert.deepEqual(fast, full, name);
			findings += (full as Analysis).findings.length;
		}
		assert.ok(findings > 100, `${findings} findings: the comparison covered too little`);
	});

	it('on generated documents of real lines, transformed and mixed with anchors and arbitrary text', () => {
		const pool = REAL_LOGS.flatMap((l) => linesOf(l.text).lines.filter((x) => x.trim()).slice(0, 400));
		const anchors = [...new Set(matcherAnchors())];
		const transform = fc.constantFrom('none', 'none', 'upper', 'title', 'level', 'serial', 'join', 'anchor', 'unicode');
		const piece = fc.record({ line: fc.constantFrom(...pool), how: transform, other: fc.constantFrom(...pool), anchor: fc.constantFrom(...anchors, ...SHAPES), text: fc.string({ unit: 'grapheme', maxLength: 40 }), at: fc.nat() });
		const render = (p: { line: string; how: string; other: string; anchor: string; text: string; at: number }): string => {
			const cut = p.at % (p.line.length + 1);
			switch (p.how) {
				case 'upper':
					return p.line.toUpperCase();
				case 'title':
					return p.line.replace(/\b[a-z]/g, (c) => c.toUpperCase());
				case 'level':
					return p.line.replace(/level=\w+/, 'level=info').replace(/\[(?:WARNING|ERROR|DEBUG)\]/, '[INFO]');
				case 'serial':
					return `[ ${(p.at % 9999) / 100}] ${p.line}`;
				case 'join':
					return `${p.line}\\n[  ${(p.at % 999) / 10}] ${p.other}`;
				case 'anchor':
					return p.line.slice(0, cut) + (p.at % 2 ? p.anchor.toUpperCase() : p.anchor) + p.line.slice(cut);
				case 'unicode':
					return p.line.slice(0, cut) + p.text + p.line.slice(cut);
				default:
					return p.line;
			}
		};
		const names = ['azcmagent.log', 'himds.log', 'cloud-init-output.log', 'cloud-init.log', 'console.txt', 'install.log'];
		fc.assert(
			fc.property(fc.array(piece, { minLength: 1, maxLength: 60 }), fc.constantFrom(...names), (pieces, fileName) => {
				const [fast, full] = both(pieces.map(render), { fileName });
				assert.deepEqual(fast, full);
			}),
			{ seed: SEED, numRuns: 1000 },
		);
	});

	it('the anchor automaton answers as lower-casing and searching every anchor does, on any string', () => {
		const anchors = [...new Set([...matcherAnchors(), 'azcm', 'exit code', 'σς', 'k'])];
		const set = new AnchorSet(anchors);
		const answer = (s: string) => {
			const lower = s.toLowerCase();
			return anchors.some((a) => lower.includes(a));
		};
		const near = fc.constantFrom(...anchors).chain((a) => fc.tuple(fc.string({ unit: 'grapheme', maxLength: 8 }), fc.constant(a), fc.string({ unit: 'grapheme', maxLength: 8 }), fc.boolean()));
		fc.assert(
			fc.property(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 60 }), fc.string({ unit: 'binary', maxLength: 60 }), near.map(([a, b, c, up]) => a + (up ? b.toUpperCase() : b) + c)), (s) => {
				// The automaton may answer yes where a character's lower case is ambiguous (İ, Σ); never no where an anchor is.
				if (answer(s)) assert.ok(set.test(s), s);
				else if (set.test(s)) assert.ok(/[\u0130\u03a3]/.test(s), `a false yes on ${JSON.stringify(s)}`);
			}),
			{ seed: SEED, numRuns: 3000 },
		);
		// Which anchors: each flag is that anchor's answer; no answer only where a lower case is ambiguous.
		const given = [...anchors, 'Exit Code', '']; // the same anchor twice (in another case), and an empty one
		const which = new AnchorSet(given);
		fc.assert(
			fc.property(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 60 }), fc.string({ unit: 'binary', maxLength: 60 }), near.map(([a, b, c, up]) => a + (up ? b.toUpperCase() : b) + c)), (s) => {
				const flags = which.which(s);
				if (!flags) return assert.ok(/[\u0130\u03a3]/.test(s), `no answer on ${JSON.stringify(s)}`);
				const lower = s.toLowerCase();
				assert.deepEqual([...flags], given.map((a) => (lower.includes(a.toLowerCase()) ? 1 : 0)), s);
			}),
			{ seed: SEED, numRuns: 3000 },
		);
		// The characters whose lower case is another character: the Kelvin sign is a k, the Ångström sign an å.
		assert.equal(set.test('\u212a'), true);
		assert.equal(set.test('plain words, nothing else'), false);
		assert.deepEqual([...which.which('exit code 1, then AZCM0042')!].map((f, i) => (f ? given[i] : '')).filter(Boolean), ['azcm', 'exit code', 'Exit Code']);
	});
});
