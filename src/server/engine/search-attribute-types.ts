/** The search attributes a namespace knows (system, predefined, custom) and their types. */
import type { Store } from '../store/store.js';
import {
  PREDEFINED_SEARCH_ATTRIBUTES,
  SYSTEM_SEARCH_ATTRIBUTES,
  type SearchAttributeType,
} from '../visibility/index.js';
import type { SearchAttributeTypeOf } from './describe.js';

/** Custom attributes registered for the namespace plus the predefined ones. */
export function namespaceSearchAttributes(store: Store, namespace: string): Map<string, SearchAttributeType> {
  const map = new Map<string, SearchAttributeType>(PREDEFINED_SEARCH_ATTRIBUTES);
  for (const { name, type } of store.listSearchAttributes(namespace)) map.set(name, type as SearchAttributeType);
  return map;
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
