// arc-logs redact [--kinds ids,tokens,secrets,ips,hosts,users|all] [--locale en|sv|nl] [FILE|-]
// The log with its ids, tokens and secrets (and, when asked, addresses, host names and user names) replaced by
// stable placeholders, on stdout, as it is read: constant memory, one table of placeholders for the whole input.
// A file is read twice (the first pass names each GUID from any context that names it); standard input once.
import { statSync } from 'node:fs';
import type { Locale } from '../core/knowledge/types';
import { t } from '../core/l10n';
import { DEFAULT_REDACT_KINDS, parseKinds, REDACT_KINDS, Redactor } from '../core/redact';
import { safeLine } from '../core/report/report';
import { parseArgs, UsageError } from './args';
import { ByteDecoder, isBinary, isZip, LIMITS, readFileChunks, reason } from '../node/inputs';
import type { Io } from './main';

/**
 * Text in, lines out with their own breaks (LF, CRLF; a lone CR stays inside its line): `line(text, brk)` gets each
 * line without its LF. A line longer than LIMITS.maxLine is passed on in pieces cut at a space (values are not cut).
 */
class LineStream {
	private pending = '';
	constructor(private readonly line: (text: string, brk: string) => void) {}

	push(text: string): void {
		let start = 0;
		let nl = text.indexOf('\n');
		let pending = this.pending;
		while (nl >= 0) {
			let body = pending + text.slice(start, nl);
			pending = '';
			let brk = '\n';
			if (body.endsWith('\r')) {
				body = body.slice(0, -1);
				brk = '\r\n';
			}
			this.line(body, brk);
			start = nl + 1;
			nl = text.indexOf('\n', start);
		}
		pending += text.slice(start);
		while (pending.length > LIMITS.maxLine) {
			const space = pending.lastIndexOf(' ', LIMITS.maxLine);
			const cut = space > 0 ? space + 1 : LIMITS.maxLine;
			this.line(pending.slice(0, cut), '');
			pending = pending.slice(cut);
		}
		this.pending = pending;
	}

	end(): void {
		const last = this.pending;
		this.pending = '';
		if (last.endsWith('\r')) this.line(last.slice(0, -1), '\r');
		else if (last) this.line(last, '');
	}
}

/** Bytes through the decoder and the line stream into `line`. push() takes chunks, end() flushes. */
function byteLines(line: (text: string, brk: string) => void): { push(b: Uint8Array): void; end(): void } {
	const lines = new LineStream(line);
	const decoder = new ByteDecoder((text) => lines.push(text));
	return {
		push: (b) => decoder.push(b),
		end: () => {
			decoder.end();
			lines.end();
		},
	};
}

export async function runRedact(argv: readonly string[], io: Io): Promise<number> {
	const args = parseArgs(argv, { values: { '--kinds': undefined, '--locale': ['en', 'sv', 'nl'] }, switches: [] });
	const locale = (args.flags['--locale'] ?? 'en') as Locale;
	let kinds = DEFAULT_REDACT_KINDS;
	if (args.flags['--kinds'] !== undefined) {
		const parsed = parseKinds(args.flags['--kinds']);
		if (parsed.unknown.length || !parsed.kinds.length) {
			throw new UsageError(`--kinds takes a comma-separated list of ${REDACT_KINDS.join(', ')} or all (got '${args.flags['--kinds']}')`);
		}
		kinds = parsed.kinds;
	}
	if (args.positionals.length > 1) throw new UsageError('redact reads one FILE (or - for standard input)');
	const path = args.positionals[0] ?? '-';
	const redactor = new Redactor(kinds);
	let out = '';
	const flush = () => {
		if (out) io.stdout(out);
		out = '';
	};
	const emit = (text: string, brk: string) => {
		out += redactor.line(text) + brk;
		if (out.length >= 64 * 1024) flush();
	};
	const fail = (why: string) => {
		flush();
		io.stderr(`arc-logs: ${safeLine(`${path}: ${why}`)}\n`);
		return 2;
	};

	if (path === '-') {
		if (!io.stdin) return fail(t(locale, 'no standard input to read'));
		const stream = byteLines(emit);
		let first = true;
		try {
			for await (const chunk of io.stdin) {
				if (first && chunk.length) {
					first = false;
					if (isBinary(chunk.subarray(0, 8192))) return fail(t(locale, 'binary file, not a text log'));
				}
				stream.push(chunk);
			}
		} catch (e) {
			stream.end();
			return fail(reason(e, locale));
		}
		stream.end();
	} else {
		try {
			const st = statSync(path);
			if (st.isDirectory()) return fail(t(locale, 'is a folder'));
			if (!st.isFile()) return fail(t(locale, 'not a regular file (a pipe, socket or device); not read. To redact a stream, pipe it into `arc-logs redact -`'));
			let head: Uint8Array | undefined;
			readFileChunks(path, (b) => {
				head = b.subarray(0, 8192);
				return false;
			});
			if (head && isZip(head.subarray(0, 4))) return fail(t(locale, 'a zip archive: redact reads one text file; unpack the archive and redact its logs one by one'));
			if (head && isBinary(head)) return fail(t(locale, 'binary file, not a text log'));
			// First pass: name the GUIDs; second: redact and write.
			const learn = byteLines((text) => redactor.learn(text));
			readFileChunks(path, (b) => learn.push(b));
			learn.end();
			const stream = byteLines(emit);
			readFileChunks(path, (b) => stream.push(b));
			stream.end();
		} catch (e) {
			return fail(reason(e, locale));
		}
	}
	flush();
	io.stderr(`arc-logs: ${t(locale, 'redacted {0} values ({1} distinct): {2}', redactor.replaced, redactor.distinct, kinds.join(', '))}\n`);
	return 0;
}
