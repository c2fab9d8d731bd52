// One regular expression per concept the analyzer and the hover both recognise in log text.

/** An AZCM error code in any case (`AZCM0026`, `azcm0026`); the code is its upper-case form. Use with lastIndex = 0. */
export const AZCM_CODE = /\bAZCM\d{4}\b/gi;

/**
 * An exit status a wrapper printed for azcmagent: `exitcode: 42`, `exit code 42`, `exit status 42`, `exited with code
 * 42`, `return code 42`; group 1 is the number. Use with lastIndex = 0.
 */
export const EXIT_STATUS = /(?:\bexitcode|\bexit code|\bexit status|\bexited with(?: code| status)?|\breturn(?:ed)? code)\s{0,4}[:=]?\s{0,4}(?:>>\s{0,4})?(\d{1,3})\b/gi;
