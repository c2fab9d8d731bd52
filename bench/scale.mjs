// Performance and scale (issue 10): the figures of the table on generated logs of each family, each next to
// its baseline measured in the same run. Numbers, not pass/fail.
//   node bench/scale.mjs [--sizes 5,50,200] [--families azcmagent,azcmagent-quiet,cloud-init-output] [--json FILE] [--no-grep]
//                        [--root DIR]   measure another checkout (built), e.g. the commit before, with these generators
// Build first (`npm run bench` does): the stdio figures run server/out/server.js as built.
// Figures per log:
//   floor        a plain Node pass that streams the file through one combined pattern with a line index (CPU ms):
//                the cost of reading the bytes, the baseline of the in-process figures
//   analysis     the core's analysis of the document as the server does it (lines in memory → Analysis), ms
//   append       re-analysis after appending one line, as the server does it (fork of the document's analyzer, the
//                new last line, resolution), ms (median of 7)
//   heap/byte    heap held by the document's lines and its analysis after GC, per byte of log
//   open→diag    didOpen → publishDiagnostics over stdio (`node server/out/server.js --stdio`), ms
//   append→diag  didChange appending one line → its publishDiagnostics over stdio, ms (median of 7)
//   hover p50/p99  200 hovers at spread positions over stdio, one at a time, ms
//   no-op p50/p99  the same over stdio for a request the server does not know (its MethodNotFound answer), alternated
//                with the hovers: the round trip itself, the baseline of the stdio figures
//   scan / grep  `arc-logs scan --format jsonl --jobs 1 FILE` as a whole process against `grep -cE` with the floor's
//                pattern on the same file, both with stdout to a pipe (CPU ms, bench/measure.mjs); --no-grep skips it
// Each measurement runs in a fresh process (its own heap). The in-process figures also record CPU ms, and the heap of
// the document's lines alone (before the analysis): the baselines of the combined table of bench/run.mjs.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync, mkdirSync, createReadStream } from 'node:fs';
import { cpus } from 'node:os';
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { azcmagentLine, azcmagentQuietLine, cloudInitLine, generate, dir } from './generate.mjs';
import { floorSource, median, cliVsGrep, needTime } from './measure.mjs';

/** The checkout measured (`--root DIR`: an older one, for before/after figures); the generators are this one's. */
const root = (() => {
	const a = process.argv.indexOf('--root');
	return a > 0 ? resolve(process.argv[a + 1]) + '/' : new URL('..', import.meta.url).pathname;
})();
const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
const cpuMs = () => {
	const u = process.cpuUsage();
	return (u.user + u.system) / 1000;
};

/**
 * The core as one CommonJS file for in-process measurements (bundled from source; nothing of it ships). One file per
 * measured checkout: .cache/ may be shared by several worktrees benchmarking at the same time.
 */
async function coreBundle() {
	const out = join(dir, `core-${createHash('sha1').update(root).digest('hex').slice(0, 8)}.cjs`);
	const esbuild = await import('esbuild');
	await esbuild.build({ bundle: true, platform: 'node', format: 'cjs', target: 'node20', entryPoints: [join(root, 'server/src/core/analysis/analyze.ts')], outfile: out, logLevel: 'warning' });
	return out;
}

// ---- children ---------------------------------------------------------------------------------------------------

/** One combined pattern of what can start a finding or a section, streamed over the raw bytes, with a line index. */
async function childFloor(file) {
	const t0 = cpuMs();
	const w0 = performance.now();
	const pattern = new RegExp(floorSource, 'g');
	const lineStarts = [0];
	let matches = 0;
	let offset = 0;
	let carry = '';
	for await (const chunk of createReadStream(file, { encoding: 'latin1', highWaterMark: 1 << 20 })) {
		const text = carry + chunk;
		const cut = text.lastIndexOf('\n') + 1;
		const body = text.slice(0, cut);
		for (let i = body.indexOf('\n'); i >= 0; i = body.indexOf('\n', i + 1)) lineStarts.push(offset + i + 1);
		pattern.lastIndex = 0;
		while (pattern.exec(body)) matches++;
		offset += cut;
		carry = text.slice(cut);
	}
	return { cpuMs: cpuMs() - t0, ms: performance.now() - w0, matches, lines: lineStarts.length };
}

