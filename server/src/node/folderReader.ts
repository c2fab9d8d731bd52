// The folder reader of cases (case.ts): the logs of a `file:` folder on disk, found and read as `arc-logs scan`
// reads them, cached per file while its size and time stay the same. Node only: the Node entry gives it to the server.
import { statSync } from 'node:fs';
import { basename, relative, sep } from 'node:path';
import { URI } from 'vscode-uri';
import type { Locale } from '../core/knowledge/types';
import type { Analysis, LineSource } from '../core/model';
import { Analyzer } from '../core/analysis/analyze';
import { folderPath, isUnder, type CaseReader, type ListedLog, type ReadLog } from '../case';
import { byteAnalyzer, isBinary, readFileChunks, readHead, reason } from './files';
import { walkFolder, type FoundFile } from './inputs';

interface DiskEntry {
	readonly mtimeMs: number;
	readonly size: number;
	readonly locale: Locale;
	readonly analysis: Analysis;
	readonly source: LineSource;
	readonly problem?: string;
}

interface Walk {
	readonly files: readonly string[];
	readonly problems: readonly string[];
}

/** Lines kept of a file read from disk: the first few (headers) and the serial-console prefixes (uptime). */
const HEAD_LINES = 5;
const SERIAL_PREFIX = /^\[\s*\d+\.\d+\]/;

/** The files of a folder on disk that `arc-logs scan` would read; hidden folders are not entered. */
export class FolderReader implements CaseReader {
	private readonly disk = new Map<string, DiskEntry>();
	private readonly walks = new Map<string, Walk>();

	accepts(root: string): string | undefined {
		const rootPath = folderPath(root);
		if (!rootPath) return undefined;
		try {
			if (!statSync(rootPath).isDirectory()) return undefined;
		} catch {
			return undefined;
		}
		return URI.file(rootPath).toString();
	}

	list(root: string, locale: Locale): { logs: ListedLog[]; problems: readonly string[] } {
		const rootPath = folderPath(root)!;
		const walk = this.walk(root, rootPath, locale);
		return { logs: walk.files.map((path) => ({ uri: URI.file(path).toString(), path: relative(rootPath, path).split(sep).join('/') })), problems: walk.problems };
	}

	pathOf(uri: string, root: string): string | undefined {
		const path = folderPath(uri);
		const rootPath = folderPath(root);
		return path && rootPath ? relative(rootPath, path).split(sep).join('/') : undefined;
	}

	changed(uri: string, kind: 'created' | 'changed' | 'deleted'): void {
		if (kind === 'changed') return; // mtime and size tell
		for (const root of [...this.walks.keys()]) if (isUnder(uri, root)) this.walks.delete(root);
		if (kind === 'deleted') {
			const path = folderPath(uri);
			if (path) this.disk.delete(path);
		}
	}

	read(log: ListedLog, locale: Locale, problems: string[]): ReadLog | undefined {
		const path = folderPath(log.uri);
		const entry = path ? this.readFile(path, locale, problems) : undefined;
		if (!entry) return undefined;
		if (entry.problem) problems.push(entry.problem);
		return { analysis: entry.analysis, source: entry.source, stamp: `${entry.mtimeMs}:${entry.size}` };
	}

	private walk(rootUri: string, rootPath: string, locale: Locale): Walk {
		const cached = this.walks.get(rootUri);
		if (cached) return cached;
		const found: FoundFile[] = [];
		const problems: string[] = [];
		const notes: string[] = [];
		walkFolder(rootPath, found, problems, locale, notes, (name) => name.startsWith('.'));
		// Zip bundles inside the folder are not part of the folder's case (open one as a bundle to see it as a case).
		const walk = { files: found.filter((f) => f.kind === 'file').map((f) => f.path), problems };
		this.walks.set(rootUri, walk);
		return walk;
	}

	/** A file's analysis, read again only when its mtime or size changed. Undefined for a file that is gone, binary or unreadable. */
	private readFile(path: string, locale: Locale, problems: string[]): DiskEntry | undefined {
		let st;
		try {
			st = statSync(path);
		} catch {
			this.disk.delete(path);
			return undefined;
		}
		const hit = this.disk.get(path);
		if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size && hit.locale === locale) return hit;
		try {
			if (isBinary(readHead(path, 8192))) return undefined;
			const kept = new Map<number, string>();
			let lineCount = 0;
			const a = byteAnalyzer(new Analyzer({ locale, fileName: basename(path) }), locale, (line, i) => {
				lineCount = i + 1;
				if (i < HEAD_LINES) kept.set(i, line.slice(0, 300));
				else if (line.charCodeAt(0) === 91 && SERIAL_PREFIX.test(line)) kept.set(i, line.slice(0, 20));
			});
			readFileChunks(path, (b) => a.push(b));
			const fed = a.finish();
			const source: LineSource = { lineCount, lineAt: (i) => kept.get(i) ?? '' };
			const entry: DiskEntry = {
				mtimeMs: st.mtimeMs,
				size: st.size,
				locale,
				analysis: fed.analysis,
				source,
				...(fed.truncated ? { problem: `${path}: ${fed.truncated}` } : {}),
			};
			this.disk.set(path, entry);
			return entry;
		} catch (e) {
			// Unreadable now (permissions, removed meanwhile): said, and the last reading, if any, kept.
			problems.push(`${path}: ${reason(e, locale)}`);
			return hit;
		}
	}
}

