/**
 * How a run ends by its own command, and what follows it: continue-as-new, a workflow retry
 * (retry policy, attempt + 1) or the next cron run. Retry takes precedence over cron.
 */
import { randomUUID } from 'node:crypto';
import { msFromDuration, type ProtoTypes } from '../../proto/index.js';
import { invalidArgument } from '../errors.js';
import { memoCodec, searchAttributesCodec } from './codec.js';
import { cronBackoffMs } from './cron.js';
import { ContinueAsNewInitiator, EventType, ExecutionStatus, RetryState, TaskQueueKind } from './enums.js';
import { closeRun } from './lifecycle.js';
import { createRun, type NewRunSpec } from './new-run.js';
import type { IFailure, IPayloads } from './proto-types.js';
import { decideRetry, retryPolicyToProto } from './retry.js';
import type { Run } from './run.js';

type ICanAttrs = ProtoTypes.temporal.api.command.v1.IContinueAsNewWorkflowExecutionCommandAttributes;

/** The next run of the same chain, inheriting type, queue, timeouts, memo and search attributes. */
function nextRunSpec(run: Run, over: Partial<NewRunSpec> & Pick<NewRunSpec, 'previous' | 'attempt' | 'backoffMs'>): NewRunSpec {
  const s = run.state;
  const started = run.tx.store.readEvent(s.namespace, s.runId, 1)?.workflowExecutionStartedEventAttributes;
  return {
    namespace: s.namespace,
    workflowId: s.workflowId,
    workflowType: s.workflowType,
    taskQueue: s.taskQueue,
    input: started?.input,
    header: started?.header,
    memo: memoCodec.unpack(s.memo),
    searchAttributes: searchAttributesCodec.unpack(s.searchAttributes),
    executionTimeoutMs: s.executionTimeoutMs,
    runTimeoutMs: s.runTimeoutMs,
    taskTimeoutMs: s.workflowTaskTimeoutMs,
    retryPolicy: s.retryPolicy ? retryPolicyToProto(s.retryPolicy) : undefined,
    cronSchedule: s.cronSchedule,
    requestId: randomUUID(),
    identity: '',
    runId: randomUUID(),
    parent: s.parentWorkflowId
      ? {
          namespace: s.parentNamespace ?? s.namespace,
          workflowId: s.parentWorkflowId,
          runId: s.parentRunId ?? '',
          initiatedEventId: s.parentInitiatedEventId,
          rootWorkflowId: s.rootWorkflowId,
          rootRunId: s.rootRunId,
        }
      : undefined,
    ...over,
  };
}

/** The retry of a failed or timed-out run, when its policy allows one. */
function retrySpec(run: Run, failure: IFailure | undefined): { spec?: NewRunSpec; retryState: number } {
  const s = run.state;
  if (!s.retryPolicy) return { retryState: RetryState.RETRY_STATE_RETRY_POLICY_NOT_SET };
  const d = decideRetry(s.retryPolicy, s.attempt, failure, run.tx.now, s.executionExpirationTime);
  if (d.retryState !== RetryState.RETRY_STATE_IN_PROGRESS) return { retryState: d.retryState };
  const spec = nextRunSpec(run, {
    attempt: s.attempt + 1,
    backoffMs: d.delayMs,
    previous: { run: s, initiator: ContinueAsNewInitiator.CONTINUE_AS_NEW_INITIATOR_RETRY, continuedFailure: failure },
  });
  return { spec, retryState: d.retryState };
}

function cronSpec(run: Run, result: IPayloads | undefined, failure: IFailure | undefined): NewRunSpec | undefined {
  const s = run.state;
  if (!s.cronSchedule) return undefined;
  const backoffMs = cronBackoffMs(s.cronSchedule, s.executionTime, run.tx.now);
  if (backoffMs === undefined) return undefined;
  return nextRunSpec(run, {
    attempt: 1,
    backoffMs,
    previous: {
      run: s,
      initiator: ContinueAsNewInitiator.CONTINUE_AS_NEW_INITIATOR_CRON_SCHEDULE,
      continuedFailure: failure,
      lastCompletionResult: result,
    },
  });
}

