// Tokenization benchmark: our TextMate grammars against VS Code's built-in `log` grammar, same engine
// (vscode-textmate + vscode-oniguruma, line by line with tokenizeLine2 as the editor does), same generated files,
// same run. Results are printed, never asserted.
//
//   node bench/tokenize.mjs [--lines 100000] [--seed 42] [--rounds 3] [--no-long] [--fetch] [--json FILE]
//   node bench/tokenize.mjs --scaling     only the linearity check: every token kind and look-alike, repeated
//                                         behind every kind of line head, at 20k and 80k characters (ours only)
//   node bench/tokenize.mjs --profile     time per regex (20k lines of each corpus, ours and the built-in grammar)
//   node bench/tokenize.mjs --grammars DIR   our grammar files from DIR instead of syntaxes/ (before/after runs)
//
// --fetch   if the built-in grammar is not found, `npm pack code-server@4.100.3` into .cache/ and extract just
//           lib/vscode/extensions/log/syntaxes/log.tmLanguage.json from it (one ~42 MB download, then cached).
// The built-in grammar is looked up in $ARC_LOGS_BUILTIN_LOG_GRAMMAR, a code-server install under
// .cache/code-server-*/ (test/real-editor-tests' install script), or a code-server-*.tgz / extracted pack in .cache/.
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const require = createRequire(join(root, 'package.json'));
const tm = require('vscode-textmate');
const onig = require('vscode-oniguruma');

// ---------------------------------------------------------------- options
const argv = process.argv.slice(2);
const opt = (name, def) => {
	const i = argv.indexOf(`--${name}`);
	return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : def;
};
const LINES = Number(opt('lines', 100000));
const SEED = Number(opt('seed', 42));
const ROUNDS = Math.max(1, Number(opt('rounds', 3)));
const LONG = !argv.includes('--no-long');
const FETCH = argv.includes('--fetch');
const JSON_OUT = opt('json', undefined);
const SCALING = argv.includes('--scaling');
const PROFILE = argv.includes('--profile');
const CODE_SERVER_VERSION = '4.100.3';
const BUILTIN_REL = 'lib/vscode/extensions/log/syntaxes/log.tmLanguage.json';
// Dark+ (dark_vs + dark_plus): with a theme, tokenizeLine2 does the editor's full work (theme matching per scope).
const THEME_REL = ['lib/vscode/extensions/theme-defaults/themes/dark_vs.json', 'lib/vscode/extensions/theme-defaults/themes/dark_plus.json'];

// ---------------------------------------------------------------- deterministic generator
function mulberry32(seed) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}
const rnd = mulberry32(SEED);
const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
const int = (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1));
const hex = (n) => Array.from({ length: n }, () => '0123456789abcdef'[int(0, 15)]).join('');
const guid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-${pick(['8', '9', 'a', 'b'])}${hex(3)}-${hex(12)}`;
const pad = (n, w = 2) => String(n).padStart(w, '0');
let clock = Date.UTC(2024, 5, 4, 7, 0, 0);
const tick = () => (clock += int(0, 1500));
const iso = () => new Date(tick()).toISOString().replace(/\.\d{3}Z$/, 'Z');
const hms = (d = new Date(clock)) => `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
const ymd = (d = new Date(clock)) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
const ip = () => `${int(10, 223)}.${int(0, 255)}.${int(0, 255)}.${int(1, 254)}`;
const words = 'agent service token request resource machine extension proxy endpoint connection identity policy download package metadata subscription tenant region handshake certificate'.split(' ');
const sentence = (n) => Array.from({ length: n }, () => pick(words)).join(' ');
const levelsLogrus = ['debug', 'debug', 'debug', 'info', 'info', 'warning', 'error', 'fatal', 'trace'];

