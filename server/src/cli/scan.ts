// arc-logs scan [--format text|json|jsonl|sarif] [--locale en|sv|nl] [--output FILE] [--jobs N] [--exit-zero] PATH...
// Inputs are scanned in process (--jobs 1, or a single input) or on a worker_threads pool, and reported in the order
// of the inputs either way. Between scanning and printing only compact per-file results are kept (findings, never an
// analysis); text and jsonl are printed per file as soon as every earlier input is done.
import { statSync, readFileSync, openSync, writeSync, closeSync, renameSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { Locale } from '../core/knowledge/types';
import { Analyzer } from '../core/analysis/analyze';
import type { Analysis } from '../core/model';
import { buildCase, firstFailureLine, provideCaseFailures, type CaseFailure } from '../core/features/case';
import { defaultSettings } from '../core/features/settings';
import { t } from '../core/l10n';
import { renderJson, renderSarif, renderTextFile, renderTextSummary, safeLine, type Report } from '../core/report/report';
import { describeArchiveProblem, isGzip, isTar, openArchive } from '../core/archive';
import { parseArgs, UsageError } from './args';
import { isZip, readZipFile, safeEntryName, walkFolder, wantFile, type FoundFile } from '../node/inputs';
import { byteAnalyzer, isBinary, LIMITS, readFileChunks, readHead, reason, type Fed } from '../node/files';
import { findingContexts, renderJsonlFile, type ScannedFile } from './jsonl';
import { POOL, ScanPool, type UnitOptions, type UnitResult } from './pool';
import type { Io } from './main';

/** A fresh analyzer for one input, fed with bytes (node/files.ts). */
function fileAnalyzer(locale: Locale, fileName: string): ReturnType<typeof byteAnalyzer> {
	return byteAnalyzer(new Analyzer({ locale, fileName }), locale);
}

function report(path: string, fed: Fed, options: UnitOptions, archive?: ScannedFile['archive']): ScannedFile {
	const a = fed.analysis;
	const r: ScannedFile = {
		path,
		archive,
		format: a.format,
		lineCount: a.lineCount,
		findings: a.findings,
		...(fed.notices.length ? { notices: fed.notices } : {}),
		...(options.context ? { contexts: findingContexts(a) } : {}),
	};
	analysisOf.set(r, a);
	return r;
}

/** The analyses behind the reports of the unit being scanned (firstFailure lines its files up in time). */
const analysisOf = new WeakMap<ScannedFile, Analysis>();

/**
 * Which failure came first among the files of one unit (the logs of a bundle), lined up in time per machine as the
 * editor's Failures view does (core/features/case.ts). Across units, the CLI compares these by their time.
 */
function firstFailure(files: readonly ScannedFile[], locale: Locale): CaseFailure | undefined {
	const logs = files.flatMap((f) => {
		const analysis = analysisOf.get(f);
		const path = f.path.replace(/\\/g, '/');
		return analysis ? [{ uri: path, path, analysis, settings: defaultSettings }] : [];
	});
	return logs.length ? provideCaseFailures(buildCase(logs), '', '', locale).first : undefined;
}

/** Analyze one input read chunk by chunk (a file, stdin): its report, and a problem when it was cut off. */
function scanChunks(path: string, options: UnitOptions, read: (sink: (b: Uint8Array) => boolean) => void, problems: string[]): ScannedFile {
	const a = fileAnalyzer(options.locale, basename(path));
	read((b) => a.push(b));
	const fed = a.finish();
	if (fed.truncated) problems.push(`${path}: ${fed.truncated}`);
	return report(path, fed, options);
}

export function scanFile(path: string, options: UnitOptions, problems: string[] = []): ScannedFile {
	return scanChunks(path, options, (sink) => readFileChunks(path, sink), problems);
}

/**
 * Every log in a zip bundle; entries are read one at a time from the file (zip.ts) and analyzed as they inflate.
 * `notes` get what was skipped on purpose.
 */
export function scanZip(path: string, options: UnitOptions, problems: string[], notes: string[]): ScannedFile[] {
	const { locale } = options;
	const size = statSync(path).size;
	if (size > LIMITS.maxZipBytes) throw new Error(t(locale, 'zip archive larger than {0} MB; not read', LIMITS.maxZipBytes / (1024 * 1024)));
	if (!isZip(readHead(path, 4))) throw new Error(t(locale, 'not a zip archive (no zip signature)'));
	const files: ScannedFile[] = [];
	/** An entry is reported as `bundle.zip!/entry`, with a name that cannot point outside the archive. */
	const where = (entry: string) => `${path}!/${entry}`;
	let current: { name: string; a: ReturnType<typeof fileAnalyzer>; head: Uint8Array[]; headBytes: number; decided: boolean; wanted: boolean } | undefined;
	let sawEntry = false;
	const errors = readZipFile(
		path,
		{
			begin(raw) {
				sawEntry = true;
				const name = safeEntryName(raw);
				if (/\.zip$/i.test(name)) {
					notes.push(`${where(name)}: ${t(locale, 'nested zip archive not scanned (unpack it and scan the folder)')}`);
					return false;
				}
				current = { name, a: fileAnalyzer(locale, basename(name)), head: [], headBytes: 0, decided: false, wanted: false };
				return true;
			},
			data(chunk) {
				const c = current!;
				if (!c.decided) {
					// The head is kept until it is long enough to decide; then it is analyzed once, with this chunk in it.
					c.head.push(chunk);
					c.headBytes += chunk.length;
					if (c.headBytes < LIMITS.sniffBytes) return true;
					return decide(c);
				}
				return c.wanted && c.a.push(chunk);
			},
			end(_raw, error) {
				const c = current;
				current = undefined;
				if (!c) return;
				if (!c.decided) decide(c);
				if (error) problems.push(`${where(c.name)}: ${error}`);
				if (!c.wanted) return;
				const fed = c.a.finish();
				if (fed.truncated) problems.push(`${where(c.name)}: ${fed.truncated}`);
				files.push(report(where(c.name), fed, options, { path, entry: c.name }));
			},
		},
		(e) =>
			e.kind === 'archive-limit'
				? t(locale, 'the archive inflates past {0} MB; cut off there, later entries not read (zip bomb?)', e.limit / (1024 * 1024))
				: e.kind === 'truncated'
					? t(locale, 'the archive ends inside this entry (truncated); what was read of it is analyzed')
					: t(locale, 'corrupt entry ({0}); what was read of it is analyzed', e.detail),
	);
	// An entry is analyzed when its name or its first bytes say it is a log of ours; other entries are skipped.
	function decide(c: NonNullable<typeof current>): boolean {
		c.decided = true;
		const head = Buffer.concat(c.head);
		c.head = [];
		c.wanted = !isBinary(head.subarray(0, 8192)) && wantFile(c.name, () => head);
		return c.wanted && c.a.push(head);
	}
	for (const e of errors) {
		problems.push(
			`${path}: ${
				e.kind === 'too-many-entries'
					? t(locale, 'more than {0} entries; the rest is not scanned', e.limit)
					: e.kind === 'unsupported-compression'
						? `${safeEntryName(e.entry)}: ${t(locale, 'unsupported compression method {0}', e.method)}`
						: t(locale, 'damaged zip archive ({0}); the entries before the damage were scanned', e.detail)
			}`,
		);
	}
	if (!sawEntry) throw new Error(t(locale, 'corrupt or empty zip archive (no entries could be read)'));
	return files;
}

/** Every log in a tar or tar.gz bundle (`cloud-init collect-logs`), read through the core's archive reader. */
export function scanTar(path: string, options: UnitOptions, problems: string[], notes: string[]): ScannedFile[] {
	const { locale } = options;
	const size = statSync(path).size;
	if (size > LIMITS.maxZipBytes) throw new Error(t(locale, 'archive larger than {0} MB; not read', LIMITS.maxZipBytes / (1024 * 1024)));
	const archive = openArchive(readFileSync(path));
	if (!archive.members.length) throw new Error(archive.problems.map((p) => describeArchiveProblem(p, locale)).join('; '));
	for (const p of archive.problems) problems.push(`${path}: ${describeArchiveProblem(p, locale)}`);
	const files: ScannedFile[] = [];
	for (const m of archive.members) {
		const where = `${path}!/${m.name}`;
		if (/\.(?:zip|tar|tgz|gz)$/i.test(m.name)) {
			notes.push(`${where}: ${t(locale, 'nested archive not scanned (unpack it and scan the folder)')}`);
			continue;
		}
		const r = archive.read(m.name);
		if ('error' in r) {
			problems.push(`${where}: ${describeArchiveProblem(r.error, locale)}`);
			continue;
		}
		const head = r.bytes.subarray(0, LIMITS.sniffBytes);
		if (isBinary(head.subarray(0, 8192)) || !wantFile(m.name, () => head)) continue;
		const a = fileAnalyzer(locale, basename(m.name));
		const step = 1024 * 1024;
		for (let i = 0; i < r.bytes.length && a.push(r.bytes.subarray(i, i + step)); i += step);
		const fed = a.finish();
		if (fed.truncated) problems.push(`${where}: ${fed.truncated}`);
		files.push(report(where, fed, options, { path, entry: m.name }));
	}
	return files;
}

/** Scan one file or zip bundle found among the inputs (in process or in a worker: the same function). */
export function scanUnit(f: FoundFile, options: UnitOptions): UnitResult {
	const problems: string[] = [];
	const notes: string[] = [];
	const files: ScannedFile[] = [];
	try {
		const head = readHead(f.path, 512);
		if (f.kind === 'zip' || isZip(head)) files.push(...scanZip(f.path, options, problems, notes));
		else if (isGzip(head) || isTar(head)) files.push(...scanTar(f.path, options, problems, notes));
		else if (isBinary(readHead(f.path, 8192))) problems.push(`${f.path}: ${t(options.locale, 'binary file, not a text log')}`);
		else files.push(scanFile(f.path, options, problems));
	} catch (e) {
		problems.push(`${f.path}: ${reason(e, options.locale)}`);
	}
	for (const x of files) for (const n of x.notices ?? []) notes.push(`${x.path}: ${n}`);
	const first = options.firstFailure ? firstFailure(files, options.locale) : undefined;
	return { files, problems, notes, ...(first ? { first } : {}) };
}

/** Standard input (`-`), analyzed as it arrives; once cut off at the limits, the rest is not read. */
async function scanStdin(io: Io, options: UnitOptions): Promise<UnitResult> {
	const { locale } = options;
	if (!io.stdin) return { files: [], problems: [`-: ${t(locale, 'no standard input to read')}`], notes: [] };
	const problems: string[] = [];
	const a = fileAnalyzer(locale, '-');
	try {
		for await (const c of io.stdin) if (!a.push(c)) break;
	} catch (e) {
		problems.push(`-: ${reason(e, locale)}`);
	}
	const fed = a.finish();
	if (fed.truncated) problems.push(`-: ${fed.truncated}`);
	const file = report('-', fed, options);
	return { files: [file], problems, notes: (file.notices ?? []).map((n) => `-: ${n}`) };
}

const HELP = `usage: arc-logs scan [--format text|json|jsonl|sarif] [--locale en|sv|nl] [--output FILE] [--jobs N] [--exit-zero] PATH...

  PATH            a log file, a folder (recursively: known log names and files whose content is a log of ours),
                  a .zip bundle (entries streamed, nothing extracted), a .tar.gz/.tgz/.tar bundle (recognised by
                  content, read in memory), or - for standard input
  --format        text (default), json (one document), jsonl (one finding per line), sarif (SARIF 2.1.0)
  --locale        the language of messages and remediations (en, sv, nl)
  --output, -o    write the report to FILE (replaced atomically) instead of standard output
  --jobs N        inputs scanned at once on worker threads (default: the cores available; 1: in this process);
                  the output is the same, in the order of the inputs, whatever N is
  --exit-zero     exit 0 even when there are error findings

jsonl: one JSON object per finding and line, every line with the same keys (null when unknown):
  schema "${'arc-logs.finding/1'}", tool, version, file (the file on disk; for a zip entry the archive), member (the
  entry in the archive, or null), format, line, column, endLine, endColumn (1-based, UTF-16 columns), id, kind,
  severity (error|warning|info|hint), message, entry (knowledge id), url (the article), remediation (first step),
  explainedBy, captures, related [{line, column, message}], time (UTC ISO 8601 of the finding's record), timeText
  (the time as written), run, boot, stage, script ({name, line, endLine, outcome, detail}: the innermost section of
  that kind holding the finding), locale. Problems with inputs go to stderr, as for the other formats.

Exit 0: no error-level finding, 1: error findings, 2: bad usage or unreadable input (a reason on stderr).
`;

export async function runScan(argv: readonly string[], io: Io): Promise<number> {
	const args = parseArgs(argv, {
		values: { '--format': ['text', 'json', 'jsonl', 'sarif'], '--locale': ['en', 'sv', 'nl'], '--output': undefined, '-o': undefined, '--jobs': undefined, '-j': undefined },
		switches: ['--exit-zero', '--no-color', '--color', '-h', '--help'],
	});
	if (args.switches.has('-h') || args.switches.has('--help')) {
		io.stdout(HELP);
		return 0;
	}
	if (!args.positionals.length) throw new UsageError('scan needs at least one PATH (a file, a folder or a .zip bundle)');
	const locale = (args.flags['--locale'] ?? 'en') as Locale;
	const format = args.flags['--format'] ?? 'text';
	const output = args.flags['--output'] ?? args.flags['-o'];
	const jobsFlag = args.flags['--jobs'] ?? args.flags['-j'];
	if (jobsFlag !== undefined && !/^[1-9]\d{0,3}$/.test(jobsFlag)) throw new UsageError(`--jobs must be a whole number from 1 (got '${jobsFlag}')`);
	const jobs = jobsFlag !== undefined ? Number(jobsFlag) : availableParallelism();
	/** The report may not replace what it reports on: a PATH, or a file found in a folder. */
	const refuseOutput = (inputs: readonly string[]): boolean => {
		if (output === undefined || !inputs.some((p) => p !== '-' && sameFile(p, output))) return false;
		io.stderr(`arc-logs: ${safeLine(t(locale, '--output {0} is one of the inputs; it would be overwritten by the report: nothing done', output))}\n`);
		return true;
	};
	if (refuseOutput(args.positionals)) return 2;

	// 1. What to scan, in order: folders are walked first (their names only), so that --output is checked against them.
	let problemCount = 0;
	const problems: string[] = [];
	/** File and entry names come from strangers: escaped on stderr like on stdout. */
	const say = (p: string) => io.stderr(`arc-logs: ${safeLine(p)}\n`);
	const problem = (p: string) => {
		problemCount++;
		if (format === 'json' || format === 'sarif') problems.push(p);
		say(p);
	};
	const units: (FoundFile | 'stdin')[] = [];
	const walked: string[] = [];
	for (const path of args.positionals) {
		if (path === '-') {
			units.push('stdin');
			continue;
		}
		let st;
		try {
			st = statSync(path);
		} catch (e) {
			problem(`${path}: ${reason(e, locale)}`);
			continue;
		}
		if (st.isDirectory()) {
			const found: FoundFile[] = [];
			const walkProblems: string[] = [];
			const walkNotes: string[] = [];
			walkFolder(path, found, walkProblems, locale, walkNotes);
			walked.push(...found.map((f) => f.path));
			if (!found.length) walkProblems.push(`${path}: ${t(locale, 'no log files in this folder (known log names, or text files whose content is one of the formats)')}`);
			walkNotes.forEach(say);
			walkProblems.forEach(problem);
			units.push(...found);
		} else if (st.isFile()) units.push({ path, kind: /\.zip$/i.test(path) ? 'zip' : 'file' });
		// A pipe without a writer would block forever; a device may never end.
		else problem(`${path}: ${t(locale, 'not a regular file (a pipe, socket or device); not read. To scan a stream, pipe it into `arc-logs scan -`')}`);
	}
	if (refuseOutput(walked)) return 2;

	// 2. Where the report goes: stdout, or a temporary file beside --output that replaces it at the end.
	let sink: ReportSink;
	try {
		sink = output ? fileSink(output) : { write: io.stdout, commit: () => undefined, abort: () => undefined };
	} catch (e) {
		say(`${output}: ${reason(e, locale)}`);
		return 2;
	}

	// 3. Scan and print in input order.
	const single = units.length === 1 && units[0] !== 'stdin' && units[0].kind === 'file';
	const options: UnitOptions = { locale, context: format === 'jsonl', firstFailure: format === 'text' && !single };
	const color = output ? false : args.switches.has('--color') || (io.isTTY && !args.switches.has('--no-color'));
	const kept: ScannedFile[] = [];
	const counts = { error: 0, warning: 0, info: 0, hint: 0 };
	let fileCount = 0;
	let first: CaseFailure | undefined;
	const deliver = (r: UnitResult) => {
		// The earliest failure across the units: by time where both have one, else the one seen first.
		if (r.first && (!first || (r.first.time !== undefined && (first.time === undefined || r.first.time < first.time)))) first = r.first;
		r.notes.forEach(say);
		r.problems.forEach(problem);
		for (const f of r.files) {
			fileCount++;
			for (const x of f.findings) counts[x.severity]++;
			if (format === 'text') sink.write(renderTextFile(f, locale, color));
			else if (format === 'jsonl') sink.write(renderJsonlFile(f, locale));
			else kept.push(f);
		}
	};
	try {
		await scanInOrder(units, jobs, options, io, deliver);
		if (format === 'text') {
			sink.write(renderTextSummary(locale, counts, fileCount));
			const line = fileCount >= 2 ? firstFailureLine(first, locale) : undefined;
			if (line) sink.write(`${safeLine(line)}\n`);
		}
		else if (format === 'json' || format === 'sarif') {
			const r: Report = { files: kept, locale, problems };
			sink.write(format === 'json' ? renderJson(r) : renderSarif(r));
		}
		sink.commit();
	} catch (e) {
		sink.abort();
		if (!output) throw e;
		say(`${output}: ${reason(e, locale)}`);
		return 2;
	}

	if (problemCount) return 2;
	if (args.switches.has('--exit-zero')) return 0;
	return counts.error > 0 ? 1 : 0;
}

/**
 * Scan `units` and give their results to `deliver` in the order of `units`. With more than one job and more than one
 * file (and a CLI bundle for the workers to run), files and bundles go to a worker pool; at most a window of results
 * waits for an earlier, slower input, so what is held stays flat however many files there are. Standard input is read
 * here, in its turn.
 */
async function scanInOrder(units: readonly (FoundFile | 'stdin')[], jobs: number, options: UnitOptions, io: Io, deliver: (r: UnitResult) => void): Promise<void> {
	const files = units.filter((u) => u !== 'stdin').length;
	if (jobs <= 1 || files <= 1 || !POOL.script) {
		for (const u of units) deliver(u === 'stdin' ? await scanStdin(io, options) : scanUnit(u, options));
		return;
	}
	const pool = new ScanPool(Math.min(jobs, files), options);
	const window = Math.max(8, jobs * 4);
	const pending: (Promise<UnitResult> | undefined)[] = [];
	let next = 0;
	const deliverUpTo = async (end: number) => {
		for (; next < end; next++) {
			const u = units[next];
			deliver(await (u === 'stdin' ? scanStdin(io, options) : pending[next]!));
			pending[next] = undefined;
		}
	};
	try {
		for (let i = 0; i < units.length; i++) {
			const u = units[i];
			if (u !== 'stdin') pending[i] = pool.run(u);
			await deliverUpTo(i + 1 - window);
		}
		await deliverUpTo(units.length);
	} finally {
		await pool.close();
	}
}

interface ReportSink {
	write(text: string): void;
	/** The report is complete: put it in place. */
	commit(): void;
	/** Leave what was there before, and no temporary file. */
	abort(): void;
}

/** Write to a temporary file beside `path`, renamed over `path` at the end: a failed write leaves the old file. */
function fileSink(path: string): ReportSink {
	const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now().toString(36)}.tmp`);
	const fd = openSync(tmp, 'wx');
	let open = true;
	const close = () => {
		if (open) closeSync(fd);
		open = false;
	};
	return {
		write: (text) => {
			const b = Buffer.from(text);
			for (let at = 0; at < b.length; ) at += writeSync(fd, b, at, b.length - at);
		},
		commit: () => {
			close();
			try {
				renameSync(tmp, path);
			} catch (e) {
				rmSync(tmp, { force: true });
				throw e;
			}
		},
		abort: () => {
			close();
			rmSync(tmp, { force: true });
		},
	};
}

/** Whether `a` and `b` name the same existing file (also through links and different spellings of the path). */
function sameFile(a: string, b: string): boolean {
	try {
		const x = statSync(a);
		const y = statSync(b);
		return x.dev === y.dev && x.ino === y.ino;
	} catch {
		return false;
	}
}
