/**
 * Opt-in protobuf payload converters (`binary/protobuf` and `json/protobuf`, with a `messageType`
 * metadata entry), written against a protobufjs `Root` that the user passes in. Common never
 * imports protobufjs: the root, its types and messages are used through their public methods.
 *
 * @module
 */
import { decodeUtf8, encodeUtf8 } from './encoding.js';
import {
  BinaryPayloadConverter,
  CompositePayloadConverter,
  encodingTypes,
  JsonPayloadConverter,
  METADATA_ENCODING_KEY,
  METADATA_MESSAGE_TYPE_KEY,
  UndefinedPayloadConverter,
} from './payload-converter.js';
import type { PayloadConverterWithEncoding } from './payload-converter.js';
import { messageFromProtoJson } from './protobuf-json-read.js';
import { messageToProtoJson } from './protobuf-json-write.js';
import type { ReflectedType } from './protobuf-reflection.js';
import type { Payload } from './proto-types.js';
import { errorMessage, isRecord } from './type-helpers.js';
import { PayloadConverterError, ValueError } from './value-error.js';

/** The parts of a protobufjs `Root` used here. */
export interface ProtobufRoot {
  lookupType(name: string): ReflectedType;
}

/**
 * A ProtoJSON implementation to use instead of the built-in one, e.g. protobufjs's own:
 * `import * as protojson from 'protobufjs/ext/protojson'`.
 */
export interface ProtoJsonImplementation {
  toJson(type: never, message: never): unknown;
  fromJson(type: never, json: unknown, options?: { ignoreUnknownFields?: boolean }): unknown;
}

interface ProtobufMessage {
  $type: ReflectedType;
}

function isProtobufType(type: unknown): type is ReflectedType {
  return (
    isRecord(type) &&
    typeof type['name'] === 'string' &&
    typeof type['fullName'] === 'string' &&
    typeof type['create'] === 'function' &&
    typeof type['encode'] === 'function' &&
    typeof type['decode'] === 'function' &&
    'fieldsArray' in type
  );
}

function isProtobufMessage(value: unknown): value is ProtobufMessage {
  return isRecord(value) && '$type' in value && isProtobufType(value['$type']);
}

function isRoot(root: unknown): root is ProtobufRoot {
  return isRecord(root) && typeof root['lookupType'] === 'function';
}

/** `fullName` without protobufjs's leading dot: the name that goes on the wire. */
function wireTypeName(type: ReflectedType): string {
  return type.fullName.startsWith('.') ? type.fullName.slice(1) : type.fullName;
}

/** True for a Node `Buffer` (from any realm) without referencing the `Buffer` global. */
function isBuffer(value: unknown): value is Uint8Array {
  if (!(value instanceof Uint8Array)) return false;
  const ctor = value.constructor as { name?: string; isBuffer?: (v: unknown) => boolean } | undefined;
  return ctor?.name === 'Buffer' && typeof ctor.isBuffer === 'function' && ctor.isBuffer(value);
}

/**
 * protobufjs allocates `bytes` fields as pooled `Buffer`s under Node; swap them for plain
 * `Uint8Array`s so that decoded values behave the same in and out of the sandbox.
 */
function replaceBuffers<T>(value: T): T {
  if (isBuffer(value)) return new Uint8Array(value) as T;
  if (!isRecord(value) || ArrayBuffer.isView(value)) return value;
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const child = record[key];
    const replaced = replaceBuffers(child);
    if (replaced !== child) record[key] = replaced;
  }
  return value;
}

abstract class ProtobufPayloadConverter implements PayloadConverterWithEncoding {
  protected readonly root: ProtobufRoot | undefined;
  public abstract readonly encodingType: string;

  constructor(root?: unknown) {
    if (root) {
      if (!isRoot(root)) throw new TypeError('root must be an instance of a protobufjs Root');
      this.root = root;
    }
  }

  public abstract toPayload<T>(value: T): Payload | undefined;
  public abstract fromPayload<T>(payload: Payload): T;

  protected validatePayload(payload: Payload): { messageType: ReflectedType; data: Uint8Array } {
    if (payload.data === undefined || payload.data === null) throw new ValueError('Got payload with no data');
    const typeBytes = payload.metadata?.[METADATA_MESSAGE_TYPE_KEY];
    if (!typeBytes) throw new ValueError(`Got protobuf payload without metadata.${METADATA_MESSAGE_TYPE_KEY}`);
    if (!this.root) throw new PayloadConverterError('Unable to deserialize protobuf message without `root` being provided');
    const messageTypeName = decodeUtf8(typeBytes);
    try {
      return { messageType: this.root.lookupType(messageTypeName), data: payload.data };
    } catch (err) {
      if (errorMessage(err)?.includes('no such type')) {
        throw new PayloadConverterError(
          `Got a \`${messageTypeName}\` protobuf message but cannot find corresponding message class in \`root\``
        );
      }
      throw err;
    }
  }

