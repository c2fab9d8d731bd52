// Suggested commands: the code spans and code-block lines of a remediation that are commands a reader can run.
import { codeSpans } from './markdown';

/**
 * A code span is a command when it is at least two words, starts with a lower-case program name (not a flag, a path,
 * a host or a capitalized name) and holds no `<placeholder>`: `azcmagent disconnect --force-local-only` is one,
 * `--resource-name`, `%TEMP%\installationlog.txt`, `packages.microsoft.com` and `azcmagent <command> --help` are not.
 */
export function isCommand(code: string): boolean {
	const s = code.trim();
	if (/[\r\n]/.test(s)) return false;
	const words = s.split(/\s+/);
	if (words.length < 2) return false;
	if (!/^[a-z][a-z0-9_-]*$/.test(words[0])) return false;
	if (/<[a-z][^>]*>/i.test(s)) return false;
	return true;
}

/** Commands of a code block: comment and blank lines dropped, `\` and backtick continuations joined. */
export function blockCommands(lines: readonly string[]): string[] {
	const out: string[] = [];
	let cur = '';
	for (const raw of lines) {
		const line = raw.trim();
		if (cur === '' && (line === '' || line.startsWith('#'))) continue;
		const cont = /\s[\\`]$/.exec(line);
		cur += (cur ? ' ' : '') + (cont ? line.slice(0, -1).trim() : line);
		if (!cont) {
			out.push(cur.replace(/\s+/g, ' '));
			cur = '';
		}
	}
	if (cur) out.push(cur.replace(/\s+/g, ' '));
	return out.filter((c) => /^[a-z$(]/i.test(c) && !/^[A-Z]+:/.test(c));
}

/** Commands named by inline markdown, in order. */
export function inlineCommands(md: string): string[] {
	return codeSpans(md).filter(isCommand);
}

export function dedupe(xs: readonly string[]): string[] {
	return [...new Set(xs)];
}
