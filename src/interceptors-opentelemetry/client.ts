/**
 * {@link OpenTelemetryWorkflowClientInterceptor}: a span around each workflow client call
 * (`StartWorkflow:<type>`, `SignalWorkflow:<signal>`, ...), whose context goes to the workflow in the
 * `_tracer-data` header.
 *
 * @module
 */
import * as otel from '@opentelemetry/api';
import type {
  Next,
  WorkflowCancelInput,
  WorkflowClientInterceptor,
  WorkflowDescribeInput,
  WorkflowQueryInput,
  WorkflowSignalInput,
  WorkflowSignalWithStartInput,
  WorkflowStartInput,
  WorkflowStartOutput,
  WorkflowStartUpdateInput,
  WorkflowStartUpdateOutput,
  WorkflowStartUpdateWithStartInput,
  WorkflowStartUpdateWithStartOutput,
  WorkflowTerminateInput,
} from '../client/interceptors.js';
import {
  RUN_ID_ATTR_KEY,
  SPAN_DELIMITER,
  SpanName,
  TERMINATE_REASON_ATTR_KEY,
  UPDATE_ID_ATTR_KEY,
  WORKFLOW_ID_ATTR_KEY,
} from './definitions.js';
import { headersWithContext, instrument } from './instrumentation.js';

/** Options of the OpenTelemetry interceptors. */
export interface InterceptorOptions {
  /** @default the global tracer provider's tracer for this interceptor */
  readonly tracer?: otel.Tracer;
}

type Awaited<T> = T extends Promise<infer R> ? R : T;
type Out<M extends keyof WorkflowClientInterceptor> = Awaited<ReturnType<Next<WorkflowClientInterceptor, M>>>;

/**
 * Traces workflow client calls; register it in `new Client({ interceptors: { workflow: [...] } })`.
 *
 * @example
 * ```ts
 * import { OpenTelemetryWorkflowClientInterceptor } from 'duraflow/interceptors-opentelemetry';
 * const client = new Client({ connection, interceptors: { workflow: [new OpenTelemetryWorkflowClientInterceptor()] } });
 * ```
 */
export class OpenTelemetryWorkflowClientInterceptor {
  protected readonly tracer: otel.Tracer;

  constructor(options?: InterceptorOptions) {
    this.tracer = options?.tracer ?? otel.trace.getTracer('@temporalio/interceptor-client');
  }

  startWithDetails(input: WorkflowStartInput, next: (input: WorkflowStartInput) => Promise<WorkflowStartOutput>): Promise<WorkflowStartOutput> {
    return this.span(`${SpanName.WORKFLOW_START}${SPAN_DELIMITER}${input.workflowType}`, async (span) => {
      span.setAttribute(WORKFLOW_ID_ATTR_KEY, input.options.workflowId);
      const output = await next({ ...input, headers: headersWithContext(input.headers) });
      span.setAttribute(RUN_ID_ATTR_KEY, output.runId);
      return output;
    });
  }

  signal(input: WorkflowSignalInput, next: (input: WorkflowSignalInput) => Promise<void>): Promise<void> {
    return this.span(`${SpanName.WORKFLOW_SIGNAL}${SPAN_DELIMITER}${input.signalName}`, async (span) => {
      span.setAttribute(WORKFLOW_ID_ATTR_KEY, input.workflowExecution.workflowId);
      await next({ ...input, headers: headersWithContext(input.headers) });
    });
  }

  signalWithStart(input: WorkflowSignalWithStartInput, next: (input: WorkflowSignalWithStartInput) => Promise<string>): Promise<string> {
    return this.span(`${SpanName.WORKFLOW_SIGNAL_WITH_START}${SPAN_DELIMITER}${input.workflowType}`, async (span) => {
      span.setAttribute(WORKFLOW_ID_ATTR_KEY, input.options.workflowId);
      const runId = await next({ ...input, headers: headersWithContext(input.headers) });
      span.setAttribute(RUN_ID_ATTR_KEY, runId);
      return runId;
    });
  }

