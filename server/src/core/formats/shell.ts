// Lines of no log format that still mean something: xtrace (`+ az login --identity`), a shell prompt before a command,
// a Python traceback's first line. They belong to the `plain` format: script output, pasted text.
import type { Head } from './common';

const XTRACE = /^(\++) (.*)$/;
/** A shell prompt before a command: `root@web01:~# `, `$ `, `PS C:\> `, `C:\Users\x> `, `root@host [ ~ ]# `. */
const PROMPT = /^\s{0,8}(?:[\w.-]{1,64}@[\w.-]{1,64}(?::[^#$\s]{0,200}| \[[^\]]{0,200}\])[#$]|\$|#|PS [A-Za-z]:\\[^>]{0,200}>|[A-Za-z]:\\[^>]{0,200}>) (?=\S)/;
export const AZCMAGENT_COMMAND = /(?:^|[\s"'&/\\])(?:sudo\s+(?:-\S+\s+)*)?(?:[\w.\\/:"-]*[/\\])?azcmagent(?:\.exe)?"?\s+(connect|disconnect|reconnect|show|check|logs|config|extension|license|version|genkey|upgrade|help)\b/;

/** The azcmagent subcommand a command line runs, if it runs azcmagent (the literal first: most commands are other tools). */
function azcmagentCommand(cmd: string): string | undefined {
	return cmd.includes('azcmagent') ? AZCMAGENT_COMMAND.exec(cmd)?.[1] : undefined;
}

export function parseShell(text: string, off: number, line: number): Head | undefined {
	const rest = off ? text.slice(off) : text;
	const x = XTRACE.exec(rest);
	if (x) {
		const cmd = x[2];
		return { format: 'plain', role: 'xtrace', name: azcmagentCommand(cmd), message: cmd, messageSpan: { line, start: off + x[1].length + 1, end: text.length }, fields: [] };
	}
	const p = PROMPT.exec(rest);
	if (p) {
		const cmd = rest.slice(p[0].length);
		return { format: 'plain', role: 'prompt', name: azcmagentCommand(' ' + cmd), message: cmd, messageSpan: { line, start: off + p[0].length, end: text.length }, fields: [] };
	}
	if (rest.startsWith('Traceback (most recent call last):')) return { format: 'plain', role: 'traceback', level: 'error', message: rest, messageSpan: { line, start: off, end: text.length }, fields: [] };
	return undefined;
}
