// The records an analysis keeps. A record is a few plain fields (format, lines, level) and a reference to its head
// line; its time, spans, fields and message are what that line parses to. They are kept while the record is read
// (its continuation lines may still come) and re-read from the line when asked for after that (a hover, a symbol,
// the resolution of a finding): a log of 300,000 records is not kept as millions of small objects.
import type { FormatId, Level, LogRecord } from '../model';
import { parseLine, type Head } from '../formats/parse';

const PLAIN_LEVEL = /^\s{0,4}(ERROR|FATAL|CRITICAL|WARNING|WARN|E|W):\s/;

/** A line no format claims: script output, a pasted sentence; `ERROR:` / `E:` prefixes still give it a level. */
export function plainHead(text: string, line: number): Head {
	const m = PLAIN_LEVEL.exec(text);
	const level: Level | undefined = m ? (m[1][0] === 'E' || m[1] === 'CRITICAL' ? 'error' : m[1][0] === 'F' ? 'fatal' : 'warning') : undefined;
	const indent = m ? m[0].length - m[0].trimStart().length : 0;
	return {
		format: 'plain',
		level,
		levelSpan: m ? { line, start: indent, end: indent + m[1].length } : undefined,
		message: text,
		messageSpan: { line, start: 0, end: text.length },
		fields: [],
	};
}

/**
 * Heads read again after their record was settled (a finding's record, its cause, its neighbours: resolution, hovers,
 * symbols), the most recent ones only. Kept on each record, they were 90 MB of a 50 MB log with 22,000 findings
 * (every error record's parse, for as long as the analysis lived); here at most this many live at once.
 */
const REREAD = 1024;
const reread = new Map<KeptRecord, Head>();

/**
 * A new analysis starts: the heads read again for the ones before are let go (they would keep those analyses' lines
 * alive, and with them the chunks of text the lines were cut from: a worker scanning a fleet grew by 90 MB).
 */
export function forgetReread(): void {
	reread.clear();
}

export class KeptRecord implements LogRecord {
	readonly format: FormatId;
	readonly level?: Level;
	endLine: number;
	/** The parsed head line, while the record is read (then `reread` keeps it for a while when asked for). */
	private parsed: Head | undefined;
	/** The message once continuation lines extended it (else the head's). */
	private extended: string | undefined;

	constructor(
		head: Head,
		readonly startLine: number,
		/** The head line as parsed (a monster line's scanned prefix). */
		private readonly headLine: string,
	) {
		this.format = head.format;
		this.level = head.level;
		this.endLine = startLine;
		this.parsed = head;
	}

	private head(): Head {
		if (this.parsed) return this.parsed;
		let h = reread.get(this);
		if (!h) {
			h = this.parse();
			reread.set(this, h);
			if (reread.size > REREAD) reread.delete(reread.keys().next().value!);
		}
		return h;
	}

	/** The head with its fields and time read (a partial head is read again). */
	private full(): Head {
		const h = this.head();
		// Only a head read from the stream is partial (one read again is whole): the record is still being read.
		return h.partial ? (this.parsed = this.parse()) : h;
	}

	private parse(): Head {
		return parseLine(this.headLine, this.startLine).head ?? plainHead(this.headLine, this.startLine);
	}

	get time(): LogRecord['time'] {
		return this.full().time;
	}
	get levelSpan(): LogRecord['levelSpan'] {
		return this.head().levelSpan;
	}
	get message(): string {
		return this.extended ?? this.head().message;
	}
	set message(text: string) {
		this.extended = text;
	}
	get messageSpan(): LogRecord['messageSpan'] {
		return this.head().messageSpan;
	}
	get fields(): LogRecord['fields'] {
		return this.full().fields;
	}
	get source(): LogRecord['source'] {
		return this.head().source;
	}

	/** No more lines will continue this record: forget the parsed head (it is re-read when asked for). */
	settle(): void {
		this.parsed = undefined;
	}

	/** A copy that can go on being continued on its own (a fork of the analysis). */
	copy(): KeptRecord {
		const c = new KeptRecord(this.head(), this.startLine, this.headLine);
		c.endLine = this.endLine;
		c.extended = this.extended;
		return c;
	}

	/** The plain record (JSON output, comparisons). */
	toJSON(): LogRecord {
		const { format, startLine, endLine, time, level, levelSpan, message, messageSpan, fields, source } = this;
		return { format, startLine, endLine, time, level, levelSpan, message, messageSpan, fields, source };
	}
}
