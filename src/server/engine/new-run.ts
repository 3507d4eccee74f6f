/** Creating a run: from StartWorkflowExecution, a child start, continue-as-new, a workflow retry or cron. */
import { decodePriority } from '../../common/priority.js';
import { randomUUID } from 'node:crypto';
import { durationFromMs, tsFromMs } from '../../proto/index.js';
import { invalidArgument } from '../errors.js';
import { memoCodec, searchAttributesCodec } from './codec.js';
import { EventType, ExecutionStatus, TaskQueueKind } from './enums.js';
import type {
  IFailure,
  IHeader,
  IMemo,
  IPayloads,
  IPriority,
  IRetryPolicy,
  ISearchAttributes,
  IUserMetadata,
} from './proto-types.js';
import { normalizeRetryPolicy, retryPolicyToProto } from './retry.js';
import type { Run } from './run.js';
import type { ExecutionState } from './state.js';
import { normalizeWorkflowTimeouts } from './timeouts.js';
import type { Tx } from './tx.js';
import { scheduleWorkflowTask } from './workflow-task.js';

/** Timer kind: the first workflow task's backoff (start delay, retry backoff, cron) ended. */
export const START_BACKOFF_TIMER = 'start-backoff';
/** Timer kind: the run's run/execution timeout. */
export const RUN_TIMEOUT_TIMER = 'run-timeout';

/** Everything that defines a new run. */
export interface NewRunSpec {
  namespace: string;
  workflowId: string;
  workflowType: string;
  taskQueue: string;
  input?: IPayloads | null;
  header?: IHeader | null;
  memo?: IMemo | null;
  searchAttributes?: ISearchAttributes | null;
  /** Raw (un-normalized) timeouts in ms; 0 = unset. */
  executionTimeoutMs: number;
  runTimeoutMs: number;
  taskTimeoutMs: number;
  retryPolicy?: IRetryPolicy | null;
  cronSchedule?: string;
  /** Delay before the first workflow task. */
  backoffMs: number;
  attempt: number;
  requestId: string;
  identity: string;
  /** Preassigned run id (the closing run's event names it first); generated when absent. */
  runId?: string;
  userMetadata?: IUserMetadata | null;
  priority?: IPriority | null;
  /** Set for runs that continue a chain (continue-as-new, retry, cron). */
  previous?: {
    run: ExecutionState;
    initiator: number;
    continuedFailure?: IFailure | null;
    lastCompletionResult?: IPayloads | null;
  };
  parent?: { namespace: string; workflowId: string; runId: string; initiatedEventId: number; rootWorkflowId: string; rootRunId: string };
}

/** Creates the run, writes WorkflowExecutionStarted and schedules its first workflow task (or backoff). */
export function createRun(tx: Tx, spec: NewRunSpec): Run {
  const t = normalizeWorkflowTimeouts(spec.executionTimeoutMs, spec.runTimeoutMs, spec.taskTimeoutMs);
  const retry = spec.retryPolicy ? normalizeRetryPolicy(spec.retryPolicy, 'workflow retry policy') : undefined;
  if (spec.backoffMs < 0) throw invalidArgument('Invalid WorkflowStartDelay.');
  const now = tx.now;
  const runId = spec.runId ?? randomUUID();
  const executionTime = now + spec.backoffMs;
  const prev = spec.previous?.run;
  const expiration = prev
    ? prev.executionExpirationTime
    : t.executionTimeoutMs > 0
      ? executionTime + t.executionTimeoutMs
      : 0;
  const state = initialState(spec, runId, now, executionTime, expiration, t, retry);
  const priority = decodePriority(spec.priority) ?? spec.previous?.run.priority;
  if (priority !== undefined) state.priority = priority;
  const run = tx.createRun(state);
  run.addEvent(
    EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED,
    startedAttributes(spec, state, retry),
    spec.userMetadata ? { userMetadata: spec.userMetadata } : {},
  );
  if (spec.backoffMs > 0) tx.addTimer(run, executionTime, START_BACKOFF_TIMER, {});
  else scheduleWorkflowTask(run);
  const runDeadline = [t.runTimeoutMs > 0 ? executionTime + t.runTimeoutMs : 0, expiration].filter((x) => x > 0);
  if (runDeadline.length > 0) tx.addTimer(run, Math.min(...runDeadline), RUN_TIMEOUT_TIMER, {});
  return run;
}

