// Deterministic (seeded) log generators for the benchmarks: the same bytes on every run and every machine.
// Files go to .cache/bench/ (git-ignored) and are kept between runs.
import { existsSync, mkdirSync, openSync, writeSync, closeSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const dir = new URL('../.cache/bench/', import.meta.url).pathname;

// A small deterministic PRNG (mulberry32), so every run scans the same bytes.
function rng(seed) {
	return () => {
		seed |= 0;
		seed = (seed + 0x6d2b79f5) | 0;
		let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}
const guid = (r) => 'xxxxxxxx-xxxx-4xxx-8xxx-xxxxxxxxxxxx'.replace(/x/g, () => Math.floor(r() * 16).toString(16));

/**
 * The himds/azcmagent mix of the issue-10 measurements: 9.5 % of the records are `level=error` token-refresh retries
 * (each a finding), 0.3 % start a run, 0.1 % fail one.
 */
export function azcmagentLine(r, i, x = r()) {
	const ts = new Date(Date.UTC(2024, 2, 2, 8, 0, 0) + i * 1000).toISOString().replace('.000', '');
	if (x < 0.55) return `time="${ts}" level=debug msg="Sending heartbeat" Correlation ID=${guid(r)} Request URL=https://eastus.his.arc.azure.com/machines/${guid(r)}/heartbeat`;
	if (x < 0.8) return `time="${ts}" level=info msg="Checking extension status" Extension=AzureMonitorLinuxAgent Status Code=200`;
	if (x < 0.9) return `time="${ts}" level=debug msg="Request to http://169.254.169.254/metadata/instance/compute?api-version=2020-06-01 returned 404 Not Found"`;
	if (x < 0.995) return `time="${ts}" level=error msg="unable to refresh token, will retry" error="Post \\"https://login.microsoftonline.com/${guid(r)}/oauth2/token\\": context deadline exceeded"`;
	if (x < 0.998) return `time="${ts}" level=info msg="Agent Command: connect"`;
	if (x < 0.999) return `time="${ts}" level=info msg="Exit Code:  AZCM0026: Network Error"`;
	return `time="${ts}" level=fatal msg="RequestCorrelationId:${guid(r)} Message: The client 'ops@contoso.com' with object id '${guid(r)}' does not have authorization to perform action 'Microsoft.HybridCompute/machines/write' over scope '/subscriptions/${guid(r)}/resourcegroups/rg/providers/Microsoft.HybridCompute/machines/vm${i}' or the scope is invalid. Code: AuthorizationFailed httpStatusCode:403 "`;
}

/**
 * A long-lived machine's azcmagent.log: the same records, but the agent is healthy most of the time (one error record
 * in 2,000, one run in 5,000): what most large logs look like, and what an append costs when findings are few.
 */
export function azcmagentQuietLine(r, i) {
	const y = r();
	return azcmagentLine(r, i, y < 0.9995 ? y * 0.9 : 0.9 + (y - 0.9995) * 200);
}

export function cloudInitLine(r, i) {
	const x = r();
	if (i % 5000 === 0) return `Cloud-init v. 23.4.4-0ubuntu0~22.04.1 running 'modules:final' at Tue, 04 Jun 2024 07:01:30 +0000. Up ${(i / 1000).toFixed(2)} seconds.`;
	if (x < 0.4) return `+ curl -sSL https://packages.microsoft.com/config/ubuntu/22.04/packages-microsoft-prod.deb -o /tmp/p${i}.deb`;
	if (x < 0.7) return `Get:${i % 90} http://azure.archive.ubuntu.com/ubuntu jammy-updates/main amd64 libssl3 amd64 3.0.2-0ubuntu1.15 [1905 kB]`;
	if (x < 0.9) return `ci-info: |   ${i % 9}   | 10.0.0.0/24 |   0.0.0.0   | 255.255.255.0 |    eth0   |   U   |`;
	if (x < 0.998) return `2024-06-04 07:01:55,118 - util.py[DEBUG]: Running command ['systemctl', 'is-active', 'walinuxagent'] with allowed return codes [0] (shell=False, capture=True)`;
	if (x < 0.999) return 'ERROR: Failed to login with system-assigned managed identity';
	return `2024-06-04 07:01:55,118 - util.py[WARNING]: Failed running /var/lib/cloud/instance/scripts/part-${String(i % 1000).padStart(3, '0')} [1]`;
}

export function generate(name, mb, line) {
	mkdirSync(dir, { recursive: true });
	const path = join(dir, `${name}-${mb}mb.log`);
	if (existsSync(path) && statSync(path).size >= mb * 1024 * 1024) return path;
	const fd = openSync(path, 'w');
	const r = rng(mb * 7919);
	let bytes = 0;
	let chunk = [];
	for (let i = 0; bytes < mb * 1024 * 1024; i++) {
		const l = line(r, i) + '\n';
		bytes += Buffer.byteLength(l);
		chunk.push(l);
		if (chunk.length === 10000) {
			writeSync(fd, chunk.join(''));
			chunk = [];
		}
	}
	writeSync(fd, chunk.join(''));
	closeSync(fd);
	return path;
}

