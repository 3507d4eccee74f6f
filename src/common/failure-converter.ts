/**
 * Failure converters: JS errors ↔ `temporal.api.failure.v1.Failure`. The default converter writes
 * the same messages as the official TypeScript SDK (source `TypeScriptSDK`, cause chains, stack
 * traces, details through the payload converter, optional encoded common attributes), so failures
 * round-trip between duraflow and the official SDKs in both directions.
 *
 * @module
 */
import Long from 'long';
import {
  decodeApplicationFailureCategory,
  decodeRetryState,
  decodeTimeoutType,
  encodeApplicationFailureCategory,
  encodeRetryState,
  encodeTimeoutType,
} from './failure-enums.js';
import type { RetryState, TimeoutType } from './failure-enums.js';
import {
  ActivityFailure,
  ApplicationFailure,
  CancelledFailure,
  ChildWorkflowFailure,
  FAILURE_SOURCE,
  NexusOperationFailure,
  ServerFailure,
  TemporalFailure,
  TerminatedFailure,
  TimeoutFailure,
} from './failure.js';
import { int64ToNumber, msOptionalToTs, optionalTsToMs } from './duration.js';
import { arrayFromPayloads, fromPayloadsAtIndex, toPayloadsWithContext } from './payload-converter.js';
import type { PayloadConverter } from './payload-converter.js';
import type { Payloads, ProtoFailure } from './proto-types.js';
import type { SerializationContext } from './serialization-context.js';
import { cutoffStackTrace } from './stack-trace.js';
import { isError, isRecord } from './type-helpers.js';

/**
 * Converts errors to failure messages and back. Prefer {@link DefaultFailureConverter}, which is
 * compatible with every Temporal SDK.
 */
export interface FailureConverter {
  /** Converts a caught value (usually an Error) to a failure message. */
  errorToFailure(err: unknown, payloadConverter: PayloadConverter, context?: SerializationContext): ProtoFailure;
  /** Converts a failure message to an error, which must be a {@link TemporalFailure}. */
  failureToError(failure: ProtoFailure, payloadConverter: PayloadConverter, context?: SerializationContext): Error;
}

/** The JSON object stored in `encodedAttributes` when common attributes are encoded. */
export interface DefaultEncodedFailureAttributes {
  message: string;
  stack_trace: string;
}

/** Options of {@link DefaultFailureConverter}. */
export interface DefaultFailureConverterOptions {
  /**
   * Move each failure's message and stack trace into `encodedAttributes` (a payload, so a codec can
   * encrypt it) and replace the message with `'Encoded failure'`.
   *
   * @default false
   */
  encodeCommonAttributes: boolean;
}

const NON_ERROR_HINT =
  ' [A non-Error value was thrown from your code. We recommend throwing Error objects so that we can provide a stack trace]';

type Ctx = SerializationContext | undefined;

function detailsPayloads(pc: PayloadConverter, ctx: Ctx, details: unknown[] | null | undefined): Payloads | undefined {
  return details && details.length ? { payloads: toPayloadsWithContext(pc, ctx, details) } : undefined;
}

/**
 * The cross-language failure converter used by default.
 *
 * @example
 * ```ts
 * const converter = new DefaultFailureConverter({ encodeCommonAttributes: true });
 * const failure = converter.errorToFailure(new Error('boom'), defaultPayloadConverter);
 * const err = converter.failureToError(failure, defaultPayloadConverter); // a TemporalFailure
 * ```
 */
export class DefaultFailureConverter implements FailureConverter {
  public readonly options: DefaultFailureConverterOptions;

  constructor(options?: Partial<DefaultFailureConverterOptions>) {
    this.options = { encodeCommonAttributes: options?.encodeCommonAttributes ?? false };
  }

  /** Decodes `encodedAttributes` when present, then builds the error and restores its stack. */
  failureToError(failure: ProtoFailure, payloadConverter: PayloadConverter, context?: SerializationContext): Error {
    let effective = failure;
    if (failure.encodedAttributes) {
      const attrs = payloadConverter.fromPayload<unknown>(failure.encodedAttributes, context);
      // Only apply attributes of the expected shape.
      if (isRecord(attrs)) {
        effective = { ...failure };
        if (typeof attrs['message'] === 'string') effective.message = attrs['message'];
        if (typeof attrs['stack_trace'] === 'string') effective.stackTrace = attrs['stack_trace'];
      }
    }
    const err = this.failureToErrorInner(effective, payloadConverter, context);
    err.stack = effective.stackTrace ?? '';
    if (err instanceof TemporalFailure) err.failure = effective;
    return err;
  }

