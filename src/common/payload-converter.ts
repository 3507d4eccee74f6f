/**
 * Payload converters: JS values ↔ `Payload { metadata, data }`. The default converter writes
 * exactly the bytes the official TypeScript SDK writes: metadata `encoding` = `binary/null`,
 * `binary/plain` or `json/plain` (UTF-8), and `JSON.stringify` output as UTF-8 data.
 *
 * Converters run inside the workflow sandbox, so they are synchronous and I/O-free; use a
 * {@link PayloadCodec} for compression or encryption.
 *
 * @module
 */
import { decodeUtf8, encodeUtf8 } from './encoding.js';
import type { Payload } from './proto-types.js';
import type { SerializationContext } from './serialization-context.js';
import { describeValue } from './type-helpers.js';
import { PayloadConverterError, ValueError } from './value-error.js';

export { PayloadConverterError, ValueError };

/** The metadata key naming a payload's encoding. */
export const METADATA_ENCODING_KEY = 'encoding';
/** The metadata key naming the protobuf message type of `*\/protobuf` payloads. */
export const METADATA_MESSAGE_TYPE_KEY = 'messageType';

/** The encodings understood by the built-in converters. */
export const encodingTypes = {
  METADATA_ENCODING_NULL: 'binary/null',
  METADATA_ENCODING_RAW: 'binary/plain',
  METADATA_ENCODING_JSON: 'json/plain',
  METADATA_ENCODING_PROTOBUF_JSON: 'json/protobuf',
  METADATA_ENCODING_PROTOBUF: 'binary/protobuf',
} as const;
export type EncodingType = (typeof encodingTypes)[keyof typeof encodingTypes];

/** {@link encodingTypes} as UTF-8 bytes, ready for `Payload.metadata`. */
export const encodingKeys = {
  METADATA_ENCODING_NULL: encodeUtf8(encodingTypes.METADATA_ENCODING_NULL),
  METADATA_ENCODING_RAW: encodeUtf8(encodingTypes.METADATA_ENCODING_RAW),
  METADATA_ENCODING_JSON: encodeUtf8(encodingTypes.METADATA_ENCODING_JSON),
  METADATA_ENCODING_PROTOBUF_JSON: encodeUtf8(encodingTypes.METADATA_ENCODING_PROTOBUF_JSON),
  METADATA_ENCODING_PROTOBUF: encodeUtf8(encodingTypes.METADATA_ENCODING_PROTOBUF),
} as const;

/**
 * Serializes arguments, results and other user values. Runs inside the workflow sandbox, so it
 * must be synchronous and deterministic.
 */
export interface PayloadConverter {
  /**
   * Converts a value to a payload.
   *
   * @throws {@link ValueError} when the value cannot be converted
   */
  toPayload<T>(value: T, context?: SerializationContext): Payload;
  /** Converts a payload back to a value. */
  fromPayload<T>(payload: Payload, context?: SerializationContext): T;
}

/** One encoding of a {@link CompositePayloadConverter}. */
export interface PayloadConverterWithEncoding {
  /** Converts a value, or returns `undefined` when this converter does not handle it. */
  toPayload<T>(value: T, context?: SerializationContext): Payload | undefined;
  /** Converts a payload whose `encoding` metadata equals {@link encodingType}. */
  fromPayload<T>(payload: Payload, context?: SerializationContext): T;
  /** The `encoding` metadata value this converter writes and reads. */
  readonly encodingType: string;
}

/**
 * A value that is already a payload: converters pass it through unchanged (codecs still apply).
 *
 * @example
 * ```ts
 * await handle.signal(mySignal, new RawValue(someValue));
 * ```
 */
export class RawValue<T = unknown> {
  readonly #payload: Payload;

  constructor(value: T, payloadConverter: PayloadConverter = defaultPayloadConverter) {
    this.#payload = payloadConverter.toPayload(value);
  }

  /** Wraps an existing payload. */
  static fromPayload(payload: Payload): RawValue {
    return new RawValue(payload, identityPayloadConverter);
  }

  /** The wrapped payload. */
  get payload(): Payload {
    return this.#payload;
  }
}

/** Returns its input: lets {@link RawValue.fromPayload} reuse the constructor. */
const identityPayloadConverter: PayloadConverter = {
  toPayload: <T>(value: T): Payload => value as Payload,
  fromPayload: <T>(payload: Payload): T => payload as T,
};

