// The knowledge base, checked against the markdown itself. The articles' tables are read here with a deliberately
// simple, independent line scan (not the compiler's parser): every row of every table must be represented in the
// compiled data with the row's own text.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
	benignLookAlike,
	entryForCode,
	entryForExit,
	getArticle,
	getEntry,
	isAzcmCode,
	knowledge,
	localize,
	matchKnownStrings,
	matchSignatures,
	parseQuery,
	statesFailure,
	tableUrl,
	type KnowledgeEntry,
	type Matcher,
} from '../../server/src/core/knowledge';
import { compileKnowledge, KnowledgeCompileError, serializeKnowledge, type CompilerData } from '../../server/knowledge/compiler/compile';
import { readCompilerInput } from '../../server/knowledge/compiler/io';
import { absoluteUrl, fixMojibake, splitRow } from '../../server/knowledge/compiler/markdown';

const repo = resolve(__dirname, '../../..'); // test/out/unit → the repository
const knowledgeDir = join(repo, 'server/knowledge');
const sourcesDir = join(knowledgeDir, 'sources');
const manifest = JSON.parse(readFileSync(join(sourcesDir, 'sources.json'), 'utf8')) as { articles: { key: string; file: string; locale: string; origin: string; url: string }[] };
const fileOf = (key: string) => manifest.articles.find((a) => a.key === key)!.file;
const read = (key: string) => readFileSync(join(sourcesDir, fileOf(key)), 'utf8');

// ---- an independent, simple reading of the markdown tables ----

interface ScannedRow {
	readonly section: string;
	readonly cells: string[];
	readonly line: number;
}

/** Every body row of every pipe table, with the text of the `##` heading above it. */
function scanTables(md: string): ScannedRow[] {
	const lines = md.split('\n');
	const rows: ScannedRow[] = [];
	let section = '';
	let inTable = false;
	for (let i = 0; i < lines.length; i++) {
		const l = lines[i];
		if (/^#{2,3} /.test(l)) section = l.replace(/^#+\s*/, '').trim(); // with its <a name> anchor, if any
		const isRow = l.trimStart().startsWith('|');
		const isSep = /^\s*\|[\s|:-]+\|?\s*$/.test(l) && l.includes('---');
		if (!isRow) {
			inTable = false;
			continue;
		}
		if (isSep) {
			inTable = true;
			continue;
		}
		if (!inTable) continue; // a header row (the separator follows it)
		const cells = l.trim().replace(/^\|/, '').replace(/\|\s*$/, '').split('|').map((c) => c.trim());
		rows.push({ section, cells, line: i + 1 });
	}
	return rows;
}

/** The markdown of a cell reduced to comparable words: no links targets, code ticks, emphasis, HTML or mojibake. */
function words(md: string): string {
	return md
		.replace(/â€“/g, '–')
		.replace(/<[^>]+>/g, ' ')
		.replace(/\]\([^)]*\)/g, ']')
		.replace(/[`*[\]]/g, '')
		.replace(/\s+/g, ' ')
		.trim()
		.replace(/\.$/, '');
}

function codesOfCell(cell: string): { codes: string[]; range?: [number, number] } {
	const flat = cell.replace(/<br\s*\/?>/gi, ' ');
	const r = /AZCM(\d{4})\s*-\s*AZCM(\d{4})/.exec(flat.replace(/-\s+/g, '-'));
	if (r) {
		const codes: string[] = [];
		for (let n = Number(r[1]); n <= Number(r[2]); n++) codes.push(`AZCM${String(n).padStart(4, '0')}`);
		return { codes, range: [Number(r[1]), Number(r[2])] };
	}
	return { codes: flat.match(/AZCM\d{4}/g) ?? [] };
}

function codeSpansOf(cell: string): string {
	return cell
		.split(/<br\s*\/?>/i)
		.map((part) => [...part.matchAll(/`([^`]+)`/g)].map((m) => m[1]).join(''))
		.join('');
}

const learnKeys = manifest.articles.filter((a) => a.origin === 'learn').map((a) => a.key);
const rowsOf = (key: string) => scanTables(read(key));
const azcmRows = (key: string) => rowsOf(key).filter((r) => /AZCM\d{4}/.test(r.cells[0]));
const exitRows = (key: string) => rowsOf(key).filter((r) => /^\*\*\d+\*\*$/.test(r.cells[0]));
/** Rows under the "Agent connection issues to service" heading (English text, or the translations' anchor). */
const connectionRows = (key: string) => rowsOf(key).filter((r) => /connection issues to service|connection-issues-to-service/i.test(r.section));
const en2025 = 'en-2025';