  /** Builds the error for a failure's `*FailureInfo` kind, without stack or raw failure. */
  failureToErrorInner(failure: ProtoFailure, pc: PayloadConverter, ctx?: SerializationContext): Error {
    const message = failure.message ?? undefined;
    const cause = this.optionalFailureToOptionalError(failure.cause, pc, ctx);
    const app = failure.applicationFailureInfo;
    if (app) {
      const details = arrayFromPayloads(pc, app.details?.payloads, ctx);
      const category = decodeApplicationFailureCategory(app.category);
      const delay = optionalTsToMs(app.nextRetryDelay);
      return new ApplicationFailure(message, app.type, Boolean(app.nonRetryable), details, cause, delay, category);
    }
    if (failure.serverFailureInfo) {
      return new ServerFailure(message, Boolean(failure.serverFailureInfo.nonRetryable), cause);
    }
    const timeout = failure.timeoutFailureInfo;
    if (timeout) {
      const lastHeartbeatDetails = fromPayloadsAtIndex(pc, 0, timeout.lastHeartbeatDetails?.payloads, ctx);
      const timeoutType = decodeTimeoutType(timeout.timeoutType) as TimeoutType;
      return new TimeoutFailure(message, lastHeartbeatDetails, timeoutType, cause);
    }
    if (failure.terminatedFailureInfo) return new TerminatedFailure(message, cause);
    if (failure.canceledFailureInfo) {
      return new CancelledFailure(message, arrayFromPayloads(pc, failure.canceledFailureInfo.details?.payloads, ctx), cause);
    }
    const reset = failure.resetWorkflowFailureInfo;
    if (reset) {
      const details = arrayFromPayloads(pc, reset.lastHeartbeatDetails?.payloads, ctx);
      return new ApplicationFailure(message, 'ResetWorkflow', false, details, cause);
    }
    return this.executionFailureToError(failure, message, cause);
  }

  private executionFailureToError(failure: ProtoFailure, message: string | undefined, cause: Error | undefined): Error {
    const child = failure.childWorkflowExecutionFailureInfo;
    if (child) {
      const { namespace, workflowType, workflowExecution, retryState } = child;
      if (!(workflowType?.name && workflowExecution)) {
        throw new TypeError('Missing attributes on childWorkflowExecutionFailureInfo');
      }
      const state = decodeRetryState(retryState) as RetryState;
      return new ChildWorkflowFailure(namespace ?? undefined, workflowExecution, workflowType.name, state, cause);
    }
    const activity = failure.activityFailureInfo;
    if (activity) {
      if (!activity.activityType?.name) throw new TypeError('Missing activityType?.name on activityFailureInfo');
      const state = decodeRetryState(activity.retryState) as RetryState;
      const { activityId, identity } = activity;
      const type = activity.activityType.name;
      return new ActivityFailure(message, type, activityId ?? undefined, state, identity ?? undefined, cause);
    }
    const nexus = failure.nexusOperationExecutionFailureInfo;
    if (nexus && !failure.nexusHandlerFailureInfo) {
      const scheduledEventId = nexus.scheduledEventId == null ? undefined : int64ToNumber(nexus.scheduledEventId);
      const { endpoint, service, operation, operationToken } = nexus;
      return new NexusOperationFailure(
        message,
        scheduledEventId,
        endpoint ?? '',
        service ?? '',
        operation ?? '',
        operationToken ?? undefined,
        cause
      );
    }
    // Plain TemporalFailure, also for Nexus handler failures (kept losslessly in `err.failure`).
    return new TemporalFailure(message, cause);
  }

  /** Converts an error and, with `encodeCommonAttributes`, moves message and stack into a payload. */
  errorToFailure(err: unknown, payloadConverter: PayloadConverter, context?: SerializationContext): ProtoFailure {
    const failure = this.errorToFailureInner(err, payloadConverter, context);
    if (!this.options.encodeCommonAttributes) return failure;
    const { message, stackTrace } = failure;
    const attributes = { message, stack_trace: stackTrace };
    return {
      ...failure,
      message: 'Encoded failure',
      stackTrace: '',
      encodedAttributes: payloadConverter.toPayload(attributes, context),
    };
  }

