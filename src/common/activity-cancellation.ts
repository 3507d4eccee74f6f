/**
 * Why an activity was cancelled: the {@link CancelReason} carried as the `CancelledFailure`'s
 * message, and the {@link ActivityCancellationDetails} flags behind it.
 *
 * @module
 */

/**
 * The message of the `CancelledFailure` an activity receives when it is cancelled:
 *
 * - `CANCELLED`: the workflow requested cancellation (learned from a heartbeat response);
 * - `NOT_FOUND`: the server no longer knows this attempt (it timed out, or its workflow closed);
 * - `TIMED_OUT`: the worker's own timer saw the start-to-close or heartbeat timeout pass;
 * - `WORKER_SHUTDOWN`: the worker is shutting down and its grace time is over;
 * - `PAUSED` / `RESET`: the activity was paused or reset by an operator;
 * - `HEARTBEAT_DETAILS_CONVERSION_FAILED`: heartbeat details could not be converted to a payload.
 */
export type CancelReason =
  | 'CANCELLED'
  | 'NOT_FOUND'
  | 'TIMED_OUT'
  | 'WORKER_SHUTDOWN'
  | 'PAUSED'
  | 'RESET'
  | 'HEARTBEAT_DETAILS_CONVERSION_FAILED';

/** Flags of {@link ActivityCancellationDetails}; unset flags are `false`. */
export interface ActivityCancellationDetailsOptions {
  notFound?: boolean;
  cancelRequested?: boolean;
  paused?: boolean;
  timedOut?: boolean;
  workerShutdown?: boolean;
  reset?: boolean;
}

/**
 * Why an activity was cancelled, as flags (several may be set, e.g. a heartbeat response may report
 * both a cancel request and a pause). Set once, when the activity is cancelled.
 *
 * @example
 * ```ts
 * const details = cancellationDetails();
 * if (details?.paused) log.info('paused by an operator');
 * ```
 * @experimental
 */
export class ActivityCancellationDetails {
  readonly notFound: boolean;
  readonly cancelRequested: boolean;
  readonly paused: boolean;
  readonly timedOut: boolean;
  readonly workerShutdown: boolean;
  readonly reset: boolean;

  constructor(options: ActivityCancellationDetailsOptions = {}) {
    this.notFound = options.notFound ?? false;
    this.cancelRequested = options.cancelRequested ?? false;
    this.paused = options.paused ?? false;
    this.timedOut = options.timedOut ?? false;
    this.workerShutdown = options.workerShutdown ?? false;
    this.reset = options.reset ?? false;
  }

  /**
   * The details implied by a single reason (the flag of that reason only).
   *
   * @example
   * ```ts
   * ActivityCancellationDetails.fromReason('WORKER_SHUTDOWN').workerShutdown; // true
   * ```
   */
  static fromReason(reason: CancelReason): ActivityCancellationDetails {
    return new ActivityCancellationDetails({
      notFound: reason === 'NOT_FOUND',
      cancelRequested: reason === 'CANCELLED',
      paused: reason === 'PAUSED',
      timedOut: reason === 'TIMED_OUT',
      workerShutdown: reason === 'WORKER_SHUTDOWN',
      reset: reason === 'RESET',
    });
  }
}