function readEncoding(payload: Payload): string {
  const metadata = payload.metadata;
  if (metadata === undefined || metadata === null) throw new ValueError('Missing payload metadata');
  const bytes = metadata[METADATA_ENCODING_KEY];
  if (bytes === undefined || bytes === null) throw new ValueError(`Missing payload metadata '${METADATA_ENCODING_KEY}'`);
  return decodeUtf8(bytes);
}

/**
 * Tries its converters in order to serialize a value; deserializes with the converter whose
 * {@link PayloadConverterWithEncoding.encodingType} matches the payload's `encoding` metadata.
 *
 * @example
 * ```ts
 * const converter = new CompositePayloadConverter(new UndefinedPayloadConverter(), new JsonPayloadConverter());
 * ```
 */
export class CompositePayloadConverter implements PayloadConverter {
  readonly converters: PayloadConverterWithEncoding[];
  readonly converterByEncoding: Map<string, PayloadConverterWithEncoding> = new Map();

  constructor(...converters: PayloadConverterWithEncoding[]) {
    if (converters.length === 0) {
      throw new PayloadConverterError('Must provide at least one PayloadConverterWithEncoding');
    }
    this.converters = converters;
    for (const converter of converters) this.converterByEncoding.set(converter.encodingType, converter);
  }

  /** The first non-`undefined` result of the converters, in order; a {@link RawValue}'s payload as is. */
  public toPayload<T>(value: T, context?: SerializationContext): Payload {
    if (value instanceof RawValue) return value.payload;
    for (const converter of this.converters) {
      const result = converter.toPayload(value, context);
      if (result !== undefined) return result;
    }
    throw new ValueError(`Unable to convert ${describeValue(value)} to payload`);
  }

  /** Dispatches on the payload's `encoding` metadata. */
  public fromPayload<T>(payload: Payload, context?: SerializationContext): T {
    const encoding = readEncoding(payload);
    const converter = this.converterByEncoding.get(encoding);
    if (converter === undefined) throw new ValueError(`Unknown encoding: ${encoding}`);
    return converter.fromPayload(payload, context);
  }
}

/** `undefined` ↔ a `binary/null` payload without data. */
export class UndefinedPayloadConverter implements PayloadConverterWithEncoding {
  public readonly encodingType = encodingTypes.METADATA_ENCODING_NULL;

  public toPayload(value: unknown): Payload | undefined {
    if (value !== undefined) return undefined;
    return { metadata: { [METADATA_ENCODING_KEY]: encodingKeys.METADATA_ENCODING_NULL.slice() } };
  }

  public fromPayload<T>(_payload: Payload): T {
    return undefined as T;
  }
}

/** `Uint8Array` ↔ a `binary/plain` payload whose data is the bytes themselves. */
export class BinaryPayloadConverter implements PayloadConverterWithEncoding {
  public readonly encodingType = encodingTypes.METADATA_ENCODING_RAW;

  public toPayload(value: unknown): Payload | undefined {
    if (!(value instanceof Uint8Array)) return undefined;
    return { metadata: { [METADATA_ENCODING_KEY]: encodingKeys.METADATA_ENCODING_RAW.slice() }, data: value };
  }

  public fromPayload<T>(payload: Payload): T {
    const data = payload.data;
    if (data === undefined || data === null) return data as T;
    // A plain Uint8Array view from this realm (not a Buffer, not another realm's class).
    return new Uint8Array(data.buffer, data.byteOffset, data.length) as T;
  }
}

/**
 * Any value `JSON.stringify` can serialize ↔ a `json/plain` payload (UTF-8 JSON). Values that
 * `JSON.stringify` cannot represent (functions, symbols, BigInt, cycles) are not handled.
 */
export class JsonPayloadConverter implements PayloadConverterWithEncoding {
  public readonly encodingType = encodingTypes.METADATA_ENCODING_JSON;

  public toPayload(value: unknown): Payload | undefined {
    if (value === undefined) return undefined;
    let json: string | undefined;
    try {
      json = JSON.stringify(value);
    } catch {
      return undefined;
    }
    // JSON.stringify yields undefined for functions, symbols and toJSON() returning undefined.
    if (json === undefined) return undefined;
    return { metadata: { [METADATA_ENCODING_KEY]: encodingKeys.METADATA_ENCODING_JSON.slice() }, data: encodeUtf8(json) };
  }

