/**
 * Policies a workflow chooses: what happens to an activity it waits on when that is cancelled, and
 * to signal and update handlers still running when it finishes. Plain values, so the client and the
 * workflow sandbox share them.
 *
 * @example
 * ```ts
 * proxyActivities({ startToCloseTimeout: '1m', cancellationType: ActivityCancellationType.TRY_CANCEL });
 * setHandler(approve, onApprove, { unfinishedPolicy: HandlerUnfinishedPolicy.ABANDON });
 * ```
 * @module
 */

/** What the workflow does when an activity it waits on is cancelled (through its cancellation scope). */
export const ActivityCancellationType = {
  /** Request cancellation and fail the activity call immediately, without waiting for the activity. */
  TRY_CANCEL: 'TRY_CANCEL',
  /** Request cancellation and wait until the activity acknowledges it (completes, fails or is cancelled). */
  WAIT_CANCELLATION_COMPLETED: 'WAIT_CANCELLATION_COMPLETED',
  /** Fail the activity call immediately and do not even request cancellation. */
  ABANDON: 'ABANDON',
} as const;
export type ActivityCancellationType = (typeof ActivityCancellationType)[keyof typeof ActivityCancellationType];

/** What happens to signal and update handlers still running when the workflow finishes. */
export const HandlerUnfinishedPolicy = {
  /** Log a warning (unless the workflow failed), then abandon the handler. */
  WARN_AND_ABANDON: 'WARN_AND_ABANDON',
  /** Abandon the handler silently. */
  ABANDON: 'ABANDON',
} as const;
export type HandlerUnfinishedPolicy = (typeof HandlerUnfinishedPolicy)[keyof typeof HandlerUnfinishedPolicy];
