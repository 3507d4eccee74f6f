/**
 * A batch operation as the dev server keeps it: what it does, to which executions (snapshot when it
 * starts), how far it got, and how it is described to clients.
 *
 * @module
 */
import { int64, temporal, tsFromMs, type ProtoTypes } from '../../proto/index.js';

type IDescribeBatchOperationResponse = ProtoTypes.temporal.api.workflowservice.v1.IDescribeBatchOperationResponse;
type IBatchOperationInfo = ProtoTypes.temporal.api.batch.v1.IBatchOperationInfo;

const { BatchOperationType, BatchOperationState, ExecutionType } = temporal.api.enums.v1;

/** The operations the dev server runs in batches. */
export type BatchOperationKind = 'terminate' | 'cancel' | 'signal' | 'delete';

export interface BatchJob {
  readonly namespace: string;
  readonly jobId: string;
  readonly kind: BatchOperationKind;
  state: 'running' | 'completed' | 'failed';
  readonly startTime: number;
  closeTime?: number;
  /** Executions the job applies to, and how many it has done (a NOT_FOUND counts as done). */
  readonly total: number;
  complete: number;
  failure: number;
  /** The id of the last target done. */
  cursor: number;
  readonly identity: string;
  readonly reason: string;
  readonly query: string;
  /** The executions the request named (Describe echoes them). */
  readonly executions: ReadonlyArray<{ workflowId: string; runId: string }>;
  readonly opsPerSecond: number;
  /** terminate: details (base64 Payloads); signal: name, input (base64 Payloads), header (base64 Header). */
  readonly details?: string;
  readonly signal?: { readonly name: string; readonly input?: string; readonly header?: string };
}

const TYPE: Record<BatchOperationKind, number> = {
  terminate: BatchOperationType.BATCH_OPERATION_TYPE_TERMINATE,
  cancel: BatchOperationType.BATCH_OPERATION_TYPE_CANCEL,
  signal: BatchOperationType.BATCH_OPERATION_TYPE_SIGNAL,
  delete: BatchOperationType.BATCH_OPERATION_TYPE_DELETE,
};

const STATE: Record<BatchJob['state'], number> = {
  running: BatchOperationState.BATCH_OPERATION_STATE_RUNNING,
  completed: BatchOperationState.BATCH_OPERATION_STATE_COMPLETED,
  failed: BatchOperationState.BATCH_OPERATION_STATE_FAILED,
};

export function describeBatchJob(job: BatchJob): IDescribeBatchOperationResponse {
  return {
    operationType: TYPE[job.kind],
    jobId: job.jobId,
    state: STATE[job.state],
    startTime: tsFromMs(job.startTime),
    closeTime: job.closeTime === undefined ? undefined : tsFromMs(job.closeTime),
    totalOperationCount: int64(job.total),
    completeOperationCount: int64(job.complete),
    failureOperationCount: int64(job.failure),
    identity: job.identity,
    reason: job.reason,
    query: job.query,
    executions: job.executions.map((e) => ({ type: ExecutionType.EXECUTION_TYPE_WORKFLOW, businessId: e.workflowId, runId: e.runId })),
  };
}

export function batchJobInfo(job: BatchJob): IBatchOperationInfo {
  return {
    jobId: job.jobId,
    state: STATE[job.state],
    startTime: tsFromMs(job.startTime),
    closeTime: job.closeTime === undefined ? undefined : tsFromMs(job.closeTime),
    operationType: TYPE[job.kind],
  };
}
