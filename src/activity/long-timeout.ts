/**
 * Timers longer than `setTimeout` allows. Node keeps a delay of at most 2³¹−1 ms (≈24.8 days) and
 * fires a longer one after 1 ms (with a TimeoutOverflowWarning); activity timeouts of 30 days and
 * test sleeps of months are ordinary, so these wait in steps instead.
 *
 * Host code only (activities, the worker, test environments): workflow code has no `setTimeout`.
 *
 * @module
 */

/** The longest delay `setTimeout` keeps. */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** A timer that may be longer than {@link MAX_TIMEOUT_MS}; `timer` is the step being waited. */
export interface LongTimeout {
  timer: ReturnType<typeof setTimeout> | undefined;
}

/**
 * Calls `fn` after `ms` (negative counts as 0), waiting in steps of at most {@link MAX_TIMEOUT_MS}.
 *
 * @example
 * ```ts
 * const handle = setLongTimeout(() => expire(), 30 * 86_400_000);
 * clearLongTimeout(handle);
 * ```
 */
export function setLongTimeout(fn: () => void, ms: number): LongTimeout {
  const handle: LongTimeout = { timer: undefined };
  const arm = (remaining: number): void => {
    const step = Math.min(remaining, MAX_TIMEOUT_MS);
    handle.timer = setTimeout(() => (remaining > step ? arm(remaining - step) : fn()), step);
  };
  arm(Math.max(0, ms));
  return handle;
}

/** Cancels a {@link setLongTimeout} timer; `undefined` and fired timers are ignored. */
export function clearLongTimeout(handle: LongTimeout | undefined): void {
  clearTimeout(handle?.timer);
}

/**
 * Resolves after `ms`; with a `signal`, rejects with its reason when it aborts first (at once if it
 * already has).
 *
 * @example
 * ```ts
 * await longDelay(40 * 86_400_000, controller.signal);
 * ```
 */
export function longDelay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal === undefined) {
      setLongTimeout(resolve, ms);
      return;
    }
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearLongTimeout(handle);
      reject(signal.reason);
    };
    const handle = setLongTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
