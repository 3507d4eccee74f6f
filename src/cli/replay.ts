/**
 * `duraflow replay <history files or folders...> --workflows <path>`: replays recorded histories
 * against workflow code (no server needed) and exits 1 if any no longer replays — the check to run
 * before deploying a change to workflow code. Folders are searched for `.json` and `.bin` files.
 * `-o json` prints `[{ file, workflowId, ok, error? }]`.
 *
 * @example
 * ```sh
 * duraflow workflow show -w order-1 -o json > histories/order-1.json
 * duraflow replay histories/ --workflows src/workflows.ts
 * ```
 */
import { resolve } from 'node:path';
import { DefaultLogger } from '../common/logger.js';
import type { ReplayWorkerOptions } from '../worker/index.js';
import { listHistoryFiles, replayHistoryFiles, type HistoryFileReplayResult } from '../worker/replay/history-files.js';
import { CliError, parseFlags, type FlagSpec } from './flags.js';
import { OUTPUT_FORMATS, Printer, type OutputFormat } from './output.js';
import { ReplayProgress } from './replay-progress.js';

const FLAGS: Readonly<Record<string, FlagSpec>> = {
  workflows: { kind: 'value' },
  'workflow-bundle': { kind: 'value' },
  recursive: { kind: 'bool', short: 'r' },
  output: { kind: 'value', short: 'o' },
  help: { kind: 'bool', short: 'h' },
};

export const REPLAY_HELP = `duraflow replay: Replay recorded workflow histories against workflow code

Usage: duraflow replay <history files or folders...> --workflows PATH [flags]

Replays each history with the same sandbox and state machines as a worker and reports, per file,
whether the workflow code still produces the recorded commands. Exits 1 if any file fails.
Folders are searched for .json files (temporal/duraflow "workflow show -o json", the Web UI's
download, historyToJSON, or {"workflowId": ..., "history": ...}) and .bin files (binary History).

Examples:
  duraflow workflow show -w order-1 -o json > histories/order-1.json
  duraflow replay histories/ --workflows src/workflows.ts
  duraflow replay a.json b.json --workflows dist/workflows.js -o json

Flags:
  --workflows PATH          The module exporting the workflow functions (bundled like a worker's workflowsPath)
  --workflow-bundle FILE    A prebuilt workflow bundle (bundleWorkflowCode output) instead of --workflows
  --recursive, -r           Also search the folders inside the given folders
  --output, -o FORMAT       table (default: a line per file, or one updating line for many files on a terminal) | json | jsonl
  --help, -h                Show this help
`;

/** Some histories did not replay; the per-file results were printed already. */
export class ReplayFailuresError extends Error {
  override readonly name = 'ReplayFailuresError';
}

interface ReplayCommand {
  paths: string[];
  options: ReplayWorkerOptions;
  recursive: boolean;
  format: OutputFormat;
}

function parseReplayArgs(argv: readonly string[]): ReplayCommand | 'help' {
  const parsed = parseFlags(argv, FLAGS);
  if (parsed.bools['help']) return 'help';
  const unknown = parsed.unknown[0];
  if (unknown !== undefined) throw new CliError(`unknown flag ${unknown} for "duraflow replay"; run "duraflow replay --help"`);
  const workflows = parsed.values['workflows'];
  const bundle = parsed.values['workflow-bundle'];
  if ((workflows === undefined) === (bundle === undefined)) {
    throw new CliError('"duraflow replay" needs exactly one of --workflows PATH or --workflow-bundle FILE');
  }
  if (parsed.positionals.length === 0) throw new CliError('"duraflow replay" needs at least one history file or folder');
  const output = parsed.values['output'] ?? 'table';
  const format = OUTPUT_FORMATS.find((f) => f === output.toLowerCase());
  if (format === undefined) throw new CliError(`--output must be one of ${OUTPUT_FORMATS.join(', ')}; got "${output}"`);
  const logger = new DefaultLogger('WARN');
  const options: ReplayWorkerOptions = workflows !== undefined
    ? { workflowsPath: resolve(workflows), logger }
    : { workflowBundle: { codePath: resolve(bundle as string) }, logger };
  return { paths: parsed.positionals, options, recursive: parsed.bools['recursive'] === true, format };
}

/** What `-o json` prints for a result. */
function jsonResult(result: HistoryFileReplayResult): Record<string, unknown> {
  const out: Record<string, unknown> = { file: result.file, workflowId: result.workflowId, ok: result.ok };
  if (result.error) out['error'] = result.error.message;
  return out;
}

/**
 * Runs `duraflow replay …`.
 *
 * @throws CliError for a command-line mistake; ReplayFailuresError when a history fails to replay
 */
export async function runReplay(argv: readonly string[]): Promise<void> {
  const command = parseReplayArgs(argv);
  if (command === 'help') {
    process.stdout.write(REPLAY_HELP);
    return;
  }
  const files = await listHistoryFiles(command.paths, { recursive: command.recursive });
  if (files.length === 0) throw new Error(`no history files (.json, .bin) in ${command.paths.join(', ')}`);
  const printer = new Printer(command.format);
  const progress = new ReplayProgress(files.length, { tty: process.stdout.isTTY === true, columns: process.stdout.columns });
  let done = 0;
  let failed = 0;
  for await (const result of replayHistoryFiles(command.options, files)) {
    if (!result.ok) failed++;
    if (printer.json) {
      if (done === 0) printer.startList(); // after the workflow code loaded, so a load error prints no partial list
      printer.listItem(jsonResult(result));
    } else {
      progress.result(result);
    }
    done++;
  }
  if (printer.json) printer.endList();
  else progress.finish();
  if (failed > 0) throw new ReplayFailuresError(`${failed} of ${files.length} ${files.length === 1 ? 'history' : 'histories'} failed to replay`);
}
