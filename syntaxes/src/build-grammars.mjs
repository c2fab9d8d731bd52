// Source of the two TextMate grammars. The shipped files syntaxes/*.tmLanguage.json are GENERATED from this file:
//   node syntaxes/src/build-grammars.mjs           write both grammars
//   node syntaxes/src/build-grammars.mjs --check   exit 1 if a JSON file is not what this source generates
// (the grammar tests run --check, so a hand edit of the JSON is caught).
//
// Conventions (docs/grammars.md has the full scope table):
// - every name is "<standard theme scope(s)> <private>.arc-logs": the standard scope gives the colour in any theme,
//   the private scope (innermost, last) lets a user recolour exactly that element with editor.tokenColorCustomizations;
// - line-level rules start with \G (never (?:^|\G), see PHYSICAL_LINE_COMMENT) so they also apply after a serial-console / syslog prefix (\G = end of that
//   prefix's begin match) and nowhere else in a line;
// - no variable-length look-behind; look-behinds are one character; every quantified part is bounded or
//   deterministic (its character class cannot also match what follows it), so a 1 MB line stays linear;
// - begin/end rules end at the end of the line ($): a log record never silently swallows the next line.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const R = String.raw;
const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '..');

// ---------------------------------------------------------------- scopes
const P = '.arc-logs';
const LEVEL = {
	trace: `comment level.trace${P}`,
	debug: `markup.changed level.debug${P}`,
	info: `markup.inserted level.info${P}`,
	warning: `markup.deleted level.warning${P}`,
	error: `invalid.illegal level.error${P}`,
	fatal: `invalid.illegal strong level.fatal${P}`,
	panic: `invalid.illegal strong level.panic${P}`,
	critical: `invalid.illegal strong level.critical${P}`,
};
const S = {
	time: `comment time${P}`,
	elapsed: `constant.numeric time.elapsed${P}`,
	kernelTime: `comment time.kernel${P}`,
	uptime: `constant.numeric uptime${P}`,
	keyTime: `variable.other.property key.time${P}`,
	keyLevel: `variable.other.property key.level${P}`,
	keyMsg: `variable.other.property key.msg${P}`,
	keyField: `variable.other.property key.field${P}`,
	keyShow: `variable.other.property key.show${P}`,
	keyJson: `variable.other.property key.json${P}`,
	sep: `punctuation.separator.key-value separator${P}`,
	message: `markup.other message${P}`,
	msgUnquoted: `markup.other message${P}`,
	// Field values read as plain text (markup.other has no colour in the default themes): a string scope made every
	// quoted value dark red in Light+, the colour of a warning. The key is coloured, the value is what the reader reads.
	valueQuoted: `markup.other value${P}`,
	valueUnquoted: `markup.other value${P}`,
	valueNumber: `constant.numeric value.number${P}`,
	quoteBegin: `string.quoted.double punctuation.definition.string.begin quote${P}`,
	quoteEnd: `string.quoted.double punctuation.definition.string.end quote${P}`,
	bareQuoteBegin: `punctuation.definition.string.begin quote${P}`,
	bareQuoteEnd: `punctuation.definition.string.end quote${P}`,
	escape: `constant.character.escape escape${P}`,
	string: `string.quoted.double string${P}`,
	stringSingle: `string.quoted.single string${P}`,
	bracketOpen: `punctuation.section.brackets.begin bracket${P}`,
	bracketClose: `punctuation.section.brackets.end bracket${P}`,
	colon: `punctuation.separator.colon separator${P}`,
	comma: `punctuation.separator.comma separator${P}`,
	codeAzcm: `entity.name.type code.azcm${P}`,
	codeArm: `entity.name.type code.arm${P}`,
	codeAadsts: `entity.name.type code.aadsts${P}`,
	labelExit: `keyword.other label.exit-code${P}`,
	labelArm: `keyword.other label.arm${P}`,
	labelHttp: `keyword.other label.http${P}`,
	labelMsi: `keyword.other label.msi${P}`,
	labelPs: `keyword.other label.powershell${P}`,
	labelSubp: `keyword.other label.subp${P}`,
	labelTraceback: `keyword.other label.traceback${P}`,
	labelModule: `keyword.other label.module${P}`,
	exitCode: `constant.numeric exit-code${P}`,
	httpKeyword: `keyword.other http.keyword${P}`,
	httpVersion: `keyword.other http.version${P}`,
	httpReason: `keyword.other http.reason${P}`,
	http1: `constant.numeric http.status.1xx${P}`,
	http2: `markup.inserted http.status.2xx${P}`,
	http3: `constant.numeric http.status.3xx${P}`,
	http4: `string.regexp http.status.4xx${P}`,
	http5: `string.regexp http.status.5xx${P}`,
	guid: `constant.language guid${P}`,
	url: `markup.underline.link url${P}`,
	ipv4: `constant.numeric address.ipv4${P}`,
	ipv6: `constant.numeric address.ipv6${P}`,
	port: `constant.numeric address.port${P}`,
	pathWindows: `markup.italic path.windows${P}`,
	pathScript: `markup.italic path.script${P}`,
	success: `markup.inserted success${P}`,
	progressPercent: `constant.numeric progress.percent${P}`,
	progressBar: `comment progress.bar${P}`,
	gcTag: `entity.name.tag gc.tag${P}`,
	gcThread: `comment gc.thread${P}`,
	component: `entity.name.function component${P}`,
	msiPrefix: `comment msi.prefix${P}`,
	msiAction: `entity.name.function msi.action${P}`,
	msiCustomAction: `entity.name.function msi.custom-action${P}`,
	msiBanner: `markup.bold banner.msi${P}`,
	psMarker: `punctuation.definition.list.begin powershell.marker${P}`,
	psSquiggle: `string.regexp powershell.squiggle${P}`,
	lineNumber: `constant.numeric line-number${P}`,
	statusConnected: `markup.inserted status.connected${P}`,
	statusDisconnected: `invalid.illegal status.disconnected${P}`,
	// cloud-init
	bannerStage: `markup.bold banner.stage${P}`,
	bannerFinished: `markup.bold banner.finished${P}`,
	stageName: `entity.name.section stage.name${P}`,
	version: `constant.numeric version${P}`,
	datasource: `entity.name.type datasource${P}`,
	datasourceNone: `invalid.illegal datasource.none${P}`,
	ciPrefix: `comment ci-info.prefix${P}`,
	ciBorder: `comment ci-info.border${P}`,
	ciTitle: `markup.heading ci-info.title${P}`,
	ciSeparator: `punctuation.separator.table ci-info.separator${P}`,
	boolean: `constant.language boolean${P}`,
	xtraceMarker: `keyword.control xtrace.marker${P}`,
	xtraceCommand: `entity.name.function xtrace.command${P}`,
	serialPrefix: `comment prefix.serial${P}`,
	syslogHost: `comment prefix.syslog.host${P}`,
	syslogProcess: `comment prefix.syslog.process${P}`,
	module: `entity.name.function module${P}`,
	moduleName: `entity.name.function module.name${P}`,
	tool: `entity.name.function tool${P}`,
	dash: `punctuation.separator.dash separator${P}`,
	tracebackHeader: `string.regexp traceback.header${P}`,
	tracebackFile: `string.quoted.double traceback.file${P}`,
	tracebackFunction: `entity.name.function traceback.function${P}`,
	tracebackException: `string.regexp traceback.exception${P}`,
	failScript: `string.regexp failure.script${P}`,
	failModule: `string.regexp failure.module${P}`,
	failTool: `string.regexp failure.tool${P}`,
	failDatasource: `string.regexp failure.datasource${P}`,
	event: `keyword.other event${P}`,
	eventName: `entity.name.function event.name${P}`,
	eventSuccess: `markup.inserted event.success${P}`,
	eventFail: `string.regexp event.fail${P}`,
	eventWarn: `markup.deleted event.warn${P}`,
	// neighbours: waagent, Python logging, ANSI
	logger: `entity.name.function logger${P}`,
	ansi: `comment ansi${P}`,
	// systemd / systemctl / journald
	systemdUnit: `entity.name.function systemd.unit${P}`,
	systemdBullet: `punctuation.definition.list.begin systemd.bullet${P}`,
	systemdBulletFailed: `invalid.illegal systemd.bullet.failed${P}`,
	systemdKey: `variable.other.property key.systemd${P}`,
	systemdLabel: `keyword.other label.systemd${P}`,
	systemdFailed: `invalid.illegal systemd.state.failed${P}`,
	systemdActive: `markup.inserted systemd.state.active${P}`,
	systemdInactive: `comment systemd.state.inactive${P}`,
	systemdActivating: `markup.changed systemd.state.activating${P}`,
	systemdResultOk: `markup.inserted systemd.result.success${P}`,
	systemdResultFailed: `invalid.illegal systemd.result.failed${P}`,
	systemdStatusOk: `markup.inserted systemd.exit-status.success${P}`,
	systemdStatusFailed: `invalid.illegal systemd.exit-status.failed${P}`,
	systemdBootOk: `markup.inserted systemd.boot.ok${P}`,
	systemdBootFailed: `invalid.illegal systemd.boot.failed${P}`,
	systemdBootWarn: `markup.deleted systemd.boot.warning${P}`,
	failSystemd: `string.regexp failure.systemd${P}`,
	// PowerShell
	psCmdlet: `entity.name.function powershell.cmdlet${P}`,
	psMessage: `string.regexp powershell.message${P}`,
	psCategory: `entity.name.type powershell.category${P}`,
	psErrorId: `entity.name.type powershell.error-id${P}`,
	psSeparator: `punctuation.separator.powershell powershell.separator${P}`,
	psTranscriptBorder: `comment powershell.transcript.border${P}`,
	psTranscriptTitle: `markup.heading powershell.transcript.title${P}`,
	psTranscriptKey: `variable.other.property key.transcript${P}`,
	psPrompt: `comment powershell.prompt${P}`,
	// cloud-init status, shell and package tools (cloud-init grammar)
	statusKey: `variable.other.property key.status${P}`,
	statusDone: `markup.inserted status.done${P}`,
	statusDegraded: `markup.deleted status.degraded${P}`,
	statusError: `invalid.illegal status.error${P}`,
	statusRunning: `string.unquoted status.running${P}`,
	statusErrorItem: `string.regexp status.error-item${P}`,
	statusRecoverableItem: `markup.deleted status.recoverable-item${P}`,
	listMarker: `punctuation.definition.list.begin status.list-marker${P}`,
	labelShell: `keyword.other label.shell${P}`,
	shellCommand: `entity.name.function shell.command${P}`,
	failShell: `string.regexp failure.shell${P}`,
	failPackage: `string.regexp failure.package${P}`,
	packageName: `string.unquoted package.name${P}`,
	aptLabel: `keyword.other label.apt${P}`,
	aptIndex: `constant.numeric apt.index${P}`,
	serialSeparator: `punctuation.separator.serial-console separator.serial${P}`,
};