function logrusRecord() {
	const level = pick(levelsLogrus);
	const r = rnd();
	if (r < 0.05) {
		const body = `{\\n  \\"error\\": {\\n    \\"code\\": \\"AuthorizationFailed\\",\\n    \\"message\\": \\"The client '${guid()}' with object id '${guid()}' does not have authorization to perform action 'Microsoft.HybridCompute/machines/read' over scope '/subscriptions/${guid()}/resourceGroups/rg-arc' or the scope is invalid. If access was recently granted, please refresh your credentials.\\"\\n  }\\n}`;
		const rule = '-'.repeat(80);
		return `time="${iso()}" level=debug msg="RESPONSE 403: 403 Forbidden\\n${rule}\\nERROR CODE: AuthorizationFailed\\n${rule}\\n${body}\\n${rule}\\n" Status Code=403 Request URL="https://management.azure.com/subscriptions/${guid()}/providers/Microsoft.HybridCompute/register?api-version=2021-04-01" Correlation ID=${guid()}`;
	}
	if (r < 0.08) return `time="${iso()}" level=info msg="Exit Code:  AZCM00${int(10, 99)}: ${pick(['Network Error', 'Failed to Create Resource', 'Failed To Get OS Information'])}"`;
	if (r < 0.12) return `time="${iso()}" level=debug msg="unable to communicate with endpoint http://169.254.169.254/metadata/instance/compute?api-version=2020-06-01: 404 Not Found"`;
	if (r < 0.2) return `time="${iso()}" level=${level} msg="Connecting to https://${pick(['gbl.his.arc.azure.com', 'westeurope.his.arc.azure.com', 'login.microsoftonline.com'])} via ${ip()}:${pick([443, 3128, 8080])}" Method=SPN VM Id=${guid()}`;
	if (r < 0.25) return `time="${iso()}" level=${level} msg="Log folder C:\\\\ProgramData\\\\AzureConnectedMachineAgent\\\\Log \\"${sentence(2)}\\" ready" Path="C:\\\\Program Files\\\\AzureConnectedMachineAgent\\\\azcmagent.exe"`;
	return `time="${iso()}" level=${level} msg="${sentence(int(3, 14))}" ${pick(['Count=' + int(0, 99), 'Method=MSI', 'Status Code=' + pick([200, 201, 404, 409]), 'Error="exit status ' + int(1, 3) + '"', 'Resource ID=/subscriptions/' + guid() + '/resourceGroups/rg'])}`;
}
function consoleRecord() {
	const r = rnd();
	if (r < 0.2) return `${pick(['INFO', 'WARN', 'ERROR', 'DEBU'])}[${pad(int(0, 120), 4)}] ${sentence(int(3, 7)).padEnd(44)} Error="RequestCorrelationId:${guid()} Message: The subscription is not registered to use namespace 'Microsoft.HybridCompute' Code: MissingSubscriptionRegistration httpStatusCode:409 "`;
	if (r < 0.4) return `  ${pad(int(0, 100), 3)}% [${'='.repeat(int(0, 14))}>${' '.repeat(int(0, 14))}]`;
	if (r < 0.6) return `  ${pick(['INFO', 'WARNING', 'ERROR', 'FATAL'])}    ${sentence(int(3, 6))}...                 Correlation ID=${guid()} Resource ID=/subscriptions/${guid()}/resourceGroups/rg-arc`;
	if (r < 0.7) return `FATAL   RequestCorrelationId:${guid()} Message: ${sentence(6)} Code: ScopeLocked httpStatusCode:409`;
	if (r < 0.8) return `${pick(['Agent Status', 'Agent Version', 'Agent Error Code', 'Resource Name', 'Tenant ID'])}${' '.repeat(20)}: ${pick(['Connected', 'Disconnected', guid(), 'web01', '1.38.02546.1102'])}`;
	return `INFO    ${sentence(int(4, 10))}`;
}
function gcRecord() {
	const rec = `[${ymd()} ${hms()}.${pad(int(0, 999), 3)}] [PID ${int(100, 9000)}] [TID ${int(100, 9000)}] [${pick(['Pull Client', 'DSCEngine', 'TELEMETRY Pull Client', 'Extension Service'])}] [${pick(['INFO', 'INFO', 'WARNING', 'ERROR', 'VERBOSE'])}] [${guid()}] ${sentence(int(4, 12))} Status Code '${pick([200, 404, 500])}'.`;
	return rnd() < 0.3 ? `<GCLOG>${rec}</GCLOG>` : rec;
}
function msiLine() {
	const r = rnd();
	if (r < 0.5) return `MSI (s) (B8:${hex(2).toUpperCase()}) [${hms()}:${pad(int(0, 999), 3)}]: ${pick(['Doing action: InstallFiles', 'PROPERTY CHANGE: Adding INSTALLDIR property. Its value is \'C:\\Program Files\\AzureConnectedMachineAgent\\\'.', 'Note: 1: 2205 2:  3: Error', 'Product: Azure Connected Machine Agent -- Installation failed.'])}`;
	if (r < 0.7) return `Action ended ${hms()}: ${pick(['InstallFinalize', 'CostFinalize', 'EnableServices'])}. Return value ${pick([1, 1, 1, 3])}.`;
	if (r < 0.85) return `WixQuietExec64:  At C:\\Program Files\\AzureConnectedMachineAgent\\enableservices.ps1:${int(1, 400)} char:${int(1, 40)}`;
	return `CustomAction EnableServices returned actual error code 1603 (note this may not be 100% accurate if translation happened inside sandbox)`;
}
function azcmagentLine() {
	const r = rnd();
	if (r < 0.7) return logrusRecord();
	if (r < 0.85) return consoleRecord();
	if (r < 0.95) return gcRecord();
	return msiLine();
}
// Logrus records as the agent writes them while it works: request URLs, HTTP statuses, file paths (Linux and Windows),
// the SDK's RESPONSE bodies and Go's HTTP errors (shapes from test/corpus/logs and LOG-FORMATS.md).
const HTTP_REASON = { 200: 'OK', 201: 'Created', 204: 'No Content', 301: 'Moved Permanently', 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict', 429: 'Too Many Requests', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable' };
function logrusWebLine() {
	const region = pick(['canadacentral', 'westeurope', 'eastus', 'germanywestcentral', 'gbl']);
	const machine = `https://${region}.his.arc.azure.com/machines/${guid()}`;
	const arm = `https://management.azure.com/subscriptions/${guid()}/resourceGroups/rg-arc/providers/Microsoft.HybridCompute/machines/web${int(1, 99)}`;
	const status = pick([200, 200, 200, 200, 201, 204, 301, 400, 401, 403, 404, 409, 429, 500, 502, 503]);
	const linuxPath = pick(['/var/opt/azcmagent/agentconfig.json', '/var/lib/GuestConfig/downloads/AzureMonitorLinuxAgent/1.29.7.zip', '/opt/azcmagent/bin/himds', `/var/lib/waagent/Microsoft.Azure.Monitor.AzureMonitorLinuxAgent-1.29.7/status/${int(0, 9)}.status`, '/etc/systemd/system/himdsd.service']);
	const winPath = pick(['C:\\\\ProgramData\\\\AzureConnectedMachineAgent\\\\Config\\\\agentconfig.json', 'C:\\\\Program Files\\\\AzureConnectedMachineAgent\\\\ExtensionService\\\\GC\\\\gc_service.exe', `C:\\\\Packages\\\\Plugins\\\\Microsoft.Azure.Monitor.AzureMonitorWindowsAgent\\\\1.${int(10, 29)}.0.0\\\\Status\\\\${int(0, 9)}.status`]);
	const head = (level) => `time="${iso()}" level=${level}`;
	const r = rnd();
	if (r < 0.25) return `${head('debug')} msg="Heartbeat sent" Request URL="${machine}/heartbeat" Status Code=${status}`;
	if (r < 0.35) return `${head('debug')} msg="Endpoint reachable" Request URL="https://${pick(['login.microsoftonline.com', 'management.azure.com', `${region}.his.arc.azure.com`, 'agentserviceapi.guestconfiguration.azure.com'])}" Status Code=${status}`;
	if (r < 0.45) return `${head('info')} msg="Loading agent configuration" Path=${linuxPath}`;
	if (r < 0.52) return `${head('debug')} msg="Writing status file" Path="${winPath}"`;
	if (r < 0.6) return `${head('debug')} msg="unable to communicate with endpoint http://169.254.169.254/metadata/instance/compute?api-version=2021-02-01"`;
	if (r < 0.67) return `${head('error')} msg="Failed to send heartbeat" error="Post \\"${machine}/heartbeat\\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)"`;
	if (r < 0.74) return `${head('debug')} msg="Token request" Resource="https://management.azure.com/" Client=${pick(['gc_worker', 'himds', 'azcmagent'])} Status Code=${status}`;
	if (r < 0.8) return `${head('debug')} msg="GET ${arm}?api-version=2022-12-27 returned HTTP/1.1 ${status}" Correlation ID=${guid()}`;
	if (r < 0.86) return `${head(pick(['debug', 'error']))} msg="RESPONSE ${status}: ${status} ${HTTP_REASON[status]}\\nERROR CODE: ${pick(['AuthorizationFailed', 'ResourceNotFound', 'ScopeLocked'])}" Request URL="${arm}" Status Code=${status}`;
	if (r < 0.92) return `${head('info')} msg="Downloading extension package" URL="https://umsa${hex(12)}.blob.core.windows.net/${guid()}/${guid()}_1.29.7.zip" Path=${linuxPath} Size=${int(1000, 99999999)}`;
	return `${head(pick(['warning', 'info']))} msg="Proxy configured" Proxy URL="http://${ip()}:${pick([3128, 8080, 443])}" Bypass="${pick(['localhost,127.0.0.1', 'Arc', 'AAD,ARM'])}" Status Code=${status}`;
}
let stage = 0;
function cloudInitLine() {
	const r = rnd();
	const ts = () => `${ymd()} ${hms()},${pad(int(0, 999), 3)}`;
	if (r < 0.01) {
		const s = ['init-local', 'init', 'modules:config', 'modules:final'][stage++ % 4];
		return `Cloud-init v. 23.4.4-0ubuntu0~22.04.1 running '${s}' at Tue, 04 Jun 2024 ${hms()} +0000. Up ${int(5, 60)}.${pad(int(0, 99))} seconds.`;
	}
	if (r < 0.015) return `Cloud-init v. 23.4.4-0ubuntu0~22.04.1 finished at Tue, 04 Jun 2024 ${hms()} +0000. Datasource DataSourceAzure [seed=/dev/sr0].  Up ${int(30, 90)}.${pad(int(0, 99))} seconds`;
	if (r < 0.1) {
		return pick([
			'ci-info: ++++++++++++++++++++++++++++++++++++++Net device info+++++++++++++++++++++++++++++++++++++++',
			'ci-info: +--------+------+-----------------------------+---------------+--------+-------------------+',
			`ci-info: |  eth0  | True |         ${ip()}          | 255.255.255.0 | global | 00:0d:3a:12:34:56 |`,
			'ci-info: |  eth0  | True | fe80::20d:3aff:fe12:3456/64 |       .       |  link  | 00:0d:3a:12:34:56 |',
		]);
	}
	if (r < 0.2) return `+ ${pick(['az login --identity', 'export NO_PROXY=localhost,127.0.0.1,169.254.169.254', `azcmagent connect --resource-group rg-arc --tenant-id ${guid()} --location westeurope --subscription-id ${guid()}`, 'curl -fsSL https://aka.ms/azcmagent -o /tmp/install_linux_azcmagent.sh'])}`;
	if (r < 0.75) {
		const lvl = pick(['DEBUG', 'DEBUG', 'DEBUG', 'INFO', 'WARNING', 'ERROR']);
		const msg = pick([
			`Running module ${pick(['disk_setup', 'scripts-user', 'ssh', 'runcmd'])} (<module 'cloudinit.config.cc_${pick(['disk_setup', 'scripts_user'])}' from '/usr/lib/python3/dist-packages/cloudinit/config/cc_scripts_user.py'>) with frequency once-per-instance`,
			`Failed running /var/lib/cloud/instance/scripts/${pick(['part-001', 'runcmd'])} [${int(1, 3)}]`,
			`finish: modules-final/config-scripts-user: ${pick(['SUCCESS', 'FAIL'])}: running config-scripts-user with frequency once-per-instance`,
			`Read ${int(10, 9999)} bytes from /proc/uptime`,
			`Writing to /var/lib/cloud/instance/obj.pkl - wb: [644] ${int(100, 99999)} bytes`,
			'No Azure metadata found',
			`Ran ${int(10, 20)} modules with ${pick([0, 0, 1])} failures`,
		]);
		const line = `${ts()} - ${pick(['util.py', 'stages.py', 'handlers.py', 'subp.py', 'DataSourceAzure.py'])}[${lvl}]: ${msg}`;
		return rnd() < 0.1 ? `[  ${int(5, 99)}.${pad(int(0, 999999), 6)}] cloud-init[${int(500, 2000)}]: ${line}` : line;
	}
	if (r < 0.8) return pick(['Traceback (most recent call last):', `  File "/usr/lib/python3/dist-packages/cloudinit/util.py", line ${int(1, 3000)}, in subp`, 'cloudinit.subp.ProcessExecutionError: Unexpected error while running command.', 'Command: [\'/var/lib/cloud/instance/scripts/runcmd\']', 'Exit code: 1']);
	if (r < 0.9) return pick(['ERROR: Failed to login with system-assigned managed identity', 'curl: (6) Could not resolve host: aka.ms', 'E: Unable to locate package azcmagent', `Hit:${int(1, 9)} http://azure.archive.ubuntu.com/ubuntu jammy InRelease`]);
	return azcmagentLine();
}
function generate(n, line) {
	const out = new Array(n);
	for (let i = 0; i < n; i++) out[i] = line();
	return out;
}
// Pathological long lines (one each): VS Code itself stops tokenizing at editor.maxTokenizationLineLength (20 000
// characters by default), but the CLI, other editors and users who raise the limit do not.
function longLines() {
	const MB = 1 << 20;
	const fill = (unit) => unit.repeat(Math.ceil(MB / unit.length)).slice(0, MB);
	return {
		'1 MB logrus record, escaped JSON + GUIDs + URLs': `time="2024-06-04T07:01:55Z" level=debug msg="${fill(`{\\"code\\":\\"AuthorizationFailed\\",\\"id\\":\\"${guid()}\\",\\"url\\":\\"https://management.azure.com/x\\"}\\n`)}"`,
		'1 MB of words, no "=" (console message)': `INFO    ${fill('Connecting machine to Azure Arc services now ')}`,
		'1 MB of hex, no separators': fill('0123456789abcdef'),
		'1 MB of stray quotes and apostrophes': `ERROR   ${fill(`it's a "b 'c `)}`,
		'1 MB of colons and digits (IPv6/time look-alikes)': fill('12:34:56:78:9a:bc '),
		'1 MB serial console, ~11k records joined by literal \\n[uptime]': `[   47.972512] cloud-init[3132]: ${fill(`2024-06-04 07:01:55,118 - util.py[WARNING]: Failed running /var/lib/cloud/instance/scripts/runcmd [1] AZCM0026 "x\\n[   51.888578] cloud-init[3465]: `)}`,
	};
}

