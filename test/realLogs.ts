// Every real log the tests have: test/corpus/logs (real public excerpts, labelled) and test/fixtures/logs (the
// real-format fixtures), without their expectation files, in a stable order.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The repository: the first folder above the running test file (bundled into test/out/...) with a package.json. */
let repo = __dirname;
while (!existsSync(join(repo, 'package.json')) && dirname(repo) !== repo) repo = dirname(repo);

function files(dir: string): string[] {
	return readdirSync(dir)
		.sort()
		.flatMap((n) => {
			const p = join(dir, n);
			if (statSync(p).isDirectory()) return files(p);
			return /\.(json|md)$/.test(n) ? [] : [p];
		});
}

export interface RealLog {
	/** Absolute path. */
	readonly path: string;
	/** Path from the repository root (`test/corpus/logs/...`). */
	readonly name: string;
	/** The file's base name (a hint for format detection). */
	readonly fileName: string;
	readonly text: string;
}

export const REAL_LOGS: readonly RealLog[] = [...files(join(repo, 'test/corpus/logs')), ...files(join(repo, 'test/fixtures/logs'))].map((path) => ({
	path,
	name: path.slice(repo.length + 1),
	fileName: path.split('/').pop()!,
	text: readFileSync(path, 'utf8'),
}));
