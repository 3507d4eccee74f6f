/**
 * Reads ProtoJSON (the canonical proto3 JSON mapping) into protobufjs messages, through duck-typed
 * reflection. Accepts JSON names and original field names, enum names or numbers, int64 as strings
 * or numbers, standard or URL-safe base64, and the well-known types' JSON forms.
 *
 * @module
 */
import Long from 'long';
import { decodeBase64 } from './encoding.js';
import {
  hasOwn,
  INT32_TYPES,
  isEnumType,
  isImplicitDefault,
  isMessageType,
  LONG_TYPES,
  MAX_DEPTH,
  resolved,
  snakeCase,
  WELL_KNOWN,
  WRAPPERS,
} from './protobuf-reflection.js';
import type { ReflectedEnum, ReflectedField, ReflectedType } from './protobuf-reflection.js';
import { describeValue, isRecord } from './type-helpers.js';
import { ValueError } from './value-error.js';

/** Options of {@link messageFromProtoJson}. */
export interface ProtoJsonReadOptions {
  /** Skip unknown object members and unknown enum names instead of throwing. */
  ignoreUnknownFields?: boolean;
}

type Opts = ProtoJsonReadOptions;
const SKIP = Symbol('skip');

function invalid(where: string, value: unknown, what: string): ValueError {
  return new ValueError(`${where}: ${what}: ${describeValue(value)}`);
}

const indexCache = new WeakMap<ReflectedType, Map<string, ReflectedField>>();

function fieldIndex(type: ReflectedType): Map<string, ReflectedField> {
  let index = indexCache.get(type);
  if (index === undefined) {
    index = new Map();
    for (const raw of type.fieldsArray) {
      const field = resolved(raw);
      for (const key of [field.name, field.jsonName, field.protoName]) if (key) index.set(key, field);
    }
    indexCache.set(type, index);
  }
  return index;
}

function readInteger(type: string, value: unknown, where: string): number | Long {
  let num: number | undefined;
  if (typeof value === 'number') num = value;
  else if (typeof value === 'string' && /^-?\d+$/.test(value.trim()) && LONG_TYPES.has(type)) {
    return Long.fromString(value.trim(), type === 'uint64' || type === 'fixed64');
  } else if (typeof value === 'string' && value.trim() !== '') num = Number(value);
  if (num === undefined || !Number.isInteger(num)) throw invalid(where, value, `expected an integer for ${type}`);
  if (LONG_TYPES.has(type)) return Long.fromNumber(num, type === 'uint64' || type === 'fixed64');
  return num;
}

function readScalar(type: string, value: unknown, where: string): unknown {
  if (INT32_TYPES.has(type) || LONG_TYPES.has(type)) return readInteger(type, value, where);
  switch (type) {
    case 'float':
    case 'double': {
      if (value === 'NaN' || value === 'Infinity' || value === '-Infinity') return Number(value);
      const num = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      if (typeof num !== 'number' || Number.isNaN(num)) throw invalid(where, value, 'expected a number');
      return num;
    }
    case 'bool':
      if (typeof value !== 'boolean') throw invalid(where, value, 'expected a boolean');
      return value;
    case 'string':
      if (typeof value !== 'string') throw invalid(where, value, 'expected a string');
      return value;
    case 'bytes':
      if (typeof value !== 'string') throw invalid(where, value, 'expected a base64 string');
      return decodeBase64(value);
    default:
      throw new ValueError(`${where}: unsupported scalar type ${type}`);
  }
}

function readEnum(enm: ReflectedEnum, value: unknown, where: string, opts: Opts): unknown {
  if (typeof value === 'string') {
    if (hasOwn(enm.values, value)) return enm.values[value];
    if (opts.ignoreUnknownFields) return SKIP;
    throw invalid(where, value, 'unknown enum value');
  }
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (value === null && enm.fullName === '.google.protobuf.NullValue') return 0;
  throw invalid(where, value, 'expected an enum name or number');
}

