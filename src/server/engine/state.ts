/**
 * The mutable state of one workflow run, stored as JSON in the `executions` table. Payload-carrying
 * fields are base64-encoded protobuf bytes (see codec.ts); everything else is plain data.
 */
import type { Priority } from '../../common/priority.js';

/** The current workflow task of a run: scheduled (startedEventId 0) or started. */
export interface WorkflowTaskState {
  scheduledEventId: number;
  /** 0 while only scheduled. */
  startedEventId: number;
  attempt: number;
  /** The queue the task was scheduled on (the run's sticky queue, or its normal queue). */
  taskQueue: string;
  scheduledTime: number;
  startedTime: number;
  /** The request id of the poll that started the task (idempotent re-delivery). */
  requestId: string;
  identity: string;
  timeoutMs: number;
}

export interface ActivityRetryPolicy {
  initialIntervalMs: number;
  backoffCoefficient: number;
  maximumIntervalMs: number;
  maximumAttempts: number;
  nonRetryableErrorTypes: string[];
}

/** A pending activity: scheduled, started, or waiting out a retry backoff. */
export interface ActivityState {
  scheduledEventId: number;
  activityId: string;
  activityType: string;
  taskQueue: string;
  attempt: number;
  /** `paused`: not started and held by an operator's PauseActivity (no task, no retry timer). */
  phase: 'scheduled' | 'started' | 'backoff' | 'paused';
  scheduledTime: number;
  currentAttemptScheduledTime: number;
  startedTime: number;
  startedIdentity: string;
  startedRequestId: string;
  scheduleToStartMs: number;
  scheduleToCloseMs: number;
  startToCloseMs: number;
  heartbeatMs: number;
  retry: ActivityRetryPolicy;
  /** base64 Payloads */
  heartbeatDetails: string | undefined;
  lastHeartbeatTime: number;
  /** base64 Failure of the previous attempt */
  lastFailure: string | undefined;
  lastWorkerIdentity: string;
  cancelRequested: boolean;
  cancelRequestedEventId: number;
  nextAttemptScheduleTime: number;
  /** Set by PauseActivity, cleared by UnpauseActivity (or ResetActivity without keepPaused). */
  pause?: ActivityPause;
  /** ResetActivity reached a started attempt: its heartbeats say so, and its failure retries at attempt 1 at once. */
  resetRequested?: boolean;
  /** The activity's own priority (its workflow's fills the fields it leaves unset). */
  priority?: Priority;
}

/** Who paused an activity, when and why. */
export interface ActivityPause {
  time: number;
  identity: string;
  reason: string;
  requestId: string;
}

export interface UserTimerState {
  startedEventId: number;
  fireAt: number;
}

/** A child workflow the run started, until the child's final run closes. */
export interface ChildState {
  initiatedEventId: number;
  namespace: string;
  workflowId: string;
  workflowType: string;
  /** Run id once started (ChildWorkflowExecutionStarted written). */
  runId: string;
  startedEventId: number;
  /** temporal.api.enums.v1.ParentClosePolicy */
  parentClosePolicy: number;
}

/** A workflow update: admitted, delivered on a task, accepted, then completed (or rejected). */
export interface UpdateState {
  phase: 'admitted' | 'sent' | 'accepted' | 'completed';
  /** base64 temporal.api.update.v1.Request */
  request: string;
  /** The WorkflowTaskStarted event id the request was delivered with (sequencing id + 1). */
  sentWithStartedEventId: number;
  acceptedEventId: number;
  /** base64 temporal.api.update.v1.Outcome, once completed or rejected. */
  outcome: string | undefined;
}

export interface ExecutionState {
  namespace: string;
  workflowId: string;
  runId: string;
  firstExecutionRunId: string;
  workflowType: string;
  taskQueue: string;
  /** temporal.api.enums.v1.WorkflowExecutionStatus */
  status: number;
  startTime: number;
  executionTime: number;
  closeTime: number;
  startRequestId: string;
  nextEventId: number;
  historySizeBytes: number;
  /** The first workflow task waits for a start delay, retry or cron backoff to end. */
  firstTaskBackoff: boolean;
  /** WorkflowTaskStarted id of the last completed workflow task (previous_started_event_id). */
  lastCompletedWftStartedId: number;
  /** The event id of the last WorkflowTaskCompleted (0 if none). */
  lastCompletedWftEventId: number;
  wft: WorkflowTaskState | undefined;
  /**
   * The worker's sticky queue, set by a workflow task completion with sticky attributes and cleared
   * by one without, by a failed or timed-out task, by ResetStickyTaskQueue, or when a task is taken
   * from the normal queue. Empty (or absent, in state saved before stickiness existed) when unset.
   */
  stickyTaskQueue?: string;
  /** Schedule-to-start timeout of tasks on the sticky queue (ms). */
  stickyScheduleToStartMs?: number;
  /** base64 HistoryEvents (without ids) written while a workflow task was started. */
  buffered: string[];
  activities: Record<string, ActivityState>;
  timers: Record<string, UserTimerState>;
  cancelRequested: boolean;
  signalRequestIds: string[];
  runTimeoutMs: number;
  executionTimeoutMs: number;
  workflowTaskTimeoutMs: number;
  /** Epoch ms after which the execution (all runs) times out; 0 for none. */
  executionExpirationTime: number;
  /** base64 SearchAttributes (indexed fields) */
  searchAttributes: string | undefined;
  /** base64 Memo */
  memo: string | undefined;
  /** Run attempt: 1, +1 per workflow retry. */
  attempt: number;
  /** The workflow retry policy given at start (retries only happen when set). */
  retryPolicy: ActivityRetryPolicy | undefined;
  cronSchedule: string;
  /** Updates by update id (kept after completion so polls and retries find their outcome). */
  updates: Record<string, UpdateState>;
  /** Pending children by their Initiated event id. */
  children: Record<string, ChildState>;
  /** The closing event id once closed. */
  closeEventId: number;
  /** Parent and root executions (children only have a parent). */
  parentNamespace: string | undefined;
  parentWorkflowId: string | undefined;
  parentRunId: string | undefined;
  /** The parent's StartChildWorkflowExecutionInitiated event id. */
  parentInitiatedEventId: number;
  rootWorkflowId: string;
  rootRunId: string;
  /** Runs this run was reset into, by ResetWorkflowExecution request id (a repeated request gets the same run). */
  resets?: Record<string, string>;
  /** The run's priority, if any field of it is set (given at start, or kept from the run it continues). */
  priority?: Priority;
}

/** Key of a pending activity in {@link ExecutionState.activities}. */
export const activityKey = (scheduledEventId: number): string => String(scheduledEventId);