// ---------------------------------------------------------------- helpers
/** captures object from a list: caps([null, 'a', 'b']) -> {1:{name:'a'},2:{name:'b'}} (index 0 = whole match). */
function caps(list) {
	const o = {};
	list.forEach((v, i) => {
		if (v == null) return; // index 0 = the whole match
		o[String(i)] = typeof v === 'string' ? { name: v } : v;
	});
	return o;
}
/**
 * Level alternation, one capture group per level value, in the order given.
 * levels([['error','ERROR|ERRO'], ...]) -> { re: '(?:(ERROR|ERRO)|...)', names: [LEVEL.error, ...] }
 */
function levels(spec) {
	return {
		re: `(?:${spec.map(([, words]) => `(${words})`).join('|')})`,
		names: spec.map(([level]) => LEVEL[level]),
	};
}
const CONSOLE_LEVELS = levels([
	['trace', 'TRACE|TRAC'],
	['debug', 'DEBUG|DEBU'],
	['info', 'INFO'],
	['warning', 'WARNING|WARN'],
	['error', 'ERROR|ERRO'],
	['fatal', 'FATAL|FATA'],
	['panic', 'PANIC|PANI'],
]);
const COLON_LEVELS = levels([
	['trace', 'TRACE'],
	['debug', 'DEBUG'],
	['info', 'INFO'],
	['warning', 'WARNING|WARN'],
	['error', 'ERROR'],
	['fatal', 'FATAL'],
	['panic', 'PANIC'],
	['critical', 'CRITICAL'],
]);
const LOGRUS_LEVELS = levels([
	['trace', 'trace'],
	['debug', 'debug'],
	['info', 'info'],
	['warning', 'warning|warn'],
	['error', 'error'],
	['fatal', 'fatal'],
	['panic', 'panic'],
]);
const GC_LEVELS = levels([
	['trace', 'VERBOSE|TRACE'],
	['debug', 'DEBUG'],
	['info', 'INFO|INFORMATION'],
	['warning', 'WARNING|WARN'],
	['error', 'ERROR'],
	['fatal', 'FATAL'],
	['critical', 'CRITICAL'],
]);
const GC_LEVEL_WORDS = 'VERBOSE|TRACE|DEBUG|INFO|INFORMATION|WARNING|WARN|ERROR|FATAL|CRITICAL';
const GPO_LEVELS = levels([
	['trace', 'VERBOSE|TRACE'],
	['debug', 'DEBUG'],
	['info', 'INFO|INFORMATION'],
	['warning', 'WARNING|WARN'],
	['error', 'ERROR'],
	['fatal', 'FATAL'],
]);
const PY_LEVELS = levels([
	['debug', 'DEBUG'],
	['info', 'INFO'],
	['warning', 'WARNING|WARN'],
	['error', 'ERROR'],
	['critical', 'CRITICAL|FATAL'],
]);
// waagent.log ("2018/01/30 06:44:29.056788 ERROR ..." / "2024-01-02T03:04:05.678901Z INFO ExtHandler ...") and Python
// logging ("2024-01-01 12:00:00,123 WARNING ..." / "... [WARNING] ..." / "WARNING:root:...").
const STAMP_LEVELS = levels([
	['trace', 'VERBOSE|TRACE'],
	['debug', 'DEBUG'],
	['info', 'INFO'],
	['warning', 'WARNING|WARN'],
	['error', 'ERROR'],
	['critical', 'CRITICAL|FATAL'],
]);
const PY_BASIC_LEVELS = levels([
	['debug', 'DEBUG'],
	['info', 'INFO'],
	['warning', 'WARNING'],
	['error', 'ERROR'],
	['critical', 'CRITICAL'],
]);
// Date and time at a line start: 2018/01/30 06:44:29.056788, 2024-01-02T03:04:05.678901Z, 2024-01-01 12:00:00,123
const STAMP = R`\d{4}[-/]\d{2}[-/]\d{2}[ T]\d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})?`;
// An ANSI escape sequence, raw (ESC) or as text a log or a JSON string made of it: \x1b[31m, \033[0m, \u001b[1;31m, ^[[0m
const ANSI = R`(?:\x1b|\\x1[bB]|\\033|\\e|\\u001[bB]|\^\[)\[[0-9;?]{0,32}[A-Za-z]`;
// Serial consoles join records into one line with a literal "\n[   52.13] " between them (cloud-init grammar,
// #serial-joined). Every line-level begin/end rule of both grammars ends at the end of the line OR just before such a
// separator, so a joined record never contains the next one: the rules do not nest, the stack stays flat, and a 1 MB
// line with 50,000 separators is 50,000 short records (test/grammar/grammar.test.ts counts it).
const SERIAL_SEP = R`\\n\[[ \t]*\d+\.\d+\]`;
// The guard (?=[\\\n]) lets the search skip to a backslash or to the "\n" that vscode-textmate appends to every line
// (where $ matches): $ alone is tested at every position of the line, once for every rule that is entered.
const END = R`(?=[\\\n])(?:$|(?=${SERIAL_SEP}))`;
// Line-level rules start with \G, never with (?:^|\G): oniguruma treats a leading \G as an anchor and tries it at one
// position only, while (?:^|\G) is tried at every position up to the end of the line, and vscode-oniguruma does not
// cache a search with \G. Once per line that is harmless; once per joined serial-console record it is quadratic. So
// every line runs inside a zero-width rule that begins at ^ (#physical-line), which puts \G at the line start.
// Indentation after \G is bounded: oniguruma gives up the \G anchor optimisation for \G[ \t]*X and tries X at every
// later position (measured: 10 ms per call on a 1 MB line), while \G[ \t]{0,40}X stays anchored. Deeper indentation
// than 40 columns is not a record head.
const IND = R`[ \t]{0,40}`;
const IND1 = R`[ \t]{1,40}`;
const PHYSICAL_LINE_COMMENT =
	'Zero-width rule around every line: \\G is the line start for the line-level rules (which start with \\G). It ends ' +
	'at \\Z, the same place as $ (vscode-textmate appends one "\\n" to the line), but oniguruma finds \\Z directly, while ' +
	'$ is tested at every position up to the end of the line.';
// journald / syslog head: "Jun  4 07:01:55 myvm cloud-init[1204]: " (also RFC 3339 timestamps)
const JOURNAL_HEAD =
	R`\G([A-Z][a-z]{2} {1,2}\d{1,2} \d{2}:\d{2}:\d{2}|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)` +
	R` ([\w.-]+) ([\w.@-]+(?:\[\d+\])?)(:)[ \t]?`;
