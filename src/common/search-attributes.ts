/**
 * Typed search attributes: keys declared with their index type, and an immutable-by-convention
 * collection of key/value pairs.
 *
 * @module
 */
import { makeEnumConverters } from './enum-helpers.js';

/** The index type of a search attribute. */
export const SearchAttributeType = {
  TEXT: 'TEXT',
  KEYWORD: 'KEYWORD',
  INT: 'INT',
  DOUBLE: 'DOUBLE',
  BOOL: 'BOOL',
  DATETIME: 'DATETIME',
  KEYWORD_LIST: 'KEYWORD_LIST',
} as const;
export type SearchAttributeType = (typeof SearchAttributeType)[keyof typeof SearchAttributeType];

/** {@link SearchAttributeType} ↔ `temporal.api.enums.v1.IndexedValueType`. */
export const [encodeSearchAttributeIndexedValueType, decodeSearchAttributeIndexedValueType] =
  makeEnumConverters<SearchAttributeType>(
    { TEXT: 1, KEYWORD: 2, INT: 3, DOUBLE: 4, BOOL: 5, DATETIME: 6, KEYWORD_LIST: 7 },
    'INDEXED_VALUE_TYPE_'
  );

/** The JS value type of each search attribute type. */
export interface IndexedValueTypeMapping {
  TEXT: string;
  KEYWORD: string;
  INT: number;
  DOUBLE: number;
  BOOL: boolean;
  DATETIME: Date;
  KEYWORD_LIST: string[];
}

/** @deprecated Use {@link TypedSearchAttributes}. */
export type SearchAttributeValue = string[] | number[] | boolean[] | Date[];
/** @deprecated Use {@link TypedSearchAttributes}. */
export type SearchAttributeValueOrReadonly = SearchAttributeValue | Readonly<SearchAttributeValue> | undefined;
/** @deprecated Use {@link TypedSearchAttributes}. */
export type SearchAttributes = Record<string, SearchAttributeValueOrReadonly>;

/** A search attribute's name and type. */
export interface SearchAttributeKey<T extends SearchAttributeType> {
  name: string;
  type: T;
}

/** A key with a value of its type. */
export type SearchAttributePair = {
  [T in SearchAttributeType]: { key: SearchAttributeKey<T>; value: IndexedValueTypeMapping[T] };
}[SearchAttributeType];

/** A key with a value of its type, or `null` to remove the attribute. */
export type SearchAttributeUpdatePair = {
  [T in SearchAttributeType]: { key: SearchAttributeKey<T>; value: IndexedValueTypeMapping[T] | null };
}[SearchAttributeType];

/**
 * Declares a search attribute key.
 *
 * @example
 * ```ts
 * const customerId = defineSearchAttributeKey('CustomerId', SearchAttributeType.KEYWORD);
 * ```
 */
export function defineSearchAttributeKey<T extends SearchAttributeType>(name: string, type: T): SearchAttributeKey<T> {
  return { name, type };
}

/** Whether `value` is a valid JS value for search attribute `type`. */
export function isValidValueForType<T extends SearchAttributeType>(
  type: T,
  value: unknown
): value is IndexedValueTypeMapping[T] {
  switch (type) {
    case SearchAttributeType.TEXT:
    case SearchAttributeType.KEYWORD:
      return typeof value === 'string';
    case SearchAttributeType.INT:
      return Number.isInteger(value);
    case SearchAttributeType.DOUBLE:
      return typeof value === 'number';
    case SearchAttributeType.BOOL:
      return typeof value === 'boolean';
    case SearchAttributeType.DATETIME:
      return value instanceof Date;
    case SearchAttributeType.KEYWORD_LIST:
      return Array.isArray(value) && value.every((item) => typeof item === 'string');
    default:
      return false;
  }
}

interface StoredAttribute {
  type: SearchAttributeType;
  value: unknown;
}

const METADATA_TYPES: Record<SearchAttributeType, string> = {
  TEXT: 'Text',
  KEYWORD: 'Keyword',
  INT: 'Int',
  DOUBLE: 'Double',
  BOOL: 'Bool',
  DATETIME: 'Datetime',
  KEYWORD_LIST: 'KeywordList',
};

