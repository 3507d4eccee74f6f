/**
 * Conversions between protobufjs messages from history and the plain, structured-cloneable values
 * of the sandbox protocol (payload records, failures without Longs, milliseconds), and back.
 *
 * @module
 */
import Long from 'long';
import { temporal, type ProtoTypes } from '../../proto/index.js';
import { int64ToNumber } from '../../common/duration.js';
import type { Payload, ProtoFailure, ProtoRetryPolicy } from '../../common/proto-types.js';
import type { PayloadMap } from '../../workflow/runtime/protocol.js';

type IPayload = ProtoTypes.temporal.api.common.v1.IPayload;
type IPayloads = ProtoTypes.temporal.api.common.v1.IPayloads;
type IFailure = ProtoTypes.temporal.api.failure.v1.IFailure;
type IDuration = ProtoTypes.google.protobuf.IDuration;
type ITimestamp = ProtoTypes.google.protobuf.ITimestamp;
type IRetryPolicy = ProtoTypes.temporal.api.common.v1.IRetryPolicy;

const FailureType = temporal.api.failure.v1.Failure;
const RetryPolicyType = temporal.api.common.v1.RetryPolicy;
const TO_PLAIN = { longs: Number } as const;

/**
 * A copy of `bytes` that owns its buffer. Decoded protobuf bytes are views into the whole response
 * buffer (a full history); sending a view to a sandbox thread would copy that entire buffer each time.
 */
function ownBytes(bytes: Uint8Array | ArrayLike<number>): Uint8Array {
  // Plain objects built elsewhere (e.g. from JSON) may carry bytes as number arrays.
  if (!(bytes instanceof Uint8Array)) return Uint8Array.from(bytes);
  return bytes.byteLength === bytes.buffer.byteLength ? bytes : new Uint8Array(bytes);
}

/** Replaces every byte view in a plain message with a copy that owns its buffer (in place). */
function detachBytes<T>(value: T): T {
  if (value instanceof Uint8Array) return ownBytes(value) as T;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = detachBytes(value[i]);
  } else if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) record[key] = detachBytes(record[key]);
  }
  return value;
}

/** A payload as a plain `{ metadata, data }` record whose bytes own their buffers. */
export function plainPayload(payload: IPayload): Payload {
  const metadata: Record<string, Uint8Array> = {};
  for (const [key, value] of Object.entries(payload.metadata ?? {})) metadata[key] = ownBytes(value);
  return { metadata, data: ownBytes(payload.data ?? new Uint8Array(0)) };
}

/** The payloads of a `Payloads` message (empty when absent). */
export function plainPayloadList(payloads: IPayloads | null | undefined): Payload[] {
  return (payloads?.payloads ?? []).map(plainPayload);
}

/** A map of payloads (header fields, memo fields, search attributes), as plain records. */
export function plainPayloadMap(map: Record<string, IPayload> | null | undefined): PayloadMap {
  const out: PayloadMap = {};
  for (const [key, value] of Object.entries(map ?? {})) out[key] = plainPayload(value);
  return out;
}

/** A failure as a plain object: int64 fields become numbers, bytes stay bytes. */
export function plainFailure(failure: IFailure): ProtoFailure {
  const message = FailureType.fromObject(failure);
  return detachBytes(FailureType.toObject(message, TO_PLAIN) as ProtoFailure);
}

/** A retry policy as a plain object (durations as `{ seconds: number, nanos }`). */
export function plainRetryPolicy(policy: IRetryPolicy): ProtoRetryPolicy {
  const message = RetryPolicyType.fromObject(policy);
  return RetryPolicyType.toObject(message, TO_PLAIN) as ProtoRetryPolicy;
}

/** A Duration or Timestamp as milliseconds (undefined when absent). */
export function msOf(value: IDuration | ITimestamp | null | undefined): number | undefined {
  if (value === null || value === undefined) return undefined;
  return int64ToNumber(value.seconds) * 1000 + Math.trunc((value.nanos ?? 0) / 1_000_000);
}

/** Payloads as a `Payloads` message body, or undefined when there are none (as Core sends them). */
export function payloadsOrUndefined(payloads: readonly Payload[] | undefined): IPayloads | undefined {
  return payloads !== undefined && payloads.length > 0 ? { payloads: [...payloads] } : undefined;
}

/** Milliseconds as a protobuf Duration (undefined passes through). */
export function durationOf(ms: number | undefined): IDuration | undefined {
  if (ms === undefined) return undefined;
  const seconds = Math.trunc(ms / 1000);
  return { seconds: Long.fromNumber(seconds), nanos: Math.round((ms - seconds * 1000) * 1_000_000) };
}


