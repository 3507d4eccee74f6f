/** StartWorkflowExecution and SignalWithStartWorkflowExecution: ID policies, request dedupe, new runs. */
import { randomUUID } from 'node:crypto';
import { durationFromMs, msFromDuration, tsFromMs, type ProtoTypes } from '../../proto/index.js';
import { alreadyExists, invalidArgument, RpcError } from '../errors.js';
import { status as grpcStatus } from '@grpc/grpc-js';
import { memoCodec, searchAttributesCodec } from './codec.js';
import { EventType, ExecutionStatus, IdConflictPolicy, IdReusePolicy, TaskQueueKind } from './enums.js';
import { signalRun, terminateRun, type SignalInput } from './lifecycle.js';
import { normalizeRetryPolicy } from './retry.js';
import type { Run } from './run.js';
import type { ExecutionState } from './state.js';
import { normalizeWorkflowTimeouts } from './timeouts.js';
import type { Tx } from './tx.js';
import { scheduleWorkflowTask } from './workflow-task.js';
import { checkPayloadSizes } from './limits.js';
import { validateSearchAttributes } from './search-attributes.js';

type StartRequest = ProtoTypes.temporal.api.workflowservice.v1.IStartWorkflowExecutionRequest;

/** Timer kind: the first workflow task's backoff (start delay) ended. */
export const START_BACKOFF_TIMER = 'start-backoff';
/** Timer kind: the run's run/execution timeout. */
export const RUN_TIMEOUT_TIMER = 'run-timeout';

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
  if (req.cronSchedule) {
    throw new RpcError(grpcStatus.UNIMPLEMENTED, 'cron schedules are not supported by the duraflow dev server yet');
  }
  if (req.requestId && req.requestId.length > MAX_ID_LENGTH) throw invalidArgument('RequestId length exceeds limit.');
  checkPayloadSizes(req.input, 'input');
}

/** Starts a workflow, applying request-id dedupe and the ID reuse / conflict policies. */
export function startWorkflow(tx: Tx, namespace: string, req: StartRequest, signal?: SignalInput): StartResult {
  validateStart(req);
  validateSearchAttributes(tx.store, namespace, req.searchAttributes);
  const requestId = req.requestId || randomUUID();
  const existing = tx.currentRun(namespace, req.workflowId as string);
  if (existing) {
    if (existing.state.startRequestId === requestId) {
      return { runId: existing.state.runId, started: true, status: existing.state.status };
    }
    const reused = resolveExisting(existing, req, requestId, signal);
    if (reused) return reused;
  }
  const run = createRun(tx, namespace, req, requestId);
  if (signal) signalRun(run, signal);
  return { runId: run.state.runId, started: true, status: run.state.status };
}

/** Applies the policies to the current run of the id; returns a result when no new run is started. */
function resolveExisting(existing: Run, req: StartRequest, requestId: string, signal?: SignalInput): StartResult | undefined {
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
        throw alreadyStarted(`Workflow execution is already running. WorkflowId: ${s.workflowId}, RunId: ${s.runId}.`, s, requestId);
    }
  }
  const succeeded =
    s.status === ExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED ||
    s.status === ExecutionStatus.WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW;
  if (reuse === IdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE) {
    throw alreadyStarted(
      `Workflow execution already finished and Workflow ID reuse policy does not allow duplicates. WorkflowId: ${s.workflowId}, RunId: ${s.runId}.`,
      s,
      requestId,
    );
  }
  if (reuse === IdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE_FAILED_ONLY && succeeded) {
    throw alreadyStarted(
      `Workflow execution already finished successfully. WorkflowId: ${s.workflowId}, RunId: ${s.runId}. Workflow ID reuse policy: allow duplicate workflows if last run failed.`,
      s,
      requestId,
    );
  }
  return undefined;
}

function alreadyStarted(message: string, s: ExecutionState, requestId: string): RpcError {
  return alreadyExists(message, [
    {
      typeName: 'temporal.api.errordetails.v1.WorkflowExecutionAlreadyStartedFailure',
      value: { startRequestId: requestId, runId: s.runId },
    },
  ]);
}

function createRun(tx: Tx, namespace: string, req: StartRequest, requestId: string): Run {
  const now = tx.now;
  const t = normalizeWorkflowTimeouts(
    msFromDuration(req.workflowExecutionTimeout) ?? 0,
    msFromDuration(req.workflowRunTimeout) ?? 0,
    msFromDuration(req.workflowTaskTimeout) ?? 0,
  );
  if (req.retryPolicy) normalizeRetryPolicy(req.retryPolicy, 'StartWorkflowExecution');
  const delayMs = msFromDuration(req.workflowStartDelay) ?? 0;
  if (delayMs < 0) throw invalidArgument('Invalid WorkflowStartDelay.');
  const runId = randomUUID();
  const executionTime = now + delayMs;
  const state: ExecutionState = {
    namespace,
    workflowId: req.workflowId as string,
    runId,
    firstExecutionRunId: runId,
    workflowType: req.workflowType?.name as string,
    taskQueue: req.taskQueue?.name as string,
    status: ExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING,
    startTime: now,
    executionTime,
    closeTime: 0,
    startRequestId: requestId,
    nextEventId: 1,
    historySizeBytes: 0,
    lastCompletedWftStartedId: 0,
    lastCompletedWftEventId: 0,
    wft: undefined,
    buffered: [],
    activities: {},
    timers: {},
    cancelRequested: false,
    signalRequestIds: [],
    runTimeoutMs: t.runTimeoutMs,
    executionTimeoutMs: t.executionTimeoutMs,
    workflowTaskTimeoutMs: t.taskTimeoutMs,
    executionExpirationTime: t.executionTimeoutMs > 0 ? executionTime + t.executionTimeoutMs : 0,
    searchAttributes: searchAttributesCodec.pack(req.searchAttributes),
    memo: memoCodec.pack(req.memo),
    closeEventId: 0,
    parentWorkflowId: undefined,
    parentRunId: undefined,
    rootWorkflowId: req.workflowId as string,
    rootRunId: runId,
  };
  const run = tx.createRun(state);
  run.addEvent(
    EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED,
    {
      workflowType: { name: state.workflowType },
      taskQueue: { name: state.taskQueue, kind: TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
      input: req.input,
      workflowExecutionTimeout: durationFromMs(t.executionTimeoutMs),
      workflowRunTimeout: durationFromMs(t.runTimeoutMs),
      workflowTaskTimeout: durationFromMs(t.taskTimeoutMs),
      originalExecutionRunId: runId,
      firstExecutionRunId: runId,
      identity: req.identity,
      retryPolicy: req.retryPolicy,
      attempt: 1,
      workflowExecutionExpirationTime: state.executionExpirationTime ? tsFromMs(state.executionExpirationTime) : undefined,
      firstWorkflowTaskBackoff: delayMs > 0 ? durationFromMs(delayMs) : undefined,
      memo: req.memo,
      searchAttributes: req.searchAttributes,
      header: req.header,
      workflowId: state.workflowId,
      priority: req.priority,
    },
    req.userMetadata ? { userMetadata: req.userMetadata } : {},
  );
  if (delayMs > 0) tx.addTimer(run, executionTime, START_BACKOFF_TIMER, {});
  else scheduleWorkflowTask(run);
  const runDeadline = t.runTimeoutMs > 0 ? executionTime + t.runTimeoutMs : 0;
  if (runDeadline > 0) tx.addTimer(run, runDeadline, RUN_TIMEOUT_TIMER, {});
  return run;
}
