/**
 * Names and shapes shared by the OpenTelemetry interceptors on both sides of the sandbox: span
 * names, attribute keys, the Temporal header that carries the trace context, and the serializable
 * span that workflow code exports through the `exporter` sink. All match
 * `@temporalio/interceptors-opentelemetry`, so traces continue across both SDKs.
 *
 * Sandbox-safe: no OpenTelemetry import.
 *
 * @module
 */

/** The Temporal header holding the trace context: a JSON payload of a W3C text-map carrier (`traceparent`, ...). */
export const TRACE_HEADER = '_tracer-data';
/** Span attribute: the workflow run id. */
export const RUN_ID_ATTR_KEY = 'run_id';
/** Span attribute: the workflow id. */
export const WORKFLOW_ID_ATTR_KEY = 'temporalWorkflowId';
/** Span attribute: the activity id. */
export const ACTIVITY_ID_ATTR_KEY = 'temporalActivityId';
/** Span attribute: the update id. */
export const UPDATE_ID_ATTR_KEY = 'temporalUpdateId';
/** Span attribute: the reason given to terminate. */
export const TERMINATE_REASON_ATTR_KEY = 'temporalTerminateReason';

/** Between a span name's operation and its subject: `RunWorkflow:orderWorkflow`. */
export const SPAN_DELIMITER = ':';

/** Span names (the operation part). */
export const SpanName = {
  /** A client starts a workflow. */
  WORKFLOW_START: 'StartWorkflow',
  /** A client (or a workflow) signals a workflow. */
  WORKFLOW_SIGNAL: 'SignalWorkflow',
  WORKFLOW_SIGNAL_WITH_START: 'SignalWithStartWorkflow',
  WORKFLOW_QUERY: 'QueryWorkflow',
  WORKFLOW_START_UPDATE: 'StartWorkflowUpdate',
  WORKFLOW_UPDATE_WITH_START: 'UpdateWithStartWorkflow',
  WORKFLOW_HANDLE_SIGNAL: 'HandleSignal',
  WORKFLOW_HANDLE_QUERY: 'HandleQuery',
  WORKFLOW_HANDLE_UPDATE: 'HandleUpdate',
  WORKFLOW_VALIDATE_UPDATE: 'ValidateUpdate',
  WORKFLOW_TERMINATE: 'TerminateWorkflow',
  WORKFLOW_CANCEL: 'CancelWorkflow',
  WORKFLOW_DESCRIBE: 'DescribeWorkflow',
  /** The workflow function runs. */
  WORKFLOW_EXECUTE: 'RunWorkflow',
  CHILD_WORKFLOW_START: 'StartChildWorkflow',
  /** A workflow schedules an activity (or local activity). */
  ACTIVITY_START: 'StartActivity',
  /** The activity function runs. */
  ACTIVITY_EXECUTE: 'RunActivity',
  CONTINUE_AS_NEW: 'ContinueAsNew',
} as const;
export type SpanName = (typeof SpanName)[keyof typeof SpanName];

/** OpenTelemetry `HrTime`: [seconds, nanoseconds]. */
export type HrTime = [number, number];

/** A span context with its trace state as a string (it crosses the sandbox boundary). */
export interface SerializableSpanContext {
  traceId: string;
  spanId: string;
  traceFlags: number;
  isRemote?: boolean;
  traceState?: string;
}

/** One event of a span (e.g. `exception`). */
export interface SerializableSpanEvent {
  name: string;
  attributes?: Record<string, unknown>;
  time: HrTime;
  droppedAttributesCount?: number;
}

/** A finished span as workflow code exports it (the official `SerializableSpan` shape). */
export interface SerializableSpan {
  readonly name: string;
  /** OpenTelemetry `SpanKind` (0 = INTERNAL). */
  readonly kind: number;
  readonly spanContext: SerializableSpanContext;
  readonly parentSpanId?: string;
  readonly startTime: HrTime;
  readonly endTime: HrTime;
  /** OpenTelemetry `SpanStatus`: code 0 = UNSET, 1 = OK, 2 = ERROR. */
  readonly status: { code: number; message?: string };
  readonly attributes: Record<string, unknown>;
  readonly links: unknown[];
  readonly events: SerializableSpanEvent[];
  readonly duration: HrTime;
  readonly ended: boolean;
  readonly droppedAttributesCount: number;
  readonly droppedLinksCount: number;
  readonly droppedEventsCount: number;
  readonly instrumentationLibrary: { name: string; version?: string };
}

/** The sink workflow spans are exported through. */
export const EXPORTER_SINK_NAME = 'exporter';
