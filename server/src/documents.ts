// The server's text documents, kept as lines. vscode-languageserver-textdocument keeps one string and rebuilds it on
// every incremental change (it reads a character of the concatenation, which flattens it): appending a line to a
// 7.7 MB log copied 7.7 MB, and 1000 appends took the server half a minute. Here a change replaces the lines it
// touches; the analysis reads the lines as they are (a LineSource), without joining them.
import type { TextDocumentContentChangeEvent, TextDocuments } from 'vscode-languageserver';
import type { Position, Range, TextDocument } from 'vscode-languageserver-textdocument';
import type { LineSource } from './core/model';
import { lastAtOrBefore } from './core/search';

const BREAK = /\r\n|\r|\n/;

export class LinesDocument implements TextDocument {
	private lines: string[];
	/** Offsets of line starts, built on demand (positionAt / offsetAt are rare here). */
	private offsets: number[] | undefined;
	/** The first line each recent version changed (0 for a whole new text), newest last: for incremental analysis. */
	private changes: { version: number; line: number }[] = [];
	/** The last update only added text at the end of the document (a log that grows). */
	private appended = false;
	/** The version from which `changes` is complete. */
	private historyFrom: number;

	constructor(
		readonly uri: string,
		readonly languageId: string,
		private _version: number,
		content: string,
	) {
		this.lines = content.split(BREAK);
		this.historyFrom = _version;
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
		const lo = Math.max(0, lastAtOrBefore(offsets, (o) => o, offset));
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

	/**
	 * The first line that may differ between `version` and now: lines before it are the same text. 0 when the history
	 * does not reach back to `version`.
	 */
	firstChangedSince(version: number): number {
		if (version === this._version) return Infinity;
		let first = Infinity;
		for (let i = this.changes.length - 1; i >= 0; i--) {
			const c = this.changes[i];
			if (c.version <= version) return first;
			first = Math.min(first, c.line);
		}
		return version >= this.historyFrom ? first : 0;
	}

	/** Whether the last update only added text after the end of the previous version's last line. */
	get wasAppended(): boolean {
		return this.appended;
	}

	update(changes: readonly TextDocumentContentChangeEvent[], version: number): void {
		let first = Infinity;
		let appended = changes.length > 0;
		for (const change of changes) {
			if (!('range' in change) || !change.range) {
				this.lines = change.text.split(BREAK);
				first = 0;
				appended = false;
				continue;
			}
			const last = this.lines.length - 1;
			const startLine = Math.min(Math.max(0, change.range.start.line), last);
			first = Math.min(first, startLine);
			const atEnd = startLine === last && change.range.start.character >= this.lines[last].length && change.range.end.line >= last;
			if (!atEnd) appended = false;
			const endLine = Math.min(Math.max(startLine, change.range.end.line), last);
			const head = this.lines[startLine].slice(0, Math.max(0, change.range.start.character));
			const tail = this.lines[endLine].slice(Math.max(0, endLine === startLine ? Math.max(change.range.start.character, change.range.end.character) : change.range.end.character));
			const replaced = (head + change.text + tail).split(BREAK);
			if (replaced.length < 10_000) this.lines.splice(startLine, endLine - startLine + 1, ...replaced);
			else this.lines = this.lines.slice(0, startLine).concat(replaced, this.lines.slice(endLine + 1));
		}
		this.offsets = undefined;
		this._version = version;
		this.appended = appended;
		this.changes.push({ version, line: first });
		if (this.changes.length > 256) this.historyFrom = this.changes.splice(0, this.changes.length - 256).pop()!.version;
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
