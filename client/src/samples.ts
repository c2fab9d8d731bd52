// "Arc Logs: Open Sample Log" (the walkthrough's first step): opens one of the two small sample logs shipped in the
// package. The sample is copied to the extension's global storage first, so editing it never changes the package.
import * as vscode from 'vscode';

export const OPEN_SAMPLE_COMMAND = 'arcLogs.openSample';

/** The samples shipped in the .vsix (allow-listed in .vscodeignore). */
const SAMPLES = {
	azcmagent: 'samples/arc-linux-vm/azcmagent.log',
	'cloud-init': 'samples/nexus-vm/cloud-init-output.log',
} as const;
type SampleId = keyof typeof SAMPLES;

function isSampleId(value: unknown): value is SampleId {
	return typeof value === 'string' && Object.prototype.hasOwnProperty.call(SAMPLES, value);
}

async function openSample(context: vscode.ExtensionContext, which: unknown): Promise<vscode.TextEditor | undefined> {
	let id: SampleId | undefined = isSampleId(which) ? which : undefined;
	if (!id) {
		const picked = await vscode.window.showQuickPick(
			[
				{ label: 'azcmagent.log', description: vscode.l10n.t('Azure Arc agent, a failed connect'), id: 'azcmagent' as const },
				{ label: 'cloud-init-output.log', description: vscode.l10n.t('cloud-init, a failed onboarding script'), id: 'cloud-init' as const },
			],
			{ placeHolder: vscode.l10n.t('Open which sample log?') },
		);
		if (!picked) return undefined;
		id = picked.id;
	}
	const source = vscode.Uri.joinPath(context.extensionUri, SAMPLES[id]);
	let target = source;
	try {
		target = vscode.Uri.joinPath(context.globalStorageUri, SAMPLES[id]);
		await vscode.workspace.fs.copy(source, target, { overwrite: true });
	} catch {
		target = source; // no writable storage: open the packaged copy
	}
	const document = await vscode.workspace.openTextDocument(target);
	return vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: false });
}

export function registerSampleCommand(context: vscode.ExtensionContext): void {
	context.subscriptions.push(vscode.commands.registerCommand(OPEN_SAMPLE_COMMAND, (which?: unknown) => openSample(context, which)));
}
