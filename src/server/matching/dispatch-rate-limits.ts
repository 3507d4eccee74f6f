/**
 * Dispatch rate limits of activity task queues, set by workers: every activity poll carries the
 * worker's `maxTaskQueueActivitiesPerSecond` (TaskQueueMetadata.max_tasks_per_second) or nothing,
 * and the last poll's value wins, clearing the limit when absent, as in Temporal's matching service.
 * A limited queue dispatches through a token bucket that holds one second's worth of tasks (at least
 * one), refilled at the rate: Temporal's burst. Wall-clock time, in memory.
 *
 * @module
 */

interface Bucket {
  rate: number;
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
  private readonly buckets = new Map<string, Bucket>();

  /** @param now wall clock (injectable for tests) */
  constructor(private readonly now: () => number = Date.now) {}

  /** Applies a poll's requested rate: sets (or changes) the queue's limit, or clears it when undefined. */
  fromPoll(queueKey: string, rate: number | undefined): void {
    if (rate === undefined || !(rate > 0) || !Number.isFinite(rate)) {
      this.buckets.delete(queueKey);
      return;
    }
    const bucket = this.buckets.get(queueKey);
    if (bucket === undefined) {
      this.buckets.set(queueKey, { rate, tokens: burstOf(rate), refilledAt: this.now() });
    } else if (bucket.rate !== rate) {
      this.refill(bucket);
      bucket.rate = rate;
      bucket.tokens = Math.min(bucket.tokens, burstOf(rate));
    }
  }

  /** Milliseconds until the queue may dispatch a task: 0 when it may now (or has no limit). */
  waitMs(queueKey: string): number {
    const bucket = this.buckets.get(queueKey);
    if (bucket === undefined) return 0;
    this.refill(bucket);
    return bucket.tokens >= 1 ? 0 : Math.ceil(((1 - bucket.tokens) * 1000) / bucket.rate);
  }

  /** Counts a dispatched task against the queue's limit. */
  take(queueKey: string): void {
    const bucket = this.buckets.get(queueKey);
    if (bucket === undefined) return;
    this.refill(bucket);
    bucket.tokens -= 1;
  }

  /** The queue's worker-set rate, or undefined when it has none. */
  rateOf(queueKey: string): number | undefined {
    return this.buckets.get(queueKey)?.rate;
  }

  private refill(bucket: Bucket): void {
    const now = this.now();
    bucket.tokens = Math.min(burstOf(bucket.rate), bucket.tokens + ((now - bucket.refilledAt) / 1000) * bucket.rate);
    bucket.refilledAt = now;
  }
}

/** One second's worth of tasks, at least one. */
function burstOf(rate: number): number {
  return Math.max(1, rate);
}
