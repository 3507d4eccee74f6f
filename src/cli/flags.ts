/** A small flag parser: `--name value`, `--name=value`, `-n value`, repeatable lists and booleans. */

export interface FlagSpec {
  readonly kind: 'value' | 'list' | 'bool';
  readonly short?: string;
}

/** An error in the command line: printed as one line, exit code 2. */
export class CliError extends Error {
  override readonly name = 'CliError';
}

export interface ParsedFlags {
  values: Record<string, string | undefined>;
  lists: Record<string, string[] | undefined>;
  bools: Record<string, boolean | undefined>;
  positionals: string[];
  /** Flags not in the spec (with their values skipped when they look like `--x=v` or `--x v`). */
  unknown: string[];
}

export function parseFlags(argv: readonly string[], spec: Record<string, FlagSpec>): ParsedFlags {
  const out: ParsedFlags = { values: {}, lists: {}, bools: {}, positionals: [], unknown: [] };
  const byShort = new Map(Object.entries(spec).flatMap(([name, s]) => (s.short ? [[s.short, name] as const] : [])));
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith('-') || arg === '-') {
      out.positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const rawName = (eq >= 0 ? arg.slice(0, eq) : arg).replace(/^--?/, '');
    const name = arg.startsWith('--') ? rawName : (byShort.get(rawName) ?? rawName);
    const s = spec[name];
    const inline = eq >= 0 ? arg.slice(eq + 1) : undefined;
    if (!s) {
      out.unknown.push(arg.startsWith('--') ? `--${rawName}` : `-${rawName}`);
      if (inline === undefined && argv[i + 1] !== undefined && !(argv[i + 1] as string).startsWith('-')) i++;
      continue;
    }
    if (s.kind === 'bool') {
      out.bools[name] = inline === undefined ? true : inline !== 'false';
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) throw new CliError(`flag --${name} needs a value`);
    if (s.kind === 'value') out.values[name] = value;
    else (out.lists[name] ??= []).push(value);
  }
  return out;
}
