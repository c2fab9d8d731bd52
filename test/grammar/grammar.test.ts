// TextMate grammars (syntaxes/), their language configuration and the file associations in package.json.
//  - every fixture in test/grammar/fixtures is a vscode-tmgrammar-test file (scope assertions, incl. negative ones),
//    run with both grammars, one `it` per fixture;
//  - the grammar JSON is what syntaxes/src/build-grammars.mjs generates, every regex compiles in vscode-oniguruma,
//    every rule carries a standard theme scope + a private *.arc-logs scope, no look-behind is variable-length;
//  - language-configuration.json keeps GUIDs / AZCM codes / IP addresses as one word;
//  - filenames and filenamePatterns map real file names to our ids (VS Code's priority rules, minimatch globs).
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import * as onig from 'vscode-oniguruma';
import * as tm from 'vscode-textmate';
import { minimatch } from 'minimatch';

function findRoot(): string {
	let dir = __dirname;
	for (;;) {
		const pkg = join(dir, 'package.json');
		if (existsSync(pkg) && JSON.parse(readFileSync(pkg, 'utf8')).name === 'arc-logs') return dir;
		const up = dirname(dir);
		if (up === dir) throw new Error(`no arc-logs package.json above ${__dirname}`);
		dir = up;
	}
}
const root = findRoot();
const fixtures = join(root, 'test/grammar/fixtures');
const grammarFiles = {
	'text.log.azcmagent': join(root, 'syntaxes/azcmagent-log.tmLanguage.json'),
	'text.log.cloud-init': join(root, 'syntaxes/cloud-init-log.tmLanguage.json'),
};
const tmGrammarTest = join(root, 'node_modules/vscode-tmgrammar-test/dist/unit.js');
const COMMENT = '%%';

interface Rule {
	name?: string;
	contentName?: string;
	match?: string;
	begin?: string;
	end?: string;
	while?: string;
	include?: string;
	captures?: Record<string, Rule>;
	beginCaptures?: Record<string, Rule>;
	endCaptures?: Record<string, Rule>;
	whileCaptures?: Record<string, Rule>;
	patterns?: Rule[];
	repository?: Record<string, Rule>;
}
interface Grammar extends Rule {
	scopeName: string;
}
interface Manifest {
	contributes: {
		languages: { id: string; filenames?: string[]; filenamePatterns?: string[]; extensions?: string[]; configuration?: string }[];
		grammars: { language: string; scopeName: string; path: string }[];
		configurationDefaults?: Record<string, Record<string, unknown>>;
	};
}
const manifest = (): Manifest => JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest;
const loadGrammar = (path: string): Grammar => JSON.parse(readFileSync(path, 'utf8')) as Grammar;

function runTmGrammarTest(file: string) {
	// An empty --config: vscode-tmgrammar-test would otherwise also load package.json's grammars; with it, exactly the
	// two -g grammars are tested (the manifest's grammar paths are checked by a test of their own below).
	const config = join(root, 'test/grammar/tmgrammar-test.config.json');
	const args = [tmGrammarTest, '--config', config, ...Object.values(grammarFiles).flatMap((g) => ['-g', g]), file];
	const r = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
	return { status: r.status, output: `${r.stdout ?? ''}${r.stderr ?? ''}`.trim() };
}

