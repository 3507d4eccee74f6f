/**
 * Plain structural declarations of the protobuf messages that common reads and writes. They match
 * the shape of protobufjs objects from `@temporalio/proto` (camelCase fields, int64 as `Long` or
 * `number`, bytes as `Uint8Array`), so values flow between the two without conversion, yet common
 * never imports protobufjs.
 *
 * @module
 */
import type Long from 'long';

/**
 * An int64 field as `@temporalio/proto` types it (protobufjs with `--force-long`). Declared as `Long`
 * so these interfaces are assignable to the official message types in both directions; functions
 * that read int64 values (e.g. `tsToMs`) also accept plain numbers at runtime.
 */
export type Int64 = Long;

/** `google.protobuf.Timestamp` / `google.protobuf.Duration` (the two have the same fields). */
export interface Timestamp {
  seconds?: Int64 | null;
  nanos?: number | null;
}

/** What functions reading a `Timestamp`/`Duration` accept: `seconds` may also be a number or string. */
export interface TimestampLike {
  seconds?: Long | number | string | null;
  nanos?: number | null;
}

/** `google.protobuf.Duration`. */
export type ProtoDuration = Timestamp;

/** `temporal.api.common.v1.Payload`: metadata (UTF-8 byte values) plus opaque data. */
export interface Payload {
  metadata?: Record<string, Uint8Array> | null;
  data?: Uint8Array | null;
}

/** `temporal.api.common.v1.Payloads`. */
export interface Payloads {
  payloads?: Payload[] | null;
}

/** `temporal.api.common.v1.WorkflowExecution`. */
export interface WorkflowExecution {
  workflowId?: string | null;
  runId?: string | null;
}

/** `temporal.api.common.v1.RetryPolicy`. */
export interface ProtoRetryPolicy {
  initialInterval?: ProtoDuration | null;
  backoffCoefficient?: number | null;
  maximumInterval?: ProtoDuration | null;
  maximumAttempts?: number | null;
  nonRetryableErrorTypes?: string[] | null;
}

/** `temporal.api.failure.v1.ApplicationFailureInfo`. */
export interface ApplicationFailureInfo {
  type?: string | null;
  nonRetryable?: boolean | null;
  details?: Payloads | null;
  nextRetryDelay?: ProtoDuration | null;
  /** `temporal.api.enums.v1.ApplicationErrorCategory` (1 = BENIGN). */
  category?: number | null;
}

/** `temporal.api.failure.v1.TimeoutFailureInfo`. */
export interface TimeoutFailureInfo {
  /** `temporal.api.enums.v1.TimeoutType`. */
  timeoutType?: number | null;
  lastHeartbeatDetails?: Payloads | null;
}

/** `temporal.api.failure.v1.CanceledFailureInfo`. */
export interface CanceledFailureInfo {
  details?: Payloads | null;
}

/** `temporal.api.failure.v1.TerminatedFailureInfo` (no fields). */
export type TerminatedFailureInfo = Record<never, never>;

/** `temporal.api.failure.v1.ServerFailureInfo`. */
export interface ServerFailureInfo {
  nonRetryable?: boolean | null;
}

/** `temporal.api.failure.v1.ResetWorkflowFailureInfo`. */
export interface ResetWorkflowFailureInfo {
  lastHeartbeatDetails?: Payloads | null;
}

/** `temporal.api.failure.v1.ActivityFailureInfo`. */
export interface ActivityFailureInfo {
  scheduledEventId?: Int64 | null;
  startedEventId?: Int64 | null;
  identity?: string | null;
  activityType?: { name?: string | null } | null;
  activityId?: string | null;
  /** `temporal.api.enums.v1.RetryState`. */
  retryState?: number | null;
}

/** `temporal.api.failure.v1.ChildWorkflowExecutionFailureInfo`. */
export interface ChildWorkflowExecutionFailureInfo {
  namespace?: string | null;
  workflowExecution?: WorkflowExecution | null;
  workflowType?: { name?: string | null } | null;
  initiatedEventId?: Int64 | null;
  startedEventId?: Int64 | null;
  /** `temporal.api.enums.v1.RetryState`. */
  retryState?: number | null;
}

/** `temporal.api.failure.v1.NexusOperationFailureInfo`. */
export interface NexusOperationFailureInfo {
  scheduledEventId?: Int64 | null;
  endpoint?: string | null;
  service?: string | null;
  operation?: string | null;
  operationId?: string | null;
  operationToken?: string | null;
}

/**
 * `temporal.api.failure.v1.Failure`: a language-neutral error with a cause chain and exactly one
 * `*FailureInfo` describing its kind.
 */
export interface ProtoFailure {
  message?: string | null;
  source?: string | null;
  stackTrace?: string | null;
  /** When set, a `json/plain` payload `{ message, stack_trace }` that replaces the two plain fields. */
  encodedAttributes?: Payload | null;
  cause?: ProtoFailure | null;
  applicationFailureInfo?: ApplicationFailureInfo | null;
  timeoutFailureInfo?: TimeoutFailureInfo | null;
  canceledFailureInfo?: CanceledFailureInfo | null;
  terminatedFailureInfo?: TerminatedFailureInfo | null;
  serverFailureInfo?: ServerFailureInfo | null;
  resetWorkflowFailureInfo?: ResetWorkflowFailureInfo | null;
  activityFailureInfo?: ActivityFailureInfo | null;
  childWorkflowExecutionFailureInfo?: ChildWorkflowExecutionFailureInfo | null;
  nexusOperationExecutionFailureInfo?: NexusOperationFailureInfo | null;
  /** Opaque here: common does not interpret Nexus handler failures, it only carries them. */
  nexusHandlerFailureInfo?: object | null;
}