  public fromPayload<T>(payload: Payload): T {
    if (payload.data === undefined || payload.data === null) throw new ValueError('Got payload with no data');
    const text = decodeUtf8(payload.data);
    try {
      return JSON.parse(text) as T;
    } catch (err) {
      throw new ValueError(`Invalid JSON in ${this.encodingType} payload: ${describeValue(text.slice(0, 80))}`, err);
    }
  }
}

/**
 * The default converter: `undefined` (`binary/null`), then `Uint8Array` (`binary/plain`), then JSON
 * (`json/plain`), the order the other Temporal SDKs use (without protobuf; see
 * {@link DefaultPayloadConverterWithProtobufs}).
 */
export class DefaultPayloadConverter extends CompositePayloadConverter {
  constructor() {
    super(new UndefinedPayloadConverter(), new BinaryPayloadConverter(), new JsonPayloadConverter());
  }
}

/**
 * The SDK's default {@link PayloadConverter}.
 *
 * @example
 * ```ts
 * const payload = defaultPayloadConverter.toPayload({ orderId: 7 });
 * defaultPayloadConverter.fromPayload(payload); // { orderId: 7 }
 * ```
 */
export const defaultPayloadConverter: PayloadConverter = new DefaultPayloadConverter();

/**
 * Converts each value; `undefined` (not `[]`) when there are none, as proto `Payloads` fields expect.
 *
 * @example
 * ```ts
 * toPayloads(defaultPayloadConverter, 'a', 1); // [Payload, Payload]
 * ```
 */
export function toPayloads(converter: PayloadConverter, ...values: unknown[]): Payload[] | undefined {
  return toPayloadsWithContext(converter, undefined, values);
}

/** {@link toPayloads} with a {@link SerializationContext}. */
export function toPayloadsWithContext(
  converter: PayloadConverter,
  context: SerializationContext | undefined,
  values: unknown[]
): Payload[] | undefined {
  if (values.length === 0) return undefined;
  return values.map((value) => converter.toPayload(value, context));
}

/** Converts `value` unless it is `null` or `undefined`, which are returned as is. */
export function convertOptionalToPayload(
  converter: PayloadConverter,
  value: unknown,
  context?: SerializationContext
): Payload | null | undefined {
  if (value === null || value === undefined) return value;
  return converter.toPayload(value, context);
}

/** Converts every value of a record (memo, headers, search attributes). */
export function mapToPayloads<K extends string, T = unknown>(
  converter: PayloadConverter,
  map: Record<K, T>,
  context?: SerializationContext
): Record<K, Payload> {
  const entries = Object.entries(map) as [K, T][];
  return Object.fromEntries(entries.map(([key, value]) => [key, converter.toPayload(value, context)])) as Record<
    K,
    Payload
  >;
}

/**
 * The value of `payloads[index]`, or `undefined` when there is no such payload (so that adding a
 * parameter to a workflow or activity stays backwards compatible).
 */
export function fromPayloadsAtIndex<T>(
  converter: PayloadConverter,
  index: number,
  payloads?: Payload[] | null,
  context?: SerializationContext
): T {
  const payload = payloads?.[index];
  if (payload === undefined || payload === null) return undefined as T;
  return converter.fromPayload<T>(payload, context);
}

/** Converts every payload; `[]` for `null` or `undefined`. */
export function arrayFromPayloads(
  converter: PayloadConverter,
  payloads?: Payload[] | null,
  context?: SerializationContext
): unknown[] {
  if (!payloads) return [];
  return payloads.map((payload) => converter.fromPayload(payload, context));
}

/** Converts every payload of a record; `undefined` for `null` or `undefined`. */
export function mapFromPayloads<K extends string, T = unknown>(
  converter: PayloadConverter,
  map?: Record<K, Payload> | null,
  context?: SerializationContext
): Record<K, T> | undefined {
  if (map === null || map === undefined) return undefined;
  const entries = Object.entries(map) as [K, Payload][];
  return Object.fromEntries(entries.map(([key, payload]) => [key, converter.fromPayload<T>(payload, context)])) as Record<
    K,
    T
  >;
}