// Linearity check: a unit repeated to 20k and to 80k characters behind a line head; a linear grammar takes ~4x as
// long for the longer line, a quadratic one ~16x. Prints the largest ratios (small times are noisy: re-run those).
const SCALING_UNITS = ['k=v ', 'Status Code=403 ', 'VM Id=x ', 'A B C D E F ', 'a=b=c ', '"x" ', '""', '"', "'", "' ", " 'a' ", '\\n', '\\\\', '\\"', '0b6c1e2a-5d4f-4c3b-9a8e-7f6d5c4b3a21 ', '0b6c1e2a-5d4f-4c3b-9a8e-7f6d5c4b3a21', 'https://a.b/c?d=e ', 'https://', '10.0.0.1:443 ', '1.2.3.4.', '::', 'fe80::1 ', 'C:\\a\\b ', 'C:\\', '%X%\\', '\\\\srv\\', '[', ']', '[0007] ', '40% [==> ] ', '+ ', '++', 'AZCM0026 ', 'AZCM', 'Exit Code: ', 'exit code 1 ', 'error code ', 'Code: X ', 'RESPONSE 403: 403 Forbidden ', '403 ', 'HTTP/1.1 ', 'Successfully ', '=', ' ', '\t', '-', '.', ':', ',', 'Program Files ', 'C:\\Program Files ', '{"code":"X"}', '\\"code\\":\\"X\\"', 'Return value 3. ', 'finish: a/b: FAIL: ', '\\n[  52.13] cloud-init[1]: ERROR: x ', '\\n[  52.13] ', 'code=exited, status=1/FAILURE ', '(Result: exit-code) ', '\x1b[31m', '\\x1b[0m ', 'command not found ', 'Failed running x [1] ', 'Ran 1 modules with 0 failures ', 'start: ', 'Datasource ', 'ｱｸｾｽ', 'é', '😀'];
const SCALING_HEADS = ['', 'time="2024-06-04T07:01:55Z" level=debug msg="', 'INFO    ', 'ERROR[0007] ', '[2024-06-01 11:20:33.512] [PID 1] [TID 2] [C] [ERROR] ', 'ci-info: ', '+ az ', '2024-06-04 07:01:55,118 - util.py[WARNING]: ', '[   12.345678] cloud-init[812]: ', 'Agent Status   ', 'At C:\\x.ps1', '2018/01/30 06:44:29.056788 ERROR ', '2024-01-02T03:04:05.678901Z INFO ExtHandler ', '     Active: ', '     | ', 'Copy-VMFile : ', 'status: ', 'bash: line 3: x: '];
function scaling() {
	const time = (g, line) => {
		const t = process.hrtime.bigint();
		g.tokenizeLine2(line, tm.INITIAL);
		return Number(process.hrtime.bigint() - t) / 1e6;
	};
	const rows = [];
	for (const head of SCALING_HEADS) {
		for (const unit of SCALING_UNITS) {
			for (const [name, g] of contenders) {
				const a = head + unit.repeat(Math.ceil(20000 / unit.length));
				const b = head + unit.repeat(Math.ceil(80000 / unit.length));
				time(g, a);
				const ta = Math.max(time(g, a), 0.5);
				const tb = time(g, b);
				rows.push({ name, head, unit, ta, tb, ratio: tb / ta });
			}
		}
	}
	rows.sort((x, y) => y.ratio - x.ratio);
	console.log(`linearity: ${rows.length} lines (${SCALING_UNITS.length} units x ${SCALING_HEADS.length} heads x ${contenders.length} grammars), 20k -> 80k characters; largest ratios (linear ~4, quadratic ~16):`);
	for (const r of rows.slice(0, 10)) {
		console.log(`  ${r.ratio.toFixed(1).padStart(5)}x  ${fmt(r.ta, 1).padStart(6)} -> ${fmt(r.tb, 1).padStart(7)} ms  ${r.name}  head ${JSON.stringify(r.head.slice(0, 24))} unit ${JSON.stringify(r.unit)}`);
	}
	const slowest = [...rows].sort((x, y) => y.tb - x.tb)[0];
	console.log(`slowest 80k line: ${fmt(slowest.tb, 1)} ms (${slowest.name}, unit ${JSON.stringify(slowest.unit)})`);
}