function readSingular(field: ReflectedField, value: unknown, opts: Opts, depth: number): unknown {
  const target = field.resolvedType;
  if (isMessageType(target)) return readMessage(target, value, opts, depth + 1);
  if (isEnumType(target)) return readEnum(target, value, field.name, opts);
  return readScalar(field.type, value, field.name);
}

function readField(field: ReflectedField, value: unknown, opts: Opts, depth: number): unknown {
  if (field.map) {
    if (!isRecord(value) || Array.isArray(value)) throw invalid(field.name, value, 'expected an object for a map');
    const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    for (const [k, v] of Object.entries(value)) {
      const item = readSingular(field, v, opts, depth);
      if (item !== SKIP) out[k] = item;
    }
    return out;
  }
  if (field.repeated) {
    if (!Array.isArray(value)) throw invalid(field.name, value, 'expected an array');
    return value.map((v: unknown) => readSingular(field, v, opts, depth)).filter((v) => v !== SKIP);
  }
  return readSingular(field, value, opts, depth);
}

function fractionToNanos(fraction: string | undefined): number {
  return fraction ? Number.parseInt(fraction.padEnd(9, '0').slice(0, 9), 10) : 0;
}

function secondsNanos(seconds: number, nanos: number): Record<string, number> {
  const out: Record<string, number> = {};
  if (seconds !== 0) out['seconds'] = seconds;
  if (nanos !== 0) out['nanos'] = nanos;
  return out;
}

function readDuration(type: ReflectedType, value: unknown): Record<string, number> {
  const match = typeof value === 'string' ? /^(-)?(\d+)(?:\.(\d{1,9}))?s$/.exec(value) : null;
  if (!match) throw invalid(type.fullName, value, 'expected a duration string like "1.5s"');
  const sign = match[1] ? -1 : 1;
  return secondsNanos(Number.parseInt(match[2] ?? '0', 10) * sign || 0, fractionToNanos(match[3]) * sign || 0);
}

function readTimestamp(type: ReflectedType, value: unknown): Record<string, number> {
  const pattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.(\d{1,9}))?(?:Z|[+-]\d{2}:\d{2})$/;
  const match = typeof value === 'string' ? pattern.exec(value) : null;
  const millis = match ? new Date(value as string).getTime() : Number.NaN;
  if (!match || Number.isNaN(millis)) throw invalid(type.fullName, value, 'expected an RFC 3339 timestamp');
  return secondsNanos(Math.floor(millis / 1000), fractionToNanos(match[1]));
}

function valueFromJson(json: unknown, depth: number): Record<string, unknown> {
  if (depth > MAX_DEPTH) throw new ValueError('ProtoJSON: maximum nesting depth exceeded');
  if (json === null) return { nullValue: 0 };
  if (typeof json === 'number') return { numberValue: json };
  if (typeof json === 'string') return { stringValue: json };
  if (typeof json === 'boolean') return { boolValue: json };
  if (Array.isArray(json)) return { listValue: { values: json.map((v: unknown) => valueFromJson(v, depth + 1)) } };
  if (isRecord(json)) return { structValue: structFromJson(json, depth + 1) };
  throw invalid('google.protobuf.Value', json, 'unsupported JSON value');
}

function structFromJson(json: Record<string, unknown>, depth: number): Record<string, unknown> {
  const fields: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const [k, v] of Object.entries(json)) fields[k] = valueFromJson(v, depth);
  return { fields };
}

