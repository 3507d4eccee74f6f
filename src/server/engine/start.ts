/** StartWorkflowExecution and SignalWithStartWorkflowExecution: ID policies, request dedupe, new runs. */
import { validatePriority } from './priority.js';
import { randomUUID } from 'node:crypto';
import { msFromDuration, type ProtoTypes } from '../../proto/index.js';
import { alreadyExists, invalidArgument, type RpcError } from '../errors.js';
import { cronBackoffMs, validateCronSchedule } from './cron.js';
import { ExecutionStatus, IdConflictPolicy, IdReusePolicy } from './enums.js';
import { signalRun, terminateRun, type SignalInput } from './lifecycle.js';
import { createRun, type NewRunSpec } from './new-run.js';
import type { Run } from './run.js';
import type { ExecutionState } from './state.js';
import type { Tx } from './tx.js';
import { checkMemoSize, checkPayloadSizes } from './limits.js';
import { validateSearchAttributes } from './search-attributes.js';

type StartRequest = ProtoTypes.temporal.api.workflowservice.v1.IStartWorkflowExecutionRequest;


export interface StartResult {
  runId: string;
  started: boolean;
  status: number;
}

const MAX_ID_LENGTH = 1000;

function validateStart(req: StartRequest): void {
  if (!req.workflowId) throw invalidArgument('WorkflowId is not set on request.');
  if (req.workflowId.length > MAX_ID_LENGTH) throw invalidArgument('WorkflowId length exceeds limit.');
  if (!req.workflowType?.name) throw invalidArgument('WorkflowType is not set on request.');
  if (req.workflowType.name.length > MAX_ID_LENGTH) throw invalidArgument('WorkflowType length exceeds limit.');
  if (!req.taskQueue?.name) throw invalidArgument('TaskQueue is not set on request.');
  if (req.cronSchedule) validateCronSchedule(req.cronSchedule);
  validatePriority(req.priority);
  if (req.requestId && req.requestId.length > MAX_ID_LENGTH) throw invalidArgument('RequestId length exceeds limit.');
  checkPayloadSizes(req.input, 'input');
  checkMemoSize(req.memo);
}

/** Starts a workflow, applying request-id dedupe and the ID reuse / conflict policies. */
export function startWorkflow(
  tx: Tx,
  namespace: string,
  req: StartRequest,
  signal?: SignalInput,
  parent?: NewRunSpec['parent'],
): StartResult {
  validateStart(req);
  validateSearchAttributes(tx.store, namespace, req.searchAttributes);
  const requestId = req.requestId || randomUUID();
  const existing = tx.currentRun(namespace, req.workflowId as string);
  if (existing) {
    if (existing.state.startRequestId === requestId) {
      return { runId: existing.state.runId, started: true, status: existing.state.status };
    }
    const reused = resolveExisting(existing, req, signal);
    if (reused) return reused;
  }
  const run = createRun(tx, { ...specFromRequest(namespace, req, requestId, tx.now), parent });
  if (signal) signalRun(run, signal);
  return { runId: run.state.runId, started: true, status: run.state.status };
}

/** Applies the policies to the current run of the id; returns a result when no new run is started. */
function resolveExisting(existing: Run, req: StartRequest, signal?: SignalInput): StartResult | undefined {
  const s = existing.state;
  let conflict = req.workflowIdConflictPolicy ?? 0;
  let reuse = req.workflowIdReusePolicy ?? 0;
  if (reuse === IdReusePolicy.WORKFLOW_ID_REUSE_POLICY_TERMINATE_IF_RUNNING) {
    conflict = IdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_TERMINATE_EXISTING;
    reuse = IdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE;
  }
  if (existing.isOpen) {
    if (signal && conflict === IdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_UNSPECIFIED) {
      conflict = IdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING;
    }
    switch (conflict) {
      case IdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING:
        if (signal) signalRun(existing, signal);
        return { runId: s.runId, started: false, status: s.status };
      case IdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_TERMINATE_EXISTING:
        terminateRun(existing, 'terminated by a new run with workflow id conflict policy TERMINATE_EXISTING', undefined, req.identity ?? '');
        return undefined;
      default:
        throw alreadyStarted(`Workflow execution is already running. WorkflowId: ${s.workflowId}, RunId: ${s.runId}.`, s);
    }
  }
  const succeeded =
    s.status === ExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED ||
    s.status === ExecutionStatus.WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW;
  if (reuse === IdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE) {
    throw alreadyStarted(
      `Workflow execution already finished and Workflow ID reuse policy does not allow duplicates. WorkflowId: ${s.workflowId}, RunId: ${s.runId}.`,
      s,
    );
  }
  if (reuse === IdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE_FAILED_ONLY && succeeded) {
    throw alreadyStarted(
      `Workflow execution already finished successfully. WorkflowId: ${s.workflowId}, RunId: ${s.runId}. Workflow ID reuse policy: allow duplicate workflows if last run failed.`,
      s,
    );
  }
  return undefined;
}

/** ALREADY_EXISTS with the detail naming the existing run and the request that started it. */
function alreadyStarted(message: string, s: ExecutionState): RpcError {
  return alreadyExists(message, [
    {
      typeName: 'temporal.api.errordetails.v1.WorkflowExecutionAlreadyStartedFailure',
      value: { startRequestId: s.startRequestId, runId: s.runId },
    },
  ]);
}

function specFromRequest(namespace: string, req: StartRequest, requestId: string, now: number): NewRunSpec {
  return {
    namespace,
    workflowId: req.workflowId as string,
    workflowType: req.workflowType?.name as string,
    taskQueue: req.taskQueue?.name as string,
    input: req.input,
    header: req.header,
    memo: req.memo,
    searchAttributes: req.searchAttributes,
    executionTimeoutMs: msFromDuration(req.workflowExecutionTimeout) ?? 0,
    runTimeoutMs: msFromDuration(req.workflowRunTimeout) ?? 0,
    taskTimeoutMs: msFromDuration(req.workflowTaskTimeout) ?? 0,
    retryPolicy: req.retryPolicy,
    cronSchedule: req.cronSchedule ?? '',
    backoffMs: req.cronSchedule
      ? (cronBackoffMs(req.cronSchedule, now, now) ?? 0)
      : (msFromDuration(req.workflowStartDelay) ?? 0),
    attempt: 1,
    requestId,
    identity: req.identity ?? '',
    userMetadata: req.userMetadata,
    priority: req.priority,
  };
}