  protected constructPayload(messageTypeName: string, data: Uint8Array): Payload {
    return {
      metadata: {
        [METADATA_ENCODING_KEY]: encodeUtf8(this.encodingType),
        [METADATA_MESSAGE_TYPE_KEY]: encodeUtf8(messageTypeName),
      },
      data,
    };
  }
}

/**
 * protobufjs messages ↔ `binary/protobuf` payloads (the protobuf wire format).
 *
 * @example
 * ```ts
 * const converter = new ProtobufBinaryPayloadConverter(root);
 * converter.toPayload(root.lookupType('foo.Bar').create({ id: 1 }));
 * ```
 */
export class ProtobufBinaryPayloadConverter extends ProtobufPayloadConverter {
  public readonly encodingType = encodingTypes.METADATA_ENCODING_PROTOBUF;

  /** @param root a protobufjs `Root` holding the message types to decode */
  constructor(root?: unknown) {
    super(root);
  }

  public toPayload(value: unknown): Payload | undefined {
    if (!isProtobufMessage(value)) return undefined;
    return this.constructPayload(wireTypeName(value.$type), value.$type.encode(value).finish());
  }

  public fromPayload<T>(payload: Payload): T {
    const { messageType, data } = this.validatePayload(payload);
    const local = new Uint8Array(data.buffer, data.byteOffset, data.length);
    return replaceBuffers(messageType.decode(local)) as T;
  }
}

/** Options of {@link ProtobufJsonPayloadConverter} and {@link DefaultPayloadConverterWithProtobufs}. */
export interface ProtobufJsonOptions {
  /** A ProtoJSON implementation to use instead of the built-in one. */
  protojson?: ProtoJsonImplementation;
}

/**
 * protobufjs messages ↔ `json/protobuf` payloads (canonical proto3 JSON).
 *
 * @example
 * ```ts
 * const converter = new ProtobufJsonPayloadConverter(root);
 * ```
 */
export class ProtobufJsonPayloadConverter extends ProtobufPayloadConverter {
  public readonly encodingType = encodingTypes.METADATA_ENCODING_PROTOBUF_JSON;
  readonly #protojson: ProtoJsonImplementation | undefined;

  /**
   * @param root a protobufjs `Root` holding the message types to decode
   * @param options an optional ProtoJSON implementation
   */
  constructor(root?: unknown, options?: ProtobufJsonOptions) {
    super(root);
    this.#protojson = options?.protojson;
  }

  public toPayload(value: unknown): Payload | undefined {
    if (!isProtobufMessage(value)) return undefined;
    const type = value.$type;
    const json = this.#protojson
      ? this.#protojson.toJson(type as never, value as never)
      : messageToProtoJson(type, value);
    return this.constructPayload(wireTypeName(type), encodeUtf8(JSON.stringify(json)));
  }

  public fromPayload<T>(payload: Payload): T {
    const { messageType, data } = this.validatePayload(payload);
    const json: unknown = JSON.parse(decodeUtf8(data));
    const options = { ignoreUnknownFields: true };
    const message = this.#protojson
      ? this.#protojson.fromJson(messageType as never, json, options)
      : messageFromProtoJson(messageType, json, options);
    return replaceBuffers(message) as T;
  }
}

/** Options of {@link DefaultPayloadConverterWithProtobufs}. */
export interface DefaultPayloadConverterWithProtobufsOptions extends ProtobufJsonOptions {
  /** The protobufjs `Root` holding the message types to decode. */
  protobufRoot: Record<string, unknown>;
}

/**
 * The default converter plus protobuf support, in the order of the other Temporal SDKs:
 * `binary/null`, `binary/plain`, `json/protobuf`, `binary/protobuf`, `json/plain`. Protobuf messages
 * are therefore written as `json/protobuf`.
 *
 * @example
 * ```ts
 * export const payloadConverter = new DefaultPayloadConverterWithProtobufs({ protobufRoot: root });
 * ```
 */
export class DefaultPayloadConverterWithProtobufs extends CompositePayloadConverter {
  constructor({ protobufRoot, protojson }: DefaultPayloadConverterWithProtobufsOptions) {
    super(
      new UndefinedPayloadConverter(),
      new BinaryPayloadConverter(),
      new ProtobufJsonPayloadConverter(protobufRoot, { protojson }),
      new ProtobufBinaryPayloadConverter(protobufRoot),
      new JsonPayloadConverter()
    );
  }
}
