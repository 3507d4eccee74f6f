/**
 * History files for replay: finding them (`.json` and `.bin` files in folders), reading them, and
 * replaying them one by one with `Worker.runReplayHistories` (one bundle, one sandbox), with a
 * result per file. Shared by {@link replayHistoriesFromDirectory} and `duraflow replay`.
 *
 * A `.json` file is a History in ProtoJSON — what `temporal workflow show -o json`,
 * `duraflow workflow show -o json`, the Web UI's download and `historyToJSON` write (either
 * event-type spelling) — or `{ "workflowId": "...", "history": { "events": [...] } }`. A `.bin`
 * file is a binary `temporal.api.history.v1.History`. The workflow id is the file's own
 * `workflowId`, or else the file name without its extension.
 *
 * @module
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { isRecord } from '../../common/index.js';
import { Worker, type ReplayHistoryInput, type ReplayWorkerOptions } from '../index.js';

/** The extensions of the files a folder is searched for. */
export const HISTORY_FILE_EXTENSIONS: readonly string[] = ['.json', '.bin'];

/** A history file, read. */
export interface HistoryFile {
  readonly file: string;
  readonly workflowId: string;
  readonly history: ReplayHistoryInput;
}

/** How replaying one history file went. */
export interface HistoryFileReplayResult {
  /** The file's path, as listed. */
  readonly file: string;
  readonly workflowId: string;
  /** The run id recorded in the history (when it could be read). */
  readonly runId?: string;
  readonly ok: boolean;
  /** Why the file did not replay: unreadable, a DeterminismViolationError, or a ReplayError. */
  readonly error?: Error;
}

/** Options of {@link listHistoryFiles}. */
export interface ListHistoryFilesOptions {
  /** Also search the folders inside the given folders. @default false */
  recursive?: boolean;
}

/**
 * The history files `paths` name: each file as given (any extension), and, for each folder, its
 * `.json` and `.bin` files sorted by name. Duplicates are dropped.
 *
 * @throws Error naming a path that does not exist
 * @example
 * ```ts
 * const files = await listHistoryFiles(['test/histories', 'extra/order-7.json']);
 * ```
 */
export async function listHistoryFiles(paths: readonly string[], options: ListHistoryFilesOptions = {}): Promise<string[]> {
  if (!Array.isArray(paths)) throw new TypeError('listHistoryFiles needs an array of paths');
  const out: string[] = [];
  for (const path of paths) {
    if (typeof path !== 'string' || path === '') throw new TypeError('history paths must be non-empty strings');
    const info = await stat(path).catch((error: unknown) => {
      throw new Error(`Cannot read history path ${path}: ${(error as Error).message}`, { cause: error });
    });
    if (info.isDirectory()) out.push(...(await filesIn(path, options.recursive === true)));
    else out.push(path);
  }
  return [...new Set(out)];
}

async function filesIn(dir: string, recursive: boolean): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out: string[] = [];
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (recursive) out.push(...(await filesIn(path, true)));
    } else if (HISTORY_FILE_EXTENSIONS.includes(extname(entry.name).toLowerCase())) {
      out.push(path);
    }
  }
  return out;
}

/**
 * Reads one history file (see the module notes for the formats).
 *
 * @throws Error naming the file when it cannot be read or is not JSON
 * @example
 * ```ts
 * const { workflowId, history } = await readHistoryFile('histories/order-7.json');
 * await Worker.runReplayHistory({ workflowsPath }, history, workflowId);
 * ```
 */
export async function readHistoryFile(file: string): Promise<HistoryFile> {
  const bytes = await readFile(file).catch((error: unknown) => {
    throw new Error(`${file}: cannot read: ${(error as Error).message}`, { cause: error });
  });
  const fallbackId = basename(file, extname(file));
  if (extname(file).toLowerCase() === '.bin') return { file, workflowId: fallbackId, history: new Uint8Array(bytes) };
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new Error(`${file}: not JSON: ${(error as Error).message}`, { cause: error });
  }
  if (isRecord(json) && isRecord(json['history'])) {
    const id = json['workflowId'];
    return { file, workflowId: typeof id === 'string' && id !== '' ? id : fallbackId, history: json['history'] };
  }
  return { file, workflowId: fallbackId, history: json as object };
}

/** A one-item-at-a-time feed for `runReplayHistories`: each `next()` takes what was last pushed. */
function feed<T>(): { iterable: AsyncIterable<T>; push(item: T): void } {
  const queue: T[] = [];
  const iterator: AsyncIterator<T> = {
    next: async () => (queue.length > 0 ? { value: queue.shift() as T, done: false } : { value: undefined, done: true }),
  };
  return { iterable: { [Symbol.asyncIterator]: () => iterator }, push: (item) => void queue.push(item) };
}

/**
 * Replays each file against the workflow code of `options`, yielding a result per file in order
 * (a file that cannot be read is a failed result, not an exception). The workflow code is bundled
 * and loaded once, when the first readable file is replayed.
 *
 * @throws when the workflow code cannot be bundled or loaded
 * @example
 * ```ts
 * for await (const r of replayHistoryFiles({ workflowsPath }, await listHistoryFiles(['histories']))) {
 *   console.log(r.ok ? 'ok' : 'FAILED', r.file, r.error?.message ?? '');
 * }
 * ```
 */
export async function* replayHistoryFiles(options: ReplayWorkerOptions, files: readonly string[]): AsyncGenerator<HistoryFileReplayResult> {
  const input = feed<{ workflowId: string; history: ReplayHistoryInput }>();
  const results = Worker.runReplayHistories(options, input.iterable);
  try {
    for (const file of files) {
      let loaded: HistoryFile;
      try {
        loaded = await readHistoryFile(file);
      } catch (error) {
        yield { file, workflowId: basename(file, extname(file)), ok: false, error: error as Error };
        continue;
      }
      input.push({ workflowId: loaded.workflowId, history: loaded.history });
      const next = await results.next();
      if (next.done) throw new Error('The replayer stopped before every history was replayed');
      const { workflowId, runId, error } = next.value;
      yield { file, workflowId, runId: runId || undefined, ok: error === undefined, ...(error ? { error } : {}) };
    }
  } finally {
    await results.return?.(undefined);
  }
}

