// The worker_threads pool of `arc-logs scan`: each worker scans whole inputs (a file, or a zip bundle entry by entry)
// and sends back only the compact result (findings and their context, problems, notes); the analysis stays in the
// worker and is dropped there. The workers run the CLI bundle itself (main.ts starts a worker when it is loaded as one).
import { Worker, parentPort, workerData } from 'node:worker_threads';
import { LIMITS, reason, type FoundFile } from '../node/inputs';
import type { ScannedFile } from './jsonl';
import type { CaseFailure } from '../core/features/case';
import type { Locale } from '../core/knowledge/types';

/** What one input (a file, a zip bundle, stdin) gave: its files' reports, and what to say on stderr. */
export interface UnitResult {
	readonly files: readonly ScannedFile[];
	readonly problems: readonly string[];
	readonly notes: readonly string[];
	/** The unit's first failure in time (a bundle's logs lined up), for the text report's closing line. */
	readonly first?: CaseFailure;
}

export interface UnitOptions {
	readonly locale: Locale;
	/** Keep each finding's context (run, boot, stage, time): jsonl needs it. */
	readonly context: boolean;
	/**
	 * Line the unit's files up in time for the first failure across files (the text report's last line, when a scan
	 * has two files or more). It reads every record's time: not done where nothing prints it.
	 */
	readonly firstFailure: boolean;
}

export type ScanUnit = (unit: FoundFile, options: UnitOptions) => UnitResult;

export const POOL: { script: string | undefined; started: number } = {
	/**
	 * The script a worker runs: the CLI bundle (server/out/cli.js). Set when the bundle runs as a program (main.ts);
	 * code that embeds the CLI (main() from another bundle) scans in process unless it sets this to the built CLI.
	 */
	script: undefined,
	/** Workers started in this process so far (a figure for tests and benchmarks). */
	started: 0,
};

interface Job {
	readonly id: number;
	readonly unit: FoundFile;
	readonly resolve: (r: UnitResult) => void;
}

const WORKER_TAG = 'arc-logs-scan-worker';

/** Scan units on `size` worker threads; results come back per unit (run() order is not completion order). */
export class ScanPool {
	private readonly idle: Worker[] = [];
	private readonly busy = new Map<Worker, Job>();
	private readonly queue: Job[] = [];
	private nextId = 0;
	private closed = false;

	constructor(
		private readonly size: number,
		private readonly options: UnitOptions,
	) {}

	run(unit: FoundFile): Promise<UnitResult> {
		return new Promise((resolve) => {
			this.queue.push({ id: this.nextId++, unit, resolve });
			this.pump();
		});
	}

	/** Stop the workers (results not yet delivered are lost: call after the last run() settled). */
	async close(): Promise<void> {
		this.closed = true;
		const all = [...this.idle, ...this.busy.keys()];
		this.idle.length = 0;
		await Promise.all(all.map((w) => w.terminate()));
	}

	private pump(): void {
		while (this.queue.length && !this.closed) {
			let w = this.idle.pop();
			if (!w) {
				if (this.busy.size >= this.size) return;
				w = this.spawn();
			}
			const job = this.queue.shift()!;
			this.busy.set(w, job);
			w.postMessage({ id: job.id, unit: job.unit, options: this.options });
		}
	}

	private spawn(): Worker {
		POOL.started++;
		const w = new Worker(POOL.script!, { workerData: { tag: WORKER_TAG, limits: { ...LIMITS } } });
		w.on('message', (m: { id: number; result: UnitResult }) => {
			const job = this.busy.get(w);
			if (!job || job.id !== m.id) return;
			this.busy.delete(w);
			this.idle.push(w);
			job.resolve(m.result);
			this.pump();
		});
		// A worker that dies (out of memory, a bug) fails only the input it was scanning; a new worker takes the rest.
		const lost = (why: string) => {
			const job = this.busy.get(w);
			this.busy.delete(w);
			const i = this.idle.indexOf(w);
			if (i >= 0) this.idle.splice(i, 1);
			if (job) job.resolve({ files: [], problems: [`${job.unit.path}: internal error: ${why}`], notes: [] });
			this.pump();
		};
		w.on('error', (e) => lost(reason(e)));
		w.on('exit', (code) => {
			if (!this.closed) lost(`the worker exited (${code})`);
		});
		return w;
	}
}

/** In a worker started by ScanPool: scan what the main thread sends. Returns false when this is no such worker. */
export function serveScanWorker(scan: ScanUnit): boolean {
	if (!parentPort || (workerData as { tag?: string } | undefined)?.tag !== WORKER_TAG) return false;
	Object.assign(LIMITS, (workerData as { limits: typeof LIMITS }).limits);
	const port = parentPort;
	port.on('message', (m: { id: number; unit: FoundFile; options: UnitOptions }) => {
		let result: UnitResult;
		try {
			result = scan(m.unit, m.options);
		} catch (e) {
			result = { files: [], problems: [`${m.unit.path}: ${reason(e, m.options.locale)}`], notes: [] };
		}
		port.postMessage({ id: m.id, result });
	});
	return true;
}