// Where the time goes, per regex: every scanner call of a real tokenization is repeated with one scanner per regex
// (same string, so the same per-regex result cache), and each regex's time is summed. The sum is larger than the real
// time (per-call overhead counts once per regex), but the ranking shows which rules cost. Ours and the built-in grammar.
async function profile() {
	const stats = new Map();
	const lib = {
		createOnigScanner: (patterns) => {
			const all = new onig.OnigScanner(patterns);
			const single = patterns.map((p) => {
				let st = stats.get(p);
				if (!st) stats.set(p, (st = { ns: 0, calls: 0, scanners: 0 }));
				st.scanners++;
				return { scanner: new onig.OnigScanner([p]), st };
			});
			return {
				findNextMatchSync: (str, start) => {
					for (const { scanner, st } of single) {
						const t = process.hrtime.bigint();
						scanner.findNextMatchSync(str, start);
						st.ns += Number(process.hrtime.bigint() - t);
						st.calls++;
					}
					return all.findNextMatchSync(str, start);
				},
				dispose: () => all.dispose(),
			};
		},
		createOnigString: (str) => new onig.OnigString(str),
	};
	const preg = new tm.Registry({ theme, onigLib: Promise.resolve(lib), loadGrammar: async (scope) => (files[scope] ? tm.parseRawGrammar(readFileSync(files[scope], 'utf8'), files[scope]) : null) });
	const n = Math.min(LINES, 20000);
	const sets = [
		['azcmagent mix', generate(n, azcmagentLine), 'text.log.azcmagent'],
		['cloud-init mix', generate(n, cloudInitLine), 'text.log.cloud-init'],
		['logrus web', generate(n, logrusWebLine), 'text.log.azcmagent'],
	];
	for (const [name, lines, scope] of sets) {
		for (const s of builtinGrammar ? [scope, 'text.log'] : [scope]) {
			for (const st of stats.values()) Object.assign(st, { ns: 0, calls: 0 });
			const g = await preg.loadGrammar(s);
			const { ms } = tokenizeAll(g, lines);
			const rows = [...stats.entries()].filter(([, st]) => st.calls).sort((a, b) => b[1].ns - a[1].ns);
			const total = rows.reduce((a, [, st]) => a + st.ns, 0);
			console.log(`\n== ${name}, ${fmt(n)} lines, ${s}: ${fmt(ms)} ms instrumented, per-regex sum ${fmt(total / 1e6)} ms; top regexes:`);
			for (const [re, st] of rows.slice(0, 25)) console.log(`${fmt(st.ns / 1e6, 0).padStart(7)} ms ${fmt((100 * st.ns) / total, 1).padStart(5)} %  ${fmt(st.calls).padStart(9)} calls  ${re.length > 110 ? `${re.slice(0, 110)}…` : re}`);
		}
	}
}

