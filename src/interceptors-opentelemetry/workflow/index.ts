/**
 * OpenTelemetry interceptors for workflow code (they run inside the sandbox): `RunWorkflow`,
 * `HandleSignal`, `HandleQuery`, `HandleUpdate` and `ValidateUpdate` spans around inbound calls,
 * continuing the trace found in the call's `_tracer-data` header; `StartActivity`,
 * `StartChildWorkflow`, `SignalWorkflow` and `ContinueAsNew` spans around outbound calls, whose
 * context goes out in the same header; trace ids in workflow log attributes. Spans leave the sandbox
 * through the `exporter` sink (register {@link makeWorkflowExporter} on the worker); nothing is
 * exported while the run replays.
 *
 * This module imports only sandbox-safe code. Give its path to the worker with
 * `interceptors: { workflowModules: [workflowInterceptorsPath] }`.
 *
 * @module
 */
import { ContinueAsNew } from '../../workflow/continue-as-new.js';
import type {
  ActivityInput,
  ContinueAsNewInput,
  GetLogAttributesInput,
  Headers,
  LocalActivityInput,
  Next,
  QueryInput,
  SignalInput,
  SignalWorkflowInput,
  StartChildWorkflowExecutionInput,
  UpdateInput,
  WorkflowExecuteInput,
  WorkflowInboundCallsInterceptor,
  WorkflowInterceptors,
  WorkflowInternalsInterceptor,
  WorkflowOutboundCallsInterceptor,
} from '../../workflow/interceptors.js';
import { workflowInfo } from '../../workflow/workflow-info.js';
import { SPAN_DELIMITER, SpanName, UPDATE_ID_ATTR_KEY } from '../definitions.js';
import { extractFromHeaders, headersWith } from './trace-context.js';
import { WorkflowTracer } from './tracer.js';

export { WorkflowTracer, WorkflowSpan } from './tracer.js';
export { extractFromHeaders, headersWith, parseTraceParent, formatTraceParent, type TraceContext } from './trace-context.js';

/** One tracer per run: each run evaluates the bundle in its own compartment, so module state is per run. */
let runTracer: WorkflowTracer | undefined;
function tracer(): WorkflowTracer {
  runTracer ??= new WorkflowTracer();
  return runTracer;
}

const isContinueAsNew = (error: unknown): boolean => error instanceof ContinueAsNew;

/**
 * Spans around calls into the workflow.
 *
 * @example
 * ```ts
 * export const interceptors = () => ({ inbound: [new OpenTelemetryInboundInterceptor()] });
 * ```
 */
export class OpenTelemetryInboundInterceptor implements WorkflowInboundCallsInterceptor {
  protected readonly tracer = tracer();

  execute(input: WorkflowExecuteInput, next: Next<WorkflowInboundCallsInterceptor, 'execute'>): Promise<unknown> {
    return this.tracer.instrument({
      spanName: `${SpanName.WORKFLOW_EXECUTE}${SPAN_DELIMITER}${workflowInfo().workflowType}`,
      context: extractFromHeaders(input.headers),
      fn: () => next(input),
      acceptableErrors: isContinueAsNew,
    });
  }

  handleSignal(input: SignalInput, next: Next<WorkflowInboundCallsInterceptor, 'handleSignal'>): Promise<void> {
    return this.tracer.instrument({
      spanName: `${SpanName.WORKFLOW_HANDLE_SIGNAL}${SPAN_DELIMITER}${input.signalName}`,
      context: extractFromHeaders(input.headers),
      fn: () => next(input),
    });
  }

  handleQuery(input: QueryInput, next: Next<WorkflowInboundCallsInterceptor, 'handleQuery'>): Promise<unknown> {
    return this.tracer.instrument({
      spanName: `${SpanName.WORKFLOW_HANDLE_QUERY}${SPAN_DELIMITER}${input.queryName}`,
      context: extractFromHeaders(input.headers),
      fn: () => next(input),
    });
  }

  handleUpdate(input: UpdateInput, next: Next<WorkflowInboundCallsInterceptor, 'handleUpdate'>): Promise<unknown> {
    return this.tracer.instrument({
      spanName: `${SpanName.WORKFLOW_HANDLE_UPDATE}${SPAN_DELIMITER}${input.name}`,
      context: extractFromHeaders(input.headers),
      fn: (span) => {
        span.setAttribute(UPDATE_ID_ATTR_KEY, input.updateId);
        return next(input);
      },
    });
  }

