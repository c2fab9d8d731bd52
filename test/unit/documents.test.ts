// The server's line-based documents apply incremental changes exactly as vscode-languageserver-textdocument does
// (same lines after every change), and an append touches only the lines it changes.
import * as assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LinesDocument } from '../../server/src/documents';

/** A small deterministic PRNG (mulberry32). */
function random(seed: number): () => number {
	return () => {
		seed = (seed + 0x6d2b79f5) | 0;
		let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const linesOf = (text: string) => text.split(/\r\n|\r|\n/);

describe('server documents: lines, changed in place', () => {
	it('give the same lines as the library after 2000 random incremental and full changes (CRLF, CR, LF)', () => {
		const rnd = random(42);
		const pieces = ['', 'a', 'level=error', '\n', '\r\n', '\r', 'time="x"\n', 'ÅÄÖ 😀', '\n\n', ' msg="y"\r\nz'];
		const text0 = 'time="2024" level=info msg="one"\r\nsecond line\nthird\r\n';
		const lib = TextDocument.create('file:///a.log', 'azcmagent-log', 1, text0);
		const ours = new LinesDocument('file:///a.log', 'azcmagent-log', 1, text0);
		let applied = 0;
		for (let v = 2; v < 2002; v++) {
			const n = lib.lineCount;
			const pos = () => {
				const line = Math.floor(rnd() * n);
				const len = linesOf(lib.getText())[line].length;
				return { line, character: Math.floor(rnd() * (len + 1)) };
			};
			let a = pos();
			let b = pos();
			if (b.line < a.line || (b.line === a.line && b.character < a.character)) [a, b] = [b, a];
			const text = pieces[Math.floor(rnd() * pieces.length)] + (rnd() < 0.3 ? pieces[Math.floor(rnd() * pieces.length)] : '');
			const change = rnd() < 0.01 ? { text } : { range: { start: a, end: b }, text };
			// Skip edits that split a CRLF pair: the two models count such a half pair differently by design.
			const full = lib.getText();
			const at = (p: { line: number; character: number }) => lib.offsetAt(p);
			if ('range' in change && (full[at(a) - 1] === '\r' || full[at(b) - 1] === '\r' || (text.endsWith('\r') && full[at(b)] === '\n') || (text.startsWith('\n') && full[at(a) - 1] === '\r'))) continue;
			applied++;
			TextDocument.update(lib, [change], v);
			ours.update([change], v);
			assert.deepEqual(linesOf(ours.getText()), linesOf(lib.getText()), `after change ${v}: ${JSON.stringify(change)}`);
			assert.equal(ours.lineCount, lib.lineCount);
		}
		assert.ok(applied > 900, `only ${applied} changes applied`);
	});

	it('snapshots a version: later changes do not change what an analysis in flight reads', () => {
		const d = new LinesDocument('file:///b.log', 'azcmagent-log', 1, 'one\ntwo');
		const snap = d.snapshot();
		d.update([{ range: { start: { line: 1, character: 3 }, end: { line: 1, character: 3 } }, text: '\nthree' }], 2);
		assert.deepEqual([snap.lineCount, snap.lineAt(1)], [2, 'two']);
		assert.deepEqual([d.lineCount, d.getText()], [3, 'one\ntwo\nthree']);
		assert.deepEqual(d.positionAt(d.offsetAt({ line: 2, character: 2 })), { line: 2, character: 2 });
	});
});
