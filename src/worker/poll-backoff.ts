/**
 * How long a poller waits after a failed poll. Transient errors (the server restarting, the
 * connection dropping) back off exponentially and are retried forever; other errors (a missing
 * namespace, denied permission) are retried at the longest interval for a grace period — proxies
 * return odd codes while starting — and then declared fatal, as the official Core SDK does.
 *
 * @module
 */
import type { Clock } from './activity/heartbeat-throttle.js';
import { isTransientPollError } from './activity/rpc.js';

/** Limits of a {@link PollBackoff}. */
export interface PollBackoffOptions {
  /** @default 100 ms */
  initialMs?: number;
  /** @default 5 s */
  maxMs?: number;
  /** How long non-transient errors are retried before they are fatal. @default 60 s */
  fatalGraceMs?: number;
  /** Random spread of each delay, as a fraction. @default 0.2 */
  jitter?: number;
}

/** What to do after a failed poll. */
export type PollRetryDecision = { retry: true; delayMs: number } | { retry: false };

/**
 * Backoff state of one poller; {@link reset} after every successful poll.
 *
 * @example
 * ```ts
 * const backoff = new PollBackoff(systemClock);
 * const decision = backoff.next(error);
 * if (decision.retry) await delay(decision.delayMs); else throw error;
 * ```
 */
export class PollBackoff {
  private attempt = 0;
  private firstFatalAt: number | undefined;
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly fatalGraceMs: number;
  private readonly jitter: number;

  constructor(
    private readonly clock: Pick<Clock, 'now'>,
    options: PollBackoffOptions = {}
  ) {
    this.initialMs = options.initialMs ?? 100;
    this.maxMs = options.maxMs ?? 5_000;
    this.fatalGraceMs = options.fatalGraceMs ?? 60_000;
    this.jitter = options.jitter ?? 0.2;
  }

  /** The decision after `error`. */
  next(error: unknown): PollRetryDecision {
    this.attempt++;
    if (isTransientPollError(error)) {
      this.firstFatalAt = undefined;
      const base = Math.min(this.initialMs * 2 ** (this.attempt - 1), this.maxMs);
      const spread = 1 + (Math.random() * 2 - 1) * this.jitter;
      return { retry: true, delayMs: Math.round(Math.min(base * spread, this.maxMs)) };
    }
    const now = this.clock.now();
    this.firstFatalAt ??= now;
    if (now - this.firstFatalAt >= this.fatalGraceMs) return { retry: false };
    return { retry: true, delayMs: this.maxMs };
  }

  /** Forgets past failures. */
  reset(): void {
    this.attempt = 0;
    this.firstFatalAt = undefined;
  }
}
