/**
 * The failure tree: errors that cross workflow, activity and client boundaries as
 * `temporal.api.failure.v1.Failure` messages. Only {@link ApplicationFailure} is meant to be thrown
 * by user code; the others are produced by the SDK.
 *
 * @module
 */
import type { Duration } from './duration.js';
import type { ApplicationFailureCategory, RetryState, TimeoutType } from './failure-enums.js';
import type { ProtoFailure, WorkflowExecution } from './proto-types.js';
import { errorMessage, isError, isRecord, markErrorClass } from './type-helpers.js';

/** The `source` this SDK writes on every failure it encodes (the official TypeScript SDK's value). */
export const FAILURE_SOURCE = 'TypeScriptSDK';

/**
 * Base of every failure that can cross workflow and activity boundaries. Never extend it (or its
 * subclasses) yourself; throw an {@link ApplicationFailure} instead.
 */
export class TemporalFailure extends Error {
  /** The failure message this error was decoded from, when it came from another process. */
  public failure?: ProtoFailure;
  override readonly cause?: Error;

  constructor(message?: string | null, cause?: Error) {
    super(message ?? undefined);
    this.cause = cause;
  }
}
markErrorClass(TemporalFailure, 'TemporalFailure');

/** A failure that originated in the Temporal service. */
export class ServerFailure extends TemporalFailure {
  constructor(
    message: string | undefined,
    public readonly nonRetryable: boolean,
    cause?: Error
  ) {
    super(message, cause);
  }
}
markErrorClass(ServerFailure, 'ServerFailure');

/** Options of {@link ApplicationFailure.create}. */
export interface ApplicationFailureOptions {
  /** Error message. */
  message?: string;
  /** Error type, matched against {@link RetryPolicy.nonRetryableErrorTypes}. */
  type?: string;
  /**
   * Whether the activity or workflow must not be retried.
   *
   * @default false
   */
  nonRetryable?: boolean;
  /** Details about the failure, serialized by the payload converter. */
  details?: unknown[];
  /** Overrides the delay before the next retry (still bounded by the retry policy's limits). */
  nextRetryDelay?: Duration;
  /** The error that caused this one. */
  cause?: Error;
  /** Severity category, which changes worker logging and metrics. */
  category?: ApplicationFailureCategory;
}

/**
 * An application-specific failure of a workflow or activity: the one failure class user code throws.
 *
 * Its {@link type} is matched against the retry policy's `nonRetryableErrorTypes`; setting
 * {@link nonRetryable} stops retries regardless. In an activity any thrown `Error` is converted to
 * an `ApplicationFailure` (type = the error's class name); in a workflow, throwing an
 * `ApplicationFailure` fails the execution while other errors fail (and retry) the workflow task.
 *
 * @example
 * ```ts
 * throw ApplicationFailure.create({ message: 'card declined', type: 'PaymentError', nonRetryable: true });
 * ```
 */
export class ApplicationFailure extends TemporalFailure {
  /** Prefer {@link ApplicationFailure.create} or {@link ApplicationFailure.fromError}. */
  constructor(
    message?: string | null,
    public readonly type?: string | null,
    public readonly nonRetryable?: boolean | null,
    public readonly details?: unknown[] | null,
    cause?: Error,
    public readonly nextRetryDelay?: Duration | null,
    public readonly category?: ApplicationFailureCategory | null
  ) {
    super(message, cause);
  }

  /**
   * Converts any thrown value with {@link ensureApplicationFailure}, then applies `overrides`.
   *
   * @example
   * ```ts
   * catch (err) { throw ApplicationFailure.fromError(err, { nonRetryable: true }); }
   * ```
   */
  public static fromError(error: unknown, overrides?: ApplicationFailureOptions): ApplicationFailure {
    const failure = ensureApplicationFailure(error);
    Object.assign(failure, overrides);
    return failure;
  }

  /**
   * Creates a failure from options; retryable unless `nonRetryable` is set or its type is listed in
   * the retry policy's `nonRetryableErrorTypes`.
   *
   * @example
   * ```ts
   * ApplicationFailure.create({ message: 'try later', nextRetryDelay: '30s' });
   * ```
   */
  public static create(options: ApplicationFailureOptions): ApplicationFailure {
    const { message, type, nonRetryable = false, details, nextRetryDelay, cause, category } = options;
    return new this(message, type, nonRetryable, details, cause, nextRetryDelay, category);
  }

  /**
   * A retryable failure; `type` defaults to `'Error'`.
   *
   * @example
   * ```ts
   * throw ApplicationFailure.retryable('upstream busy', 'BusyError', { retryInSec: 5 });
   * ```
   */
  public static retryable(message?: string | null, type?: string | null, ...details: unknown[]): ApplicationFailure {
    return new this(message, type ?? 'Error', false, details);
  }

  /**
   * A failure that is never retried; `type` defaults to `'Error'`.
   *
   * @example
   * ```ts
   * throw ApplicationFailure.nonRetryable('invalid input', 'ValidationError');
   * ```
   */
  public static nonRetryable(message?: string | null, type?: string | null, ...details: unknown[]): ApplicationFailure {
    return new this(message, type ?? 'Error', true, details);
  }
}
markErrorClass(ApplicationFailure, 'ApplicationFailure');

/**
 * A non-retryable `PayloadValidationError` for converters and codecs that understand a payload but
 * reject it; a non-nullish `details` becomes the single failure detail.
 */
