// Record parsing, detection and structure on realistic lines of every format; hostile input.
import * as assert from 'node:assert/strict';
import { parseLine } from '../../server/src/core/formats/parse';
import { parseLogfmt } from '../../server/src/core/formats/common';
import { detectFormat, detectLanguageId } from '../../server/src/core/formats/detect';
import { analyze } from '../../server/src/core/analysis/analyze';
import { linesOf } from '../../server/src/core/text';
import type { Section } from '../../server/src/core/model';

const run = (text: string, fileName?: string) => analyze(linesOf(text), { fileName });

describe('formats: logrus records', () => {
	it('reads time, level and msg of a partial head as the full parse does, in every shape the agent and a ticket write', () => {
		const shapes = [
			'time="2024-03-02T09:01:07Z" level=info msg="Agent Command: connect"',
			'time="2024-03-02T09:01:07Z" level=error msg="he said \\"no\\"\\nnext" Error="x"',
			'time="2024-03-02T09:01:07Z" level=ERROR msg=bare Key=Value',
			'time="2024-03-02T09:01:07Z" level=warning msg="unterminated quote, cut by a ticket',
			'time="2024-03-02T09:01:07Z" level=info msg=""',
			'time="2024-03-02T09:01:07Z"  level=info  msg="two spaces"',
			'time="2024-03-02T09:01:07Z" level="info" msg="quoted level"',
			'time=2024-03-02T09:01:07Z level=debug msg="bare time"',
			'time="2024-03-02T09:01:07Z" level=info',
			'time="2024-03-02T09:01:07Z" level=nonsense msg="no level"',
			'time="2024-03-\\"02" level=fatal msg="escaped quote in the time"',
		];
		for (const line of shapes) {
			const partial = parseLine(line, 3, { partial: true }).head;
			const full = parseLine(line, 3).head;
			const pick = (h: typeof full) => h && { format: h.format, time: h.time?.text, timeSpan: h.time?.span, level: h.level, levelSpan: h.levelSpan, message: h.message, messageSpan: h.messageSpan };
			assert.deepEqual(pick(partial), pick(full), line);
		}
	});

	it('takes no word of the log for a level or a stage that is a key of Object.prototype', () => {
		const lines = ['time="2024-01-01T00:00:01Z" level=constructor msg="x"', 'time="2024-01-01T00:00:02Z" level=toString msg="y"'];
		for (const line of lines) {
			assert.equal(parseLine(line, 0, { partial: true }).head?.level, undefined, line);
			assert.equal(parseLine(line, 0).head?.level, undefined, line);
		}
		const a = analyze({ lineCount: lines.length, lineAt: (i) => lines[i] }, { fileName: 'azcmagent.log' });
		for (const r of a.records) assert.ok(r.level === undefined || typeof r.level === 'string', JSON.stringify(r.level));
		// A stage named `constructor` is a stage cloud-init does not order, as `custom` is: after modules:final, a new boot.
		const boots = (name: string) => {
			const banner = (stage: string, up: number) => `Cloud-init v. 23.4.4 running '${stage}' at Tue, 04 Jun 2024 07:01:30 +0000. Up ${up}.00 seconds.`;
			const text = [banner('modules:final', 12), banner(name, 40)];
			return analyze({ lineCount: 2, lineAt: (i) => text[i] }, { fileName: 'cloud-init-output.log' }).sections.map((s) => [s.kind, s.children.map((c) => (c.name === name ? 'x' : c.name))]);
		};
		assert.deepEqual(boots('constructor'), boots('custom'));
		assert.deepEqual(boots('custom'), [['boot', ['modules:final']], ['boot', ['x']]]);
	});

	it('parses time, level, msg and fields, keys with spaces, quotes and escapes undone', () => {
		const line = 'time="2024-03-02T09:01:07+02:00" level=info msg="Successfully Onboarded Resource to Azure" VM Id=0b6c3f1e-2f0e-4f0e-9b7e-1c2d3e4f5a6b Status Code=200 Error="he said \\"no\\"\\nnext"';
		const { head } = parseLine(line, 4);
		assert.ok(head);
		assert.equal(head.format, 'azcmagent-log');
		assert.equal(head.level, 'info');
		assert.equal(head.message, 'Successfully Onboarded Resource to Azure');
		assert.equal(head.time?.ms, Date.UTC(2024, 2, 2, 7, 1, 7));
		assert.deepEqual(head.fields.map((f) => [f.key, f.value]), [['VM Id', '0b6c3f1e-2f0e-4f0e-9b7e-1c2d3e4f5a6b'], ['Status Code', '200'], ['Error', 'he said "no"\nnext']]);
		const vm = head.fields[0];
		assert.equal(line.slice(vm.keySpan.start, vm.keySpan.end), 'VM Id');
		assert.equal(vm.keySpan.line, 4);
		assert.equal(line.slice(head.levelSpan!.start, head.levelSpan!.end), 'info');
	});
	it('keeps a message with an unterminated quote (a cut line) instead of failing', () => {
		const { head } = parseLine('time="2024-03-02T08:15:41Z" level=fatal msg="RequestCorrelationId:1f0e Message: The client', 0);
		assert.equal(head?.level, 'fatal');
		assert.equal(head?.message, 'RequestCorrelationId:1f0e Message: The client');
	});
	it('outside its own file, a logrus record takes the next lines only while its msg quote is open (a hard wrap)', () => {
		const banner = "Cloud-init v. 23.4.4 running 'modules:final' at Tue, 04 Jun 2024 07:01:30 +0000. Up 12.00 seconds.";
		const spans = (record: string) => {
			const lines = [banner, record, 'the next line of the output'];
			return analyze({ lineCount: lines.length, lineAt: (i) => lines[i] }, { fileName: 'cloud-init-output.log' }).records.map((r) => [r.format, r.startLine, r.endLine]);
		};
		// Open: cut by a ticket's line width, or ending on an escaped quote.
		for (const open of ['time="2024-01-01T00:00:01Z" level=error msg="cut in the middle of', 'time="2024-01-01T00:00:01Z" level=error msg="ends on \\"']) {
			assert.deepEqual(spans(open), [['cloud-init-output', 0, 0], ['azcmagent-log', 1, 2]], open);
		}
		// Closed: an empty message, an escaped backslash before the closing quote, a plain message.
		for (const closed of ['time="2024-01-01T00:00:01Z" level=info msg=""', 'time="2024-01-01T00:00:01Z" level=info msg="a path C:\\\\"', 'time="2024-01-01T00:00:01Z" level=info msg="x" Key=v']) {
			assert.deepEqual(spans(closed), [['cloud-init-output', 0, 0], ['azcmagent-log', 1, 1], ['plain', 2, 2]], closed);
		}
	});

	it('stops at what is not a pair', () => {
		const r = parseLogfmt('a=1 b="x y" garbage here', 0);
		assert.equal(r.complete, false);
		assert.deepEqual(r.pairs.map((p) => p.key), ['a', 'b']);
	});
});

