/**
 * The server's source of time. Every timestamp the server writes and every timer it arms reads
 * this clock, so time skipping can replace it without touching the engine.
 */
export interface Clock {
  /** Current server time, epoch milliseconds. */
  now(): number;
}

/** Wall-clock time. */
export const systemClock: Clock = { now: () => Date.now() };
