/**
 * `Worker.runUntil`: run the worker while a promise (or function) is pending, then shut it down, with
 * the official worker's outcome rules.
 *
 * @module
 */
import { msToNumber, ValueError, type Duration } from '../common/index.js';
import { CombinedWorkerRunError, PromiseCompletionTimeoutError } from './worker-errors.js';

/** Options of `Worker.runUntil`. */
export interface RunUntilOptions {
  /**
   * How long to wait, once the worker has stopped, for the promise to settle before giving up with a
   * {@link PromiseCompletionTimeoutError}.
   * @default 0
   */
  promiseCompletionTimeout?: Duration;
}

/** The worker as runUntil drives it. */
export interface RunnableWorker {
  run(): Promise<void>;
  /** Begins shutdown; does nothing unless running. */
  shutdown(): void;
}

type Outcome<R> = { ok: true; value: R } | { ok: false; error: unknown };

/**
 * Runs `worker` until `fnOrPromise` settles, then shuts it down and waits for it. Returns the
 * promise's value; throws its error when the worker stopped cleanly, the worker's error when only
 * the worker failed, a {@link CombinedWorkerRunError} when both failed, and a
 * {@link PromiseCompletionTimeoutError} when the worker stopped first and the promise did not settle
 * within `promiseCompletionTimeout`.
 *
 * @example
 * ```ts
 * const result = await runWorkerUntil(worker, () => client.workflow.execute(order, options));
 * ```
 */
export async function runWorkerUntil<R>(worker: RunnableWorker, fnOrPromise: Promise<R> | (() => Promise<R>), options: RunUntilOptions = {}): Promise<R> {
  const timeoutMs = completionTimeoutMs(options);
  const running = worker.run();
  let inner: Outcome<R> | undefined;
  const settled = (async () => {
    try {
      inner = { ok: true, value: await (typeof fnOrPromise === 'function' ? fnOrPromise() : fnOrPromise) };
    } catch (error) {
      inner = { ok: false, error };
    } finally {
      worker.shutdown();
    }
  })();
  let workerFailure: { error: unknown } | undefined;
  await running.catch((error: unknown) => (workerFailure = { error }));
  if (inner === undefined && timeoutMs > 0) await settledWithin(settled, timeoutMs);
  const outcome: Outcome<R> = inner ?? {
    ok: false,
    error: new PromiseCompletionTimeoutError(`The promise given to runUntil did not settle within ${timeoutMs} ms after the worker stopped`),
  };
  if (workerFailure === undefined) {
    if (outcome.ok) return outcome.value;
    throw outcome.error;
  }
  if (outcome.ok) throw workerFailure.error;
  throw new CombinedWorkerRunError('The worker failed in runUntil, and so did the promise it was given', {
    cause: { workerError: workerFailure.error, innerError: outcome.error },
  });
}

function completionTimeoutMs(options: RunUntilOptions): number {
  if (typeof options !== 'object' || options === null) throw new ValueError('runUntil options must be an object');
  const ms = msToNumber(options.promiseCompletionTimeout ?? 0);
  if (!(ms >= 0)) throw new ValueError(`runUntil option 'promiseCompletionTimeout' must not be negative, got ${String(options.promiseCompletionTimeout)}`);
  return ms;
}

/** Waits for `promise`, at most `ms`. */
async function settledWithin(promise: Promise<void>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([promise, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}