describe('formats: console generations', () => {
	it('2020: LEVEL[seconds] with fields after the padded message', () => {
		const { head } = parseLine('ERROR[0007] Failed to AzcmagentConnect ARM resource       Error="RequestCorrelationId:1f0e Message: x Code: MissingSubscriptionRegistration httpStatusCode:409 "', 0);
		assert.equal(head?.format, 'azcmagent-console');
		assert.equal(head?.level, 'error');
		assert.equal(head?.time?.relative, 7);
		assert.equal(head?.message, 'Failed to AzcmagentConnect ARM resource');
		assert.equal(head?.fields[0].key, 'Error');
	});
	it('2023+: 8-column levels, indented, with fields; progress bars are not failures', () => {
		const { head } = parseLine('  INFO    Creating resource in Azure...                 Correlation ID=5a1b Resource ID=/subscriptions/x/resourceGroups/rg', 0);
		assert.equal(head?.level, 'info');
		assert.equal(head?.message, 'Creating resource in Azure...');
		assert.deepEqual(head?.fields.map((f) => f.key), ['Correlation ID', 'Resource ID']);
		assert.equal(parseLine('  40% [=====>         ]', 0).head?.role, 'progress');
		assert.equal(parseLine('FATAL   RequestCorrelationId:9 Message: locked Code: ScopeLocked httpStatusCode:409', 0).head?.level, 'fatal');
	});
});

