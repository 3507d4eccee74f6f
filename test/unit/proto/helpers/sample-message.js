// Builds plain-object samples of any protobufjs message type by reflection (every field set,
// one oneof member chosen per sample), and walks a root's types. Side-effect free.

const MAX_DEPTH = 3;

/** A scalar value of the given proto type (fromObject input), varied by `seed`. */
function scalar(type, seed) {
  switch (type) {
    case 'string':
      return `s${seed}`;
    case 'bytes':
      return Uint8Array.of(1, 2, 3, seed & 0xff);
    case 'bool':
      return true;
    case 'double':
      return 1.5 + seed;
    case 'float':
      return 0.5 + seed;
    case 'int64':
    case 'sint64':
    case 'sfixed64':
      return String(-1234567890123 - seed);
    case 'uint64':
    case 'fixed64':
      return String(9876543210987 + seed);
    case 'int32':
    case 'sint32':
    case 'sfixed32':
      return -7 - seed;
    default:
      return 7 + seed; // uint32, fixed32
  }
}

/** A map key of the given key type, as fromObject expects (object keys are strings). */
function mapKey(keyType) {
  if (keyType === 'bool') return 'true';
  if (keyType === 'string') return 'k';
  return '5';
}

/** The number of samples that cover every member of every oneof of a type. */
export function sampleCount(type) {
  return Math.max(1, ...type.oneofsArray.map((o) => o.fieldsArray.length));
}

/** The value of one field: an enum's last value, a nested sample, or a scalar. */
function fieldValue(field, seed, depth, skip) {
  const resolved = field.resolvedType;
  if (resolved && 'values' in resolved && !('fieldsArray' in resolved)) {
    const values = Object.values(resolved.values);
    return values[values.length - 1];
  }
  if (resolved) return depth >= MAX_DEPTH ? undefined : sample(resolved, 0, skip, depth + 1);
  return scalar(field.type, seed);
}

/**
 * A plain object with every field of `type` set (nested messages to depth 3, repeated fields and
 * maps with one element) except those `skip` returns true for; for each oneof, member number
 * `variant` (modulo its size) is the one set.
 */
export function sample(type, variant = 0, skip = () => false, depth = 0) {
  const out = {};
  type.fieldsArray.forEach((field, index) => {
    if (skip(field)) return;
    field.resolve();
    const oneof = field.partOf;
    if (oneof && oneof.fieldsArray.length > 1 && oneof.fieldsArray[variant % oneof.fieldsArray.length] !== field) return;
    const value = fieldValue(field, index, depth, skip);
    if (value === undefined) return;
    if (field.map) out[field.name] = { [mapKey(field.keyType)]: value };
    else if (field.repeated) out[field.name] = [value];
    else out[field.name] = value;
  });
  return out;
}

/** Every message type (`fieldsArray`) and enum under a reflection namespace, depth first. */
export function* reflectedObjects(namespace) {
  for (const nested of namespace.nestedArray ?? []) {
    if (Array.isArray(nested.fieldsArray) || (nested.values && nested.valuesById)) yield nested;
    if (nested.nestedArray) yield* reflectedObjects(nested);
  }
}

/** toObject options that make decoded messages comparable as plain data. */
export const PLAIN = { longs: String, enums: String, bytes: String, defaults: true, arrays: true, objects: true, oneofs: true };
