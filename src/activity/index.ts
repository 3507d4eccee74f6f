/**
 * What activity code imports: the activity {@link Context} (info, heartbeats, cancellation,
 * cancellation-aware sleep, logger) and shortcut functions for it. Names match
 * `@temporalio/activity`, so activities migrate by changing the import.
 *
 * Any function can be an activity, as long as its arguments and result can be converted by the
 * worker's data converter. Cancellation reaches an activity only if it heartbeats (or when the
 * worker shuts down, or sees one of the activity's timeouts pass); the reason is the message of the
 * `CancelledFailure` it receives (`CANCELLED`, `NOT_FOUND`, `TIMED_OUT`, `WORKER_SHUTDOWN`, ...).
 *
 * @example
 * ```ts
 * import { activityInfo, heartbeat, log, sleep, CancelledFailure } from 'duraflow/activity';
 *
 * export async function processRows(total: number): Promise<number> {
 *   let row = (activityInfo().heartbeatDetails as number | undefined) ?? 0; // resume after a retry
 *   try {
 *     for (; row < total; row++) {
 *       await sleep(100); // rejects with CancelledFailure once cancelled
 *       heartbeat(row);
 *     }
 *     return row;
 *   } catch (err) {
 *     if (err instanceof CancelledFailure) log.warn('cancelled', { row, reason: err.message });
 *     throw err;
 *   }
 * }
 * ```
 * @module
 */
export { Context } from './context.js';
export {
  activityInfo,
  cancellationDetails,
  cancellationSignal,
  cancelled,
  getClient,
  heartbeat,
  log,
  metricMeter,
  sleep,
} from './functions.js';
export type { Info, Priority } from './info.js';
export { ActivityCancellationDetails } from '../common/activity-cancellation.js';
export type { ActivityCancellationDetailsOptions, CancelReason } from '../common/activity-cancellation.js';
export type { ActivityFunction, UntypedActivities } from './types.js';
export { ApplicationFailure, CancelledFailure } from '../common/failure.js';
export { CompleteAsyncError } from '../common/errors.js';
export type { Logger, LogLevel, LogMetadata } from '../common/logger.js';
export type { MetricCounter, MetricGauge, MetricHistogram, MetricMeter, MetricTags, NumericMetricValueType } from '../common/metrics.js';
