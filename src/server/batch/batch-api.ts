/**
 * StartBatchOperation, StopBatchOperation, DescribeBatchOperation and ListBatchOperations:
 * terminate, cancel, signal or delete every workflow a visibility query matches (or a list of
 * executions), as `temporal workflow terminate --query …` asks. Checked as Temporal's frontend
 * checks them; one job runs at a time per namespace (Temporal's default limit).
 *
 * @module
 */
import { status } from '@grpc/grpc-js';
import { RpcError, alreadyExists, invalidArgument, notFound, requireField } from '../errors.js';
import type { Engine } from '../engine/engine.js';
import { headerCodec, payloadsCodec } from '../engine/codec.js';
import { checkPayloadSizes } from '../engine/limits.js';
import { namespaceSearchAttributes } from '../engine/search-attributes.js';
import { temporal, type ProtoTypes } from '../../proto/index.js';
import { compileVisibilityQuery } from '../visibility/index.js';
import { batchJobInfo, describeBatchJob, type BatchJob, type BatchOperationKind } from './batch-job.js';
import { DEFAULT_BATCH_OPS_PER_SECOND, type BatchRunner } from './batch-runner.js';

type IStart = ProtoTypes.temporal.api.workflowservice.v1.IStartBatchOperationRequest;
type IStop = ProtoTypes.temporal.api.workflowservice.v1.IStopBatchOperationRequest;
type IDescribe = ProtoTypes.temporal.api.workflowservice.v1.IDescribeBatchOperationRequest;
type IList = ProtoTypes.temporal.api.workflowservice.v1.IListBatchOperationsRequest;
type IListResponse = ProtoTypes.temporal.api.workflowservice.v1.IListBatchOperationsResponse;

const { ExecutionType, ResourceExhaustedCause, ResourceExhaustedScope } = temporal.api.enums.v1;
const DEFAULT_PAGE_SIZE = 100;
/** Temporal's answer to a request without an operation, a reason or a target. */
const MISSING_PARAMETERS = 'must provide required parameters: BatchType,Reason,Namespace, AND one of (Query OR Executions OR TargetExecutions)';
const MAX_PAGE_SIZE = 1000;

