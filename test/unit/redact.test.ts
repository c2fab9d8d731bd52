// The redactor (server/src/core/redact.ts): each kind on lines as the real logs write them, stable placeholders, the
// text outside the replaced values unchanged, and, over every real log of test/corpus and test/fixtures, no value of
// a listed kind left (found by detectors written here, independently of the redactor's own patterns).
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { REAL_LOGS } from '../realLogs';
import { analyze } from '../../server/src/core/analysis/analyze';
import { normalizeSettings } from '../../server/src/core/features/settings';
import { linesOf } from '../../server/src/core/text';
import { ANONYMOUS_HOSTS, DEFAULT_REDACT_KINDS, EXCERPT_GAP, failureExcerpt, parseKinds, PLACEHOLDER, PUBLIC_DOMAINS, SERVICE_DOMAINS, REDACT_KINDS, redactText, Redactor, type RedactKind } from '../../server/src/core/redact';

const testRoot = resolve(__dirname, '../..');
const ALL = [...REDACT_KINDS];

const red = (text: string, kinds: readonly RedactKind[] = DEFAULT_REDACT_KINDS) => redactText(text, kinds).text;

describe('redact: each kind', () => {
	it('ids: GUIDs named from the context the log gives them', () => {
		const line =
			'Args="connect --service-principal-id cea05308-2e32-4629-8555-9936055a983c --tenant-id 24295870-b4f1-4b71-b660-983bf58411c3 --subscription-id 015fdd1e-82df-4141-93b6-b099c7ea39aa --correlation-id 625a9dce-c94f-4a46-bf09-d25720974102"';
		assert.equal(red(line), 'Args="connect --service-principal-id <object-1> --tenant-id <tenant-1> --subscription-id <subscription-1> --correlation-id <correlation-1>"');
		assert.equal(
			red('PUT https://management.azure.com/subscriptions/015FDD1E-82DF-4141-93B6-B099C7EA39AA/resourceGroups/rg/providers/Microsoft.HybridCompute/machines/web01'),
			'PUT https://management.azure.com/subscriptions/<subscription-1>/resourceGroups/rg/providers/Microsoft.HybridCompute/machines/web01',
		);
		assert.equal(red('FATAL   RequestCorrelationId:3f9a0c2e-6b1d-4e57-8d40-a1c2e5b7f913'), 'FATAL   RequestCorrelationId:<correlation-1>');
		assert.equal(red('http call(https://login.microsoftonline.com/0f696ad4-59ac-4445-9331-32c06df1cb6e/oauth2/v2.0/token)'), 'http call(https://login.microsoftonline.com/<tenant-1>/oauth2/v2.0/token)');
		assert.equal(
			red(`"message": "The client 'cea05308-2e32-4629-8555-9936055a983c' with object id '0cc67712-eb9b-4a06-8cf8-7f59646db429' does not have authorization"`),
			`"message": "The client '<object-1>' with object id '<object-2>' does not have authorization"`,
		);
		assert.equal(red('    "homeTenantId": "2a98202e-421c-4d4d-9c3e-1a2b3c4d5e6f",'), '    "homeTenantId": "<tenant-1>",');
		assert.equal(red('TenantId                    : 2a98202e-421c-4d4d-9c3e-1a2b3c4d5e6f'), 'TenantId                    : <tenant-1>');
		assert.equal(red('Trace ID: e874efe8-0cc3-413c-82db-106c39d43f82 Correlation ID: 10b8f438-6dae-430c-948b-d2c1921e53fe'), 'Trace ID: <correlation-1> Correlation ID: <correlation-2>');
		// No context: a generic placeholder; the nil GUID names nothing and stays.
		assert.equal(red('[Pull Client] [INFO] [1ce79868-edce-4c15-a588-dfcddc7448fd] job 00000000-0000-0000-0000-000000000000'), '[Pull Client] [INFO] [<guid-1>] job 00000000-0000-0000-0000-000000000000');
	});

	it('tokens: JWTs (also cut short), Bearer, --access-token, SAS sig=, AccountKey=', () => {
		const jwt = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL21hbmFnZW1lbnQuYXp1cmUuY29tLyJ9.Zk9vQmFyX3NpZ25hdHVyZQ';
		assert.equal(red(`+ ACCESS_TOKEN=${jwt}`), '+ ACCESS_TOKEN=<token-1>');
		assert.equal(red('+ ACCESS_TOKEN=eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1Ni'), '+ ACCESS_TOKEN=<token-1>');
		assert.equal(red('Authorization: Bearer 0.AXkAabcdEFGH-ijkl_mnop.qrstu'), 'Authorization: Bearer <token-1>');
		assert.equal(red('Bearer authorization failed for the request'), 'Bearer authorization failed for the request');
		assert.equal(red('azcmagent connect --access-token ya29.a0AfH6SMBx-not-a-jwt --location westeurope'), 'azcmagent connect --access-token <token-1> --location westeurope');
		assert.equal(
			red('GET https://arcstore01.blob.core.windows.net/scripts/x.sh?sv=2022-11-02&se=2024-06-12T10%3A00Z&sr=b&sp=r&sig=AbC%2Bdef%2Fghi%3D HTTP/1.1'),
			'GET https://arcstore01.blob.core.windows.net/scripts/x.sh?sv=2022-11-02&se=2024-06-12T10%3A00Z&sr=b&sp=r&sig=<token-1> HTTP/1.1',
		);
		assert.equal(
			red('DefaultEndpointsProtocol=https;AccountName=arcstore01;AccountKey=Zm9vYmFyYmF6cXV4+/Zm9vYmFy==;EndpointSuffix=core.windows.net'),
			'DefaultEndpointsProtocol=https;AccountName=arcstore01;AccountKey=<token-1>;EndpointSuffix=core.windows.net',
		);
		assert.equal(red('{"access_token":"opaque-token-value-123","expires_in":3599}'), '{"access_token":"<token-1>","expires_in":3599}');
	});

	it('secrets: service principal secrets, passwords, client_secret, connection strings, URL credentials', () => {
		assert.equal(red('azcmagent connect --service-principal-secret Vq78Q~hR2xExampleOnly --resource-group rg'), 'azcmagent connect --service-principal-secret <secret-1> --resource-group rg');
		assert.equal(red(`--service-principal-secret "p@ss word;1" --tenant-id x`), `--service-principal-secret "<secret-1>" --tenant-id x`);
		assert.equal(red('Connect-AzConnectedMachine -ServicePrincipalSecret Abc123~xyz -Location westeurope'), 'Connect-AzConnectedMachine -ServicePrincipalSecret <secret-1> -Location westeurope');
		assert.equal(red(`{'access-points': {'home_net': {'password': 'Home@204'}}}`), `{'access-points': {'home_net': {'password': '<secret-1>'}}}`);
		assert.equal(red('client_id=abc&client_secret=s3cr3t~value&grant_type=client_credentials'), 'client_id=abc&client_secret=<secret-1>&grant_type=client_credentials');
		assert.equal(red('Server=tcp:sql01;User Id=arcadmin;Password=Pa55w0rd!;Encrypt=True'), 'Server=tcp:sql01;User Id=arcadmin;Password=<secret-1>;Encrypt=True');
		assert.equal(red('export HTTPS_PROXY=http://svc-arc:Pr0xyPass@10.0.0.5:3128'), 'export HTTPS_PROXY=http://svc-arc:<secret-1>@10.0.0.5:3128');
		// Already masked, variables, flags without a value, the working directory, prose: left as they are.
		for (const kept of [
			'--service-principal-secret *** --resource-group rg',
			"--service-principal-secret '********' --cloud AzureCloud",
			'--service-principal-secret $secret --resource-group "RG"',
			'StartName=NT SERVICE\\himds,Password=**********,Description=x',
			'PS C:\\> $secret = Read-Host -Prompt "Secret value"',
			'sudo[2240]:    pos-admin : TTY=pts/0 ; PWD=/home/pos-admin ; USER=root',
			'config-set_passwords: SUCCESS: config-set_passwords ran successfully',
			'AADSTS7000215: Invalid client secret provided. Ensure the secret being sent is the client secret value',
		]) {
			assert.equal(red(kept), kept);
		}
	});

	it('ips (optional): IPv4 and IPv6, not loopback, netmasks, metadata endpoints or version numbers', () => {
		const kinds: RedactKind[] = ['ips'];
		assert.equal(red('dial tcp 20.50.1.130:443: i/o timeout', kinds), 'dial tcp <ip-1>:443: i/o timeout');
		assert.equal(red('| eth0:  | True | 172.31.26.211 | 255.255.240.0 | global | fe80::5054:ff:fe1f:c290/64 |', kinds), '| eth0:  | True | <ip-1> | 255.255.240.0 | global | <ip-2>/64 |');
		assert.equal(red('route 2001:db8:85a3:0:0:8a2e:370:7334 via 2001:db8::1', kinds), 'route <ip-1> via <ip-2>');
		for (const kept of [
			'Read from http://169.254.169.254/latest/meta-data/instance-id',
			'export NO_PROXY=localhost,127.0.0.1,::1,168.63.129.16',
			'TypeHandlerVersion             : 2.0.16.0',
			'service started. Version: 1.29.82.0',
			'2024-06-07 14:54:07,123 - util.py[DEBUG]: at 14:54:07',
			'link/ether 00:15:5d:01:02:03 brd ff:ff:ff:ff:ff:ff',
			'Splunk::Platform::Posix/Exec[remove]',
			'(1.5.2-0ubuntu5.18.04.4) ...',
		]) {
			assert.equal(red(kept, kinds), kept);
		}
	});

	it('hosts (optional): URL hosts, FQDNs, names given as hosts, syslog hosts; never Microsoft or Azure endpoints', () => {
		const kinds: RedactKind[] = ['hosts'];
		assert.equal(red('Using proxy proxy.url="http://webproxy.contoso.com:8080"', kinds), 'Using proxy proxy.url="http://<host-1>:8080"');
		assert.equal(red('Resolving fs01.corp.contoso.com and FS01.CORP.CONTOSO.COM', kinds), 'Resolving <host-1> and <host-2>');
		assert.equal(red('Jun 07 14:54:07 lnx-web-01 cloud-init[2480]: Cloud-init v. 23.4 running', kinds), 'Jun 07 14:54:07 <host-1> cloud-init[2480]: Cloud-init v. 23.4 running');
		assert.equal(red('Property(S): ComputerName = CONTOSO-SQL01', kinds), 'Property(S): ComputerName = <host-1>');
		assert.equal(red('Resource ID=/subscriptions/x/resourceGroups/rg/providers/Microsoft.HybridCompute/machines/lnx-db-014', kinds), 'Resource ID=/subscriptions/x/resourceGroups/rg/providers/Microsoft.HybridCompute/machines/<host-1>');
		assert.equal(red('root@arc-k3s-w2:/home/ops# cloud-init status', kinds), 'root@<host-1>:/home/ops# cloud-init status');
		for (const kept of [
			'Endpoint reachable Request URL="https://westeurope.his.arc.azure.com" and https://login.microsoftonline.com/x and https://aka.ms/arc/azcmerror',
			'Failed to create resource: action Microsoft.HybridCompute/machines/write',
			'handlers.py[DEBUG]: cc_set_passwords.py and agentconfig.json and cloudinit.sources.DataSourceAzure',
			"Removed the following from metadata urls: ['http://instance-data.:8773'] and http://localhost:40342",
			'Use --resource-name to choose a different name',
		]) {
			assert.equal(red(kept, kinds), kept);
		}
	});

	it('users (optional): home folders, user=, DOMAIN\\user, prompts, e-mail addresses; not root or Public', () => {
		const kinds: RedactKind[] = ['users'];
		assert.equal(red('PS C:\\Users\\support> azcmagent show', kinds), 'PS C:\\Users\\<user-1>> azcmagent show');
		assert.equal(red('"C:\\\\Users\\\\adm-jonas\\\\AppData" and /home/azureuser/.ssh and /Users/maria/x', kinds), '"C:\\\\Users\\\\<user-1>\\\\AppData" and /home/<user-2>/.ssh and /Users/<user-3>/x');
		assert.equal(red('RunAs User: CONTOSO\\adm-jvisser', kinds), 'RunAs User: <user-1>');
		assert.equal(red('azureuser@vm-01:~$ sudo azcmagent show', kinds), '<user-1>@vm-01:~$ sudo azcmagent show');
		assert.equal(red('From: Maria Lindqvist <maria.lindqvist@northwind.example>', kinds), 'From: Maria Lindqvist <<user-1>@northwind.example>');
		for (const kept of ['root@arc-k3s-w2:~# id', 'C:\\Users\\Public\\Desktop', 'downloaded to C:\\Users\\AzureConnectedMachineAgent.msi']) assert.equal(red(kept, kinds), kept);
	});

	it('only the kinds asked for', () => {
		const line = 'tenant 2a98202e-421c-4d4d-9c3e-1a2b3c4d5e6f from 10.1.2.3 password=hunter22 /home/alice';
		assert.equal(red(line, ['ids']), 'tenant <tenant-1> from 10.1.2.3 password=hunter22 /home/alice');
		assert.equal(red(line, ['secrets', 'ips']), 'tenant 2a98202e-421c-4d4d-9c3e-1a2b3c4d5e6f from <ip-1> password=<secret-1> /home/alice');
		assert.equal(red(line, []), line);
		assert.equal(red(line, ALL), 'tenant <tenant-1> from <ip-1> password=<secret-1> /home/<user-1>');
	});

	it('parses kinds from a setting or a flag', () => {
		assert.deepEqual(parseKinds('ips, IDS,bogus,,ids'), { kinds: ['ids', 'ips'], unknown: ['bogus'] });
		assert.deepEqual(parseKinds(['tokens', 3, 'users']), { kinds: ['tokens', 'users'], unknown: [] });
		assert.deepEqual(parseKinds('all').kinds, ALL);
		assert.deepEqual(parseKinds(undefined), { kinds: [], unknown: [] });
	});
});

