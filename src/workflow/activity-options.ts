/**
 * Options of activities and local activities called from a workflow, and their compilation into the
 * fields of the `scheduleActivity` / `scheduleLocalActivity` commands.
 *
 * @module
 */
import { compilePriority, msOptionalToNumber, msToNumber, type Duration, type ProtoRetryPolicy, type RetryPolicy } from '../common/index.js';
import type { Priority } from './interfaces.js';
import { plainRetryPolicy } from './runtime/plain-proto.js';
import { ActivityCancellationType } from '../common/workflow-policies.js';

export { ActivityCancellationType };

/** Options of activities called through `proxyActivities`. */
export interface ActivityOptions {
  /** @default the activity's sequence number in this run, as a string (`'1'`, `'2'`, ...) */
  activityId?: string;
  /** @default the workflow's task queue */
  taskQueue?: string;
  /** Maximum time between heartbeats; unset means the activity need not heartbeat. */
  heartbeatTimeout?: Duration;
  /** How the server retries the activity; unset means the server's default policy. */
  retry?: RetryPolicy;
  /** Maximum time of a single attempt. Either this or `scheduleToCloseTimeout` is required. */
  startToCloseTimeout?: Duration;
  /** Maximum time the activity may wait in its task queue. */
  scheduleToStartTimeout?: Duration;
  /** Maximum time of the whole activity, all attempts included. */
  scheduleToCloseTimeout?: Duration;
  /** @default ActivityCancellationType.WAIT_CANCELLATION_COMPLETED */
  cancellationType?: ActivityCancellationType;
  /**
   * Let the worker that completes the workflow task start the activity right away.
   *
   * @default true
   */
  allowEagerDispatch?: boolean;
  /** A single-line summary shown in UIs (stored in history, converted by the payload converter). */
  summary?: string;
  priority?: Priority;
}

/** Options of local activities called through `proxyLocalActivities`. */
export interface LocalActivityOptions {
  retry?: RetryPolicy;
  /** Maximum time of a single attempt. Either this or `scheduleToCloseTimeout` is required. */
  startToCloseTimeout?: Duration;
  scheduleToStartTimeout?: Duration;
  scheduleToCloseTimeout?: Duration;
  /**
   * Beyond this backoff, retries wait on a durable timer instead of in the worker.
   *
   * @default 1 minute
   */
  localRetryThreshold?: Duration;
  /** @default ActivityCancellationType.WAIT_CANCELLATION_COMPLETED */
  cancellationType?: ActivityCancellationType;
  summary?: string;
}

/** Timeouts of an activity, in milliseconds. */
export interface CompiledActivityTimeouts {
  scheduleToCloseTimeoutMs?: number;
  scheduleToStartTimeoutMs?: number;
  startToCloseTimeoutMs?: number;
}

/** {@link ActivityOptions} as the scheduleActivity command carries them (ids and payloads aside). */
export interface CompiledActivityOptions extends CompiledActivityTimeouts {
  heartbeatTimeoutMs?: number;
  retryPolicy?: ProtoRetryPolicy;
  cancellationType: ActivityCancellationType;
  doNotEagerlyExecute: boolean;
  priority?: Priority;
}

/** {@link LocalActivityOptions} as the scheduleLocalActivity command carries them. */
export interface CompiledLocalActivityOptions extends CompiledActivityTimeouts {
  retryPolicy?: ProtoRetryPolicy;
  localRetryThresholdMs: number;
  cancellationType: ActivityCancellationType;
}

/**
 * Validates activity options and converts them to command fields, applying the defaults.
 *
 * @throws TypeError (or ValueError for the retry policy) naming the invalid option
 */
export function compileActivityOptions(options: ActivityOptions): CompiledActivityOptions {
  validateActivityOptions(options);
  const { scheduleToCloseTimeoutMs, scheduleToStartTimeoutMs, startToCloseTimeoutMs } = compileActivityTimeouts(options);
  // Runs for every activity call: a literal, not `{ ...timeouts, … }` (V8 adds properties to a spread copy slowly).
  return {
    scheduleToCloseTimeoutMs,
    scheduleToStartTimeoutMs,
    startToCloseTimeoutMs,
    heartbeatTimeoutMs: durationOption(options.heartbeatTimeout, 'heartbeatTimeout'),
    retryPolicy: options.retry ? plainRetryPolicy(options.retry) : undefined,
    cancellationType: compileCancellationType(options.cancellationType),
    doNotEagerlyExecute: !(options.allowEagerDispatch ?? true),
    priority: commandPriority(options.priority),
  };
}