/** The handlers, for the WorkflowService table. */
export function batchHandlers(engine: Engine, runner: BatchRunner, ns: (name: string | null | undefined) => string) {
  const jobs = runner.jobs;
  const load = (namespace: string, jobId: string | null | undefined): BatchJob => {
    const id = requireField(jobId, 'JobId');
    const job = jobs.get(namespace, id);
    if (!job) throw notFound(`batch operation ${id} not found`);
    return job;
  };
  return {
    StartBatchOperation: (req: IStart) => {
      const namespace = ns(req.namespace);
      const job = newJob(engine, namespace, req);
      const q = job.query ? compileVisibilityQuery(job.query, namespaceSearchAttributes(engine.store, namespace)) : undefined;
      engine.write(() => {
        if (jobs.get(namespace, job.jobId)) throw alreadyExists(`a batch operation with job id ${job.jobId} already exists`);
        if (jobs.running().some((j) => j.namespace === namespace)) throw concurrentLimit();
        let total = job.executions.length;
        if (q) total = jobs.addQueryTargets(namespace, job.jobId, q.where, q.params);
        else for (const e of job.executions) jobs.addTarget(namespace, job.jobId, e.workflowId, e.runId);
        jobs.put({ ...job, total });
      });
      runner.kick();
      return {};
    },
    StopBatchOperation: (req: IStop) => {
      const namespace = ns(req.namespace);
      requireField(req.reason, 'Reason');
      engine.write(() => {
        const job = load(namespace, req.jobId);
        if (job.state !== 'running') throw notFound(`batch operation ${job.jobId} already finished`);
        jobs.put({ ...job, state: 'failed', closeTime: engine.clock.now() });
        jobs.dropTargets(namespace, job.jobId);
      });
      return {};
    },
    DescribeBatchOperation: (req: IDescribe) => describeBatchJob(load(ns(req.namespace), req.jobId)),
    ListBatchOperations: (req: IList): IListResponse => {
      const namespace = ns(req.namespace);
      const pageSize = Math.min(req.pageSize && req.pageSize > 0 ? req.pageSize : DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
      const after = decodeToken(req.nextPageToken);
      const page = jobs.list(namespace, after, pageSize + 1);
      const last = page[pageSize - 1];
      return {
        operationInfo: page.slice(0, pageSize).map(batchJobInfo),
        nextPageToken: page.length > pageSize && last ? Buffer.from(JSON.stringify({ startTime: last.startTime, jobId: last.jobId })) : undefined,
      };
    },
  };
}

/** The job a request asks for, validated as Temporal's frontend validates it. */
function newJob(engine: Engine, namespace: string, req: IStart): BatchJob {
  const { kind, identity, details, signal } = operationOf(req);
  const selectors = [req.visibilityQuery, req.executions?.length, req.targetExecutions?.length].filter(Boolean).length;
  if (!req.reason || selectors === 0) {
    throw invalidArgument(MISSING_PARAMETERS);
  }
  requireField(req.jobId, 'JobId');
  if (selectors > 1) throw invalidArgument('visibility query, executions, and target executions are mutually exclusive');
  const rate = req.maxOperationsPerSecond ?? 0;
  if (!(rate >= 0)) throw invalidArgument(`MaxOperationsPerSecond must not be negative, got ${rate}`);
  return {
    namespace,
    jobId: req.jobId as string,
    kind,
    state: 'running',
    startTime: engine.clock.now(),
    total: 0,
    complete: 0,
    failure: 0,
    cursor: 0,
    identity,
    reason: req.reason,
    query: req.visibilityQuery ?? '',
    executions: targetsOf(req),
    opsPerSecond: rate > 0 ? rate : DEFAULT_BATCH_OPS_PER_SECOND,
    details,
    signal,
  };
}

function operationOf(req: IStart): Pick<BatchJob, 'kind' | 'identity' | 'details' | 'signal'> {
  const op = (kind: BatchOperationKind, identity: string | null | undefined) => ({ kind, identity: identity ?? '' });
  if (req.terminationOperation) {
    checkPayloadSizes(req.terminationOperation.details, 'termination details');
    return { ...op('terminate', req.terminationOperation.identity), details: payloadsCodec.pack(req.terminationOperation.details) };
  }
  if (req.cancellationOperation) return op('cancel', req.cancellationOperation.identity);
  if (req.deletionOperation) return op('delete', req.deletionOperation.identity);
  if (req.signalOperation) {
    const s = req.signalOperation;
    const name = requireField(s.signal, 'Signal');
    checkPayloadSizes(s.input, 'signal input');
    return { ...op('signal', s.identity), signal: { name, input: payloadsCodec.pack(s.input), header: headerCodec.pack(s.header) } };
  }
  const asked = Object.keys(req).find((k) => k.endsWith('Operation') && (req as Record<string, unknown>)[k]);
  if (asked) throw invalidArgument(`The operation type ${asked} is not supported by the duraflow dev server (terminate, cancel, signal and delete are).`);
  throw invalidArgument(MISSING_PARAMETERS);
}

function targetsOf(req: IStart): Array<{ workflowId: string; runId: string }> {
  const executions = (req.executions ?? []).map((e) => ({ workflowId: e.workflowId ?? '', runId: e.runId ?? '' }));
  (req.targetExecutions ?? []).forEach((e, i) => {
    if (e.type !== ExecutionType.EXECUTION_TYPE_WORKFLOW) {
      throw invalidArgument(`target_executions[${i}] has type ${ExecutionType[e.type ?? 0] ?? e.type}, but the operation requires EXECUTION_TYPE_WORKFLOW`);
    }
    executions.push({ workflowId: e.businessId ?? '', runId: e.runId ?? '' });
  });
  executions.forEach((e, i) => {
    if (!e.workflowId) throw invalidArgument(`executions[${i}] has no workflow id`);
  });
  return executions;
}

function decodeToken(token: Uint8Array | null | undefined): { startTime: number; jobId: string } | undefined {
  if (!token || token.length === 0) return undefined;
  try {
    const t = JSON.parse(Buffer.from(token).toString('utf8')) as { startTime: number; jobId: string };
    if (typeof t.startTime === 'number' && typeof t.jobId === 'string') return t;
  } catch {
    // fall through
  }
  throw invalidArgument('Invalid NextPageToken for ListBatchOperations.');
}

function concurrentLimit(): RpcError {
  return new RpcError(status.RESOURCE_EXHAUSTED, 'Max concurrent batch operations is reached', [
    {
      typeName: 'temporal.api.errordetails.v1.ResourceExhaustedFailure',
      value: { cause: ResourceExhaustedCause.RESOURCE_EXHAUSTED_CAUSE_CONCURRENT_LIMIT, scope: ResourceExhaustedScope.RESOURCE_EXHAUSTED_SCOPE_NAMESPACE },
    },
  ]);
}
