/**
 * How fast tasks are added to and dispatched from each task queue, for DescribeTaskQueue's stats
 * (`tasksAddRate`, `tasksDispatchRate`): tasks per second over the last 30 seconds of wall-clock time,
 * as Temporal reports them. Counted in one-second buckets, in memory.
 *
 * @module
 */

/** The window the rates average over (Temporal: the last 30 seconds). */
export const TASK_RATE_WINDOW_S = 30;

/** Counts per second over the last {@link TASK_RATE_WINDOW_S} seconds. */
class RateWindow {
  private readonly buckets = new Float64Array(TASK_RATE_WINDOW_S);
  /** The second the newest bucket counts. */
  private second = 0;

  add(second: number, n: number): void {
    this.advance(second);
    this.buckets[second % TASK_RATE_WINDOW_S]! += n;
  }

  /** Events per second over the window ending at `second`. */
  rate(second: number): number {
    this.advance(second);
    let sum = 0;
    for (const n of this.buckets) sum += n;
    return sum / TASK_RATE_WINDOW_S;
  }

  get isIdle(): boolean {
    return this.buckets.every((n) => n === 0);
  }

  private advance(second: number): void {
    if (second <= this.second) return;
    const gap = Math.min(second - this.second, TASK_RATE_WINDOW_S);
    for (let i = 1; i <= gap; i++) this.buckets[(this.second + i) % TASK_RATE_WINDOW_S] = 0;
    this.second = second;
  }
}

interface QueueRates {
  readonly added: RateWindow;
  readonly dispatched: RateWindow;
}

/**
 * Add and dispatch rates per task queue (keyed by the caller's queue key).
 *
 * @example
 * ```ts
 * const rates = new TaskRates();
 * rates.added(key, 3);
 * rates.dispatched(key);
 * rates.of(key); // { addRate: 0.1, dispatchRate: 0.0333… }
 * ```
 */
export class TaskRates {
  private readonly queues = new Map<string, QueueRates>();
  private lastSweep = 0;

  /** @param now wall clock (injectable for tests) */
  constructor(private readonly now: () => number = Date.now) {}

  added(queueKey: string, n = 1): void {
    this.queue(queueKey).added.add(this.second(), n);
  }

  dispatched(queueKey: string, n = 1): void {
    this.queue(queueKey).dispatched.add(this.second(), n);
  }

  /** Tasks per second added to and dispatched from the queue over the last 30 seconds. */
  of(queueKey: string): { addRate: number; dispatchRate: number } {
    const q = this.queues.get(queueKey);
    if (!q) return { addRate: 0, dispatchRate: 0 };
    const second = this.second();
    return { addRate: q.added.rate(second), dispatchRate: q.dispatched.rate(second) };
  }

  private queue(key: string): QueueRates {
    let q = this.queues.get(key);
    if (!q) {
      this.sweepNowAndThen();
      this.queues.set(key, (q = { added: new RateWindow(), dispatched: new RateWindow() }));
    }
    return q;
  }

  /** Drops queues with nothing in their window (at most once a window), so the map stays small. */
  private sweepNowAndThen(): void {
    const second = this.second();
    if (second - this.lastSweep < TASK_RATE_WINDOW_S) return;
    this.lastSweep = second;
    for (const [key, q] of this.queues) {
      q.added.rate(second);
      q.dispatched.rate(second);
      if (q.added.isIdle && q.dispatched.isIdle) this.queues.delete(key);
    }
  }

  private second(): number {
    return Math.floor(this.now() / 1000);
  }
}
