// The knowledge base's data model. The data itself is compiled at build time from the vendored Microsoft Learn
// articles (server/knowledge/sources) by server/knowledge/compiler, into generated/knowledge.json. Nothing here is
// knowledge: only its shape.

export type Locale = 'en' | 'sv' | 'nl';
export const LOCALES: readonly Locale[] = ['en', 'sv', 'nl'];

export type EntryKind =
	| 'azcm' //          an AZCM error code (AZCM0026)
	| 'exit' //          an azcmagent process exit code (EXIT-26)
	| 'connection' //    a known error string of the connection-error tables (AUTH-SPN-INVALID-SECRET)
	| 'nexus' //         an Operator Nexus enrollment error (NEXUS-LOGIN)
	| 'cloud-init' //     a cloud-init failure signature (CI-SCRIPT-FAILED); text written by us
	| 'platform'; //      a failure of the tools around the agent (SH-COMMAND-NOT-FOUND, PKG-APT, CI-ERROR); ours

/** One source document: a Microsoft Learn article, or a file of our own (kind 'ours'). */
export interface Article {
	/** Stable key: 'en-2025', 'en-2020', 'nexus-2025', 'sv-2021', 'nl-2021', 'ours'. */
	readonly key: string;
	readonly title: string;
	/** ISO date, yyyy-mm-dd (the article's ms.date). */
	readonly date: string;
	readonly locale: Locale;
	/** The article's Learn URL (localized path for sv-se / nl-nl), without anchor. */
	readonly url: string;
	/** File name under server/knowledge/sources. */
	readonly file: string;
	/** 'learn' = Microsoft Learn text (CC BY 4.0), 'ours' = written by the Arc Logs authors. */
	readonly origin: 'learn' | 'ours';
	/** True for an older revision of an article (the 2020 English text, the 2021 translations). */
	readonly archived?: boolean;
	/** What the source is, in a sentence (from sources.json). */
	readonly note?: string;
}

/** An entry's text in one locale. Markdown (inline code, bold, links made absolute); never contains HTML. */
export interface EntryText {
	/** Short title: for AZCM codes the probable cause, for exit codes the description, for errors the message. */
	readonly title: string;
	readonly cause: string;
	/** Possible causes as a list, where the article lists several (Operator Nexus). */
	readonly causes?: readonly string[];
	readonly remediation: string;
	/** Numbered solution steps, where the article numbers them (Operator Nexus). Kept in order. */
	readonly steps?: readonly string[];
	/** Key of the Article this text comes from. */
	readonly source: string;
	/** Learn URL with the anchor of the section/table this text comes from. */
	readonly url: string;
	/** True when the text was written by us (our translation of a translated article, or our own signature). */
	readonly ours?: boolean;
	/** Known error strings: the error text as the article quotes it (one example per line). */
	readonly error?: string;
	/** Operator Nexus: the situation in which the article says the error appears. */
	readonly context?: string;
}

/** How a translation relates to the current English meaning (judged per code, recorded as data). */
export interface TranslationStatus {
	/** 'current': states the same cause as the 2025 English row; 'outdated': an older meaning, shown labelled by year. */
	readonly status: 'current' | 'outdated';
	readonly year: number;
	readonly reason?: string;
}

/**
 * A compiled matcher for a known error string. `regex` is a JS RegExp source (flags: `flags`), written to be linear
 * (no nested quantifiers); `anchor` is a lower-case literal that every match contains (a cheap indexOf prefilter).
 * Named groups carry the variable parts: action, scope, client, host, url, ip, guid, tenant, application, identity,
 * namespace, status.
 */
export interface Matcher {
	readonly regex: string;
	readonly flags: string;
	readonly anchor: string;
	/** The example text (as the source quotes it) this matcher was compiled from. */
	readonly example?: string;
}

export interface KnowledgeEntry {
	/** Stable id: 'AZCM0026', 'EXIT-26', 'AUTH-SPN-INVALID-SECRET', 'NEXUS-LOGIN', 'CI-SCRIPT-FAILED'. */
	readonly id: string;
	readonly kind: EntryKind;
	/** For kind 'azcm': the code, e.g. 'AZCM0026'. */
	readonly code?: string;
	/** For kind 'exit': the number. */
	readonly exitCode?: number;
	/** Text per locale; English always present. */
	readonly text: { readonly en: EntryText } & Partial<Record<'sv' | 'nl', EntryText>>;
	/** For sv/nl text: whether it states the current meaning. Absent for a locale = no translation. */
	readonly translation: Partial<Record<'sv' | 'nl', TranslationStatus>>;
	/** Known-string matchers (connection, nexus, cloud-init entries). Empty for codes. */
	readonly matchers: readonly Matcher[];
	/** Commands the remediation names, in order (`azcmagent check`, `az provider register --namespace ...`). */
	readonly commands: readonly string[];
	/** True for entries that mean success (AZCM0000, exit 0): never a finding. */
	readonly benign?: boolean;
	/** Other articles that also document this entry (key), e.g. the 2020 row merged into a 2025 row. */
	readonly alsoIn?: readonly string[];
	/** Footnotes that belong to this entry, in English (the 2020 GPO footnote). */
	readonly notes?: readonly string[];
	/** AZCM codes documented by a range or a multi-code row: that row's codes ('AZCM0127–AZCM0146'). */
	readonly documentedAs?: string;
	/** Platform entries: how severe a match is ('level': from the record's level). */
	readonly severity?: 'error' | 'warning' | 'level';
	/** Platform entries: which lines the signatures apply to (see arc-logs-platform.md). */
	readonly scope?: 'any' | 'leveled' | 'output';
}

/** A line that states a failure but is normal (ours). With `followedBy`, only when a line shortly after says so. */
export interface BenignRule extends Matcher {
	readonly followedBy?: Matcher;
	readonly why: string;
}

/** Facts of the Operator Nexus article that are not errors (roles, IMDS, NO_PROXY, CSN proxy). */
export interface NexusFacts {
	readonly requiredRoles: readonly string[];
	readonly imdsAddress: string;
	readonly csnProxy: string;
	readonly noProxy: string;
	readonly source: string;
	readonly url: string;
	/** Learn URLs (with anchor) of the sections each fact comes from. */
	readonly urls?: { readonly requiredRoles: string; readonly imds: string; readonly csnProxy: string };
}

export interface KnowledgeBase {
	/** Version of the data shape; bumped when the shape changes. */
	readonly schema: 1;
	readonly articles: readonly Article[];
	readonly entries: readonly KnowledgeEntry[];
	readonly nexus: NexusFacts;
	/** Regular expressions: a warning whose message matches one states a failure (ours). */
	readonly failureStatements: readonly string[];
	readonly benign: readonly BenignRule[];
	/** What a shell exit status means ('127' → command not found), per locale (ours). */
	readonly exitStatuses: Readonly<Record<string, Readonly<Record<Locale, string>>>>;
}
