/** The workflow-task lifecycle: schedule, start (poll), complete, fail, time out. */
import { durationFromMs } from '../../proto/index.js';
import { invalidArgument, notFound, workflowCompleted } from '../errors.js';
import { TaskKind, type TaskRow } from '../store/store.js';
import { EventType, TimeoutType, WorkflowTaskFailedCause } from './enums.js';
import type { IFailure } from './proto-types.js';
import type { Run } from './run.js';
import { clearSticky, placeWorkflowTask, stickinessAtStart, STICKY_TIMEOUT_TIMER } from './sticky.js';
import { decodeToken, type WorkflowTaskToken } from './tokens.js';
import type { Tx } from './tx.js';
import { deliverUpdates, redeliverUpdates } from './updates.js';

/** The first-task backoff ended: the run gets its first workflow task. */
export function endFirstTaskBackoff(run: Run): void {
  run.state.firstTaskBackoff = false;
  scheduleWorkflowTask(run);
}

/** Timer kind for the workflow task start-to-close timeout. */
export const WFT_TIMEOUT_TIMER = 'wft-timeout';

/**
 * The start-to-close timeout of a workflow task attempt: the configured one, plus — after attempt 3 —
 * a backoff from 5 s doubling per attempt and capped at 10 minutes, so failing tasks slow down.
 */
export function workflowTaskTimeoutMs(baseMs: number, attempt: number): number {
  if (attempt <= 3) return baseMs;
  return baseMs + Math.min(5000 * 2 ** (attempt - 4), 10 * 60 * 1000);
}

/**
 * Schedules a workflow task unless one is already scheduled or started (or the run is closed).
 * Writes WorkflowTaskScheduled and a task for the run's queue: its sticky queue (with a
 * schedule-to-start timeout) when it has one, else its normal queue (see sticky.ts).
 */
export function scheduleWorkflowTask(run: Run, attempt = 1): void {
  const s = run.state;
  if (!run.isOpen || s.wft !== undefined || s.firstTaskBackoff) return;
  const timeoutMs = workflowTaskTimeoutMs(s.workflowTaskTimeoutMs, attempt);
  const place = placeWorkflowTask(run);
  const scheduledEventId = run.addEvent(EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED, {
    taskQueue: place.eventQueue,
    startToCloseTimeout: durationFromMs(timeoutMs),
    attempt,
  });
  s.wft = {
    scheduledEventId,
    startedEventId: 0,
    attempt,
    taskQueue: place.eventQueue.name ?? s.taskQueue,
    scheduledTime: run.tx.now,
    startedTime: 0,
    requestId: '',
    identity: '',
    timeoutMs,
  };
  if (place.scheduleToStartMs !== undefined) {
    run.tx.addTimer(run, run.tx.now + place.scheduleToStartMs, STICKY_TIMEOUT_TIMER, { s: scheduledEventId, a: attempt });
  }
  run.tx.addTask(run, TaskKind.Workflow, place.dispatchQueue, scheduledEventId, attempt);
}

/**
 * Starts the workflow task a task row points at: writes WorkflowTaskStarted and arms the
 * start-to-close timeout. Returns the run, or undefined when the row is stale (or was moved off a
 * sticky queue the run no longer uses). `stickyPoll`: the poll was on a sticky queue.
 */
export function startWorkflowTask(tx: Tx, task: TaskRow, identity: string, requestId: string, stickyPoll = false): Run | undefined {
  const run = tx.loadRun(task.namespace, task.runId);
  const wft = run?.state.wft;
  if (!run || !run.isOpen || !wft || wft.scheduledEventId !== task.ref || wft.startedEventId !== 0) return undefined;
  if (stickinessAtStart(run, task, stickyPoll) === 'moved') return undefined;
  // The task started: its sticky schedule-to-start timeout (if any) is moot.
  tx.store.deleteTimersOfKind(run.namespace, run.state.runId, STICKY_TIMEOUT_TIMER);
  const startedEventId = run.addEvent(EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED, {
    scheduledEventId: wft.scheduledEventId,
    identity,
    requestId,
    historySizeBytes: run.state.historySizeBytes,
    suggestContinueAsNew: run.state.nextEventId > 4096 || run.state.historySizeBytes > 4 * 1024 * 1024,
  });
  Object.assign(wft, { startedEventId, startedTime: tx.now, identity, requestId });
  run.deliveredMessages = deliverUpdates(run, startedEventId);
  tx.addTimer(run, tx.now + wft.timeoutMs, WFT_TIMEOUT_TIMER, { s: wft.scheduledEventId, t: startedEventId, a: wft.attempt });
  return run;
}

