// One pass over a line for many literal anchors at once (Aho–Corasick over char codes): whether the line, lower-cased
// as String.prototype.toLowerCase would, contains any of them. The analysis asks this first of every line and runs its
// matchers only where the answer is yes; most lines of a long log contain no anchor, and are done after one pass
// without a lower-cased copy.

/** A character class no anchor contains: the automaton goes back to its root. */
const NONE = 0;
/** A character whose lower case is more than one character (`İ` → `i̇`): the line is reported, to be safe. */
const UNSURE = 0xffff;

export class AnchorSet {
	/** Class of every UTF-16 code unit (its lower case's class). */
	private readonly classes = new Uint16Array(65536);
	private readonly width: number;
	/**
	 * Transition table: (state offset + class) → the next state's offset (state × width), or -1 where an anchor ends.
	 */
	private readonly next: Int32Array;
	/** The same transitions without the stop at an anchor's end: (state offset + class) → the next state's offset. */
	private readonly step: Int32Array;
	/** At a state's offset: where its anchors start in `outputs` (-1: none end there). */
	private readonly outputAt: Int32Array;
	/** Per state with anchors ending there, the positions (in the constructor's list) of those anchors, then -1. */
	private readonly outputs: Int32Array;
	/** How many anchors the constructor was given; the positions of empty ones (every text contains ''). */
	private readonly count: number;
	private readonly empty: readonly number[];

	constructor(anchors: Iterable<string>) {
		const given = [...anchors].map((a) => a.toLowerCase());
		this.count = given.length;
		this.empty = given.flatMap((a, i) => (a.length === 0 ? [i] : []));
		const words = [...new Set(given.filter((a) => a.length > 0))];
		const ids = new Map<number, number>();
		for (const w of words) for (let i = 0; i < w.length; i++) if (!ids.has(w.charCodeAt(i))) ids.set(w.charCodeAt(i), ids.size + 1);
		this.width = ids.size + 1;
		for (let c = 0; c < 65536; c++) {
			const lower = String.fromCharCode(c).toLowerCase();
			if (lower.length === 1) this.classes[c] = ids.get(lower.charCodeAt(0)) ?? NONE;
			else if ([...lower].some((ch) => ids.has(ch.charCodeAt(0)))) this.classes[c] = UNSURE;
		}
		// Σ lower-cases to σ or, at the end of a word, ς: whichever an anchor has, the context decides.
		if (ids.has(0x3c3) || ids.has(0x3c2)) this.classes[0x3a3] = UNSURE;
		// The trie, then the failure links breadth-first, folded into a full transition table.
		const trie: Map<number, number>[] = [new Map()];
		/** The word that ends at a state (words are distinct: one at most). */
		const wordAt = new Map<number, string>();
		for (const w of words) {
			let s = 0;
			for (let i = 0; i < w.length; i++) {
				const k = ids.get(w.charCodeAt(i))!;
				let n = trie[s].get(k);
				if (n === undefined) {
					n = trie.length;
					trie.push(new Map());
					trie[s].set(k, n);
				}
				s = n;
			}
			wordAt.set(s, w);
		}
		const go = new Int32Array(trie.length * this.width);
		const ends = new Uint8Array(trie.length);
		const fail = new Int32Array(trie.length);
		const queue = [0];
		/** Words ending at each state: its own and its failure state's (computed first, breadth-first). */
		const out: string[][] = [];
		for (let q = 0; q < queue.length; q++) {
			const s = queue[q];
			ends[s] = wordAt.has(s) || ends[fail[s]] ? 1 : 0;
			out[s] = [...(wordAt.has(s) ? [wordAt.get(s)!] : []), ...(s === 0 ? [] : out[fail[s]])];
			for (let k = 1; k < this.width; k++) {
				const n = trie[s].get(k);
				const viaFail = s === 0 ? 0 : go[fail[s] * this.width + k];
				if (n === undefined) go[s * this.width + k] = viaFail;
				else {
					go[s * this.width + k] = n;
					fail[n] = viaFail;
					queue.push(n);
				}
			}
		}
		this.next = go.map((n) => (ends[n] ? -1 : n * this.width));
		this.step = go.map((n) => n * this.width);
		const positions = new Map<string, number[]>();
		given.forEach((a, i) => positions.set(a, [...(positions.get(a) ?? []), i]));
		this.outputAt = new Int32Array(go.length).fill(-1);
		const list: number[] = [];
		out.forEach((ws, state) => {
			if (!ws.length) return;
			this.outputAt[state * this.width] = list.length;
			for (const w of ws) list.push(...positions.get(w)!);
			list.push(-1);
		});
		this.outputs = Int32Array.from(list);
	}

	/** Whether `text` (its first `limit` characters) lower-cased contains an anchor. */
	test(text: string, limit = text.length): boolean {
		const { classes, next } = this;
		const n = Math.min(limit, text.length);
		let s = 0;
		for (let i = 0; i < n; i++) {
			const k = classes[text.charCodeAt(i)];
			if (k === UNSURE) return true;
			s = next[s + k];
			if (s < 0) return true;
		}
		return false;
	}

	/**
	 * Which anchors `text` lower-cased contains: a flag per anchor, in the order the constructor was given them.
	 * Undefined where a character's lower case is ambiguous (İ, Σ): the caller then searches for each anchor itself.
	 */
	which(text: string): Uint8Array | undefined {
		const { classes, step, outputAt, outputs } = this;
		const flags = new Uint8Array(this.count);
		for (const i of this.empty) flags[i] = 1;
		let s = 0;
		for (let i = 0; i < text.length; i++) {
			const k = classes[text.charCodeAt(i)];
			if (k === UNSURE) return undefined;
			s = step[s + k];
			for (let o = outputAt[s]; o >= 0 && outputs[o] >= 0; o++) flags[outputs[o]] = 1;
		}
		return flags;
	}
}
