// Language server under editing load (issue 9, defect 9): `node server/out/server.js --stdio` gets a large azcmagent
// log, then 1000 one-line edits over ~1.5 s with a hover after every 10th edit. Prints hover latencies, the
// diagnostics sets published for versions that were already replaced, and how long the last version took to get its
// diagnostics. Numbers, not pass/fail.
//   node bench/server.mjs [--server DIR] [--lines N]
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';

const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
const root = resolve(opt('--server', new URL('..', import.meta.url).pathname));
const lines = Number(opt('--lines', '200000'));

const child = spawn(process.execPath, [...(process.env.SERVER_PROF ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.SERVER_PROF] : []), resolve(root, 'server/out/server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
const conn = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
const published = [];
let current = 1;
const uri = 'file:///bench/azcmagent.log';
conn.onNotification('textDocument/publishDiagnostics', (p) => {
	if (p.uri === uri) published.push({ version: p.version, stale: p.version !== current, at: performance.now() });
});
conn.onRequest('workspace/configuration', (p) => p.items.map(() => ({})));
conn.onRequest('client/registerCapability', () => null);
conn.listen();
await conn.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: { workspace: { configuration: true } }, initializationOptions: { locale: 'en' } });
await conn.sendNotification('initialized', {});

const records = [];
for (let i = 0; i < lines; i++) {
	const s = String(i % 60).padStart(2, '0');
	records.push(i % 997 === 0 ? `time="2024-01-01T00:00:${s}Z" level=fatal msg="Exit Code: AZCM0026: Network Error"` : `time="2024-01-01T00:00:${s}Z" level=info msg="heartbeat ${i}" Component=himds`);
}
const text = records.join('\n');
const t0 = performance.now();
await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'azcmagent-log', version: 1, text } });

const latencies = [];
const hovers = [];
let line = lines - 1;
for (let v = 2; v <= 1001; v++) {
	current = v;
	const end = { line, character: records[line].length };
	await conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: v }, contentChanges: [{ range: { start: end, end }, text: `\ntime="2024-01-01T00:01:00Z" level=info msg="appended ${v}"` }] });
	line++;
	records.push(`time="2024-01-01T00:01:00Z" level=info msg="appended ${v}"`);
	if (v % 10 === 0) {
		const start = performance.now();
		hovers.push(conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 40 } }).then(() => latencies.push(performance.now() - start)));
	}
	await new Promise((r) => setTimeout(r, 1.5));
}
const editsDone = performance.now();
await Promise.all(hovers);
// Wait for the diagnostics of the last version.
while (!published.some((p) => p.version === 1001)) await new Promise((r) => setTimeout(r, 20));
const last = published.find((p) => p.version === 1001);
latencies.sort((a, b) => a - b);
const q = (f) => latencies[Math.min(latencies.length - 1, Math.floor(f * latencies.length))].toFixed(0);
console.log(`server: ${root}`);
console.log(`document: ${lines} lines (${(text.length / 1e6).toFixed(1)} MB), 1000 edits in ${((editsDone - t0) / 1000).toFixed(1)} s, ${latencies.length} hovers`);
console.log(`hover latency ms: p50 ${q(0.5)}, p90 ${q(0.9)}, max ${latencies[latencies.length - 1].toFixed(0)}`);
console.log(`diagnostics published: ${published.length}, for replaced versions: ${published.filter((p) => p.stale).length}`);
console.log(`last version's diagnostics ${((last.at - editsDone) / 1000).toFixed(2)} s after the last edit`);
await conn.sendRequest('shutdown');
await conn.sendNotification('exit');
await new Promise((r) => child.once('exit', r));
conn.dispose();
