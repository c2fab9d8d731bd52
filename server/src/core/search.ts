// Binary search over lists sorted by a number (records and sections by their first line, findings by theirs, line
// offsets): the one search the analysis, the features and the CLI share.

/** Index of the last item whose key is at or before `x` in a list sorted by that key; -1 when none is. */
export function lastAtOrBefore<T>(list: ArrayLike<T>, key: (item: T) => number, x: number): number {
	let lo = 0;
	let hi = list.length - 1;
	let at = -1;
	while (lo <= hi) {
		const mid = (lo + hi) >> 1;
		if (key(list[mid]) <= x) {
			at = mid;
			lo = mid + 1;
		} else hi = mid - 1;
	}
	return at;
}

/** Sections, records: by their first line. */
export const startLine = (x: { readonly startLine: number }): number => x.startLine;
