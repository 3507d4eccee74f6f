/**
 * Declarative subcommands for the `duraflow` CLI: each command lists its flags (with help text,
 * aliases, required flags and allowed values); {@link runGroup} picks the subcommand, prints help
 * for `--help`, and turns every command-line mistake into a {@link CliError} naming the flag.
 *
 * @example
 * ```ts
 * await runGroup(WORKFLOW_GROUP, ['describe', '--workflow-id', 'order-1', '-o', 'json']);
 * ```
 */
import { CliError, parseFlags, type FlagSpec, type ParsedFlags } from './flags.js';

/** One flag of a command, with what `--help` says about it. */
export interface FlagDef extends FlagSpec {
  readonly description: string;
  /** The command fails with a usage error when the flag is missing. */
  readonly required?: boolean;
  /** The value's placeholder in help (`ID`, `JSON`, ...). @default 'VALUE' */
  readonly arg?: string;
  /** Other long names accepted for the flag (`--name` for `--type`). */
  readonly aliases?: readonly string[];
  /** Accepted values (compared case-insensitively). */
  readonly choices?: readonly string[];
}

export type FlagDefs = Readonly<Record<string, FlagDef>>;

/** What a command's `run` receives: the parsed flags under their canonical names. */
export interface CommandArgs {
  readonly values: Readonly<Record<string, string | undefined>>;
  readonly lists: Readonly<Record<string, string[] | undefined>>;
  readonly bools: Readonly<Record<string, boolean | undefined>>;
}

/** A subcommand such as `workflow start`. */
export interface CommandDef {
  /** Name within its group; may be two words (`update start`). */
  readonly name: string;
  readonly summary: string;
  readonly examples: readonly string[];
  readonly flags: FlagDefs;
  /** Left out of the group's command list (an alternative spelling of another command). */
  readonly hidden?: boolean;
  readonly run: (args: CommandArgs) => Promise<void>;
}

/** A command group such as `workflow`, with flags shared by all its commands. */
export interface CommandGroup {
  readonly name: string;
  readonly summary: string;
  readonly commands: readonly CommandDef[];
  readonly sharedFlags: FlagDefs;
  /** Heading of the shared flags in help. */
  readonly sharedFlagsTitle: string;
}

const HELP_FLAGS = new Set(['--help', '-h']);
const HELP_FLAG: FlagDef = { kind: 'bool', short: 'h', description: 'Show this help' };

function flagLabel(name: string, def: FlagDef): string {
  const short = def.short ? `, -${def.short}` : '';
  const value = def.kind === 'bool' ? '' : ` ${def.arg ?? 'VALUE'}`;
  return `--${name}${short}${value}`;
}

function flagLines(flags: FlagDefs): string[] {
  const entries = Object.entries(flags);
  const labels = entries.map(([name, def]) => flagLabel(name, def));
  const width = Math.min(34, Math.max(...labels.map((l) => l.length)));
  return entries.map(([, def], i) => {
    const label = labels[i] ?? '';
    const notes = [
      def.required ? 'required' : '',
      def.kind === 'list' ? 'repeatable' : '',
      def.aliases?.length ? `alias ${def.aliases.map((a) => `--${a}`).join(', ')}` : '',
    ].filter(Boolean);
    const suffix = notes.length > 0 ? ` (${notes.join('; ')})` : '';
    const pad = label.length > width ? `\n    ${' '.repeat(width)}` : ' '.repeat(width - label.length);
    return `  ${label}${pad}  ${def.description}${suffix}`;
  });
}

/** The `--help` text of a command. */
export function commandHelp(group: CommandGroup, command: CommandDef): string {
  const lines = [`duraflow ${group.name} ${command.name}: ${command.summary}`, '', `Usage: duraflow ${group.name} ${command.name} [flags]`];
  if (command.examples.length > 0) lines.push('', 'Examples:', ...command.examples.map((e) => `  ${e}`));
  if (Object.keys(command.flags).length > 0) lines.push('', 'Flags:', ...flagLines(command.flags));
  lines.push('', `${group.sharedFlagsTitle}:`, ...flagLines({ ...group.sharedFlags, help: HELP_FLAG }));
  return `${lines.join('\n')}\n`;
}

/** The `--help` text of a group: its commands and shared flags. */
export function groupHelp(group: CommandGroup): string {
  const visible = group.commands.filter((c) => !c.hidden);
  const width = Math.max(...visible.map((c) => c.name.length));
  const lines = [
    `duraflow ${group.name}: ${group.summary}`,
    '',
    `Usage: duraflow ${group.name} <command> [flags]`,
    '',
    'Commands:',
    ...visible.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    `${group.sharedFlagsTitle}:`,
    ...flagLines(group.sharedFlags),
    '',
    `Run "duraflow ${group.name} <command> --help" for the flags of a command.`,
  ];
  return `${lines.join('\n')}\n`;
}

