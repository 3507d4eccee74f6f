/**
 * Heartbeat throttling for one activity, with the official Core SDK's rules: the first heartbeat
 * is sent at once; heartbeats recorded while one is being sent or within the throttle interval after
 * it are coalesced, and only the latest is sent when the interval ends. If none was recorded by
 * then, the throttle goes idle and the next heartbeat is again sent at once.
 *
 * @module
 */

import { clearLongTimeout, setLongTimeout, type LongTimeout } from '../../activity/long-timeout.js';

/** Time and timers, injectable so that tests can drive a fake clock. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/**
 * The real clock. Its timers may be longer than `setTimeout` allows (activity timeouts of 30 days
 * are ordinary); they are waited in steps.
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: setLongTimeout,
  clearTimeout: (handle) => clearLongTimeout(handle as LongTimeout | undefined),
};

/**
 * The throttle interval for an activity: 80% of its heartbeat timeout, or the default when it has
 * none (or a zero one), capped at the maximum.
 *
 * @example
 * ```ts
 * heartbeatThrottleIntervalMs(10_000, { defaultMs: 30_000, maxMs: 60_000 }); // 8000
 * ```
 */
export function heartbeatThrottleIntervalMs(
  heartbeatTimeoutMs: number | undefined,
  limits: { defaultMs: number; maxMs: number }
): number {
  const interval = heartbeatTimeoutMs ? heartbeatTimeoutMs * 0.8 : limits.defaultMs;
  return Math.min(interval, limits.maxMs);
}

/** Options of {@link HeartbeatThrottle}. */
export interface HeartbeatThrottleOptions<T> {
  /** Minimum time between the starts of two sends. */
  intervalMs: number;
  /** Sends one heartbeat; a rejection is ignored (report errors inside). */
  send: (details: T) => Promise<void>;
  /** @default the system clock */
  clock?: Clock;
}

/**
 * Coalesces an activity's heartbeats so that at most one is sent per interval.
 *
 * @example
 * ```ts
 * const throttle = new HeartbeatThrottle({ intervalMs: 8000, send: (d) => record(d) });
 * throttle.record(1); // sent now
 * throttle.record(2); throttle.record(3); // 3 is sent 8 s after 1
 * await throttle.flush(); // or: send 3 now
 * ```
 */
export class HeartbeatThrottle<T> {
  private readonly clock: Clock;
  private pending: { details: T } | undefined;
  private inFlight: Promise<void> | undefined;
  private timer: unknown;
  private lastSendAt = 0;
  /** True between a send and the end of its interval. */
  private throttling = false;
  private closed = false;

  constructor(private readonly options: HeartbeatThrottleOptions<T>) {
    if (!(options.intervalMs >= 0)) throw new TypeError(`heartbeat throttle interval must be >= 0, got ${options.intervalMs}`);
    this.clock = options.clock ?? systemClock;
  }

  /** Whether a heartbeat is waiting for the end of the interval. */
  get hasPending(): boolean {
    return this.pending !== undefined;
  }

  /** Records a heartbeat: sends it now when idle, otherwise keeps it as the latest pending one. */
  record(details: T): void {
    if (this.closed) return;
    if (this.throttling) this.pending = { details };
    else this.startSend(details);
  }

  /**
   * Sends the pending heartbeat now (without waiting for the interval) and resolves when every
   * send in progress has finished.
   */
  async flush(): Promise<void> {
    for (;;) {
      if (this.inFlight) {
        await this.inFlight;
        continue;
      }
      if (this.pending === undefined || this.closed) return;
      this.cancelTimer();
      const { details } = this.pending;
      this.pending = undefined;
      this.startSend(details);
    }
  }

  /**
   * Drops the pending heartbeat and stops the timer; later records are ignored. Resolves when the
   * send in progress, if any, has finished.
   */
  close(): Promise<void> {
    this.closed = true;
    this.pending = undefined;
    this.cancelTimer();
    return this.inFlight ?? Promise.resolve();
  }

  private startSend(details: T): void {
    this.throttling = true;
    this.lastSendAt = this.clock.now();
    const sent = this.options.send(details).catch(() => undefined);
    this.inFlight = sent.then(() => this.afterSend());
  }

  private afterSend(): void {
    this.inFlight = undefined;
    if (this.closed) return;
    const elapsed = this.clock.now() - this.lastSendAt;
    const wait = Math.max(0, this.options.intervalMs - elapsed);
    this.timer = this.clock.setTimeout(() => this.onIntervalEnd(), wait);
  }

  private onIntervalEnd(): void {
    this.timer = undefined;
    if (this.closed) return;
    const pending = this.pending;
    this.pending = undefined;
    if (pending) this.startSend(pending.details);
    else this.throttling = false;
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
