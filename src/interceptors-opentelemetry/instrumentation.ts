/**
 * OpenTelemetry helpers of the main-thread interceptors (client, activities): read and write the
 * trace context in the `_tracer-data` header with the global propagator, and run code in a span.
 * Same behaviour as `@temporalio/interceptors-opentelemetry`.
 *
 * @module
 */
import * as otel from '@opentelemetry/api';
import { ApplicationFailure } from '../common/failure.js';
import { defaultPayloadConverter } from '../common/payload-converter.js';
import type { Payload } from '../common/proto-types.js';
import { TRACE_HEADER } from './definitions.js';

/** Temporal headers: name → payload. */
export type Headers = Record<string, Payload>;

/**
 * The OpenTelemetry context carried in `headers`, or `undefined` when there is no `_tracer-data`.
 *
 * @example
 * ```ts
 * const parent = extractContextFromHeaders(input.headers);
 * ```
 */
export function extractContextFromHeaders(headers: Headers): otel.Context | undefined {
  const encoded = headers[TRACE_HEADER];
  if (encoded === undefined) return undefined;
  const carrier = defaultPayloadConverter.fromPayload(encoded) as Record<string, string>;
  return otel.propagation.extract(otel.context.active(), carrier, otel.defaultTextMapGetter);
}

/**
 * `headers` plus `_tracer-data`: the active context injected by the global propagator into a
 * text-map carrier (e.g. `{"traceparent":"00-…-…-01"}`), as a JSON payload.
 *
 * @example
 * ```ts
 * return next({ ...input, headers: headersWithContext(input.headers) });
 * ```
 */
export function headersWithContext(headers: Headers): Headers {
  const carrier: Record<string, string> = {};
  otel.propagation.inject(otel.context.active(), carrier, otel.defaultTextMapSetter);
  return { ...headers, [TRACE_HEADER]: defaultPayloadConverter.toPayload(carrier) };
}

/** What {@link instrument} runs. */
export interface InstrumentOptions<T> {
  tracer: otel.Tracer;
  spanName: string;
  fn: (span: otel.Span) => Promise<T>;
  /** The parent context; default: the active one. */
  context?: otel.Context;
  /** Errors that still leave the span OK. */
  acceptableErrors?: (error: unknown) => boolean;
}

function recordError(span: otel.Span, error: unknown, acceptable?: (error: unknown) => boolean): void {
  if (acceptable?.(error)) {
    span.setStatus({ code: otel.SpanStatusCode.OK });
    return;
  }
  const benign = error instanceof ApplicationFailure && error.category === 'BENIGN';
  const message = typeof (error as { message?: unknown })?.message === 'string' ? (error as Error).message : String(error);
  span.setStatus({ code: benign ? otel.SpanStatusCode.UNSET : otel.SpanStatusCode.ERROR, message });
  span.recordException(error as otel.Exception);
}

/**
 * Runs `fn` in a new active span (child of `context` or the active span), ended when `fn` settles;
 * errors set the span's status to ERROR (UNSET for benign application failures) and are rethrown.
 *
 * @example
 * ```ts
 * await instrument({ tracer, spanName: 'RunActivity:charge', context: parent, fn: () => next(input) });
 * ```
 */
export async function instrument<T>({ tracer, spanName, fn, context, acceptableErrors }: InstrumentOptions<T>): Promise<T> {
  const run = (): Promise<T> =>
    tracer.startActiveSpan(spanName, async (span) => {
      try {
        const result = await fn(span);
        span.setStatus({ code: otel.SpanStatusCode.OK });
        return result;
      } catch (error) {
        recordError(span, error, acceptableErrors);
        throw error;
      } finally {
        span.end();
      }
    });
  return context === undefined ? run() : otel.context.with(context, run);
}
