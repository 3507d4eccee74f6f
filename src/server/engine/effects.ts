import type { TaskKind } from '../store/store.js';

/**
 * What a committed transaction changed that waiting parties must hear about: task queues that got
 * tasks (wake pollers), timers (re-arm the timer loop), runs with new events (wake history long
 * polls) and runs that closed (wake long polls for the close event only). Applied only after the
 * commit, so nobody observes uncommitted state.
 */
export class Effects {
  /** Task queues that got tasks, by {@link queueKey}, and how many. */
  readonly queues = new Map<string, number>();
  readonly runs = new Set<string>();
  /** Runs that are closed after the transaction and got events in it (wake CLOSE_EVENT long polls). */
  readonly closedRuns = new Set<string>();
  /** Runs saved by the transaction and whether each has work in flight (time skipping holds for those). */
  readonly busy = new Map<string, boolean>();
  timersChanged = false;

  taskAdded(namespace: string, taskQueue: string, kind: TaskKind): void {
    const key = queueKey(namespace, taskQueue, kind);
    this.queues.set(key, (this.queues.get(key) ?? 0) + 1);
  }

  runChanged(namespace: string, runId: string): void {
    this.runs.add(runKey(namespace, runId));
  }

  runClosed(namespace: string, runId: string): void {
    this.closedRuns.add(runKey(namespace, runId));
  }
}

export const queueKey = (namespace: string, taskQueue: string, kind: TaskKind): string =>
  `${kind}\u0000${namespace}\u0000${taskQueue}`;
export const runKey = (namespace: string, runId: string): string => `${namespace}\u0000${runId}`;
/** What history long polls of a run (by {@link runKey}) wait on: notified on every new event. */
export const historyWaitKey = (key: string): string => `history\u0000${key}`;
/** What long polls for a run's close event wait on: notified only when the run closes. */
export const closeWaitKey = (key: string): string => `close\u0000${key}`;
