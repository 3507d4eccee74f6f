/**
 * Changing the run's search attributes and memo.
 *
 * @module
 */
import {
  encodeUnifiedSearchAttributes,
  mapToPayloads,
  TypedSearchAttributes,
  type SearchAttributes,
  type SearchAttributeUpdatePair,
  type SearchAttributeValue,
} from '../common/index.js';
import type { WorkflowInfo } from './interfaces.js';
import { assertInWorkflowContext } from './runtime/current.js';

function applyTypedUpdates(info: WorkflowInfo, pairs: SearchAttributeUpdatePair[]): WorkflowInfo {
  const searchAttributes: SearchAttributes = { ...info.searchAttributes };
  for (const { key, value } of pairs) {
    if (value === null || value === undefined) delete searchAttributes[key.name];
    else searchAttributes[key.name] = (Array.isArray(value) ? value : [value]) as SearchAttributeValue;
  }
  return { ...info, searchAttributes, typedSearchAttributes: info.typedSearchAttributes.updateCopy(pairs) };
}

/** The typed update implied by one legacy (array-valued) search attribute, or undefined if none can be inferred. */
function legacyToTyped(typed: TypedSearchAttributes, name: string, values: SearchAttributeValue): SearchAttributeUpdatePair | undefined {
  const key = TypedSearchAttributes.getKeyFromUntyped(name, values);
  if (key === undefined) return undefined;
  if (key.type === 'TEXT') {
    // A string may also be a KEYWORD: keep the type already known for this name.
    const existing = typed.getAll().find((pair) => pair.key.name === name);
    if (existing) key.type = existing.key.type;
  }
  let value: unknown = values;
  if (values.length === 1) value = key.type === 'DATETIME' ? new Date(values[0] as string) : values[0];
  return { key, value } as SearchAttributeUpdatePair;
}

function applyLegacyUpdates(info: WorkflowInfo, updates: SearchAttributes): WorkflowInfo {
  let typed = info.typedSearchAttributes.updateCopy([]);
  const searchAttributes: SearchAttributes = { ...info.searchAttributes };
  for (const [name, values] of Object.entries(updates)) {
    if (values !== undefined && !Array.isArray(values)) throw new TypeError(`Search attribute value must be an array or undefined, got ${String(values)}`);
    if (values === undefined || values === null || values.length === 0) {
      const existing = typed.getAll().find((pair) => pair.key.name === name);
      if (existing) typed = typed.updateCopy([{ key: existing.key, value: null } as SearchAttributeUpdatePair]);
      delete searchAttributes[name];
      continue;
    }
    const pair = legacyToTyped(typed, name, values as SearchAttributeValue);
    if (pair === undefined) continue;
    typed = typed.updateCopy([pair]);
    searchAttributes[name] = values;
  }
  return { ...info, searchAttributes, typedSearchAttributes: typed };
}

/**
 * Adds, changes or (with `[]` or a `null` typed value) removes search attributes of this run.
 *
 * @example
 * ```ts
 * upsertSearchAttributes([{ key: orderStatus, value: 'shipped' }]);
 * upsertSearchAttributes({ CustomKeywordField: ['shipped'] }); // legacy form
 * ```
 */
export function upsertSearchAttributes(searchAttributes: SearchAttributes | SearchAttributeUpdatePair[]): void {
  const activator = assertInWorkflowContext('Workflow.upsertSearchAttributes(...) may only be used from a Workflow Execution.');
  if (searchAttributes === null || searchAttributes === undefined || typeof searchAttributes !== 'object') {
    throw new TypeError('searchAttributes must be a non-null SearchAttributes object or an array of update pairs');
  }
  if (Array.isArray(searchAttributes)) {
    const indexed = encodeUnifiedSearchAttributes(undefined, searchAttributes);
    activator.pushCommand({ kind: 'upsertWorkflowSearchAttributes', searchAttributes: indexed });
    activator.info = applyTypedUpdates(activator.info, searchAttributes);
  } else {
    const indexed = encodeUnifiedSearchAttributes(searchAttributes, undefined);
    activator.pushCommand({ kind: 'upsertWorkflowSearchAttributes', searchAttributes: indexed });
    activator.info = applyLegacyUpdates(activator.info, searchAttributes);
  }
}

/**
 * Adds or changes memo fields of this run; a `null` or `undefined` value removes the field.
 *
 * @example
 * ```ts
 * upsertMemo({ customer: 'Ada', note: null });
 * ```
 */
export function upsertMemo(memo: Record<string, unknown>): void {
  const activator = assertInWorkflowContext('Workflow.upsertMemo(...) may only be used from a Workflow Execution.');
  if (memo === null || memo === undefined || typeof memo !== 'object') throw new TypeError('memo must be a non-null object');
  const normalized = Object.fromEntries(Object.entries(memo).map(([key, value]) => [key, value ?? undefined]));
  const upsertedMemo = mapToPayloads(activator.payloadConverter, normalized, activator.workflowContext());
  activator.pushCommand({ kind: 'modifyWorkflowProperties', upsertedMemo });
  const merged = Object.entries({ ...activator.info.memo, ...memo }).filter(([, value]) => value !== null && value !== undefined);
  activator.info = { ...activator.info, memo: Object.fromEntries(merged) };
}
