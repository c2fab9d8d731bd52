// arc-logs scan [--format text|json|sarif] [--locale en|sv|nl] [--output FILE] [--exit-zero] PATH...
import { statSync, readFileSync, writeFileSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Locale } from '../core/knowledge/types';
import type { Analysis } from '../core/model';
import { buildCase, firstFailureLine, provideCaseFailures } from '../core/features/case';
import { defaultSettings } from '../core/features/settings';
import { t } from '../core/l10n';
import { renderJson, renderSarif, renderText, safeLine, type FileReport, type Report } from '../core/report/report';
import { parseArgs, UsageError } from './args';
import { byteAnalyzer, LIMITS, isBinary, isZip, readFileChunks, readHead, readZip, reason, safeEntryName, walkFolder, wantFile, type Fed, type FoundFile } from '../node/inputs';
import type { Io } from './main';

function report(path: string, fed: Fed, archive?: FileReport['archive']): FileReport {
	const a = fed.analysis;
	const r: FileReport = { path, archive, format: a.format, lineCount: a.lineCount, findings: a.findings, ...(fed.notices.length ? { notices: fed.notices } : {}) };
	analysisOf.set(r, a);
	return r;
}

/** The analyses behind the reports: the files are lined up in time by their records (firstFailureAcross). */
const analysisOf = new WeakMap<FileReport, Analysis>();

/**
 * Which failure came first across the files of a scan (two or more files: a folder, a bundle), as one line for the
 * text report; the files are lined up in time per machine as the editor's Failures view does (core/features/case.ts).
 */
export function firstFailureAcross(files: readonly FileReport[], locale: Locale): string | undefined {
	if (files.length < 2) return undefined;
	const logs = files.flatMap((f) => {
		const analysis = analysisOf.get(f);
		const path = f.path.replace(/\\/g, '/');
		return analysis ? [{ uri: path, path, analysis, settings: defaultSettings }] : [];
	});
	const first = provideCaseFailures(buildCase(logs), '', '', locale).first;
	return first ? safeLine(firstFailureLine(first, locale) ?? '') : undefined;
}

/** Analyze one input read chunk by chunk (a file, stdin): its report, and a problem when it was cut off. */
function scanChunks(path: string, locale: Locale, read: (sink: (b: Uint8Array) => boolean) => void, problems: string[]): FileReport {
	const a = byteAnalyzer(locale, basename(path));
	read((b) => a.push(b));
	const fed = a.finish();
	if (fed.truncated) problems.push(`${path}: ${fed.truncated}`);
	return report(path, fed);
}

export function scanFile(path: string, locale: Locale, problems: string[] = []): FileReport {
	return scanChunks(path, locale, (sink) => readFileChunks(path, sink), problems);
}

