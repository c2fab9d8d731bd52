// Support bundles opened in place. "Arc Logs: Open Support Bundle" mounts a .zip, .tar.gz/.tgz or .tar as a
// read-only workspace folder under the `arc-bundle:` scheme (nothing is extracted to disk), or adds a folder of logs
// as a workspace folder. The file system provider reads the archive through vscode.workspace.fs (so local, remote
// and virtual archives alike, even an archive inside a bundle), parses it with the core's archive module (the same
// bounds as the CLI against bombs, `..` names and links) and keeps one index per archive, read again when the
// archive's size or time changes. Members open as ordinary documents: their file names pick our languages.
import * as vscode from 'vscode';
import { Utils } from 'vscode-uri';
import { describeArchiveProblem, LIMITS, openArchive, type Archive, type ArchiveProblem } from '../../server/src/core/archive';
import { BUNDLE_SCHEME, bundleUri, parseBundleUri } from '../../server/src/core/bundleUri';
import { toLocale } from '../../server/src/core/l10n';
import { ClientCommands } from '../../server/src/core/protocol';

interface Mounted {
	readonly archive: Archive;
	/** The archive file's stat when it was read: a different one means it changed. */
	readonly mtime: number;
	readonly size: number;
}

const problemText = (p: ArchiveProblem) => describeArchiveProblem(p, toLocale(vscode.env.language));

export class BundleFileSystem implements vscode.FileSystemProvider {
	private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
	readonly onDidChangeFile = this.changed.event;
	private readonly cache = new Map<string, Promise<Mounted>>();
	private readonly watchers = new Map<string, vscode.Disposable>();

	/** The archive's index, read once and again only when the archive changed (size or modification time). */
	async load(archiveUri: string): Promise<Archive> {
		const uri = vscode.Uri.parse(archiveUri, true);
		const stat = await vscode.workspace.fs.stat(uri).then(undefined, (e: unknown) => {
			throw vscode.FileSystemError.FileNotFound(`${Utils.basename(uri)}: ${e instanceof Error ? e.message : String(e)}`);
		});
		const cached = this.cache.get(archiveUri);
		if (cached) {
			const m = await cached.catch(() => undefined);
			if (m && m.mtime === stat.mtime && m.size === stat.size) return m.archive;
		}
		const loading = this.read(uri, stat);
		this.cache.set(archiveUri, loading);
		loading.catch(() => {
			if (this.cache.get(archiveUri) === loading) this.cache.delete(archiveUri);
		});
		if (cached) this.fireChanged(archiveUri);
		this.watchArchive(uri, archiveUri);
		return (await loading).archive;
	}

	private async read(uri: vscode.Uri, stat: vscode.FileStat): Promise<Mounted> {
		if (stat.type & vscode.FileType.Directory) throw vscode.FileSystemError.FileIsADirectory(uri);
		if (stat.size > LIMITS.maxZipBytes) throw vscode.FileSystemError.Unavailable(`${Utils.basename(uri)}: ${problemText({ kind: 'too-large', limit: LIMITS.maxZipBytes })}`);
		const bytes = await vscode.workspace.fs.readFile(uri);
		return { archive: openArchive(bytes), mtime: stat.mtime, size: stat.size };
	}

	/** Tell VS Code (open editors, the Explorer) that a mounted archive changed on disk. */
	private watchArchive(uri: vscode.Uri, key: string): void {
		if (this.watchers.has(key) || uri.scheme === BUNDLE_SCHEME) return;
		try {
			const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(Utils.dirname(uri), Utils.basename(uri)));
			const onChange = () => {
				this.cache.delete(key);
				this.fireChanged(key);
			};
			this.watchers.set(key, vscode.Disposable.from(watcher, watcher.onDidChange(onChange), watcher.onDidCreate(onChange), watcher.onDidDelete(onChange)));
		} catch {
			// No watcher for this scheme: the size and time check in load() still notices a change.
		}
	}

	/** Forget an archive (its folder was removed from the workspace): its bytes are not kept in memory any longer. */
	forget(archiveUri: string): void {
		this.cache.delete(archiveUri);
		this.watchers.get(archiveUri)?.dispose();
		this.watchers.delete(archiveUri);
	}

	private fireChanged(archiveUri: string): void {
		const root = vscode.Uri.parse(bundleUri(archiveUri, ''), true);
		this.changed.fire([{ type: vscode.FileChangeType.Changed, uri: root }]);
	}

	private async resolve(uri: vscode.Uri) {
		const parsed = parseBundleUri(uri.toString());
		if (!parsed) throw vscode.FileSystemError.FileNotFound(uri);
		const archive = await this.load(parsed.archive);
		return { archive, member: parsed.member, node: archive.tree.get(parsed.member) };
	}

	async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
		const { archive, node } = await this.resolve(uri);
		if (!node) throw vscode.FileSystemError.FileNotFound(uri);
		const mtime = archive.members.reduce((t, m) => Math.max(t, m.mtime ?? 0), 0);
		if (node.type === 'folder') return { type: vscode.FileType.Directory, ctime: 0, mtime, size: 0, permissions: vscode.FilePermission.Readonly };
		return { type: vscode.FileType.File, ctime: 0, mtime: node.member.mtime ?? mtime, size: Math.min(node.member.size, LIMITS.maxInputBytes), permissions: vscode.FilePermission.Readonly };
	}

	async readDirectory(uri: vscode.Uri): Promise<[string, vscode.FileType][]> {
		const { node } = await this.resolve(uri);
		if (!node) throw vscode.FileSystemError.FileNotFound(uri);
		if (node.type !== 'folder') throw vscode.FileSystemError.FileNotADirectory(uri);
		return [...node.children].map(([name, child]) => [name, child.type === 'folder' ? vscode.FileType.Directory : vscode.FileType.File]);
	}

	async readFile(uri: vscode.Uri): Promise<Uint8Array> {
		const { archive, member, node } = await this.resolve(uri);
		if (!node) throw vscode.FileSystemError.FileNotFound(uri);
		if (node.type === 'folder') throw vscode.FileSystemError.FileIsADirectory(uri);
		const r = archive.read(member);
		if ('error' in r) throw vscode.FileSystemError.Unavailable(problemText(r.error));
		return r.bytes;
	}

	watch(): vscode.Disposable {
		// Members change only with their archive; load() and the archive's watcher report that.
		return new vscode.Disposable(() => undefined);
	}

	createDirectory(uri: vscode.Uri): never {
		throw vscode.FileSystemError.NoPermissions(uri);
	}
	writeFile(uri: vscode.Uri): never {
		throw vscode.FileSystemError.NoPermissions(uri);
	}
	delete(uri: vscode.Uri): never {
		throw vscode.FileSystemError.NoPermissions(uri);
	}
	rename(oldUri: vscode.Uri): never {
		throw vscode.FileSystemError.NoPermissions(oldUri);
	}

	dispose(): void {
		for (const w of this.watchers.values()) w.dispose();
		this.watchers.clear();
		this.cache.clear();
		this.changed.dispose();
	}
}

