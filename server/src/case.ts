// The language server's cases: the logs of a workspace folder — the files on disk that `arc-logs scan`
// would read (node/inputs.ts: known log names and sniffed content; hidden folders are not entered) and the open
// documents under it, the open version winning. Files are read from disk bounded like the CLI reads them (so logs too
// large for the editor are in the case as well) and analyzed once per (mtime, size, locale); the folder is walked
// again only after a watched file under it was created or deleted. The pure work (machines, alignment, grouping, the
// meanwhile records) is core/features/case.ts.
//
// Roots are read by CaseReaders, given by the Node entry: a `file:` folder by node/folderReader.ts, a support bundle
// mounted as an `arc-bundle:` root by node/bundleReader.ts (the archive's members that are logs, read one at a time).
import { URI } from 'vscode-uri';
import type { Locale } from './core/knowledge/types';
import { t } from './core/l10n';
import type { Analysis, LineSource } from './core/model';
import { buildCase, type CaseLog, type CaseModel } from './core/features/case';
import type { Settings } from './core/features/settings';

/** An open document of the case, as the server has it analyzed. */
export interface OpenLog {
	readonly uri: string;
	readonly version: number;
	readonly analysis: Analysis;
	readonly source: LineSource;
	readonly settings: Settings;
}

export interface CaseHost {
	/** The open documents whose uri is under `root` (a folder uri ending without `/`), analyzed. */
	openLogs(root: string): Promise<OpenLog[]>;
	/** Settings for the files on disk of the case. */
	settings(root: string): Promise<Settings>;
}

/** A folder uri without a trailing slash, or undefined for what is not a `file:` folder uri. */
export function folderPath(root: string): string | undefined {
	try {
		const u = URI.parse(root);
		return u.scheme === 'file' ? u.fsPath.replace(/[\\/]+$/, '') || u.fsPath : undefined;
	} catch {
		return undefined;
	}
}

/** Whether `uri` is inside the folder `root` (both uris). */
export function isUnder(uri: string, root: string): boolean {
	const r = root.replace(/\/+$/, '');
	return uri.startsWith(`${r}/`);
}

/** A log of a root as a reader lists it. */
export interface ListedLog {
	readonly uri: string;
	/** The path inside the case, `/`-separated. */
	readonly path: string;
}

/** A log read by a reader: its analysis, the lines kept of it, and a stamp that changes when its content does. */
export interface ReadLog {
	readonly analysis: Analysis;
	readonly source: LineSource;
	readonly stamp: string;
}

/**
 * Where the logs of a kind of root come from. The folder reader below reads `file:` folders; a bundle reader (an
 * `arc-bundle:` root over the core archive reader) is the other kind a case can have: it lists the archive's members
 * that are logs and reads one at a time.
 */
export interface CaseReader {
	/** The root's normalized uri when this reader reads it (an existing folder, ...), else undefined. */
	accepts(root: string): string | undefined;
	/** The logs under the root (cached by the reader), with localized problems. */
	list(root: string, locale: Locale): { readonly logs: readonly ListedLog[]; readonly problems: readonly string[] };
	/** One log (cached while unchanged); undefined when it is gone or not text. Problems are pushed, localized. */
	read(log: ListedLog, locale: Locale, problems: string[]): ReadLog | undefined;
	/** A watched file changed, was created or deleted. */
	changed(uri: string, kind: 'created' | 'changed' | 'deleted'): void;
	/** The path inside the case of an open document under the root. */
	pathOf(uri: string, root: string): string | undefined;
}

export class CaseStore {
	private readonly models = new Map<string, { key: string; model: CaseModel; problems: readonly string[] }>();

	constructor(
		private readonly host: CaseHost,
		/** Where logs come from: the Node entry gives the folder reader (node/folderReader.ts); a web worker has none. */
		private readonly readers: readonly CaseReader[] = [],
	) {}

	changed(uri: string, kind: 'created' | 'changed' | 'deleted'): void {
		for (const r of this.readers) r.changed(uri, kind);
	}

	/** The case of `root`, with localized problems (logs that could not be read). Undefined for a root no reader reads. */
	async model(root: string, locale: Locale): Promise<{ model: CaseModel; problems: readonly string[] } | undefined> {
		let reader: CaseReader | undefined;
		let rootUri: string | undefined;
		for (const r of this.readers) {
			rootUri = r.accepts(root);
			if (rootUri) {
				reader = r;
				break;
			}
		}
		if (!reader || !rootUri) return undefined;
		const [open, settings] = await Promise.all([this.host.openLogs(rootUri), this.host.settings(rootUri)]);
		const listed = reader.list(rootUri, locale);
		const problems = [...listed.problems];
		const logs: CaseLog[] = [];
		const openByUri = new Map(open.map((o) => [o.uri, o]));
		const keyParts: string[] = [locale, JSON.stringify(settings.severityOverrides), String(settings.maxProblems)];
		for (const l of listed.logs) {
			const o = openByUri.get(l.uri);
			if (o) {
				openByUri.delete(l.uri);
				logs.push({ uri: l.uri, path: l.path, analysis: o.analysis, source: o.source, settings: o.settings });
				keyParts.push(`${l.uri}@v${o.version}`);
				continue;
			}
			const read = reader.read(l, locale, problems);
			if (!read) continue;
			logs.push({ uri: l.uri, path: l.path, analysis: read.analysis, source: read.source, settings });
			keyParts.push(`${l.uri}@${read.stamp}`);
		}
		// Open documents not on disk (yet), or not found by the listing (a log under another name): theirs too.
		for (const o of openByUri.values()) {
			const path = reader.pathOf(o.uri, rootUri);
			if (path === undefined) continue;
			logs.push({ uri: o.uri, path, analysis: o.analysis, source: o.source, settings: o.settings });
			keyParts.push(`${o.uri}@v${o.version}`);
		}
		const key = keyParts.join('\u0000');
		const cached = this.models.get(rootUri);
		if (cached && cached.key === key) return cached;
		const result = { key, model: buildCase(logs), problems };
		this.models.set(rootUri, result);
		return result;
	}
}

/** The name a case root is shown by: its folder's name. */
export function rootName(root: string, locale: Locale): string {
	const path = folderPath(root);
	return (path && path.split(/[\\/]/).pop()) || t(locale, 'this folder');
}
