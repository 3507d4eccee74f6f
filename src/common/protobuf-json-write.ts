/**
 * Writes ProtoJSON (the canonical proto3 JSON mapping) from protobufjs messages, through duck-typed
 * reflection: int64 as strings, bytes as base64, enums by name, default values omitted, and the
 * well-known types Timestamp, Duration, wrappers, Struct/Value/ListValue, FieldMask and Any.
 *
 * @module
 */
import { encodeBase64 } from './encoding.js';
import {
  hasOwn,
  int64ToNumber,
  isEnumType,
  isImplicitDefault,
  isMessageType,
  LONG_TYPES,
  lowerCamel,
  MAX_DEPTH,
  nanosText,
  resolved,
  WELL_KNOWN,
  WRAPPERS,
} from './protobuf-reflection.js';
import type { ReflectedField, ReflectedType } from './protobuf-reflection.js';
import { isRecord } from './type-helpers.js';
import { ValueError } from './value-error.js';

// ---- writing -------------------------------------------------------------------------------

function writeScalar(type: string, value: unknown): unknown {
  if (LONG_TYPES.has(type)) return value === null || value === undefined ? '0' : String(value);
  if ((type === 'float' || type === 'double') && typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (type === 'bytes') return value === null || value === undefined ? '' : encodeBase64(value as Uint8Array);
  return value;
}

function scalarDefault(type: string): unknown {
  if (type === 'bool') return false;
  if (type === 'string') return '';
  if (type === 'bytes') return new Uint8Array(0);
  return 0;
}

function writeSingular(field: ReflectedField, value: unknown, depth: number): unknown {
  const target = field.resolvedType;
  if (isMessageType(target)) return writeMessage(target, value, depth + 1);
  if (isEnumType(target)) {
    if (target.fullName === '.google.protobuf.NullValue') return null;
    return target.valuesById[value as number] ?? value;
  }
  return writeScalar(field.type, value);
}

function writeValue(message: unknown, depth: number): unknown {
  if (!isRecord(message) || hasOwn(message, 'nullValue')) return null;
  if (hasOwn(message, 'numberValue')) {
    if (!Number.isFinite(message['numberValue'])) throw new ValueError('google.protobuf.Value cannot hold a non-finite number');
    return message['numberValue'];
  }
  if (hasOwn(message, 'stringValue')) return message['stringValue'];
  if (hasOwn(message, 'boolValue')) return message['boolValue'];
  if (hasOwn(message, 'structValue')) return writeStruct(message['structValue'], depth + 1);
  if (hasOwn(message, 'listValue')) return writeList(message['listValue'], depth + 1);
  return null;
}

function writeStruct(message: unknown, depth: number): Record<string, unknown> {
  const fields = isRecord(message) ? message['fields'] : undefined;
  const entries = isRecord(fields) ? Object.entries(fields) : [];
  return Object.fromEntries(entries.map(([k, v]) => [k, writeValue(v, depth)]));
}

function writeList(message: unknown, depth: number): unknown[] {
  const values = isRecord(message) ? message['values'] : undefined;
  return Array.isArray(values) ? values.map((v) => writeValue(v, depth)) : [];
}

function writeSecondsNanos(type: ReflectedType, message: Record<string, unknown>): string {
  const seconds = int64ToNumber(message['seconds']);
  const nanos = typeof message['nanos'] === 'number' ? message['nanos'] : 0;
  if (type.fullName === '.google.protobuf.Duration') {
    const sign = seconds < 0 || nanos < 0 ? '-' : '';
    return `${sign}${Math.abs(seconds)}${nanos ? `.${nanosText(nanos)}` : ''}s`;
  }
  if (nanos < 0 || nanos > 999_999_999) throw new ValueError(`${type.fullName} nanos out of range: ${nanos}`);
  const iso = new Date(seconds * 1000).toISOString();
  return iso.replace(/\.\d+Z$/, nanos ? `.${nanosText(nanos)}Z` : 'Z');
}

function writeWellKnown(type: ReflectedType, message: Record<string, unknown>, depth: number): { json: unknown } | undefined {
  switch (type.fullName) {
    case '.google.protobuf.Duration':
    case '.google.protobuf.Timestamp':
      return { json: writeSecondsNanos(type, message) };
    case '.google.protobuf.FieldMask':
      return { json: ((message['paths'] as string[] | undefined) ?? []).map(lowerCamel).join(',') };
    case '.google.protobuf.Value':
      return { json: writeValue(message, depth) };
    case '.google.protobuf.Struct':
      return { json: writeStruct(message, depth) };
    case '.google.protobuf.ListValue':
      return { json: writeList(message, depth) };
    case '.google.protobuf.Any':
      return { json: writeAny(type, message, depth) };
  }
  if (WRAPPERS.has(type.fullName)) {
    const field = type.fieldsArray.map(resolved).find((f) => f.name === 'value');
    if (field === undefined) return undefined;
    return { json: writeSingular(field, message['value'] ?? scalarDefault(field.type), depth) };
  }
  return undefined;
}

function writeAny(type: ReflectedType, message: Record<string, unknown>, depth: number): unknown {
  const typeUrl = (message['typeUrl'] ?? message['type_url']) as string | undefined;
  if (!typeUrl) return {};
  if (!type.root) throw new ValueError('google.protobuf.Any: type has no root to look up its contents');
  const inner = type.root.lookupType(typeUrl.slice(typeUrl.lastIndexOf('/') + 1));
  const decoded = inner.decode((message['value'] as Uint8Array | undefined) ?? new Uint8Array(0));
  const body = writeMessage(inner, decoded, depth + 1);
  if (isRecord(body) && !WELL_KNOWN.has(inner.fullName)) return { '@type': typeUrl, ...body };
  return { '@type': typeUrl, value: body };
}

function writeMessage(type: ReflectedType, message: unknown, depth: number): unknown {
  if (depth > MAX_DEPTH) throw new ValueError('ProtoJSON: maximum nesting depth exceeded');
  const record = isRecord(message) ? message : {};
  const wellKnown = writeWellKnown(type, record, depth);
  if (wellKnown) return wellKnown.json;
  const out: Record<string, unknown> = {};
  for (const raw of type.fieldsArray) {
    const field = resolved(raw);
    const value = record[field.name];
    if (value === null || value === undefined) continue;
    const key = field.jsonName ?? field.name;
    let json: unknown;
    if (field.map) {
      const entries = Object.entries(value as Record<string, unknown>);
      if (entries.length === 0) continue;
      json = Object.fromEntries(entries.map(([k, v]) => [k, writeSingular(field, v, depth)]));
    } else if (field.repeated) {
      if ((value as unknown[]).length === 0) continue;
      json = (value as unknown[]).map((v) => writeSingular(field, v, depth));
    } else {
      if (!hasOwn(record, field.name) || isImplicitDefault(field, value)) continue;
      json = writeSingular(field, value, depth);
    }
    Object.defineProperty(out, key, { value: json, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/**
 * A protobufjs message (or plain object of its shape) as a ProtoJSON value.
 *
 * @example
 * ```ts
 * JSON.stringify(messageToProtoJson(MyMessage, MyMessage.create({ id: 1 })));
 * ```
 */
export function messageToProtoJson(type: ReflectedType, message: object): unknown {
  type.root?.resolveAll?.();
  return writeMessage(type, message, 0);
}

