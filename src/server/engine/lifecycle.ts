/** Signals, cancel requests, termination, run timeouts and closing a run. */
import { randomUUID } from 'node:crypto';
import { longToNumber } from '../../proto/index.js';
import { notFound, workflowCompleted } from '../errors.js';
import { EventType, ExecutionStatus, eventAttributesField } from './enums.js';
import { timeOutRunWithRetry } from './chain.js';
import { applyParentClosePolicies, notifyParent } from './children.js';
import { failUpdatesOnClose } from './updates.js';
import { searchAttributesCodec } from './codec.js';
import { decodeSearchAttributePayload } from './search-attributes.js';
import { SCHEDULE_TIMER, scheduleTimerRunId } from '../schedules/record.js';
import type { IHeader, IPayloads } from './proto-types.js';
import type { Run } from './run.js';
import { forceCloseWorkflowTask, scheduleWorkflowTask } from './workflow-task.js';

/** How many signal request ids a run remembers for deduplication. */
const MAX_REMEMBERED_SIGNAL_REQUESTS = 1000;

/**
 * Marks a run closed with `status`: drops its tasks, timers and pending activities, applies its
 * children's parent close policies and, unless another run continues the chain, tells its parent.
 */
export function closeRun(run: Run, status: number, closeEventId: number, continued = false): void {
  const s = run.state;
  s.status = status;
  s.closeTime = run.tx.now;
  s.closeEventId = closeEventId;
  s.wft = undefined;
  s.activities = {};
  s.timers = {};
  run.tx.dropTasksAndTimers(run);
  failUpdatesOnClose(run);
  applyParentClosePolicies(run);
  s.children = {};
  if (!continued) notifyParent(run, closeEventAttributes(run, closeEventId));
  wakeSchedule(run);
}

/** A run started by a schedule closed: let the schedule start what it buffered. */
function wakeSchedule(run: Run): void {
  const payload = searchAttributesCodec.unpack(run.state.searchAttributes)?.indexedFields?.TemporalScheduledById;
  const scheduleId = payload ? decodeSearchAttributePayload(payload) : undefined;
  if (typeof scheduleId !== 'string') return;
  run.tx.store.insertTimer(run.tx.now, run.namespace, scheduleTimerRunId(scheduleId), SCHEDULE_TIMER, {});
  run.tx.effects.timersChanged = true;
}

function closeEventAttributes(run: Run, eventId: number): Record<string, unknown> {
  const event = run.newEvents.find((e) => longToNumber(e.eventId) === eventId);
  if (!event) return {};
  return (event as Record<string, unknown>)[eventAttributesField(event.eventType as number)] as Record<string, unknown>;
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
  /** The workflow that sent it (SignalExternalWorkflowExecution). */
  external?: { workflowId: string; runId: string };
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
    externalWorkflowExecution: signal.external,
  });
  scheduleWorkflowTask(run);
}

/** Requests cancellation; idempotent, and a no-op on a closed run. */
export function requestCancelRun(
  run: Run,
  reason: string,
  identity: string,
  external?: { initiatedEventId: number; execution: { workflowId: string; runId: string } },
): void {
  if (!run.isOpen || run.state.cancelRequested) return;
  run.state.cancelRequested = true;
  run.addExternalEvent(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED, {
    cause: reason,
    identity,
    externalInitiatedEventId: external?.initiatedEventId,
    externalWorkflowExecution: external?.execution,
  });
  scheduleWorkflowTask(run);
}

/** Terminates a running run at once. */
export function terminateRun(run: Run, reason: string, details: IPayloads | null | undefined, identity: string): void {
  if (!run.isOpen) throw workflowCompleted();
  forceCloseWorkflowTask(run);
  const eventId = run.addEvent(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED, { reason, details, identity });
  closeRun(run, ExecutionStatus.WORKFLOW_EXECUTION_STATUS_TERMINATED, eventId);
}

/** Identity and reason Temporal's history service records when DeleteWorkflowExecution terminates a run. */
const DELETE_IDENTITY = 'history-service';
const DELETE_REASON = 'Delete workflow execution';

/**
 * DeleteWorkflowExecution: terminates the run if it is open (as Temporal does, so its parent and
 * children learn of it), then deletes it with its history and visibility record.
 */
export function deleteRun(run: Run): void {
  if (run.isOpen) terminateRun(run, DELETE_REASON, undefined, DELETE_IDENTITY);
  run.tx.deleteRun(run);
}

/** The run (or execution) timeout fired; a retry policy may start the next attempt. */
export function timeOutRun(run: Run): void {
  if (!run.isOpen) return;
  forceCloseWorkflowTask(run);
  timeOutRunWithRetry(run);
}
