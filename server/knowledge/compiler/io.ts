// Reading the compiler's inputs from disk (used by main.ts at build time and by the tests). Not part of the core.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CompilerData, SourceFile } from './compile';

/** `knowledgeDir` is server/knowledge: its sources/ folder (every .md file), sources.json, ids.json, translation-review.json. */
export function readCompilerInput(knowledgeDir: string): { files: SourceFile[]; data: CompilerData } {
	const sourcesDir = join(knowledgeDir, 'sources');
	const files = readdirSync(sourcesDir)
		.filter((f) => f.endsWith('.md'))
		.sort()
		.map((file) => ({ file, text: readFileSync(join(sourcesDir, file), 'utf8') }));
	const json = (p: string) => JSON.parse(readFileSync(p, 'utf8'));
	return {
		files,
		data: {
			sources: json(join(sourcesDir, 'sources.json')),
			ids: json(join(knowledgeDir, 'ids.json')),
			review: json(join(knowledgeDir, 'translation-review.json')),
		},
	};
}