  validateUpdate(input: UpdateInput, next: Next<WorkflowInboundCallsInterceptor, 'validateUpdate'>): void {
    this.tracer.instrument({
      spanName: `${SpanName.WORKFLOW_VALIDATE_UPDATE}${SPAN_DELIMITER}${input.name}`,
      context: extractFromHeaders(input.headers),
      fn: (span) => {
        span.setAttribute(UPDATE_ID_ATTR_KEY, input.updateId);
        next(input);
      },
    });
  }
}

/**
 * Spans around calls the workflow makes; their context goes out in the `_tracer-data` header.
 *
 * @example
 * ```ts
 * export const interceptors = () => ({ outbound: [new OpenTelemetryOutboundInterceptor()] });
 * ```
 */
export class OpenTelemetryOutboundInterceptor implements WorkflowOutboundCallsInterceptor {
  protected readonly tracer = tracer();

  scheduleActivity(input: ActivityInput, next: Next<WorkflowOutboundCallsInterceptor, 'scheduleActivity'>): Promise<unknown> {
    return this.traced(`${SpanName.ACTIVITY_START}${SPAN_DELIMITER}${input.activityType}`, input, next);
  }

  scheduleLocalActivity(input: LocalActivityInput, next: Next<WorkflowOutboundCallsInterceptor, 'scheduleLocalActivity'>): Promise<unknown> {
    return this.traced(`${SpanName.ACTIVITY_START}${SPAN_DELIMITER}${input.activityType}`, input, next);
  }

  startChildWorkflowExecution(
    input: StartChildWorkflowExecutionInput,
    next: Next<WorkflowOutboundCallsInterceptor, 'startChildWorkflowExecution'>,
  ): Promise<[Promise<string>, Promise<unknown>]> {
    return this.traced(`${SpanName.CHILD_WORKFLOW_START}${SPAN_DELIMITER}${input.workflowType}`, input, next);
  }

  signalWorkflow(input: SignalWorkflowInput, next: Next<WorkflowOutboundCallsInterceptor, 'signalWorkflow'>): Promise<void> {
    return this.traced(`${SpanName.WORKFLOW_SIGNAL}${SPAN_DELIMITER}${input.signalName}`, input, next);
  }

  continueAsNew(input: ContinueAsNewInput, next: Next<WorkflowOutboundCallsInterceptor, 'continueAsNew'>): Promise<never> {
    return this.traced(`${SpanName.CONTINUE_AS_NEW}${SPAN_DELIMITER}${input.options.workflowType}`, input, next, isContinueAsNew);
  }

  getLogAttributes(input: GetLogAttributesInput, next: Next<WorkflowOutboundCallsInterceptor, 'getLogAttributes'>): Record<string, unknown> {
    const active = this.tracer.active()?.spanContext;
    if (active === undefined) return next(input);
    return next({
      trace_id: active.traceId,
      span_id: active.spanId,
      trace_flags: `0${active.traceFlags.toString(16)}`,
      ...input,
    });
  }

  private traced<I extends { readonly headers: Headers }, R>(
    spanName: string,
    input: I,
    next: (input: I) => Promise<R>,
    acceptableErrors?: (error: unknown) => boolean,
  ): Promise<R> {
    return this.tracer.instrument({
      spanName,
      acceptableErrors,
      fn: () => next({ ...input, headers: headersWith(input.headers, this.tracer.active()) }),
    });
  }
}

/** Stops the run's trace context when the run is disposed. */
export class OpenTelemetryInternalsInterceptor implements WorkflowInternalsInterceptor {
  dispose(input: Record<string, never>, next: Next<WorkflowInternalsInterceptor, 'dispose'>): void {
    runTracer?.dispose();
    next(input);
  }
}

/**
 * The interceptors of this module, for `interceptors.workflowModules`.
 *
 * @example
 * ```ts
 * // worker: interceptors: { workflowModules: [workflowInterceptorsPath] }
 * ```
 */
export const interceptors = (): WorkflowInterceptors => ({
  inbound: [new OpenTelemetryInboundInterceptor()],
  outbound: [new OpenTelemetryOutboundInterceptor()],
  internals: [new OpenTelemetryInternalsInterceptor()],
});
