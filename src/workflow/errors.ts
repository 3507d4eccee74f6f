/**
 * Errors raised by the workflow runtime (besides the failure classes re-exported from common).
 *
 * @module
 */
import { markErrorClass } from '../common/index.js';

/**
 * A promise rejected inside workflow code and nothing handled it: the workflow task fails (and is
 * retried), as in the official SDK. The rejection reason is the `cause`.
 */
export class UnhandledRejectionError extends Error {
  override readonly cause: unknown;

  constructor(message: string, cause: unknown) {
    super(message);
    this.cause = cause;
  }
}
markErrorClass(UnhandledRejectionError, 'UnhandledRejectionError');

/** A local activity asks to be retried after a durable timer (internal to `proxyLocalActivities`). */
export class LocalActivityDoBackoff extends Error {
  constructor(
    public readonly attempt: number,
    public readonly backoffMs: number,
    public readonly originalScheduleTimeMs: number
  ) {
    super('Local activity backoff');
  }
}
markErrorClass(LocalActivityDoBackoff, 'LocalActivityDoBackoff');
