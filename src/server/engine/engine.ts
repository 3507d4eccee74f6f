import { MAX_TIMER_MS, type Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/store.js';
import { Waiters } from '../matching/waiters.js';
import { StickyPollers } from '../matching/sticky-pollers.js';
import { PollerHistory } from '../matching/poller-history.js';
import { DispatchRateLimits } from '../matching/dispatch-rate-limits.js';
import { FairnessPasses } from '../matching/fairness-passes.js';
import { TaskQueueConfigs } from '../matching/task-queue-configs.js';
import { TaskRates } from '../matching/task-rates.js';
import {
  onActivityRetryTimer,
  onActivityTimeoutTimer,
  ACTIVITY_RETRY_TIMER,
  ACTIVITY_TIMEOUT_TIMER,
} from './activities.js';
import { fireUserTimer, USER_TIMER } from './commands.js';
import { closeWaitKey, historyWaitKey, queueKey, runKey, type Effects } from './effects.js';
import { timeOutRun } from './lifecycle.js';
import { START_CHILD_TIMER, startChild } from './children.js';
import {
  CANCEL_EXTERNAL_TIMER,
  SIGNAL_EXTERNAL_TIMER,
  deliverCancelExternal,
  deliverSignalExternal,
} from './external.js';
import { QueryRegistry } from './queries.js';
import type { Run } from './run.js';
import { RUN_TIMEOUT_TIMER, START_BACKOFF_TIMER } from './new-run.js';
import { Tx } from './tx.js';
import { endFirstTaskBackoff, timeOutStickyWorkflowTask, timeOutWorkflowTask, WFT_TIMEOUT_TIMER } from './workflow-task.js';
import { STICKY_TIMEOUT_TIMER } from './sticky.js';
import { TaskKind } from '../store/store.js';
import type { TimeSkipper } from '../time-skipping/time-skipper.js';

const TIMER_BATCH = 200;

/** What each timer kind does when it fires. Every handler re-checks the run's state (stale timers are no-ops). */
const TIMER_HANDLERS: Record<string, (run: Run, data: Record<string, unknown>) => void> = {
  [USER_TIMER]: fireUserTimer,
  [WFT_TIMEOUT_TIMER]: timeOutWorkflowTask,
  [STICKY_TIMEOUT_TIMER]: timeOutStickyWorkflowTask,
  [ACTIVITY_TIMEOUT_TIMER]: onActivityTimeoutTimer,
  [ACTIVITY_RETRY_TIMER]: onActivityRetryTimer,
  [START_BACKOFF_TIMER]: endFirstTaskBackoff,
  [RUN_TIMEOUT_TIMER]: timeOutRun,
  [START_CHILD_TIMER]: startChild,
  [SIGNAL_EXTERNAL_TIMER]: deliverSignalExternal,
  [CANCEL_EXTERNAL_TIMER]: deliverCancelExternal,
};

export interface EngineOptions {
  /**
   * Temporal's `system.enableActivityEagerExecution`: hand activities a worker asks to run eagerly
   * back in its RespondWorkflowTaskCompleted response, already started. @default true
   */
  eagerActivities?: boolean;
  /** Wall time for worker liveness (sticky pollers, poller history, task rates); injectable for tests. @default Date.now */
  wallClock?: () => number;
}

/**
 * The dev server's engine: runs every state change in one store transaction, then tells waiting
 * pollers, history long polls and the timer loop what changed. Single-threaded by construction
 * (better-sqlite3 is synchronous), so transactions never interleave.
 */
export class Engine {
  readonly waiters = new Waiters();
  readonly queries = new QueryRegistry();
  /** Which sticky queues have pollers (wall-clock liveness, in memory). */
  readonly stickyPollers: StickyPollers;
  /** Who polled each task queue recently (DescribeTaskQueue). */
  readonly pollers: PollerHistory;
  /** Tasks added to and dispatched from each task queue per second (DescribeTaskQueue stats). */
  readonly taskRates: TaskRates;
  /** Worker-set dispatch rate limits of activity task queues. */
  readonly dispatchLimits: DispatchRateLimits;
  /** Where each queue's fairness keys stand (the passes of new tasks). */
  readonly fairness: FairnessPasses;
  /** Task queue configuration set through UpdateTaskQueueConfig. */
  readonly taskQueueConfigs: TaskQueueConfigs;
  private taskId = 0;
  private timerHandle: NodeJS.Timeout | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private stopped = false;
  /** Handlers of timer kinds that belong to no workflow run (e.g. schedules), by kind. */
  private readonly ownerlessTimers = new Map<string, (tx: Tx, namespace: string, ownerId: string) => void>();
  /** Set when the server runs with time skipping. */
  skipper: TimeSkipper | undefined;

  /** Whether ScheduleActivityTask commands that ask for eager execution are started in the completion's response. */
  readonly eagerActivities: boolean;

  constructor(
    readonly store: Store,
    readonly clock: Clock,
    readonly log: Logger,
    options: EngineOptions = {},
  ) {
    this.taskId = clock.now() * 1000;
    const wallClock = options.wallClock ?? Date.now;
    this.stickyPollers = new StickyPollers(wallClock);
    this.pollers = new PollerHistory(wallClock);
    this.taskRates = new TaskRates(wallClock);
    this.dispatchLimits = new DispatchRateLimits(wallClock);
    this.taskQueueConfigs = new TaskQueueConfigs(store.db);
    this.fairness = new FairnessPasses(
      (q, priority) => store.lowestTaskPass(q.namespace, q.taskQueue, q.kind as TaskKind, priority),
      (q, fairnessKey) => this.taskQueueConfigs.weightOverride(q.namespace, q.taskQueue, q.kind, fairnessKey),
    );
    this.eagerActivities = options.eagerActivities ?? true;
  }

  /** Runs `fn` in a transaction and applies its effects after the commit. */
  write<T>(fn: (tx: Tx) => T): T {
    const tx = new Tx(this.store, this.clock.now(), { next: () => ++this.taskId }, this.stickyPollers, this.fairness);
    const result = this.store.transaction(() => {
      const value = fn(tx);
      tx.save();
      return value;
    });
    this.applyEffects(tx.effects);
    const deferred = tx.deferredError;
    if (deferred) throw deferred;
    return result;
  }

  /** Read-only access to the store through the same run loading (nothing is saved). */
  read<T>(fn: (tx: Tx) => T): T {
    return fn(new Tx(this.store, this.clock.now(), { next: () => 0 }));
  }

  private applyEffects(effects: Effects): void {
    for (const key of effects.runs) {
      this.waiters.notify(historyWaitKey(key));
      this.releaseQueriesIfIdle(key);
    }
    for (const key of effects.closedRuns) this.waiters.notify(closeWaitKey(key));
    for (const [key, added] of effects.queues) {
      this.taskRates.added(key, added);
      this.waiters.notify(key);
    }
    if (effects.timersChanged) this.armTimers();
    if (this.skipper) {
      for (const [key, busy] of effects.busy) this.skipper.setBusy(key, busy);
      this.skipper.evaluate();
    }
  }

  /** Keys of every open run with work in flight (to seed time skipping after a restart). */
  busyRunKeys(): string[] {
    const rows = this.store.db.prepare(`SELECT namespace, run_id FROM visibility WHERE status = 1`).all() as {
      namespace: string;
      run_id: string;
    }[];
    return this.read((tx) =>
      rows.filter((r) => tx.loadRun(r.namespace, r.run_id)?.hasWorkInFlight).map((r) => runKey(r.namespace, r.run_id)),
    );
  }

  /** Buffered queries of a run with no workflow task pending become legacy query tasks. */
  releaseQueriesIfIdle(key: string): void {
    if (!this.queries.hasBuffered(key)) return; // (without loading the run, as most tasks complete without one)
    const [namespace, runId] = key.split('\u0000') as [string, string];
    const run = this.read((tx) => tx.loadRun(namespace, runId));
    if (!run || (run.isOpen && run.state.wft !== undefined) || run.state.lastCompletedWftStartedId === 0) return;
    for (const taskQueue of this.queries.releaseToLegacy(namespace, runId)) {
      this.waiters.notify(queueKey(namespace, taskQueue, TaskKind.Workflow));
    }
  }

  /** (Re)arms the single timer that wakes the engine for the earliest due timer row. */
  armTimers(): void {
    if (this.stopped) return;
    const next = this.store.nextTimerAt();
    if (next === undefined) return;
    if (this.timerHandle && next >= this.timerAt) return;
    if (this.timerHandle) clearTimeout(this.timerHandle);
    this.timerAt = next;
    const delay = Math.max(0, Math.min(next - this.clock.now(), MAX_TIMER_MS));
    this.timerHandle = setTimeout(() => {
      this.timerHandle = undefined;
      this.timerAt = Number.POSITIVE_INFINITY;
      this.fireDueTimers();
      this.armTimers();
    }, delay);
  }

  /** Processes every due timer row, each in its own transaction. Returns how many fired. */
  fireDueTimers(): number {
    let fired = 0;
    for (;;) {
      const due = this.store.dueTimers(this.clock.now(), TIMER_BATCH);
      for (const timer of due) {
        try {
          this.write((tx) => {
            this.store.deleteTimer(timer.id);
            const ownerless = this.ownerlessTimers.get(timer.kind);
            if (ownerless) return ownerless(tx, timer.namespace, timer.runId);
            const run = tx.loadRun(timer.namespace, timer.runId);
            const handler = TIMER_HANDLERS[timer.kind];
            if (run && handler) handler(run, timer.data);
          });
        } catch (error) {
          this.log.error(`timer ${timer.kind} of run ${timer.runId} failed; dropping it`, error);
          this.store.deleteTimer(timer.id);
        }
        fired++;
      }
      if (due.length < TIMER_BATCH) return fired;
    }
  }

  /** Registers the handler of a timer kind whose rows are owned by something other than a run. */
  onOwnerlessTimer(kind: string, handler: (tx: Tx, namespace: string, ownerId: string) => void): void {
    this.ownerlessTimers.set(kind, handler);
  }

  /** Key for long polls on a run's history. */
  historyKey(namespace: string, runId: string): string {
    return historyWaitKey(runKey(namespace, runId));
  }

  /** What a long poll for a run's close event waits on: notified only when the run closes. */
  closeKey(namespace: string, runId: string): string {
    return closeWaitKey(runKey(namespace, runId));
  }

  stop(): void {
    this.stopped = true;
    if (this.timerHandle) clearTimeout(this.timerHandle);
    this.timerHandle = undefined;
    this.waiters.close();
    this.skipper?.close();
  }

  get isStopped(): boolean {
    return this.stopped;
  }
}
