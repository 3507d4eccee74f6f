/**
 * Namespace retention: a closed run is deleted (state, history, visibility) once its namespace's
 * retention period has passed since it closed, as a Temporal server does; so are other records that
 * close (finished batch jobs, which Temporal keeps as system workflows). The dev server checks once
 * a minute and at start, a bounded batch at a time so a large backlog (a file database reopened after
 * days) never holds the event loop for long.
 *
 * Not used with time skipping: skipped time is workflow time, and a test that skips a month must
 * still be able to read the workflows it ran (Temporal's time-skipping test server keeps them too).
 *
 * @module
 */
import type { Engine } from './engine.js';

/** How often the dev server looks for runs past retention. */
export const RETENTION_SWEEP_INTERVAL_MS = 60_000;
/** Runs deleted per transaction. */
const BATCH = 200;
/** Transactions per turn of the event loop; more waits for the next turn. */
const BATCHES_PER_TURN = 5;

/**
 * Deletes closed runs past their namespace's retention, in the background.
 *
 * @example
 * ```ts
 * const sweeper = new RetentionSweeper(engine);
 * sweeper.start();
 * // …
 * sweeper.stop();
 * ```
 */
export class RetentionSweeper {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  /**
   * @param others deletes a namespace's other closed records older than `closedBefore` (epoch ms)
   */
  constructor(
    private readonly engine: Engine,
    private readonly intervalMs = RETENTION_SWEEP_INTERVAL_MS,
    private readonly others: ReadonlyArray<(namespace: string, closedBefore: number) => void> = [],
  ) {}

  /** Sweeps now, then every `intervalMs`. */
  start(): void {
    this.schedule(0);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /**
   * Deletes up to `maxBatches` batches of runs past retention; returns how many runs it deleted and
   * whether any are left.
   */
  sweep(maxBatches = BATCHES_PER_TURN): { deleted: number; more: boolean } {
    const { engine } = this;
    let deleted = 0;
    for (const ns of engine.store.listNamespaces()) {
      const closedBefore = engine.clock.now() - ns.retentionMs;
      for (const sweepOther of this.others) sweepOther(ns.name, closedBefore);
      for (;;) {
        if (maxBatches-- <= 0) return { deleted, more: true };
        const expired = engine.store.runsClosedBefore(ns.name, closedBefore, BATCH);
        const n = engine.write((tx) => {
          let count = 0;
          for (const { runId, workflowId } of expired) {
            const run = tx.loadRun(ns.name, runId);
            if (run?.isOpen) continue; // (a visibility row behind its run: never delete an open run)
            if (run) tx.deleteRun(run);
            else tx.store.deleteExecution(ns.name, runId, workflowId);
            count++;
          }
          return count;
        });
        deleted += n;
        if (expired.length < BATCH || n === 0) break;
      }
    }
    return { deleted, more: false };
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => this.turn(), delayMs);
    this.timer.unref();
  }

  private turn(): void {
    let more = false;
    try {
      ({ more } = this.sweep());
    } catch (error) {
      this.engine.log.error('retention: deleting runs past their namespace retention failed', error);
    }
    this.schedule(more ? 0 : this.intervalMs);
  }
}
