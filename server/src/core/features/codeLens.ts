// A CodeLens on the first line: "N failures · first at 09:01:07 · Go to first failure".
import type { CodeLens } from 'vscode-languageserver-types';
import type { Locale } from '../knowledge/types';
import { t } from '../l10n';
import type { Analysis } from '../model';
import { Commands } from './codeActions';
import { effectiveFindings, isFailure } from './diagnostics';
import { timeAtLine } from './locate';
import type { Settings } from './settings';

export function provideCodeLenses(analysis: Analysis, settings: Pick<Settings, 'severityOverrides'>, uri: string, locale: Locale): CodeLens[] {
	const failures = effectiveFindings(analysis, settings).filter((f) => isFailure(f.severity));
	if (failures.length === 0) return [];
	const first = failures[0].finding;
	const count = failures.length === 1 ? t(locale, '1 failure') : t(locale, '{0} failures', failures.length);
	const time = timeAtLine(analysis, first.range.start.line);
	const parts = [count, time ? t(locale, 'first at {0}', time) : t(locale, 'first on line {0}', first.range.start.line + 1), t(locale, 'Go to first failure')];
	return [
		{
			range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
			command: { title: parts.join(' · '), command: Commands.goToFailure, arguments: [uri, first.range.start.line, first.range.start.character] },
		},
	];
}
