// arcLogs/redactExcerpt over a real LSP connection (server/out/server.js --stdio): a selection, the failure at the
// cursor with its related lines, the kinds from arcLogs.redact.kinds or the request, and null where there is nothing.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { RedactExcerptRequest, type RedactExcerptResult } from '../../server/src/core/protocol';
import { EXCERPT_GAP, redactText } from '../../server/src/core/redact';
import { TestClient } from './client';

const FILE = resolve(__dirname, '../../../test/fixtures/logs/azcmagent-log/connect-authorization-failed-403.log');
const URI = 'file:///logs/redact/azcmagent.log';
const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

describe('language server: arcLogs/redactExcerpt', () => {
	let client: TestClient;
	let settings: Record<string, unknown> = {};
	const text = readFileSync(FILE, 'utf8');
	const lines = text.split('\n');
	const lineOf = (needle: string) => lines.findIndex((l) => l.includes(needle));
	const request = (params: object) => client.connection.sendRequest(RedactExcerptRequest, { uri: URI, ...params }) as Promise<RedactExcerptResult | null>;

	before(async () => {
		client = await TestClient.spawn({ locale: 'en', settings: () => settings });
		await client.open(URI, text);
	});
	after(() => client.stop());

	it('a selection: exactly its text, redacted with the default kinds', async () => {
		const args = lineOf('Command Args');
		const r = await request({ range: { start: { line: args, character: 0 }, end: { line: args + 1, character: 10 } } });
		assert.ok(r);
		const selected = `${lines[args]}\n${lines[args + 1].slice(0, 10)}`;
		assert.equal(r.text, redactText(selected).text);
		assert.match(r.text, /--tenant-id <tenant-1> .*--subscription-id <subscription-1>/);
		assert.ok(!GUID.test(r.text), r.text);
		assert.deepEqual(r.lines, [args, args + 1]);
		assert.deepEqual(r.kinds, ['ids', 'tokens', 'secrets']);
		assert.ok(r.replaced >= 4 && r.distinct >= 4 && r.replaced >= r.distinct, JSON.stringify(r));
		assert.equal(r.id, undefined);
	});

	it('the failure at the cursor with its related lines, gaps marked, no id left', async () => {
		const exit = lineOf('Exit Code:  AZCM0042');
		const r = await request({ position: { line: exit, character: 3 } });
		assert.ok(r);
		assert.equal(r.id, 'AZCM0042');
		assert.ok(r.lines.includes(exit) && r.lines.includes(lineOf('level=fatal')), JSON.stringify(r.lines));
		const parts = r.text.split('\n');
		assert.equal(parts.length, r.lines.length + parts.filter((p) => p === EXCERPT_GAP).length);
		assert.equal(parts[0], redactText(lines[exit]).text);
		assert.ok(!GUID.test(r.text), r.text);
		assert.match(r.text, /The client '<object-\d>' with object id '<object-\d>'/);
		// The same failure from one of its related lines.
		const fromRelated = await request({ position: { line: lineOf('level=fatal'), character: 0 } });
		assert.equal(fromRelated?.id, 'AZCM0042');
	});

	it('null where there is no failure, and for a document the server does not have', async () => {
		assert.equal(await request({ position: { line: lineOf('Loading local configuration'), character: 0 } }), null);
		assert.equal(await client.connection.sendRequest(RedactExcerptRequest, { uri: 'file:///not/open.log', position: { line: 0, character: 0 } }), null);
	});

	it('arcLogs.redact.kinds chooses the kinds; the request may name its own', async () => {
		settings = { redact: { kinds: ['secrets'] } };
		await client.changeConfiguration();
		const args = lineOf('Command Args');
		const range = { start: { line: args, character: 0 }, end: { line: args, character: lines[args].length } };
		const onlySecrets = await request({ range });
		assert.deepEqual(onlySecrets?.kinds, ['secrets']);
		assert.ok(GUID.test(onlySecrets!.text), 'ids kept when not asked for');
		const ids = await request({ range, kinds: ['ids', 'hosts'] });
		assert.deepEqual(ids?.kinds, ['ids', 'hosts']);
		assert.ok(!GUID.test(ids!.text));
		settings = {};
		await client.changeConfiguration();
	});
});
