/**
 * Activation jobs made directly from events that belong to no command machine (the run's start,
 * signals, cancellation requests) and from queries, plus the job order an activation must respect.
 *
 * @module
 */
import { decodePriority } from '../../common/priority.js';
import type { ProtoTypes } from '../../proto/index.js';
import type { ActivationJob, ExecutionRef, InitializeWorkflowJob } from '../../workflow/runtime/protocol.js';
import { InvalidHistoryError } from './errors.js';
import { eventIdOf, type HistoryEvent } from './history-events.js';
import { msOf, plainFailure, plainPayloadList, plainPayloadMap, plainRetryPolicy } from './plain-values.js';
import { randomnessSeedFromRunId } from './randomness-seed.js';

type StartedAttributes = ProtoTypes.temporal.api.history.v1.IWorkflowExecutionStartedEventAttributes;
type IWorkflowQuery = ProtoTypes.temporal.api.query.v1.IWorkflowQuery;

/** The run's identity as the worker knows it from the poll. */
export interface RunIdentity {
  namespace: string;
  taskQueue: string;
  workflowId: string;
  runId: string;
  workflowType: string;
  /** The worker's `workflowFailureErrorTypes` for this workflow type, passed on in initializeWorkflow. */
  failureExceptionTypeNames?: readonly string[];
}

const nonEmpty = (s: string | null | undefined): string | undefined => (s ? s : undefined);

function executionRef(namespace: string, execution: ProtoTypes.temporal.api.common.v1.IWorkflowExecution | null | undefined): ExecutionRef | undefined {
  if (!execution) return undefined;
  return { namespace, workflowId: execution.workflowId ?? '', runId: execution.runId ?? '' };
}

/** The initializeWorkflow job for a WorkflowExecutionStarted event: everything `workflowInfo()` reports. */
export function initializeWorkflowJob(event: HistoryEvent, run: RunIdentity): InitializeWorkflowJob {
  const a = event.workflowExecutionStartedEventAttributes as StartedAttributes;
  const startTimeMs = msOf(event.eventTime) ?? 0;
  const workflowTaskTimeoutMs = msOf(a.workflowTaskTimeout);
  if (workflowTaskTimeoutMs === undefined) {
    throw new InvalidHistoryError(`WorkflowExecutionStarted event ${eventIdOf(event)} has no workflowTaskTimeout`);
  }
  const parentNamespace = nonEmpty(a.parentWorkflowNamespace) ?? run.namespace;
  const job: InitializeWorkflowJob = {
    kind: 'initializeWorkflow',
    workflowType: a.workflowType?.name ?? run.workflowType,
    workflowId: run.workflowId,
    namespace: run.namespace,
    taskQueue: nonEmpty(a.taskQueue?.name) ?? run.taskQueue,
    arguments: plainPayloadList(a.input),
    headers: plainPayloadMap(a.header?.fields),
    randomnessSeed: randomnessSeedFromRunId(a.originalExecutionRunId ?? ''),
    identity: a.identity ?? '',
    attempt: a.attempt ?? 1,
    firstExecutionRunId: a.firstExecutionRunId ?? '',
    workflowTaskTimeoutMs,
    memo: plainPayloadMap(a.memo?.fields),
    searchAttributes: plainPayloadMap(a.searchAttributes?.indexedFields),
    startTimeMs,
    runStartTimeMs: startTimeMs,
  };
  if (run.failureExceptionTypeNames !== undefined && run.failureExceptionTypeNames.length > 0) job.failureExceptionTypeNames = [...run.failureExceptionTypeNames];
  return withOptionalStartFields(job, a, parentNamespace, run.namespace);
}

function withOptionalStartFields(job: InitializeWorkflowJob, a: StartedAttributes, parentNamespace: string, namespace: string): InitializeWorkflowJob {
  const set = <K extends keyof InitializeWorkflowJob>(key: K, value: InitializeWorkflowJob[K] | undefined): void => {
    if (value !== undefined) job[key] = value;
  };
  set('continuedFromExecutionRunId', nonEmpty(a.continuedExecutionRunId));
  set('parent', executionRef(parentNamespace, a.parentWorkflowExecution));
  set('root', executionRef(namespace, a.rootWorkflowExecution));
  set('cronSchedule', nonEmpty(a.cronSchedule));
  set('cronScheduleToScheduleIntervalMs', msOf(a.firstWorkflowTaskBackoff));
  set('workflowExecutionTimeoutMs', msOf(a.workflowExecutionTimeout));
  set('workflowExecutionExpirationTimeMs', msOf(a.workflowExecutionExpirationTime));
  set('workflowRunTimeoutMs', msOf(a.workflowRunTimeout));
  set('retryPolicy', a.retryPolicy ? plainRetryPolicy(a.retryPolicy) : undefined);
  set('lastCompletionResult', a.lastCompletionResult ? plainPayloadList(a.lastCompletionResult) : undefined);
  set('continuedFailure', a.continuedFailure ? plainFailure(a.continuedFailure) : undefined);
  set('priority', decodePriority(a.priority));
  return job;
}

/** The signalWorkflow job for a WorkflowExecutionSignaled event. */
export function signalJob(event: HistoryEvent): ActivationJob {
  const a = event.workflowExecutionSignaledEventAttributes;
  return {
    kind: 'signalWorkflow',
    signalName: a?.signalName ?? '',
    input: plainPayloadList(a?.input),
    identity: a?.identity ?? '',
    headers: plainPayloadMap(a?.header?.fields),
  };
}

/** The cancelWorkflow job for a WorkflowExecutionCancelRequested event. */
export function cancelJob(event: HistoryEvent): ActivationJob {
  return { kind: 'cancelWorkflow', reason: event.workflowExecutionCancelRequestedEventAttributes?.cause ?? '' };
}

/** A queryWorkflow job. */
export function queryJob(queryId: string, query: IWorkflowQuery): ActivationJob {
  return {
    kind: 'queryWorkflow',
    queryId,
    queryType: query.queryType ?? '',
    arguments: plainPayloadList(query.queryArgs),
    headers: plainPayloadMap(query.header?.fields),
  };
}

function jobRank(job: ActivationJob): number {
  switch (job.kind) {
    case 'initializeWorkflow':
      return 0;
    case 'notifyHasPatch':
      return 1;
    case 'updateRandomSeed':
      return 2;
    case 'signalWorkflow':
    case 'doUpdate':
      return 3;
    case 'resolveActivity':
      return job.isLocal ? 5 : 4;
    case 'queryWorkflow':
      return 6;
    default:
      return 4;
  }
}

/**
 * Jobs in the order the runtime applies them: initializeWorkflow, notifyHasPatch, updateRandomSeed,
 * signals and updates, other resolutions in history order, local activity resolutions, queries.
 */
export function orderJobs(jobs: readonly ActivationJob[]): ActivationJob[] {
  return jobs
    .map((job, i) => ({ job, i, rank: jobRank(job) }))
    .sort((a, b) => a.rank - b.rank || a.i - b.i)
    .map((x) => x.job);
}