/** Parser spec with every alias as its own entry. */
function parserSpec(flags: FlagDefs): Record<string, FlagSpec> {
  const spec: Record<string, FlagSpec> = {};
  for (const [name, def] of Object.entries(flags)) {
    spec[name] = def;
    for (const alias of def.aliases ?? []) spec[alias] = { kind: def.kind };
  }
  return spec;
}

/** Moves values given under an alias to the flag's canonical name. */
function foldAliases(parsed: ParsedFlags, flags: FlagDefs): void {
  for (const [name, def] of Object.entries(flags)) {
    for (const alias of def.aliases ?? []) {
      const value = parsed.values[alias];
      if (value !== undefined) parsed.values[name] ??= value;
      const list = parsed.lists[alias];
      if (list !== undefined) parsed.lists[name] = [...(parsed.lists[name] ?? []), ...list];
      const bool = parsed.bools[alias];
      if (bool !== undefined) parsed.bools[name] ??= bool;
    }
  }
}

function isGiven(parsed: ParsedFlags, name: string, def: FlagDef): boolean {
  if (def.kind === 'bool') return parsed.bools[name] !== undefined;
  if (def.kind === 'list') return (parsed.lists[name]?.length ?? 0) > 0;
  return parsed.values[name] !== undefined;
}

/** Checks required flags and allowed values; canonicalizes the case of choice values. */
function validate(parsed: ParsedFlags, flags: FlagDefs, commandName: string): void {
  for (const [name, def] of Object.entries(flags)) {
    if (def.required && !isGiven(parsed, name, def)) {
      throw new CliError(`missing required flag --${name} for "duraflow ${commandName}"`);
    }
    if (!def.choices) continue;
    const value = parsed.values[name];
    if (value !== undefined) parsed.values[name] = choice(def.choices, name, value);
    const list = parsed.lists[name];
    if (list !== undefined) parsed.lists[name] = list.map((v) => choice(def.choices ?? [], name, v));
  }
}

function choice(choices: readonly string[], name: string, value: string): string {
  const match = choices.find((c) => c.toLowerCase() === value.toLowerCase());
  if (match === undefined) throw new CliError(`--${name} must be one of ${choices.join(', ')}; got "${value}"`);
  return match;
}

/** Parses a command's arguments, with a usage error for an unknown flag or stray argument. */
export function parseCommandArgs(argv: readonly string[], flags: FlagDefs, commandName: string): CommandArgs {
  const parsed = parseFlags(argv, parserSpec(flags));
  const unknown = parsed.unknown[0];
  if (unknown !== undefined) throw new CliError(`unknown flag ${unknown} for "duraflow ${commandName}"; run "duraflow ${commandName} --help"`);
  const stray = parsed.positionals[0];
  if (stray !== undefined) throw new CliError(`unexpected argument "${stray}" for "duraflow ${commandName}"`);
  foldAliases(parsed, flags);
  validate(parsed, flags, commandName);
  return { values: parsed.values, lists: parsed.lists, bools: parsed.bools };
}

/** Finds the command named by one or two leading words (`update start` before `update`). */
function findCommand(group: CommandGroup, argv: readonly string[]): { command: CommandDef; rest: readonly string[] } | undefined {
  const [first, second] = argv;
  const two = second !== undefined ? group.commands.find((c) => c.name === `${first} ${second}`) : undefined;
  if (two) return { command: two, rest: argv.slice(2) };
  const one = group.commands.find((c) => c.name === first);
  return one ? { command: one, rest: argv.slice(1) } : undefined;
}

/**
 * Runs `duraflow <group> <command> [flags]`: prints help for no command / `--help`, otherwise
 * parses the flags and calls the command.
 */
export async function runGroup(group: CommandGroup, argv: readonly string[], write = (s: string) => void process.stdout.write(s)): Promise<void> {
  const [first] = argv;
  if (first === undefined || first === 'help' || HELP_FLAGS.has(first)) {
    write(groupHelp(group));
    return;
  }
  const found = findCommand(group, argv);
  if (!found) throw new CliError(`unknown command "duraflow ${group.name} ${first}"; run "duraflow ${group.name} --help"`);
  const { command, rest } = found;
  if (rest.some((a) => HELP_FLAGS.has(a))) {
    write(commandHelp(group, command));
    return;
  }
  const flags = { ...group.sharedFlags, ...command.flags };
  await command.run(parseCommandArgs(rest, flags, `${group.name} ${command.name}`));
}
