/** Listing and counting workflow executions (visibility), and decoding execution infos. */
import { decodePriority, type Priority } from '../common/priority.js';
import {
  decodeSearchAttributes,
  decodeTypedSearchAttributes,
  int64ToNumber,
  optionalTsToDate,
  requiredTsToDate,
  type SearchAttributes,
  type TypedSearchAttributes,
} from '../common/index.js';
import type { ProtoTypes } from '../proto/index.js';
import type { ClientDataConverter } from './data-conversion.js';

export type RawWorkflowExecutionInfo = ProtoTypes.temporal.api.workflow.v1.IWorkflowExecutionInfo;
type History = ProtoTypes.temporal.api.history.v1.IHistory;

/** The status of a workflow execution, named as in the official SDK. */
export type WorkflowExecutionStatusName =
  | 'UNSPECIFIED'
  | 'RUNNING'
  | 'COMPLETED'
  | 'FAILED'
  | 'CANCELLED'
  | 'TERMINATED'
  | 'CONTINUED_AS_NEW'
  | 'TIMED_OUT'
  | 'PAUSED'
  | 'UNKNOWN';

const STATUS_NAMES: readonly WorkflowExecutionStatusName[] = [
  'UNSPECIFIED',
  'RUNNING',
  'COMPLETED',
  'FAILED',
  'CANCELLED',
  'TERMINATED',
  'CONTINUED_AS_NEW',
  'TIMED_OUT',
  'PAUSED',
];

/** Decoded information about one workflow execution (from List or Describe). */
export interface WorkflowExecutionInfo {
  type: string;
  workflowId: string;
  runId: string;
  taskQueue: string;
  status: { code: number; name: WorkflowExecutionStatusName };
  historyLength: number;
  historySize?: number;
  startTime: Date;
  executionTime?: Date;
  closeTime?: Date;
  memo?: Record<string, unknown>;
  /** @deprecated Use {@link typedSearchAttributes}. */
  searchAttributes: SearchAttributes;
  typedSearchAttributes: TypedSearchAttributes;
  parentExecution?: { workflowId: string; runId: string };
  rootExecution?: { workflowId: string; runId: string };
  /** The execution's priority, when the server reports one. */
  priority?: Priority;
  raw: RawWorkflowExecutionInfo;
}

/** A workflow execution's history, for bulk replay. */
export interface HistoryAndWorkflowId {
  workflowId: string;
  history: History;
}

/** The async iterable returned by `WorkflowClient.list`. */
export interface AsyncWorkflowListIterable extends AsyncIterable<WorkflowExecutionInfo> {
  /** The histories of the listed executions, fetched one by one. */
  intoHistories(): AsyncIterable<HistoryAndWorkflowId>;
}

/** Options of `WorkflowClient.list`. */
export interface ListOptions {
  /** A visibility query, e.g. `WorkflowType = 'order' AND ExecutionStatus = 'Running'`. */
  query?: string;
  /** Executions fetched per ListWorkflowExecutions call. */
  pageSize?: number;
}

/** The result of `WorkflowClient.count`. */
export interface CountWorkflowExecution {
  count: number;
  groups: { count: number; groupValues: unknown[] }[];
}

function required<T>(value: T | null | undefined, field: string): T {
  if (value === null || value === undefined) throw new TypeError(`Server response lacks WorkflowExecutionInfo.${field}`);
  return value;
}

function execution(e: { workflowId?: string | null; runId?: string | null } | null | undefined) {
  return e ? { workflowId: e.workflowId ?? '', runId: e.runId ?? '' } : undefined;
}

/** Decodes a raw execution info: memo through the data converter, search attributes, dates. */
export async function executionInfoFromRaw(
  raw: RawWorkflowExecutionInfo,
  converter: ClientDataConverter,
): Promise<WorkflowExecutionInfo> {
  const code = raw.status ?? 0;
  const fields = raw.searchAttributes?.indexedFields;
  return {
    type: required(raw.type?.name, 'type'),
    workflowId: required(raw.execution?.workflowId, 'execution.workflowId'),
    runId: required(raw.execution?.runId, 'execution.runId'),
    taskQueue: required(raw.taskQueue, 'taskQueue'),
    status: { code, name: STATUS_NAMES[code] ?? 'UNKNOWN' },
    historyLength: int64ToNumber(raw.historyLength),
    historySize: raw.historySizeBytes === null || raw.historySizeBytes === undefined ? undefined : int64ToNumber(raw.historySizeBytes),
    startTime: requiredTsToDate(raw.startTime, 'startTime'),
    executionTime: optionalTsToDate(raw.executionTime),
    closeTime: optionalTsToDate(raw.closeTime),
    memo: await converter.decodeMap(raw.memo?.fields),
    searchAttributes: decodeSearchAttributes(fields),
    typedSearchAttributes: decodeTypedSearchAttributes(fields),
    parentExecution: execution(raw.parentExecution),
    rootExecution: execution(raw.rootExecution),
    priority: decodePriority(raw.priority),
    raw,
  };
}