describe('knowledge base', () => {
	describe('sources', () => {
		it('lists every vendored file, and every Learn article has its title and date from the front matter', () => {
			const files = readdirSync(sourcesDir).filter((f) => f.endsWith('.md')).sort();
			assert.deepEqual(manifest.articles.map((a) => a.file).sort(), files);
			for (const a of manifest.articles) {
				const art = getArticle(a.key);
				assert.ok(art, a.key);
				const fm = read(a.key).split('---')[1];
				assert.ok(fm.includes(art.title), `${a.key}: title '${art.title}' from the front matter`);
				const [, mm, dd, yyyy] = /ms\.date:\s*(\d\d)\/(\d\d)\/(\d{4})/.exec(fm)!;
				assert.equal(art.date, `${yyyy}-${mm}-${dd}`, a.key);
				assert.equal(art.url, a.url);
			}
		});
	});

	describe('every table row is represented', () => {
		it('has rows to check in every Learn article, each in a table checked below (a new table fails here)', () => {
			for (const key of learnKeys.filter((k) => k !== 'nexus-2025')) assert.ok(rowsOf(key).length > 5, key);
			for (const a of manifest.articles) {
				const all = rowsOf(a.key).length;
				const known = azcmRows(a.key).length + exitRows(a.key).length + connectionRows(a.key).length + (a.key === 'ours-cloud-init' || a.key.startsWith('ours-platform') ? rowsOf(a.key).length : 0);
				assert.equal(known, all, `${a.key}: ${all} rows, ${known} in known tables`);
			}
		});

		it('AZCM rows of the 2025 English table: each code, range codes expanded, the specific row winning', () => {
			const rows = azcmRows(en2025);
			const explicit = new Map<string, ScannedRow>();
			for (const r of rows) {
				const { codes, range } = codesOfCell(r.cells[0]);
				if (!range) for (const c of codes) explicit.set(c, r);
			}
			let checked = 0;
			for (const r of rows) {
				const { codes, range } = codesOfCell(r.cells[0]);
				assert.ok(codes.length > 0, `line ${r.line}`);
				for (const code of codes) {
					const e = entryForCode(code);
					assert.ok(e, `${code} (line ${r.line})`);
					const row = range && explicit.has(code) ? explicit.get(code)! : r; // the specific row wins
					assert.equal(words(e.text.en.cause), words(row.cells[1]), code);
					assert.equal(words(e.text.en.remediation), words(row.cells[2]), code);
					assert.equal(e.text.en.source, en2025);
					checked++;
				}
			}
			assert.ok(checked >= rows.length);
		});

		it('expands the two ranges to 20 and 6 codes, and AZCM0150 keeps its own row', () => {
			const ranges = azcmRows(en2025)
				.map((r) => ({ r, ...codesOfCell(r.cells[0]) }))
				.filter((x) => x.range);
			assert.deepEqual(ranges.map((x) => x.codes.length).sort((a, b) => b - a), [20, 6]);
			for (const x of ranges) {
				for (const code of x.codes) assert.ok(entryForCode(code), code);
				const own = x.codes.filter((c) => entryForCode(c)!.documentedAs === undefined);
				const ranged = x.codes.filter((c) => entryForCode(c)!.documentedAs !== undefined);
				for (const c of ranged) assert.equal(words(entryForCode(c)!.text.en.cause), words(x.r.cells[1]), c);
				for (const c of own) assert.notEqual(words(entryForCode(c)!.text.en.cause), words(x.r.cells[1]), `${c} has a row of its own`);
			}
			const a150 = entryForCode('AZCM0150')!;
			assert.match(a150.text.en.cause, /Generic failure during installation/);
			assert.equal(a150.documentedAs, undefined);
			assert.match(entryForCode('AZCM0149')!.text.en.cause, /installing Azcmagent on Windows/);
			assert.match(entryForCode('AZCM0151')!.documentedAs!, /AZCM0147–AZCM0152/);
		});

		it('applies the multi-code row to each of its codes', () => {
			const multi = azcmRows(en2025).filter((r) => codesOfCell(r.cells[0]).codes.length > 1 && !codesOfCell(r.cells[0]).range);
			assert.equal(multi.length, 1);
			const { codes } = codesOfCell(multi[0].cells[0]);
			assert.deepEqual(codes, ['AZCM0061', 'AZCM0064', 'AZCM0065', 'AZCM0066', 'AZCM0070']);
			for (const c of codes) assert.equal(words(entryForCode(c)!.text.en.cause), words(multi[0].cells[1]), c);
		});

		for (const key of ['sv-2021', 'nl-2021'] as const) {
			const locale = key.slice(0, 2) as 'sv' | 'nl';
			it(`AZCM rows of the ${key} translation`, () => {
				const rows = azcmRows(key);
				assert.ok(rows.length > 20);
				for (const r of rows) {
					for (const code of codesOfCell(r.cells[0]).codes) {
						const e = entryForCode(code);
						assert.ok(e, code);
						assert.equal(words(e.text[locale]!.cause), words(r.cells[1]), `${code} ${locale}`);
						assert.equal(words(e.text[locale]!.remediation), words(r.cells[2] ?? ''), `${code} ${locale}`);
						assert.ok(e.translation[locale], `${code}: judged`);
						assert.match(e.text[locale]!.url, new RegExp(`/${locale}-${locale === 'sv' ? 'se' : 'nl'}/`));
					}
				}
			});
		}

		it('every exit-code row, with description and remediation', () => {
			const rows = exitRows(en2025);
			assert.equal(rows.length, 46);
			for (const r of rows) {
				const n = Number(r.cells[0].replace(/\*/g, ''));
				const e = entryForExit(n);
				assert.ok(e, `exit ${n}`);
				assert.equal(e.id, `EXIT-${n}`);
				assert.equal(words(e.text.en.cause), words(r.cells[1]));
				assert.equal(words(e.text.en.remediation), words(r.cells[2]));
			}
			assert.equal(knowledge.entries.filter((e) => e.kind === 'exit').length, rows.length);
		});

		it('every connection-error row of every article (2025, 2020, sv, nl) is one entry whose matcher matches its error text', () => {
			const seen = new Map<string, string[]>();
			for (const key of ['en-2025', 'en-2020', 'sv-2021', 'nl-2021']) {
				const rows = connectionRows(key);
				assert.ok(rows.length >= 8, `${key}: ${rows.length} rows`);
				for (const r of rows) {
					const errorCell = r.cells.length === 3 ? r.cells[0].split(/<br\s*\/?>/i).slice(1).join('<br>') : r.cells[1];
					const error = codeSpansOf(errorCell);
					const matches = matchKnownStrings(error, ['connection']);
					assert.equal(matches.length, 1, `${key} line ${r.line}: ${error}`);
					const e = matches[0].entry;
					const cause = r.cells[r.cells.length - 2];
					const locale = key.startsWith('sv') ? 'sv' : key.startsWith('nl') ? 'nl' : 'en';
					const text = e.text[locale]!;
					if (locale !== 'en' || text.source === key) assert.equal(words(text.cause), words(cause), `${key} line ${r.line}`);
					else assert.ok(e.alsoIn?.includes(key), `${e.id} also in ${key}`);
					seen.set(e.id, [...(seen.get(e.id) ?? []), key]);
				}
			}
			// The 2020-only row ("no such host", Group Policy) is its own entry, from the 2020 article, with the footnote.
			const gpo = getEntry('AUTH-DEVICE-NO-SUCH-HOST')!;
			assert.equal(gpo.text.en.source, 'en-2020');
			assert.ok(!seen.get(gpo.id)!.includes('en-2025'));
			const footnote = read('en-2020').split('\n').find((l) => l.includes('name="footnote1"'))!;
			assert.ok(gpo.notes?.length === 1 && words(gpo.notes[0]).includes(words(footnote.replace(/^.*<\/sup>/, '')).slice(0, 120)));
			assert.ok(gpo.commands.includes('azcmagent connect'), 'the footnote names the fix');
		});

		it('Operator Nexus: every error section, its causes and numbered solutions', () => {
			const md = read('nexus-2025');
			const sections = md.split(/^## /m).filter((s) => s.startsWith('Error:'));
			assert.equal(sections.length, knowledge.entries.filter((e) => e.kind === 'nexus').length);
			for (const s of sections) {
				const title = s.split('\n')[0].replace(/^Error:\s*/, '').trim();
				const e = knowledge.entries.find((x) => x.kind === 'nexus' && x.text.en.title === title);
				assert.ok(e, title);
				const causes = s.split('Possible causes:')[1].split('Possible solutions:')[0].split('\n').filter((l) => /^- /.test(l));
				const steps = s.split('Possible solutions:')[1].split('\n').filter((l) => /^\d+\. /.test(l));
				assert.equal(e.text.en.causes!.length, causes.length, title);
				assert.equal(e.text.en.steps!.length, steps.length, title);
				steps.forEach((l, k) => assert.ok(words(e.text.en.steps![k]).startsWith(words(l.replace(/^\d+\.\s*/, ''))), `${title} step ${k + 1}`));
				for (const l of s.split('\n').filter((x) => /^ERROR: /.test(x))) assert.ok(matchKnownStrings(l, ['nexus']).some((m) => m.entry === e), l);
			}
		});

		it('Operator Nexus facts: required roles, IMDS address, NO_PROXY, CSN proxy', () => {
			const md = read('nexus-2025');
			const roles = md.split(/required roles[^\n]*\n/)[1].trim().split('\n\n')[0].split('\n').map((l) => l.replace(/^- `|`$/g, ''));
			assert.deepEqual([...knowledge.nexus.requiredRoles], roles);
			assert.equal(knowledge.nexus.imdsAddress, '169.254.169.254');
			assert.equal(knowledge.nexus.csnProxy, 'http://169.254.0.11:3128');
			assert.ok(knowledge.nexus.noProxy.split(',').includes(knowledge.nexus.imdsAddress));
			assert.ok(md.includes(`NO_PROXY=${knowledge.nexus.noProxy}`));
			for (const u of Object.values(knowledge.nexus.urls!)) assert.match(u, /^https:\/\/learn\.microsoft\.com\/en-us\/azure\/operator-nexus\/troubleshoot-arc-enrollment-managed-identities#[a-z-]+$/);
		});

		it('our own tables: translation-only codes and cloud-init signatures', () => {
			const svCodes = new Set(azcmRows('sv-2021').flatMap((r) => codesOfCell(r.cells[0]).codes));
			const enCodes = new Set(azcmRows(en2025).flatMap((r) => codesOfCell(r.cells[0]).codes));
			const onlyTranslated = [...svCodes].filter((c) => !enCodes.has(c)).sort();
			assert.deepEqual(onlyTranslated, ['AZCM0013', 'AZCM0014', 'AZCM0015', 'AZCM0017', 'AZCM0104']);
			const ours = scanTables(read('ours-translations'));
			assert.deepEqual(ours.map((r) => r.cells[0]).sort(), onlyTranslated);
			for (const r of ours) {
				const e = entryForCode(r.cells[0])!;
				assert.equal(e.text.en.ours, true);
				assert.equal(e.text.en.source, 'ours-translations');
				assert.equal(words(e.text.en.cause), words(r.cells[1]));
				assert.ok(e.text.sv && e.text.nl, 'the translated facts stay');
				assert.equal(localize(e, 'sv').text, e.text.sv);
			}
			const ci = scanTables(read('ours-cloud-init'));
			assert.ok(ci.length >= 6);
			for (const r of ci) {
				const e = getEntry(r.cells[0])!;
				assert.equal(e.kind, 'cloud-init');
				assert.equal(e.text.en.ours, true);
				const signatures = [...r.cells[2].matchAll(/`([^`]+)`/g)].map((m) => m[1]);
				assert.equal(e.matchers.length, signatures.length);
				for (const sig of signatures) {
					const sample = sig.replace(/\\n/g, '\n').replace(/<status>/g, '1').replace(/<(\w+)>/g, 'sample-$1');
					assert.ok(matchKnownStrings(`prefix ${sample} suffix`, ['cloud-init']).some((m) => m.entry === e), sig);
				}
			}
		});
	});

	describe('translations', () => {
		const review = JSON.parse(readFileSync(join(knowledgeDir, 'translation-review.json'), 'utf8')) as { entries: Record<string, { sv?: string; nl?: string; reason: string }> };

		it('judges every code that the 2025 English table and a translation both carry (recorded as data)', () => {
			const enCodes = new Set(azcmRows(en2025).flatMap((r) => codesOfCell(r.cells[0]).codes));
			for (const key of ['sv-2021', 'nl-2021'] as const) {
				const locale = key.slice(0, 2) as 'sv' | 'nl';
				for (const code of azcmRows(key).flatMap((r) => codesOfCell(r.cells[0]).codes)) {
					if (!enCodes.has(code)) continue;
					const judged = review.entries[code]?.[locale];
					assert.ok(judged === 'current' || judged === 'outdated', `${code} ${locale}`);
					assert.ok(review.entries[code].reason.length > 10, `${code}: a reason`);
					assert.equal(entryForCode(code)!.translation[locale]!.status, judged);
					assert.equal(entryForCode(code)!.translation[locale]!.year, 2021);
				}
			}
		});

		it('AZCM0068 (and the other outdated codes) show the English text with the 2021 meaning labelled by year', () => {
			const outdated = knowledge.entries.filter((e) => e.translation.sv?.status === 'outdated').map((e) => e.id);
			assert.ok(outdated.includes('AZCM0068') && outdated.includes('AZCM0065'), outdated.join());
			for (const locale of ['sv', 'nl'] as const) {
				const e = entryForCode('AZCM0068')!;
				const l = localize(e, locale);
				assert.equal(l.text, e.text.en);
				assert.match(l.text.cause, /subscription GUID/);
				assert.equal(l.older?.year, 2021);
				assert.equal(l.older?.locale, locale);
				assert.equal(l.older?.text, e.text[locale]);
				assert.equal(l.fallback, true);
			}
			assert.match(localize(entryForCode('AZCM0068')!, 'sv').older!.text.cause, /frånkoppling/);
		});

		it('current translations are shown as the meaning; untranslated entries fall back to English', () => {
			const a61 = entryForCode('AZCM0061')!;
			assert.equal(localize(a61, 'sv').text.cause, 'Det går inte att nå agenttjänsten');
			assert.equal(localize(a61, 'nl').text.cause, 'Kan de agentservice niet bereiken');
			assert.equal(localize(a61, 'sv').fallback, false);
			assert.equal(localize(a61, 'sv').older, undefined);
			const a26 = entryForCode('AZCM0026')!;
			assert.deepEqual(localize(a26, 'nl'), { text: a26.text.en, fallback: true });
			assert.deepEqual(localize(a26, 'en'), { text: a26.text.en, fallback: false });
			const secret = getEntry('AUTH-SPN-INVALID-SECRET')!;
			assert.match(localize(secret, 'sv').text.cause, /hemlighet/);
		});
	});

	describe('matchers', () => {
		const match = (line: string) => matchKnownStrings(line);
		const one = (line: string, id: string) => {
			const ms = match(line);
			assert.equal(ms.length, 1, `${line}\n→ ${ms.map((m) => m.entry.id).join(', ') || 'nothing'}`);
			assert.equal(ms[0].entry.id, id, line);
			return ms[0];
		};

		it('match the agent wording and the docs house style: is not / isn\'t, was not / wasn\'t, does not / doesn\'t', () => {
			for (const v of ['is not', "isn't"]) {
				const m = one(`Message: The subscription ${v} registered to use namespace 'Microsoft.HybridCompute'. See https://aka.ms/rps-not-found for how to register subscriptions. Code: MissingSubscriptionRegistration`, 'ARM-PROVIDER-NOT-REGISTERED');
				assert.equal(m.captures.namespace, 'Microsoft.HybridCompute');
			}
			for (const v of ['was not', "wasn't"]) {
				const m = one(`AADSTS700016: Application with identifier '0b6c3f1e-2f0e-4f0e-9b7e-1c2d3e4f5a6b' ${v} found in the directory 'Contoso'. This can happen if the application has not been installed by the administrator of the tenant.`, 'AUTH-SPN-APP-NOT-FOUND');
				assert.equal(m.captures.application, '0b6c3f1e-2f0e-4f0e-9b7e-1c2d3e4f5a6b');
				assert.equal(m.captures.tenant, 'Contoso');
			}
			for (const v of ['does not', "doesn't"]) {
				const line = `RequestCorrelationId:1f0e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b Message: The client 'ops@contoso.com' with object id '9a8b7c6d-5e4f-3a2b-1c0d-9e8f7a6b5c4d' ${v} have authorization to perform action 'Microsoft.HybridCompute/machines/write' over scope '/subscriptions/11111111-2222-3333-4444-555555555555/resourcegroups/rg/providers/Microsoft.HybridCompute/machines/web01' or the scope is invalid. If access was recently granted, please refresh your credentials. Code: AuthorizationFailed httpStatusCode:403`;
				const m = one(line, 'ARM-AUTHORIZATION-FAILED');
				assert.equal(m.captures.action, 'Microsoft.HybridCompute/machines/write');
				assert.equal(m.captures.scope, '/subscriptions/11111111-2222-3333-4444-555555555555/resourcegroups/rg/providers/Microsoft.HybridCompute/machines/web01');
				assert.equal(m.captures.client, 'ops@contoso.com');
			}
		});

		it('match Invalid client secret (is) provided, with or without AADSTS7000215:', () => {
			for (const line of [
				'Invalid client secret is provided',
				'Invalid client secret provided',
				`time="2024-03-02T09:01:07Z" level=fatal msg="Failed to acquire authorization token from SPN" Error="AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '0b6c3f1e-2f0e-4f0e-9b7e-1c2d3e4f5a6b'."`,
				'AADSTS7000215: Invalid client secret is provided.',
			]) {
				const m = one(line, 'AUTH-SPN-INVALID-SECRET');
				const hit = line.slice(m.index, m.index + m.length);
				assert.equal(hit.startsWith('AADSTS7000215'), line.includes('AADSTS7000215'), hit);
			}
		});

		it('match the device-flow errors with real Go wording (quoted URLs, other hosts, lookup on a resolver)', () => {
			const post = 'Error occurred while sending request for Device Authorization Code: Post "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/oauth2/devicecode?api-version=1.0"';
			const m1 = one(`${post}: dial tcp 20.190.151.68:443: connect: network is unreachable`, 'AUTH-DEVICE-UNREACHABLE');
			assert.equal(m1.captures.host, 'login.microsoftonline.com');
			assert.equal(m1.captures.ip, '20.190.151.68:443');
			one(`${post}: dial tcp 20.190.151.68:443: connect: network is Forbidden`, 'AUTH-DEVICE-FORBIDDEN');
			one(`${post}: dial tcp: lookup login.windows.net on 10.0.0.2:53: no such host`, 'AUTH-DEVICE-NO-SUCH-HOST');
			one(`${post}: dial tcp: lookup login.windows.net: no such host`, 'AUTH-DEVICE-NO-SUCH-HOST');
			one('Error occurred while sending request for Device Authorization Code: Post https://login.windows.net/x/oauth2/devicecode?api-version=1.0:  dial tcp [2603:1026::1]:443: connect: network is unreachable', 'AUTH-DEVICE-UNREACHABLE');
		});

		it('match the token refresh and ARM Forbidden errors, also inside logrus-escaped quotes', () => {
			const m = one(`Failed to execute the refresh request. Error = 'Post "https://login.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/oauth2/token?api-version=1.0": Forbidden'`, 'AUTH-SPN-FORBIDDEN');
			assert.equal(m.captures.host, 'login.windows.net');
			const arm = one('level=error msg="Failed to AzcmagentConnect ARM resource" Error="Get \\"https://management.azure.com/subscriptions/11111111-2222-3333-4444-555555555555/resourcegroups/rg/providers/Microsoft.HybridCompute/machines/web01?api-version=2022-12-27\\": Forbidden"', 'ARM-FORBIDDEN');
			assert.equal(arm.captures.host, 'management.azure.com');
			assert.equal(arm.captures.scope, '/subscriptions/11111111-2222-3333-4444-555555555555/resourcegroups/rg/providers/Microsoft.HybridCompute/machines/web01');
		});

		it('match the Operator Nexus errors: log in / login, system / user captured as identity', () => {
			for (const verb of ['log in', 'login']) {
				for (const who of ['system', 'user']) {
					const m = one(`ERROR: Failed to ${verb} with ${who}-assigned managed identity`, 'NEXUS-LOGIN');
					assert.equal(m.captures.identity, who);
				}
			}
			one('Failed to login with user-assigned managed identity', 'NEXUS-LOGIN');
			one('ERROR: Failed to retrieve access token', 'NEXUS-ACCESS-TOKEN');
			one('ERROR: Failed to connect to Azure Arc', 'NEXUS-ARC-CONNECT');
		});

		it('match the cloud-init signatures in their real formats', () => {
			const s = one('2024-06-04 07:01:55,118 - util.py[WARNING]: Failed running /var/lib/cloud/instance/scripts/part-001 [1]', 'CI-SCRIPT-FAILED');
			assert.deepEqual(s.captures, { path: '/var/lib/cloud/instance/scripts/part-001', status: '1' });
			one('2024-06-04 07:01:55,130 - cc_scripts_user.py[WARNING]: Failed to run module scripts-user (scripts in /var/lib/cloud/instance/scripts)', 'CI-MODULE-FAILED');
			one("2024-06-04 07:01:55,131 - util.py[WARNING]: Running module scripts-user (<module 'cloudinit.config.cc_scripts_user' from '/usr/lib/python3/dist-packages/cloudinit/config/cc_scripts_user.py'>) failed", 'CI-MODULE-FAILED');
			const c = one("2024-06-04 07:01:55,117 - subp.py[DEBUG]: Unexpected error while running command.\nCommand: ['/var/lib/cloud/instance/scripts/runcmd']\nExit code: 127\nReason: -", 'CI-COMMAND-FAILED');
			assert.equal(c.captures.status, '127');
			one('2024-06-04 07:01:55,117 - subp.py[DEBUG]: Unexpected error while running command.', 'CI-COMMAND-FAILED');
			one('Traceback (most recent call last):', 'CI-TRACEBACK');
			one('2024-06-04 07:01:13,002 - DataSourceAzure.py[WARNING]: /dev/sr0 was not mountable', 'CI-AZURE-DATASOURCE');
			one('DataSourceAzure.py[ERROR]: Could not crawl Azure metadata: Unable to reach IMDS', 'CI-AZURE-DATASOURCE');
			const f = one('finish: modules-final/config-scripts-user: FAIL: running config-scripts-user with frequency once-per-instance', 'CI-EVENT-FAIL');
			assert.equal(f.captures.event, 'modules-final/config-scripts-user');
			one('[   52.123456] cloud-init[1204]: 2024-06-04 07:01:55,118 - util.py[WARNING]: Failed running /var/lib/cloud/instance/scripts/runcmd [2]', 'CI-SCRIPT-FAILED');
		});

		it('do not match lines that only look alike', () => {
			for (const line of [
				'time="2024-03-02T08:15:44Z" level=debug msg="Successfully acquired Authorization Token" Method=SPN',
				"Failed to execute the refresh request. Error = 'Post \"https://login.windows.net/t/oauth2/token?api-version=1.0\": dial tcp 40.126.9.7:443: i/o timeout'",
				'Error occurred while sending request for Device Authorization Code: Post "https://login.windows.net/t/oauth2/devicecode": context deadline exceeded',
				'The subscription is registered to use namespace \'Microsoft.HybridCompute\'',
				'Get "https://management.azure.com/subscriptions/x?api-version=1": dial tcp: lookup management.azure.com: no such host',
				'Ran 18 modules with 0 failures',
				'finish: modules-final/config-scripts-user: SUCCESS: running config-scripts-user',
				'',
			]) {
				assert.deepEqual(match(line).map((m) => m.entry.id), [], line);
			}
		});

		it('are linear: bounded quantifiers only, literal anchors, own examples matched', () => {
			for (const e of knowledge.entries) {
				if (e.kind === 'platform') continue; // regular expressions of our own: checked below
				for (const m of e.matchers) {
					// No unbounded quantifier (outside character classes and escapes), no quantified group but `?`.
					const src = m.regex.replace(/\\./g, 'e').replace(/\[[^\]]*\]/g, 'c');
					assert.ok(!/[*+]/.test(src), `${e.id}: unbounded quantifier in ${m.regex}`);
					assert.ok(!/\)\{/.test(src), `${e.id}: quantified group in ${m.regex}`);
					assert.equal(m.anchor, m.anchor.toLowerCase());
					assert.ok(m.anchor.length >= 4);
					assert.ok(m.example, e.id);
					const sample = m.example!.replace(/<status>/g, '7').replace(/<(\w+)>/g, 'x-$1');
					const re = new RegExp(m.regex, m.flags);
					const hit = re.exec(sample);
					assert.ok(hit, `${e.id} matches its own example: ${m.example}`);
					assert.ok(hit[0].toLowerCase().includes(m.anchor), `${e.id}: anchor '${m.anchor}' in '${hit[0]}'`);
				}
			}
		});

		it('platform signatures, failure statements and benign look-alikes are linear and anchored', () => {
			const platform = knowledge.entries.filter((e) => e.kind === 'platform');
			assert.ok(platform.length >= 20 && platform.some((e) => e.matchers.length));
			const rules = [...platform.flatMap((e) => e.matchers.map((m) => ({ id: e.id, m }))), ...knowledge.benign.map((b) => ({ id: b.why, m: b as Matcher }))];
			for (const { id, m } of rules) {
				const src = m.regex.replace(/\\./g, 'e').replace(/\[[^\]]*\]/g, 'c');
				assert.ok(!/[*+]/.test(src), `${id}: unbounded quantifier in ${m.regex}`);
				assert.ok(!/\)\{/.test(src), `${id}: quantified group in ${m.regex}`);
				assert.ok(m.anchor.length >= 3 && m.anchor === m.anchor.toLowerCase(), `${id}: anchor '${m.anchor}'`);
			}
			for (const s of knowledge.failureStatements) assert.ok(!/[*+]/.test(s.replace(/\\./g, 'e').replace(/\[[^\]]*\]/g, 'c')), s);
			// Each entry says how severe it is, where it applies, and links the tool's documentation.
			for (const e of platform) {
				assert.ok(e.severity && e.scope, e.id);
				assert.match(e.text.en.url, /^https:\/\/\S+$/, e.id);
				assert.ok(e.text.en.ours, e.id);
			}
			assert.deepEqual(matchSignatures("cp: cannot stat 'x/*': No such file or directory").map((k) => k.entry.id), ['SH-FILE-ERROR', 'SH-FILE-ERROR']);
			assert.deepEqual(matchSignatures('bash: line 3: sonar.sh: command not found').map((k) => k.entry.id), ['SH-COMMAND-NOT-FOUND']);
			assert.equal(matchSignatures('Ran 22 modules with 0 failures').length, 0);
			assert.ok(statesFailure('Failed to install packages') && !statesFailure('Hostname record does not exist, creating'));
			assert.ok(benignLookAlike("Failed mount of '/dev/xvda' as 'iso9660'") && !benignLookAlike('Failed to start cloud-init.service'));
			assert.match(benignLookAlike('Could not determine package contained by rpm at /tmp/x')!.after!.source, /already installed/);
		});

		it('stay fast on 1 MB lines, including adversarial ones', function () {
			this.timeout(20000);
			const lines: string[] = [];
			for (const e of knowledge.entries) {
				for (const m of e.matchers) {
					if (!m.example) continue; // our platform signatures: adversarial lines below
					const head = m.example.slice(0, Math.max(12, Math.floor(m.example!.length * 0.8)));
					lines.push((head + ' ').repeat(Math.ceil(1_000_000 / (head.length + 1))).slice(0, 1_000_000));
				}
			}
			lines.push("'".repeat(1_000_000) + 'authorization forbidden', ' '.repeat(1_000_000) + 'no such host', 'a'.repeat(1_000_000));
			// Our signatures: each anchor repeated, so every expression runs at every position.
			for (const e of knowledge.entries) for (const m of e.kind === 'platform' ? e.matchers : []) lines.push((m.anchor + "a'[1/2s] ").repeat(Math.ceil(1_000_000 / (m.anchor.length + 9))).slice(0, 1_000_000));
			const started = Date.now();
			for (const l of lines) {
				matchKnownStrings(l);
				matchSignatures(l);
				benignLookAlike(l);
			}
			const perLine = (Date.now() - started) / lines.length;
			assert.ok(perLine < 400, `${perLine.toFixed(0)} ms per 1 MB line`);
		});

		it('never throw, and return non-overlapping matches sorted by index', () => {
			const garbage = Array.from({ length: 5000 }, (_, i) => String.fromCharCode((i * 7919) % 0xffff)).join('');
			assert.doesNotThrow(() => matchKnownStrings(garbage));
			assert.deepEqual(matchKnownStrings(''), []);
			assert.deepEqual(matchKnownStrings(undefined as unknown as string), []);
			const text = 'ERROR: Failed to retrieve access token\nInvalid client secret provided\nTraceback (most recent call last):\n';
			const ms = matchKnownStrings(text + text);
			assert.deepEqual(ms.map((m) => m.entry.id), ['NEXUS-ACCESS-TOKEN', 'AUTH-SPN-INVALID-SECRET', 'CI-TRACEBACK', 'NEXUS-ACCESS-TOKEN', 'AUTH-SPN-INVALID-SECRET', 'CI-TRACEBACK']);
			for (let k = 1; k < ms.length; k++) assert.ok(ms[k].index >= ms[k - 1].index + ms[k - 1].length);
			assert.deepEqual(matchKnownStrings(text, ['cloud-init']).map((m) => m.entry.id), ['CI-TRACEBACK']);
		});
	});

	describe('entries', () => {
		it('carry source title, date, locale and a Learn URL with an anchor, in every locale', () => {
			for (const e of knowledge.entries) {
				for (const [locale, text] of Object.entries(e.text) as [string, KnowledgeEntry['text']['en']][]) {
					const a = getArticle(text.source);
					assert.ok(a, `${e.id} ${locale}: source ${text.source}`);
					assert.equal(a.locale, locale, `${e.id} ${locale}`);
					assert.match(a.date, /^\d{4}-\d\d-\d\d$/);
					assert.ok(a.title.length > 10);
					// Platform entries link the documentation of their own tool (cloud-init, systemd, apt, ...).
					if (e.kind !== 'platform' && !(e.kind === 'cloud-init' && text.ours)) {
						assert.ok(text.url.startsWith(a.url + '#'), `${e.id} ${locale}: ${text.url}`);
						assert.match(text.url, /^https:\/\/learn\.microsoft\.com\/(en-us|sv-se|nl-nl)\/azure\/[a-z/-]+#[a-z0-9-]+$/);
					}
					assert.equal(Boolean(text.ours), a.origin === 'ours', `${e.id} ${locale}: marked as ours`);
				}
			}
		});

		it('hold no HTML, no mojibake and only absolute links', () => {
			for (const e of knowledge.entries) {
				const all = JSON.stringify(e.text) + JSON.stringify(e.notes ?? []);
				assert.ok(!/<(br|sup|a |\/a|span)/i.test(all), e.id);
				assert.ok(!/â€|Ã/.test(all), e.id);
				for (const m of all.matchAll(/\]\(([^)]+)\)/g)) assert.match(m[1], /^https:\/\//, `${e.id}: ${m[1]}`);
			}
			assert.match(entryForCode('AZCM0102')!.text.en.remediation, /`–n`/);
			assert.match(entryForCode('AZCM0042')!.text.en.remediation, /\(https:\/\/learn\.microsoft\.com\/en-us\/azure\/azure-arc\/servers\/prerequisites#required-permissions\)/);
		});

		it('name the commands of their remediation, never flags or placeholders', () => {
			assert.deepEqual(entryForCode('AZCM0063')!.commands, ['azcmagent disconnect --force-local-only']);
			assert.deepEqual(entryForCode('AZCM0044')!.commands, [], 'a --resource-name flag is not a command');
			assert.deepEqual(entryForCode('AZCM0016')!.commands, [], 'azcmagent <command> --help is a placeholder');
			assert.ok(getEntry('AUTH-DEVICE-UNREACHABLE')!.commands.includes('azcmagent check'));
			assert.deepEqual(getEntry('ARM-PROVIDER-NOT-REGISTERED')!.commands, [], 'the article only links the registration page');
			const arc = getEntry('NEXUS-ARC-CONNECT')!.commands;
			for (const c of ['azcmagent version', 'azcmagent show', 'az account get-access-token', 'azcmagent config set proxy.url "http://169.254.0.11:3128"']) assert.ok(arc.includes(c), c);
			assert.ok(arc.some((c) => c.startsWith('sudo azcmagent connect --resource-group "$RESOURCE_GROUP"') && c.endsWith('--verbose --debug')), 'continuation lines joined');
			for (const e of knowledge.entries) {
				assert.equal(new Set(e.commands).size, e.commands.length, `${e.id}: no duplicates`);
				for (const c of e.commands) assert.ok(!/^-|<\w+>|\n/.test(c) && c.includes(' '), `${e.id}: ${c}`);
			}
		});

		it('have the stable ids other parts rely on', () => {
			for (const id of [
				'AZCM0000', 'AZCM0026', 'EXIT-0', 'EXIT-26', 'AUTH-DEVICE-UNREACHABLE', 'AUTH-DEVICE-FORBIDDEN', 'AUTH-DEVICE-NO-SUCH-HOST',
				'AUTH-SPN-FORBIDDEN', 'AUTH-SPN-INVALID-SECRET', 'AUTH-SPN-APP-NOT-FOUND', 'ARM-AUTHORIZATION-FAILED', 'ARM-PROVIDER-NOT-REGISTERED',
				'ARM-FORBIDDEN', 'NEXUS-LOGIN', 'NEXUS-ACCESS-TOKEN', 'NEXUS-ARC-CONNECT', 'CI-SCRIPT-FAILED', 'CI-MODULE-FAILED',
				'CI-COMMAND-FAILED', 'CI-TRACEBACK', 'CI-AZURE-DATASOURCE', 'CI-EVENT-FAIL',
			]) {
				assert.ok(getEntry(id), id);
			}
			assert.equal(new Set(knowledge.entries.map((e) => e.id)).size, knowledge.entries.length);
			assert.deepEqual(knowledge.entries.filter((e) => e.benign).map((e) => e.id), ['AZCM0000', 'EXIT-0']);
		});
	});

	describe('lookups', () => {
		it('finds codes, exit codes and ids; parses explain queries', () => {
			assert.equal(entryForCode('AZCM0026')?.id, 'AZCM0026');
			assert.equal(entryForCode('azcm0026')?.id, 'AZCM0026');
			assert.equal(entryForCode('AZCM0999'), undefined);
			assert.equal(entryForCode('EXIT-26'), undefined);
			assert.equal(entryForExit(26)?.id, 'EXIT-26');
			assert.equal(entryForExit(999), undefined);
			assert.equal(getEntry('auth-spn-invalid-secret')?.id, 'AUTH-SPN-INVALID-SECRET');
			assert.ok(isAzcmCode('AZCM0999') && !isAzcmCode('AZCM99') && !isAzcmCode('AZCM00261'));
			assert.deepEqual(parseQuery('AZCM0026'), { kind: 'code', code: 'AZCM0026' });
			assert.deepEqual(parseQuery(' azcm26 '), { kind: 'code', code: 'AZCM0026' });
			assert.deepEqual(parseQuery('AZCM 26'), { kind: 'code', code: 'AZCM0026' });
			assert.deepEqual(parseQuery('exit 26'), { kind: 'exit', exitCode: 26 });
			assert.deepEqual(parseQuery('Exit code: 26'), { kind: 'exit', exitCode: 26 });
			assert.deepEqual(parseQuery('EXIT-26'), { kind: 'exit', exitCode: 26 });
			assert.deepEqual(parseQuery('26'), { kind: 'number', value: 26 });
			assert.deepEqual(parseQuery('nexus-login'), { kind: 'id', id: 'NEXUS-LOGIN' });
			assert.deepEqual(parseQuery('   '), { kind: 'empty' });
			assert.equal(parseQuery('Invalid client secret provided').kind, 'text');
			assert.match(tableUrl('azcm'), /#agent-error-codes$/);
			assert.match(tableUrl('exit'), /#agent-exit-codes$/);
		});
	});

	describe('compiler', () => {
		const input = readCompilerInput(knowledgeDir);
		const withData = (patch: (d: CompilerData) => CompilerData) => () => compileKnowledge(input.files, patch(input.data));

		it('is deterministic, independent of file order, and the built knowledge.json is up to date', () => {
			const a = serializeKnowledge(compileKnowledge(input.files, input.data));
			const b = serializeKnowledge(compileKnowledge([...input.files].reverse(), input.data));
			assert.equal(a, b);
			assert.deepEqual(JSON.parse(a), knowledge);
			assert.equal(readFileSync(join(repo, 'server/src/core/knowledge/generated/knowledge.json'), 'utf8'), a);
			assert.ok(!/20\d\d-\d\d-\d\dT\d\d:/.test(a), 'no timestamps');
		});

		it('fails when a translated code has no judgement', () => {
			assert.throws(
				withData((d) => {
					const entries = { ...d.review.entries };
					delete entries.AZCM0068;
					return { ...d, review: { entries } };
				}),
				(e: unknown) => e instanceof KnowledgeCompileError && /AZCM0068/.test(e.message),
			);
		});

		it('fails when a row gets no id or two rows get the same id', () => {
			assert.throws(
				withData((d) => {
					const connection = { ...d.ids.connection };
					delete connection['invalid client secret'];
					return { ...d, ids: { ...d.ids, connection } };
				}),
				(e: unknown) => e instanceof KnowledgeCompileError && /no id for the row/.test(e.message),
			);
			assert.throws(
				withData((d) => ({ ...d, ids: { ...d.ids, connection: { ...d.ids.connection, 'invalid client secret': 'AUTH-SPN-APP-NOT-FOUND' } } })),
				(e: unknown) => e instanceof KnowledgeCompileError && /AUTH-SPN-APP-NOT-FOUND/.test(e.message),
			);
		});

		it('fails on a table it does not know and on a translation-only code without English text', () => {
			const files = input.files.map((f) => (f.file === fileOf('en-2025') ? { ...f, text: f.text + '\n## Something new\n\n| a | b |\n|---|---|\n| 1 | 2 |\n' } : f));
			assert.throws(() => compileKnowledge(files, input.data), (e: unknown) => e instanceof KnowledgeCompileError && /does not know/.test(e.message));
			const noOurs = input.files.map((f) => (f.file === fileOf('ours-translations') ? { ...f, text: f.text.replace(/^\| AZCM0014 .*$/m, '') } : f));
			assert.throws(() => compileKnowledge(noOurs, input.data), (e: unknown) => e instanceof KnowledgeCompileError && /AZCM0014/.test(e.message));
		});

		it('reads tables the GFM way: escaped pipes, a missing trailing pipe; repairs mojibake; resolves links', () => {
			assert.deepEqual(splitRow('| a \\| b | c |'), ['a | b', 'c']);
			assert.deepEqual(splitRow('| AZCM0013 | x | y'), ['AZCM0013', 'x', 'y']);
			assert.equal(fixMojibake('parameter `â€“n`'), 'parameter `–n`');
			assert.equal(fixMojibake('Ångström – ok'), 'Ångström – ok');
			const base = 'https://learn.microsoft.com/sv-se/azure/azure-arc/servers/troubleshoot-agent-onboard';
			assert.equal(absoluteUrl('manage-agent.md#unregister-machine', base), 'https://learn.microsoft.com/sv-se/azure/azure-arc/servers/manage-agent#unregister-machine');
			assert.equal(absoluteUrl('/azure/azure-arc/servers/azcmagent', base), 'https://learn.microsoft.com/sv-se/azure/azure-arc/servers/azcmagent');
			assert.equal(absoluteUrl('#footnote1', base), `${base}#footnote1`);
		});
	});
});
