/**
 * A small tracer for workflow code: spans with OpenTelemetry's data model, a context that follows
 * `await`s (the sandbox's `AsyncLocalStorage`), the official default sampling (parent-based, always
 * on for roots), and export of each finished span through the `exporter` sink — which the worker
 * skips for calls made while replaying, so replays produce no duplicate spans. Span ids come from the
 * run's deterministic `Math.random`, so a replayed run re-creates the same ids.
 *
 * @module
 */
import { ApplicationFailure } from '../../common/failure.js';
import { RunContextStorage } from '../../workflow/context-storage.js';
import { proxySinks, type Sinks } from '../../workflow/sinks.js';
import type { HrTime, SerializableSpan, SerializableSpanContext, SerializableSpanEvent } from '../definitions.js';
import { newSpanId, newTraceId, type TraceContext } from './trace-context.js';

/** `SpanStatusCode`: UNSET, OK, ERROR. */
export const StatusCode = { UNSET: 0, OK: 1, ERROR: 2 } as const;
const SAMPLED = 1;
const INSTRUMENTATION = { name: '@temporalio/interceptor-workflow' };

interface ExporterSinks extends Sinks {
  exporter: { export(spans: SerializableSpan[]): void };
}

function hrTime(ms: number): HrTime {
  const seconds = Math.floor(ms / 1000);
  return [seconds, Math.round((ms - seconds * 1000) * 1e6)];
}

/** One span being recorded. */
export class WorkflowSpan {
  readonly attributes: Record<string, unknown> = {};
  readonly events: SerializableSpanEvent[] = [];
  private status: { code: number; message?: string } = { code: StatusCode.UNSET };
  private endMs: number | undefined;
  private readonly startMs = Date.now();

  constructor(
    readonly name: string,
    readonly spanContext: SerializableSpanContext,
    readonly parentSpanId: string | undefined,
    private readonly onEnd: (span: WorkflowSpan) => void,
  ) {}

  setAttribute(key: string, value: unknown): this {
    if (this.endMs === undefined) this.attributes[key] = value;
    return this;
  }

  setStatus(status: { code: number; message?: string }): this {
    if (this.endMs === undefined) this.status = status;
    return this;
  }

  /** Adds an `exception` event, as OpenTelemetry's `recordException` does. */
  recordException(error: unknown): void {
    const e = error as { name?: unknown; message?: unknown; stack?: unknown } | undefined;
    const attributes: Record<string, unknown> = {};
    if (typeof e?.name === 'string') attributes['exception.type'] = e.name;
    attributes['exception.message'] = typeof e?.message === 'string' ? e.message : String(error);
    if (typeof e?.stack === 'string') attributes['exception.stacktrace'] = e.stack;
    this.events.push({ name: 'exception', attributes, time: hrTime(Date.now()) });
  }

  /** Ends the span (once) and exports it if sampled. */
  end(): void {
    if (this.endMs !== undefined) return;
    this.endMs = Date.now();
    this.onEnd(this);
  }

  /** The span as the `exporter` sink receives it. */
  toSerializable(): SerializableSpan {
    const end = this.endMs ?? Date.now();
    return {
      name: this.name,
      kind: 0,
      spanContext: { ...this.spanContext },
      parentSpanId: this.parentSpanId,
      startTime: hrTime(this.startMs),
      endTime: hrTime(end),
      status: { ...this.status },
      attributes: { ...this.attributes },
      links: [],
      events: [...this.events],
      duration: hrTime(end - this.startMs),
      ended: true,
      droppedAttributesCount: 0,
      droppedLinksCount: 0,
      droppedEventsCount: 0,
      instrumentationLibrary: INSTRUMENTATION,
    };
  }
}

/** Options of {@link WorkflowTracer.instrument}. */
export interface InstrumentOptions<T> {
  spanName: string;
  fn: (span: WorkflowSpan) => T;
  /** The parent context (e.g. extracted from headers); default: the active one. */
  context?: TraceContext;
  /** Errors that still leave the span OK (e.g. ContinueAsNew). */
  acceptableErrors?: (error: unknown) => boolean;
}

function failSpan(span: WorkflowSpan, error: unknown, acceptable?: (error: unknown) => boolean): void {
  if (acceptable?.(error)) {
    span.setStatus({ code: StatusCode.OK });
    return;
  }
  const benign = error instanceof ApplicationFailure && error.category === 'BENIGN';
  const message = typeof (error as { message?: unknown })?.message === 'string' ? (error as Error).message : String(error);
  span.setStatus({ code: benign ? StatusCode.UNSET : StatusCode.ERROR, message });
  span.recordException(error);
}

/**
 * The tracer of one run.
 *
 * @example
 * ```ts
 * const tracer = new WorkflowTracer();
 * await tracer.instrument({ spanName: 'RunWorkflow:order', context: extractFromHeaders(input.headers), fn: () => next(input) });
 * ```
 */
export class WorkflowTracer {
  private readonly storage = new RunContextStorage<{ trace: TraceContext }>();
  private exporter: ExporterSinks['exporter'] | undefined;

  /** The active trace context, if any. */
  active(): TraceContext | undefined {
    return this.storage.current().trace;
  }

  /** Runs `fn` with `context` active. */
  with<R>(context: TraceContext | undefined, fn: () => R): R {
    return context === undefined ? fn() : this.storage.run({ trace: context }, fn);
  }

  /** Starts a span, child of `parent` (default: the active context) or a new trace's root. */
  startSpan(name: string, parent: TraceContext | undefined = this.active()): { span: WorkflowSpan; context: TraceContext } {
    const spanId = newSpanId();
    const sampled = parent === undefined || (parent.spanContext.traceFlags & SAMPLED) === SAMPLED;
    const spanContext: SerializableSpanContext = {
      traceId: parent?.spanContext.traceId ?? newTraceId(),
      spanId,
      traceFlags: sampled ? SAMPLED : 0,
      ...(parent?.spanContext.traceState ? { traceState: parent.spanContext.traceState } : {}),
    };
    const span = new WorkflowSpan(name, spanContext, parent?.spanContext.spanId, (s) => sampled && this.export(s));
    return { span, context: { spanContext, ...(parent?.baggage ? { baggage: parent.baggage } : {}) } };
  }

  /** Runs `fn` in a new active span that ends when `fn` returns, throws, or its promise settles. */
  instrument<T>({ spanName, fn, context, acceptableErrors }: InstrumentOptions<T>): T {
    const { span, context: spanContext } = this.startSpan(spanName, context ?? this.active());
    let result: T;
    try {
      result = this.with(spanContext, () => fn(span));
    } catch (error) {
      failSpan(span, error, acceptableErrors);
      span.end();
      throw error;
    }
    if (!isPromiseLike(result)) {
      span.setStatus({ code: StatusCode.OK });
      span.end();
      return result;
    }
    return Promise.resolve(result).then(
      (value) => {
        span.setStatus({ code: StatusCode.OK });
        span.end();
        return value;
      },
      (error: unknown) => {
        failSpan(span, error, acceptableErrors);
        span.end();
        throw error;
      },
    ) as T;
  }

  /** Stops following the context (the run is disposed). */
  dispose(): void {
    this.storage.dispose();
  }

  private export(span: WorkflowSpan): void {
    this.exporter ??= proxySinks<ExporterSinks>().exporter;
    this.exporter.export([span.toSerializable()]);
  }
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}
