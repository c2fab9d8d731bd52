// arc-bundle: URIs (server/src/core/bundleUri.ts): a member's path is the URI path (so its file name is the
// member's), and the archive's URI comes back exactly, whatever characters it holds.
import * as assert from 'node:assert/strict';
import { URI, Utils } from 'vscode-uri';
import { BUNDLE_SCHEME, bundleUri, parseBundleUri } from '../../server/src/core/bundleUri';

describe('bundleUri', () => {
	const archives = [
		'file:///home/ops/Downloads/azcmagent-logs-240601.zip',
		'file:///c%3A/Users/Ops%20Team/Tickets/%23123%20%C3%A5%C3%A4%C3%B6/cloud-init.tar.gz',
		'vscode-remote://ssh-remote%2Bhost/var/tmp/bundle.tgz',
		'file:///tmp/a?b#c.zip',
	];
	const members = ['azcmagent.log', 'var/log/cloud-init-output.log', 'GC/gc_agent (2).log', 'odd/#?%/ä.log', ''];

	it('round-trips archive and member, with the member as the path', () => {
		for (const archive of archives) {
			for (const member of members) {
				const uri = bundleUri(archive, member);
				assert.deepEqual(parseBundleUri(uri), { archive, member }, uri);
				const parsed = URI.parse(uri);
				assert.equal(parsed.scheme, BUNDLE_SCHEME);
				assert.equal(parsed.path, '/' + member);
				assert.equal(parsed.query, '');
				if (member) assert.equal(Utils.basename(parsed), member.split('/').pop());
			}
		}
	});

	it('gives every archive its own root (authority), in lower case', () => {
		const a = URI.parse(bundleUri(archives[0], ''));
		const b = URI.parse(bundleUri(archives[0].replace('240601', '240602'), ''));
		assert.notEqual(a.authority.toLowerCase(), b.authority.toLowerCase());
		assert.equal(a.authority, a.authority.toLowerCase());
		assert.equal(bundleUri(archives[0], '/x//y/'), bundleUri(archives[0], 'x/y'));
	});

	it('a child URI made by joining paths (as the Explorer does) parses to the child member', () => {
		const root = URI.parse(bundleUri(archives[1], ''));
		assert.deepEqual(parseBundleUri(Utils.joinPath(root, 'var', 'log', 'cloud-init.log').toString()), { archive: archives[1], member: 'var/log/cloud-init.log' });
	});

	it('is undefined for other URIs and for a damaged authority', () => {
		assert.equal(parseBundleUri('file:///tmp/azcmagent.log'), undefined);
		assert.equal(parseBundleUri('arc-bundle:/azcmagent.log'), undefined);
		assert.equal(parseBundleUri('arc-bundle://zz/azcmagent.log'), undefined);
		assert.equal(parseBundleUri('arc-bundle://ff/azcmagent.log'), undefined, 'not UTF-8');
		assert.equal(parseBundleUri('not a uri at all'), undefined);
	});
});
