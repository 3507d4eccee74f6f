/** OperatorService handlers: the custom search-attribute registry. */
import type { ProtoTypes } from '../../proto/index.js';
import { alreadyExists, invalidArgument, notFound } from '../errors.js';
import type { Engine } from '../engine/engine.js';
import { requireNamespace } from '../engine/namespaces.js';
import type { Store } from '../store/store.js';
import {
  PREDEFINED_SEARCH_ATTRIBUTES,
  SYSTEM_SEARCH_ATTRIBUTES,
  type SearchAttributeType,
} from '../visibility/index.js';

type IAdd = ProtoTypes.temporal.api.operatorservice.v1.IAddSearchAttributesRequest;
type IRemove = ProtoTypes.temporal.api.operatorservice.v1.IRemoveSearchAttributesRequest;
type IList = ProtoTypes.temporal.api.operatorservice.v1.IListSearchAttributesRequest;

const TYPES: readonly SearchAttributeType[] = ['Text', 'Keyword', 'Int', 'Double', 'Bool', 'Datetime', 'KeywordList'];
const typeFromEnum = (v: number): SearchAttributeType | undefined => TYPES[v - 1];
const enumFromType = (t: string): number => TYPES.indexOf(t as SearchAttributeType) + 1;
/** Slots per type in Temporal's SQLite visibility store. */
const MAX_PER_TYPE: Record<SearchAttributeType, number> = { Text: 3, Keyword: 10, Int: 3, Double: 3, Bool: 3, Datetime: 3, KeywordList: 3 };
const NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A namespace's custom search attributes: name → IndexedValueType. */
export function customSearchAttributes(store: Store, namespace: string): Record<string, number> {
  return Object.fromEntries(store.listSearchAttributes(namespace).map((a) => [a.name, enumFromType(a.type)]));
}

/** The system and predefined search attributes every namespace has: name → IndexedValueType. */
export function systemSearchAttributes(): Record<string, number> {
  return Object.fromEntries([...SYSTEM_SEARCH_ATTRIBUTES, ...PREDEFINED_SEARCH_ATTRIBUTES].map(([name, type]) => [name, enumFromType(type)]));
}

export function operatorServiceHandlers(engine: Engine) {
  const store = engine.store;
  return {
    AddSearchAttributes: (req: IAdd) => {
      const namespace = requireNamespace(store, req.namespace).name;
      const entries = Object.entries(req.searchAttributes ?? {});
      if (entries.length === 0) throw invalidArgument('SearchAttributes are not set on request.');
      engine.write(() => {
        const existing = new Map(store.listSearchAttributes(namespace).map((a) => [a.name, a.type]));
        for (const [name, value] of entries) {
          const type = typeFromEnum(Number(value));
          if (!type) throw invalidArgument(`Unknown search attribute type ${value} for ${name}.`);
          if (!NAME_PATTERN.test(name)) throw invalidArgument(`Search attribute name ${name} is invalid: use letters, digits and '_'.`);
          if (SYSTEM_SEARCH_ATTRIBUTES.has(name) || PREDEFINED_SEARCH_ATTRIBUTES.has(name)) {
            throw invalidArgument(`Search attribute ${name} is reserved by the system.`);
          }
          const current = existing.get(name);
          if (current === type) continue;
          if (current) throw alreadyExists(`Search attribute ${name} already exists with type ${current}.`);
          const used = [...existing.values()].filter((t) => t === type).length;
          if (used >= MAX_PER_TYPE[type]) {
            throw invalidArgument(`Unable to create search attribute ${name}: all ${MAX_PER_TYPE[type]} ${type} slots are in use.`);
          }
          store.addSearchAttribute(namespace, name, type);
          existing.set(name, type);
        }
      });
      return {};
    },
    RemoveSearchAttributes: (req: IRemove) => {
      const namespace = requireNamespace(store, req.namespace).name;
      engine.write(() => {
        const existing = new Set(store.listSearchAttributes(namespace).map((a) => a.name));
        for (const name of req.searchAttributes ?? []) {
          if (!existing.has(name)) throw notFound(`Search attribute ${name} doesn't exist.`);
          store.removeSearchAttribute(namespace, name);
        }
      });
      return {};
    },
    ListSearchAttributes: (req: IList) => {
      const namespace = requireNamespace(store, req.namespace).name;
      return { customAttributes: customSearchAttributes(store, namespace), systemAttributes: systemSearchAttributes(), storageSchema: {} };
    },
  };
}