// ---------------------------------------------------------------- built-in grammar lookup
function findBuiltin() {
	const looked = [];
	const env = process.env.ARC_LOGS_BUILTIN_LOG_GRAMMAR;
	if (env) {
		looked.push(env);
		if (existsSync(env)) return { path: env, looked };
	}
	const cache = join(root, '.cache');
	const dirs = existsSync(cache) ? readdirSync(cache).filter((d) => d.startsWith('code-server')).sort().reverse() : [];
	for (const d of dirs) {
		for (const rel of [join('node_modules/code-server', BUILTIN_REL), join('package', BUILTIN_REL)]) {
			const p = join(cache, d, rel);
			looked.push(p);
			if (existsSync(p)) return { path: p, looked };
		}
	}
	const extract = (tgz) => {
		const dest = join(cache, tgz.replace(/\.tgz$/, '-pack'));
		mkdirSync(dest, { recursive: true });
		execFileSync('tar', ['-xzf', join(cache, tgz), '-C', dest, `package/${BUILTIN_REL}`, ...THEME_REL.map((t) => `package/${t}`)]);
		return join(dest, 'package', BUILTIN_REL);
	};
	for (const tgz of dirs.filter((d) => d.endsWith('.tgz'))) {
		looked.push(join(cache, tgz));
		try {
			return { path: extract(tgz), looked };
		} catch (e) {
			looked.push(`(extract failed: ${e.message.split('\n')[0]})`);
		}
	}
	if (FETCH) {
		mkdirSync(cache, { recursive: true });
		console.log(`fetching code-server@${CODE_SERVER_VERSION} from the npm registry (npm pack, ~42 MB, cached in .cache/) ...`);
		execFileSync('npm', ['pack', `code-server@${CODE_SERVER_VERSION}`, '--silent'], { cwd: cache, stdio: ['ignore', 'ignore', 'inherit'] });
		const tgz = `code-server-${CODE_SERVER_VERSION}.tgz`;
		looked.push(join(cache, tgz));
		return { path: extract(tgz), looked };
	}
	return { path: undefined, looked };
}

