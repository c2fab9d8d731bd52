// URIs of the members of a support bundle opened in place: `arc-bundle://<archive>/<member path>`. The member's path
// is the URI's path, so a member's file name (and the language association by name) is its own; the archive's URI
// is in the authority, hex-encoded (an authority holds no `/` or `:`, and is compared without case: hex survives
// both, so that every archive is a root of its own). Used by the client's file system provider, the server and the
// Failures view. Pure.
import { URI } from 'vscode-uri';

export const BUNDLE_SCHEME = 'arc-bundle';

function toHex(s: string): string {
	let out = '';
	for (const b of new TextEncoder().encode(s)) out += b.toString(16).padStart(2, '0');
	return out;
}

function fromHex(hex: string): string | undefined {
	if (hex.length % 2 || !/^[0-9a-f]*$/i.test(hex)) return undefined;
	const bytes = new Uint8Array(hex.length / 2);
	for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
	try {
		return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
	} catch {
		return undefined;
	}
}

/** The URI of `member` (a path inside the archive, '' for its root) of the archive at `archiveUri`. */
export function bundleUri(archiveUri: string, member: string): string {
	const path = '/' + member.split('/').filter(Boolean).join('/');
	return URI.from({ scheme: BUNDLE_SCHEME, authority: toHex(archiveUri), path }).toString();
}

export interface ParsedBundleUri {
	/** The archive's own URI (`file:///…/bundle.zip`). */
	readonly archive: string;
	/** The member's path inside the archive, without a leading slash ('' for the root). */
	readonly member: string;
}

/** The archive and member of an `arc-bundle:` URI, or undefined for any other URI. */
export function parseBundleUri(uri: string): ParsedBundleUri | undefined {
	let parsed: URI;
	try {
		parsed = URI.parse(uri, true);
	} catch {
		return undefined;
	}
	if (parsed.scheme !== BUNDLE_SCHEME || !parsed.authority) return undefined;
	const archive = fromHex(parsed.authority);
	if (archive === undefined) return undefined;
	return { archive, member: parsed.path.split('/').filter(Boolean).join('/') };
}
