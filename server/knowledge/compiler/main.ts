// Build step (run by build.mjs before anything else): compile the vendored articles into
// server/src/core/knowledge/generated/knowledge.json. Deterministic: same sources, same bytes.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileKnowledge, KnowledgeCompileError, serializeKnowledge } from './compile';
import { readCompilerInput } from './io';

const root = process.cwd();
const outDir = join(root, 'server/src/core/knowledge/generated');
const outFile = join(outDir, 'knowledge.json');
try {
	const { files, data } = readCompilerInput(join(root, 'server/knowledge'));
	const kb = compileKnowledge(files, data);
	const json = serializeKnowledge(kb);
	mkdirSync(outDir, { recursive: true });
	let old = '';
	try {
		old = readFileSync(outFile, 'utf8');
	} catch {
		// first build
	}
	if (old !== json) writeFileSync(outFile, json);
	const count = (k: string) => kb.entries.filter((e) => e.kind === k).length;
	console.log(`knowledge: ${kb.entries.length} entries (${['azcm', 'exit', 'connection', 'nexus', 'cloud-init', 'platform'].map((k) => `${count(k)} ${k}`).join(', ')}) from ${kb.articles.length} sources`);
} catch (e) {
	if (e instanceof KnowledgeCompileError) {
		console.error(`knowledge compiler: ${e.message}`);
		process.exit(1);
	}
	throw e;
}
