/**
 * Worker-side OpenTelemetry pieces: the activity interceptors (a `RunActivity:<type>` span that
 * continues the trace of the `_tracer-data` header; trace ids in activity log attributes) and
 * {@link makeWorkflowExporter}, the sink through which workflow spans reach an OpenTelemetry span
 * processor or exporter.
 *
 * @module
 */
import * as otel from '@opentelemetry/api';
import type { Context as ActivityContext } from '../activity/context.js';
import { CompleteAsyncError } from '../common/errors.js';
import type { ActivityExecuteInput, ActivityInboundCallsInterceptor, ActivityOutboundCallsInterceptor } from '../worker/activity/interceptors.js';
import type { InterceptorOptions } from './client.js';
import {
  ACTIVITY_ID_ATTR_KEY,
  RUN_ID_ATTR_KEY,
  SPAN_DELIMITER,
  SpanName,
  WORKFLOW_ID_ATTR_KEY,
  type SerializableSpan,
} from './definitions.js';
import { extractContextFromHeaders, instrument } from './instrumentation.js';

/**
 * Wraps each activity execution in a `RunActivity:<type>` span, child of the span in the task's
 * `_tracer-data` header (the workflow's `StartActivity` span).
 *
 * @example
 * ```ts
 * interceptors: { activity: [(ctx) => ({ inbound: new OpenTelemetryActivityInboundInterceptor(ctx) })] }
 * ```
 */
export class OpenTelemetryActivityInboundInterceptor implements ActivityInboundCallsInterceptor {
  protected readonly tracer: otel.Tracer;

  constructor(
    protected readonly ctx: ActivityContext,
    options?: InterceptorOptions,
  ) {
    this.tracer = options?.tracer ?? otel.trace.getTracer('@temporalio/interceptor-activity');
  }

  execute(input: ActivityExecuteInput, next: (input: ActivityExecuteInput) => Promise<unknown>): Promise<unknown> {
    const { info } = this.ctx;
    return instrument({
      tracer: this.tracer,
      spanName: `${SpanName.ACTIVITY_EXECUTE}${SPAN_DELIMITER}${info.activityType}`,
      context: extractContextFromHeaders(input.headers),
      acceptableErrors: (error) => error instanceof CompleteAsyncError,
      fn: (span) => {
        span.setAttribute(ACTIVITY_ID_ATTR_KEY, info.activityId);
        if (info.inWorkflow && info.workflowExecution) {
          span.setAttribute(WORKFLOW_ID_ATTR_KEY, info.workflowExecution.workflowId);
          span.setAttribute(RUN_ID_ATTR_KEY, info.workflowExecution.runId);
        }
        return next(input);
      },
    });
  }
}

/**
 * Adds `trace_id`, `span_id` and `trace_flags` of the active span to the activity's log entries.
 *
 * @example
 * ```ts
 * interceptors: { activity: [(ctx) => ({ outbound: new OpenTelemetryActivityOutboundInterceptor(ctx) })] }
 * ```
 */
export class OpenTelemetryActivityOutboundInterceptor implements ActivityOutboundCallsInterceptor {
  constructor(protected readonly ctx: ActivityContext) {}

  getLogAttributes(input: Record<string, unknown>, next: (input: Record<string, unknown>) => Record<string, unknown>): Record<string, unknown> {
    const spanContext = otel.trace.getSpan(otel.context.active())?.spanContext();
    if (spanContext === undefined || !otel.isSpanContextValid(spanContext)) return next(input);
    return next({
      trace_id: spanContext.traceId,
      span_id: spanContext.spanId,
      trace_flags: `0${spanContext.traceFlags.toString(16)}`,
      ...input,
    });
  }
}

/**
 * Both activity interceptors, as one factory for the worker's `interceptors.activity` option.
 *
 * @example
 * ```ts
 * await Worker.create({ ..., interceptors: { activity: [openTelemetryActivityInterceptors()] } });
 * ```
 */
export function openTelemetryActivityInterceptors(
  options?: InterceptorOptions,
): (ctx: ActivityContext) => { inbound: ActivityInboundCallsInterceptor; outbound: ActivityOutboundCallsInterceptor } {
  return (ctx) => ({
    inbound: new OpenTelemetryActivityInboundInterceptor(ctx, options),
    outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
  });
}

/** An OpenTelemetry `SpanProcessor` (structural: only `onEnd` is used). */
export interface SpanProcessorLike {
  onEnd(span: otel.Span | object): void;
}
/** An OpenTelemetry `SpanExporter` (structural). */
export interface SpanExporterLike {
  export(spans: object[], resultCallback: (result: { code: number }) => void): void;
}

/** The workflow info a sink function receives first. */
export interface ExporterSinkInfo {
  workflowId: string;
  runId: string;
  workflowType: string;
  namespace: string;
  taskQueue: string;
}

/** The injected `exporter` sink: `sinks: { exporter: makeWorkflowExporter(...) }`. */
export interface InjectedWorkflowExporter {
  export: { fn: (info: ExporterSinkInfo, spans: SerializableSpan[]) => void; callDuringReplay: false };
}

/** A `ReadableSpan` (sdk-trace-base 1.x and 2.x field names) rebuilt from a workflow's serialized span. */
function readableSpan(serialized: SerializableSpan, resource: unknown): object {
  const { spanContext: serializedContext, parentSpanId, instrumentationLibrary, ...rest } = serialized;
  const { traceState, ...fields } = serializedContext;
  const spanContext: otel.SpanContext = { ...fields, ...(traceState ? { traceState: otel.createTraceState(traceState) } : {}) };
  const parentSpanContext = parentSpanId === undefined ? undefined : { traceId: fields.traceId, spanId: parentSpanId, traceFlags: fields.traceFlags };
  return {
    ...rest,
    spanContext: () => spanContext,
    parentSpanId,
    parentSpanContext,
    resource,
    instrumentationLibrary,
    instrumentationScope: instrumentationLibrary,
  };
}

/**
 * The sink that receives the spans workflow code records and hands them, as `ReadableSpan`s with
 * `resource` and the workflow's identity attributes, to `processorOrExporter` (a `SpanProcessor`'s
 * `onEnd`, or a `SpanExporter`'s `export`). Calls made while replaying are not delivered.
 *
 * @example
 * ```ts
 * import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
 * import { Resource } from '@opentelemetry/resources';
 * const exporter = new InMemorySpanExporter();
 * await Worker.create({ ..., sinks: { exporter: makeWorkflowExporter(new SimpleSpanProcessor(exporter), new Resource({})) } });
 * ```
 */
export function makeWorkflowExporter(processorOrExporter: SpanProcessorLike | SpanExporterLike, resource: unknown): InjectedWorkflowExporter {
  const isProcessor = typeof (processorOrExporter as Partial<SpanProcessorLike>).onEnd === 'function';
  if (!isProcessor && typeof (processorOrExporter as Partial<SpanExporterLike>).export !== 'function') {
    throw new TypeError('makeWorkflowExporter needs an OpenTelemetry SpanProcessor or SpanExporter');
  }
  return {
    export: {
      fn: (info, spans) => {
        const readable = spans.map((span) => readableSpan({ ...span, attributes: { ...span.attributes, ...info } }, resource));
        if (isProcessor) for (const span of readable) (processorOrExporter as SpanProcessorLike).onEnd(span);
        else (processorOrExporter as SpanExporterLike).export(readable, () => undefined);
      },
      callDuringReplay: false,
    },
  };
}