describe('redact: placeholders', () => {
	it('the same value gets the same placeholder throughout (GUIDs in any case); different values different ones', () => {
		const text = [
			'--tenant-id 2a98202e-421c-4d4d-9c3e-1a2b3c4d5e6f --subscription-id 015fdd1e-82df-4141-93b6-b099c7ea39aa',
			'login.microsoftonline.com/2A98202E-421C-4D4D-9C3E-1A2B3C4D5E6F/oauth2 dial tcp 10.0.0.7:443 and 10.0.0.8:443',
			'tenant 1baa39d4-5788-4c1e-9d2a-5f2b3c4d5e6f, again 10.0.0.7 and password=a1 password=a1 password=b2',
		].join('\n');
		assert.equal(
			redactText(text, ALL).text,
			[
				'--tenant-id <tenant-1> --subscription-id <subscription-1>',
				'login.microsoftonline.com/<tenant-1>/oauth2 dial tcp <ip-1>:443 and <ip-2>:443',
				'tenant <tenant-2>, again <ip-1> and password=<secret-1> password=<secret-1> password=<secret-2>',
			].join('\n'),
		);
		const r = redactText(text, ALL);
		assert.equal(r.replaced, 10);
		assert.equal(r.distinct, 7);
	});

	it('a whole excerpt names a GUID from a later context; a stream keeps the placeholder it gave first', () => {
		const lines = ['job 2a98202e-421c-4d4d-9c3e-1a2b3c4d5e6f started', '--tenant-id 2a98202e-421c-4d4d-9c3e-1a2b3c4d5e6f'];
		assert.equal(redactText(lines.join('\n')).text, 'job <tenant-1> started\n--tenant-id <tenant-1>');
		const stream = new Redactor();
		assert.deepEqual(lines.map((l) => stream.line(l)), ['job <guid-1> started', '--tenant-id <guid-1>']);
	});

	it('line breaks (LF, CRLF, CR) are kept; redacting twice changes nothing more', () => {
		const text = 'a --tenant-id 2a98202e-421c-4d4d-9c3e-1a2b3c4d5e6f\r\nb password=x1\rc\n\nd sig=abc';
		const once = redactText(text, ALL).text;
		assert.equal(once, 'a --tenant-id <tenant-1>\r\nb password=<secret-1>\rc\n\nd sig=<token-1>');
		assert.equal(redactText(once, ALL).text, once);
	});
});

