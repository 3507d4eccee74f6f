/**
 * W3C Trace Context inside the workflow sandbox, without OpenTelemetry: parse and format
 * `traceparent`, make span and trace ids (from the run's deterministic `Math.random`, as the official
 * interceptors do), and read and write the `_tracer-data` header.
 *
 * @module
 */
import { defaultPayloadConverter } from '../../common/payload-converter.js';
import type { Payload } from '../../common/proto-types.js';
import { TRACE_HEADER, type SerializableSpanContext } from '../definitions.js';

/** The trace context a span runs in: the active span's context plus what else propagates with it. */
export interface TraceContext {
  readonly spanContext: SerializableSpanContext;
  /** The W3C `baggage` header, passed along unchanged. */
  readonly baggage?: string;
}

/** A text-map carrier as the W3C propagators write it. */
export type Carrier = Record<string, string>;

const TRACEPARENT = /^\s?([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?\s?$/;
const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);

/**
 * The span context of a `traceparent` value, or `undefined` when it is not valid (as the
 * OpenTelemetry W3C propagator decides).
 *
 * @example
 * ```ts
 * parseTraceParent('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
 * // { traceId: '0af7…319c', spanId: 'b7ad6b7169203331', traceFlags: 1, isRemote: true }
 * ```
 */
export function parseTraceParent(value: string | undefined): SerializableSpanContext | undefined {
  const match = typeof value === 'string' ? TRACEPARENT.exec(value) : null;
  if (!match) return undefined;
  const [, version, traceId, spanId, flags, rest] = match as unknown as [string, string, string, string, string, string | undefined];
  if (version === 'ff' || (version === '00' && rest !== undefined)) return undefined;
  if (traceId === ZERO_TRACE || spanId === ZERO_SPAN) return undefined;
  return { traceId, spanId, traceFlags: parseInt(flags, 16), isRemote: true };
}

/** `00-<traceId>-<spanId>-<flags>`, as the W3C propagator writes it. */
export function formatTraceParent(context: SerializableSpanContext): string {
  return `00-${context.traceId}-${context.spanId}-0${Number(context.traceFlags || 0).toString(16)}`;
}

function randomHex(bytes: number): string {
  let out = '';
  for (let i = 0; i < bytes; i++) out += Math.floor(Math.random() * 256).toString(16).padStart(2, '0');
  return out;
}

/** A new, non-zero 16-byte trace id (hex). */
export function newTraceId(): string {
  const id = randomHex(16);
  return id === ZERO_TRACE ? newTraceId() : id;
}

/** A new, non-zero 8-byte span id (hex). */
export function newSpanId(): string {
  const id = randomHex(8);
  return id === ZERO_SPAN ? newSpanId() : id;
}

/** The carrier for `context`: `traceparent`, then `tracestate` and `baggage` when present. */
export function carrierOf(context: TraceContext): Carrier {
  const carrier: Carrier = { traceparent: formatTraceParent(context.spanContext) };
  if (context.spanContext.traceState) carrier['tracestate'] = context.spanContext.traceState;
  if (context.baggage) carrier['baggage'] = context.baggage;
  return carrier;
}

/** The trace context carried in `headers[_tracer-data]`, if any (and valid). */
export function extractFromHeaders(headers: Record<string, Payload> | undefined): TraceContext | undefined {
  const payload = headers?.[TRACE_HEADER];
  if (payload === undefined) return undefined;
  let carrier: unknown;
  try {
    carrier = defaultPayloadConverter.fromPayload(payload);
  } catch {
    return undefined;
  }
  if (typeof carrier !== 'object' || carrier === null) return undefined;
  const fields = carrier as Record<string, unknown>;
  const spanContext = parseTraceParent(typeof fields['traceparent'] === 'string' ? fields['traceparent'] : undefined);
  if (spanContext === undefined) return undefined;
  const traceState = typeof fields['tracestate'] === 'string' ? fields['tracestate'].trim() : undefined;
  const baggage = typeof fields['baggage'] === 'string' ? fields['baggage'] : undefined;
  return { spanContext: traceState ? { ...spanContext, traceState } : spanContext, ...(baggage ? { baggage } : {}) };
}

/** `headers` with `_tracer-data` set to `context` (unchanged when there is no context). */
export function headersWith(headers: Record<string, Payload>, context: TraceContext | undefined): Record<string, Payload> {
  if (context === undefined) return headers;
  return { ...headers, [TRACE_HEADER]: defaultPayloadConverter.toPayload(carrierOf(context)) };
}
