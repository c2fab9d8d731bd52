// The CLI's byte decoder (server/src/node/files.ts) decodes UTF-8 chunk by chunk without the streaming TextDecoder,
// cutting each chunk before a character it ends inside of. Property: for any bytes (valid UTF-8, truncated and
// invalid sequences, stray continuation bytes, overlong forms, surrogates, CR/LF) cut into any chunks, the text is
// the text of decoding all the bytes at once.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { ByteDecoder, utf8Cut } from '../../server/src/node/files';

const SEED = 20261204;

/** Bytes biased towards what breaks decoders: pieces of multi-byte characters and bytes that are never valid. */
const byte = fc.oneof(
	fc.integer({ min: 0, max: 255 }),
	fc.constantFrom(0x0a, 0x0d, 0x41, 0x80, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff, 0xa0, 0x9f),
);
const piece = fc.oneof(
	fc.array(byte, { maxLength: 12 }).map((b) => Uint8Array.from(b)),
	fc.string({ unit: 'grapheme', maxLength: 12 }).map((s) => new Uint8Array(Buffer.from(s, 'utf8'))),
	fc.string({ unit: 'grapheme', maxLength: 12 }).map((s) => new Uint8Array(Buffer.from(s, 'utf8')).subarray(1)),
);

function decodeChunked(bytes: Uint8Array, cuts: readonly number[]): string {
	let out = '';
	const d = new ByteDecoder((t) => (out += t));
	const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
	let start = 0;
	for (const c of [...at, bytes.length]) {
		d.push(bytes.subarray(start, c));
		start = c;
	}
	d.end();
	return out;
}

describe('the byte decoder', () => {
	it('gives the text of decoding all the bytes at once, however they are chunked', () => {
		fc.assert(
			fc.property(fc.array(piece, { maxLength: 30 }), fc.array(fc.nat(), { maxLength: 10 }), (pieces, cuts) => {
				// A leading ASCII byte: no BOM and no UTF-16 guess (those have their own tests).
				const bytes = Uint8Array.from([0x78, ...pieces.flatMap((p) => [...p])]);
				assert.equal(decodeChunked(bytes, cuts), new TextDecoder('utf-8').decode(bytes));
			}),
			{ seed: SEED, numRuns: 5000 },
		);
	});

	it('cuts only before a character the bytes end inside of', () => {
		assert.equal(utf8Cut(Uint8Array.from([0x41, 0xe2, 0x82])), 1);
		assert.equal(utf8Cut(Uint8Array.from([0x41, 0xe2, 0x82, 0xac])), 4);
		assert.equal(utf8Cut(Uint8Array.from([0x41, 0xf0])), 1);
		assert.equal(utf8Cut(Uint8Array.from([0x41, 0xff])), 2);
		assert.equal(utf8Cut(Uint8Array.from([0x80, 0x80, 0x80, 0x80])), 4);
		assert.equal(utf8Cut(new Uint8Array(0)), 0);
	});
});