function initialState(
  spec: NewRunSpec,
  runId: string,
  now: number,
  executionTime: number,
  expiration: number,
  t: ReturnType<typeof normalizeWorkflowTimeouts>,
  retry: ExecutionState['retryPolicy'],
): ExecutionState {
  return {
    namespace: spec.namespace,
    workflowId: spec.workflowId,
    runId,
    firstExecutionRunId: spec.previous?.run.firstExecutionRunId ?? runId,
    workflowType: spec.workflowType,
    taskQueue: spec.taskQueue,
    status: ExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING,
    startTime: now,
    executionTime,
    closeTime: 0,
    startRequestId: spec.requestId,
    nextEventId: 1,
    historySizeBytes: 0,
    firstTaskBackoff: spec.backoffMs > 0,
    lastCompletedWftStartedId: 0,
    lastCompletedWftEventId: 0,
    stickyTaskQueue: '',
    stickyScheduleToStartMs: 0,
    wft: undefined,
    buffered: [],
    activities: {},
    timers: {},
    children: {},
    updates: {},
    cancelRequested: false,
    signalRequestIds: [],
    runTimeoutMs: t.runTimeoutMs,
    executionTimeoutMs: t.executionTimeoutMs,
    workflowTaskTimeoutMs: t.taskTimeoutMs,
    executionExpirationTime: expiration,
    searchAttributes: searchAttributesCodec.pack(spec.searchAttributes),
    memo: memoCodec.pack(spec.memo),
    closeEventId: 0,
    attempt: spec.attempt,
    retryPolicy: retry,
    cronSchedule: spec.cronSchedule ?? '',
    parentNamespace: spec.parent?.namespace,
    parentWorkflowId: spec.parent?.workflowId,
    parentRunId: spec.parent?.runId,
    parentInitiatedEventId: spec.parent?.initiatedEventId ?? 0,
    rootWorkflowId: spec.parent?.rootWorkflowId ?? spec.previous?.run.rootWorkflowId ?? spec.workflowId,
    rootRunId: spec.parent?.rootRunId ?? spec.previous?.run.rootRunId ?? runId,
  };
}

function startedAttributes(spec: NewRunSpec, s: ExecutionState, retry: ExecutionState['retryPolicy']): object {
  const prev = spec.previous;
  return {
    workflowType: { name: s.workflowType },
    taskQueue: { name: s.taskQueue, kind: TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
    input: spec.input,
    workflowExecutionTimeout: durationFromMs(s.executionTimeoutMs),
    workflowRunTimeout: durationFromMs(s.runTimeoutMs),
    workflowTaskTimeout: durationFromMs(s.workflowTaskTimeoutMs),
    continuedExecutionRunId: prev?.run.runId,
    initiator: prev?.initiator,
    continuedFailure: prev?.continuedFailure,
    lastCompletionResult: prev?.lastCompletionResult,
    originalExecutionRunId: s.runId,
    identity: spec.identity,
    firstExecutionRunId: s.firstExecutionRunId,
    retryPolicy: retry ? retryPolicyToProto(retry) : undefined,
    attempt: s.attempt,
    workflowExecutionExpirationTime: s.executionExpirationTime ? tsFromMs(s.executionExpirationTime) : undefined,
    cronSchedule: s.cronSchedule || undefined,
    firstWorkflowTaskBackoff: spec.backoffMs > 0 ? durationFromMs(spec.backoffMs) : undefined,
    memo: spec.memo,
    searchAttributes: spec.searchAttributes,
    header: spec.header,
    workflowId: s.workflowId,
    priority: s.priority,
    parentWorkflowNamespace: spec.parent?.namespace,
    parentWorkflowExecution: spec.parent ? { workflowId: spec.parent.workflowId, runId: spec.parent.runId } : undefined,
    parentInitiatedEventId: spec.parent?.initiatedEventId,
    rootWorkflowExecution: spec.parent ? { workflowId: s.rootWorkflowId, runId: s.rootRunId } : undefined,
  };
}
