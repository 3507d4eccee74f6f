/** Signals, cancel requests, termination, run timeouts and closing a run. */
import { randomUUID } from 'node:crypto';
import { notFound, workflowCompleted } from '../errors.js';
import { EventType, ExecutionStatus, RetryState } from './enums.js';
import type { IHeader, IPayloads } from './proto-types.js';
import type { Run } from './run.js';
import { forceCloseWorkflowTask, scheduleWorkflowTask } from './workflow-task.js';

/** How many signal request ids a run remembers for deduplication. */
const MAX_REMEMBERED_SIGNAL_REQUESTS = 1000;

/** Marks a run closed with `status`: drops its tasks, timers and pending activities. */
export function closeRun(run: Run, status: number, closeEventId: number): void {
  const s = run.state;
  s.status = status;
  s.closeTime = run.tx.now;
  s.closeEventId = closeEventId;
  s.wft = undefined;
  s.activities = {};
  s.timers = {};
  run.tx.dropTasksAndTimers(run);
}

/** Checks `first_execution_run_id` against the run's chain (NOT_FOUND when it does not match). */
export function checkFirstExecutionRunId(run: Run, firstExecutionRunId: string | null | undefined): void {
  if (firstExecutionRunId && firstExecutionRunId !== run.state.firstExecutionRunId) {
    throw notFound(
      `workflow execution not found for workflow ID "${run.state.workflowId}" and first execution run ID "${firstExecutionRunId}"`,
    );
  }
}

export interface SignalInput {
  signalName: string;
  input: IPayloads | null | undefined;
  header: IHeader | null | undefined;
  identity: string;
  requestId: string;
}

/** Delivers a signal: WorkflowExecutionSignaled (buffered while a task runs) and a workflow task. */
export function signalRun(run: Run, signal: SignalInput): void {
  if (!run.isOpen) throw workflowCompleted();
  const ids = run.state.signalRequestIds;
  if (signal.requestId) {
    if (ids.includes(signal.requestId)) return;
    ids.push(signal.requestId);
    if (ids.length > MAX_REMEMBERED_SIGNAL_REQUESTS) ids.splice(0, ids.length - MAX_REMEMBERED_SIGNAL_REQUESTS);
  }
  run.addExternalEvent(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED, {
    signalName: signal.signalName,
    input: signal.input,
    identity: signal.identity,
    header: signal.header,
    requestId: signal.requestId || randomUUID(),
  });
  scheduleWorkflowTask(run);
}

/** Requests cancellation; idempotent, and a no-op on a closed run. */
export function requestCancelRun(run: Run, reason: string, identity: string): void {
  if (!run.isOpen || run.state.cancelRequested) return;
  run.state.cancelRequested = true;
  run.addExternalEvent(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED, { cause: reason, identity });
  scheduleWorkflowTask(run);
}

/** Terminates a running run at once. */
export function terminateRun(run: Run, reason: string, details: IPayloads | null | undefined, identity: string): void {
  if (!run.isOpen) throw workflowCompleted();
  forceCloseWorkflowTask(run);
  const eventId = run.addEvent(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED, { reason, details, identity });
  closeRun(run, ExecutionStatus.WORKFLOW_EXECUTION_STATUS_TERMINATED, eventId);
}

/** The run (or execution) timeout fired. */
export function timeOutRun(run: Run): void {
  if (!run.isOpen) return;
  forceCloseWorkflowTask(run);
  const eventId = run.addEvent(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT, {
    retryState: RetryState.RETRY_STATE_TIMEOUT,
  });
  closeRun(run, ExecutionStatus.WORKFLOW_EXECUTION_STATUS_TIMED_OUT, eventId);
}
