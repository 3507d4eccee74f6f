/** Activities on the server: scheduling, dispatch, heartbeats, completion, retries, timeouts, cancellation. */
import { decodePriority } from '../../common/priority.js';
import { validatePriority } from './priority.js';
import { randomUUID } from 'node:crypto';
import { durationFromMs, msFromDuration } from '../../proto/index.js';
import { invalidArgument, notFound } from '../errors.js';
import { TaskKind, type TaskRow } from '../store/store.js';
import { failureCodec, payloadsCodec } from './codec.js';
import { EventType, RetryState, TaskQueueKind, TimeoutType, WorkflowTaskFailedCause, enumName } from './enums.js';
import { CommandFailure } from './command-failure.js';
import { jsonPayload } from './codec.js';
import type { IFailure, IPayloads } from './proto-types.js';
import { decideRetry, normalizeRetryPolicy, retryPolicyToProto } from './retry.js';
import { PENDING_STARTED_ID, type Run } from './run.js';
import { activityKey, type ActivityState } from './state.js';
import { normalizeActivityTimeouts } from './timeouts.js';
import { decodeToken } from './tokens.js';
import type { Tx } from './tx.js';
import { scheduleWorkflowTask } from './workflow-task.js';
import type { ProtoTypes } from '../../proto/index.js';

type ScheduleAttrs = ProtoTypes.temporal.api.command.v1.IScheduleActivityTaskCommandAttributes;

export const ACTIVITY_TIMEOUT_TIMER = 'activity-timeout';
export const ACTIVITY_RETRY_TIMER = 'activity-retry';

/**
 * Handles a ScheduleActivityTask command: ActivityTaskScheduled, a task and its timers. With `eager`
 * (the command asked for eager execution and the server allows it) no task is queued: the caller
 * starts the activity with {@link startEagerActivity} once every command of the workflow task is
 * applied, and returns it in the completion's response. Returns the scheduled event id.
 */