// ---------------------------------------------------------------- tokenization
/** Dark+ as an IRawTheme, read next to the built-in grammar (same code-server package), or undefined. */
function darkPlus(builtinPath) {
	if (!builtinPath) return undefined;
	const base = builtinPath.slice(0, builtinPath.length - BUILTIN_REL.length);
	const paths = THEME_REL.map((t) => join(base, t));
	if (!paths.every(existsSync)) return undefined;
	const jsonc = (p) => JSON.parse(readFileSync(p, 'utf8').replace(/^\s*\/\/.*$/gm, '').replace(/,(\s*[}\]])/g, '$1'));
	const settings = [{ settings: { foreground: '#D4D4D4', background: '#1E1E1E' } }];
	for (const p of paths) for (const r of jsonc(p).tokenColors ?? []) settings.push(r);
	return { name: 'Dark+', settings, paths };
}
async function registry(files, theme) {
	await onig.loadWASM(readFileSync(join(root, 'node_modules/vscode-oniguruma/release/onig.wasm')));
	return new tm.Registry({
		theme,
		onigLib: Promise.resolve({ createOnigScanner: (p) => new onig.OnigScanner(p), createOnigString: (s) => new onig.OnigString(s) }),
		loadGrammar: async (scope) => (files[scope] ? tm.parseRawGrammar(readFileSync(files[scope], 'utf8'), files[scope]) : null),
	});
}
function tokenizeAll(grammar, lines, keepSlowest = 5) {
	let state = tm.INITIAL;
	let tokens = 0;
	const slow = [];
	const c0 = process.cpuUsage();
	const t0 = process.hrtime.bigint();
	for (let i = 0; i < lines.length; i++) {
		const a = process.hrtime.bigint();
		const r = grammar.tokenizeLine2(lines[i], state);
		const ns = Number(process.hrtime.bigint() - a);
		state = r.ruleStack;
		tokens += r.tokens.length / 2;
		if (slow.length < keepSlowest || ns > slow[slow.length - 1].ns) {
			slow.push({ line: i + 1, ns, length: lines[i].length });
			slow.sort((x, y) => y.ns - x.ns);
			if (slow.length > keepSlowest) slow.pop();
		}
	}
	const c = process.cpuUsage(c0);
	// CPU time of the process as well as wall time: on a shared machine the wall time includes waiting for a core.
	return { ms: Number(process.hrtime.bigint() - t0) / 1e6, cpuMs: (c.user + c.system) / 1000, tokens, slow };
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (n, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

// ---------------------------------------------------------------- main
// --grammars DIR: our two grammar files from another directory (e.g. `git show main:syntaxes/...` for a before/after)
const GRAMMARS = opt('grammars', join(root, 'syntaxes'));
const ours = {
	'text.log.azcmagent': join(GRAMMARS, 'azcmagent-log.tmLanguage.json'),
	'text.log.cloud-init': join(GRAMMARS, 'cloud-init-log.tmLanguage.json'),
};
const builtin = findBuiltin();
const files = { ...ours };
if (builtin.path) files['text.log'] = builtin.path;
const theme = darkPlus(builtin.path);
const reg = await registry(files, theme);
const contenders = [
	['arc-logs azcmagent-log', await reg.loadGrammar('text.log.azcmagent')],
	['arc-logs cloud-init-log', await reg.loadGrammar('text.log.cloud-init')],
];
const builtinGrammar = builtin.path ? await reg.loadGrammar('text.log') : undefined;

if (GRAMMARS !== join(root, 'syntaxes')) console.log(`our grammars from ${GRAMMARS}`);
console.log(`node ${process.version}, vscode-textmate ${require('vscode-textmate/package.json').version}, vscode-oniguruma ${require('vscode-oniguruma/package.json').version}`);
if (builtinGrammar) console.log(`built-in log grammar: ${builtin.path}`);
else {
	console.log('!! built-in VS Code `log` grammar NOT FOUND - measuring only ours. Looked in:');
	for (const l of builtin.looked) console.log(`!!   ${l}`);
	if (!builtin.looked.length) console.log('!!   (no .cache/code-server-* found)');
	console.log(`!! run again with --fetch (npm pack code-server@${CODE_SERVER_VERSION} into .cache/), or set ARC_LOGS_BUILTIN_LOG_GRAMMAR`);
}

if (SCALING) {
	scaling();
	process.exit(0);
}
if (PROFILE) {
	await profile();
	process.exit(0);
}
console.log(theme ? `theme: Dark+ (${theme.paths.map((p) => p.split('/').pop()).join(' + ')}); token counts are colour runs` : 'theme: none found (token counts are merged runs; theme matching cost not included)');

const corpora = [
	{ name: 'azcmagent mix (logrus, console, GC, MSI)', lines: generate(LINES, azcmagentLine), ours: contenders[0] },
	{ name: 'cloud-init-output / cloud-init.log mix', lines: generate(LINES, cloudInitLine), ours: contenders[1] },
	{ name: 'logrus with URLs, paths and HTTP statuses', lines: generate(LINES, logrusWebLine), ours: contenders[0] },
];
const results = { node: process.version, lines: LINES, seed: SEED, rounds: ROUNDS, builtin: builtin.path ?? null, theme: theme?.name ?? null, corpora: [], long: [] };
for (const c of corpora) {
	const bytes = Buffer.byteLength(c.lines.join('\n'));
	console.log(`\n== ${c.name}: ${fmt(c.lines.length)} lines, ${fmt(bytes / 1048576, 1)} MB (seed ${SEED}), median of ${ROUNDS} rounds`);
	const runs = [[c.ours[0], c.ours[1]]];
	if (builtinGrammar) runs.push(['vscode built-in log', builtinGrammar]);
	for (const [, g] of runs) tokenizeAll(g, c.lines.slice(0, 5000)); // warm-up (JIT, regex caches)
	const byName = new Map(runs.map(([n]) => [n, []]));
	for (let round = 0; round < ROUNDS; round++) for (const [n, g] of round % 2 ? [...runs].reverse() : runs) byName.get(n).push(tokenizeAll(g, c.lines));
	const entry = { name: c.name, lines: c.lines.length, bytes, grammars: [] };
	for (const [n, rs] of byName) {
		const ms = median(rs.map((r) => r.ms));
		const cpuMs = median(rs.map((r) => r.cpuMs));
		const r = rs[0];
		entry.grammars.push({ grammar: n, ms, cpuMs, linesPerSec: c.lines.length / (ms / 1000), msPerMB: ms / (bytes / 1048576), tokens: r.tokens, slowest: r.slow });
		console.log(`${n.padEnd(26)} ${fmt(ms, 0).padStart(7)} ms (cpu ${fmt(cpuMs, 0)} ms)  ${fmt(c.lines.length / (ms / 1000)).padStart(9)} lines/s  ${fmt(ms / (bytes / 1048576), 1).padStart(7)} ms/MB  ${fmt(r.tokens).padStart(10)} tokens`);
		console.log(`${''.padEnd(26)} slowest lines: ${r.slow.map((s) => `#${s.line} (${fmt(s.length)} ch) ${fmt(s.ns / 1e3, 0)} µs`).join(', ')}`);
	}
	if (entry.grammars.length === 2) console.log(`ours / built-in time: ${fmt(entry.grammars[0].ms / entry.grammars[1].ms, 2)}x (cpu time: ${fmt(entry.grammars[0].cpuMs / entry.grammars[1].cpuMs, 2)}x)`);
	results.corpora.push(entry);
}

if (LONG) {
	console.log('\n== pathological long lines (1 MB each, one line; VS Code skips lines > editor.maxTokenizationLineLength = 20k)');
	const runs = [...contenders];
	if (builtinGrammar) runs.push(['vscode built-in log', builtinGrammar]);
	for (const [label, line] of Object.entries(longLines())) {
		const row = { line: label, ms: {} };
		const parts = [];
		for (const [n, g] of runs) {
			const { ms, tokens } = tokenizeAll(g, [line], 1);
			row.ms[n] = ms;
			parts.push(`${n}: ${fmt(ms, 0)} ms (${fmt(tokens)} tokens)`);
		}
		console.log(`${label}\n    ${parts.join('\n    ')}`);
		results.long.push(row);
	}
}
if (JSON_OUT) {
	writeFileSync(JSON_OUT, JSON.stringify(results, null, 2));
	console.log(`\nwrote ${JSON_OUT}`);
}