function childAnalysis(file, core) {
	const { Analyzer } = createRequire(import.meta.url)(core);
	const bytes = statSync(file).size;
	global.gc();
	const heap0 = process.memoryUsage().heapUsed;
	const lines = readFileSync(file, 'utf8').split('\n');
	global.gc();
	const heapLines = process.memoryUsage().heapUsed - heap0;
	// A build without incremental analysis (`--core` of an older checkout) re-analyzes the whole document on append.
	const incremental = typeof Analyzer.prototype.fork === 'function';
	const whole = () => {
		const a = new Analyzer({ fileName: file });
		for (const l of lines) a.push(l);
		return a.finish();
	};
	const c0 = cpuMs();
	const t0 = performance.now();
	let base;
	let analysis;
	if (incremental) {
		base = new Analyzer({ fileName: file });
		for (let i = 0; i < lines.length - 1; i++) base.push(lines[i]);
		const f = base.fork();
		f.push(lines[lines.length - 1]);
		analysis = f.finish();
	} else analysis = whole();
	const ms = performance.now() - t0;
	const analysisCpuMs = cpuMs() - c0;
	global.gc();
	const heap = process.memoryUsage().heapUsed - heap0;
	// Appends: the base reads the old last line, a fork reads the new last line, then resolution.
	const appends = [];
	const appendsCpu = [];
	for (let k = 0; k < (incremental ? 7 : 3); k++) {
		const c1 = cpuMs();
		const a0 = performance.now();
		if (incremental) base.push(lines[lines.length - 1]);
		lines.push(`time="2024-03-02T09:00:0${k}Z" level=info msg="appended ${k}"`);
		if (incremental) {
			const f = base.fork();
			f.push(lines[lines.length - 1]);
			f.finish();
		} else whole();
		appends.push(performance.now() - a0);
		appendsCpu.push(cpuMs() - c1);
	}
	return {
		ms,
		cpuMs: analysisCpuMs,
		appendMs: median(appends),
		appendCpuMs: median(appendsCpu),
		heapPerByte: heap / bytes,
		heapLinesPerByte: heapLines / bytes,
		findings: analysis.findings.length,
		records: analysis.records.length,
	};
}

async function childStdio(file) {
	const { createMessageConnection, StreamMessageReader, StreamMessageWriter } = await import('vscode-jsonrpc/node');
	const server = spawn(process.execPath, [...(process.env.SERVER_PROF ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.SERVER_PROF] : []), join(root, 'server/out/server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
	const conn = createMessageConnection(new StreamMessageReader(server.stdout), new StreamMessageWriter(server.stdin));
	const waiting = new Map();
	conn.onNotification('textDocument/publishDiagnostics', (p) => waiting.get(p.version)?.(p));
	conn.onRequest('workspace/configuration', (p) => p.items.map(() => ({})));
	conn.onRequest('client/registerCapability', () => null);
	conn.listen();
	await conn.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: { workspace: { configuration: true } }, initializationOptions: { locale: 'en' } });
	await conn.sendNotification('initialized', {});
	const text = readFileSync(file, 'utf8');
	const lines = text.split('\n');
	const uri = 'file:///bench/' + file.split('/').pop();
	const diagnosticsOf = (version) => new Promise((res) => waiting.set(version, res));
	// The transport of the text alone: the same string sent to a method the server does not know (serialized, piped,
	// parsed, answered with MethodNotFound): what any LSP server pays before its own work on a didOpen.
	let t = performance.now();
	await conn.sendRequest('arcLogs/benchNoop', { text }).catch(() => undefined);
	const transportMs = performance.now() - t;
	t = performance.now();
	let wait = diagnosticsOf(1);
	await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: file.includes('cloud-init') ? 'cloud-init-log' : 'azcmagent-log', version: 1, text } });
	const diagnostics = (await wait).diagnostics.length;
	const openMs = performance.now() - t;
	const appends = [];
	for (let v = 2; v <= 8; v++) {
		const last = lines.length - 1;
		const at = { line: last, character: lines[last].length };
		const added = `time="2024-03-02T09:00:0${v}Z" level=info msg="appended ${v}"`;
		lines[last] += added;
		lines.push('');
		wait = diagnosticsOf(v);
		t = performance.now();
		await conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: v }, contentChanges: [{ range: { start: at, end: at }, text: added + '\n' }] });
		await wait;
		appends.push(performance.now() - t);
	}
	const hovers = [];
	const noops = [];
	for (let k = 0; k < 200; k++) {
		const line = Math.floor((k * 7919) % lines.length);
		const h0 = performance.now();
		await conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line, character: 8 } });
		hovers.push(performance.now() - h0);
		// The baseline: a request the server answers with MethodNotFound (JSON-RPC both ways, no work).
		const n0 = performance.now();
		await conn.sendRequest('arcLogs/benchNoop', {}).catch(() => undefined);
		noops.push(performance.now() - n0);
	}
	hovers.sort((a, b) => a - b);
	noops.sort((a, b) => a - b);
	const status = readFileSync(`/proc/${server.pid}/status`, 'utf8');
	const peakRssMiB = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? NaN) / 1024;
	await conn.sendRequest('shutdown');
	await conn.sendNotification('exit');
	await new Promise((r) => server.once('exit', r));
	conn.dispose();
	return { openMs, transportMs, appendMs: median(appends), hoverP50: hovers[100], hoverP99: hovers[198], noopP50: noops[100], noopP99: noops[198], diagnostics, serverPeakRssMiB: peakRssMiB };
}

