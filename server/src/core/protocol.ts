// The Arc Logs protocol on top of LSP, shared by the server and the VS Code client (and documented for any other
// LSP client): the diagnostic source, the custom requests and notifications, and the commands the server runs
// itself through workspace/executeCommand. Pure data and types: no connection, no vscode.
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';
import type { Summary } from './features/summary';
import type { CaseFailures, Meanwhile } from './features/case';

export type { Summary, SummaryFinding } from './features/summary';
export type { CaseFailure, CaseFailures, CaseFileCount, CaseGroup, CaseMachine, Meanwhile, MeanwhileRecord } from './features/case';

/** `Diagnostic.source` of every Arc Logs finding. */
export const SOURCE = 'arc-logs';

export interface RemediationParams {
	readonly id: string;
	readonly uri?: string;
	readonly locale?: string;
}
export interface SummaryParams {
	readonly uri: string;
}
export interface WorkspaceTrustParams {
	readonly trusted: boolean;
}

/** Request: the remediation page of a code (markdown), or null when nothing is known. */
export const RemediationRequest = new RequestType<RemediationParams, string | null, void>('arcLogs/remediation');
/** Request: the failures summary of an open log, or null when the server does not have it. */
export const SummaryRequest = new RequestType<SummaryParams, Summary | null, void>('arcLogs/summary');
export interface CaseFailuresParams {
	/** The case's root: a folder (`file:` uri). Its logs on disk (found as `arc-logs scan` finds them) and the open ones. */
	readonly root: string;
}
export interface MeanwhileParams {
	readonly uri: string;
	readonly position: { readonly line: number; readonly character: number };
}
/** Request: every failure of every log of a case, by machine and run / boot, in time order; null when unreadable. */
export const CaseFailuresRequest = new RequestType<CaseFailuresParams, CaseFailures | null, void>('arcLogs/caseFailures');
/**
 * Request: for the failure at a position, the records of the machine's other logs within arcLogs.meanwhileWindowSeconds
 * (what the hover's "Meanwhile in other logs" lists); null when there is no failure with a time there.
 */
export const MeanwhileRequest = new RequestType<MeanwhileParams, Meanwhile | null, void>('arcLogs/meanwhile');
/** Notification (client → server): the workspace trust changed. */
export const WorkspaceTrustNotification = new NotificationType<WorkspaceTrustParams>('arcLogs/workspaceTrust');

/**
 * Commands the server declares in `executeCommandProvider` and runs on `workspace/executeCommand`, so quick fixes
 * work in every LSP client. Documents and URLs are opened with `window/showDocument`. A client may still handle
 * some itself (the VS Code client renders remediation in a preview and copies to the clipboard).
 */
export const ServerCommands = {
	/** [id: string, uri?: string] → shows the remediation (window/showMessage); returns its markdown. */
	showRemediation: 'arcLogs.server.showRemediation',
	/** [url: string] → window/showDocument { external: true } for an https URL only. */
	openUrl: 'arcLogs.server.openUrl',
	/** [command: string] → shows the suggested command to copy (window/showMessage); returns it. */
	copyCommand: 'arcLogs.server.copyCommand',
	/** [uri: string, line: number, character?: number] → window/showDocument with the selection there. */
	goToFailure: 'arcLogs.server.goToFailure',
} as const;
export type ServerCommand = (typeof ServerCommands)[keyof typeof ServerCommands];
export const SERVER_COMMANDS: readonly ServerCommand[] = Object.values(ServerCommands);

/** Commands the VS Code client registers (package.json contributes.commands). */
export const ClientCommands = {
	nextFailure: 'arcLogs.nextFailure',
	previousFailure: 'arcLogs.previousFailure',
	showRemediation: 'arcLogs.showRemediation',
	showSummary: 'arcLogs.showSummary',
	restartServer: 'arcLogs.restartServer',
	goToFailure: 'arcLogs.goToFailure',
	copyCommand: 'arcLogs.copyCommand',
	openSideBySide: 'arcLogs.openSideBySide',
	refreshFailures: 'arcLogs.refreshFailures',
	showFolderFailures: 'arcLogs.showFolderFailures',
} as const;