/** Every stretch of the output between placeholders, found in order in the original: only the values differ. */
function assertOnlyValuesChanged(original: string, redacted: string, where: string): void {
	const pieces = redacted.split(PLACEHOLDER);
	let at = 0;
	for (let i = 0; i < pieces.length; i++) {
		const piece = pieces[i];
		const found = i === 0 ? (original.startsWith(piece) ? 0 : -1) : original.indexOf(piece, at + 1);
		assert.ok(found >= 0, `${where}: text outside the values changed near ${JSON.stringify(piece.slice(0, 80))}`);
		if (i > 0) assert.ok(!/[\r\n]/.test(original.slice(at, found)), `${where}: a value spanning a line break was replaced`);
		at = found + piece.length;
	}
	assert.equal(at, original.length, `${where}: the end differs`);
}

// ---- independent detectors: simple shapes of each kind, written without the redactor's patterns --------------------

/** The documented lists of endpoints that are kept (data, not the redactor's patterns). */
const KEPT_DOMAINS = [...SERVICE_DOMAINS, ...PUBLIC_DOMAINS];
const NIL = '00000000-0000-0000-0000-000000000000';
const MASK = /^(?:\*+|\$\w+|\$\{\w+\}|%\w+%|<[^>]*>|\.\.\.)$/;
const unquote = (v: string) => v.replace(/^\\?["']|\\?["'],?$/g, '');
const DETECTORS: Readonly<Record<RedactKind, (text: string) => string[]>> = {
	ids: (text) => [...text.matchAll(/[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}/gi)].map((m) => m[0]).filter((g) => g !== NIL),
	tokens: (text) => [
		...[...text.matchAll(/eyJ[A-Za-z0-9_-]{8,}/g)].map((m) => m[0]),
		...[...text.matchAll(/Bearer +(\S{16,})/g)].map((m) => m[1]).filter((v) => /[\d.=_~+/-]/.test(v)),
		...[...text.matchAll(/(?:--access-token|[?&]sig=|AccountKey=|SharedAccessKey=|"access_token": ?")([^\s&;"]+)/gi)].map((m) => m[1]),
	].filter((v) => !MASK.test(unquote(v))),
	secrets: (text) =>
		[
			...[...text.matchAll(/(?:--service-principal-secret|--client-secret|-ServicePrincipalSecret)[ =]+(\S+)/gi)].map((m) => unquote(m[1])),
			...[...text.matchAll(/(?:^|[^\w$-])(?:password|passwd|client_secret|clientSecret)["']?\s*[=:]\s*["']?([^\s"',;&}]+)/gi)].map((m) => m[1]),
			...[...text.matchAll(/:\/\/[^\s:/@]+:([^\s/@]+)@/g)].map((m) => m[1]),
		].filter((v) => !MASK.test(v) && !v.startsWith('-')),
	ips: (text) =>
		[...text.matchAll(/(?<![\w.])(\d+)\.(\d+)\.(\d+)\.(\d+)(?![\w]|\.\d)/g)]
			.filter((m) => {
				const o = m.slice(1, 5);
				if (o.some((x) => Number(x) > 255 || /^0\d/.test(x))) return false;
				const [a, b, c, d] = o.map(Number);
				const ip = o.join('.');
				if (a === 0 || a === 127 || ip === '169.254.169.254' || ip === '168.63.129.16') return false;
				if (a === 255 && /^1*0*$/.test(o.map((x) => Number(x).toString(2).padStart(8, '0')).join(''))) return false;
				return !/version\s*[:=]?\s*$/i.test(text.slice(Math.max(0, (m.index ?? 0) - 40), m.index)) && b + c + d >= 0;
			})
			.map((m) => m[0])
			.concat([...text.matchAll(/(?<![\w:.])(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}(?![\w:])|(?<![\w:.])fe80::[0-9a-f:]*[0-9a-f](?![\w:])/gi)].map((m) => m[0])),
	hosts: (text) =>
		[
			...[...text.matchAll(/https?:\/\/(?:[^\s/@"']+@)?([A-Za-z0-9.-]*[A-Za-z][A-Za-z0-9.-]*)/g)].map((m) => m[1].replace(/\.$/, '')),
			...[...text.matchAll(/providers\/Microsoft\.HybridCompute\/machines\/([\w.-]+)/gi)].map((m) => m[1]),
		].filter((h) => !KEPT_DOMAINS.some((d) => h.toLowerCase() === d || h.toLowerCase().endsWith(`.${d}`)) && !ANONYMOUS_HOSTS.has(h.toLowerCase())),
	users: (text) =>
		[...text.matchAll(/(?:\/home\/|[A-Z]:\\{1,2}Users\\{1,2})([A-Za-z0-9_][\w.~-]*)/g)]
			.map((m) => m[1])
			.filter((u) => !/^(?:root|public|default|administrator)$/i.test(u) && !/\.(?:msi|exe)$/i.test(u)),
};

describe('redact: every real log of test/corpus and test/fixtures', () => {
	it(`reads ${REAL_LOGS.length} logs`, () => assert.ok(REAL_LOGS.length >= 100, String(REAL_LOGS.length)));

	it('the independent detectors find values of every kind in them (the property below is not vacuous)', () => {
		const all = REAL_LOGS.map((f) => f.text).join('\n');
		for (const kind of REDACT_KINDS) assert.ok(DETECTORS[kind](all).length >= 3, `${kind}: ${DETECTORS[kind](all).length}`);
	});

	for (const kinds of [DEFAULT_REDACT_KINDS, ALL]) {
		it(`no value of the kinds ${kinds.join(', ')} survives, and nothing else changed`, () => {
			for (const { name: where, text } of REAL_LOGS) {
				const out = redactText(text, kinds).text;
				assertOnlyValuesChanged(text, out, where);
				for (const kind of kinds) {
					const left = DETECTORS[kind](out);
					assert.deepEqual(left, [], `${where}: ${kind} left in the redacted text`);
					// Long values (GUIDs, tokens, secrets) must not appear anywhere in the output either.
					for (const v of DETECTORS[kind](text)) if (v.length >= 8 && kind !== 'ips' && kind !== 'hosts' && kind !== 'users') assert.ok(!out.includes(v), `${where}: ${kind} ${v} survives`);
				}
				for (const kind of REDACT_KINDS.filter((k) => !kinds.includes(k))) {
					// Kinds not asked for are left alone: what the detectors find stays.
					if (kind === 'hosts' || kind === 'users') continue;
					assert.ok(DETECTORS[kind](out).length >= DETECTORS[kind](text).length, `${where}: ${kind} was redacted without being asked for`);
				}
			}
		});
	}
});

describe('redact: excerpts and the setting', () => {
	const source = linesOf(readFileSync(join(testRoot, 'fixtures/logs/azcmagent-log/connect-authorization-failed-403.log'), 'utf8'));
	const analysis = analyze(source, { fileName: 'azcmagent.log' });
	const lineOf = (needle: string) => source.lines.findIndex((l) => l.includes(needle));

	it('the failure on a line, with its related lines in log order and gaps marked', () => {
		const exit = lineOf('Exit Code:  AZCM0042');
		const fatal = lineOf('level=fatal');
		const ex = failureExcerpt(analysis.findings, source, exit);
		assert.ok(ex);
		assert.equal(ex.id, 'AZCM0042');
		assert.deepEqual(ex.lines, [exit, fatal]);
		assert.equal(ex.text, fatal === exit + 1 ? `${source.lines[exit]}\n${source.lines[fatal]}` : `${source.lines[exit]}\n${EXCERPT_GAP}\n${source.lines[fatal]}`);
		// From a related line, the same failure; overrides that turn it off leave nothing there.
		assert.equal(failureExcerpt(analysis.findings, source, fatal)?.id, 'AZCM0042');
		assert.equal(failureExcerpt(analysis.findings, source, exit, () => 'off'), undefined);
		assert.equal(failureExcerpt(analysis.findings, source, lineOf('Loading local configuration')), undefined);
	});

	it('arcLogs.redact.kinds: a list of kinds (unknown names dropped), the defaults otherwise', () => {
		assert.deepEqual(normalizeSettings({ redact: { kinds: ['users', 'ids', 'nope'] } }).redactKinds, ['ids', 'users']);
		assert.deepEqual(normalizeSettings({ redact: { kinds: [] } }).redactKinds, []);
		assert.deepEqual(normalizeSettings({ redact: { kinds: 'ids' } }).redactKinds, DEFAULT_REDACT_KINDS);
		assert.deepEqual(normalizeSettings({}).redactKinds, DEFAULT_REDACT_KINDS);
	});
});