if (args[0] === '--child') {
	const [, kind, file, core] = args;
	const r = kind === 'floor' ? await childFloor(file) : kind === 'analysis' ? childAnalysis(file, core) : await childStdio(file);
	process.stdout.write(JSON.stringify(r) + '\n');
	process.exit(0);
}

// ---- the table ----------------------------------------------------------------------------------------------------

function child(kind, file, core) {
	const r = spawnSync(process.execPath, ['--expose-gc', '--max-old-space-size=12288', new URL(import.meta.url).pathname, '--child', kind, file, core ?? '', '--root', root], { encoding: 'utf8', maxBuffer: 1 << 26 });
	if (r.status !== 0) return { error: (r.stderr || r.stdout).trim().split('\n').slice(-3).join(' ') };
	return JSON.parse(r.stdout.trim().split('\n').pop());
}

const sizes = opt('--sizes', '50').split(',').map(Number);
const families = opt('--families', 'azcmagent,azcmagent-quiet,cloud-init-output').split(',');
const gens = { azcmagent: azcmagentLine, 'azcmagent-quiet': azcmagentQuietLine, 'cloud-init-output': cloudInitLine };
const grep = !args.includes('--no-grep');
if (grep) needTime();
const cli = join(root, 'server/out/cli.js');
const core = await coreBundle();
const rows = [];
console.log(`machine: ${cpus().length} × ${cpus()[0].model}, node ${process.version}`);
for (const mb of sizes) {
	for (const family of families) {
		const file = generate(family, mb, gens[family]);
		const size = statSync(file).size;
		const floor = child('floor', file);
		const analysis = child('analysis', file, core);
		const stdio = child('stdio', file);
		let scan;
		try {
			scan = grep ? cliVsGrep(cli, file) : undefined;
		} catch (e) {
			scan = { error: e.message };
		}
		rows.push({ file: file.split('/').pop(), family, mb: size / 1048576, floor, analysis, stdio, scan });
	}
}
const f = (x, d = 0) => (typeof x === 'number' && Number.isFinite(x) ? x.toFixed(d) : '—');
console.log('\n| log | MB | floor CPU ms | analysis wall / CPU ms (CPU × floor) | append ms | heap B/B | open→diag ms | append→diag ms | hover p50 / p99 ms | findings | scan / grep CPU ms (×) |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
	const a = r.analysis;
	const s = r.stdio;
	if (a.error || s.error) console.log(`!! ${r.file}: ${a.error ?? ''} ${s.error ?? ''}`);
	if (r.scan?.error) console.log(`!! ${r.file}: scan/grep: ${r.scan.error}`);
	const g = r.scan && !r.scan.error ? `${f(r.scan.cli.cpuMs)} / ${f(r.scan.grep.cpuMs)} (${f(r.scan.ratio, 1)}×)` : '—';
	console.log(
		`| ${r.file} | ${f(r.mb, 1)} | ${f(r.floor.cpuMs)} | ${f(a.ms)} / ${f(a.cpuMs)} (${f(a.cpuMs / r.floor.cpuMs, 1)}×) | ${f(a.appendMs, 1)} | ${f(a.heapPerByte, 2)} | ${f(s.openMs)} | ${f(s.appendMs, 1)} | ${f(s.hoverP50, 2)} / ${f(s.hoverP99, 2)} | ${f(a.findings)} | ${g} |`,
	);
}
const json = opt('--json', join(dir, 'results/scale.json'));
mkdirSync(resolve(json, '..'), { recursive: true });
writeFileSync(json, JSON.stringify({ machine: { cpus: cpus().length, model: cpus()[0].model, node: process.version }, rows }, null, 2));
console.log(`\n(json: ${json})`);
