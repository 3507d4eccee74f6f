/**
 * Spaces poll starts at most `1 / rate` seconds apart (the worker's `maxActivitiesPerSecond`): a
 * poll may return a task, so starting polls no faster than the rate keeps the tasks started within
 * it. Concurrent pollers queue up: each is given the next free start time.
 *
 * @module
 */

/**
 * @example
 * ```ts
 * const limiter = new PollRateLimiter(5, () => Date.now()); // at most 5 poll starts per second
 * await delay(limiter.reserve());
 * ```
 */
export class PollRateLimiter {
  private readonly intervalMs: number;
  private nextAllowedAt: number;

  constructor(perSecond: number, private readonly now: () => number) {
    if (!(perSecond > 0) || !Number.isFinite(perSecond)) throw new RangeError(`poll rate must be a positive number, got ${perSecond}`);
    this.intervalMs = 1000 / perSecond;
    this.nextAllowedAt = now();
  }

  /** Takes the next start time and returns how many milliseconds from now it is (0: start now). */
  reserve(): number {
    const now = this.now();
    const at = Math.max(this.nextAllowedAt, now);
    this.nextAllowedAt = at + this.intervalMs;
    return at - now;
  }
}