function readAny(type: ReflectedType, value: unknown, opts: Opts, depth: number): Record<string, unknown> {
  if (!isRecord(value) || Array.isArray(value)) throw invalid(type.fullName, value, 'expected an object');
  const typeUrl = value['@type'];
  if (typeUrl === undefined) return {};
  if (typeof typeUrl !== 'string' || !type.root) throw invalid(type.fullName, typeUrl, 'cannot resolve @type');
  const inner = type.root.lookupType(typeUrl.slice(typeUrl.lastIndexOf('/') + 1));
  // Well-known types nest their JSON form under "value"; other messages inline their fields.
  const body = WELL_KNOWN.has(inner.fullName)
    ? value['value']
    : Object.fromEntries(Object.entries(value).filter(([k]) => k !== '@type'));
  const message = readMessage(inner, body, opts, depth + 1);
  const bytes = inner.encode(message).finish();
  const url = typeUrl.includes('/') ? typeUrl : `/${typeUrl}`;
  // The Any fields are `type_url` or `typeUrl` depending on how the root was loaded (keepCase).
  const index = fieldIndex(type);
  const out: Record<string, unknown> = { [index.get('type_url')?.name ?? 'typeUrl']: url };
  if (bytes.length) out[index.get('value')?.name ?? 'value'] = bytes;
  return out;
}

function readWellKnown(type: ReflectedType, value: unknown, opts: Opts, depth: number): Record<string, unknown> | undefined {
  switch (type.fullName) {
    case '.google.protobuf.Duration':
      return readDuration(type, value);
    case '.google.protobuf.Timestamp':
      return readTimestamp(type, value);
    case '.google.protobuf.FieldMask':
      if (typeof value !== 'string') throw invalid(type.fullName, value, 'expected a comma-separated string');
      return { paths: value === '' ? [] : value.split(',').map(snakeCase) };
    case '.google.protobuf.Value':
      return valueFromJson(value, depth);
    case '.google.protobuf.Struct':
      if (!isRecord(value) || Array.isArray(value)) throw invalid(type.fullName, value, 'expected an object');
      return structFromJson(value, depth + 1);
    case '.google.protobuf.ListValue':
      if (!Array.isArray(value)) throw invalid(type.fullName, value, 'expected an array');
      return { values: value.map((v: unknown) => valueFromJson(v, depth + 1)) };
    case '.google.protobuf.Any':
      return readAny(type, value, opts, depth);
  }
  if (!WRAPPERS.has(type.fullName)) return undefined;
  const field = type.fieldsArray.map(resolved).find((f) => f.name === 'value');
  if (field === undefined) return undefined;
  const inner = readSingular(field, value, opts, depth);
  return isImplicitDefault(field, inner) ? {} : { value: inner };
}

function readMessage(type: ReflectedType, value: unknown, opts: Opts, depth: number): Record<string, unknown> {
  if (depth > MAX_DEPTH) throw new ValueError('ProtoJSON: maximum nesting depth exceeded');
  const wellKnown = readWellKnown(type, value, opts, depth);
  if (wellKnown !== undefined) return wellKnown;
  if (!isRecord(value) || Array.isArray(value)) throw invalid(type.fullName, value, 'expected an object');
  const index = fieldIndex(type);
  const out: Record<string, unknown> = {};
  for (const [key, json] of Object.entries(value)) {
    const field = index.get(key);
    if (field === undefined) {
      if (opts.ignoreUnknownFields) continue;
      throw invalid(type.fullName, key, 'unknown field');
    }
    let item: unknown;
    if (json === null) {
      const target = field.resolvedType;
      if (target?.fullName === '.google.protobuf.Value') item = { nullValue: 0 };
      else if (target?.fullName === '.google.protobuf.NullValue') item = 0;
      else continue;
    } else {
      item = readField(field, json, opts, depth);
    }
    if (item !== SKIP && !isImplicitDefault(field, item)) out[field.name] = item;
  }
  return out;
}

/**
 * Parses a ProtoJSON value into a message of `type` (created with `type.create`).
 *
 * @throws {@link ValueError} naming the field and value that do not fit the type
 * @example
 * ```ts
 * const msg = messageFromProtoJson(MyMessage, JSON.parse(text), { ignoreUnknownFields: true });
 * ```
 */
export function messageFromProtoJson(type: ReflectedType, json: unknown, options: ProtoJsonReadOptions = {}): object {
  type.root?.resolveAll?.();
  return type.create(readMessage(type, json, options, 0));
}
