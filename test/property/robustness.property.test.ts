// Property tests (issue 9): the real-format fixture logs, mutated like a crash, a bad copy or an attacker would, go
// through the in-memory path (analyze over a string), the file path and the zip path (stored and deflated) of the CLI.
// Properties: nothing throws, every range is inside the document, the analysis is deterministic, the three paths agree,
// and the SARIF is valid SARIF 2.1.0. Bounded runtime: few runs, a fixed seed (a failure prints its seed and path to
// replay; keep each one found as a regression case below).
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { zipSync, strToU8 } from 'fflate';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { analyze } from '../../server/src/core/analysis/analyze';
import { linesOf } from '../../server/src/core/text';
import { main, type Io } from '../../server/src/cli/main';

const repo = resolve(__dirname, '../../..');
const fixtures = join(repo, 'test/fixtures/logs');
const SEED = 20260209;

/** Every fixture log (not its expectation), with the known name its family goes by (so a zip entry is always wanted). */
const LOGS: { name: string; text: string }[] = [];
for (const dir of readdirSync(fixtures, { withFileTypes: true })) {
	if (!dir.isDirectory()) continue;
	const name = dir.name.startsWith('cloud-init') ? 'cloud-init-output.log' : 'azcmagent.log';
	for (const f of readdirSync(join(fixtures, dir.name)).sort()) {
		if (f.endsWith('.json') || f.endsWith('.md')) continue;
		LOGS.push({ name, text: readFileSync(join(fixtures, dir.name, f), 'utf8') });
	}
}

/** Text that a crash, a bad copy or an attacker puts into a log. `withControls`: also NULs, ESC and other control characters. */
const noise = (withControls: boolean) =>
	fc.oneof(
		fc.string({ maxLength: 40 }),
		fc.constantFrom('\n', '\r', '\r\n', '\n\n\n', ' ', '"', '=', 'level=error msg="', 'Exit Code:  AZCM0042: ', 'AZCM0026', '+ azcmagent connect', '\t'),
		fc.constantFrom('\u202e', '\u200b', 'é', '😀', '[x](command:y)', 'ERROR', 'Cloud-init v. 23.4 finished'),
		...(withControls ? [fc.constantFrom('\0', '\0'.repeat(64), '\x1b[2J', '\x1b]52;c;eA==\x07', '\x7f', '\x01\x02\x03')] : []),
	);

type Mutation = { kind: 'insert' | 'delete' | 'duplicate' | 'truncate'; at: number; size: number; text: string };
const mutation = (withControls: boolean): fc.Arbitrary<Mutation> =>
	fc.record({ kind: fc.constantFrom('insert', 'delete', 'duplicate', 'truncate'), at: fc.nat(), size: fc.nat({ max: 400 }), text: noise(withControls) }) as fc.Arbitrary<Mutation>;

function mutate(text: string, ms: readonly Mutation[]): string {
	for (const m of ms) {
		const at = text.length ? m.at % (text.length + 1) : 0;
		if (m.kind === 'insert') text = text.slice(0, at) + m.text + text.slice(at);
		else if (m.kind === 'delete') text = text.slice(0, at) + text.slice(at + m.size);
		else if (m.kind === 'duplicate') text = text.slice(0, at) + text.slice(at, at + m.size) + text.slice(at);
		else text = text.slice(0, Math.max(at, text.length - m.size));
	}
	return text;
}

const mutatedLog = (withControls: boolean) =>
	fc.record({ log: fc.constantFrom(...LOGS), mutations: fc.array(mutation(withControls), { minLength: 1, maxLength: 6 }) }).map(({ log, mutations }) => ({
		name: log.name,
		text: mutate(log.text, mutations),
	}));

/** A finding and its related ranges, as comparable text. */
function shapeOf(findings: readonly { id: string; severity: string; range: { start: { line: number; character: number }; end: { line: number; character: number } }; related: readonly { range: { start: { line: number } } }[] }[]) {
	return findings.map((f) => `${f.id} ${f.severity} ${f.range.start.line}:${f.range.start.character}-${f.range.end.line}:${f.range.end.character} [${f.related.map((r) => r.range.start.line).join(',')}]`);
}

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
	let out = '';
	let err = '';
	const io: Io = { stdout: (s) => (out += s), stderr: (s) => (err += s), isTTY: false };
	const code = await main(argv, io);
	return { code, out, err };
}

