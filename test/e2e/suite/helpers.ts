// What the extension-host test files share: waiting on events (never on sleeps) and reading a diagnostic's code.
import * as vscode from 'vscode';

/**
 * `when(event, check, what, ms?)`: resolves with the first value `check` returns that is not undefined, checking now
 * and on every `event`; rejects after `ms` (default: the file's `defaultMs`) naming `what`.
 */
export function waiter(defaultMs: number) {
	return function when<T, E>(event: vscode.Event<E>, check: () => T | undefined, what: string, ms = defaultMs): Promise<T> {
		const now = check();
		if (now !== undefined) return Promise.resolve(now);
		return new Promise<T>((resolve, reject) => {
			const timer = setTimeout(() => {
				sub.dispose();
				reject(new Error(`timed out after ${ms} ms waiting for ${what}`));
			}, ms);
			const sub = event(() => {
				const v = check();
				if (v === undefined) return;
				clearTimeout(timer);
				sub.dispose();
				resolve(v);
			});
		});
	};
}

/** A diagnostic's code as a string (VS Code gives `{ value, target }` when the code has a link). */
export const codeOf = (d: vscode.Diagnostic): string | undefined => (typeof d.code === 'object' ? String(d.code.value) : d.code === undefined ? undefined : String(d.code));
