// Lines that look like failures but are not (LOG-FORMATS.md §1, §6): never flagged, whatever they contain.
const BENIGN: readonly RegExp[] = [
	// The agent's IMDS probe on machines that are not Azure VMs
	/169\.254\.169\.254[^\s"]{0,200}[\s\S]{0,120}(?:404|Not Found)|(?:404|Not Found)[\s\S]{0,120}169\.254\.169\.254/,
	/unable to communicate with endpoint "?http:\/\/169\.254\.169\.254/i,
	/\bAzure not detected\b/i,
	/\bCancelled change token\b/i,
	/\berrors?: 0\b/i,
	/\bwith 0 failures\b/i,
	/\b0 failures\b/,
	/\bmodule disabled\b/i,
	/Attempting to remove \S{0,300}boot-finished/,
];

export function isBenign(line: string): boolean {
	const s = line.length > 8192 ? line.slice(0, 8192) : line;
	return BENIGN.some((re) => re.test(s));
}
