/**
 * `duraflow/interceptors-opentelemetry`: OpenTelemetry tracing for clients, workflows and
 * activities, compatible with `@temporalio/interceptors-opentelemetry` — the same span names, the
 * same `_tracer-data` header (a JSON payload of a W3C `traceparent` carrier) — so one trace
 * continues across duraflow and the official SDK. Needs `@opentelemetry/api` (an optional peer
 * dependency) and, to record anything, an OpenTelemetry SDK.
 *
 * Workflow spans are recorded inside the sandbox (by the module at {@link workflowInterceptorsPath})
 * and exported through the `exporter` sink; none are exported while a run replays.
 *
 * @example
 * ```ts
 * import { Client } from 'duraflow/client';
 * import { Worker } from 'duraflow/worker';
 * import {
 *   OpenTelemetryWorkflowClientInterceptor, makeWorkflowExporter, openTelemetryActivityInterceptors, workflowInterceptorsPath,
 * } from 'duraflow/interceptors-opentelemetry';
 *
 * const client = new Client({ connection, interceptors: { workflow: [new OpenTelemetryWorkflowClientInterceptor()] } });
 * const worker = await Worker.create({
 *   connection, taskQueue: 'orders', workflowsPath, activities,
 *   interceptors: { workflowModules: [workflowInterceptorsPath], activity: [openTelemetryActivityInterceptors()] },
 *   sinks: { exporter: makeWorkflowExporter(spanProcessor, resource) },
 * });
 * ```
 * @module
 */
import { fileURLToPath } from 'node:url';

/**
 * Absolute path of the workflow interceptors module (inbound, outbound and internals interceptors),
 * for the worker's `interceptors.workflowModules`.
 */
export const workflowInterceptorsPath: string = fileURLToPath(new URL('./workflow/index.js', import.meta.url));

export { OpenTelemetryWorkflowClientInterceptor, type InterceptorOptions } from './client.js';
export {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  openTelemetryActivityInterceptors,
  type ExporterSinkInfo,
  type InjectedWorkflowExporter,
  type SpanExporterLike,
  type SpanProcessorLike,
} from './worker.js';
export { extractContextFromHeaders, headersWithContext, instrument, type Headers, type InstrumentOptions } from './instrumentation.js';
export {
  ACTIVITY_ID_ATTR_KEY,
  EXPORTER_SINK_NAME,
  RUN_ID_ATTR_KEY,
  SPAN_DELIMITER,
  SpanName,
  TERMINATE_REASON_ATTR_KEY,
  TRACE_HEADER,
  UPDATE_ID_ATTR_KEY,
  WORKFLOW_ID_ATTR_KEY,
  type HrTime,
  type SerializableSpan,
  type SerializableSpanContext,
  type SerializableSpanEvent,
} from './definitions.js';