export function createPayloadValidationError(details: unknown): ApplicationFailure {
  return ApplicationFailure.create({
    message: 'Payload validation failed',
    type: 'PayloadValidationError',
    nonRetryable: true,
    details: details === null || details === undefined ? [] : [details],
  });
}

/**
 * Thrown when cancellation was requested; let it propagate to allow the cancellation. When a
 * workflow or activity is cancelled, a `CancelledFailure` is the `cause` of the failure reported.
 */
export class CancelledFailure extends TemporalFailure {
  constructor(
    message: string | undefined,
    public readonly details: unknown[] = [],
    cause?: Error
  ) {
    super(message, cause);
  }
}
markErrorClass(CancelledFailure, 'CancelledFailure');

/** The `cause` of a failure when a workflow was terminated. */
export class TerminatedFailure extends TemporalFailure {
  constructor(message: string | undefined, cause?: Error) {
    super(message, cause);
  }
}
markErrorClass(TerminatedFailure, 'TerminatedFailure');

/**
 * A workflow or activity timeout; `lastHeartbeatDetails` holds the last heartbeat's first detail.
 * When the server attaches the last attempt's failure, it is the `cause`.
 */
export class TimeoutFailure extends TemporalFailure {
  constructor(
    message: string | undefined,
    public readonly lastHeartbeatDetails: unknown,
    public readonly timeoutType: TimeoutType,
    cause?: Error
  ) {
    super(message, cause);
  }
}
markErrorClass(TimeoutFailure, 'TimeoutFailure');

/**
 * An activity failed; the original reason (an {@link ApplicationFailure}, a {@link TimeoutFailure},
 * a {@link CancelledFailure}...) is its `cause`. Produced by the SDK only.
 */
export class ActivityFailure extends TemporalFailure {
  public constructor(
    message: string | undefined,
    public readonly activityType: string,
    public readonly activityId: string | undefined,
    public readonly retryState: RetryState,
    public readonly identity: string | undefined,
    cause?: Error
  ) {
    super(message, cause);
  }
}
markErrorClass(ActivityFailure, 'ActivityFailure');

/** A child workflow failed; the reason is its `cause`. Produced by the SDK only. */
export class ChildWorkflowFailure extends TemporalFailure {
  public constructor(
    public readonly namespace: string | undefined,
    public readonly execution: WorkflowExecution,
    public readonly workflowType: string,
    public readonly retryState: RetryState,
    cause?: Error
  ) {
    super('Child Workflow execution failed', cause);
  }
}
markErrorClass(ChildWorkflowFailure, 'ChildWorkflowFailure');

/** A Nexus operation started by a workflow failed; the reason is its `cause`. */
export class NexusOperationFailure extends TemporalFailure {
  public constructor(
    message: string | undefined,
    public readonly scheduledEventId: number | undefined,
    public readonly endpoint: string,
    public readonly service: string,
    public readonly operation: string,
    public readonly operationToken: string | undefined,
    cause?: Error
  ) {
    super(message, cause);
  }
}
markErrorClass(NexusOperationFailure, 'NexusOperationFailure');

/**
 * Returns `error` when it already is an {@link ApplicationFailure}; otherwise wraps it: message from
 * `error.message` (or `String(error)`), type from its constructor name (or `name`), the same stack,
 * and `error.cause` when that is an Error.
 */
export function ensureApplicationFailure(error: unknown): ApplicationFailure {
  if (error instanceof ApplicationFailure) return error;
  const record = isRecord(error) ? error : undefined;
  const message = (record && String(record['message'])) || String(error);
  const ctor = record?.['constructor'] as { name?: unknown } | undefined;
  const type = record ? ((ctor?.name ?? record['name']) as string | undefined) || undefined : undefined;
  const cause = record && isError(record['cause']) ? record['cause'] : undefined;
  const failure = ApplicationFailure.create({ message, type, nonRetryable: false, cause });
  failure.stack = record && typeof record['stack'] === 'string' ? record['stack'] : '';
  return failure;
}

/** Returns `err` when it is a {@link TemporalFailure}, otherwise {@link ensureApplicationFailure}. */
export function ensureTemporalFailure(err: unknown): TemporalFailure {
  return err instanceof TemporalFailure ? err : ensureApplicationFailure(err);
}

/**
 * The message at the root of a failure's `cause` chain (or the error's own message for a plain
 * error, or the string itself).
 *
 * @example
 * ```ts
 * rootCause(activityFailure); // 'card declined'
 * ```
 */
export function rootCause(error: unknown): string | undefined {
  if (error instanceof TemporalFailure) return error.cause ? rootCause(error.cause) : error.message;
  return errorMessage(error);
}

/**
 * Whether `err` means "cancelled": a {@link CancelledFailure}, or an activity, child workflow or
 * Nexus operation failure caused by one.
 *
 * @example
 * ```ts
 * try { await activity(); } catch (err) { if (isCancellation(err)) cleanUp(); throw err; }
 * ```
 */
export function isCancellation(err: unknown): boolean {
  if (err instanceof CancelledFailure) return true;
  const wrapsCancel =
    err instanceof ActivityFailure || err instanceof ChildWorkflowFailure || err instanceof NexusOperationFailure;
  return wrapsCancel && err.cause instanceof CancelledFailure;
}
