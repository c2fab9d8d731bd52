// The bundle reader of cases (case.ts): the logs of a support bundle mounted as an `arc-bundle:` root (a zip of
// `azcmagent logs`, a tarball of `cloud-init collect-logs`), read from the archive file on disk with the core archive
// reader (the same the editor's file system and the CLI use), analyzed member by member. The archive is read again
// when its size or time changes. Node only: the Node entry gives it to the server.
import { readFileSync, statSync } from 'node:fs';
import { URI } from 'vscode-uri';
import type { Locale } from '../core/knowledge/types';
import type { Analysis, LineSource } from '../core/model';
import { Analyzer } from '../core/analysis/analyze';
import { describeArchiveProblem, openArchive } from '../core/archive';
import { bundleUri, parseBundleUri } from '../core/bundleUri';
import { isUnder, type CaseReader, type ListedLog, type ReadLog } from '../case';
import { byteAnalyzer, isBinary, LIMITS } from './files';
import { wantFile } from './inputs';

interface Opened {
	readonly stamp: string;
	readonly logs: readonly ListedLog[];
	readonly problems: readonly string[];
	readonly analyses: Map<string, { readonly analysis: Analysis; readonly source: LineSource; readonly problem?: string }>;
	readonly read: (member: string) => Uint8Array | string;
}

/** Members of a bundle that are logs, analyzed once per archive version. */
export class BundleReader implements CaseReader {
	private readonly archives = new Map<string, Opened>();

	accepts(root: string): string | undefined {
		const p = parseBundleUri(root);
		if (!p || p.member) return undefined;
		const path = this.filePath(p.archive);
		if (!path) return undefined;
		try {
			return statSync(path).isFile() ? bundleUri(p.archive, '').replace(/\/+$/, '') : undefined;
		} catch {
			return undefined;
		}
	}

	list(root: string, locale: Locale): { readonly logs: readonly ListedLog[]; readonly problems: readonly string[] } {
		const o = this.open(root, locale);
		return o ? { logs: o.logs, problems: o.problems } : { logs: [], problems: [] };
	}

	read(log: ListedLog, locale: Locale, problems: string[]): ReadLog | undefined {
		const p = parseBundleUri(log.uri);
		if (!p) return undefined;
		const o = this.open(bundleUri(p.archive, '').replace(/\/+$/, ''), locale);
		if (!o) return undefined;
		let hit = o.analyses.get(p.member);
		if (!hit) {
			const bytes = o.read(p.member);
			if (typeof bytes === 'string') {
				problems.push(`${p.member}: ${bytes}`);
				return undefined;
			}
			if (isBinary(bytes.subarray(0, 8192))) return undefined;
			const kept = new Map<number, string>();
			let lineCount = 0;
			const a = byteAnalyzer(new Analyzer({ locale, fileName: p.member.split('/').pop() }), locale, (line, i) => {
				lineCount = i + 1;
				if (i < 5) kept.set(i, line.slice(0, 300));
				else if (line.charCodeAt(0) === 91 && /^\[\s*\d+\.\d+\]/.test(line)) kept.set(i, line.slice(0, 20));
			});
			for (let i = 0; i < bytes.length && a.push(bytes.subarray(i, i + (1 << 20))); i += 1 << 20);
			const fed = a.finish();
			hit = { analysis: fed.analysis, source: { lineCount, lineAt: (i) => kept.get(i) ?? '' }, ...(fed.truncated ? { problem: `${p.member}: ${fed.truncated}` } : {}) };
			o.analyses.set(p.member, hit);
		}
		if (hit.problem) problems.push(hit.problem);
		return { analysis: hit.analysis, source: hit.source, stamp: `${o.stamp}:${p.member}` };
	}

	changed(uri: string, kind: 'created' | 'changed' | 'deleted'): void {
		// The archive file itself changed: its size and time tell on the next request; a removed one is forgotten.
		if (kind !== 'deleted') return;
		for (const root of [...this.archives.keys()]) {
			const p = parseBundleUri(root);
			if (p && (p.archive === uri || isUnder(p.archive, uri))) this.archives.delete(root);
		}
	}

	pathOf(uri: string, root: string): string | undefined {
		const p = parseBundleUri(uri);
		const r = parseBundleUri(root);
		return p && r && p.archive === r.archive ? p.member : undefined;
	}

	/** The archive's path on disk (`file:` archives only). */
	private filePath(uri: string): string | undefined {
		try {
			const u = URI.parse(uri);
			return u.scheme === 'file' ? u.fsPath : undefined;
		} catch {
			return undefined;
		}
	}

	private open(root: string, locale: Locale): Opened | undefined {
		const p = parseBundleUri(root);
		const path = p && this.filePath(p.archive);
		if (!p || !path) return undefined;
		let stamp: string;
		try {
			const st = statSync(path);
			if (st.size > LIMITS.maxZipBytes) return undefined;
			stamp = `${st.size}:${st.mtimeMs}:${locale}`;
		} catch {
			this.archives.delete(root);
			return undefined;
		}
		const cached = this.archives.get(root);
		if (cached && cached.stamp === stamp) return cached;
		const archive = openArchive(readFileSync(path));
		const logs: ListedLog[] = [];
		for (const m of archive.members) {
			if (/\.(?:zip|tar|tgz|gz)$/i.test(m.name)) continue;
			const head = (): Uint8Array => {
				const r = archive.read(m.name);
				return 'error' in r ? new Uint8Array(0) : r.bytes.subarray(0, LIMITS.sniffBytes);
			};
			if (wantFile(m.name, head)) logs.push({ uri: bundleUri(p.archive, m.name), path: m.name });
		}
		const opened: Opened = {
			stamp,
			logs,
			problems: archive.problems.map((x) => `${path}: ${describeArchiveProblem(x, locale)}`),
			analyses: new Map(),
			read: (member) => {
				const r = archive.read(member);
				return 'error' in r ? describeArchiveProblem(r.error, locale) : r.bytes;
			},
		};
		this.archives.set(root, opened);
		return opened;
	}
}

