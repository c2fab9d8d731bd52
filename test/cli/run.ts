// The CLI run in process for tests: arguments (and optional stdin chunks) in, exit code and the two streams out; and
// temporary folders that a test file's `after` removes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { main, type Io } from '../../server/src/cli/main';
import { POOL } from '../../server/src/cli/pool';

// The scan pool's workers run the built CLI (this file is bundled into a test, not into the CLI).
POOL.script = resolve(__dirname, '../../../server/out/cli.js');

export async function runCli(argv: readonly string[], stdin?: readonly Uint8Array[]): Promise<{ code: number; out: string; err: string }> {
	let out = '';
	let err = '';
	const io: Io = {
		stdout: (s) => (out += s),
		stderr: (s) => (err += s),
		isTTY: false,
		stdin: stdin
			? (async function* () {
					yield* stdin;
				})()
			: undefined,
	};
	const code = await main([...argv], io);
	return { code, out, err };
}

/**
 * `tmp()` makes a temporary folder named `arc-logs-<prefix>-…`; every one is removed after the test file's suites.
 * Call it at the top level of a test file (it registers the mocha `after` hook there).
 */
export function tempDirs(prefix: string): () => string {
	const made: string[] = [];
	after(() => {
		for (const d of made) rmSync(d, { recursive: true, force: true });
	});
	return () => {
		const d = mkdtempSync(join(tmpdir(), `arc-logs-${prefix}-`));
		made.push(d);
		return d;
	};
}
