/**
 * Payload codecs: async byte-level transforms (compression, encryption) between the payload
 * converter and the wire. Codecs run outside the workflow sandbox (client, worker main thread).
 *
 * ```
 * Server <--> wire <--> PayloadCodec[] <--> PayloadConverter <--> user values
 * ```
 *
 * @module
 */
import type { Payload, Payloads, ProtoFailure } from './proto-types.js';
import type { SerializationContext } from './serialization-context.js';

/**
 * Transforms payloads on their way to and from the server. Implementations must be able to decode
 * whatever they encode and should pass through payloads they do not recognise.
 *
 * @example
 * ```ts
 * const codec: PayloadCodec = {
 *   async encode(payloads) { return payloads.map(encrypt); },
 *   async decode(payloads) { return payloads.map(decrypt); },
 * };
 * ```
 */
export interface PayloadCodec {
  /** Encodes payloads for the wire. `payloads` may be empty. */
  encode(payloads: Payload[], context?: SerializationContext): Promise<Payload[]>;
  /** Decodes payloads received from the wire. */
  decode(payloads: Payload[], context?: SerializationContext): Promise<Payload[]>;
}

/**
 * Runs `payloads` through every codec's `encode`, first codec first.
 *
 * @example
 * ```ts
 * const wire = await encodePayloads([compression, encryption], payloads);
 * ```
 */
export async function encodePayloads(
  codecs: readonly PayloadCodec[],
  payloads: Payload[],
  context?: SerializationContext
): Promise<Payload[]> {
  let current = payloads;
  for (const codec of codecs) current = await codec.encode(current, context);
  return current;
}

/** Runs `payloads` through every codec's `decode`, last codec first (the reverse of encoding). */
export async function decodePayloads(
  codecs: readonly PayloadCodec[],
  payloads: Payload[],
  context?: SerializationContext
): Promise<Payload[]> {
  let current = payloads;
  for (let i = codecs.length - 1; i >= 0; i--) {
    const codec = codecs[i];
    if (codec !== undefined) current = await codec.decode(current, context);
  }
  return current;
}

type Transform = (payloads: Payload[]) => Promise<Payload[]>;

async function single(transform: Transform, payload: Payload | null | undefined): Promise<Payload | null | undefined> {
  if (payload === null || payload === undefined) return payload;
  const [out] = await transform([payload]);
  return out;
}

async function optionalPayloads(transform: Transform, value: Payloads | null | undefined): Promise<Payloads | null | undefined> {
  if (value === null || value === undefined) return value;
  return { ...value, payloads: await transform(value.payloads ?? []) };
}

/** Encodes one optional payload (memo value, encoded attributes); `null`/`undefined` pass through. */
export async function encodeOptionalSingle(
  codecs: readonly PayloadCodec[],
  payload: Payload | null | undefined,
  context?: SerializationContext
): Promise<Payload | null | undefined> {
  return single((p) => encodePayloads(codecs, p, context), payload);
}

/** Decodes one optional payload; `null`/`undefined` pass through. */
export async function decodeOptionalSingle(
  codecs: readonly PayloadCodec[],
  payload: Payload | null | undefined,
  context?: SerializationContext
): Promise<Payload | null | undefined> {
  return single((p) => decodePayloads(codecs, p, context), payload);
}

async function mapPayloads<K extends string>(
  transform: Transform,
  map: Record<K, Payload> | null | undefined,
): Promise<Record<K, Payload> | null | undefined> {
  if (map === null || map === undefined) return map;
  const entries = Object.entries(map) as [K, Payload][];
  const values = await transform(entries.map(([, p]) => p));
  return Object.fromEntries(entries.map(([k], i) => [k, values[i]])) as Record<K, Payload>;
}

/** Encodes each value of a payload map (memo, search attributes when codecs apply, headers). */
export async function encodeMapPayloads<K extends string>(
  codecs: readonly PayloadCodec[],
  map: Record<K, Payload> | null | undefined,
  context?: SerializationContext
): Promise<Record<K, Payload> | null | undefined> {
  return mapPayloads((p) => encodePayloads(codecs, p, context), map);
}

/** Decodes each value of a payload map. */
export async function decodeMapPayloads<K extends string>(
  codecs: readonly PayloadCodec[],
  map: Record<K, Payload> | null | undefined,
  context?: SerializationContext
): Promise<Record<K, Payload> | null | undefined> {
  return mapPayloads((p) => decodePayloads(codecs, p, context), map);
}

/** Applies `transform` to every payload carried by a failure and its cause chain; returns a copy. */
async function transformFailure(failure: ProtoFailure, transform: Transform): Promise<ProtoFailure> {
  const out: ProtoFailure = { ...failure };
  if (failure.encodedAttributes) out.encodedAttributes = await single(transform, failure.encodedAttributes);
  if (failure.cause) out.cause = await transformFailure(failure.cause, transform);
  const app = failure.applicationFailureInfo;
  if (app) out.applicationFailureInfo = { ...app, details: await optionalPayloads(transform, app.details) };
  const timeout = failure.timeoutFailureInfo;
  if (timeout) {
    const lastHeartbeatDetails = await optionalPayloads(transform, timeout.lastHeartbeatDetails);
    out.timeoutFailureInfo = { ...timeout, lastHeartbeatDetails };
  }
  const cancel = failure.canceledFailureInfo;
  if (cancel) out.canceledFailureInfo = { ...cancel, details: await optionalPayloads(transform, cancel.details) };
  const reset = failure.resetWorkflowFailureInfo;
  if (reset) {
    const lastHeartbeatDetails = await optionalPayloads(transform, reset.lastHeartbeatDetails);
    out.resetWorkflowFailureInfo = { ...reset, lastHeartbeatDetails };
  }
  return out;
}

/**
 * Encodes every payload inside a failure (details, heartbeat details, encoded attributes) down its
 * cause chain. The input is not modified.
 *
 * @example
 * ```ts
 * const wireFailure = await encodeFailure(codecs, failureConverter.errorToFailure(err, payloadConverter));
 * ```
 */
export async function encodeFailure(
  codecs: readonly PayloadCodec[],
  failure: ProtoFailure,
  context?: SerializationContext
): Promise<ProtoFailure> {
  return transformFailure(failure, (p) => encodePayloads(codecs, p, context));
}

/** Decodes every payload inside a failure down its cause chain. The input is not modified. */
export async function decodeFailure(
  codecs: readonly PayloadCodec[],
  failure: ProtoFailure,
  context?: SerializationContext
): Promise<ProtoFailure> {
  return transformFailure(failure, (p) => decodePayloads(codecs, p, context));
}

/** {@link encodeFailure} for an optional failure. */
export async function encodeOptionalFailure(
  codecs: readonly PayloadCodec[],
  failure: ProtoFailure | null | undefined,
  context?: SerializationContext
): Promise<ProtoFailure | null | undefined> {
  return failure ? encodeFailure(codecs, failure, context) : failure;
}

/** {@link decodeFailure} for an optional failure. */
export async function decodeOptionalFailure(
  codecs: readonly PayloadCodec[],
  failure: ProtoFailure | null | undefined,
  context?: SerializationContext
): Promise<ProtoFailure | null | undefined> {
  return failure ? decodeFailure(codecs, failure, context) : failure;
}