const UNIT = R`[\w@.:\\-]+\.(?:service|socket|target|mount|automount|timer|path|scope|slice|device|swap)`;
const SYSTEMD_KEYS = 'Loaded|Active|Main PID|Process|Invocation|Status|Tasks|Memory|Mem peak|Swap peak|CPU|CGroup|Docs|TriggeredBy|Triggers|Drop-In|IP|IO|Notify|Listen|Accepted|Connected';
const SYSTEMD_FAILURES = 'Failed to (?:start|stop|mount|listen on|activate|enqueue)|Dependency failed for|Timed out waiting for|Timed out starting';
const PS_TRANSCRIPT_KEYS = 'Start time|End time|Username|RunAs User|Configuration Name|Machine|Host Application|Process ID|PSVersion|PSEdition|PSCompatibleVersions|BuildVersion|CLRVersion|WSManStackVersion|PSRemotingProtocolVersion|SerializationVersion|GitCommitId|OS|Platform';
const CMDLET = R`[A-Z][a-z]+-[A-Za-z][\w.]*`;
const STATUS_KEYS = 'boot_status_code|detail|last_update|datasource|stage|errors|recoverable_errors';
const STATUS_JSON_KEYS = `${STATUS_KEYS}|init|init-local|modules-config|modules-final|start|finished`;
const APT_LEVELS = levels([
	['info', 'N'],
	['warning', 'W'],
	['error', 'E'],
]);
const HTTP_STATUS = R`(?:(1\d\d)|(2\d\d)|(3\d\d)|(4\d\d)|(5\d\d))`;
const HTTP_NAMES = [S.http1, S.http2, S.http3, S.http4, S.http5];
const HTTP_REASONS = [
	'OK', 'Created', 'Accepted', 'No Content', 'Moved Permanently', 'Found', 'See Other', 'Not Modified',
	'Temporary Redirect', 'Permanent Redirect', 'Bad Request', 'Unauthorized', 'Payment Required', 'Forbidden',
	'Not Found', 'Method Not Allowed', 'Not Acceptable', 'Proxy Authentication Required', 'Request Timeout',
	'Conflict', 'Gone', 'Precondition Failed', 'Too Many Requests', 'Internal Server Error', 'Not Implemented',
	'Bad Gateway', 'Service Unavailable', 'Gateway Timeout',
].sort((a, b) => b.length - a.length).join('|');
// logrus field key: one word, or 2-4 Capitalized words separated by single spaces ("VM Id", "Status Code",
// "Request URL", "Correlation ID"). Used only after a one-character look-behind (?<!\S), so a scan starts only
// at a word start and reads at most four words.
const KEY = R`(?:[A-Z][\w.\/-]*(?: [A-Z][\w.\/-]*){1,3}|[A-Za-z_][\w.\/-]*)`;
// Inside a logrus string a word may follow an escape ("...\nERROR CODE: X"): \b sees "nE" as one word, so every
// leading boundary also accepts "just after \n, \r or \t" (a fixed two-character look-behind).
const B = R`(?:\b|(?<=\\[nrt]))`;
const notAfter = (cls) => R`(?:(?<![${cls}])|(?<=\\[nrt]))`;
// A message rule is tried at every position of the rest of the line. A leading boundary or look-behind (B, notAfter)
// costs a full check at every one of them, and oniguruma cannot skip ahead to a candidate. So every such rule starts
// with a cheap look-ahead guard (its first characters, or a short shape) that rejects almost every position before the
// boundary is tested: lead('[Ee]', body) = "(?=[Ee])" + B + body. Measured: bench/tokenize.mjs --profile.
const lead = (guard, body, boundary = B) => R`(?=${guard})${boundary}${body}`;
const HEX = '[0-9a-fA-F]';
const H4 = `${HEX}{1,4}`;
const IPV6 = `(?:(?:${H4}:){7}${H4}|${H4}(?::${H4}){0,6}::(?:${H4}(?::${H4}){0,6})?|::${H4}(?::${H4}){0,6})`;
const OCTET = R`(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)`;
const IPV4 = R`(?:${OCTET}\.){3}${OCTET}`;
// Windows path: drive, %VAR% or UNC head, then segments separated by one backslash (two inside a logrus quoted
// string, where "\" is written "\\"). "Program Files" and "Program Files (x86)" are the only segments with spaces.
const WINPATH = R`(?:[A-Za-z]:|%[A-Za-z_]\w*%|\\\\[\w.$-]+)(?:\\{1,2}(?:Program Files(?: \(x86\))?|[^\\\s"'<>|:*?,;()]+))+\\{0,2}`;

