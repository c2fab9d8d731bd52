// The Arc Logs protocol on top of LSP, shared by the server and the VS Code client (and documented for any other
// LSP client): the diagnostic source, the custom requests and notifications, and the commands the server runs
// itself through workspace/executeCommand. Pure data and types: no connection, no vscode.
import { NotificationType, RequestType, type Position, type Range, type WorkDoneProgressParams } from 'vscode-languageserver-protocol';
import type { Summary, SummaryFinding } from './features/summary';
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
/**
 * Request: a redacted excerpt of an open log (core/redact.ts): the text of `range` when it is not empty, else the
 * failure at `position` (an error or warning on that line, or one whose related lines include it) with its related
 * lines, gaps between them marked by a line `…`. Ids, tokens and secrets (the document's `arcLogs.redact.kinds`, or
 * `kinds`) become placeholders. Null when the server does not have the document, or there is no failure there.
 */
export const RedactExcerptRequest = new RequestType<RedactExcerptParams, RedactExcerptResult | null, void>('arcLogs/redactExcerpt');
export interface RedactExcerptParams {
	readonly uri: string;
	readonly range?: Range;
	readonly position?: Position;
	/** The kinds to redact (ids, tokens, secrets, ips, hosts, users); default: the setting. */
	readonly kinds?: readonly string[];
}
export interface RedactExcerptResult {
	readonly text: string;
	/** Values replaced, and how many distinct ones. */
	readonly replaced: number;
	readonly distinct: number;
	readonly kinds: readonly string[];
	/** The lines (0-based) of the log in the excerpt. */
	readonly lines: readonly number[];
	/** The failure's id when the excerpt is of a failure. */
	readonly id?: string;
}
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
	/** [target?: Uri] → mounts a support bundle (archive or folder) as a workspace folder; resolves to its URI. */
	openBundle: 'arcLogs.openBundle',
	copyRedactedExcerpt: 'arcLogs.copyRedactedExcerpt',
	exportSarif: 'arcLogs.exportSarif',
	analyzeLargeFile: 'arcLogs.analyzeLargeFile',
	openSideBySide: 'arcLogs.openSideBySide',
	refreshFailures: 'arcLogs.refreshFailures',
	showFolderFailures: 'arcLogs.showFolderFailures',
} as const;

export interface AnalyzeFileParams extends WorkDoneProgressParams {
	/** A `file:` URI. */
	readonly uri: string;
}
export interface AnalyzeFileResult {
	readonly uri: string;
	/** Lines read (of the part analyzed, when the file was cut off at a limit). */
	readonly lineCount: number;
	/** Findings by severity (after the severity overrides; all of them, not only those listed). */
	readonly counts: Summary['counts'];
	/** Errors and warnings in file order (line, column, message, severity, id), capped by arcLogs.maxProblems. */
	readonly failures: readonly SummaryFinding[];
	/**
	 * Whether the findings were published as diagnostics of `uri`. False when the file is open as a document: the
	 * diagnostics of what the editor holds stand.
	 */
	readonly published: boolean;
	/** What was partial (localized): the file cut off at a limit, lines longer than the analyzer scans. */
	readonly notices: readonly string[];
}
/**
 * Request: analyze a file from disk, for logs an editor does not sync (VS Code gives extensions no file over 50 MB).
 * The server streams it through the same analysis with `window/workDoneProgress` (the request's `workDoneToken`, else
 * a progress it creates when the client supports it), honours cancellation (`$/cancelRequest` or cancelling the
 * progress: error RequestCancelled), publishes the diagnostics of `uri` and returns its failures. An unreadable,
 * binary or non-file input is an error (RequestFailed) with a localized message.
 */
export const AnalyzeFileRequest = new RequestType<AnalyzeFileParams, AnalyzeFileResult, void>('arcLogs/analyzeFile');