/** Add `uri` as a workspace folder called `name` (unless it is one already) and show it in the Explorer. */
async function mount(uri: vscode.Uri, name: string): Promise<vscode.Uri> {
	const folders = vscode.workspace.workspaceFolders ?? [];
	if (!folders.some((f) => f.uri.toString() === uri.toString())) {
		const added = new Promise<void>((resolve) => {
			const sub = vscode.workspace.onDidChangeWorkspaceFolders((e) => {
				if (e.added.some((f) => f.uri.toString() === uri.toString())) {
					sub.dispose();
					resolve();
				}
			});
		});
		if (!vscode.workspace.updateWorkspaceFolders(folders.length, 0, { uri, name })) {
			throw new Error(vscode.l10n.t('VS Code did not add {0} to the workspace.', name));
		}
		await added;
	}
	await vscode.commands.executeCommand('workbench.view.explorer');
	await vscode.commands.executeCommand('revealInExplorer', uri);
	return uri;
}

/**
 * Open a bundle: an archive is mounted under arc-bundle:, a folder added as it is. Returns the workspace folder's
 * URI, or undefined when the user cancelled or the bundle could not be read (the user was told why).
 */
async function openBundle(fs: BundleFileSystem, target?: unknown): Promise<vscode.Uri | undefined> {
	let uri = target instanceof vscode.Uri ? target : undefined;
	if (!uri) {
		const picked = await vscode.window.showOpenDialog({
			canSelectFiles: true,
			canSelectFolders: true,
			canSelectMany: false,
			openLabel: vscode.l10n.t('Open Bundle'),
			title: vscode.l10n.t('Open a support bundle: a .zip, .tar.gz or .tgz archive, or a folder of logs'),
			filters: { [vscode.l10n.t('Support bundles')]: ['zip', 'tgz', 'gz', 'tar'], [vscode.l10n.t('All files')]: ['*'] },
		});
		uri = picked?.[0];
		if (!uri) return undefined;
	}
	const name = Utils.basename(uri);
	try {
		const stat = await vscode.workspace.fs.stat(uri);
		if (stat.type & vscode.FileType.Directory) return await mount(uri, name);
		const archive = await fs.load(uri.toString());
		if (!archive.format || archive.members.length === 0) {
			void vscode.window.showErrorMessage(vscode.l10n.t('Arc Logs cannot open {0} as a support bundle: {1}', name, archive.problems.map(problemText).join('; ')));
			return undefined;
		}
		if (archive.problems.length) {
			const shown = archive.problems.slice(0, 5).map(problemText);
			if (archive.problems.length > shown.length) shown.push(vscode.l10n.t('and {0} more', archive.problems.length - shown.length));
			void vscode.window.showWarningMessage(vscode.l10n.t('Some of {0} could not be read: {1}', name, shown.join('; ')));
		}
		return await mount(vscode.Uri.parse(bundleUri(uri.toString(), ''), true), name);
	} catch (e) {
		void vscode.window.showErrorMessage(vscode.l10n.t('Arc Logs cannot open {0} as a support bundle: {1}', name, e instanceof Error ? e.message : String(e)));
		return undefined;
	}
}

export function registerBundles(context: vscode.ExtensionContext): BundleFileSystem {
	const fs = new BundleFileSystem();
	context.subscriptions.push(
		fs,
		vscode.workspace.registerFileSystemProvider(BUNDLE_SCHEME, fs, { isReadonly: true, isCaseSensitive: true }),
		vscode.commands.registerCommand(ClientCommands.openBundle, (target?: unknown) => openBundle(fs, target)),
		vscode.workspace.onDidChangeWorkspaceFolders((e) => {
			for (const f of e.removed) {
				const parsed = parseBundleUri(f.uri.toString());
				if (parsed && !parsed.member) fs.forget(parsed.archive);
			}
		}),
	);
	return fs;
}
