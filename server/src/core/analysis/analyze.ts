// The analysis entry point: the CLI and the language server both call this (one way to do each thing).
import type { Analysis, AnalyzeOptions, LineSource } from '../model';
import { Analyzer } from './analyzer';

export { Analyzer };

/** Analyze a whole document. For files read from disk in chunks, push lines into an `Analyzer` instead. */
export function analyze(source: LineSource, options: AnalyzeOptions = {}): Analysis {
	const a = new Analyzer(options);
	const n = source.lineCount;
	for (let i = 0; i < n; i++) a.push(source.lineAt(i));
	return a.finish();
}