/** CompleteWorkflowExecution: closes the run; a cron workflow continues with its next run. */
export function completeRun(run: Run, result: IPayloads | null | undefined, completedEventId: number): void {
  const next = cronSpec(run, result ?? undefined, undefined);
  const eventId = run.addEvent(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED, {
    result,
    workflowTaskCompletedEventId: completedEventId,
    newExecutionRunId: next?.runId,
  });
  closeRun(run, ExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED, eventId, Boolean(next));
  if (next) createRun(run.tx, next);
}

/** FailWorkflowExecution: retried per the workflow's retry policy, else the next cron run, else final. */
export function failRun(run: Run, failure: IFailure | null | undefined, completedEventId: number): void {
  const retry = retrySpec(run, failure ?? undefined);
  const next = retry.spec ?? cronSpec(run, undefined, failure ?? undefined);
  const eventId = run.addEvent(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED, {
    failure,
    retryState: retry.retryState,
    workflowTaskCompletedEventId: completedEventId,
    newExecutionRunId: next?.runId,
  });
  closeRun(run, ExecutionStatus.WORKFLOW_EXECUTION_STATUS_FAILED, eventId, Boolean(next));
  if (next) createRun(run.tx, next);
}

/** The run timed out: retried per the policy when it allows (a timeout is retryable). */
export function timeOutRunWithRetry(run: Run): void {
  const failure: IFailure = { message: 'workflow run timed out', timeoutFailureInfo: { timeoutType: 1 } };
  const retry = retrySpec(run, failure);
  const next = retry.spec ?? cronSpec(run, undefined, failure);
  const s = run.state;
  const expired = s.executionExpirationTime > 0 && run.tx.now >= s.executionExpirationTime;
  const eventId = run.addEvent(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT, {
    retryState: expired && !retry.spec ? RetryState.RETRY_STATE_TIMEOUT : retry.retryState,
    newExecutionRunId: next?.runId,
  });
  closeRun(run, ExecutionStatus.WORKFLOW_EXECUTION_STATUS_TIMED_OUT, eventId, Boolean(next));
  if (next) createRun(run.tx, next);
}

/** ContinueAsNewWorkflowExecution: a new run linked to this one; missing fields come from this run. */
export function continueAsNew(run: Run, a: ICanAttrs, completedEventId: number): void {
  const s = run.state;
  const backoffMs = msFromDuration(a.backoffStartInterval) ?? 0;
  if (backoffMs < 0) throw invalidArgument('BackoffStartInterval cannot be negative.');
  const next = nextRunSpec(run, {
    workflowType: a.workflowType?.name || s.workflowType,
    taskQueue: a.taskQueue?.name || s.taskQueue,
    input: a.input,
    header: a.header,
    memo: a.memo,
    searchAttributes: a.searchAttributes,
    runTimeoutMs: msFromDuration(a.workflowRunTimeout) || s.runTimeoutMs,
    taskTimeoutMs: msFromDuration(a.workflowTaskTimeout) || s.workflowTaskTimeoutMs,
    retryPolicy: a.retryPolicy ?? (s.retryPolicy ? retryPolicyToProto(s.retryPolicy) : undefined),
    cronSchedule: a.cronSchedule ?? s.cronSchedule,
    attempt: 1,
    backoffMs,
    previous: {
      run: s,
      initiator: a.initiator || ContinueAsNewInitiator.CONTINUE_AS_NEW_INITIATOR_WORKFLOW,
      continuedFailure: a.failure,
      lastCompletionResult: a.lastCompletionResult,
    },
  });
  const eventId = run.addEvent(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW, {
    newExecutionRunId: next.runId,
    workflowType: { name: next.workflowType },
    taskQueue: { name: next.taskQueue, kind: TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
    input: a.input,
    workflowRunTimeout: a.workflowRunTimeout,
    workflowTaskTimeout: a.workflowTaskTimeout,
    workflowTaskCompletedEventId: completedEventId,
    backoffStartInterval: a.backoffStartInterval,
    initiator: next.previous?.initiator,
    failure: a.failure,
    lastCompletionResult: a.lastCompletionResult,
    header: a.header,
    memo: a.memo,
    searchAttributes: a.searchAttributes,
  });
  closeRun(run, ExecutionStatus.WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW, eventId, true);
  createRun(run.tx, next);
}
