/**
 * Sticky execution, server side. A worker that caches runs completes each workflow task with
 * `sticky_attributes` naming its own sticky queue; the run's later workflow tasks are scheduled on
 * that queue (WorkflowTaskScheduled says so, kind STICKY) with a schedule-to-start timeout, and the
 * worker gets only the events after the last task it completed. Everything that could leave a task
 * stranded on a dead worker's queue sends it back to the run's normal queue: no recent poller on the
 * sticky queue at dispatch, the schedule-to-start timeout (see workflow-task.ts), ResetStickyTaskQueue
 * and ShutdownWorker. Legacy query tasks always use the normal queue with full history.
 *
 * @module
 */
import { msFromDuration, type ProtoTypes } from '../../proto/index.js';
import { workflowCompleted } from '../errors.js';
import { TaskKind } from '../store/store.js';
import { TaskQueueKind } from './enums.js';
import type { Run } from './run.js';
import type { ExecutionState } from './state.js';
import type { Tx } from './tx.js';

type IStickyExecutionAttributes = ProtoTypes.temporal.api.taskqueue.v1.IStickyExecutionAttributes;
type ITaskQueue = ProtoTypes.temporal.api.taskqueue.v1.ITaskQueue;

/** Timer kind of a sticky workflow task's schedule-to-start timeout. */
export const STICKY_TIMEOUT_TIMER = 'wft-sticky-schedule-to-start';

/** The run's sticky queue, or '' when it has none. */
export const stickyQueueOf = (s: ExecutionState): string => s.stickyTaskQueue ?? '';

/** Stores a completion's sticky queue and timeout, or clears stickiness when the completion names none. */
export function applyStickyAttributes(run: Run, attributes: IStickyExecutionAttributes | null | undefined): void {
  const name = attributes?.workerTaskQueue?.name ?? '';
  if (name === '') {
    clearSticky(run);
    return;
  }
  run.state.stickyTaskQueue = name;
  run.state.stickyScheduleToStartMs = Math.max(0, msFromDuration(attributes?.scheduleToStartTimeout) ?? 0);
}

/** Clears the run's sticky queue; returns whether one was set. */
export function clearSticky(run: Run): boolean {
  const wasSticky = stickyQueueOf(run.state) !== '';
  run.state.stickyTaskQueue = '';
  run.state.stickyScheduleToStartMs = 0;
  return wasSticky;
}

/** Where a new workflow task of a run goes. */
export interface WorkflowTaskPlacement {
  /** The task queue WorkflowTaskScheduled records (the sticky queue, kind STICKY, when the run is sticky). */
  readonly eventQueue: ITaskQueue;
  /** The queue the task is dispatched to: the normal queue when the sticky queue has had no poller lately. */
  readonly dispatchQueue: string;
  /** The sticky schedule-to-start timeout, when the task is sticky. */
  readonly scheduleToStartMs: number | undefined;
}

/**
 * Places a new workflow task as Temporal does: a sticky run's task is recorded on its sticky queue
 * (and gets a schedule-to-start timeout) but is dispatched to the normal queue when the sticky
 * queue has no poller, without clearing stickiness (taking it from the normal queue does that).
 */
export function placeWorkflowTask(run: Run): WorkflowTaskPlacement {
  const s = run.state;
  const sticky = stickyQueueOf(s);
  if (sticky === '') {
    return { eventQueue: { name: s.taskQueue, kind: TaskQueueKind.TASK_QUEUE_KIND_NORMAL }, dispatchQueue: s.taskQueue, scheduleToStartMs: undefined };
  }
  return {
    eventQueue: { name: sticky, kind: TaskQueueKind.TASK_QUEUE_KIND_STICKY, normalName: s.taskQueue },
    dispatchQueue: run.tx.stickyQueueAvailable(s.namespace, sticky) ? sticky : s.taskQueue,
    scheduleToStartMs: s.stickyScheduleToStartMs ?? 0,
  };
}

/**
 * Decides, as a poll takes a workflow task row, how the task starts. A task taken from the run's
 * sticky queue starts sticky (partial history). A task taken from the normal queue clears stickiness
 * (full history; the next completion sets it again), also when the poll called that queue sticky. A
 * row on a sticky queue the run no longer uses is moved to the normal queue and not started ('moved').
 */
export function stickinessAtStart(run: Run, row: { taskQueue: string; ref: number; attempt: number }, stickyPoll: boolean): 'sticky' | 'normal' | 'moved' {
  const sticky = stickyQueueOf(run.state);
  if (sticky !== '' && sticky === row.taskQueue) return 'sticky';
  // Moving a row that is already on the normal queue would put it back where the poll takes it from.
  if (stickyPoll && row.taskQueue !== run.state.taskQueue) {
    run.tx.addTask(run, TaskKind.Workflow, run.state.taskQueue, row.ref, row.attempt);
    return 'moved';
  }
  clearSticky(run);
  return 'normal';
}

/**
 * ShutdownWorker: the worker's sticky queue is gone. Its pending workflow tasks move to their runs'
 * normal queues at once (stale rows are dropped).
 */
export function moveStickyQueueTasks(tx: Tx, namespace: string, queue: string): void {
  for (const row of tx.store.tasksOnQueue(namespace, queue, TaskKind.Workflow)) {
    tx.store.deleteTask(row.id);
    const run = tx.loadRun(namespace, row.runId);
    const wft = run?.state.wft;
    if (!run || !run.isOpen || !wft || wft.scheduledEventId !== row.ref || wft.startedEventId !== 0) continue;
    tx.addTask(run, TaskKind.Workflow, run.state.taskQueue, row.ref, row.attempt);
  }
}

/**
 * ResetStickyTaskQueue: clears the run's sticky queue, and moves a task scheduled on it but not yet
 * started to the normal queue. (Temporal leaves such a task to its schedule-to-start timeout.)
 */
export function resetStickyTaskQueue(run: Run): void {
  if (!run.isOpen) throw workflowCompleted();
  const queue = stickyQueueOf(run.state);
  clearSticky(run);
  const wft = run.state.wft;
  if (queue === '' || !wft || wft.startedEventId !== 0) return;
  const tx = run.tx;
  for (const row of tx.store.tasksOnQueue(run.namespace, queue, TaskKind.Workflow)) {
    if (row.runId !== run.state.runId || row.ref !== wft.scheduledEventId) continue;
    tx.store.deleteTask(row.id);
    tx.addTask(run, TaskKind.Workflow, run.state.taskQueue, row.ref, row.attempt);
  }
}
