// Support bundles in memory: a zip (`azcmagent logs`), a tar or a tar.gz (`cloud-init collect-logs`), recognised by
// their bytes, not their names. openArchive lists the members (safe names, bounded counts and sizes) and reads one
// member at a time. Pure: no Node API, no vscode; it runs in the CLI, the extension host and a browser alike.
import { LIMITS } from './limits';
import { gunzipBounded, isGzip, isTar, listTar, readTarMember, type TarMember } from './tar';
import { ArchiveTree } from './tree';
import type { ArchiveFormat, ArchiveMember, ArchiveProblem, MemberRead } from './types';
import { findEocd, isZip, listZip, readZipMember, type ZipMember } from './zip';

export { LIMITS, safeEntryName } from './limits';
export { ArchiveTree, type TreeNode } from './tree';
export { describeArchiveProblem, type ArchiveFormat, type ArchiveMember, type ArchiveProblem, type MemberRead } from './types';
export { isZip } from './zip';
export { isGzip, isTar } from './tar';

export interface Archive {
	/** Undefined when the bytes are no archive we read (see problems). */
	readonly format: ArchiveFormat | undefined;
	/** Files only (folders are implied by the names), in archive order. */
	readonly members: readonly ArchiveMember[];
	readonly problems: readonly ArchiveProblem[];
	readonly tree: ArchiveTree;
	read(name: string): MemberRead;
}

/** Which archive the bytes are, from their head. */
export function archiveFormat(head: Uint8Array): ArchiveFormat | undefined {
	if (isZip(head)) return 'zip';
	if (isGzip(head)) return 'tar.gz';
	if (isTar(head)) return 'tar';
	return undefined;
}

/** Whether a file name looks like a bundle we open (the Explorer menu and the open dialog use the same rule). */
export const ARCHIVE_NAME = /\.(?:zip|tar|tar\.gz|tgz)$/i;

export function openArchive(bytes: Uint8Array): Archive {
	const none = (problem: ArchiveProblem): Archive => ({ format: undefined, members: [], problems: [problem], tree: new ArchiveTree([]), read: () => ({ error: { kind: 'not-an-archive' } }) });
	if (bytes.length === 0) return none({ kind: 'empty' });
	if (bytes.length > LIMITS.maxZipBytes) return none({ kind: 'too-large', limit: LIMITS.maxZipBytes });
	const format = archiveFormat(bytes) ?? (findEocd(bytes) >= 0 ? 'zip' : undefined);
	if (format === 'zip') {
		const { members, problems } = listZip(bytes);
		return make(format, members, problems, (m) => readZipMember(bytes, m as ZipMember));
	}
	if (format === 'tar.gz' || format === 'tar') {
		let tar = bytes;
		const problems: ArchiveProblem[] = [];
		if (format === 'tar.gz') {
			const gz = gunzipBounded(bytes);
			tar = gz.bytes;
			problems.push(...gz.problems);
			if (!isTar(tar)) return none(problems[0] ?? { kind: tar.length === 0 || tar.every((b) => b === 0) ? 'empty' : 'not-an-archive' });
		}
		const index = listTar(tar);
		problems.push(...index.problems);
		return make(format, index.members, problems, (m) => readTarMember(tar, m as TarMember));
	}
	return none({ kind: 'not-an-archive' });
}

function make(format: ArchiveFormat, members: readonly ArchiveMember[], problems: ArchiveProblem[], read: (m: ArchiveMember) => MemberRead): Archive {
	const tree = new ArchiveTree(members);
	if (!members.length && !problems.length) problems.push({ kind: 'empty' });
	return {
		format,
		members,
		problems,
		tree,
		read(name) {
			const node = tree.get(name);
			if (!node || node.type !== 'file') return { error: { kind: 'missing', entry: name } };
			return read(node.member);
		},
	};
}
