/**
 * The visibility calls of Temporal's older API (tctl and older SDKs use them): ListOpen- and
 * ListClosedWorkflowExecutions (filters by start or close time, workflow id, type or status),
 * ScanWorkflowExecutions (a List), and ListArchivedWorkflowExecutions (no archival here). As
 * Temporal's frontend does, each builds a visibility query and lists with it.
 *
 * @module
 */
import { msFromTs, temporal, type ProtoTypes } from '../../proto/index.js';
import { invalidArgument } from '../errors.js';
import { executionStatusName } from '../visibility/index.js';
import type { Engine } from './engine.js';
import { listExecutions } from './visibility-api.js';

type IListOpen = ProtoTypes.temporal.api.workflowservice.v1.IListOpenWorkflowExecutionsRequest;
type IListClosed = ProtoTypes.temporal.api.workflowservice.v1.IListClosedWorkflowExecutionsRequest;
type IScan = ProtoTypes.temporal.api.workflowservice.v1.IScanWorkflowExecutionsRequest;
type IListResponse = ProtoTypes.temporal.api.workflowservice.v1.IListWorkflowExecutionsResponse;
type ITimestamp = ProtoTypes.google.protobuf.ITimestamp;

const { WorkflowExecutionStatus } = temporal.api.enums.v1;

/** A string literal of the query language. */
const quote = (value: string): string => `'${value.replace(/[\\']/g, '\\$&')}'`;
function time(ts: ITimestamp): string {
  const date = new Date(msFromTs(ts) ?? 0);
  if (Number.isNaN(date.getTime())) throw invalidArgument('StartTimeFilter holds a time out of range.');
  return quote(date.toISOString());
}
const set = (ts: ITimestamp | null | undefined): ts is ITimestamp => ts !== null && ts !== undefined && (msFromTs(ts) ?? 0) > 0;

/** The query for the time filter, on `StartTime` (open) or `CloseTime` (closed). */
function timeClause(filter: IListOpen['startTimeFilter'], field: 'StartTime' | 'CloseTime'): string | undefined {
  const earliest = filter?.earliestTime;
  const latest = filter?.latestTime;
  if (set(earliest) && set(latest)) {
    if ((msFromTs(earliest) ?? 0) > (msFromTs(latest) ?? 0)) throw invalidArgument('EarliestTime in StartTimeFilter should not be larger than LatestTime.');
    return `${field} BETWEEN ${time(earliest)} AND ${time(latest)}`;
  }
  if (set(earliest)) return `${field} >= ${time(earliest)}`;
  if (set(latest)) return `${field} <= ${time(latest)}`;
  return undefined;
}

function filterClause(req: Pick<IListClosed, 'executionFilter' | 'typeFilter' | 'statusFilter'>): string | undefined {
  if (req.executionFilter) return `WorkflowId = ${quote(req.executionFilter.workflowId ?? '')}`;
  if (req.typeFilter) return `WorkflowType = ${quote(req.typeFilter.name ?? '')}`;
  const status = req.statusFilter;
  if (status) {
    const s = status.status ?? 0;
    if (s === WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_UNSPECIFIED || s === WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
      throw invalidArgument('StatusFilter must be specified and must be not Running.');
    }
    return `ExecutionStatus = ${quote(executionStatusName(s) ?? String(s))}`;
  }
  return undefined;
}

function list(engine: Engine, namespace: string, clauses: Array<string | undefined>, req: Pick<IListOpen, 'maximumPageSize' | 'nextPageToken'>): IListResponse {
  const query = clauses.filter((c): c is string => c !== undefined).join(' AND ');
  return listExecutions(engine, namespace, { query, pageSize: req.maximumPageSize, nextPageToken: req.nextPageToken });
}

/** The handlers, for the WorkflowService table. */
export function legacyVisibilityHandlers(engine: Engine, ns: (name: string | null | undefined) => string) {
  return {
    ListOpenWorkflowExecutions: (req: IListOpen) =>
      list(engine, ns(req.namespace), ["ExecutionStatus = 'Running'", timeClause(req.startTimeFilter, 'StartTime'), filterClause(req)], req),
    ListClosedWorkflowExecutions: (req: IListClosed) =>
      list(engine, ns(req.namespace), ["ExecutionStatus != 'Running'", timeClause(req.startTimeFilter, 'CloseTime'), filterClause(req)], req),
    ScanWorkflowExecutions: (req: IScan) =>
      listExecutions(engine, ns(req.namespace), { query: req.query, pageSize: req.pageSize, nextPageToken: req.nextPageToken }),
    ListArchivedWorkflowExecutions: (req: { namespace?: string | null }) => {
      ns(req.namespace);
      throw invalidArgument('Cluster is not configured for visibility archival.');
    },
  };
}
