/**
 * Duck-typed views of protobufjs reflection objects (`Type`, `Field`, `Enum`) and helpers shared by
 * the ProtoJSON reader and writer, so common can work with user protobufs without importing
 * protobufjs.
 *
 * @module
 */
import Long from 'long';
import { isRecord } from './type-helpers.js';

/** The parts of a protobufjs `Field` used here. */
export interface ReflectedField {
  name: string;
  jsonName?: string;
  protoName?: string;
  type: string;
  repeated?: boolean;
  map?: boolean;
  keyType?: string;
  hasPresence?: boolean;
  resolvedType?: ReflectedType | ReflectedEnum | null;
  resolve?(): ReflectedField;
}

/** The parts of a protobufjs `Type` (message type) used here. */
export interface ReflectedType {
  name: string;
  fullName: string;
  fieldsArray: ReflectedField[];
  create(properties?: Record<string, unknown>): object;
  encode(message: object): { finish(): Uint8Array };
  decode(bytes: Uint8Array): object;
  root?: { lookupType(name: string): ReflectedType; resolveAll?(): unknown } | null;
}

/** The parts of a protobufjs `Enum` used here. */
export interface ReflectedEnum {
  fullName: string;
  values: Record<string, number>;
  valuesById: Record<number, string>;
}

export const LONG_TYPES = new Set(['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64']);
export const INT32_TYPES = new Set(['int32', 'uint32', 'sint32', 'fixed32', 'sfixed32']);
export const WRAPPERS = new Set(
  ['Double', 'Float', 'Int64', 'UInt64', 'Int32', 'UInt32', 'Bool', 'String', 'Bytes'].map((n) => `.google.protobuf.${n}Value`)
);
export const MAX_DEPTH = 100;

/** Well-known types with a special JSON form. */
export const WELL_KNOWN = new Set([
  '.google.protobuf.Duration',
  '.google.protobuf.Timestamp',
  '.google.protobuf.FieldMask',
  '.google.protobuf.Value',
  '.google.protobuf.Struct',
  '.google.protobuf.ListValue',
  '.google.protobuf.Any',
  ...WRAPPERS,
]);

export function isMessageType(t: unknown): t is ReflectedType {
  return isRecord(t) && Array.isArray(t['fieldsArray']);
}

export function isEnumType(t: unknown): t is ReflectedEnum {
  return isRecord(t) && isRecord(t['valuesById']) && isRecord(t['values']);
}

export function hasOwn(o: unknown, key: string): boolean {
  return isRecord(o) && Object.prototype.hasOwnProperty.call(o, key);
}

export function resolved(field: ReflectedField): ReflectedField {
  return typeof field.resolve === 'function' ? field.resolve() : field;
}

export function int64ToNumber(value: unknown): number {
  if (value === null || value === undefined) return 0;
  if (typeof value === 'number') return value;
  if (Long.isLong(value)) return value.toNumber();
  if (isRecord(value) && typeof value['low'] === 'number' && typeof value['high'] === 'number') {
    return Long.fromBits(value['low'], value['high'], Boolean(value['unsigned'])).toNumber();
  }
  return Number(value) || 0;
}

export function isImplicitDefault(field: ReflectedField, value: unknown): boolean {
  if (field.hasPresence || field.repeated || field.map || isMessageType(field.resolvedType)) return false;
  if (isEnumType(field.resolvedType)) return value === 0;
  switch (field.type) {
    case 'bool':
      return value === false;
    case 'string':
      return value === '';
    case 'bytes':
      return value === null || value === undefined || (value as Uint8Array).length === 0;
    default:
      return int64ToNumber(value) === 0;
  }
}

export function nanosText(nanos: number): string {
  let text = String(Math.abs(nanos)).padStart(9, '0');
  while (text.length > 3 && text.endsWith('000')) text = text.slice(0, -3);
  return text;
}

export function lowerCamel(snake: string): string {
  return snake.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

export function snakeCase(camel: string): string {
  return camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
