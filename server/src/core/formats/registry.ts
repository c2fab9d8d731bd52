// Every format Arc Logs reads, in the order their head parsers are tried (the first that claims a line wins). Detection,
// the analyzer, hover, the CLI's folder walk and the manifest test all read this list: adding a format is a file that
// exports a descriptor, and its line here.
import { azcmagentConsole, azcmagentLog } from './azcmagent';
import { cloudInitLog, cloudInitOutput } from './cloud-init';
import { cloudInitStatus } from './cloud-init-status';
import type { FormatDescriptor, LanguageId } from './common';
import { gpo } from './gpo';
import { guestConfig } from './guest-config';
import { msi } from './msi';
import { powershell } from './powershell';
import { pythonLog } from './python-log';
import { systemd } from './systemd';
import { waagent } from './waagent';

export const FORMATS = [
	azcmagentLog,
	cloudInitLog,
	cloudInitOutput,
	azcmagentConsole,
	guestConfig,
	gpo,
	msi,
	waagent,
	pythonLog,
	systemd,
	powershell,
	cloudInitStatus,
] as const;

/** A format id; 'plain' = nothing recognised (script output, pasted text): still scanned for codes and signatures. */
export type FormatId = (typeof FORMATS)[number]['id'] | 'plain';

const byId = new Map<string, FormatDescriptor>(FORMATS.map((f) => [f.id, f]));

export function formatById(id: string): FormatDescriptor | undefined {
	return byId.get(id);
}

/** The format a file name suggests, if any (the base name is matched). */
export function formatFromName(fileName: string | undefined): FormatId | undefined {
	if (!fileName) return undefined;
	const base = fileName.split(/[/\\]/).pop() ?? fileName;
	for (const f of FORMATS) if (f.fileNames?.some((re) => re.test(base))) return f.id;
	return undefined;
}

/** The editor language of a format ('plain' has none). */
export function languageOf(id: FormatId): LanguageId | undefined {
	return byId.get(id)?.language;
}
