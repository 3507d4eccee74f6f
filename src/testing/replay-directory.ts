/**
 * {@link replayHistoriesFromDirectory}: the replay test — every recorded history in a folder
 * replayed against the current workflow code, failing with the names of the files that no longer
 * replay.
 *
 * @module
 */
import { markErrorClass, ValueError } from '../common/index.js';
import type { ReplayWorkerOptions } from '../worker/index.js';
import { listHistoryFiles, replayHistoryFiles, type HistoryFileReplayResult } from '../worker/replay/history-files.js';

/** Options of {@link replayHistoriesFromDirectory}: the workflow code (as for `Worker.runReplayHistories`) and the folder. */
export interface ReplayHistoriesFromDirectoryOptions extends ReplayWorkerOptions {
  /** The folder holding the `.json` / `.bin` history files. */
  directory: string;
  /** Also replay the files in its subfolders. @default false */
  recursive?: boolean;
  /** Throw a {@link HistoryReplayFailedError} when any file fails; `false` returns the summary instead. @default true */
  throwOnFailure?: boolean;
  /** Called after each file is replayed (for progress reporting). */
  onResult?: (result: HistoryFileReplayResult) => void;
}

/** What {@link replayHistoriesFromDirectory} found: a result per file, in file-name order. */
export interface HistoryReplaySummary {
  readonly results: readonly HistoryFileReplayResult[];
  /** The results that failed. */
  readonly failures: readonly HistoryFileReplayResult[];
  /** True when every file replayed. */
  readonly ok: boolean;
}

/** Some history files did not replay; the message names each with its error, `summary` has the details. */
export class HistoryReplayFailedError extends Error {
  constructor(readonly summary: HistoryReplaySummary) {
    const lines = summary.failures.map((f) => `  ${f.file} (workflow ${f.workflowId}): ${oneLine(f.error)}`);
    super(`${summary.failures.length} of ${summary.results.length} histories failed to replay:\n${lines.join('\n')}`);
  }
}
markErrorClass(HistoryReplayFailedError, 'HistoryReplayFailedError');

function oneLine(error: Error | undefined): string {
  return (error?.message ?? 'unknown error').replace(/\s*\n\s*/g, ' ');
}

/**
 * Replays every `.json` and `.bin` history file in `directory` (in file-name order) against the
 * workflow code — `workflowsPath` or `workflowBundle` — with one bundle and sandbox for all of them.
 * File formats: see `readHistoryFile` (the JSON of `temporal workflow show -o json`, the Web UI and
 * `historyToJSON`; `{ workflowId, history }`; binary protobuf).
 *
 * @returns the summary, when every file replayed (or with `throwOnFailure: false`)
 * @throws HistoryReplayFailedError naming every file that failed (a non-determinism error, a failed
 *   workflow task, an unreadable file); ValueError when the folder holds no history file
 * @example
 * ```ts
 * import { replayHistoriesFromDirectory } from 'duraflow/testing';
 *
 * it('replays the recorded histories', async () => {
 *   await replayHistoriesFromDirectory({
 *     workflowsPath: new URL('../src/workflows.js', import.meta.url).pathname,
 *     directory: new URL('./histories', import.meta.url).pathname,
 *   });
 * });
 * ```
 */
export async function replayHistoriesFromDirectory(options: ReplayHistoriesFromDirectoryOptions): Promise<HistoryReplaySummary> {
  if (typeof options !== 'object' || options === null) throw new TypeError('replayHistoriesFromDirectory needs options');
  const { directory, recursive, throwOnFailure = true, onResult, ...replayOptions } = options;
  if (typeof directory !== 'string' || directory === '') throw new TypeError('replayHistoriesFromDirectory: directory must be a non-empty string');
  if ((replayOptions.workflowsPath === undefined) === (replayOptions.workflowBundle === undefined)) {
    throw new TypeError('replayHistoriesFromDirectory needs exactly one of workflowsPath or workflowBundle');
  }
  const files = await listHistoryFiles([directory], { recursive });
  if (files.length === 0) throw new ValueError(`No history files (.json, .bin) in ${directory}`);
  const results: HistoryFileReplayResult[] = [];
  for await (const result of replayHistoryFiles(replayOptions, files)) {
    results.push(result);
    onResult?.(result);
  }
  const failures = results.filter((r) => !r.ok);
  const summary: HistoryReplaySummary = { results, failures, ok: failures.length === 0 };
  if (!summary.ok && throwOnFailure) throw new HistoryReplayFailedError(summary);
  return summary;
}
