/**
 * Conversion of search-attribute values sent by clients to what the `visibility.search_attributes`
 * JSON column stores.
 *
 * @module
 */
import { InvalidSearchAttributeValueError } from './errors.js';
import type { SearchAttributeType } from './search-attributes.js';
import { parseRfc3339Millis } from './time-values.js';

/** A value as stored in the `search_attributes` JSON object. */
export type StoredSearchAttributeValue = string | number | boolean | string[];

function describeValue(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * Converts a search-attribute value (already JSON-decoded from its payload) to what is stored in the
 * `search_attributes` JSON column:
 *
 * - Keyword, Text → string; Int → integer (an integer string is accepted); Double → number;
 *   Bool → boolean; Datetime → epoch milliseconds (from an RFC 3339 string, a `Date`, or a number of
 *   epoch milliseconds); KeywordList → array of strings (a single string becomes a one-element array).
 * - Scalar types also accept a one-element array holding the value, which is how SDKs using the
 *   untyped (deprecated) search-attribute form encode every value.
 * - `null`, `undefined` and an empty array mean "no value": the result is `null` and the caller
 *   should delete the attribute from the row (this is how an upsert removes an attribute).
 *
 * @throws InvalidSearchAttributeValueError (message `invalid value for search attribute 'Name': ...`)
 *   when the value does not fit the type.
 */
export function toStoredSearchAttributeValue(name: string, type: SearchAttributeType, value: unknown): StoredSearchAttributeValue | null {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value) && value.length === 0) return null;
  if (type === 'KeywordList') return toKeywordList(name, value);
  if (Array.isArray(value)) {
    if (value.length > 1) {
      throw new InvalidSearchAttributeValueError(name, `${type} attribute takes a single value, got ${describeValue(value)}`);
    }
    return toStoredSearchAttributeValue(name, type, value[0]);
  }
  const stored = toScalar(type, value);
  if (stored === undefined) {
    throw new InvalidSearchAttributeValueError(name, `expected ${EXPECTED[type]} for ${type} attribute, got ${describeValue(value)}`);
  }
  return stored;
}

const EXPECTED: Readonly<Record<SearchAttributeType, string>> = {
  Keyword: 'a string',
  Text: 'a string',
  Int: 'an integer',
  Double: 'a finite number',
  Bool: 'true or false',
  Datetime: 'an RFC 3339 timestamp, a Date or epoch milliseconds',
  KeywordList: 'a string or an array of strings',
};

/** Converts a non-array value of a scalar type; undefined when it does not fit. */
function toScalar(type: Exclude<SearchAttributeType, 'KeywordList'>, value: unknown): StoredSearchAttributeValue | undefined {
  switch (type) {
    case 'Keyword':
    case 'Text':
      return typeof value === 'string' ? value : undefined;
    case 'Int':
      if (typeof value === 'number') return Number.isSafeInteger(value) ? value : undefined;
      if (typeof value === 'bigint') return toScalar('Int', Number(value));
      if (typeof value === 'string' && /^-?\d+$/.test(value)) return toScalar('Int', Number(value));
      return undefined;
    case 'Double':
      return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
    case 'Bool':
      return typeof value === 'boolean' ? value : undefined;
    case 'Datetime':
      return toEpochMillis(value);
  }
}

function toEpochMillis(value: unknown): number | undefined {
  if (typeof value === 'string') return parseRfc3339Millis(value);
  const millis = value instanceof Date ? value.getTime() : typeof value === 'number' ? Math.floor(value) : Number.NaN;
  return Number.isSafeInteger(millis) ? millis : undefined;
}

function toKeywordList(name: string, value: unknown): string[] {
  const list: unknown[] = Array.isArray(value) ? value : [value];
  if (!list.every((item): item is string => typeof item === 'string')) {
    throw new InvalidSearchAttributeValueError(name, `expected ${EXPECTED.KeywordList} for KeywordList attribute, got ${describeValue(value)}`);
  }
  return list;
}