  /** Converts an error without encoding common attributes. */
  errorToFailureInner(err: unknown, pc: PayloadConverter, ctx?: SerializationContext): ProtoFailure {
    if (err instanceof TemporalFailure) {
      if (err.failure) return err.failure;
      return this.temporalFailureToFailure(err, pc, ctx);
    }
    if (isError(err)) {
      const cause = (err as { cause?: unknown }).cause;
      return {
        source: FAILURE_SOURCE,
        message: String(err.message ?? ''),
        stackTrace: cutoffStackTrace(err.stack),
        cause: this.optionalErrorToOptionalFailure(cause, pc, ctx),
      };
    }
    if (typeof err === 'string') return { source: FAILURE_SOURCE, message: err + NON_ERROR_HINT };
    let message: string;
    if (typeof err === 'object') {
      try {
        message = JSON.stringify(err);
      } catch {
        message = String(err);
      }
    } else {
      message = String(err);
    }
    return { source: FAILURE_SOURCE, message: message + NON_ERROR_HINT };
  }

  private temporalFailureToFailure(err: TemporalFailure, pc: PayloadConverter, ctx: Ctx): ProtoFailure {
    const base: ProtoFailure = {
      message: err.message,
      stackTrace: cutoffStackTrace(err.stack),
      cause: this.optionalErrorToOptionalFailure(err.cause, pc, ctx),
      source: FAILURE_SOURCE,
    };
    if (err instanceof ActivityFailure) {
      const { activityId, identity } = err;
      const retryState = encodeRetryState(err.retryState);
      return { ...base, activityFailureInfo: { activityType: { name: err.activityType }, activityId, identity, retryState } };
    }
    if (err instanceof ChildWorkflowFailure) {
      const info = {
        namespace: err.namespace,
        workflowExecution: err.execution,
        workflowType: { name: err.workflowType },
        retryState: encodeRetryState(err.retryState),
      };
      return { ...base, childWorkflowExecutionFailureInfo: info };
    }
    if (err instanceof ApplicationFailure) {
      const info = {
        type: err.type,
        nonRetryable: err.nonRetryable,
        details: detailsPayloads(pc, ctx, err.details),
        nextRetryDelay: msOptionalToTs(err.nextRetryDelay),
        category: encodeApplicationFailureCategory(err.category),
      };
      return { ...base, applicationFailureInfo: info };
    }
    if (err instanceof CancelledFailure) {
      return { ...base, canceledFailureInfo: { details: detailsPayloads(pc, ctx, err.details) } };
    }
    return this.otherFailureInfo(err, base, pc, ctx);
  }

  private otherFailureInfo(err: TemporalFailure, base: ProtoFailure, pc: PayloadConverter, ctx: Ctx): ProtoFailure {
    if (err instanceof TimeoutFailure) {
      const details = err.lastHeartbeatDetails;
      const lastHeartbeatDetails = details !== undefined ? { payloads: toPayloadsWithContext(pc, ctx, [details]) } : undefined;
      return { ...base, timeoutFailureInfo: { timeoutType: encodeTimeoutType(err.timeoutType), lastHeartbeatDetails } };
    }
    if (err instanceof ServerFailure) return { ...base, serverFailureInfo: { nonRetryable: err.nonRetryable } };
    if (err instanceof TerminatedFailure) return { ...base, terminatedFailureInfo: {} };
    if (err instanceof NexusOperationFailure) {
      const info = {
        scheduledEventId: err.scheduledEventId ? Long.fromNumber(err.scheduledEventId) : undefined,
        endpoint: err.endpoint,
        service: err.service,
        operation: err.operation,
        operationToken: err.operationToken,
      };
      return { ...base, nexusOperationExecutionFailureInfo: info };
    }
    return base;
  }

  /** {@link failureToError} for an optional failure. */
  optionalFailureToOptionalError(
    failure: ProtoFailure | null | undefined,
    payloadConverter: PayloadConverter,
    context?: SerializationContext
  ): Error | undefined {
    return failure ? this.failureToError(failure, payloadConverter, context) : undefined;
  }

  /** {@link errorToFailure} for an optional (falsy → `undefined`) error. */
  optionalErrorToOptionalFailure(
    err: unknown,
    payloadConverter: PayloadConverter,
    context?: SerializationContext
  ): ProtoFailure | undefined {
    return err ? this.errorToFailure(err, payloadConverter, context) : undefined;
  }
}

/**
 * The default {@link FailureConverter}: message and stack trace in plain text.
 *
 * @example
 * ```ts
 * const failure = defaultFailureConverter.errorToFailure(err, defaultPayloadConverter);
 * ```
 */
export const defaultFailureConverter: FailureConverter = new DefaultFailureConverter();