// ---------------------------------------------------------------- azcmagent grammar
const az = {
	$schema: 'https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json',
	information_for_contributors: [
		'GENERATED by syntaxes/src/build-grammars.mjs: edit that file and run `node syntaxes/src/build-grammars.mjs`.',
		'Scopes: docs/grammars.md. Every name = standard theme scope(s) + a private *.arc-logs scope (last).',
	],
	name: 'Azure Arc agent log',
	scopeName: 'text.log.azcmagent',
	patterns: [{ include: '#physical-line' }],
	repository: {
		'physical-line': {
			comment: PHYSICAL_LINE_COMMENT,
			begin: '^',
			end: R`\Z`,
			patterns: [
				{ include: '#logrus-record' },
				{ include: '#console-record' },
				{ include: '#colon-level' },
				{ include: '#python-basic' },
				{ include: '#progress' },
				{ include: '#journal-prefix' },
				{ include: '#stamp-record' },
				{ include: '#gc-record' },
				{ include: '#gpo-record' },
				{ include: '#msi-line' },
				{ include: '#msi-action' },
				{ include: '#msi-banner' },
				{ include: '#ps-position' },
				{ include: '#ps-error-record' },
				{ include: '#ps5-error-head' },
				{ include: '#ps7-error-head' },
				{ include: '#ps7-line' },
				{ include: '#ps-transcript' },
				{ include: '#systemd' },
				{ include: '#show-pair' },
				{ include: '#free-text' },
			],
		},
		'free-text': {
			comment:
				'The rest of a line that no record head claimed. A rule of its own, so that the line rule (whose \\G regexes ' +
				'make vscode-oniguruma search every regex of it again on each call) does not also search the message tokens.',
			begin: R`(?=\S)`,
			end: R`\Z`,
			patterns: [{ include: '#gc-tag' }, { include: '#msi-return' }, { include: '#msi-custom-action' }, { include: '#text' }],
		},
		// ---- 1. logrus text records: time="..." level=... msg="..." Key=Value ...
		'logrus-record': {
			comment: 'A logrus record (the file format, and the 2020 console format): one physical line.',
			// One match for the head: time and level (each optional, in logrus's order). The message and the fields are
			// the only rules left inside, so the rest of the line is searched by few regexes. A level logrus does not
			// write (level=unknown) is an ordinary field.
			begin:
				R`\G${IND}(?=(?:time|level|msg)=)(?:(time=)("[^"]*"|[^\s"]+)(?!\S)[ \t]*)?` +
				R`(?:(level=)${LOGRUS_LEVELS.re}(?!\S)[ \t]*)?`,
			beginCaptures: caps([null, S.keyTime, S.time, S.keyLevel, ...LOGRUS_LEVELS.names]),
			end: END,
			patterns: [{ include: '#logrus-msg' }, { include: '#field' }],
		},
		'logrus-msg': {
			patterns: [
				{
					begin: R`(?<!\S)(msg=)(")`,
					end: R`(")|${END}`,
					beginCaptures: caps([null, S.keyMsg, S.bareQuoteBegin]),
					endCaptures: caps([null, S.bareQuoteEnd]),
					contentName: S.message,
					patterns: [{ include: '#string-content' }],
				},
				{
					begin: R`(?<!\S)(msg=)(?=[^\s"])`,
					end: R`(?=\s)|${END}`,
					beginCaptures: caps([null, S.keyMsg]),
					contentName: S.msgUnquoted,
					patterns: [{ include: '#message' }],
				},
			],
		},
		field: {
			comment: 'Key=Value after the message (logrus fields; also in console lines). Keys may contain spaces.',
			patterns: [
				{
					comment: 'Status Code=403 (HTTP colours), Count=3 (a number), Key= (empty): one regex for the three',
					match:
						R`(?<!\S)(?:((?:Status ?Code|StatusCode|statusCode|httpStatusCode|HTTP ?Status(?: ?Code)?)=)${HTTP_STATUS}(?!\S)|` +
						R`(${KEY}=)(?:(-?\d+(?:\.\d+)?)(?!\S)|(?=\s|$)))`,
					captures: caps([null, S.keyField, ...HTTP_NAMES, S.keyField, S.valueNumber]),
				},
				{
					begin: R`(?<!\S)(${KEY}=)(")`,
					end: R`(")|${END}`,
					beginCaptures: caps([null, S.keyField, S.bareQuoteBegin]),
					endCaptures: caps([null, S.bareQuoteEnd]),
					contentName: S.valueQuoted,
					patterns: [{ include: '#string-content' }],
				},
				{
					begin: R`(?<!\S)(${KEY}=)(?=[^\s"])`,
					end: R`(?=[\s"])|${END}`,
					beginCaptures: caps([null, S.keyField]),
					contentName: S.valueUnquoted,
					patterns: [{ include: '#message' }],
				},
			],
		},
		'string-content': {
			comment: 'Inside a logrus quoted string: Go escapes, escaped JSON, and every message token.',
			patterns: [{ include: '#ansi' }, { include: '#json-code' }, { include: '#escape' }, { include: '#message' }],
		},
		escape: {
			match: R`\\(?:[abfnrtv"\\]|x\h{2}|u\h{4}|U\h{8})`,
			name: S.escape,
		},
		'json-code': {
			comment: 'ARM error body, as escaped JSON in a logrus string or as plain JSON: "code":"AuthorizationFailed".',
			match: R`(?=\\?"(?i:code)\\?":)(\\?")((?i:code))(\\?")(:)\s*(\\?")([A-Za-z][\w.]*)(\\?")`,
			captures: caps([null, S.escape, S.keyJson, S.escape, S.sep, S.escape, S.codeArm, S.escape]),
		},

		// ---- 2. console output: "ERROR[0007] text   Key=Value" (2020-21) and "ERROR   text" (2023+, 8 columns)
		'console-record': {
			begin: R`\G${IND}${CONSOLE_LEVELS.re}(?:(\[)(\d+)(\])|(?=[ \t]|$))`,
			beginCaptures: caps([null, ...CONSOLE_LEVELS.names, S.bracketOpen, S.elapsed, S.bracketClose]),
			end: END,
			patterns: [{ include: '#field' }, { include: '#text' }],
		},
		'colon-level': {
			comment: 'az CLI and script output: "ERROR: Failed to login with ...", "WARNING: ...".',
			begin: R`\G${IND}${COLON_LEVELS.re}(:)(?=\s|$)`,
			beginCaptures: caps([null, ...COLON_LEVELS.names, S.colon]),
			end: END,
			patterns: [{ include: '#text' }],
		},
		progress: {
			comment: 'Progress bar "  40% [=====>      ]"; a console record may follow on the same line.',
			begin: R`\G${IND}(\d{1,3}%)[ \t]*(\[[=>#.\- ]*\])`,
			beginCaptures: caps([null, S.progressPercent, S.progressBar]),
			end: END,
			patterns: [{ include: '#console-record' }, { include: '#text' }],
		},

		// ---- 3. Guest Configuration, Group Policy onboarding, MSI install log
		'gc-record': {
			comment: '[2024-06-01 11:20:33.512] [PID 4120] [TID 4188] [Pull Client] [ERROR] [guid] text, maybe inside <GCLOG>...</GCLOG>.',
			begin:
				R`\G(<GCLOG>)?(\[\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?\])` +
				R`(?:[ \t]*(\[PID[ \t]*\d+\]))?(?:[ \t]*(\[TID[ \t]*\d+\]))?` +
				R`(?:[ \t]*(\[)(?!(?:${GC_LEVEL_WORDS})\])([^\[\]]*)(\]))?` +
				R`(?:[ \t]*(\[)${GC_LEVELS.re}(\]))?`,
			beginCaptures: caps([
				null, S.gcTag, S.time, S.gcThread, S.gcThread,
				S.bracketOpen, S.component, S.bracketClose,
				S.bracketOpen, ...GC_LEVELS.names, S.bracketClose,
			]),
			end: `(</GCLOG>)|${END}`,
			endCaptures: caps([null, S.gcTag]),
			patterns: [{ include: '#text' }],
		},
		'gc-tag': {
			match: '</?GCLOG>',
			name: S.gcTag,
		},
		'gpo-record': {
			comment: 'Group Policy onboarding log: [2024-06-01][11:20:33] WARNING text',
			match: R`\G(\[\d{4}-\d{2}-\d{2}\]\[\d{1,2}:\d{2}:\d{2}\])(?:[ \t]*${GPO_LEVELS.re}(?=\s|$))?`,
			captures: caps([null, S.time, ...GPO_LEVELS.names]),
		},
		'msi-line': {
			comment: 'msiexec /l*v: MSI (s) (B8:68) [08:25:45:209]: text',
			match: R`\G(MSI \([a-zA-Z]\) \(\h{1,4}:\h{1,4}\))[ \t]*(\[\d{1,2}:\d{2}:\d{2}:\d{3}\])(:)`,
			captures: caps([null, S.msiPrefix, S.time, S.colon]),
		},
		'msi-action': {
			match: R`\G(Action (?:start|ended)) (\d{1,2}:\d{2}:\d{2})(:) ([A-Za-z_]\w*)`,
			captures: caps([null, S.labelMsi, S.time, S.colon, S.msiAction]),
		},
		'msi-banner': {
			match: R`\G(=== .* ===)[ \t]*$`,
			captures: caps([null, S.msiBanner]),
		},
		'msi-return': {
			comment: 'Return value 3 = failure (error level), 2 = cancelled (warning), 1/0 = success (info).',
			match: R`\b(Return value) (?:(3)|(2)|([01]))\b`,
			captures: caps([null, S.labelMsi, LEVEL.error, LEVEL.warning, LEVEL.info]),
		},
		'msi-custom-action': {
			match: R`\b(Wix(?:Quiet|Silent)Exec(?:64)?|CAQuietExec(?:64)?)(:)`,
			captures: caps([null, S.msiCustomAction, S.colon]),
		},
		'ps-position': {
			comment: 'PowerShell error position: "At C:\\...\\x.ps1:367 char:5" or "At line:1 char:1".',
			match: R`\G${IND}(At) (?:(${WINPATH})|(line))(:)(\d+) (char)(:)(\d+)`,
			captures: caps([null, S.labelPs, S.pathWindows, S.labelPs, S.colon, S.lineNumber, S.labelPs, S.colon, S.lineNumber]),
		},
		'ps-error-record': {
			patterns: [
				{
					comment: '+ CategoryInfo          : ObjectNotFound: (x:String) [], CommandNotFoundException',
					match: R`\G${IND}(\+)[ \t]+(CategoryInfo)[ \t]*(:)(?:[ \t]*([A-Za-z]+)(?=:))?`,
					captures: caps([null, S.psMarker, S.labelPs, S.colon, S.psCategory]),
				},
				{
					comment: '+ FullyQualifiedErrorId : CommandNotFoundException or InvalidOperation,Microsoft.X.Command',
					match: R`\G${IND}(\+)[ \t]+(FullyQualifiedErrorId)[ \t]*(:)(?:[ \t]*([^\s,]+))?`,
					captures: caps([null, S.psMarker, S.labelPs, S.colon, S.psErrorId]),
				},
				{
					match: R`\G${IND}(\+)[ \t]+(~+)[ \t]*$`,
					captures: caps([null, S.psMarker, S.psSquiggle]),
				},
			],
		},
		'ps5-error-head': {
			comment: 'Windows PowerShell 5 error record: "Copy-VMFile : Failed to initiate ..." (then At ..., + CategoryInfo ...)',
			begin: R`\G(${CMDLET})[ \t]+(:)[ \t]+`,
			beginCaptures: caps([null, S.psCmdlet, S.colon]),
			end: END,
			contentName: S.psMessage,
			patterns: [{ include: '#text' }],
		},
		'ps7-error-head': {
			comment: 'PowerShell 7 error record: "Get-AzConnectedMachine_Get: C:\\ArcBox\\x.ps1:261" (then Line |, the source, ~~~, | message)',
			match: R`\G(${CMDLET}|[A-Z]\w*(?:Exception|Error))(:)[ \t]+(\S.*?)(:)(\d+)[ \t]*$`,
			captures: caps([null, S.psCmdlet, S.colon, S.pathWindows, S.colon, S.lineNumber]),
		},
		'ps7-line': {
			patterns: [
				{
					match: R`\G${IND}(Line)[ \t]+(\|)[ \t]*$`,
					captures: caps([null, S.labelPs, S.psSeparator]),
				},
				{
					match: R`\G${IND}(\d+)[ \t]+(\|)(?=[ \t]|$)`,
					captures: caps([null, S.lineNumber, S.psSeparator]),
				},
				{
					match: R`\G${IND1}(\|)[ \t]+(~+)[ \t]*$`,
					captures: caps([null, S.psSeparator, S.psSquiggle]),
				},
				{
					comment: '"     | The Resource ... was not found." (PowerShell 7 message lines; not a table row ending in |)',
					begin: R`\G${IND1}(\|)[ \t]+(?!.*\|[ \t]*$)`,
					beginCaptures: caps([null, S.psSeparator]),
					end: END,
					contentName: S.psMessage,
					patterns: [{ include: '#text' }],
				},
			],
		},
		'ps-transcript': {
			comment: 'Start-Transcript: "**********************", "Windows PowerShell transcript start", "Start time: 20240601112033"',
			patterns: [
				{
					match: R`\G(\*{10,})[ \t]*$`,
					captures: caps([null, S.psTranscriptBorder]),
				},
				{
					match: R`\G((?:Windows )?PowerShell transcript (?:start|end))[ \t]*$`,
					captures: caps([null, S.psTranscriptTitle]),
				},
				{
					match: R`\G(${PS_TRANSCRIPT_KEYS})(:)(?:[ \t]+(\d{14})(?=[ \t]*$))?(?=[ \t]|$)`,
					captures: caps([null, S.psTranscriptKey, S.colon, S.time]),
				},
				{
					match: R`\G(Transcript started, output file is)(?= )`,
					captures: caps([null, S.labelPs]),
				},
				{
					match: R`\G(PS [^>]{0,260}>)`,
					captures: caps([null, S.psPrompt]),
				},
			],
		},

		// ---- 3b. waagent.log, Python logging, journald, systemd (shared with the cloud-init grammar)
		'stamp-record': {
			comment:
				'waagent "2018/01/30 06:44:29.056788 ERROR ..." and "2024-01-02T03:04:05.678901Z INFO ExtHandler ...", ' +
				'old waagent "2015/09/13 14:44:03 text", Python logging "2024-01-01 12:00:00,123 WARNING text" / "... [WARNING] text"',
			begin:
				R`\G(${STAMP})(?:[ \t]+(?:(\[)${STAMP_LEVELS.re}(\])|${STAMP_LEVELS.re})(?=[ \t:]|$)` +
				R`(?:(:)|[ \t]+(Daemon|[A-Z]\w*(?:Handler|Collector)|PollResourceUsage)(?=[ \t]))?)?`,
			beginCaptures: caps([
				null, S.time, S.bracketOpen, ...STAMP_LEVELS.names, S.bracketClose, ...STAMP_LEVELS.names, S.colon, S.component,
			]),
			end: END,
			patterns: [{ include: '#field' }, { include: '#text' }],
		},
		'python-basic': {
			comment: 'Python logging.basicConfig: "WARNING:root:text", "ERROR:cloudinit.util:text"',
			match: R`\G${IND}${PY_BASIC_LEVELS.re}(:)([A-Za-z_][\w.]*)(:)`,
			captures: caps([null, ...PY_BASIC_LEVELS.names, S.colon, S.logger, S.colon]),
		},
		ansi: {
			comment: 'ANSI colour codes (raw ESC or written out as \\x1b, \\033, \\e, \\u001b, ^[): dim, not junk',
			match: R`(?=[\x1b\\^])${ANSI}`,
			name: S.ansi,
		},
		'journal-prefix': {
			comment: 'journald/syslog line in the agent grammar: "Jun  4 07:01:55 myvm systemd[1]: <line>"',
			begin: JOURNAL_HEAD,
			beginCaptures: caps([null, S.time, S.syslogHost, S.syslogProcess, S.syslogProcess]),
			end: END,
			patterns: [{ include: '#systemd' }, { include: '#colon-level' }, { include: '#console-record' }, { include: '#logrus-record' }, { include: '#text' }],
		},
		systemd: {
			comment: 'systemctl status blocks, boot status lines and systemd messages (also after a journald prefix)',
			patterns: [
				{ include: '#systemd-unit-head' },
				{ include: '#systemd-property' },
				{ include: '#systemd-boot-status' },
				{ include: '#systemd-message' },
			],
		},
		'systemd-unit-head': {
			comment: '"● cloud-init.service - Initial cloud-init job", "× x.service - ..." (failed), "○ x.service" (inactive)',
			match: R`\G${IND}(?:(×|✗)|([●○↻*]))[ \t]+(${UNIT})(?:[ \t]+(-)(?=[ \t]))?`,
			captures: caps([null, S.systemdBulletFailed, S.systemdBullet, S.systemdUnit, S.dash]),
		},
		'systemd-property': {
			comment: '"     Active: failed (Result: exit-code) since ...", "   Main PID: 33554 (code=exited, status=3)"',
			begin: R`\G${IND}(${SYSTEMD_KEYS})(:)(?=[ \t])`,
			beginCaptures: caps([null, S.systemdKey, S.colon]),
			end: END,
			patterns: [
				{
					match: R`\G${IND1}(?:(failed)|(active)|(inactive)|(activating|deactivating|reloading))\b`,
					captures: caps([null, S.systemdFailed, S.systemdActive, S.systemdInactive, S.systemdActivating]),
				},
				{ include: '#text' },
			],
		},
		'systemd-boot-status': {
			comment: 'Boot console: "[  OK  ] Started ...", "[FAILED] Failed to start ...", "[DEPEND] Dependency failed for ..."',
			begin: R`\G(\[)[ \t]*(?:(OK)|(FAILED|DEPEND)|(TIME|WARN))[ \t]*(\])[ \t]*`,
			beginCaptures: caps([null, S.bracketOpen, S.systemdBootOk, S.systemdBootFailed, S.systemdBootWarn, S.bracketClose]),
			end: END,
			patterns: [{ include: '#systemd-message' }, { include: '#text' }],
		},
		'systemd-message': {
			patterns: [
				{
					comment: 'NixOS switch / systemctl: "warning: the following units failed: cloud-init.service"',
					match: R`\G${IND}(warning)(:)[ \t]+(the following units failed)(:)`,
					captures: caps([null, LEVEL.warning, S.colon, S.failSystemd, S.colon]),
				},
				{
					comment: '"Failed to start Initial cloud-init job.", "Dependency failed for ...", "Timed out waiting for device ..."',
					match: R`\G${IND}(${SYSTEMD_FAILURES})\b`,
					captures: caps([null, S.failSystemd]),
				},
				{
					comment: '"cloud-init.service: Failed with result \'exit-code\'." (the rest is #systemd-result / #systemd-code)',
					match: R`\G${IND}(${UNIT})(:)(?=[ \t])`,
					captures: caps([null, S.systemdUnit, S.colon]),
				},
			],
		},
		'systemd-result': {
			comment: '"(Result: exit-code)" and "Failed with result \'exit-code\'" (success is green, any other result red)',
			patterns: [
				{
					match: R`\((Result)(:)[ \t]*(?:(success)|([\w-]+))`,
					captures: caps([null, S.systemdLabel, S.colon, S.systemdResultOk, S.systemdResultFailed]),
				},
				{
					match: R`\b(Failed with result) (')(?:(success)|([\w-]+))(')`,
					captures: caps([null, S.failSystemd, S.bareQuoteBegin, S.systemdResultOk, S.systemdResultFailed, S.bareQuoteEnd]),
				},
			],
		},
		'systemd-code': {
			comment: '"(code=exited, status=1/FAILURE)", "code=killed, signal=TERM": status 0 green, anything else red',
			match: R`\b(code)(=)(exited|killed|dumped)(,)[ \t]*(status|signal)(=)(?:(0(?:/SUCCESS)?)(?![\w/])|([\w/]+))`,
			captures: caps([
				null, S.systemdLabel, S.sep, S.systemdLabel, S.comma, S.systemdLabel, S.sep, S.systemdStatusOk, S.systemdStatusFailed,
			]),
		},
		'show-pair': {
			comment: '`azcmagent show`: "Agent Status                : Connected" (a key, spaces, a colon).',
			match: R`\G${IND}([A-Z][\w()./-]*(?: [\w()./-]+){0,6})[ \t]+(:)(?:[ \t]+(?:(Connected)|(Disconnected|Expired))(?=[ \t]*$))?(?=[ \t]|$)`,
			captures: caps([null, S.keyShow, S.colon, S.statusConnected, S.statusDisconnected]),
		},

		// ---- 4. tokens inside messages (shared by every format, and by the cloud-init grammar)
		text: {
			comment: 'Free text outside a quoted string: double-quoted strings plus every message token.',
			patterns: [{ include: '#json-code' }, { include: '#quoted-double' }, { include: '#message' }],
		},
		message: {
			comment: 'Tokens recognised anywhere in a message, including inside quoted strings.',
			// The match rules are merged into one regex (#message-tokens, built from the rules listed in MESSAGE_TOKENS
			// below): one search over the rest of the line instead of one per rule.
			patterns: [{ include: '#message-tokens' }, { include: '#quoted-single' }],
		},
		'exit-code': {
			patterns: [
				{
					comment: '"exitcode: 42", "Exit code: 1", "exit status 1", "returned actual error code 1603", "error status: 1603"',
					match: lead('[EeRr]', R`((?i:exit ?code|exit status|error code|return code|error status))(\s*[:=]\s*|\s+)(-?\d+)\b`),
					captures: caps([null, S.labelExit, S.sep, S.exitCode]),
				},
				{
					comment: '"Exit Code:  AZCM0026: Network Error" (the code itself is #azcm-code)',
					match: lead('E', R`(Exit Code)(:)`),
					captures: caps([null, S.labelExit, S.colon]),
				},
			],
		},
		'azcm-code': {
			match: lead('A', R`AZCM\d{4}\b`),
			name: S.codeAzcm,
		},
		'aadsts-code': {
			match: lead('A', R`AADSTS\d{5,}\b`),
			name: S.codeAadsts,
		},
		'arm-error': {
			comment: 'RequestCorrelationId:<guid> Message: <text> Code: <ArmErrorCode> httpStatusCode:<n>; ERROR CODE: X',
			patterns: [
				{
					match: lead('[RMT]', R`(RequestCorrelationId|Message|Target)(:)`),
					captures: caps([null, S.labelArm, S.colon]),
				},
				{
					match: lead('[CEe]', R`(Code|ERROR CODE|ErrorCode|errorCode)(:) ?([A-Za-z][\w.]*)`),
					captures: caps([null, S.labelArm, S.colon, S.codeArm]),
				},
				{
					match: lead('h', R`(httpStatusCode)(:) ?${HTTP_STATUS}\b`),
					captures: caps([null, S.labelArm, S.colon, ...HTTP_NAMES]),
				},
			],
		},
		'http-status': {
			patterns: [
				{
					comment: 'RESPONSE 403: 403 Forbidden (Azure SDK error body)',
					match: lead('R', R`(RESPONSE) ${HTTP_STATUS}\b`),
					captures: caps([null, S.httpKeyword, ...HTTP_NAMES]),
				},
				{
					match: lead('H', R`(HTTP/\d(?:\.\d)?) ${HTTP_STATUS}\b(?: (${HTTP_REASONS})\b)?`),
					captures: caps([null, S.httpVersion, ...HTTP_NAMES, S.httpReason]),
				},
				{
					match: lead(R`[1-5]\d\d [A-Z]`, R`${HTTP_STATUS} (${HTTP_REASONS})\b`, notAfter(R`\w.`)),
					captures: caps([null, ...HTTP_NAMES, S.httpReason]),
				},
				{
					comment: "Status Code '404', status code: 403, StatusCode=403",
					match: lead('[SsHh]', R`((?i:status ?code|http status))(\s*[:=]\s*'?|\s+'?)${HTTP_STATUS}\b`),
					captures: caps([null, S.labelHttp, S.sep, ...HTTP_NAMES]),
				},
			],
		},
		guid: {
			match: lead(R`\h{8}-`, R`\h{8}-\h{4}-\h{4}-\h{4}-\h{12}(?![\w-])`, notAfter(R`\w-`)),
			name: S.guid,
		},
		url: {
			match: lead('[hwf]', R`(?:https?|wss?|ftp)://[^\s"'<>\\\x60]*[^\s"'<>\\\x60.,;:)\]}]`),
			name: S.url,
		},
		ipv4: {
			match: lead(R`\d{1,3}\.\d`, R`(${IPV4})(?:(:)(\d{1,5}))?(?!\.?\d|\w)`, notAfter(R`\w.`)),
			captures: caps([null, S.ipv4, S.colon, S.port]),
		},
		ipv6: {
			patterns: [
				{
					match: R`(\[)(?=[\h:]{2,39}\])(${IPV6})(\])(?:(:)(\d{1,5}))?`,
					captures: caps([null, S.bracketOpen, S.ipv6, S.bracketClose, S.colon, S.port]),
				},
				{
					match: lead(R`\h{0,4}:[\h:]`, R`${IPV6}(?![\w:])`, notAfter(R`\w:.`)),
					name: S.ipv6,
				},
			],
		},
		'windows-path': {
			match: lead(R`[A-Za-z]:\\|%|\\\\`, WINPATH, notAfter(R`\w\\`)),
			name: S.pathWindows,
		},
		'quoted-double': {
			comment: 'Only when the closing quote is on the same line (a stray " colours nothing).',
			begin: R`"(?=[^"]*")`,
			end: R`"|(?=${SERIAL_SEP})`,
			beginCaptures: caps([S.quoteBegin]),
			endCaptures: caps([S.quoteEnd]),
			contentName: S.string,
			patterns: [{ include: '#message' }],
		},
		'quoted-single': {
			comment: "'...' but not apostrophes: not after a word character, closing quote not before one.",
			begin: R`'(?<![\w']')(?=[^'"]*'(?!\w))`,
			end: R`'|(?=${SERIAL_SEP})`,
			name: S.stringSingle,
			patterns: [{ include: '#message' }],
		},
		success: {
			match: lead('[Ss]', R`(?:[Ss]uccessfully|[Ss]ucceeded)\b`),
			name: S.success,
		},
	},
};

