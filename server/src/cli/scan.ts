// arc-logs scan [--format text|json|sarif] [--locale en|sv|nl] [--output FILE] [--exit-zero] PATH...
import { statSync, readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Analysis } from '../core/model';
import type { Locale } from '../core/knowledge/types';
import { Analyzer } from '../core/analysis/analyze';
import { renderJson, renderSarif, renderText, type FileReport, type Report } from '../core/report/report';
import { parseArgs, UsageError } from './args';
import { ByteDecoder, LineSplitter, LIMITS, isBinary, isZip, readFileChunks, readHead, readZip, reason, walkFolder, wantFile, type FoundFile } from './inputs';
import type { Io } from './main';

/** Feed bytes through decoding and line splitting into a fresh analyzer. */
function byteAnalyzer(locale: Locale, fileName: string): { push(b: Uint8Array): void; finish(): Analysis } {
	const analyzer = new Analyzer({ locale, fileName });
	const split = new LineSplitter((l) => analyzer.push(l));
	const dec = new ByteDecoder((t) => split.push(t));
	return {
		push: (b) => dec.push(b),
		finish: () => {
			dec.end();
			split.end();
			return analyzer.finish();
		},
	};
}

function report(path: string, a: Analysis, archive?: FileReport['archive']): FileReport {
	return { path, archive, format: a.format, lineCount: a.lineCount, findings: a.findings };
}

export function scanFile(path: string, locale: Locale): FileReport {
	const a = byteAnalyzer(locale, basename(path));
	readFileChunks(path, (b) => a.push(b));
	return report(path, a.finish());
}

/** Every log in a zip bundle; entries are analyzed as they inflate. `notes` get what was skipped on purpose. */
export function scanZip(path: string, locale: Locale, problems: string[], notes: string[]): FileReport[] {
	const size = statSync(path).size;
	if (size > LIMITS.maxZipBytes) throw new Error(`zip archive larger than ${LIMITS.maxZipBytes} bytes`);
	const bytes = readFileSync(path);
	if (!isZip(bytes.subarray(0, 4))) throw new Error('not a zip archive (no zip signature)');
	const files: FileReport[] = [];
	let current: { name: string; a: ReturnType<typeof byteAnalyzer>; head: Uint8Array[]; headBytes: number; decided: boolean } | undefined;
	let sawEntry = false;
	const errors = readZip(bytes, {
		begin(name) {
			sawEntry = true;
			if (/\.zip$/i.test(name)) {
				notes.push(`${path}/${name}: nested zip archive not scanned (unpack it and scan the folder)`);
				return false;
			}
			current = { name, a: byteAnalyzer(locale, basename(name)), head: [], headBytes: 0, decided: false };
			return true;
		},
		data(chunk) {
			const c = current!;
			if (!c.decided) {
				c.head.push(chunk);
				c.headBytes += chunk.length;
				if (c.headBytes < LIMITS.sniffBytes) return;
				decide(c);
			}
			if (c.decided && c.name) c.a.push(chunk);
		},
		end(name, error) {
			const c = current;
			current = undefined;
			if (!c) return;
			if (!c.decided) decide(c);
			if (error) problems.push(`${path}/${name}: ${error}`);
			if (c.name) files.push(report(`${path}/${name}`, c.a.finish(), { path, entry: name }));
		},
	});
	// An entry is analyzed when its name or its first bytes say it is a log of ours; other entries are skipped.
	function decide(c: NonNullable<typeof current>): void {
		c.decided = true;
		const head = Buffer.concat(c.head);
		c.head = [];
		if (isBinary(head.subarray(0, 8192)) || !wantFile(c.name, () => head)) {
			c.name = '';
			return;
		}
		c.a.push(head);
	}
	for (const e of errors) problems.push(`${path}: ${e}`);
	if (!sawEntry) throw new Error('corrupt or empty zip archive (no entries could be read)');
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

	const problems: string[] = [];
	const notes: string[] = [];
	const files: FileReport[] = [];
	for (const path of args.positionals) {
		let st;
		try {
			st = statSync(path);
		} catch (e) {
			problems.push(`${path}: ${reason(e)}`);
			continue;
		}
		const found: FoundFile[] = [];
		if (st.isDirectory()) walkFolder(path, found, problems);
		else found.push({ path, kind: /\.zip$/i.test(path) ? 'zip' : 'file' });
		for (const f of found) {
			try {
				if (f.kind === 'zip' || isZip(readHead(f.path, 4))) {
					files.push(...scanZip(f.path, locale, problems, notes));
					continue;
				}
				if (isBinary(readHead(f.path, 8192))) {
					problems.push(`${f.path}: binary file, not a text log`);
					continue;
				}
				files.push(scanFile(f.path, locale));
			} catch (e) {
				problems.push(`${f.path}: ${reason(e)}`);
			}
		}
	}
	for (const p of [...notes, ...problems]) io.stderr(`arc-logs: ${p}\n`);

	const r: Report = { files, locale, problems };
	const color = output ? false : args.switches.has('--color') || (io.isTTY && !args.switches.has('--no-color'));
	const text = format === 'json' ? renderJson(r) : format === 'sarif' ? renderSarif(r) : renderText(r, color);
	if (output) {
		try {
			writeFileSync(output, text);
		} catch (e) {
			io.stderr(`arc-logs: ${output}: ${reason(e)}\n`);
			return 2;
		}
	} else io.stdout(text);

	if (problems.length) return 2;
	if (args.switches.has('--exit-zero')) return 0;
	return files.some((f) => f.findings.some((x) => x.severity === 'error')) ? 1 : 0;
}
