// A small, strict argument parser shared by the CLI's subcommands. Unknown flags are errors (exit 2), not ignored.

export class UsageError extends Error {}

export interface FlagSpec {
	/** Flags that take a value, with their allowed values (undefined = any). */
	readonly values: Readonly<Record<string, readonly string[] | undefined>>;
	/** Flags without a value. */
	readonly switches: readonly string[];
}

export interface ParsedArgs {
	readonly flags: Readonly<Record<string, string>>;
	readonly switches: ReadonlySet<string>;
	readonly positionals: readonly string[];
}

export function parseArgs(argv: readonly string[], spec: FlagSpec): ParsedArgs {
	const flags: Record<string, string> = {};
	const switches = new Set<string>();
	const positionals: string[] = [];
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		if (arg === '--') {
			positionals.push(...argv.slice(i + 1));
			break;
		}
		if (!arg.startsWith('-') || arg === '-') {
			positionals.push(arg);
			continue;
		}
		const eq = arg.indexOf('=');
		const name = eq > 0 ? arg.slice(0, eq) : arg;
		if (spec.switches.includes(name)) {
			if (eq > 0) throw new UsageError(`${name} takes no value`);
			switches.add(name);
			continue;
		}
		if (!(name in spec.values)) throw new UsageError(`unknown option ${name}`);
		const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
		if (value === undefined) throw new UsageError(`${name} needs a value`);
		const allowed = spec.values[name];
		if (allowed && !allowed.includes(value)) throw new UsageError(`${name} must be one of ${allowed.join(', ')} (got '${value}')`);
		flags[name] = value;
	}
	return { flags, switches, positionals };
}