// ---------------------------------------------------------------- merged message tokens
// Every message context (a msg string, a field value, free text) searches the rest of the line with each of its
// regexes. The message tokens are ~25 match rules; merged into one alternation (captures renumbered, a rule's name
// becomes a group around its branch), the line is searched once. Same result: the leftmost match wins, and at equal
// positions the earlier branch, as the earlier rule did. The single rules stay in the repository for other includes.
const MESSAGE_TOKENS = [
	'ansi', 'systemd-code', 'systemd-result', 'exit-code', 'azcm-code', 'aadsts-code', 'arm-error', 'http-status',
	'guid', 'url', 'ipv6', 'ipv4', 'windows-path', 'success',
];
function countGroups(re) {
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
		if (c === '(' && re[i + 1] !== '?') n++;
	}
	return n;
}
function mergeMatchRules(repo, keys) {
	const all = keys.flatMap((k) => repo[k].patterns ?? [repo[k]]);
	// Rules that start at a word start (B, notAfter(\w...), \b, after an optional guard) go behind one shared check
	// "not after a word character, or just after \n \r \t", which rejects the inside of every word once instead of
	// once per rule; the others (ANSI codes, "(Result:", "[::1]") come first. They cannot start at the same position as
	// a word-start rule (their first characters are \, ESC, ^, ( and [), so the order between the groups changes nothing.
	const atWordStart = (re) => /^(?:\(\?=[^)]*\))?(?:\\b|\(\?:\\b\||\(\?:\(\?<!\[\\w)/.test(re);
	const rules = [...all.filter((r) => !atWordStart(r.match)), ...all.filter((r) => atWordStart(r.match))];
	const free = all.filter((r) => !atWordStart(r.match)).length;
	const branches = [];
	const captures = {};
	let offset = 0;
	for (const r of rules) {
		if (r.match === undefined || r.patterns || /\\[1-9]|\(\?<[A-Za-z]/.test(r.match)) throw new Error(`cannot merge ${JSON.stringify(r)}`);
		if (r.name) {
			branches.push(`(${r.match})`);
			captures[String(++offset)] = { name: r.name };
			offset += countGroups(r.match);
		} else {
			branches.push(`(?:${r.match})`);
			for (const [i, c] of Object.entries(r.captures)) {
				if (i === '0') throw new Error('capture 0 in a merged rule');
				captures[String(offset + Number(i))] = c;
			}
			offset += countGroups(r.match);
		}
	}
	const match = `${branches.slice(0, free).join('|')}|${notAfter(R`\w`)}(?:${branches.slice(free).join('|')})`;
	return { comment: `Merged: ${keys.join(', ')} (see MESSAGE_TOKENS in the build script).`, match, captures };
}
az.repository['message-tokens'] = mergeMatchRules(az.repository, MESSAGE_TOKENS);

// ---------------------------------------------------------------- cloud-init grammar
const AZ = 'text.log.azcmagent';
const ci = {
	$schema: 'https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json',
	information_for_contributors: [
		'GENERATED by syntaxes/src/build-grammars.mjs: edit that file and run `node syntaxes/src/build-grammars.mjs`.',
		'Scopes: docs/grammars.md. Includes rules of text.log.azcmagent (same extension) for embedded agent output.',
	],
	name: 'cloud-init log',
	scopeName: 'text.log.cloud-init',
	patterns: [{ include: '#status-errors' }, { include: '#physical-line' }],
	repository: {
		'physical-line': {
			comment: PHYSICAL_LINE_COMMENT,
			begin: '^',
			end: R`\Z`,
			patterns: [{ include: '#serial-prefix' }, { include: '#serial-joined' }, { include: '#syslog-prefix' }, { include: '#line' }],
		},
		'serial-prefix': {
			comment: 'Serial console / boot diagnostics: "[   12.345678] cloud-init[812]: <line>"',
			begin: R`\G(\[[ \t]*\d+\.\d+\])[ \t]+(?:([\w.@-]+(?:\[\d+\])?)(:)[ \t]?)?`,
			beginCaptures: caps([null, S.kernelTime, S.serialPrefix, S.serialPrefix]),
			end: END,
			patterns: [{ include: '#syslog-prefix' }, { include: '#line' }],
		},
		'serial-joined': {
			comment:
				'Serial console records joined into one line: "...\\n[   52.13] cloud-init[3465]: <line>". The separator is ' +
				'punctuation; this rule and every rule inside it end just before the next separator, so joined records ' +
				'follow each other instead of nesting. Inside a joined record only message tokens (#content) apply, no ' +
				'record heads: a head rule starts with \\G, and vscode-oniguruma neither caches a search with \\G nor ' +
				'always keeps it anchored, so one head search per record would re-read the rest of a 1 MB line each time.',
			begin: R`(\\n)(\[[ \t]*\d+\.\d+\])[ \t]*(?:([\w.@-]+(?:\[\d+\])?)(:)[ \t]?)?`,
			beginCaptures: caps([null, S.serialSeparator, S.kernelTime, S.serialPrefix, S.serialPrefix]),
			end: END,
			patterns: [{ include: '#content' }],
		},
		'syslog-prefix': {
			comment: 'journald/syslog: "Jun  4 07:01:55 myvm cloud-init[1204]: <line>" (also RFC 3339 timestamps)',
			begin: JOURNAL_HEAD,
			beginCaptures: caps([null, S.time, S.syslogHost, S.syslogProcess, S.syslogProcess]),
			end: END,
			patterns: [{ include: '#line' }],
		},
		line: {
			patterns: [
				{ include: '#banner-running' },
				{ include: '#banner-finished' },
				{ include: '#ci-info' },
				{ include: '#xtrace' },
				{ include: '#record-head' },
				{ include: `${AZ}#stamp-record` },
				{ include: `${AZ}#python-basic` },
				{ include: '#status-value' },
				{ include: '#status-key' },
				{ include: '#traceback-header' },
				{ include: '#traceback-file' },
				{ include: '#traceback-exception' },
				{ include: '#subp-label' },
				{ include: '#apt-level' },
				{ include: '#apt-fetch' },
				{ include: '#yum-level' },
				{ include: '#no-package' },
				{ include: '#curl-error' },
				{ include: '#shell-error' },
				{ include: `${AZ}#systemd` },
				{ include: `${AZ}#logrus-record` },
				{ include: `${AZ}#console-record` },
				{ include: `${AZ}#colon-level` },
				{ include: `${AZ}#progress` },
				{ include: `${AZ}#show-pair` },
				{ include: '#content' },
			],
		},
		content: {
			patterns: [
				{ include: '#failed-running' },
				{ include: '#failed-module' },
				{ include: '#running-module' },
				{ include: '#event' },
				{ include: '#datasource-failure' },
				{ include: '#modules-ran' },
				{ include: '#shell-failure' },
				{ include: `${AZ}#text` },
			],
		},
		'banner-running': {
			comment: "Cloud-init v. 23.4.4-0ubuntu0~22.04.1 running 'init' at Tue, 04 Jun 2024 07:01:12 +0000. Up 9.81 seconds.",
			begin: R`\GCloud-init v\. (\S+) running (')([^']+)(')`,
			beginCaptures: caps([null, S.version, S.bareQuoteBegin, S.stageName, S.bareQuoteEnd]),
			end: END,
			name: S.bannerStage,
			patterns: [{ include: '#banner-time' }, { include: '#uptime' }],
		},
		'banner-finished': {
			comment: 'Cloud-init v. X finished at <date>. Datasource DataSourceAzure [seed=/dev/sr0].  Up 52.66 seconds',
			begin: R`\GCloud-init v\. (\S+) finished at `,
			beginCaptures: caps([null, S.version]),
			end: END,
			name: S.bannerFinished,
			patterns: [{ include: '#banner-time' }, { include: '#datasource' }, { include: '#uptime' }],
		},
		'banner-time': {
			match: R`\b[A-Z][a-z]{2}, \d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}\b`,
			name: S.time,
		},
		uptime: {
			match: R`\bUp (\d+(?:\.\d+)?) seconds\b`,
			captures: caps([null, S.uptime]),
		},
		datasource: {
			match: R`\bDatasource (?:(DataSourceNone)|(DataSource\w+))`,
			captures: caps([null, S.datasourceNone, S.datasource]),
		},
		'ci-info': {
			begin: R`\G(ci-info:)[ \t]?`,
			beginCaptures: caps([null, S.ciPrefix]),
			end: END,
			patterns: [
				{
					match: R`\G${IND}(\+{3,})([^+|]+)(\+{3,})[ \t]*$`,
					captures: caps([null, S.ciBorder, S.ciTitle, S.ciBorder]),
				},
				{
					match: R`\G${IND}(\+[-+]*\+)[ \t]*$`,
					captures: caps([null, S.ciBorder]),
				},
				{ match: R`\|`, name: S.ciSeparator },
				{ match: R`\b(?:True|False)\b`, name: S.boolean },
				{ include: `${AZ}#text` },
			],
		},
		xtrace: {
			comment: 'set -x output: "+ az login --identity" ("++ " in subshells)',
			begin: R`\G(\++)[ \t]+([^\s]+)`,
			beginCaptures: caps([null, S.xtraceMarker, S.xtraceCommand]),
			end: END,
			patterns: [{ include: `${AZ}#text` }],
		},
		'record-head': {
			comment: 'cloud-init.log: "2024-06-04 07:01:55,118 - util.py[WARNING]: text" (timestamp optional after a syslog prefix)',
			begin: R`\G(?:(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:,\d{3})?)( - ))?([\w.-]+\.py)(\[)${PY_LEVELS.re}(\])(:)[ \t]?`,
			beginCaptures: caps([null, S.time, S.dash, S.module, S.bracketOpen, ...PY_LEVELS.names, S.bracketClose, S.colon]),
			end: END,
			patterns: [{ include: '#banner-running' }, { include: '#banner-finished' }, { include: '#content' }],
		},
		'traceback-header': {
			match: R`\G${IND}(Traceback \(most recent call last\):)`,
			captures: caps([null, S.tracebackHeader]),
		},
		'traceback-file': {
			match: R`\G${IND1}(File) (")([^"]+)(")(,) (line) (\d+)(?:(,) (in) (\S+))?`,
			captures: caps([
				null, S.labelTraceback, S.bareQuoteBegin, S.tracebackFile, S.bareQuoteEnd, S.comma, S.labelTraceback,
				S.lineNumber, S.comma, S.labelTraceback, S.tracebackFunction,
			]),
		},
		'traceback-exception': {
			match: R`\G((?:[A-Za-z_]\w*\.)*[A-Za-z_]\w*(?:Error|Exception|Exit|Interrupt|Failure|Fault))(?=:|[ \t]*$)`,
			captures: caps([null, S.tracebackException]),
		},
		'subp-label': {
			comment: 'The block after "Unexpected error while running command." (Exit code: is #exit-code).',
			match: R`\G(Command|Reason|Stdout|Stderr)(:)(?=\s|$)`,
			captures: caps([null, S.labelSubp, S.colon]),
		},
		'apt-level': {
			comment: 'apt: "E: Unable to locate package x", "W: ...", "N: ..."',
			match: R`\G${APT_LEVELS.re}(:)(?= )`,
			captures: caps([null, ...APT_LEVELS.names, S.colon]),
		},
		'curl-error': {
			begin: R`\G(curl)(:) (\()(\d+)(\))`,
			beginCaptures: caps([null, S.tool, S.colon, S.bracketOpen, S.exitCode, S.bracketClose]),
			end: END,
			name: S.failTool,
			patterns: [{ include: `${AZ}#text` }],
		},
		'apt-fetch': {
			comment: 'apt update: "Err:1 http://... jammy InRelease" (error), "Ign:2" (ignored), "Hit:3" / "Get:4"',
			match: R`\G(?:(Err)|(Ign)|(Hit|Get))(:)(\d+)(?=[ \t])`,
			captures: caps([null, LEVEL.error, LEVEL.trace, S.aptLabel, S.colon, S.aptIndex]),
		},
		'yum-level': {
			comment: 'dnf / yum / puppet: "Error: Unable to find a match: x", "Warning: ..."',
			match: R`\G(?:(Error)|(Warning))(:)(?=[ \t])`,
			captures: caps([null, LEVEL.error, LEVEL.warning, S.colon]),
		},
		'no-package': {
			comment: 'yum "No package x available.", dnf "No match for argument: x"',
			match: R`\G(?:(No package) ([^\s]+) (available)|(No match for argument)(:) ([^\s]+))`,
			captures: caps([null, S.failPackage, S.packageName, S.failPackage, S.failPackage, S.colon, S.packageName]),
		},
		'shell-error': {
			comment:
				'A shell or coreutils error in script output: "bash: line 3: foo: command not found", ' +
				'"/var/lib/cloud/instance/scripts/part-001: line 2: x: command not found", "mv: cannot stat \'x\': No such file or directory"',
			begin:
				R`\G((?:/[\w.@+-]+)+|[a-z][\w.+-]*)(:)(?:[ \t](line)[ \t](\d+)(:))?` +
				R`(?=[ \t].*(?:command not found|No such file or directory|Permission denied|cannot |Operation not permitted|Is a directory|Not a directory|Read-only file system|No space left on device|syntax error))`,
			beginCaptures: caps([null, S.tool, S.colon, S.labelShell, S.lineNumber, S.colon]),
			end: END,
			patterns: [
				{
					match: R`\G${IND1}([^\s:'"]+)(:)(?=[ \t])`,
					captures: caps([null, S.shellCommand, S.colon]),
				},
				{ include: '#shell-failure' },
				{ include: `${AZ}#text` },
			],
		},
		'shell-failure': {
			match:
				R`(?=[cNPORs])\b(?:command not found|No such file or directory|Permission denied|Operation not permitted|No space left on device|Read-only file system|` +
				R`cannot (?:stat|create regular file|create directory|remove|open|access|move|find or open)|syntax error(?: near unexpected token)?)\b`,
			name: S.failShell,
		},
		'status-value': {
			comment: '`cloud-init status --long` / --format yaml|json: "status: error", "extended_status: degraded done", "\"status\": \"done\""',
			match:
				R`\G${IND}(?:(")(status|extended_status)(")|(status|extended_status))(:)[ \t]*(")?` +
				R`(?:(error(?: - [\w ]*\w)?|degraded error)|(degraded(?: done| running)?)|(done)|(running|not started|not run|disabled))(?=["\s,]|$)`,
			captures: caps([
				null, S.bareQuoteBegin, S.statusKey, S.bareQuoteEnd, S.statusKey, S.colon, S.bareQuoteBegin,
				S.statusError, S.statusDegraded, S.statusDone, S.statusRunning,
			]),
		},
		'status-key': {
			comment: 'the other keys of `cloud-init status --long` / --format yaml|json ("errors: []" is a key and a bracket, nothing red)',
			match: R`\G${IND}(?:(")(${STATUS_JSON_KEYS})(")|(${STATUS_KEYS}))(:)(?=[ \t]|$)`,
			captures: caps([null, S.bareQuoteBegin, S.statusKey, S.bareQuoteEnd, S.statusKey, S.colon]),
		},
		'status-errors': {
			comment: 'The lists under "errors:" and "recoverable_errors:" (YAML / --long) and "errors": [ ... ] (JSON), one item a line',
			patterns: [
				{
					begin: R`^[ \t]*(errors)(:)[ \t]*$`,
					beginCaptures: caps([null, S.statusKey, S.colon]),
					while: R`^(?=[ \t]*- )`,
					patterns: [{ include: '#status-error-item' }],
				},
				{
					begin: R`^[ \t]*(recoverable_errors)(:)[ \t]*$`,
					beginCaptures: caps([null, S.statusKey, S.colon]),
					while: R`^(?=[ \t]*- |[ \t]*[A-Z]+:[ \t]*$)`,
					patterns: [{ include: `${AZ}#colon-level` }, { include: '#status-recoverable-item' }],
				},
				{
					begin: R`^[ \t]*(")(errors)(")(:)[ \t]*(\[)[ \t]*$`,
					beginCaptures: caps([null, S.bareQuoteBegin, S.statusKey, S.bareQuoteEnd, S.colon, S.bracketOpen]),
					while: R`^(?![ \t]*\])`,
					patterns: [{ include: '#status-error-item' }],
				},
				{
					begin: R`^[ \t]*(")(recoverable_errors)(")(:)[ \t]*(\{)?[ \t]*$`,
					beginCaptures: caps([null, S.bareQuoteBegin, S.statusKey, S.bareQuoteEnd, S.colon, S.bracketOpen]),
					while: R`^(?=[ \t]*(?:\{[ \t]*$|"[A-Z]+"[ \t]*:|"|\],?[ \t]*$))`,
					patterns: [
						{
							match: R`\G${IND}(")${COLON_LEVELS.re}(")(:)`,
							captures: caps([null, S.bareQuoteBegin, ...COLON_LEVELS.names, S.bareQuoteEnd, S.colon]),
						},
						{ include: '#status-recoverable-item' },
					],
				},
			],
		},
		'status-error-item': {
			patterns: [
				{
					begin: R`\G${IND}(-)[ \t]+`,
					beginCaptures: caps([null, S.listMarker]),
					end: END,
					contentName: S.statusErrorItem,
					patterns: [{ include: `${AZ}#text` }],
				},
				{
					begin: R`\G${IND}(")`,
					beginCaptures: caps([null, S.quoteBegin]),
					end: R`(")|${END}`,
					endCaptures: caps([null, S.quoteEnd]),
					contentName: S.statusErrorItem,
					patterns: [{ include: `${AZ}#string-content` }],
				},
			],
		},
		'status-recoverable-item': {
			patterns: [
				{
					begin: R`\G${IND}(-)[ \t]+`,
					beginCaptures: caps([null, S.listMarker]),
					end: END,
					contentName: S.statusRecoverableItem,
					patterns: [{ include: `${AZ}#text` }],
				},
				{
					begin: R`\G${IND}(")(?![A-Z]+")`,
					beginCaptures: caps([null, S.quoteBegin]),
					end: R`(")|${END}`,
					endCaptures: caps([null, S.quoteEnd]),
					contentName: S.statusRecoverableItem,
					patterns: [{ include: `${AZ}#string-content` }],
				},
			],
		},
		'failed-running': {
			comment: 'util.py[WARNING]: Failed running /var/lib/cloud/instance/scripts/part-001 [1]',
			match: R`\b(Failed running) (\S+) (\[)(-?\d+)(\])`,
			captures: caps([null, S.failScript, S.pathScript, S.bracketOpen, S.exitCode, S.bracketClose]),
		},
		'failed-module': {
			match: R`\b(Failed to run module) ([\w-]+)`,
			captures: caps([null, S.failModule, S.moduleName]),
		},
		'running-module': {
			match: R`\b(Running module) ([\w-]+)`,
			captures: caps([null, S.labelModule, S.moduleName]),
		},
		event: {
			comment: 'finish: modules-final/config-scripts-user: FAIL: running config-scripts-user ...',
			match: R`(?=[sf])\b(start|finish)(:) ([\w./-]+)(:)(?: (?:(SUCCESS)|(FAIL)|(WARN))(:))?`,
			captures: caps([null, S.event, S.colon, S.eventName, S.colon, S.eventSuccess, S.eventFail, S.eventWarn, S.colon]),
		},
		'datasource-failure': {
			match: R`(?=[NCR/])(?:\b(?:No Azure metadata found|Could not crawl Azure metadata|Reported failure to Azure fabric)|/(?<![\w/]/)dev/\w+ was not mountable)`,
			name: S.failDatasource,
		},
		'modules-ran': {
			match: R`\b(?:(Ran \d+ modules with 0 failures)|(Ran \d+ modules with [1-9]\d* failures?))`,
			captures: caps([null, S.success, S.failModule]),
		},
	},
};

// ---------------------------------------------------------------- write / check
const files = {
	'azcmagent-log.tmLanguage.json': az,
	'cloud-init-log.tmLanguage.json': ci,
};
const check = process.argv.includes('--check');
let stale = 0;
for (const [name, grammar] of Object.entries(files)) {
	const text = JSON.stringify(grammar, null, '\t') + '\n';
	const path = join(out, name);
	if (check) {
		let current = '';
		try {
			current = readFileSync(path, 'utf8');
		} catch {
			/* missing = stale */
		}
		if (current !== text) {
			console.error(`${path} is not what syntaxes/src/build-grammars.mjs generates: run node syntaxes/src/build-grammars.mjs`);
			stale++;
		}
	} else {
		writeFileSync(path, text);
		console.log(`wrote ${path}`);
	}
}
process.exitCode = stale ? 1 : 0;
