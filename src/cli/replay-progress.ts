/**
 * The progress of `duraflow replay` for people: a line per history file (`ok` / `FAILED` with the
 * error) — or, for many files on a terminal, one progress line rewritten in place, with only the
 * failures kept — and a closing summary.
 *
 * @example
 * ```ts
 * const progress = new ReplayProgress(files.length, { tty: process.stdout.isTTY === true });
 * for await (const result of replayHistoryFiles(options, files)) progress.result(result);
 * progress.finish();
 * ```
 */
import type { HistoryFileReplayResult } from '../worker/replay/history-files.js';

/** From this many files on, a terminal gets one updating progress line instead of a line per file. */
export const MANY_FILES = 10;

const CLEAR_LINE = '\r\x1b[2K';

export interface ReplayProgressOptions {
  /** Whether stdout is a terminal (then many files share one updating line). */
  tty: boolean;
  /** Terminal width; the updating line is cut to fit so that it can be rewritten. @default 80 */
  columns?: number;
  write?: (text: string) => void;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

/** One line describing a result: `ok      file (workflow id)` or `FAILED  file (workflow id): error`. */
export function resultLine(result: HistoryFileReplayResult): string {
  const what = `${result.file} (workflow ${result.workflowId})`;
  if (result.ok) return `ok      ${what}`;
  return `FAILED  ${what}: ${oneLine(result.error?.message ?? 'unknown error')}`;
}

export class ReplayProgress {
  private readonly write: (text: string) => void;
  private readonly inPlace: boolean;
  private readonly columns: number;
  private done = 0;
  private failed = 0;

  constructor(
    private readonly total: number,
    options: ReplayProgressOptions,
  ) {
    this.write = options.write ?? ((text) => void process.stdout.write(text));
    this.inPlace = options.tty && total >= MANY_FILES;
    this.columns = Math.max(20, options.columns ?? 80);
  }

  /** Reports one replayed file. */
  result(result: HistoryFileReplayResult): void {
    this.done++;
    if (!result.ok) this.failed++;
    if (!this.inPlace) {
      this.write(`${resultLine(result)}\n`);
      return;
    }
    if (!result.ok) this.write(`${CLEAR_LINE}${resultLine(result)}\n`);
    const failedNote = this.failed > 0 ? `, ${this.failed} failed` : '';
    const line = `Replaying ${this.done}/${this.total}${failedNote}: ${result.file}`;
    this.write(`${CLEAR_LINE}${line.length < this.columns ? line : `${line.slice(0, this.columns - 2)}…`}`);
  }

  /** Clears the progress line and prints the summary. */
  finish(): void {
    if (this.inPlace) this.write(CLEAR_LINE);
    const passed = this.done - this.failed;
    this.write(`Replayed ${this.done} ${this.done === 1 ? 'history' : 'histories'}: ${passed} passed, ${this.failed} failed\n`);
  }
}