/**
 * Resolves a workflow task token to its run, checking that the task is the run's current started
 * task. Stale or unknown tasks get NOT_FOUND, as Temporal answers them (the worker then evicts).
 */
export function runForWorkflowTask(tx: Tx, tokenBytes: Uint8Array | null | undefined): { run: Run; token: WorkflowTaskToken } {
  const token = decodeToken(tokenBytes, 'w');
  const run = tx.loadRun(token.ns, token.rid);
  if (!run) throw notFound(`workflow execution not found for workflow ID "${token.wid}" and run ID "${token.rid}"`);
  if (!run.isOpen) throw workflowCompleted();
  const wft = run.state.wft;
  if (!wft || wft.scheduledEventId !== token.s || wft.startedEventId !== token.t || wft.attempt !== token.a) {
    throw notFound('Workflow task not found.');
  }
  return { run, token };
}

/**
 * Writes WorkflowTaskFailed for the run's started task, flushes buffered events and schedules the
 * next attempt (attempt + 1; back to 1 when new events arrived meanwhile).
 */
export function failWorkflowTask(run: Run, cause: number, failure: IFailure | undefined, identity: string): void {
  const wft = run.state.wft;
  if (!wft || wft.startedEventId === 0) throw invalidArgument('no started workflow task to fail');
  run.addEvent(EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED, {
    scheduledEventId: wft.scheduledEventId,
    startedEventId: wft.startedEventId,
    cause,
    failure,
    identity,
  });
  endWorkflowTaskAttempt(run, wft.attempt);
}

/**
 * A sticky workflow task's schedule-to-start timer fired and the task has not started (its worker
 * is gone): WorkflowTaskTimedOut{SCHEDULE_TO_START} with no started event, stickiness cleared, and
 * the task scheduled again on the normal queue, where any worker gets the full history. The attempt
 * is not incremented (a sticky task is always a first attempt).
 */
export function timeOutStickyWorkflowTask(run: Run, data: Record<string, unknown>): void {
  const wft = run.state.wft;
  if (!run.isOpen || !wft || wft.scheduledEventId !== data.s || wft.startedEventId !== 0 || wft.attempt !== data.a) return;
  run.addEvent(EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT, {
    scheduledEventId: wft.scheduledEventId,
    startedEventId: 0,
    timeoutType: TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START,
  });
  run.tx.store.deleteTasksOf(run.namespace, run.state.runId, TaskKind.Workflow, wft.scheduledEventId);
  clearSticky(run);
  run.state.wft = undefined;
  scheduleWorkflowTask(run, 1);
}

/** The workflow task's start-to-close timer fired: WorkflowTaskTimedOut and a new attempt. */
export function timeOutWorkflowTask(run: Run, data: Record<string, unknown>): void {
  const wft = run.state.wft;
  if (!run.isOpen || !wft || wft.scheduledEventId !== data.s || wft.startedEventId !== data.t || wft.attempt !== data.a) {
    return;
  }
  run.addEvent(EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT, {
    scheduledEventId: wft.scheduledEventId,
    startedEventId: wft.startedEventId,
    timeoutType: TimeoutType.TIMEOUT_TYPE_START_TO_CLOSE,
  });
  endWorkflowTaskAttempt(run, wft.attempt);
}

/**
 * After a failed or timed-out task: flush buffered events and schedule the next attempt (attempt + 1;
 * back to 1 when new events arrived meanwhile). A sticky run loses its stickiness instead of an
 * attempt: the retry goes to the normal queue as a first attempt, as Temporal does.
 */
function endWorkflowTaskAttempt(run: Run, attempt: number): void {
  run.state.wft = undefined;
  redeliverUpdates(run);
  const hadNewEvents = run.hasBufferedEvents;
  run.flushBuffer();
  const wasSticky = clearSticky(run);
  scheduleWorkflowTask(run, hadNewEvents || wasSticky ? 1 : attempt + 1);
}

/**
 * Ends a started workflow task because the run is being closed from outside (terminate, timeout):
 * WorkflowTaskFailed{FORCE_CLOSE_COMMAND}, then the buffered events.
 */
export function forceCloseWorkflowTask(run: Run): void {
  const wft = run.state.wft;
  if (wft && wft.startedEventId > 0) {
    run.addEvent(EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED, {
      scheduledEventId: wft.scheduledEventId,
      startedEventId: wft.startedEventId,
      cause: WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_FORCE_CLOSE_COMMAND,
    });
  }
  run.state.wft = undefined;
  run.flushBuffer();
}
