// arc-logs: the command-line face of the same core the language server uses.
//   arc-logs scan [--format text|json|jsonl|sarif] [--locale en|sv|nl] [--output FILE] [--jobs N] [--exit-zero] PATH...
//   arc-logs explain CODE|EXIT|TEXT [--locale en|sv|nl] [--format text|json]
//   arc-logs redact [--kinds ids,tokens,secrets,ips,hosts,users|all] [--locale en|sv|nl] [FILE|-]
// Exit status: 0 = nothing (scan: no error-level finding; explain: found), 1 = error findings / nothing known,
// 2 = bad usage or unreadable input (one-line reason on stderr).
import { UsageError } from './args';
import { runExplain } from './explain';
import { runScan, scanUnit } from './scan';
import { POOL, serveScanWorker } from './pool';
import { isMainThread } from 'node:worker_threads';
import { runRedact } from './redact';
import { safeLine, safeTerminal } from '../core/report/report';
import { version } from '../../../package.json';

const USAGE = `usage: arc-logs <command> [options]

commands:
  scan [--format text|json|jsonl|sarif] [--locale en|sv|nl] [--output FILE] [--jobs N] [--exit-zero] PATH...
        Analyze log files, folders (recursively) and .zip, .tar.gz and .tar bundles; report every failure.
        jsonl: one finding per line (schema: arc-logs scan --help). --jobs: worker threads (default: the cores).
        Exit 0: no error-level finding, 1: error findings, 2: bad usage or unreadable input.
  explain CODE|EXIT|TEXT [--locale en|sv|nl] [--format text|json]
        What the troubleshooting articles say about AZCM0026, azcm26, "exit 26", or a pasted error text.
        Exit 0: found, 1: nothing known, 2: bad usage.
  redact [--kinds ids,tokens,secrets,ips,hosts,users|all] [--locale en|sv|nl] [FILE|-]
        The log (or standard input) on stdout with tenant, subscription, object and correlation ids, tokens and
        secrets replaced by stable placeholders (<tenant-1>, <secret-2>); --kinds adds ips, hosts, users
        (default: ids,tokens,secrets). Exit 0: done, 2: bad usage or unreadable input.

options:
  -h, --help     this help
  -v, --version  the version
`;

export interface Io {
	readonly stdout: (s: string) => void;
	readonly stderr: (s: string) => void;
	readonly isTTY: boolean;
	/** Standard input, for the PATH `-` (absent: `-` is an error). */
	readonly stdin?: AsyncIterable<Uint8Array>;
}

export async function main(argv: readonly string[], io: Io): Promise<number> {
	const [command, ...rest] = argv;
	try {
		switch (command) {
			case 'scan':
				return await runScan(rest, io);
			case 'explain':
				return await runExplain(rest, io);
			case 'redact':
				return await runRedact(rest, io);
			case '-v':
			case '--version':
				io.stdout(`${version}\n`);
				return 0;
			case undefined:
			case '-h':
			case '--help':
			case 'help':
				io.stdout(USAGE);
				return command === undefined ? 2 : 0;
			default:
				throw new UsageError(`unknown command '${command}'`);
		}
	} catch (e) {
		if (e instanceof UsageError) {
			io.stderr(`arc-logs: ${safeLine(e.message)}\n${USAGE.split('\n\n')[0]}\n`);
			return 2;
		}
		io.stderr(`arc-logs: internal error: ${safeTerminal(e instanceof Error ? e.stack ?? e.message : String(e))}\n`);
		return 2;
	}
}

// In a worker of the scan pool this bundle only scans what it is sent; run as a program it is the CLI.
if (!isMainThread) serveScanWorker(scanUnit);
else if (require.main === module) {
	POOL.script = __filename;
	// A reader that goes away (`arc-logs scan … | head`) ends the scan quietly: the report cannot be delivered.
	process.stdout.on('error', (e: NodeJS.ErrnoException) => {
		if (e.code !== 'EPIPE') throw e;
		process.exit(2);
	});
	main(process.argv.slice(2), {
		stdout: (s) => process.stdout.write(s),
		stderr: (s) => process.stderr.write(s),
		isTTY: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
		stdin: process.stdin,
	}).then((code) => {
		process.exitCode = code;
	});
}
