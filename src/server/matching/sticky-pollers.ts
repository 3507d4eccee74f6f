/**
 * Liveness of sticky task queues, as Temporal's matching service judges it: a sticky queue is
 * available while a poll on it is outstanding or one started or ended (other than by cancellation)
 * within the last 10 seconds. A workflow
 * task for an unavailable sticky queue is dispatched to the run's normal queue instead. Kept in
 * memory and measured in wall-clock time (it is about worker liveness, never workflow time), so
 * after a restart every sticky queue is unavailable until its worker polls again.
 *
 * @module
 */

/** How long after its last poll started a sticky queue still counts as having a poller (Temporal: 10 s). */
export const STICKY_POLLER_WINDOW_MS = 10_000;

/** One outstanding poll on a sticky queue; `end()` it when the poll returns. */
export interface StickyPoll {
  /** True once the queue was unloaded (ShutdownWorker) while this poll waited: answer it empty. */
  readonly unloaded: boolean;
  /** The poll returned; a cancelled poll (its worker hung up) does not count as a sign of life. */
  end(cancelled?: boolean): void;
}

interface QueueState {
  lastSeen: number;
  readonly polls: Set<{ unloaded: boolean }>;
}

/**
 * Tracks polls per sticky queue.
 *
 * @example
 * ```ts
 * const pollers = new StickyPollers();
 * const poll = pollers.begin('default', 'worker-1-abc');
 * pollers.isAvailable('default', 'worker-1-abc'); // true
 * poll.end();
 * pollers.unload('default', 'worker-1-abc');   // ShutdownWorker
 * ```
 */
export class StickyPollers {
  private readonly queues = new Map<string, QueueState>();

  /** @param now wall clock (injectable for tests) */
  constructor(
    private readonly now: () => number = Date.now,
    readonly windowMs = STICKY_POLLER_WINDOW_MS,
  ) {}

  /** Records that a poll on the sticky queue started. */
  begin(namespace: string, queue: string): StickyPoll {
    const key = queueKey(namespace, queue);
    let state = this.queues.get(key);
    if (!state) this.queues.set(key, (state = { lastSeen: 0, polls: new Set() }));
    state.lastSeen = this.now();
    const poll = { unloaded: false };
    state.polls.add(poll);
    const owner = state;
    return {
      get unloaded() {
        return poll.unloaded;
      },
      end: (cancelled = false) => {
        owner.polls.delete(poll);
        if (!cancelled && !poll.unloaded) owner.lastSeen = this.now();
      },
    };
  }

  /** Whether tasks may be dispatched to the sticky queue (a poller is there or was very recently). */
  isAvailable(namespace: string, queue: string): boolean {
    const key = queueKey(namespace, queue);
    const state = this.queues.get(key);
    if (!state) return false;
    if (state.polls.size > 0 || this.now() - state.lastSeen <= this.windowMs) return true;
    this.queues.delete(key); // its worker is gone: forget the queue
    return false;
  }

  /** Forgets the queue (its worker shut down): it has no poller from now on, and its outstanding polls are marked unloaded. */
  unload(namespace: string, queue: string): void {
    const key = queueKey(namespace, queue);
    const state = this.queues.get(key);
    if (!state) return;
    for (const poll of state.polls) poll.unloaded = true;
    this.queues.delete(key);
  }
}

const queueKey = (namespace: string, queue: string): string => `${namespace}\u0000${queue}`;
