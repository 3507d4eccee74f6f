/**
 * Dispatch rate limits of activity task queues, from two sources as in Temporal's matching service:
 * the queue's configuration (UpdateTaskQueueConfig), which wins, and the workers: every activity poll
 * carries the worker's `maxTaskQueueActivitiesPerSecond` (TaskQueueMetadata.max_tasks_per_second) or
 * nothing, and the last poll's value wins, clearing the worker limit when absent. A limited queue
 * dispatches through a token bucket that holds one second's worth of tasks (at least one), refilled at
 * the rate: Temporal's burst. A configured rate of 0 stops dispatch. Wall-clock time, in memory.
 *
 * @module
 */

/** Where a queue's effective limit comes from (Temporal's RateLimitSource). */
export type RateLimitSourceName = 'api' | 'worker' | 'system';

interface QueueLimit {
  /** Set by the queue's configuration; undefined when it sets none. */
  api?: number;
  /** Set by the last poll; undefined when it sent none. */
  worker?: number;
  tokens: number;
  /** Wall-clock ms of the last refill. */
  refilledAt: number;
}

/**
 * @example
 * ```ts
 * const limits = new DispatchRateLimits();
 * limits.fromPoll(key, 2);     // a worker asks for 2 activities per second
 * if (limits.waitMs(key) === 0) { dispatch(); limits.take(key); }
 * ```
 */
export class DispatchRateLimits {
  private readonly queues = new Map<string, QueueLimit>();

  /** @param now wall clock (injectable for tests) */
  constructor(private readonly now: () => number = Date.now) {}

  /** Applies a poll's requested rate: sets (or changes) the worker limit, or clears it when undefined. */
  fromPoll(queueKey: string, rate: number | undefined): void {
    this.set(queueKey, 'worker', rate !== undefined && rate > 0 && Number.isFinite(rate) ? rate : undefined);
  }

  /** Applies the queue's configured rate (0 stops dispatch), or clears it when undefined. */
  fromConfig(queueKey: string, rate: number | undefined): void {
    this.set(queueKey, 'api', rate !== undefined && rate >= 0 && Number.isFinite(rate) ? rate : undefined);
  }

  /** Milliseconds until the queue may dispatch a task: 0 when it may now (or has no limit), Infinity at rate 0. */
  waitMs(queueKey: string): number {
    const q = this.queues.get(queueKey);
    const rate = q && rateOf(q);
    if (q === undefined || rate === undefined) return 0;
    if (rate === 0) return Number.POSITIVE_INFINITY;
    this.refill(q, rate);
    return q.tokens >= 1 ? 0 : Math.ceil(((1 - q.tokens) * 1000) / rate);
  }

  /** Counts a dispatched task against the queue's limit. */
  take(queueKey: string): void {
    const q = this.queues.get(queueKey);
    const rate = q && rateOf(q);
    if (q === undefined || rate === undefined) return;
    this.refill(q, rate);
    q.tokens -= 1;
  }

  /** The queue's effective limit and where it comes from; `system` (no limit of its own) when it has none. */
  effective(queueKey: string): { rate: number | undefined; source: RateLimitSourceName } {
    const q = this.queues.get(queueKey);
    if (q?.api !== undefined) return { rate: q.api, source: 'api' };
    if (q?.worker !== undefined) return { rate: q.worker, source: 'worker' };
    return { rate: undefined, source: 'system' };
  }

  private set(queueKey: string, source: 'api' | 'worker', rate: number | undefined): void {
    let q = this.queues.get(queueKey);
    if (q === undefined) {
      if (rate === undefined) return;
      this.queues.set(queueKey, (q = { tokens: burstOf(rate), refilledAt: this.now() }));
    }
    const before = rateOf(q);
    if (before !== undefined) this.refill(q, before);
    q[source] = rate;
    const after = rateOf(q);
    if (after === undefined) this.queues.delete(queueKey);
    else q.tokens = Math.min(q.tokens, burstOf(after));
  }

  private refill(q: QueueLimit, rate: number): void {
    const now = this.now();
    q.tokens = Math.min(burstOf(rate), q.tokens + ((now - q.refilledAt) / 1000) * rate);
    q.refilledAt = now;
  }
}

/** The limit in force: the configured one, else the worker's. */
function rateOf(q: QueueLimit): number | undefined {
  return q.api ?? q.worker;
}

/** One second's worth of tasks, at least one. */
function burstOf(rate: number): number {
  return Math.max(1, rate);
}
