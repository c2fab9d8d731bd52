// Test helpers for the pure features: an in-memory document with a caret marker, real analyses of log text, and
// hand-made Analysis objects for cases the engine's output should not decide.
import { analyze } from '../../../server/src/core/analysis/analyze';
import type { Locale } from '../../../server/src/core/knowledge/types';
import type { Analysis, Finding, LineSource, LogRecord, Position, Range, Section } from '../../../server/src/core/model';
import { linesOf } from '../../../server/src/core/text';

export const CARET = '$0';

export interface TestDocument {
	readonly text: string;
	readonly source: LineSource;
	/** Where the caret marker was (the marker itself is removed). */
	readonly position: Position;
}

/** A document from `text` with one `$0` caret marker (removed from the text). */
export function withCaret(textWithCaret: string): TestDocument {
	const at = textWithCaret.indexOf(CARET);
	if (at < 0 || textWithCaret.indexOf(CARET, at + 1) >= 0) throw new Error('the text needs exactly one caret marker $0');
	const text = textWithCaret.slice(0, at) + textWithCaret.slice(at + CARET.length);
	const before = textWithCaret.slice(0, at).split(/\r\n|\r|\n/);
	return { text, source: linesOf(text), position: { line: before.length - 1, character: before[before.length - 1].length } };
}

/** The real engine on `text` (lines joined with \n). */
export function analyzeText(text: string, locale: Locale = 'en', fileName?: string): { analysis: Analysis; source: LineSource } {
	const source = linesOf(text);
	return { analysis: analyze(source, { locale, fileName }), source };
}

export function range(line: number, start: number, end: number, endLine = line): Range {
	return { start: { line, character: start }, end: { line: endLine, character: end } };
}

export function finding(partial: Partial<Finding> & Pick<Finding, 'id' | 'range'>): Finding {
	return {
		kind: 'azcm',
		severity: 'error',
		message: `${partial.id} happened`,
		captures: {},
		related: [],
		commands: [],
		...partial,
	};
}

export function record(partial: Partial<LogRecord> & Pick<LogRecord, 'startLine'>): LogRecord {
	return { format: 'azcmagent-log', endLine: partial.startLine, message: '', fields: [], ...partial };
}

export function section(partial: Partial<Section> & Pick<Section, 'kind' | 'startLine' | 'endLine'>): Section {
	return { name: '', outcome: 'unknown', children: [], ...partial };
}

export function makeAnalysis(partial: Partial<Analysis> & { lineCount?: number }): Analysis {
	return { format: 'azcmagent-log', formats: ['azcmagent-log'], lineCount: 1, records: [], sections: [], findings: [], locale: 'en', ...partial };
}

/** The text a range covers in `source` (single line ranges). */
export function textAt(source: LineSource, r: Range): string {
	return source.lineAt(r.start.line).slice(r.start.character, r.end.character);
}

// Realistic logs, in the formats of LOG-FORMATS.md (values made up).

/** An azcmagent.log with a successful earlier run and a failing `connect` (AZCM0026, cause in the fatal record). */
export const AZCMAGENT_LOG = [
	'time="2024-03-02T08:15:41Z" level=debug msg="Agent Version: 1.38.02546.1102"',
	'time="2024-03-02T08:15:44Z" level=debug msg="Successfully acquired Authorization Token" Method=SPN',
	'time="2024-03-02T09:00:55+02:00" level=info msg="Onboarding Machine" Operation=connect',
	'time="2024-03-02T09:00:58+02:00" level=error msg="ERROR while probing, retrying" Status Code=503',
	'time="2024-03-02T09:01:07+02:00" level=info msg="Exit Code:  AZCM0026: Network Error"',
	'time="2024-03-02T09:01:07+02:00" level=info msg="For troubleshooting, see https://aka.ms/arc/azcmerror"',
	'time="2024-03-02T09:01:07+02:00" level=fatal msg="dial tcp: lookup login.microsoftonline.com: no such host"',
].join('\n');

/** A cloud-init-output.log: one boot whose modules:final stage fails (set -x script, az login). */
export const CLOUD_INIT_OUTPUT_LOG = [
	"Cloud-init v. 23.4.4-0ubuntu0~22.04.1 running 'init' at Tue, 04 Jun 2024 07:01:12 +0000. Up 9.81 seconds.",
	'ci-info: ++++++++++++++++++++++++++++++++++++++Net device info+++++++++++++++++++++++++++++++++++++++',
	'ci-info: | Device |  Up  |  Address  |    Mask   | Scope  |     Hw-Address    |',
	"Cloud-init v. 23.4.4-0ubuntu0~22.04.1 running 'modules:config' at Tue, 04 Jun 2024 07:01:20 +0000. Up 17.10 seconds.",
	"Cloud-init v. 23.4.4-0ubuntu0~22.04.1 running 'modules:final' at Tue, 04 Jun 2024 07:01:30 +0000. Up 27.40 seconds.",
	'+ export NO_PROXY=localhost,127.0.0.1',
	'+ az login --identity',
	'ERROR: Failed to login with system-assigned managed identity',
	'2024-06-04 07:01:55,118 - util.py[WARNING]: Failed running /var/lib/cloud/instance/scripts/part-001 [1]',
	'2024-06-04 07:01:55,130 - cc_scripts_user.py[WARNING]: Failed to run module scripts-user (scripts in /var/lib/cloud/instance/scripts)',
	'Cloud-init v. 23.4.4-0ubuntu0~22.04.1 finished at Tue, 04 Jun 2024 07:01:55 +0000. Datasource DataSourceAzure [seed=/dev/sr0].  Up 52.66 seconds',
].join('\n');

/** A cloud-init.log record with continuation lines (Command:/Exit code: block). */
export const CLOUD_INIT_LOG = [
	'2024-06-04 07:01:12,004 - stages.py[DEBUG]: Running module scripts-user with frequency once-per-instance',
	'2024-06-04 07:01:55,117 - subp.py[DEBUG]: Unexpected error while running command.',
	"Command: ['/var/lib/cloud/instance/scripts/runcmd']",
	'Exit code: 1',
	'Reason: -',
	'Stdout: -',
	'Stderr: -',
	'2024-06-04 07:01:55,118 - util.py[WARNING]: Failed running /var/lib/cloud/instance/scripts/runcmd [1]',
].join('\n');

/** Markdown with its backslash escapes undone: the text a reader sees (for asserting on content, not on escaping). */
export function plain(markdown: string): string {
	return markdown.replace(/\\([!-/:-@[-`{-~])/g, '$1');
}