describe('formats: other families', () => {
	it('Guest Configuration, with and without <GCLOG>', () => {
		const a = parseLine('[2024-06-01 11:20:33.512] [PID 4120] [TID 4188] [Pull Client] [ERROR] [5c1d0a] Failed to download. Status Code \'404\'.', 0).head;
		assert.equal(a?.format, 'gc-log');
		assert.equal(a?.level, 'error');
		assert.equal(a?.source, 'Pull Client');
		assert.equal(a?.message, "Failed to download. Status Code '404'.");
		const b = parseLine('<GCLOG>[2024-06-01 11:20:34.001] [PID 880] [TID 912] [TELEMETRY] [INFO] [0000] started</GCLOG>', 0).head;
		assert.equal(b?.message, 'started');
	});
	it('MSI, Group Policy, cloud-init.log (standard, journald, legacy rsyslog)', () => {
		assert.equal(parseLine('MSI (s) (B8:68) [08:25:45:209]: Product: Azure Connected Machine Agent -- Installation failed.', 0).head?.level, 'error');
		assert.equal(parseLine('[2024-06-01][11:20:33] WARNING Unable to connect', 0).head?.format, 'gpo-log');
		const std = parseLine('2024-06-04 07:01:55,118 - util.py[WARNING]: Failed running /var/lib/cloud/instance/scripts/part-001 [1]', 0).head;
		assert.deepEqual([std?.format, std?.level, std?.source, std?.time?.ms], ['cloud-init-log', 'warning', 'util.py', Date.UTC(2024, 5, 4, 7, 1, 55, 118)]);
		assert.equal(parseLine('Jun  4 07:01:55 myvm cloud-init[1204]: util.py[WARNING]: Failed', 0).head?.source, 'util.py');
		assert.equal(parseLine('Jun  4 07:01:55 myvm [CLOUDINIT] util.py[DEBUG]: Running', 0).head?.level, 'debug');
	});
	it('cloud-init-output banners, serial-console prefixes, xtrace and prompts', () => {
		const b = parseLine("Cloud-init v. 23.4.4-0ubuntu0~22.04.1 running 'modules:final' at Tue, 04 Jun 2024 07:01:30 +0000. Up 27.40 seconds.", 0).head;
		assert.deepEqual([b?.role, b?.name, b?.time?.ms], ['banner', 'modules:final', Date.UTC(2024, 5, 4, 7, 1, 30)]);
		const f = parseLine('Cloud-init v. 23.4.4 finished at Tue, 04 Jun 2024 07:01:55 +0000. Datasource DataSourceAzure [seed=/dev/sr0].  Up 52.66 seconds', 0).head;
		assert.equal(f?.role, 'finished');
		const s = parseLine("[   12.345678] cloud-init[812]: Cloud-init v. 23.4 running 'init' at Tue, 04 Jun 2024 07:01:12 +0000. Up 9.81 seconds.", 0);
		assert.equal(s.head?.role, 'banner');
		assert.equal(s.uptime, 12.345678);
		assert.equal(parseLine('+ azcmagent connect --resource-group rg --location eastus', 0).head?.name, 'connect');
		assert.equal(parseLine('root@web01:~# sudo azcmagent connect --config c.json', 0).head?.name, 'connect');
	});
});

describe('detection', () => {
	it('decides from content; the name is only a hint', () => {
		assert.equal(detectFormat(['time="2024-03-02T08:15:41Z" level=debug msg="Agent Version: 1.38"', 'time="2024-03-02T08:15:44Z" level=info msg="x"'], 'notes.txt'), 'azcmagent-log');
		assert.equal(detectFormat(['root@vm:~# azcmagent connect', 'INFO    Connecting machine to Azure... This might take a few minutes.', 'FATAL   boom']), 'azcmagent-console');
		assert.equal(detectFormat(['hello', 'world'], 'cloud-init-output.log'), 'cloud-init-output');
		assert.equal(detectFormat(['hello', 'world']), 'plain');
		assert.equal(detectLanguageId(['2024-06-04 07:01:12,004 - stages.py[DEBUG]: Running module', '2024-06-04 07:01:12,005 - util.py[DEBUG]: x']), 'cloud-init-log');
		assert.equal(detectLanguageId(['just some text']), undefined);
	});
});