export function scheduleActivity(run: Run, attrs: ScheduleAttrs, completedEventId: number, eager = false): number {
  const s = run.state;
  const activityId = attrs.activityId ?? '';
  if (!activityId) throw invalidArgument('ActivityId is not set on ScheduleActivityTaskCommand.');
  if (!attrs.activityType?.name) throw invalidArgument(`ActivityType is not set on ScheduleActivityTaskCommand. ActivityId=${activityId}`);
  if (Object.values(s.activities).some((a) => a.activityId === activityId)) {
    throw new CommandFailure(
      WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_SCHEDULE_ACTIVITY_DUPLICATE_ID,
      `Activity with ActivityId ${activityId} is already pending.`,
    );
  }
  const taskQueue = attrs.taskQueue?.name || s.taskQueue;
  const t = normalizeActivityTimeouts(
    {
      scheduleToCloseMs: msFromDuration(attrs.scheduleToCloseTimeout) ?? 0,
      scheduleToStartMs: msFromDuration(attrs.scheduleToStartTimeout) ?? 0,
      startToCloseMs: msFromDuration(attrs.startToCloseTimeout) ?? 0,
      heartbeatMs: msFromDuration(attrs.heartbeatTimeout) ?? 0,
    },
    s.runTimeoutMs,
    activityId,
  );
  const retry = normalizeRetryPolicy(attrs.retryPolicy, `ActivityId=${activityId}`);
  validatePriority(attrs.priority);
  const scheduledEventId = run.addEvent(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED, {
    activityId,
    activityType: { name: attrs.activityType.name },
    taskQueue: { name: taskQueue, kind: TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
    header: attrs.header,
    input: attrs.input,
    scheduleToCloseTimeout: durationFromMs(t.scheduleToCloseMs),
    scheduleToStartTimeout: durationFromMs(t.scheduleToStartMs),
    startToCloseTimeout: durationFromMs(t.startToCloseMs),
    heartbeatTimeout: durationFromMs(t.heartbeatMs),
    workflowTaskCompletedEventId: completedEventId,
    retryPolicy: retryPolicyToProto(retry),
    priority: attrs.priority,
  });
  const priority = decodePriority(attrs.priority);
  const activity = newActivityState(run, { scheduledEventId, activityId, activityType: attrs.activityType.name, taskQueue, ...t, retry, ...(priority && { priority }) });
  armActivity(run, activity, eager);
  return scheduledEventId;
}

/** What an activity is scheduled with: its ids, queue, timeouts (ms) and retry policy. */
export type ActivitySchedule = Pick<
  ActivityState,
  'scheduledEventId' | 'activityId' | 'activityType' | 'taskQueue' | 'scheduleToCloseMs' | 'scheduleToStartMs' | 'startToCloseMs' | 'heartbeatMs' | 'retry' | 'priority'
>;

/** Adds a just-scheduled activity (attempt 1, scheduled now) to the run's pending activities. */
export function newActivityState(run: Run, schedule: ActivitySchedule): ActivityState {
  const now = run.tx.now;
  const activity: ActivityState = {
    ...schedule,
    attempt: 1,
    phase: 'scheduled',
    scheduledTime: now,
    currentAttemptScheduledTime: now,
    startedTime: 0,
    startedIdentity: '',
    startedRequestId: '',
    heartbeatDetails: undefined,
    lastHeartbeatTime: 0,
    lastFailure: undefined,
    lastWorkerIdentity: '',
    cancelRequested: false,
    cancelRequestedEventId: 0,
    nextAttemptScheduleTime: 0,
  };
  run.state.activities[activityKey(schedule.scheduledEventId)] = activity;
  return activity;
}

/** Queues a just-scheduled activity's first attempt (unless it starts eagerly) and arms its schedule-to-close timer. */
export function armActivity(run: Run, activity: ActivityState, eager = false): void {
  if (!eager) dispatchAttempt(run, activity);
  if (activity.scheduleToCloseMs > 0) {
    run.tx.addTimer(run, run.tx.now + activity.scheduleToCloseMs, ACTIVITY_TIMEOUT_TIMER, {
      s: activity.scheduledEventId,
      a: 0,
      type: TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_CLOSE,
    });
  }
}

/** Puts the activity's current attempt on its task queue, with its schedule-to-start timer. */
export function dispatchAttempt(run: Run, a: ActivityState): void {
  a.phase = 'scheduled';
  a.currentAttemptScheduledTime = run.tx.now;
  run.tx.addTask(run, TaskKind.Activity, a.taskQueue, a.scheduledEventId, a.attempt);
  if (a.scheduleToStartMs > 0 && (a.scheduleToCloseMs === 0 || a.scheduleToStartMs < a.scheduleToCloseMs)) {
    run.tx.addTimer(run, run.tx.now + a.scheduleToStartMs, ACTIVITY_TIMEOUT_TIMER, {
      s: a.scheduledEventId,
      a: a.attempt,
      type: TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START,
    });
  }
}

/** Starts the attempt a task row points at (poll). Returns the run and activity, or undefined if stale. */
export function startActivity(
  tx: Tx,
  task: TaskRow,
  identity: string,
  requestId: string,
): { run: Run; activity: ActivityState } | undefined {
  const run = tx.loadRun(task.namespace, task.runId);
  const a = run?.state.activities[activityKey(task.ref)];
  if (!run || !run.isOpen || !a || a.attempt !== task.attempt || a.phase !== 'scheduled') return undefined;
  startAttempt(run, a, identity, requestId);
  return { run, activity: a };
}

/**
 * Starts an activity scheduled eagerly by the workflow task that `identity` is completing, unless
 * that task also closed the run or canceled the activity. Returns it, or undefined.
 */
export function startEagerActivity(run: Run, scheduledEventId: number, identity: string): ActivityState | undefined {
  const a = run.state.activities[activityKey(scheduledEventId)];
  if (!run.isOpen || !a || a.phase !== 'scheduled') return undefined;
  startAttempt(run, a, identity, randomUUID());
  return a;
}

/** The attempt starts: its start-to-close and heartbeat timers run from now. */
function startAttempt(run: Run, a: ActivityState, identity: string, requestId: string): void {
  const tx = run.tx;
  Object.assign(a, {
    phase: 'started',
    startedTime: tx.now,
    startedIdentity: identity,
    lastWorkerIdentity: identity,
    startedRequestId: requestId,
    lastHeartbeatTime: tx.now,
  });
  const timer = (type: number, ms: number): void =>
    tx.addTimer(run, tx.now + ms, ACTIVITY_TIMEOUT_TIMER, { s: a.scheduledEventId, a: a.attempt, type });
  timer(TimeoutType.TIMEOUT_TYPE_START_TO_CLOSE, a.startToCloseMs);
  if (a.heartbeatMs > 0 && a.heartbeatMs < a.startToCloseMs) timer(TimeoutType.TIMEOUT_TYPE_HEARTBEAT, a.heartbeatMs);
  tx.effects.runChanged(run.namespace, run.state.runId);
}

export interface ActivityRef {
  readonly run: Run;
  readonly activity: ActivityState;
}

/** Resolves an activity task token to its started attempt (NOT_FOUND when stale or closed). */
export function activityByToken(tx: Tx, tokenBytes: Uint8Array | null | undefined): ActivityRef {
  const token = decodeToken(tokenBytes, 'a');
  const run = tx.loadRun(token.ns, token.rid);
  const a = run?.state.activities[activityKey(token.s)];
  if (!run || !run.isOpen || !a || a.attempt !== token.a || a.phase !== 'started') {
    throw notFound('invalid activityID or activity already timed out or invoking workflow is completed');
  }
  return { run, activity: a };
}

/** Resolves `(workflowId, runId?, activityId)` to a started activity, for the *ById calls. */
export function activityById(tx: Tx, namespace: string, workflowId: string, runId: string, activityId: string): ActivityRef {
  if (!workflowId) throw invalidArgument('WorkflowId is not set on request.');
  if (!activityId) throw invalidArgument('ActivityId is not set on request.');
  const run = tx.resolveRun(namespace, { workflowId, runId });
  const a = Object.values(run.state.activities).find((x) => x.activityId === activityId);
  if (!run.isOpen || !a || a.phase !== 'started') {
    throw notFound('invalid activityID or activity already timed out or invoking workflow is completed');
  }
  return { run, activity: a };
}

/**
 * Closes an activity: writes the deferred ActivityTaskStarted (when it started) and the close event,
 * both buffered while a workflow task runs, then schedules a workflow task.
 */
function closeActivity(ref: ActivityRef, eventType: number, attributes: Record<string, unknown>): void {
  const { run, activity: a } = ref;
  let startedEventId = 0;
  if (a.phase === 'started') {
    startedEventId =
      run.addExternalEvent(EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED, {
        scheduledEventId: a.scheduledEventId,
        identity: a.startedIdentity,
        requestId: a.startedRequestId,
        attempt: a.attempt,
        lastFailure: failureCodec.unpack(a.lastFailure),
      }, a.startedTime) || PENDING_STARTED_ID;
  }
  run.addExternalEvent(eventType, { ...attributes, scheduledEventId: a.scheduledEventId, startedEventId });
  delete run.state.activities[activityKey(a.scheduledEventId)];
  scheduleWorkflowTask(run);
}

export function completeActivity(ref: ActivityRef, result: IPayloads | null | undefined, identity: string): void {
  closeActivity(ref, EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED, { result, identity });
}

export function cancelActivity(ref: ActivityRef, details: IPayloads | null | undefined, identity: string): void {
  closeActivity(ref, EventType.EVENT_TYPE_ACTIVITY_TASK_CANCELED, {
    details,
    identity,
    latestCancelRequestedEventId: ref.activity.cancelRequestedEventId,
  });
}

/** A failed attempt: retried per the policy (no event), or closed with ActivityTaskFailed. */
export function failActivity(
  ref: ActivityRef,
  failure: IFailure | null | undefined,
  lastHeartbeatDetails: IPayloads | null | undefined,
  identity: string,
): void {
  const a = ref.activity;
  if (lastHeartbeatDetails) a.heartbeatDetails = payloadsCodec.pack(lastHeartbeatDetails);
  if (retryOrFalse(ref, failure ?? undefined)) return;
  closeActivity(ref, EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED, {
    failure,
    identity,
    retryState: lastRetryState(ref, failure ?? undefined),
  });
}

/** What a heartbeat's response tells the activity. */
export interface HeartbeatAnswer {
  cancelRequested: boolean;
  activityPaused: boolean;
  activityReset: boolean;
}

/** Records a heartbeat; answers whether cancellation was requested, or an operator paused or reset the activity. */
export function heartbeatActivity(ref: ActivityRef, details: IPayloads | null | undefined): HeartbeatAnswer {
  const a = ref.activity;
  if (details) a.heartbeatDetails = payloadsCodec.pack(details);
  a.lastHeartbeatTime = ref.run.tx.now;
  return { cancelRequested: a.cancelRequested, activityPaused: a.pause !== undefined, activityReset: a.resetRequested === true };
}

function expirationOf(a: ActivityState): number {
  return a.scheduleToCloseMs > 0 ? a.scheduledTime + a.scheduleToCloseMs : 0;
}

/** Schedules the next attempt when the policy allows; returns false when the activity must close. */
function retryOrFalse(ref: ActivityRef, failure: IFailure | undefined): boolean {
  const { run, activity: a } = ref;
  const decision = decideRetry(a.retry, a.attempt, failure, run.tx.now, expirationOf(a), a.cancelRequested);
  // A reset attempt starts over at attempt 1, at once (unless its workflow asked to cancel it); a
  // paused one waits, its attempt counted, for UnpauseActivity.
  const reset = a.resetRequested === true && !a.cancelRequested;
  a.resetRequested = undefined;
  if (decision.retryState !== RetryState.RETRY_STATE_IN_PROGRESS && !reset) return false;
  a.lastFailure = failureCodec.pack(failure);
  a.startedTime = 0;
  a.attempt = reset ? 1 : a.attempt + 1;
  if (a.pause) {
    a.phase = 'paused';
    return true;
  }
  if (reset) {
    dispatchAttempt(run, a);
    return true;
  }
  a.phase = 'backoff';
  a.nextAttemptScheduleTime = run.tx.now + decision.delayMs;
  run.tx.addTimer(run, a.nextAttemptScheduleTime, ACTIVITY_RETRY_TIMER, { s: a.scheduledEventId, a: a.attempt });
  return true;
}

function lastRetryState(ref: ActivityRef, failure: IFailure | undefined): number {
  const a = ref.activity;
  return decideRetry(a.retry, a.attempt, failure, ref.run.tx.now, expirationOf(a), a.cancelRequested).retryState;
}

/** The retry backoff of an attempt ended: dispatch it. */
export function onActivityRetryTimer(run: Run, data: Record<string, unknown>): void {
  const a = run.state.activities[activityKey(Number(data.s))];
  if (!run.isOpen || !a || a.phase !== 'backoff' || a.attempt !== data.a) return;
  dispatchAttempt(run, a);
}

/** One of an activity's timeouts fired. Stale timers (other attempt, already closed) are ignored. */
export function onActivityTimeoutTimer(run: Run, data: Record<string, unknown>): void {
  const a = run.state.activities[activityKey(Number(data.s))];
  if (!run.isOpen || !a) return;
  const type = Number(data.type);
  if (type === TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_CLOSE) return timeOutActivity({ run, activity: a }, type, false);
  if (a.attempt !== data.a) return;
  if (type === TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START) {
    if (a.phase === 'scheduled') timeOutActivity({ run, activity: a }, type, false);
    return;
  }
  if (a.phase !== 'started') return;
  if (type === TimeoutType.TIMEOUT_TYPE_HEARTBEAT) {
    const deadline = a.lastHeartbeatTime + a.heartbeatMs;
    if (deadline > run.tx.now) {
      run.tx.addTimer(run, deadline, ACTIVITY_TIMEOUT_TIMER, data);
      return;
    }
  }
  timeOutActivity({ run, activity: a }, type, true);
}

function timeOutActivity(ref: ActivityRef, timeoutType: number, retryable: boolean): void {
  const a = ref.activity;
  const failure: IFailure = {
    message: `activity ${enumName(TimeoutType, timeoutType)} timeout`,
    timeoutFailureInfo: { timeoutType, lastHeartbeatDetails: payloadsCodec.unpack(a.heartbeatDetails) },
    cause: timeoutType === TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_CLOSE ? failureCodec.unpack(a.lastFailure) : undefined,
  };
  if (retryable && retryOrFalse(ref, failure)) return;
  closeActivity(ref, EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT, {
    failure,
    retryState: retryable ? lastRetryState(ref, failure) : RetryState.RETRY_STATE_TIMEOUT,
  });
}

/**
 * Handles a RequestCancelActivityTask command: ActivityTaskCancelRequested; an activity that has not
 * started is canceled at once (ActivityTaskCanceled) and the caller must schedule a new task.
 * Returns true in that case.
 */
export function requestCancelActivity(run: Run, scheduledEventId: number, completedEventId: number, identity: string): boolean {
  const a = run.state.activities[activityKey(scheduledEventId)];
  if (!a && run.bufferedEventRefersTo(scheduledEventId)) {
    // It closed while this task ran: record the request; the buffered close event resolves it.
    run.addEvent(EventType.EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED, { scheduledEventId, workflowTaskCompletedEventId: completedEventId });
    return false;
  }
  if (!a) {
    throw invalidArgument(`RequestCancelActivityTask: no pending activity with scheduled event id ${scheduledEventId}.`);
  }
  const requestedId = run.addEvent(EventType.EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED, {
    scheduledEventId,
    workflowTaskCompletedEventId: completedEventId,
  });
  a.cancelRequested = true;
  a.cancelRequestedEventId = requestedId;
  if (a.phase === 'started') return false;
  run.addEvent(EventType.EVENT_TYPE_ACTIVITY_TASK_CANCELED, {
    scheduledEventId,
    startedEventId: 0,
    latestCancelRequestedEventId: requestedId,
    details: { payloads: [jsonPayload('ACTIVITY_ID_NOT_STARTED')] },
    identity,
  });
  delete run.state.activities[activityKey(scheduledEventId)];
  return true;
}