function copyValue(value: unknown): unknown {
  if (value instanceof Date) return new Date(value);
  if (Array.isArray(value)) return [...value];
  return value;
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

/**
 * A set of typed search attributes. Instances are not mutated by the SDK; derive a changed copy
 * with {@link TypedSearchAttributes.updateCopy}.
 *
 * @example
 * ```ts
 * const attrs = new TypedSearchAttributes([{ key: customerId, value: 'c-42' }]);
 * attrs.get(customerId); // 'c-42'
 * const next = attrs.updateCopy([{ key: customerId, value: null }]); // removes it
 * ```
 */
export class TypedSearchAttributes {
  /** Made on first set: most workflows' info holds an empty set, kept for as long as the run is cached. */
  #attributes: Map<string, StoredAttribute> | undefined;

  constructor(initialAttributes?: SearchAttributePair[]) {
    for (const pair of initialAttributes ?? []) {
      if (this.#attributes?.has(pair.key.name)) throw new Error(`Duplicate search attribute key: ${pair.key.name}`);
      this.#set(pair.key.name, { type: pair.key.type, value: pair.value });
    }
  }

  #set(name: string, attr: StoredAttribute): void {
    (this.#attributes ??= new Map()).set(name, attr);
  }

  /** The value of `key`, or `undefined` when absent or stored with another type. */
  get<T extends SearchAttributeType>(key: SearchAttributeKey<T>): IndexedValueTypeMapping[T] | undefined {
    const attr = this.#attributes?.get(key.name);
    if (attr === undefined || !isValidValueForType(key.type, attr.value)) return undefined;
    return attr.value;
  }

  /** Every pair, in insertion order. */
  getAll(): SearchAttributePair[] {
    const pairs: SearchAttributePair[] = [];
    for (const [name, attr] of this.#attributes ?? []) {
      if (isValidValueForType(attr.type, attr.value)) {
        pairs.push({ key: { name, type: attr.type }, value: attr.value } as SearchAttributePair);
      }
    }
    return pairs;
  }

  /** A deep copy (dates and lists are copied). */
  copy(): TypedSearchAttributes {
    const res = new TypedSearchAttributes();
    for (const [name, attr] of this.#attributes ?? []) res.#set(name, { type: attr.type, value: copyValue(attr.value) });
    return res;
  }

  /**
   * A copy with `updates` applied: a value sets (or replaces) the attribute; `null` removes it when
   * the stored type matches the key's type.
   */
  updateCopy(updates: SearchAttributeUpdatePair[]): TypedSearchAttributes {
    const res = this.copy();
    for (const pair of updates) {
      if (pair.value === null) {
        if (res.#attributes?.get(pair.key.name)?.type === pair.key.type) res.#attributes.delete(pair.key.name);
      } else {
        res.#set(pair.key.name, { type: pair.key.type, value: pair.value });
      }
    }
    return res;
  }

  /** JSON form: the pairs of {@link getAll}. */
  toJSON(): SearchAttributePair[] {
    return this.getAll();
  }

  /** Infers a typed key for a legacy (untyped, array-valued) search attribute. */
  static getKeyFromUntyped(
    key: string,
    value: SearchAttributeValueOrReadonly
  ): SearchAttributeKey<SearchAttributeType> | undefined {
    if (value === null || value === undefined) return undefined;
    const val: unknown = value.length === 1 ? value[0] : value;
    if (typeof val === 'string') {
      const parsed = Date.parse(val);
      const isIso = !Number.isNaN(parsed) && parsed === new Date(val).getTime();
      return { name: key, type: isIso ? SearchAttributeType.DATETIME : SearchAttributeType.TEXT };
    }
    if (typeof val === 'number') {
      return { name: key, type: Number.isInteger(val) ? SearchAttributeType.INT : SearchAttributeType.DOUBLE };
    }
    if (typeof val === 'boolean') return { name: key, type: SearchAttributeType.BOOL };
    if (val instanceof Date) return { name: key, type: SearchAttributeType.DATETIME };
    if (isStringArray(val)) return { name: key, type: SearchAttributeType.KEYWORD_LIST };
    return undefined;
  }

  /** The `type` metadata value of a payload (`'Keyword'`, `'KeywordList'`, ...). */
  static toMetadataType(type: SearchAttributeType): string {
    const name = METADATA_TYPES[type] as string | undefined;
    if (name === undefined) throw new Error(`Unknown search attribute type: ${String(type)}`);
    return name;
  }

  /** Parses a `type` metadata value, in PascalCase or as `INDEXED_VALUE_TYPE_*`. */
  static toSearchAttributeType(type: string): SearchAttributeType | undefined {
    const prefix = 'INDEXED_VALUE_TYPE_';
    if (type.startsWith(prefix)) {
      const short = type.slice(prefix.length);
      return Object.prototype.hasOwnProperty.call(METADATA_TYPES, short) ? (short as SearchAttributeType) : undefined;
    }
    for (const [saType, name] of Object.entries(METADATA_TYPES)) {
      if (name === type) return saType as SearchAttributeType;
    }
    return undefined;
  }
}
