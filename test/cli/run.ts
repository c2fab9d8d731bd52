// The CLI run in process for tests: arguments (and optional stdin chunks) in, exit code and the two streams out.
import { resolve } from 'node:path';
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
