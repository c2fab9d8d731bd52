// The server's text documents, kept as lines. vscode-languageserver-textdocument keeps one string and rebuilds it on
// every incremental change (it reads a character of the concatenation, which flattens it): appending a line to a
// 7.7 MB log copied 7.7 MB, and 1000 appends took the server half a minute. Here a change replaces the lines it
// touches; the analysis reads the lines as they are (a LineSource), without joining them.
import type { TextDocumentContentChangeEvent, TextDocuments } from 'vscode-languageserver';
import type { Position, Range, TextDocument } from 'vscode-languageserver-textdocument';
import type { LineSource } from './core/model';

const BREAK = /\r\n|\r|\n/;

export class LinesDocument implements TextDocument {
	private lines: string[];
	/** Offsets of line starts, built on demand (positionAt / offsetAt are rare here). */
	private offsets: number[] | undefined;

	constructor(
		readonly uri: string,
		readonly languageId: string,
		private _version: number,
		content: string,
	) {
		this.lines = content.split(BREAK);
	}

	get version(): number {
		return this._version;
	}

	get lineCount(): number {
		return this.lines.length;
	}

	/** The lines of this version (a snapshot: later changes do not affect it). */
	snapshot(): LineSource {
		const lines = this.lines.slice();
		return { lineCount: lines.length, lineAt: (i) => lines[i] ?? '' };
	}

	getText(range?: Range): string {
		const all = this.lines.join('\n');
		if (!range) return all;
		return all.slice(this.offsetAt(range.start), this.offsetAt(range.end));
	}

	/** The range of a line, without its line break. */
	getLineRange(line: number): Range {
		const l = Math.max(0, Math.min(line, this.lines.length - 1));
		return { start: { line: l, character: 0 }, end: { line: l, character: this.lines[l].length } };
	}

	/** Line breaks are kept as `\n` here (the analysis reads lines, not breaks); none after the last line. */
	getEOLCharacters(line: number): string {
		return line >= 0 && line < this.lines.length - 1 ? '\n' : '';
	}

	offsetAt(position: Position): number {
		const offsets = this.lineOffsets();
		if (position.line >= offsets.length) return offsets[offsets.length - 1] + this.lines[this.lines.length - 1].length;
		const line = Math.max(0, position.line);
		return offsets[line] + Math.max(0, Math.min(position.character, this.lines[line].length));
	}

	positionAt(offset: number): Position {
		const offsets = this.lineOffsets();
		let lo = 0;
		let hi = offsets.length - 1;
		while (lo < hi) {
			const mid = (lo + hi + 1) >> 1;
			if (offsets[mid] <= offset) lo = mid;
			else hi = mid - 1;
		}
		return { line: lo, character: Math.max(0, Math.min(offset - offsets[lo], this.lines[lo].length)) };
	}

	private lineOffsets(): number[] {
		if (!this.offsets) {
			this.offsets = [];
			let at = 0;
			for (const l of this.lines) {
				this.offsets.push(at);
				at += l.length + 1;
			}
		}
		return this.offsets;
	}

	update(changes: readonly TextDocumentContentChangeEvent[], version: number): void {
		for (const change of changes) {
			if (!('range' in change) || !change.range) {
				this.lines = change.text.split(BREAK);
				continue;
			}
			const last = this.lines.length - 1;
			const startLine = Math.min(Math.max(0, change.range.start.line), last);
			const endLine = Math.min(Math.max(startLine, change.range.end.line), last);
			const head = this.lines[startLine].slice(0, Math.max(0, change.range.start.character));
			const tail = this.lines[endLine].slice(Math.max(0, endLine === startLine ? Math.max(change.range.start.character, change.range.end.character) : change.range.end.character));
			const replaced = (head + change.text + tail).split(BREAK);
			if (replaced.length < 10_000) this.lines.splice(startLine, endLine - startLine + 1, ...replaced);
			else this.lines = this.lines.slice(0, startLine).concat(replaced, this.lines.slice(endLine + 1));
		}
		this.offsets = undefined;
		this._version = version;
	}
}

/** The configuration TextDocuments needs to keep LinesDocuments. */
export const LinesDocuments: ConstructorParameters<typeof TextDocuments<LinesDocument>>[0] = {
	create: (uri, languageId, version, content) => new LinesDocument(uri, languageId, version, content),
	update: (document, changes, version) => {
		document.update(changes, version);
		return document;
	},
};