/** Every log in a zip bundle; entries are analyzed as they inflate. `notes` get what was skipped on purpose. */
export function scanZip(path: string, locale: Locale, problems: string[], notes: string[]): FileReport[] {
	const size = statSync(path).size;
	if (size > LIMITS.maxZipBytes) throw new Error(t(locale, 'zip archive larger than {0} MB; not read', LIMITS.maxZipBytes / (1024 * 1024)));
	const bytes = readFileSync(path);
	if (!isZip(bytes.subarray(0, 4))) throw new Error(t(locale, 'not a zip archive (no zip signature)'));
	const files: FileReport[] = [];
	/** An entry is reported as `bundle.zip!/entry`, with a name that cannot point outside the archive. */
	const where = (entry: string) => `${path}!/${entry}`;
	let current: { name: string; a: ReturnType<typeof byteAnalyzer>; head: Uint8Array[]; headBytes: number; decided: boolean; wanted: boolean } | undefined;
	let sawEntry = false;
	const errors = readZip(
		bytes,
		{
			begin(raw) {
				sawEntry = true;
				const name = safeEntryName(raw);
				if (/\.zip$/i.test(name)) {
					notes.push(`${where(name)}: ${t(locale, 'nested zip archive not scanned (unpack it and scan the folder)')}`);
					return false;
				}
				current = { name, a: byteAnalyzer(locale, basename(name)), head: [], headBytes: 0, decided: false, wanted: false };
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
				files.push(report(where(c.name), fed, { path, entry: c.name }));
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

export async function runScan(argv: readonly string[], io: Io): Promise<number> {
	const args = parseArgs(argv, {
		values: { '--format': ['text', 'json', 'sarif'], '--locale': ['en', 'sv', 'nl'], '--output': undefined, '-o': undefined },
		switches: ['--exit-zero', '--no-color', '--color'],
	});
	if (!args.positionals.length) throw new UsageError('scan needs at least one PATH (a file, a folder or a .zip bundle)');
	const locale = (args.flags['--locale'] ?? 'en') as Locale;
	const format = args.flags['--format'] ?? 'text';
	const output = args.flags['--output'] ?? args.flags['-o'];
	/** The report may not replace what it reports on: a PATH, or a file found in a folder. */
	const refuseOutput = (inputs: readonly string[]): boolean => {
		if (output === undefined || !inputs.some((p) => p !== '-' && sameFile(p, output))) return false;
		io.stderr(`arc-logs: ${safeLine(t(locale, '--output {0} is one of the inputs; it would be overwritten by the report: nothing done', output))}\n`);
		return true;
	};
	if (refuseOutput(args.positionals)) return 2;

	const problems: string[] = [];
	const notes: string[] = [];
	const files: FileReport[] = [];
	const walked: string[] = [];
	for (const path of args.positionals) {
		if (path === '-') {
			if (!io.stdin) problems.push(`-: ${t(locale, 'no standard input to read')}`);
			else {
				// Analyzed as it arrives; once cut off at the limits, the rest is not read.
				const a = byteAnalyzer(locale, '-');
				try {
					for await (const c of io.stdin) if (!a.push(c)) break;
				} catch (e) {
					problems.push(`-: ${reason(e, locale)}`);
				}
				const fed = a.finish();
				if (fed.truncated) problems.push(`-: ${fed.truncated}`);
				files.push(report('-', fed));
			}
			continue;
		}
		let st;
		try {
			st = statSync(path);
		} catch (e) {
			problems.push(`${path}: ${reason(e, locale)}`);
			continue;
		}
		const found: FoundFile[] = [];
		if (st.isDirectory()) {
			walkFolder(path, found, problems, locale, notes);
			walked.push(...found.map((f) => f.path));
			if (!found.length) problems.push(`${path}: ${t(locale, 'no log files in this folder (known log names, or text files whose content is one of the formats)')}`);
		} else if (st.isFile()) found.push({ path, kind: /\.zip$/i.test(path) ? 'zip' : 'file' });
		else {
			// A pipe without a writer would block forever; a device may never end.
			problems.push(`${path}: ${t(locale, 'not a regular file (a pipe, socket or device); not read. To scan a stream, pipe it into `arc-logs scan -`')}`);
		}
		for (const f of found) {
			try {
				if (f.kind === 'zip' || isZip(readHead(f.path, 4))) {
					files.push(...scanZip(f.path, locale, problems, notes));
					continue;
				}
				if (isBinary(readHead(f.path, 8192))) {
					problems.push(`${f.path}: ${t(locale, 'binary file, not a text log')}`);
					continue;
				}
				files.push(scanFile(f.path, locale, problems));
			} catch (e) {
				problems.push(`${f.path}: ${reason(e, locale)}`);
			}
		}
	}
	if (refuseOutput(walked)) return 2;
	for (const f of files) for (const n of f.notices ?? []) notes.push(`${f.path}: ${n}`);
	// File and entry names come from strangers: escaped on stderr like on stdout.
	for (const p of [...notes, ...problems]) io.stderr(`arc-logs: ${safeLine(p)}\n`);

	const r: Report = { files, locale, problems };
	const color = output ? false : args.switches.has('--color') || (io.isTTY && !args.switches.has('--no-color'));
	const first = format === 'text' ? firstFailureAcross(files, locale) : undefined;
	const text = format === 'json' ? renderJson(r) : format === 'sarif' ? renderSarif(r) : renderText(r, color) + (first ? `${first}\n` : '');
	if (output) {
		try {
			writeAtomically(output, text);
		} catch (e) {
			io.stderr(`arc-logs: ${safeLine(`${output}: ${reason(e, locale)}`)}\n`);
			return 2;
		}
	} else io.stdout(text);

	if (problems.length) return 2;
	if (args.switches.has('--exit-zero')) return 0;
	return files.some((f) => f.findings.some((x) => x.severity === 'error')) ? 1 : 0;
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

/** Write `text` to a temporary file beside `path`, then rename it over `path`: a failed write leaves the old file. */
function writeAtomically(path: string, text: string): void {
	const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now().toString(36)}.tmp`);
	try {
		writeFileSync(tmp, text, { flag: 'wx' });
		renameSync(tmp, path);
	} catch (e) {
		rmSync(tmp, { force: true });
		throw e;
	}
}
