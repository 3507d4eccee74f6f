/**
 * Search attributes ↔ payloads, byte-compatible with the official SDK: JSON data plus a `type`
 * metadata entry (`'Keyword'`, `'Datetime'`, ...); dates as ISO-8601 JSON strings; removals as a
 * JSON `null` without `type`.
 *
 * @module
 */
import { decodeUtf8, encodeUtf8 } from './encoding.js';
import { JsonPayloadConverter } from './payload-converter.js';
import type { Payload } from './proto-types.js';
import {
  isValidValueForType,
  SearchAttributeType,
  TypedSearchAttributes,
} from './search-attributes.js';
import type {
  SearchAttributePair,
  SearchAttributes,
  SearchAttributeUpdatePair,
  SearchAttributeValue,
} from './search-attributes.js';
import { describeValue } from './type-helpers.js';
import { ValueError } from './value-error.js';

const json = new JsonPayloadConverter();

/** Metadata key carrying the search attribute type. */
export const METADATA_SEARCH_ATTRIBUTE_TYPE_KEY = 'type';

function jsonPayload(value: unknown): Payload {
  const payload = json.toPayload(value);
  if (payload === undefined) throw new ValueError(`Could not convert search attribute value ${describeValue(value)}`);
  return payload;
}

/**
 * Encodes one typed attribute (or its removal, when `value` is `null`).
 *
 * @throws {@link ValueError} when the value does not fit the key's type
 */
export function encodeTypedSearchAttribute(pair: SearchAttributeUpdatePair): Payload {
  const { key, value } = pair;
  if (value === null) return jsonPayload(null);
  if (!isValidValueForType(key.type, value)) {
    throw new ValueError(`Invalid search attribute value ${describeValue(value)} for given type ${key.type}`);
  }
  const payload = jsonPayload(value);
  const metadata = payload.metadata ?? {};
  metadata[METADATA_SEARCH_ATTRIBUTE_TYPE_KEY] = encodeUtf8(TypedSearchAttributes.toMetadataType(key.type));
  payload.metadata = metadata;
  return payload;
}

/**
 * Decodes one typed attribute value; `undefined` when the payload has no (known) `type` metadata or
 * its value does not fit the type. A one-element list is unwrapped for non-list types (payloads
 * written before `KeywordList` existed).
 */
export function decodeTypedSearchAttribute(
  payload: Payload
): { type: SearchAttributeType; value: unknown } | undefined {
  const metadata = payload.metadata;
  if (metadata === null || metadata === undefined) throw new ValueError('Missing payload metadata');
  const typeBytes = metadata[METADATA_SEARCH_ATTRIBUTE_TYPE_KEY];
  if (typeBytes === null || typeBytes === undefined) return undefined;
  const type = TypedSearchAttributes.toSearchAttributeType(decodeUtf8(typeBytes));
  if (type === undefined) return undefined;
  let value = json.fromPayload<unknown>(payload);
  if (type !== SearchAttributeType.KEYWORD_LIST && Array.isArray(value)) {
    if (value.length > 1) return undefined;
    value = value[0];
  }
  if (type === SearchAttributeType.DATETIME && value) value = new Date(value as string);
  return isValidValueForType(type, value) ? { type, value } : undefined;
}

function validateLegacyValues(values: unknown): asserts values is SearchAttributeValue {
  if (!Array.isArray(values)) throw new ValueError('SearchAttribute value must be an array');
  const first: unknown = values[0];
  if (values.length === 0) return;
  if (typeof first === 'object') {
    values.forEach((value: unknown, idx) => {
      if (!(value instanceof Date)) {
        throw new ValueError(
          'SearchAttribute values must be arrays of strings, numbers, booleans, or Dates. ' +
            `The value ${describeValue(value)} at index ${idx} is of type ${typeof value}`
        );
      }
    });
    return;
  }
  if (!['string', 'number', 'boolean'].includes(typeof first)) {
    throw new ValueError('SearchAttribute array values must be: string | number | boolean | Date');
  }
  values.forEach((value: unknown, idx) => {
    if (typeof value !== typeof first) {
      throw new ValueError(
        'All SearchAttribute array values must be of the same type. ' +
          `The first value ${describeValue(first)} of type ${typeof first} doesn't match ` +
          `value ${describeValue(value)} of type ${typeof value} at index ${idx}`
      );
    }
  });
}

/**
 * Encodes legacy (untyped, array-valued) and typed search attributes into the
 * `SearchAttributes.indexedFields` map; typed entries win on conflicting names.
 *
 * @example
 * ```ts
 * encodeUnifiedSearchAttributes(undefined, new TypedSearchAttributes([{ key: customerId, value: 'c-42' }]));
 * ```
 */
export function encodeUnifiedSearchAttributes(
  searchAttributes?: SearchAttributes,
  typedSearchAttributes?: TypedSearchAttributes | SearchAttributeUpdatePair[]
): Record<string, Payload> {
  const entries: [string, Payload][] = [];
  for (const [name, values] of Object.entries(searchAttributes ?? {})) {
    validateLegacyValues(values);
    entries.push([name, jsonPayload(values)]);
  }
  if (typedSearchAttributes) {
    if (!Array.isArray(typedSearchAttributes) && typeof typedSearchAttributes.getAll !== 'function') {
      throw new TypeError('typedSearchAttributes must be a TypedSearchAttributes or an array of { key, value } pairs');
    }
    const pairs = Array.isArray(typedSearchAttributes) ? typedSearchAttributes : typedSearchAttributes.getAll();
    for (const pair of pairs) entries.push([pair.key.name, encodeTypedSearchAttribute(pair)]);
  }
  return Object.fromEntries(entries);
}

/**
 * Decodes `indexedFields` as typed search attributes, skipping entries without usable type metadata.
 *
 * @example
 * ```ts
 * decodeTypedSearchAttributes(execution.searchAttributes?.indexedFields).get(customerId);
 * ```
 */
export function decodeTypedSearchAttributes(
  indexedFields: Record<string, Payload> | undefined | null
): TypedSearchAttributes {
  const pairs: SearchAttributePair[] = [];
  for (const [name, payload] of Object.entries(indexedFields ?? {})) {
    const attr = decodeTypedSearchAttribute(payload);
    if (attr !== undefined) pairs.push({ key: { name, type: attr.type }, value: attr.value } as SearchAttributePair);
  }
  return new TypedSearchAttributes(pairs);
}

/**
 * Decodes `indexedFields` as legacy search attributes: every value is an array, `Datetime` values
 * are `Date`s, and empty arrays are dropped.
 *
 * @deprecated Use {@link decodeTypedSearchAttributes}.
 */
export function decodeSearchAttributes(indexedFields: Record<string, Payload> | undefined | null): SearchAttributes {
  const out: [string, SearchAttributeValue][] = [];
  for (const [name, payload] of Object.entries(indexedFields ?? {})) {
    if (payload.metadata === null || payload.metadata === undefined) throw new ValueError('Missing payload metadata');
    const value = json.fromPayload<unknown>(payload);
    let values: unknown[] = Array.isArray(value) ? value : [value];
    const typeBytes = payload.metadata[METADATA_SEARCH_ATTRIBUTE_TYPE_KEY];
    if (typeBytes && decodeUtf8(typeBytes) === 'Datetime') values = values.map((d) => new Date(d as string));
    if (values.length > 0) out.push([name, values as SearchAttributeValue]);
  }
  return Object.fromEntries(out);
}
