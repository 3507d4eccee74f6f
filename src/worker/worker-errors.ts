/**
 * The errors `Worker.run()` and `Worker.runUntil()` throw, with the official worker's names.
 *
 * @module
 */
import { markErrorClass } from '../common/index.js';

/**
 * `run()` rejects with this when the worker has not finished shutting down `shutdownForceTime` after
 * shutdown began; work still in flight is abandoned.
 */
export class GracefulShutdownPeriodExpiredError extends Error {}
markErrorClass(GracefulShutdownPeriodExpiredError, 'GracefulShutdownPeriodExpiredError');

/**
 * `runUntil()` rejects with this when the worker stopped first and the promise it was given did not
 * settle within `promiseCompletionTimeout` after that.
 */
export class PromiseCompletionTimeoutError extends Error {}
markErrorClass(PromiseCompletionTimeoutError, 'PromiseCompletionTimeoutError');

/** What failed in a {@link CombinedWorkerRunError}. */
export interface CombinedWorkerRunErrorCause {
  /** Why the worker failed. */
  workerError: unknown;
  /** Why the promise given to `runUntil` (or its function) failed. */
  innerError: unknown;
}

/**
 * `runUntil()` rejects with this when both the worker and the promise it was given failed.
 *
 * @example
 * ```ts
 * try {
 *   await worker.runUntil(scenario());
 * } catch (error) {
 *   if (error instanceof CombinedWorkerRunError) console.error(error.cause.workerError, error.cause.innerError);
 * }
 * ```
 */
export class CombinedWorkerRunError extends Error {
  declare readonly cause: CombinedWorkerRunErrorCause;

  constructor(message: string, options: { cause: CombinedWorkerRunErrorCause }) {
    super(message, options);
  }
}
markErrorClass(CombinedWorkerRunError, 'CombinedWorkerRunError');
