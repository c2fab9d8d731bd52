// The members of an archive as a tree of folders and files (what a file system shows), built from the members'
// safe names. A name is taken once: a second member of the same name, or a file where a folder of that name is, is
// reported and left out, so every path in the tree is either a file or a folder.
import type { ArchiveMember, ArchiveProblem } from './types';

/** Collects members by name, first wins. */
export class MemberSet<M extends ArchiveMember> {
	private readonly files = new Set<string>();
	private readonly folders = new Set<string>();
	constructor(
		private readonly members: M[],
		private readonly problems: ArchiveProblem[],
	) {}
	add(m: M): void {
		if (this.files.has(m.name) || this.folders.has(m.name) || parents(m.name).some((p) => this.files.has(p))) {
			this.problems.push({ kind: 'duplicate', entry: m.name });
			return;
		}
		this.files.add(m.name);
		for (const p of parents(m.name)) this.folders.add(p);
		this.members.push(m);
	}
}

/** `a/b/c` → `a`, `a/b`. */
export function parents(name: string): string[] {
	const out: string[] = [];
	for (let i = name.indexOf('/'); i >= 0; i = name.indexOf('/', i + 1)) out.push(name.slice(0, i));
	return out;
}

export type TreeNode = { readonly type: 'file'; readonly member: ArchiveMember } | { readonly type: 'folder'; readonly children: Map<string, TreeNode> };

/** The folder tree of members (whose names MemberSet made unique and consistent). Path '' is the root. */
export class ArchiveTree {
	readonly root: TreeNode & { type: 'folder' } = { type: 'folder', children: new Map() };
	constructor(members: readonly ArchiveMember[]) {
		for (const m of members) {
			const parts = m.name.split('/');
			let dir = this.root;
			for (const part of parts.slice(0, -1)) {
				let next = dir.children.get(part);
				if (!next || next.type !== 'folder') dir.children.set(part, (next = { type: 'folder', children: new Map() }));
				dir = next;
			}
			dir.children.set(parts[parts.length - 1], { type: 'file', member: m });
		}
	}

	/** The node at `path` ('a/b', with or without leading and trailing slashes), or undefined. */
	get(path: string): TreeNode | undefined {
		let node: TreeNode = this.root;
		for (const part of path.split('/')) {
			if (!part) continue;
			if (node.type !== 'folder') return undefined;
			const next = node.children.get(part);
			if (!next) return undefined;
			node = next;
		}
		return node;
	}

	/** The files under `path`, recursively, by name. */
	files(path = ''): ArchiveMember[] {
		const node = this.get(path);
		const out: ArchiveMember[] = [];
		const visit = (n: TreeNode) => {
			if (n.type === 'file') out.push(n.member);
			else for (const c of n.children.values()) visit(c);
		};
		if (node) visit(node);
		return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
	}
}
