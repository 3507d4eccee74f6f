/**
 * Sandbox-safe building blocks shared by the client, the worker and workflow code: durations,
 * payload and failure converters, payload codecs, the failure and error classes, retry policies and
 * typed search attributes. Names and wire formats match `@temporalio/common`, so code migrates by
 * changing imports, and payloads and failures are byte-compatible with the official SDKs.
 *
 * This module imports only `ms` and `long`: it runs unchanged inside the SES workflow sandbox.
 *
 * @example
 * ```ts
 * import { ApplicationFailure, defaultPayloadConverter, msToNumber } from 'duraflow/common';
 *
 * const payload = defaultPayloadConverter.toPayload({ orderId: 7 }); // json/plain
 * const timeoutMs = msToNumber('30s'); // 30000
 * throw ApplicationFailure.nonRetryable('card declined', 'PaymentError');
 * ```
 * @module
 */

// Durations and protobuf time values
export type { Duration, StringValue } from './duration.js';
export {
  int64ToNumber,
  msNumberToTs,
  msOptionalToNumber,
  msOptionalToTs,
  msToNumber,
  msToTimestamp,
  msToTs,
  optionalDateToTs,
  optionalTsToDate,
  optionalTsToMs,
  requiredTsToDate,
  requiredTsToMs,
  tsToDate,
  tsToMs,
} from './duration.js';

// Protobuf message shapes
export type {
  ActivityFailureInfo,
  ApplicationFailureInfo,
  CanceledFailureInfo,
  ChildWorkflowExecutionFailureInfo,
  Int64,
  NexusOperationFailureInfo,
  Payload,
  Payloads,
  ProtoDuration,
  ProtoFailure,
  ProtoRetryPolicy,
  ResetWorkflowFailureInfo,
  ServerFailureInfo,
  TerminatedFailureInfo,
  TimeoutFailureInfo,
  Timestamp,
  TimestampLike,
  WorkflowExecution,
} from './proto-types.js';

// Payload conversion
export type {
  ActivitySerializationContext,
  SerializationContext,
  WorkflowSerializationContext,
} from './serialization-context.js';
export type { EncodingType, PayloadConverter, PayloadConverterWithEncoding } from './payload-converter.js';
export {
  arrayFromPayloads,
  BinaryPayloadConverter,
  CompositePayloadConverter,
  convertOptionalToPayload,
  DefaultPayloadConverter,
  defaultPayloadConverter,
  encodingKeys,
  encodingTypes,
  fromPayloadsAtIndex,
  JsonPayloadConverter,
  mapFromPayloads,
  mapToPayloads,
  METADATA_ENCODING_KEY,
  METADATA_MESSAGE_TYPE_KEY,
  RawValue,
  toPayloads,
  toPayloadsWithContext,
  UndefinedPayloadConverter,
} from './payload-converter.js';
export type {
  DefaultPayloadConverterWithProtobufsOptions,
  ProtobufJsonOptions,
  ProtobufRoot,
  ProtoJsonImplementation,
} from './protobuf-payload-converters.js';
export {
  DefaultPayloadConverterWithProtobufs,
  ProtobufBinaryPayloadConverter,
  ProtobufJsonPayloadConverter,
} from './protobuf-payload-converters.js';
export type { ProtoJsonReadOptions } from './protobuf-json-read.js';
export { messageFromProtoJson } from './protobuf-json-read.js';
export { messageToProtoJson } from './protobuf-json-write.js';
export type { ReflectedEnum, ReflectedField, ReflectedType } from './protobuf-reflection.js';

// Payload codecs
export type { PayloadCodec } from './payload-codec.js';
export {
  decodeFailure,
  decodeMapPayloads,
  decodeOptionalFailure,
  decodeOptionalSingle,
  decodePayloads,
  encodeFailure,
  encodeMapPayloads,
  encodeOptionalFailure,
  encodeOptionalSingle,
  encodePayloads,
} from './payload-codec.js';