const dirs: string[] = [];
after(() => {
	for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('property: mutated real-format logs (issue 9)', () => {
	it('never throw, keep every range inside the document, and are deterministic (in memory)', () => {
		assert.ok(LOGS.length >= 20, `fixtures found: ${LOGS.length}`);
		fc.assert(
			fc.property(mutatedLog(true), ({ name, text }) => {
				const doc = linesOf(text);
				const a = analyze(doc, { fileName: name });
				assert.equal(a.lineCount, doc.lineCount);
				const inside = (p: { line: number; character: number }) => p.line >= 0 && p.line < doc.lineCount && p.character >= 0 && p.character <= doc.lineAt(p.line).length;
				for (const f of a.findings) {
					assert.ok(inside(f.range.start) && inside(f.range.end), `${f.id} ${JSON.stringify(f.range)}`);
					for (const r of f.related) assert.ok(inside(r.range.start) && inside(r.range.end), `${f.id} related ${JSON.stringify(r.range)}`);
				}
				assert.deepEqual(shapeOf(analyze(linesOf(text), { fileName: name }).findings), shapeOf(a.findings));
			}),
			{ seed: SEED, numRuns: 150 },
		);
	});

	it('give the same lines and findings from a file, a stored zip, a deflated zip and memory; the SARIF is valid', async () => {
		const ajv = new Ajv({ strict: false, allErrors: true });
		addFormats(ajv);
		const validate = ajv.compile(JSON.parse(readFileSync(join(repo, 'test/data/sarif-schema-2.1.0.json'), 'utf8')));
		const d = mkdtempSync(join(tmpdir(), 'arc-logs-property-'));
		dirs.push(d);
		let n = 0;
		await fc.assert(
			fc.asyncProperty(mutatedLog(false), async ({ name, text }) => {
				// A text file the CLI reads as text: no BOM to strip (it would be stripped, and the in-memory path keeps it).
				text = text.replace(/^\ufeff/, '');
				// The same file name on every path (the name is a hint to format detection).
				const k = join(d, String(n++));
				mkdirSync(k);
				const bytes = strToU8(text);
				writeFileSync(join(k, name), bytes);
				writeFileSync(join(k, 'stored.zip'), zipSync({ [`logs/${name}`]: bytes }, { level: 0 }));
				writeFileSync(join(k, 'deflated.zip'), zipSync({ [`logs/${name}`]: bytes }, { level: 6 }));
				const r = await cli(['scan', '--format', 'json', join(k, name), join(k, 'stored.zip'), join(k, 'deflated.zip')]);
				const files = JSON.parse(r.out).files as { lineCount: number; findings: { id: string; severity: string; line: number; column: number; endLine: number; endColumn: number; related: { line: number }[] }[] }[];
				assert.equal(files.length, 3, r.err);
				const mem = analyze(linesOf(text), { fileName: name });
				const expected = {
					lineCount: mem.lineCount,
					findings: mem.findings.map((f) => `${f.id} ${f.severity} ${f.range.start.line + 1}:${f.range.start.character + 1}-${f.range.end.line + 1}:${f.range.end.character + 1} [${f.related.map((x) => x.range.start.line + 1).join(',')}]`),
				};
				for (const f of files) {
					const got = { lineCount: f.lineCount, findings: f.findings.map((x) => `${x.id} ${x.severity} ${x.line}:${x.column}-${x.endLine}:${x.endColumn} [${x.related.map((y) => y.line).join(',')}]`) };
					assert.deepEqual(got, expected);
				}
				const sarif = await cli(['scan', '--format', 'sarif', join(k, name), join(k, 'deflated.zip')]);
				assert.ok(validate(JSON.parse(sarif.out)), JSON.stringify(validate.errors, null, 1));
			}),
			{ seed: SEED, numRuns: 40 },
		);
	});

	it('give the same result however the bytes are chunked (UTF-8 sequences and CRLF split across chunks, via stdin)', async () => {
		await fc.assert(
			fc.asyncProperty(mutatedLog(false), fc.array(fc.nat(), { maxLength: 12 }), async ({ text }, cuts) => {
				text = text.replace(/^\ufeff/, '');
				const bytes = Buffer.from(text, 'utf8');
				const at = [...new Set(cuts.map((c) => (bytes.length ? c % bytes.length : 0)))].sort((a, b) => a - b);
				const chunks = [0, ...at].map((start, i, all) => bytes.subarray(start, all[i + 1] ?? bytes.length));
				let out = '';
				const code = await main(['scan', '--format', 'json', '-'], {
					stdout: (x) => (out += x),
					stderr: () => undefined,
					isTTY: false,
					stdin: (async function* () {
						yield* chunks;
					})(),
				});
				assert.ok(code === 0 || code === 1);
				const [f] = JSON.parse(out).files as { lineCount: number; findings: { id: string; line: number; column: number }[] }[];
				const mem = analyze(linesOf(text), { fileName: '-' });
				assert.equal(f.lineCount, mem.lineCount);
				assert.deepEqual(
					f.findings.map((x) => `${x.id}@${x.line}:${x.column}`),
					mem.findings.map((x) => `${x.id}@${x.range.start.line + 1}:${x.range.start.character + 1}`),
				);
			}),
			{ seed: SEED, numRuns: 40 },
		);
	});
});