describe('grammar: vscode-tmgrammar-test fixtures (scope assertions)', () => {
	const files = readdirSync(fixtures).filter((f) => f.endsWith('.log')).sort();

	it('covers both grammars with at least 8 fixtures', () => {
		assert.ok(files.length >= 8, `only ${files.length} fixtures`);
		const scopes = new Set(files.map((f) => /SYNTAX TEST "([^"]+)"/.exec(readFileSync(join(fixtures, f), 'utf8'))?.[1]));
		assert.deepEqual([...scopes].sort(), Object.keys(grammarFiles).sort());
	});

	for (const file of files) {
		it(file, function () {
			this.timeout(60000);
			const text = readFileSync(join(fixtures, file), 'utf8');
			const lines = text.split(/\r?\n/);
			assert.match(lines[0], /^%% SYNTAX TEST "text\.log\.(azcmagent|cloud-init)" "[^"]+"$/, 'header');
			const assertions = lines.filter((l) => l.startsWith(COMMENT) && /^\s*(\^|<~*-)/.test(l.slice(COMMENT.length)));
			const negative = assertions.filter((l) => / - \w/.test(l) || /\^\s+-\s/.test(l));
			assert.ok(assertions.length >= 20, `${file}: only ${assertions.length} assertions`);
			assert.ok(negative.length >= 1, `${file}: no negative (- scope) assertion`);
			// no source line may start with the comment token: it would silently become a non-tokenized line
			const stray = lines.slice(1).filter((l) => l.startsWith(COMMENT) && !assertions.includes(l));
			assert.deepEqual(stray, [], 'lines starting with %% that are not assertions');
			const r = runTmGrammarTest(join(fixtures, file));
			assert.equal(r.status, 0, `vscode-tmgrammar-test failed for ${file}:\n${r.output}`);
		});
	}

	it('the runner really fails on a wrong assertion (negative control)', function () {
		this.timeout(60000);
		const dir = mkdtempSync(join(tmpdir(), 'arc-logs-grammar-'));
		try {
			const file = join(dir, 'wrong.log');
			writeFileSync(
				file,
				[
					'%% SYNTAX TEST "text.log.azcmagent" "negative control"',
					'time="2024-03-02T08:15:41Z" level=error msg="x"',
					'%%                                ^^^^^ markup.inserted level.info.arc-logs',
					'INFO    ERROR is text',
					'%%      ^^^^^ - comment',
					'%%      ^^^^^ invalid.illegal level.error.arc-logs',
				].join('\n'),
			);
			const r = runTmGrammarTest(file);
			assert.notEqual(r.status, 0, r.output);
			assert.match(r.output, /missing required scopes: markup\.inserted level\.info\.arc-logs/);
			assert.match(r.output, /missing required scopes: invalid\.illegal level\.error\.arc-logs/);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});
});

// ---------------------------------------------------------------- grammar structure
/** Scopes a theme is expected to colour (or, for punctuation.*, a standard TextMate name). Exact names. */
const STANDARD = new Set([
	'comment',
	'constant.character.escape',
	'constant.language',
	'constant.numeric',
	'entity.name.function',
	'entity.name.section',
	'entity.name.tag',
	'entity.name.type',
	'entity.other.attribute-name',
	'invalid.illegal',
	'keyword.control',
	'keyword.other',
	'markup.bold',
	'markup.changed',
	'markup.deleted',
	'markup.heading',
	'markup.inserted',
	'markup.italic',
	'markup.other',
	'markup.underline.link',
	'string.quoted.double',
	'string.quoted.single',
	'string.regexp',
	'string.unquoted',
	'strong',
	'variable.other.property',
]);
const PRIVATE = /^[a-z0-9]+(?:-[a-z0-9]+)*(?:\.[a-z0-9]+(?:-[a-z0-9]+)*)*\.arc-logs$/;

interface Visit {
	where: string;
	rule: Rule;
}
function walk(g: Grammar): Visit[] {
	const out: Visit[] = [];
	const visit = (rule: Rule, where: string) => {
		out.push({ rule, where });
		for (const key of ['captures', 'beginCaptures', 'endCaptures', 'whileCaptures'] as const) {
			for (const [i, c] of Object.entries(rule[key] ?? {})) visit(c, `${where}.${key}[${i}]`);
		}
		(rule.patterns ?? []).forEach((p, i) => visit(p, `${where}.patterns[${i}]`));
	};
	visit({ patterns: g.patterns }, g.scopeName);
	for (const [k, r] of Object.entries(g.repository ?? {})) visit(r, `${g.scopeName}#${k}`);
	return out;
}
const regexesOf = (r: Rule) => (['match', 'begin', 'end', 'while'] as const).filter((k) => r[k] !== undefined).map((k) => [k, r[k] as string] as const);

/** Number of capturing groups: "(" not escaped, not in a character class, not followed by "?" (named groups excepted). */
function groupCount(re: string): number {
	let n = 0;
	let inClass = false;
	for (let i = 0; i < re.length; i++) {
		const c = re[i];
		if (c === '\\') {
			i++;
			continue;
		}
		if (inClass) {
			if (c === ']') inClass = false;
			continue;
		}
		if (c === '[') {
			inClass = true;
			if (re[i + 1] === '^') i++;
			if (re[i + 1] === ']') i++;
			continue;
		}
		if (c === '(' && (re[i + 1] !== '?' || re[i + 2] === '<' && /[A-Za-z]/.test(re[i + 3] ?? ''))) n++;
	}
	return n;
}
/** Bodies of every look-behind (?<=...) / (?<!...) in a regex. */
function lookBehinds(re: string): string[] {
	const out: string[] = [];
	for (let i = 0; i < re.length; i++) {
		if (re[i] === '\\') {
			i++;
			continue;
		}
		if (re.startsWith('(?<=', i) || re.startsWith('(?<!', i)) {
			let depth = 1;
			let j = i + 4;
			let inClass = false;
			for (; j < re.length && depth > 0; j++) {
				const c = re[j];
				if (c === '\\') j++;
				else if (inClass) inClass = c !== ']';
				else if (c === '[') inClass = true;
				else if (c === '(') depth++;
				else if (c === ')') depth--;
			}
			out.push(re.slice(i + 4, j - 1));
		}
	}
	return out;
}
/** A look-behind body is fixed-length if, outside escapes and character classes, it has no quantifier. */
function isFixedLength(body: string): boolean {
	const stripped = body.replace(/\\./g, 'x').replace(/\[(?:\\.|[^\]\\])*\]/g, 'x');
	return !/[*+?{]/.test(stripped);
}

describe('grammar: structure, scopes and regexes', () => {
	let grammars: Grammar[] = [];
	before(async () => {
		grammars = Object.values(grammarFiles).map(loadGrammar);
		await onig.loadWASM(readFileSync(join(root, 'node_modules/vscode-oniguruma/release/onig.wasm')));
	});

	it('the manifest declares both grammars with the right scope names and paths', () => {
		const m = manifest();
		for (const [scope, file] of Object.entries(grammarFiles)) {
			const decl = m.contributes.grammars.find((g) => g.scopeName === scope);
			assert.ok(decl, `no grammar contribution for ${scope}`);
			assert.equal(resolve(root, decl.path), file);
			assert.equal(loadGrammar(file).scopeName, scope);
		}
		assert.deepEqual(m.contributes.grammars.map((g) => g.language).sort(), ['azcmagent-log', 'cloud-init-log']);
	});

	it('the JSON files are exactly what syntaxes/src/build-grammars.mjs generates', () => {
		const r = spawnSync(process.execPath, [join(root, 'syntaxes/src/build-grammars.mjs'), '--check'], { encoding: 'utf8' });
		assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
	});

	it('every name carries standard theme scope(s) and exactly one private *.arc-logs scope, last', () => {
		const problems: string[] = [];
		let names = 0;
		for (const g of grammars) {
			for (const { rule, where } of walk(g)) {
				for (const key of ['name', 'contentName'] as const) {
					const value = rule[key];
					if (value === undefined) continue;
					names++;
					const parts = value.split(' ');
					const privates = parts.filter((p) => p.endsWith('.arc-logs'));
					const standards = parts.filter((p) => STANDARD.has(p) || /^punctuation\.[a-z-]+(\.[a-z-]+)*$/.test(p));
					if (privates.length !== 1 || !PRIVATE.test(privates[0]) || parts[parts.length - 1] !== privates[0]) {
						problems.push(`${where}.${key}: "${value}" needs exactly one private *.arc-logs scope, last`);
					}
					if (standards.length === 0) problems.push(`${where}.${key}: "${value}" has no standard theme scope`);
					if (standards.length + privates.length !== parts.length) {
						problems.push(`${where}.${key}: "${value}" has a scope that is neither standard nor private`);
					}
				}
			}
		}
		assert.deepEqual(problems, []);
		assert.ok(names > 100, `only ${names} names`);
	});

	it('every match rule names what it matches; begin rules have an end; captures exist and have no patterns', () => {
		const problems: string[] = [];
		for (const g of grammars) {
			for (const { rule, where } of walk(g)) {
				if (rule.match !== undefined && !rule.name && !rule.captures) problems.push(`${where}: match without name or captures`);
				if (rule.begin !== undefined && rule.end === undefined && rule.while === undefined) problems.push(`${where}: begin without end`);
				if (rule.begin !== undefined && !rule.name && !rule.contentName && !rule.beginCaptures && !rule.patterns) {
					problems.push(`${where}: begin rule with no scope and no patterns`);
				}
				const check = (caps: Record<string, Rule> | undefined, re: string | undefined, what: string) => {
					if (!caps || re === undefined) return;
					const max = groupCount(re);
					for (const [i, c] of Object.entries(caps)) {
						if (Number(i) > max) problems.push(`${where}.${what}[${i}]: regex has ${max} groups`);
						// vscode-textmate re-scans a capture that has patterns on a copy of the line up to the capture:
						// O(line length) per capture, quadratic on a long line (measured: bench/README.md).
						if (c.patterns) problems.push(`${where}.${what}[${i}]: a capture with patterns (use begin/end instead)`);
					}
				};
				check(rule.captures, rule.match ?? rule.begin, 'captures');
				check(rule.beginCaptures, rule.begin, 'beginCaptures');
				check(rule.endCaptures, rule.end, 'endCaptures');
			}
		}
		assert.deepEqual(problems, []);
	});

	it('every regex compiles in vscode-oniguruma and every look-behind is fixed-length', () => {
		const problems: string[] = [];
		let count = 0;
		for (const g of grammars) {
			for (const { rule, where } of walk(g)) {
				for (const [k, re] of regexesOf(rule)) {
					count++;
					try {
						const scanner = new onig.OnigScanner([re]);
						const s = new onig.OnigString('time="2024-03-02T08:15:41Z" level=error msg="x" ERROR[0007] 10.0.0.1:443');
						scanner.findNextMatchSync(s, 0);
						s.dispose();
						scanner.dispose();
					} catch (e) {
						problems.push(`${where}.${k}: ${(e as Error).message}`);
					}
					for (const body of lookBehinds(re)) if (!isFixedLength(body)) problems.push(`${where}.${k}: variable-length look-behind (?<…${body})`);
				}
			}
		}
		assert.deepEqual(problems, []);
		assert.ok(count > 80, `only ${count} regexes`);
	});

	it('the look-behind check itself rejects a variable-length look-behind', () => {
		assert.deepEqual(lookBehinds(String.raw`(?<=\s)a(?<![\w-])b`), [String.raw`\s`, String.raw`[\w-]`]);
		assert.ok(isFixedLength(String.raw`\\[nrt]`));
		assert.ok(!isFixedLength(String.raw`^\s*`));
		assert.ok(!isFixedLength('a{1,3}'));
		assert.equal(groupCount(String.raw`(a)(?:b)(?<n>c)[(]\((d)`), 3);
	});

	it('every include resolves, also across the two grammars', () => {
		const byScope = new Map(grammars.map((g) => [g.scopeName, g]));
		const problems: string[] = [];
		for (const g of grammars) {
			for (const { rule, where } of walk(g)) {
				const inc = rule.include;
				if (inc === undefined || inc === '$self' || inc === '$base') continue;
				const [scope, key] = inc.startsWith('#') ? [g.scopeName, inc.slice(1)] : inc.split('#');
				const target = byScope.get(scope);
				if (!target || (key !== undefined && !target.repository?.[key])) problems.push(`${where}: include ${inc} does not resolve`);
			}
		}
		assert.deepEqual(problems, []);
	});

	it('each level value has its own private scope (logrus, console, GC, GPO, MSI, cloud-init, apt)', () => {
		const levels = new Set<string>();
		for (const g of grammars) {
			for (const { rule } of walk(g)) {
				for (const part of (rule.name ?? '').split(' ')) if (/^level\.[a-z]+\.arc-logs$/.test(part)) levels.add(part);
			}
		}
		assert.deepEqual(
			[...levels].sort(),
			['critical', 'debug', 'error', 'fatal', 'info', 'panic', 'trace', 'warning'].map((l) => `level.${l}.arc-logs`),
		);
	});
});

// ---------------------------------------------------------------- long joined serial-console lines
// A serial console can join thousands of records into one physical line with a literal "\n[   52.13] " between them.
// Every record must end before the next separator (no nesting that re-opens on each separator). Counted, not timed
// (bench/tokenize.mjs times the same line):
//  - every separator is a separator token (no record swallowed the next one) and no rule is left open;
//  - 4x the records give 4x the scanner calls and 4x the tokens;
//  - the scanner calls that can re-read the rest of the line stay a constant number. vscode-oniguruma caches each
//    regex's last result (a later search from further on reuses it), except in a scanner with a \G regex: there every
//    regex searches again, up to its next match or the end of the line. Such a call once per joined record would be
//    quadratic (it was: 15 s for 400 KB before the joined records stopped applying \G record heads).
describe('grammar: a 1 MB serial-console line of joined records tokenizes in linear work', () => {
	const SEGMENTS = [
		'cloud-init[3465]: 2024-06-04 07:01:55,118 - util.py[WARNING]: Failed running /var/lib/cloud/instance/scripts/runcmd [1]',
		"cloud-init[3465]: Cloud-init v. 23.4.4 running 'modules:final' at Tue, 04 Jun 2024 07:01:30 +0000. Up 27.40 seconds.",
		'cloud-init[3132]: time="2024-06-04T07:01:50Z" level=error msg="AZCM0026 \\"unterminated',
		'cloud-init[3132]: ERROR: Failed to login with system-assigned managed identity "x',
		'cloud-init[3132]: + az login --identity',
		'systemd[1]: cloud-final.service: Main process exited, code=exited, status=1/FAILURE',
		"cloud-init[3132]: mv: cannot stat 'a/*': No such file or directory",
		'cloud-init[3132]: 2024-01-02T03:04:07.100000Z ERROR ExtHandler ExtHandler Event: name=x, op=Enable',
	];
	function joinedLine(records: number): string {
		const parts: string[] = [];
		for (let i = 0; i < records; i++) parts.push(`[  ${(i / 100).toFixed(6).padStart(10)}] ${SEGMENTS[i % SEGMENTS.length]}`);
		return parts.join('\\n');
	}
	let grammar: tm.IGrammar | null = null;
	let calls = 0;
	let anchoredCalls = 0;
	before(async () => {
		await onig.loadWASM(readFileSync(join(root, 'node_modules/vscode-oniguruma/release/onig.wasm'))).catch(() => undefined);
		const registry = new tm.Registry({
			onigLib: Promise.resolve({
				createOnigScanner: (patterns: string[]) => {
					const scanner = new onig.OnigScanner(patterns);
					const anchored = patterns.some((p) => p.includes('\\G'));
					return {
						findNextMatchSync: (s: string | tm.OnigString, start: number) => {
							calls++;
							if (anchored) anchoredCalls++;
							return scanner.findNextMatchSync(s as onig.OnigString, start);
						},
						dispose: () => scanner.dispose(),
					} as unknown as tm.OnigScanner;
				},
				createOnigString: (s: string) => new onig.OnigString(s) as unknown as tm.OnigString,
			}),
			loadGrammar: async (scope: string) => {
				const file = (grammarFiles as Record<string, string>)[scope];
				return file ? tm.parseRawGrammar(readFileSync(file, 'utf8'), file) : null;
			},
		});
		grammar = await registry.loadGrammar('text.log.cloud-init');
	});
	function run(records: number) {
		const line = joinedLine(records);
		calls = 0;
		anchoredCalls = 0;
		const r = grammar!.tokenizeLine(line, tm.INITIAL);
		let separators = 0;
		for (const t of r.tokens) if (t.scopes.some((s) => s.endsWith('separator.serial.arc-logs'))) separators++;
		return { length: line.length, calls, anchoredCalls, tokens: r.tokens.length, separators, stoppedEarly: r.stoppedEarly, depth: (r.ruleStack as unknown as { depth: number }).depth };
	}

	it('1 MB with 11,200 joined records: every separator is punctuation, work grows 4x for 4x the records', function () {
		this.timeout(120000);
		const big = run(11200);
		const small = run(2800);
		assert.ok(big.length > 1_000_000, `line is only ${big.length} characters`);
		assert.equal(big.stoppedEarly, false);
		assert.equal(big.separators, 11200 - 1, 'a record swallowed the next separator');
		assert.equal(small.separators, 2800 - 1);
		assert.equal(big.depth, 1, 'rules left open at the end of the line');
		const ratio = (a: number, b: number) => a / b;
		assert.ok(ratio(big.tokens, small.tokens) > 3.9 && ratio(big.tokens, small.tokens) < 4.1, `tokens ${small.tokens} -> ${big.tokens}`);
		assert.ok(ratio(big.calls, small.calls) > 3.9 && ratio(big.calls, small.calls) < 4.1, `scanner calls ${small.calls} -> ${big.calls}`);
		// about one scanner call per token, and the uncached (\G) calls do not grow with the number of records
		assert.ok(big.calls < 3 * big.tokens, `scanner calls ${big.calls} for ${big.tokens} tokens`);
		assert.ok(big.anchoredCalls <= 10, `${big.anchoredCalls} uncached scanner calls on the 1 MB line`);
		assert.equal(big.anchoredCalls, small.anchoredCalls);
	});
});

// ---------------------------------------------------------------- language configuration
describe('grammar: language-configuration.json', () => {
	const conf = JSON.parse(readFileSync(join(root, 'syntaxes/language-configuration.json'), 'utf8')) as {
		comments?: unknown;
		brackets: [string, string][];
		autoClosingPairs: { open: string; close: string }[];
		wordPattern: { pattern: string; flags?: string };
	};
	const wordRe = new RegExp(conf.wordPattern.pattern, `${conf.wordPattern.flags ?? ''}g`);
	/** The word VS Code selects on double-click at `offset` (getWordAtText: the match that contains the offset). */
	function wordAt(text: string, offset: number): string | undefined {
		wordRe.lastIndex = 0;
		for (let m = wordRe.exec(text); m; m = wordRe.exec(text)) {
			if (m.index <= offset && offset < m.index + m[0].length) return m[0];
			if (m[0].length === 0) wordRe.lastIndex++;
		}
		return undefined;
	}
	const at = (text: string, inside: string) => wordAt(text, text.indexOf(inside) + 1);

	it('has no comment tokens (toggle comment must not rewrite a log) and pairs brackets and quotes', () => {
		assert.equal(conf.comments, undefined);
		assert.deepEqual(conf.brackets.map((b) => b.join('')).sort(), ['()', '[]', '{}']);
		assert.deepEqual(conf.autoClosingPairs.map((p) => p.open + p.close).sort(), ['""', "''", '()', '[]', '{}']);
	});

	it('keeps GUIDs, AZCM codes, IPv4 and IPv6 addresses, versions and host names as one word', () => {
		const line = 'ERROR RequestCorrelationId:1f0e9a7b-3c2d-4e5f-8a9b-0c1d2e3f4a5b Exit Code:  AZCM0026: via 10.0.0.4:443 and [fe80::20d:3aff:fe12:3456]:80 agent 1.38.02546.1102 gbl.his.arc.azure.com';
		assert.equal(at(line, '3c2d'), '1f0e9a7b-3c2d-4e5f-8a9b-0c1d2e3f4a5b');
		assert.equal(at(line, 'RequestCorrelationId'), 'RequestCorrelationId');
		assert.equal(at(line, 'AZCM0026'), 'AZCM0026');
		assert.equal(at(line, '10.0.0.4'), '10.0.0.4');
		assert.equal(at(line, '443'), '443');
		assert.equal(at(line, '3aff'), 'fe80::20d:3aff:fe12:3456');
		assert.equal(at(line, '02546'), '1.38.02546.1102');
		assert.equal(at(line, 'his.arc'), 'gbl.his.arc.azure.com');
		assert.equal(at('Försök misslyckades', 'sök'), 'Försök');
		assert.equal(at('time 07:01:55', '01'), '01');
	});
});

// ---------------------------------------------------------------- file associations and defaults
describe('grammar: file associations (VS Code priority: exact filename > longest glob > extension)', () => {
	interface Assoc {
		id: string;
		filenames?: string[];
		filenamePatterns?: string[];
		extensions?: string[];
	}
	// Competitors a user has: VS Code's built-in `log` (extension .log; its "*.log.?" entry is treated here as a
	// pattern, which is stricter than VS Code does), plaintext (.txt).
	const competitors: Assoc[] = [
		{ id: 'log', extensions: ['.log'], filenamePatterns: ['*.log.?'] },
		{ id: 'plaintext', extensions: ['.txt'] },
	];
	/** VS Code's getAssociationByPath for a file name (patterns without "/" match the name), lower-cased like VS Code. */
	function languageFor(fileName: string): string | undefined {
		const assocs: Assoc[] = [...competitors, ...manifest().contributes.languages];
		const name = fileName.toLowerCase();
		for (const a of assocs) if (a.filenames?.some((f) => f.toLowerCase() === name)) return a.id;
		let best: { id: string; len: number } | undefined;
		for (const a of assocs) {
			for (const p of a.filenamePatterns ?? []) {
				assert.ok(!p.includes('/'), `pattern ${p} would match on the full path`);
				if (minimatch(name, p.toLowerCase(), { dot: true }) && (!best || p.length > best.len)) best = { id: a.id, len: p.length };
			}
		}
		if (best) return best.id;
		let ext: { id: string; len: number } | undefined;
		for (const a of assocs) for (const e of a.extensions ?? []) if (name.endsWith(e) && (!ext || e.length > ext.len)) ext = { id: a.id, len: e.length };
		return ext?.id;
	}

	const cases: [string, string | undefined][] = [
		['azcmagent.log', 'azcmagent-log'],
		['AZCMAGENT.LOG', 'azcmagent-log'],
		['azcmagent.log.1', 'azcmagent-log'],
		['azcmagent.log.12', 'azcmagent-log'],
		['azcmagent (3).log', 'azcmagent-log'],
		['azcmagent (3).log.1', 'azcmagent-log'],
		['azcmagent-2024-06-01T08-15-41.000.log', 'azcmagent-log'],
		['azcmagent.log.txt', 'azcmagent-log'],
		['azcmagent.log-20240601', 'azcmagent-log'],
		['himds.log', 'azcmagent-log'],
		['himds.log.2', 'azcmagent-log'],
		['himds (1).log', 'azcmagent-log'],
		['arcproxy.log', 'azcmagent-log'],
		['arcproxy.log.1', 'azcmagent-log'],
		['gc_agent.log', 'azcmagent-log'],
		['gc_agent.log.1', 'azcmagent-log'],
		['gc_ext.log', 'azcmagent-log'],
		['gc_ext (2).log', 'azcmagent-log'],
		['gc_worker.log', 'azcmagent-log'],
		['installationlog.txt', 'azcmagent-log'],
		['installationlog (1).txt', 'azcmagent-log'],
		['waagent.log', 'azcmagent-log'],
		['waagent.log.1', 'azcmagent-log'],
		['waagent.log.12', 'azcmagent-log'],
		['waagent.log-20240601', 'azcmagent-log'],
		['PowerShell_transcript.SRV01.Xn3kLmP.20240601112033.txt', 'azcmagent-log'],
		['powershell_transcript.srv01.abc.20240601112033.txt', 'azcmagent-log'],
		['cloud-init-output.log', 'cloud-init-log'],
		['cloud-init.log', 'cloud-init-log'],
		['cloud-init-output.log.1', 'cloud-init-log'],
		['cloud-init.log.2', 'cloud-init-log'],
		['cloud-init-output (2).log', 'cloud-init-log'],
		['cloud-init.log-20240601', 'cloud-init-log'],
		['cloud-init-output.log-20240601', 'cloud-init-log'],
		['cloud-init-output.log.txt', 'cloud-init-log'],
		// not ours: the generic log id and plain text keep them
		['syslog.log', 'log'],
		['agent.log', 'log'],
		['my-azcmagent.log', 'log'],
		['app.log.1', 'log'],
		['notes.txt', 'plaintext'],
		['transcript.txt', 'plaintext'],
		['my-waagent.log', 'log'],
		['messages', undefined],
	];
	for (const [name, id] of cases) {
		it(`${name} -> ${id ?? '(none)'}`, () => assert.equal(languageFor(name), id));
	}

	it('never claims the generic log id, and both languages use the language configuration', () => {
		const langs = manifest().contributes.languages.filter((l) => l.id === 'azcmagent-log' || l.id === 'cloud-init-log');
		assert.equal(langs.length, 2);
		for (const l of langs) {
			assert.equal(l.configuration, './syntaxes/language-configuration.json');
			assert.equal(l.extensions, undefined, `${l.id}: an extension such as .log would claim every log`);
		}
		assert.ok(!manifest().contributes.languages.some((l) => l.id === 'log'));
	});

	it('configurationDefaults: semantic highlighting on, word wrap left to the user, saving never rewrites the log', () => {
		const defaults = manifest().contributes.configurationDefaults ?? {};
		for (const id of ['azcmagent-log', 'cloud-init-log']) {
			const d = defaults[`[${id}]`];
			assert.ok(d, `no defaults for [${id}]`);
			assert.equal(d['editor.semanticHighlighting.enabled'], true);
			assert.equal(d['editor.wordWrap'], undefined, 'long records wrap as the user chose: a failure stays readable');
			assert.equal(d['files.trimTrailingWhitespace'], false);
			assert.equal(d['files.insertFinalNewline'], false);
			assert.equal(d['files.trimFinalNewlines'], false);
		}
		assert.equal(defaults['[log]'], undefined);
	});
});
