// The Windows MSI verbose install log (`msiexec /l*v`, %TEMP%\installationlog.txt): `MSI (s) (B8:68) [08:25:45:209]: ...`,
// actions, properties and PowerShell custom-action output (`WixQuietExec64:`) wrapped with `At C:\...` / `+ ` lines.
import { defineFormat, type Head } from './common';

const MSI = /^MSI \(([scSC])\) \(([0-9A-Fa-f]{2}[:!][0-9A-Fa-f]{2})\) \[(\d\d:\d\d:\d\d:\d{3})\]: /;
const MSI_ERROR = /returned actual error code [1-9]|Return value 3\b|\berror code [1-9]\d{2,}|Installation (?:failed|operation failed)|Product: .* -- Installation failed/i;
const MSI_OTHER = /^(?:Action (?:start|ended) \d{1,2}:\d\d:\d\d: |Property\([SC]\): |=== (?:Verbose )?logging (?:started|stopped)|WixQuietExec(?:64)?: |CustomAction |MSI \()/;

function parseMsi(text: string, off: number, line: number): Head | undefined {
	const rest = off ? text.slice(off) : text;
	const m = MSI.exec(rest);
	if (!m) {
		if (!MSI_OTHER.test(rest)) return undefined;
		return { format: 'msi-log', level: MSI_ERROR.test(rest) ? 'error' : undefined, message: rest, messageSpan: { line, start: off, end: text.length }, fields: [], source: /^WixQuietExec(?:64)?/.exec(rest)?.[0] };
	}
	const start = off + m[0].length;
	const tStart = off + m[0].indexOf('[') + 1;
	return {
		format: 'msi-log',
		time: { text: m[3], span: { line, start: tStart, end: tStart + m[3].length } },
		level: MSI_ERROR.test(rest) ? 'error' : undefined,
		message: text.slice(start),
		messageSpan: { line, start, end: text.length },
		fields: [],
		source: `MSI (${m[1]})`,
	};
}

export const msi = defineFormat({
	id: 'msi-log',
	language: 'azcmagent-log',
	label: 'Windows MSI verbose install log (installationlog.txt)',
	fileNames: [/^(?:installationlog|msi)[^/\\]*\.(?:txt|log)$/i],
	parse: parseMsi,
	continues: (_prev, text, dominant) => dominant && /^(?:\s|At [A-Za-z]:\\|\+ )/.test(text),
	oneEvent: true,
	voice: { error: 'MSI-INSTALL-FAILED' },
});
