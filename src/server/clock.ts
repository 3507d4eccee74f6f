/**
 * The server's source of time. Every timestamp the server writes and every timer it arms reads
 * this clock, so time skipping can replace it without touching the engine.
 */
export interface Clock {
  /** Current server time, epoch milliseconds. */
  now(): number;
}

/**
 * The longest delay `setTimeout` keeps (about 24.8 days); a longer one fires after 1 ms, with a
 * warning on stderr. Server timers are clamped to it and re-armed when they wake early.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** Wall-clock time. */
export const systemClock: Clock = { now: () => Date.now() };
