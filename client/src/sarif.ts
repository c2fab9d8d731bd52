// Arc Logs: Export Findings as SARIF. The active log, or folders, files and .zip bundles (from the Explorer or a
// dialog), analyzed by the CLI (`arc-logs scan --format sarif`, the same reading and the same SARIF as on the
// command line, in its own process so the editor stays responsive) into a .sarif file picked in a save dialog. The
// file opens in the SARIF Viewer through its extension API when that extension is installed, else as a document.
import { fork } from 'node:child_process';
import * as vscode from 'vscode';
import { Utils } from 'vscode-uri';
import { ClientCommands } from '../../server/src/core/protocol';
import { isOurDocument } from './commands';

/** The SARIF Viewer's extension id; its API: `openLogs(logs: Uri[])`. */
export const SARIF_VIEWER = 'MS-SarifVSCode.sarif-viewer';

export interface ExportOptions {
	/** Write here without a save dialog. */
	readonly target?: vscode.Uri;
}
export interface ExportResult {
	readonly target: vscode.Uri;
	/** Results in the SARIF run. */
	readonly results: number;
	/** Where it was opened. */
	readonly openedIn: 'sarif-viewer' | 'editor';
	/** Inputs the CLI could not read (one line each). */
	readonly problems: readonly string[];
}

interface SarifViewerApi {
	openLogs(logs: vscode.Uri[]): Promise<void> | void;
}

function locale(): string {
	const setting = vscode.workspace.getConfiguration('arcLogs').get<string>('locale');
	const language = setting && setting !== 'auto' ? setting : vscode.env.language;
	const base = language.toLowerCase().split(/[-_]/)[0];
	return base === 'sv' || base === 'nl' ? base : 'en';
}

/** Runs the CLI; resolves with its exit code and stderr lines. `stdin`: text for the PATH `-`. */
function runCli(cli: string, args: readonly string[], stdin: string | undefined): Promise<{ code: number; stderr: string[] }> {
	return new Promise((resolve, reject) => {
		const child = fork(cli, [...args], { stdio: ['pipe', 'ignore', 'pipe', 'ipc'], execArgv: [], env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
		let err = '';
		child.stderr?.setEncoding('utf8');
		child.stderr?.on('data', (s: string) => (err += s));
		child.on('error', reject);
		child.on('close', (code) => resolve({ code: code ?? 2, stderr: err.split('\n').filter((l) => l.trim()) }));
		child.stdin?.on('error', () => undefined);
		child.stdin?.end(stdin ?? '');
	});
}

/** What to export: the Explorer's selection, the given resource, the active log, or what the user picks. */
async function inputsOf(resource: unknown, selected: unknown): Promise<vscode.Uri[] | undefined> {
	if (Array.isArray(selected) && selected.length > 0 && selected.every((u) => u instanceof vscode.Uri)) return selected as vscode.Uri[];
	if (resource instanceof vscode.Uri) return [resource];
	const editor = vscode.window.activeTextEditor;
	if (editor && isOurDocument(editor.document)) return [editor.document.uri];
	return vscode.window.showOpenDialog({
		canSelectFiles: true,
		canSelectFolders: true,
		canSelectMany: true,
		openLabel: vscode.l10n.t('Export Findings'),
		title: vscode.l10n.t('Logs, folders or .zip bundles to export as SARIF'),
	});
}

export async function exportSarif(cli: string, resource?: unknown, second?: unknown): Promise<ExportResult | undefined> {
	const inputs = await inputsOf(resource, second);
	if (!inputs?.length) return undefined;
	// Files are read from disk; a document without a file (untitled, virtual) goes to the CLI on standard input.
	const paths: string[] = [];
	let stdin: string | undefined;
	for (const uri of inputs) {
		if (uri.scheme === 'file') paths.push(uri.fsPath);
		else {
			const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
			if (!document || stdin !== undefined) {
				void vscode.window.showWarningMessage(vscode.l10n.t('Only files on disk and one unsaved log can be exported: {0} is left out.', uri.toString(true)));
				continue;
			}
			stdin = document.getText();
			paths.push('-');
		}
	}
	if (!paths.length) return undefined;
	const options = second !== null && typeof second === 'object' && !Array.isArray(second) ? (second as ExportOptions) : {};
	const first = inputs[0];
	const name = `${(Utils.basename(first) || 'arc-logs').replace(/\.(?:log|txt|zip)$/i, '')}.sarif`;
	const folder = first.scheme === 'file' ? Utils.dirname(first) : (vscode.workspace.workspaceFolders?.[0]?.uri ?? first);
	const target =
		options.target ??
		(await vscode.window.showSaveDialog({
			defaultUri: first.scheme === 'file' || vscode.workspace.workspaceFolders?.length ? Utils.joinPath(folder, name) : undefined,
			filters: { SARIF: ['sarif'] },
			title: vscode.l10n.t('Save the findings as SARIF'),
		}));
	if (!target) return undefined;
	if (target.scheme !== 'file') {
		void vscode.window.showErrorMessage(vscode.l10n.t('The SARIF file must be saved on disk.'));
		return undefined;
	}
	const run = await vscode.window.withProgress(
		{ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Arc Logs: exporting findings as SARIF…') },
		() => runCli(cli, ['scan', '--format', 'sarif', '--locale', locale(), '--exit-zero', '--output', target.fsPath, '--', ...paths], stdin),
	);
	let results: number;
	try {
		const sarif = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(target))) as { runs?: { results?: unknown[] }[] };
		results = sarif.runs?.[0]?.results?.length ?? 0;
	} catch {
		void vscode.window.showErrorMessage(vscode.l10n.t('No SARIF file was written: {0}', run.stderr[0] ?? String(run.code)));
		return undefined;
	}
	const problems = run.stderr.map((l) => l.replace(/^arc-logs: /, ''));
	if (run.code !== 0 && problems.length) {
		void vscode.window.showWarningMessage(
			problems.length === 1 ? vscode.l10n.t('Not everything could be read: {0}', problems[0]) : vscode.l10n.t('Not everything could be read: {0} (and {1} more)', problems[0], problems.length - 1),
		);
	}
	let openedIn: ExportResult['openedIn'] = 'editor';
	const viewer = vscode.extensions.getExtension<SarifViewerApi>(SARIF_VIEWER);
	if (viewer) {
		try {
			const api = viewer.isActive ? viewer.exports : await viewer.activate();
			await api.openLogs([target]);
			openedIn = 'sarif-viewer';
		} catch {
			// The viewer failed: the file still opens as a document below.
		}
	}
	if (openedIn === 'editor') await vscode.window.showTextDocument(target, { preview: false });
	void vscode.window.showInformationMessage(
		results === 1 ? vscode.l10n.t('Arc Logs: 1 finding exported to {0}.', Utils.basename(target)) : vscode.l10n.t('Arc Logs: {0} findings exported to {1}.', results, Utils.basename(target)),
	);
	return { target, results, openedIn, problems };
}

export function registerSarifCommand(context: vscode.ExtensionContext): void {
	const cli = context.asAbsolutePath('server/out/cli.js');
	context.subscriptions.push(vscode.commands.registerCommand(ClientCommands.exportSarif, (resource?: unknown, second?: unknown) => exportSarif(cli, resource, second)));
}
