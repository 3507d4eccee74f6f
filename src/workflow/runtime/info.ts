/**
 * `workflowInfo()`: built from the initializeWorkflow job, refreshed by every activation.
 *
 * @module
 */
import {
  decodeSearchAttributes,
  decodeTypedSearchAttributes,
  decompileRetryPolicy,
  fromPayloadsAtIndex,
  mapFromPayloads,
} from '../../common/index.js';
import type { WorkflowInfo } from '../interfaces.js';
import type { Activator } from './activator.js';
import type { InitializeWorkflowJob, WorkflowActivation } from './protocol.js';

function dateOrUndefined(ms: number | undefined): Date | undefined {
  return ms === undefined ? undefined : new Date(ms);
}

/** The info fields that come straight from the job, before any payload is decoded. */
function staticInfo(job: InitializeWorkflowJob, runId: string): Omit<WorkflowInfo, 'searchAttributes' | 'typedSearchAttributes' | 'memo' | 'lastResult' | 'lastFailure' | 'historyLength' | 'historySize' | 'continueAsNewSuggested' | 'unsafe'> {
  return {
    workflowId: job.workflowId,
    runId,
    workflowType: job.workflowType,
    taskQueue: job.taskQueue,
    namespace: job.namespace,
    attempt: job.attempt,
    firstExecutionRunId: job.firstExecutionRunId,
    originalExecutionRunId: runId,
    continuedFromExecutionRunId: job.continuedFromExecutionRunId || undefined,
    parent: job.parent,
    root: job.root ? { workflowId: job.root.workflowId, runId: job.root.runId } : undefined,
    startTime: new Date(job.startTimeMs),
    runStartTime: new Date(job.runStartTimeMs),
    executionTimeoutMs: job.workflowExecutionTimeoutMs,
    executionExpirationTime: dateOrUndefined(job.workflowExecutionExpirationTimeMs),
    runTimeoutMs: job.workflowRunTimeoutMs,
    taskTimeoutMs: job.workflowTaskTimeoutMs,
    retryPolicy: decompileRetryPolicy(job.retryPolicy),
    cronSchedule: job.cronSchedule || undefined,
    cronScheduleToScheduleInterval: job.cronScheduleToScheduleIntervalMs,
    priority: job.priority,
  };
}

/**
 * Builds the run's info from its initializeWorkflow job and first activation (decoding memo, search
 * attributes, last result and last failure with the run's converters).
 */
export function buildWorkflowInfo(activator: Activator, job: InitializeWorkflowJob, activation: WorkflowActivation): WorkflowInfo {
  const base = staticInfo(job, activation.runId);
  const context = { type: 'workflow' as const, namespace: job.namespace, workflowId: job.workflowId };
  const { payloadConverter } = activator;
  return {
    ...base,
    searchAttributes: decodeSearchAttributes(job.searchAttributes),
    typedSearchAttributes: decodeTypedSearchAttributes(job.searchAttributes),
    memo: mapFromPayloads(payloadConverter, job.memo, context) ?? {},
    lastResult: fromPayloadsAtIndex(payloadConverter, 0, job.lastCompletionResult, context),
    lastFailure: job.continuedFailure ? activator.failureConverter.failureToError(job.continuedFailure, payloadConverter, context) : undefined,
    ...activationFields(activation),
  };
}

/**
 * `info.unsafe.now`: one function for every run (the thread's `Date` acts for the run being
 * activated), not a closure per activation, which a cached run would keep with a map of its own.
 */
function unsafeNow(): number {
  return Date.now();
}

/** The info fields every (non-query) activation updates. */
function activationFields(activation: WorkflowActivation): Pick<WorkflowInfo, 'historyLength' | 'historySize' | 'continueAsNewSuggested' | 'unsafe'> {
  return {
    historyLength: activation.historyLength,
    historySize: activation.historySizeBytes,
    continueAsNewSuggested: activation.continueAsNewSuggested,
    unsafe: {
      now: unsafeNow,
      isReplaying: activation.isReplaying,
      isReplayingHistoryEvents: activation.isReplaying,
    },
  };
}

/** A copy of `info` updated with a new activation's history length, size and replay flag. */
export function refreshWorkflowInfo(info: WorkflowInfo, activation: WorkflowActivation): WorkflowInfo {
  return { ...info, ...activationFields(activation) };
}

/** A copy of `info` for a query activation: queries are live reads, not history replay. */
export function queryWorkflowInfo(info: WorkflowInfo): WorkflowInfo {
  return { ...info, unsafe: { ...info.unsafe, isReplaying: true, isReplayingHistoryEvents: false } };
}