/**
 * Validates local activity options and converts them to command fields, applying the defaults.
 *
 * @throws TypeError (or ValueError for the retry policy) naming the invalid option
 */
export function compileLocalActivityOptions(options: LocalActivityOptions): CompiledLocalActivityOptions {
  validateActivityOptions(options);
  const { scheduleToCloseTimeoutMs, scheduleToStartTimeoutMs, startToCloseTimeoutMs } = compileActivityTimeouts(options);
  return {
    scheduleToCloseTimeoutMs,
    scheduleToStartTimeoutMs,
    startToCloseTimeoutMs,
    retryPolicy: options.retry ? plainRetryPolicy(options.retry) : undefined,
    localRetryThresholdMs: durationOption(options.localRetryThreshold, 'localRetryThreshold') ?? 60_000,
    cancellationType: compileCancellationType(options.cancellationType),
  };
}

/**
 * Checks that activity options carry a timeout that bounds each attempt.
 *
 * @throws TypeError when neither `startToCloseTimeout` nor `scheduleToCloseTimeout` is set
 */
export function validateActivityOptions(options: ActivityOptions | LocalActivityOptions | undefined): void {
  if (options === undefined || options === null || typeof options !== 'object') {
    throw new TypeError('Activity options must be an object, e.g. { startToCloseTimeout: "1 minute" }');
  }
  if (options.scheduleToCloseTimeout === undefined && options.startToCloseTimeout === undefined) {
    throw new TypeError(
      'Required either scheduleToCloseTimeout or startToCloseTimeout in activity options ' +
        '(e.g. proxyActivities({ startToCloseTimeout: "1 minute" }))'
    );
  }
}

/** Converts the three timeouts to milliseconds, naming the option of an invalid value. */
export function compileActivityTimeouts(options: ActivityOptions | LocalActivityOptions): CompiledActivityTimeouts {
  return {
    scheduleToCloseTimeoutMs: durationOption(options.scheduleToCloseTimeout, 'scheduleToCloseTimeout'),
    scheduleToStartTimeoutMs: durationOption(options.scheduleToStartTimeout, 'scheduleToStartTimeout'),
    startToCloseTimeoutMs: durationOption(options.startToCloseTimeout, 'startToCloseTimeout'),
  };
}

/**
 * A required duration in ms.
 *
 * @throws TypeError naming `name` when the value is missing or invalid
 */
export function requiredDuration(value: Duration, name: string): number {
  try {
    return msToNumber(value);
  } catch (err) {
    throw new TypeError(`Invalid ${name}: ${(err as Error).message}`, { cause: err });
  }
}

/** A duration option in ms; `undefined` stays `undefined`. */
export function durationOption(value: Duration | undefined, name: string): number | undefined {
  try {
    return msOptionalToNumber(value);
  } catch (err) {
    throw new TypeError(`Invalid ${name}: ${(err as Error).message}`, { cause: err });
  }
}

/** Validates `cancellationType` and applies its default. */
export function compileCancellationType(value: ActivityCancellationType | undefined): ActivityCancellationType {
  if (value === undefined) return ActivityCancellationType.WAIT_CANCELLATION_COMPLETED;
  if (!Object.prototype.hasOwnProperty.call(ActivityCancellationType, value)) {
    throw new TypeError(
      `Invalid activity cancellationType: ${String(value)} (expected TRY_CANCEL, WAIT_CANCELLATION_COMPLETED or ABANDON)`
    );
  }
  return value;
}

/**
 * The priority commands carry: its set fields, or undefined when none is (then the workflow's applies).
 *
 * @throws TypeError / RangeError as {@link compilePriority}
 */
export function commandPriority(priority: Priority | undefined): Priority | undefined {
  if (priority === undefined) return undefined;
  const compiled = compilePriority(priority);
  return Object.keys(compiled).length > 0 ? compiled : undefined;
}

/**
 * Options merged for `executeWithOptions`: the override's fields win; nested objects (`retry`,
 * `priority`) are merged recursively, field by field.
 */
export function mergeActivityOptions<T extends object>(base: T, override: Partial<T>): T {
  const merged: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [key, value] of Object.entries(override)) {
    const previous = merged[key];
    merged[key] = isPlainObject(previous) && isPlainObject(value) ? mergeActivityOptions<Record<string, unknown>>(previous, value) : value;
  }
  return merged as T;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
