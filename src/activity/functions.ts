/**
 * Shortcuts for the current activity's {@link Context}: `activityInfo()`, `heartbeat()`, `sleep()`,
 * `cancelled()`, `cancellationSignal()`, `cancellationDetails()`, `getClient()` and `log`. Each throws an
 * `IllegalStateError` when called outside an activity.
 *
 * @module
 */
import type { Duration } from '../common/duration.js';
import type { Logger, LogLevel, LogMetadata } from '../common/logger.js';
import type { MetricCounter, MetricGauge, MetricHistogram, MetricMeter, MetricTags, NumericMetricValueType } from '../common/metrics.js';
import type { ActivityCancellationDetails } from '../common/activity-cancellation.js';
import type { Client } from '../client/client.js';
import { Context } from './context.js';
import type { Info } from './info.js';

/**
 * Information about the current activity execution: `Context.current().info`.
 *
 * @example
 * ```ts
 * const resumeFrom = (activityInfo().heartbeatDetails as number | undefined) ?? 0;
 * ```
 */
export function activityInfo(): Info {
  return Context.current().info;
}

/**
 * Records a heartbeat with optional `details`: `Context.current().heartbeat(details)`.
 *
 * @example
 * ```ts
 * heartbeat({ processed: 120 });
 * ```
 */
export function heartbeat(details?: unknown): void {
  Context.current().heartbeat(details);
}

/**
 * Cancellation-aware sleep: `Context.current().sleep(ms)`.
 *
 * @example
 * ```ts
 * await sleep('1s'); // rejects with CancelledFailure if the activity is cancelled meanwhile
 * ```
 */
export function sleep(ms: Duration): Promise<void> {
  return Context.current().sleep(ms);
}

/**
 * A promise that rejects with a `CancelledFailure` when the activity is cancelled:
 * `Context.current().cancelled`.
 *
 * @example
 * ```ts
 * await Promise.race([doWork(), cancelled()]);
 * ```
 */
export function cancelled(): Promise<never> {
  return Context.current().cancelled;
}

/**
 * An `AbortSignal` aborted when the activity is cancelled: `Context.current().cancellationSignal`.
 *
 * @example
 * ```ts
 * const res = await fetch(url, { signal: cancellationSignal() });
 * ```
 */
export function cancellationSignal(): AbortSignal {
  return Context.current().cancellationSignal;
}

/**
 * Why the activity was cancelled, or `undefined`: `Context.current().cancellationDetails`.
 *
 * @example
 * ```ts
 * if (cancellationDetails()?.workerShutdown) await saveProgress();
 * ```
 * @experimental
 */
export function cancellationDetails(): ActivityCancellationDetails | undefined {
  return Context.current().cancellationDetails;
}

/**
 * A Client on the worker's connection and namespace (`Context.current().client`).
 *
 * @throws {@link IllegalStateError} outside an activity, or in a `MockActivityEnvironment` created without a `client`.
 * @example
 * ```ts
 * await getClient().workflow.getHandle(orderId).signal(paid);
 * ```
 */
export function getClient(): Client {
  return Context.current().client;
}

/**
 * The current activity's logger (`Context.current().log`), resolved at every call, so it can be
 * imported once at module level.
 *
 * @example
 * ```ts
 * log.info('charging card', { orderId });
 * ```
 */
export const log: Logger = {
  log: (level: LogLevel, message: string, meta?: LogMetadata) => Context.current().log.log(level, message, meta),
  trace: (message: string, meta?: LogMetadata) => Context.current().log.trace(message, meta),
  debug: (message: string, meta?: LogMetadata) => Context.current().log.debug(message, meta),
  info: (message: string, meta?: LogMetadata) => Context.current().log.info(message, meta),
  warn: (message: string, meta?: LogMetadata) => Context.current().log.warn(message, meta),
  error: (message: string, meta?: LogMetadata) => Context.current().log.error(message, meta),
};

/**
 * Custom metrics of the current activity: `Context.current().metricMeter`, looked up at each call,
 * so instruments must be created while an activity executes.
 *
 * @example
 * ```ts
 * export async function load(batch: Row[]): Promise<void> {
 *   metricMeter.createCounter('rows_loaded', 'rows', 'Rows loaded').add(batch.length);
 * }
 * ```
 */
export const metricMeter: MetricMeter = {
  createCounter(name: string, unit?: string, description?: string): MetricCounter {
    return Context.current().metricMeter.createCounter(name, unit, description);
  },
  createHistogram(name: string, valueType?: NumericMetricValueType, unit?: string, description?: string): MetricHistogram {
    return Context.current().metricMeter.createHistogram(name, valueType, unit, description);
  },
  createGauge(name: string, valueType?: NumericMetricValueType, unit?: string, description?: string): MetricGauge {
    return Context.current().metricMeter.createGauge(name, valueType, unit, description);
  },
  withTags(tags: MetricTags): MetricMeter {
    return Context.current().metricMeter.withTags(tags);
  },
};