  startUpdate(input: WorkflowStartUpdateInput, next: (input: WorkflowStartUpdateInput) => Promise<WorkflowStartUpdateOutput>): Promise<WorkflowStartUpdateOutput> {
    return this.span(`${SpanName.WORKFLOW_START_UPDATE}${SPAN_DELIMITER}${input.updateName}`, async (span) => {
      span.setAttribute(WORKFLOW_ID_ATTR_KEY, input.workflowExecution.workflowId);
      if (input.options.updateId) span.setAttribute(UPDATE_ID_ATTR_KEY, input.options.updateId);
      const output = await next({ ...input, headers: headersWithContext(input.headers) });
      span.setAttribute(RUN_ID_ATTR_KEY, output.workflowRunId);
      return output;
    });
  }

  startUpdateWithStart(
    input: WorkflowStartUpdateWithStartInput,
    next: (input: WorkflowStartUpdateWithStartInput) => Promise<WorkflowStartUpdateWithStartOutput>,
  ): Promise<WorkflowStartUpdateWithStartOutput> {
    return this.span(`${SpanName.WORKFLOW_UPDATE_WITH_START}${SPAN_DELIMITER}${input.updateName}`, async (span) => {
      span.setAttribute(WORKFLOW_ID_ATTR_KEY, input.workflowStartOptions.workflowId);
      if (input.updateOptions.updateId) span.setAttribute(UPDATE_ID_ATTR_KEY, input.updateOptions.updateId);
      const output = await next({
        ...input,
        workflowStartHeaders: headersWithContext(input.workflowStartHeaders),
        updateHeaders: headersWithContext(input.updateHeaders),
      });
      if (output.workflowExecution.runId) span.setAttribute(RUN_ID_ATTR_KEY, output.workflowExecution.runId);
      return output;
    });
  }

  query(input: WorkflowQueryInput, next: (input: WorkflowQueryInput) => Promise<unknown>): Promise<unknown> {
    return this.span(`${SpanName.WORKFLOW_QUERY}${SPAN_DELIMITER}${input.queryType}`, async (span) => {
      setExecution(span, input.workflowExecution);
      return await next({ ...input, headers: headersWithContext(input.headers) });
    });
  }

  terminate(input: WorkflowTerminateInput, next: (input: WorkflowTerminateInput) => Promise<Out<'terminate'>>): Promise<Out<'terminate'>> {
    return this.span(SpanName.WORKFLOW_TERMINATE, async (span) => {
      setExecution(span, input.workflowExecution);
      if (input.reason) span.setAttribute(TERMINATE_REASON_ATTR_KEY, input.reason);
      return await next(input);
    });
  }

  cancel(input: WorkflowCancelInput, next: (input: WorkflowCancelInput) => Promise<Out<'cancel'>>): Promise<Out<'cancel'>> {
    return this.span(SpanName.WORKFLOW_CANCEL, async (span) => {
      setExecution(span, input.workflowExecution);
      return await next(input);
    });
  }

  describe(input: WorkflowDescribeInput, next: (input: WorkflowDescribeInput) => Promise<Out<'describe'>>): Promise<Out<'describe'>> {
    return this.span(SpanName.WORKFLOW_DESCRIBE, async (span) => {
      setExecution(span, input.workflowExecution);
      return await next(input);
    });
  }

  private span<T>(spanName: string, fn: (span: otel.Span) => Promise<T>): Promise<T> {
    return instrument({ tracer: this.tracer, spanName, fn });
  }
}

/** Compile-time check that the class is a valid workflow client interceptor. */
type IsWorkflowClientInterceptor = OpenTelemetryWorkflowClientInterceptor extends WorkflowClientInterceptor ? true : never;
const isWorkflowClientInterceptor: IsWorkflowClientInterceptor = true;
void isWorkflowClientInterceptor;

function setExecution(span: otel.Span, execution: { workflowId: string; runId?: string }): void {
  span.setAttribute(WORKFLOW_ID_ATTR_KEY, execution.workflowId);
  if (execution.runId) span.setAttribute(RUN_ID_ATTR_KEY, execution.runId);
}
