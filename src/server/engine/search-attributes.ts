/**
 * Search attributes of executions: validation on start and upsert (registered name, value of the
 * registered type), and the typed values stored for visibility queries.
 */
import { invalidArgument } from '../errors.js';
import type { Store } from '../store/store.js';
import {
  PREDEFINED_SEARCH_ATTRIBUTES,
  SYSTEM_SEARCH_ATTRIBUTES,
  toStoredSearchAttributeValue,
  type SearchAttributeType,
  type StoredSearchAttributeValue,
} from '../visibility/index.js';
import { searchAttributesCodec } from './codec.js';
import type { IPayload, ISearchAttributes } from './proto-types.js';
import type { SearchAttributeTypeOf } from './describe.js';

/** Custom attributes registered for the namespace plus the predefined ones. */
export function namespaceSearchAttributes(store: Store, namespace: string): ReadonlyMap<string, SearchAttributeType> {
  return store.searchAttributeTypes(namespace, PREDEFINED_SEARCH_ATTRIBUTES);
}

/** Decodes a json/plain search-attribute payload (undefined when empty or not JSON). */
export function decodeSearchAttributePayload(payload: IPayload): unknown {
  const data = payload.data;
  if (!data || data.length === 0) return undefined;
  try {
    return JSON.parse(Buffer.from(data).toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Checks that every attribute is registered and its value fits the registered type.
 * Throws INVALID_ARGUMENT naming the attribute.
 */
export function validateSearchAttributes(store: Store, namespace: string, attrs: ISearchAttributes | null | undefined): void {
  const types = namespaceSearchAttributes(store, namespace);
  for (const [name, payload] of Object.entries(attrs?.indexedFields ?? {})) {
    if (SYSTEM_SEARCH_ATTRIBUTES.has(name)) {
      throw invalidArgument(`search attribute ${name} is a system attribute and cannot be set by a workflow`);
    }
    const type = types.get(name);
    if (!type) {
      throw invalidArgument(
        `search attribute ${name} is not registered in namespace ${namespace}; register it first (OperatorService.AddSearchAttributes or --search-attribute ${name}=Keyword)`,
      );
    }
    try {
      toStoredSearchAttributeValue(name, type, decodeSearchAttributePayload(payload));
    } catch (error) {
      throw invalidArgument((error as Error).message);
    }
  }
}

/** The typed values of a run's search attributes, as stored in the visibility JSON column. */
export function storedSearchAttributes(
  types: ReadonlyMap<string, SearchAttributeType>,
  packed: string | undefined,
): Record<string, StoredSearchAttributeValue> {
  const out: Record<string, StoredSearchAttributeValue> = {};
  for (const [name, payload] of Object.entries(searchAttributesCodec.unpack(packed)?.indexedFields ?? {})) {
    const type = types.get(name);
    if (!type) continue;
    try {
      const value = toStoredSearchAttributeValue(name, type, decodeSearchAttributePayload(payload));
      if (value !== null) out[name] = value;
    } catch {
      // Validated on write; a value that no longer fits (type changed) is just not queryable.
    }
  }
  return out;
}

/** A type resolver for the `type` metadata: the registered type, else one inferred from the value. */
export function searchAttributeTypeOf(store: Store, namespace: string): SearchAttributeTypeOf {
  const known = namespaceSearchAttributes(store, namespace);
  return (name, value) => {
    const registered = known.get(name) ?? SYSTEM_SEARCH_ATTRIBUTES.get(name);
    if (registered) return registered;
    if (Array.isArray(value)) return 'KeywordList';
    if (typeof value === 'boolean') return 'Bool';
    if (typeof value === 'number') return Number.isInteger(value) ? 'Int' : 'Double';
    if (typeof value === 'string') return 'Keyword';
    return undefined;
  };
}