describe('structure: runs, boots and stages', () => {
	it('a cloud-init boot with its stages, ended by the finished line, and a second boot', () => {
		const text = [
			"Cloud-init v. 23.4 running 'init-local' at Tue, 04 Jun 2024 07:01:02 +0000. Up 5.10 seconds.",
			"Cloud-init v. 23.4 running 'init' at Tue, 04 Jun 2024 07:01:12 +0000. Up 9.81 seconds.",
			'ci-info: +++++Net device info+++++',
			"Cloud-init v. 23.4 running 'modules:config' at Tue, 04 Jun 2024 07:01:20 +0000. Up 20.00 seconds.",
			"Cloud-init v. 23.4 running 'modules:final' at Tue, 04 Jun 2024 07:01:30 +0000. Up 27.40 seconds.",
			'+ echo hello',
			'hello',
			'Cloud-init v. 23.4 finished at Tue, 04 Jun 2024 07:01:55 +0000. Datasource DataSourceAzure [seed=/dev/sr0].  Up 52.66 seconds',
			"Cloud-init v. 23.4 running 'init' at Wed, 05 Jun 2024 07:01:12 +0000. Up 9.81 seconds.",
		].join('\n');
		const a = run(text);
		assert.equal(a.format, 'cloud-init-output');
		const boots = a.sections.filter((s) => s.kind === 'boot');
		assert.equal(boots.length, 2);
		assert.deepEqual(boots[0].children.map((s: Section) => [s.name, s.startLine, s.endLine]), [['init-local', 0, 0], ['init', 1, 2], ['modules:config', 3, 3], ['modules:final', 4, 7]]);
		assert.equal(boots[0].outcome, 'ok');
		assert.deepEqual([boots[0].startLine, boots[0].endLine], [0, 7]);
		assert.equal(boots[1].outcome, 'unknown');
	});
	it('azcmagent runs named by their command, with outcomes', () => {
		const text = [
			'time="2024-03-02T08:15:40Z" level=info msg="Agent Command: connect"',
			'time="2024-03-02T08:15:41Z" level=info msg="Successfully Onboarded Resource to Azure" VM Id=0b6c',
			'time="2024-03-02T09:00:00Z" level=info msg="Agent Command: disconnect"',
			'time="2024-03-02T09:01:07Z" level=info msg="Exit Code:  AZCM0063: Failed to disconnect"',
			'time="2024-03-02T09:01:07Z" level=fatal msg="the himds service is not running"',
		].join('\n');
		const runs = run(text).sections;
		assert.deepEqual(runs.map((r) => [r.kind, r.name, r.outcome, r.startLine, r.endLine]), [['run', 'connect', 'ok', 0, 1], ['run', 'disconnect', 'failed', 2, 4]]);
	});
});

describe('hostile input never crashes and stays sane', () => {
	it('empty text, blank lines, binary garbage, NULs, invalid UTF-8 replacement chars, lone CRs', () => {
		for (const text of ['', '\n\n\n', '\u0000\u0001\u0002\ufffd\ufffd\u0000'.repeat(1000), 'a\rb\rc', '\ufeffAZCM', '"'.repeat(5000), 'time="' + '\\'.repeat(9999)]) {
			const a = run(text);
			assert.equal(a.lineCount, linesOf(text).lineCount);
		}
	});
	it('a 1 MB single record is parsed, and a known error early in it is found', () => {
		const body = '\\n' + '-'.repeat(80) + '\\nRESPONSE 403: 403 Forbidden\\nERROR CODE: AuthorizationFailed\\n' + 'x'.repeat(1024 * 1024);
		const line = `time="2024-03-02T09:01:06Z" level=debug msg="PUT https://management.azure.com/subscriptions/1/resourceGroups/rg/providers/Microsoft.HybridCompute/machines/web01${body}"`;
		const a = run(`time="2024-03-02T09:01:05Z" level=debug msg="Agent Version: 1.38"\n${line}\ntime="2024-03-02T09:01:07Z" level=info msg="Exit Code:  AZCM0042: Failed to Create Resource"`);
		assert.equal(a.records.length, 3);
		assert.ok(a.findings.some((f) => f.id === 'AZCM0042' && f.severity === 'error'));
		assert.ok(a.findings.some((f) => f.range.start.line === 1), 'the error inside the 1 MB record is flagged');
	});
	it('thousands of continuation lines do not make one endless record', () => {
		const text = '2024-06-04 07:01:55,117 - subp.py[DEBUG]: x\n' + 'continued\n'.repeat(5000);
		const a = run(text);
		assert.ok(a.records.length >= 3);
		assert.ok(a.records.every((r) => r.endLine - r.startLine <= 2000));
	});

	it('keeps nothing for blank lines: a flood of them before a failure is read to the end (issue 9, defect 2)', () => {
		const text = '\n'.repeat(300_000) + 'time="2024-01-01T00:00:05Z" level=fatal msg="Exit Code: AZCM0026: Network Error"\n' + ' \t\n'.repeat(1000);
		const a = analyze(linesOf(text));
		assert.equal(a.records.length, 1);
		assert.deepEqual(a.findings.map((f) => [f.id, f.range.start.line]), [['AZCM0026', 300_000]]);
		assert.equal(a.lineCount, 301_002);
	});
});
