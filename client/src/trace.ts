// arcLogs.trace.server → the "Arc Logs Trace" output. vscode-languageclient 10 traces only when its trace channel's
// log level is Trace (and then upgrades "off" to "messages"), so a plain output channel behind a LogOutputChannel
// face reports Trace exactly when the setting asks for tracing, and fires the level change when the setting changes.
import * as vscode from 'vscode';

const SETTING = 'arcLogs.trace.server';
const KEEP_CHARS = 64 * 1024;

export class TraceChannel implements vscode.LogOutputChannel {
	private readonly channel = vscode.window.createOutputChannel(vscode.l10n.t('Arc Logs Trace'));
	private readonly levelChanged = new vscode.EventEmitter<vscode.LogLevel>();
	private readonly listener: vscode.Disposable;
	readonly onDidChangeLogLevel = this.levelChanged.event;
	/** The tail of what was traced (for the extension's tests). */
	recent = '';

	constructor() {
		this.listener = vscode.workspace.onDidChangeConfiguration((e) => {
			if (e.affectsConfiguration(SETTING)) this.levelChanged.fire(this.logLevel);
		});
	}

	get name(): string {
		return this.channel.name;
	}
	get logLevel(): vscode.LogLevel {
		const value = vscode.workspace.getConfiguration().get<string>(SETTING, 'off');
		return value === 'messages' || value === 'verbose' ? vscode.LogLevel.Trace : vscode.LogLevel.Info;
	}
	private write(message: string): void {
		this.channel.appendLine(message);
		this.recent = (this.recent + message + '\n').slice(-KEEP_CHARS);
	}
	trace(message: string): void {
		this.write(message);
	}
	debug(message: string): void {
		this.write(message);
	}
	info(message: string): void {
		this.write(message);
	}
	warn(message: string): void {
		this.write(message);
	}
	error(error: string | Error): void {
		this.write(typeof error === 'string' ? error : (error.stack ?? error.message));
	}
	append(value: string): void {
		this.channel.append(value);
		this.recent = (this.recent + value).slice(-KEEP_CHARS);
	}
	appendLine(value: string): void {
		this.write(value);
	}
	replace(value: string): void {
		this.channel.replace(value);
		this.recent = value.slice(-KEEP_CHARS);
	}
	clear(): void {
		this.channel.clear();
		this.recent = '';
	}
	show(columnOrPreserveFocus?: vscode.ViewColumn | boolean, preserveFocus?: boolean): void {
		if (typeof columnOrPreserveFocus === 'boolean') this.channel.show(columnOrPreserveFocus);
		else this.channel.show(columnOrPreserveFocus, preserveFocus);
	}
	hide(): void {
		this.channel.hide();
	}
	dispose(): void {
		this.listener.dispose();
		this.levelChanged.dispose();
		this.channel.dispose();
	}
}