// Data converter
export type { DataConverter, LoadedDataConverter } from './data-converter.js';
export { defaultDataConverter } from './data-converter.js';

// Failures
export type { ApplicationFailureOptions } from './failure.js';
export {
  ActivityFailure,
  ApplicationFailure,
  CancelledFailure,
  ChildWorkflowFailure,
  createPayloadValidationError,
  ensureApplicationFailure,
  ensureTemporalFailure,
  FAILURE_SOURCE,
  isCancellation,
  NexusOperationFailure,
  rootCause,
  ServerFailure,
  TemporalFailure,
  TerminatedFailure,
  TimeoutFailure,
} from './failure.js';
export {
  ApplicationFailureCategory,
  decodeApplicationFailureCategory,
  decodeRetryState,
  decodeTimeoutType,
  encodeApplicationFailureCategory,
  encodeRetryState,
  encodeTimeoutType,
  RetryState,
  TimeoutType,
} from './failure-enums.js';
export type {
  DefaultEncodedFailureAttributes,
  DefaultFailureConverterOptions,
  FailureConverter,
} from './failure-converter.js';
export { DefaultFailureConverter, defaultFailureConverter } from './failure-converter.js';
export { cutoffStackTrace, STACK_TRACE_CUTOFF_MARKER } from './stack-trace.js';

// Other errors
export {
  CompleteAsyncError,
  DeterminismViolationError,
  IllegalStateError,
  NamespaceNotFoundError,
  PayloadConverterError,
  ValueError,
  WorkflowError,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
} from './errors.js';

// Retry policy
export type { CompiledRetryPolicy, RetryPolicy } from './retry-policy.js';
export { compileRetryPolicy, decompileRetryPolicy } from './retry-policy.js';
export type { Priority } from './priority.js';
export { compilePriority, decodePriority } from './priority.js';

// Search attributes
export type {
  IndexedValueTypeMapping,
  SearchAttributeKey,
  SearchAttributePair,
  SearchAttributes,
  SearchAttributeUpdatePair,
  SearchAttributeValue,
  SearchAttributeValueOrReadonly,
} from './search-attributes.js';
export {
  decodeSearchAttributeIndexedValueType,
  defineSearchAttributeKey,
  encodeSearchAttributeIndexedValueType,
  isValidValueForType,
  SearchAttributeType,
  TypedSearchAttributes,
} from './search-attributes.js';
export {
  decodeSearchAttributes,
  decodeTypedSearchAttribute,
  decodeTypedSearchAttributes,
  encodeTypedSearchAttribute,
  encodeUnifiedSearchAttributes,
  METADATA_SEARCH_ATTRIBUTE_TYPE_KEY,
} from './search-attribute-payloads.js';

// Helpers
export { decodeUtf8, encodeUtf8 } from './encoding.js';
export type { ErrorClass } from './type-helpers.js';
export { errorCode, errorMessage, isError, isRecord, markErrorClass } from './type-helpers.js';

// Signal, query and update definitions, and workflow function types
export type {
  QueryDefinition,
  SignalDefinition,
  UpdateDefinition,
  Workflow,
  WorkflowResultType,
} from './definitions.js';
export { defineQuery, defineSignal, defineUpdate } from './definitions.js';

// Metrics (the MetricMeter interface; back ends live in duraflow/worker)
export {
  composeMetricTags,
  noopMetricMeter,
  type Metric,
  type MetricCounter,
  type MetricGauge,
  type MetricHistogram,
  type MetricKind,
  type MetricMeter,
  type MetricTags,
  type MetricTagsOrFunction,
  type NumericMetricValueType,
} from './metrics.js';

// Workflow id policies
export { WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from './workflow-id-policies.js';
export { ActivityCancellationType, HandlerUnfinishedPolicy } from './workflow-policies.js';
export { ActivityCancellationDetails, type ActivityCancellationDetailsOptions, type CancelReason } from './activity-cancellation.js';
