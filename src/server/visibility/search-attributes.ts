/**
 * Search attribute names and types: the system fields (columns of the `visibility` table), the
 * predefined attributes (stored in its `search_attributes` JSON column like custom ones), and name
 * resolution for the query compiler.
 *
 * @module
 */

/** The value types of search attributes (`temporal.api.enums.v1.IndexedValueType` without the prefix). */
export type SearchAttributeType = 'Text' | 'Keyword' | 'Int' | 'Double' | 'Bool' | 'Datetime' | 'KeywordList';

/**
 * How a query literal for an attribute is converted: by its type, or specially for
 * `ExecutionStatus` (status names or enum integers) and `ExecutionDuration` (duration strings or
 * nanoseconds, compared in milliseconds).
 */
export type ValueKind = SearchAttributeType | 'ExecutionStatus' | 'ExecutionDuration';

/** A search attribute resolved to its storage. */
export type ResolvedAttribute =
  | { readonly storage: 'column'; readonly name: string; readonly type: SearchAttributeType; readonly kind: ValueKind; readonly column: string }
  | { readonly storage: 'json'; readonly name: string; readonly type: SearchAttributeType; readonly kind: ValueKind };

interface SystemField {
  readonly column: string;
  readonly type: SearchAttributeType;
  readonly kind: ValueKind;
}

const field = (column: string, type: SearchAttributeType, kind: ValueKind = type): SystemField => ({ column, type, kind });

const SYSTEM_FIELDS: ReadonlyMap<string, SystemField> = new Map([
  ['WorkflowId', field('workflow_id', 'Keyword')],
  ['RunId', field('run_id', 'Keyword')],
  ['WorkflowType', field('workflow_type', 'Keyword')],
  ['StartTime', field('start_time', 'Datetime')],
  ['ExecutionTime', field('execution_time', 'Datetime')],
  ['CloseTime', field('close_time', 'Datetime')],
  ['ExecutionStatus', field('status', 'Keyword', 'ExecutionStatus')],
  ['TaskQueue', field('task_queue', 'Keyword')],
  ['HistoryLength', field('history_length', 'Int')],
  ['ExecutionDuration', field('execution_duration', 'Int', 'ExecutionDuration')],
  ['HistorySizeBytes', field('history_size_bytes', 'Int')],
  ['ParentWorkflowId', field('parent_workflow_id', 'Keyword')],
  ['ParentRunId', field('parent_run_id', 'Keyword')],
  ['RootWorkflowId', field('root_workflow_id', 'Keyword')],
  ['RootRunId', field('root_run_id', 'Keyword')],
]);

/**
 * System search attributes: always known, stored in the `visibility` table's own columns, and never
 * settable by clients. `ExecutionStatus` is listed as Keyword (it takes status names) and
 * `ExecutionDuration` as Int (it is compared as a duration).
 */
export const SYSTEM_SEARCH_ATTRIBUTES: ReadonlyMap<string, SearchAttributeType> = new Map(
  [...SYSTEM_FIELDS].map(([name, { type }]) => [name, type]),
);

/**
 * Predefined search attributes: known to every namespace, stored in the `search_attributes` JSON
 * column like custom attributes, and settable by the server (and some by clients).
 */
export const PREDEFINED_SEARCH_ATTRIBUTES: ReadonlyMap<string, SearchAttributeType> = new Map<string, SearchAttributeType>([
  ['TemporalChangeVersion', 'KeywordList'],
  ['BinaryChecksums', 'KeywordList'],
  ['BuildIds', 'KeywordList'],
  ['BatcherUser', 'Keyword'],
  ['TemporalScheduledStartTime', 'Datetime'],
  ['TemporalScheduledById', 'Keyword'],
  ['TemporalSchedulePaused', 'Bool'],
  ['TemporalWorkerDeploymentVersion', 'Keyword'],
  ['TemporalWorkerDeployment', 'Keyword'],
  ['TemporalWorkflowVersioningBehavior', 'Keyword'],
  ['TemporalPauseInfo', 'KeywordList'],
  ['TemporalUsedWorkerDeploymentVersions', 'KeywordList'],
  ['TemporalNamespaceDivision', 'Keyword'],
]);

/**
 * Resolves a name used in a query: system fields first, then the namespace's registered (custom and
 * predefined) attributes, then the predefined ones. Names are case-sensitive.
 *
 * @returns undefined when the name is not a known search attribute.
 */
export function resolveAttribute(name: string, registered: ReadonlyMap<string, SearchAttributeType>): ResolvedAttribute | undefined {
  const system = SYSTEM_FIELDS.get(name);
  if (system !== undefined) return { storage: 'column', name, ...system };
  const type = registered.get(name) ?? PREDEFINED_SEARCH_ATTRIBUTES.get(name);
  return type === undefined ? undefined : { storage: 'json', name, type, kind: type };
}
