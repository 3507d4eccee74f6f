/**
 * ResetWorkflowExecution, as Temporal's history service does it: a new run of the workflow id whose
 * history is the base run's up to the chosen workflow task (copied as is), then that task failed
 * with cause RESET_WORKFLOW, the signals the base run received after that point (unless excluded),
 * and a new workflow task. The current run, if still open, is terminated (identity
 * `history-resetter`); the new run becomes current.
 *
 * The new run's state is rebuilt from the copied events: pending activities start over at attempt 1
 * (as Temporal's rebuild does), pending timers keep their fire times. A reset point with pending
 * child workflows, external signals or cancels, or accepted updates is refused (the dev server does
 * not move those across runs).
 *
 * @module
 */
import { decodePriority } from '../../common/priority.js';

import { randomUUID } from 'node:crypto';
import { longToNumber, msFromDuration, msFromTs } from '../../proto/index.js';
import { invalidArgument, requireField } from '../errors.js';
import { armActivity, newActivityState } from './activities.js';
import { memoCodec, searchAttributesCodec } from './codec.js';
import { USER_TIMER } from './commands.js';
import { EventType, ExecutionStatus, WorkflowTaskFailedCause } from './enums.js';
import { terminateRun } from './lifecycle.js';
import { RUN_TIMEOUT_TIMER } from './new-run.js';
import { normalizeRetryPolicy } from './retry.js';
import type { Run } from './run.js';
import type { ExecutionState } from './state.js';
import type { Tx } from './tx.js';
import { scheduleWorkflowTask } from './workflow-task.js';
import type { HistoryEventMessage, IMemo, ISearchAttributes } from './proto-types.js';
import type { ProtoTypes } from '../../proto/index.js';

type IResetRequest = ProtoTypes.temporal.api.workflowservice.v1.IResetWorkflowExecutionRequest;

const ReapplyType = { NONE: 2 } as const;
const ExcludeSignal = 1;
const RESETTER = 'history-resetter';
const HISTORY_SERVICE = 'history-service';

/** What the base run's events up to the reset point leave pending. */
interface Rebuilt {
  /** The pending workflow task: its scheduled and (if started) started event ids. */
  wft: { scheduledEventId: number; startedEventId: number } | undefined;
  lastCompletedWftStartedId: number;
  lastCompletedWftEventId: number;
  activities: Map<number, HistoryEventMessage>;
  timers: Map<string, { startedEventId: number; fireAt: number }>;
  cancelRequested: boolean;
  searchAttributes: ISearchAttributes | undefined;
  memo: IMemo | undefined;
  unsupported: string | undefined;
}

const id = (value: unknown): number => longToNumber(value as number);

/** Walks events 1..L and keeps what is still pending after them. */
function rebuild(events: readonly HistoryEventMessage[]): Rebuilt {
  const r: Rebuilt = { wft: undefined, lastCompletedWftStartedId: 0, lastCompletedWftEventId: 0, activities: new Map(), timers: new Map(), cancelRequested: false, searchAttributes: undefined, memo: undefined, unsupported: undefined };
  const children = new Set<number>();
  const external = new Set<number>();
  const updates = new Set<string>();
  for (const e of events) {
    const eventId = id(e.eventId);
    switch (e.eventType) {
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED:
        r.searchAttributes = e.workflowExecutionStartedEventAttributes?.searchAttributes ?? undefined;
        r.memo = e.workflowExecutionStartedEventAttributes?.memo ?? undefined;
        break;
      case EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED:
        r.wft = { scheduledEventId: eventId, startedEventId: 0 };
        break;
      case EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED:
        if (r.wft) r.wft.startedEventId = eventId;
        break;
      case EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
        r.lastCompletedWftStartedId = r.wft?.startedEventId ?? 0;
        r.lastCompletedWftEventId = eventId;
        r.wft = undefined;
        break;
      case EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED:
      case EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT:
        r.wft = undefined;
        break;
      case EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
        r.activities.set(eventId, e);
        break;
      case EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED:
      case EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED:
      case EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT:
      case EventType.EVENT_TYPE_ACTIVITY_TASK_CANCELED:
        r.activities.delete(id(closedActivityOf(e)));
        break;
      case EventType.EVENT_TYPE_TIMER_STARTED: {
        const a = e.timerStartedEventAttributes;
        const fireAt = (msFromTs(e.eventTime) ?? 0) + (msFromDuration(a?.startToFireTimeout) ?? 0);
        r.timers.set(a?.timerId ?? '', { startedEventId: eventId, fireAt });
        break;
      }
      case EventType.EVENT_TYPE_TIMER_FIRED:
        r.timers.delete(e.timerFiredEventAttributes?.timerId ?? '');
        break;
      case EventType.EVENT_TYPE_TIMER_CANCELED:
        r.timers.delete(e.timerCanceledEventAttributes?.timerId ?? '');
        break;
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED:
        r.cancelRequested = true;
        break;
      case EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES: {
        const fields = e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {};
        r.searchAttributes = { indexedFields: { ...(r.searchAttributes?.indexedFields ?? {}), ...fields } };
        break;
      }
      case EventType.EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED: {
        const fields = e.workflowPropertiesModifiedEventAttributes?.upsertedMemo?.fields ?? {};
        r.memo = { fields: { ...(r.memo?.fields ?? {}), ...fields } };
        break;
      }
      default:
        trackUnsupported(e, eventId, children, external, updates);
    }
  }
  if (children.size > 0) r.unsupported = 'child workflows';
  else if (external.size > 0) r.unsupported = 'signals or cancel requests to other workflows';
  else if (updates.size > 0) r.unsupported = 'accepted updates';
  return r;
}

function closedActivityOf(e: HistoryEventMessage): unknown {
  return (
    e.activityTaskCompletedEventAttributes?.scheduledEventId ??
    e.activityTaskFailedEventAttributes?.scheduledEventId ??
    e.activityTaskTimedOutEventAttributes?.scheduledEventId ??
    e.activityTaskCanceledEventAttributes?.scheduledEventId
  );
}

/** Children, external signals/cancels and updates still pending at the reset point (which a reset refuses). */
function trackUnsupported(e: HistoryEventMessage, eventId: number, children: Set<number>, external: Set<number>, updates: Set<string>): void {
  const initiated = (v: unknown): number => id(v);
  switch (e.eventType) {
    case EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED:
      return void children.add(eventId);
    case EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_FAILED:
      return void children.delete(initiated(e.startChildWorkflowExecutionFailedEventAttributes?.initiatedEventId));
    case EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED:
    case EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_FAILED:
    case EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_CANCELED:
    case EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_TIMED_OUT:
    case EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_TERMINATED: {
      const attrs =
        e.childWorkflowExecutionCompletedEventAttributes ??
        e.childWorkflowExecutionFailedEventAttributes ??
        e.childWorkflowExecutionCanceledEventAttributes ??
        e.childWorkflowExecutionTimedOutEventAttributes ??
        e.childWorkflowExecutionTerminatedEventAttributes;
      return void children.delete(initiated(attrs?.initiatedEventId));
    }
    case EventType.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED:
    case EventType.EVENT_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED:
      return void external.add(eventId);
    case EventType.EVENT_TYPE_EXTERNAL_WORKFLOW_EXECUTION_SIGNALED:
      return void external.delete(initiated(e.externalWorkflowExecutionSignaledEventAttributes?.initiatedEventId));
    case EventType.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_FAILED:
      return void external.delete(initiated(e.signalExternalWorkflowExecutionFailedEventAttributes?.initiatedEventId));
    case EventType.EVENT_TYPE_EXTERNAL_WORKFLOW_EXECUTION_CANCEL_REQUESTED:
      return void external.delete(initiated(e.externalWorkflowExecutionCancelRequestedEventAttributes?.initiatedEventId));
    case EventType.EVENT_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_FAILED:
      return void external.delete(initiated(e.requestCancelExternalWorkflowExecutionFailedEventAttributes?.initiatedEventId));
    case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED:
      return void updates.add(e.workflowExecutionUpdateAcceptedEventAttributes?.protocolInstanceId ?? '');
    case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED:
      return void updates.delete(e.workflowExecutionUpdateCompletedEventAttributes?.meta?.updateId ?? '');
    default:
  }
}

/** Answers ResetWorkflowExecution; returns the new run's id. */
export function resetWorkflow(tx: Tx, namespace: string, req: IResetRequest): string {
  const workflowId = requireField(req.workflowExecution?.workflowId, 'WorkflowId');
  requireField(req.requestId, 'RequestId');
  if ((req.postResetOperations ?? []).length > 0) throw invalidArgument('PostResetOperations are not supported by the duraflow dev server.');
  const base = tx.resolveRun(namespace, req.workflowExecution);
  const earlier = base.state.resets?.[req.requestId as string];
  if (earlier !== undefined) return earlier; // the same request again (a client's retry)
  const finish = longToNumber(req.workflowTaskFinishEventId ?? 0);
  if (finish <= 1 || finish > base.state.nextEventId) throw invalidArgument('Workflow task finish ID must be > 1 && <= workflow last event ID.');
  const lastKept = finish - 1;
  const events = tx.store.readEvents(namespace, base.state.runId, 1, lastKept + 1);
  const r = rebuild(events);
  const last = events.at(-1);
  if (!r.wft || !last || (id(last.eventId) !== r.wft.scheduledEventId && id(last.eventId) !== r.wft.startedEventId)) {
    throw invalidArgument(`Can only reset workflow to event ID in range [WorkflowTaskScheduled +1, WorkflowTaskStarted + 1]: ${finish}`);
  }
  if (r.unsupported) throw invalidArgument(`The duraflow dev server cannot reset to a point with pending ${r.unsupported}.`);
  const reason = req.reason ?? '';
  const current = tx.currentRun(namespace, workflowId);
  if (current?.isOpen) terminateRun(current, reason, undefined, RESETTER);

  const newRunId = randomUUID();
  base.state.resets = { ...base.state.resets, [req.requestId as string]: newRunId };
  const bytes = tx.store.appendEvents(namespace, newRunId, events);
  const run = tx.createRun(resetState(base.state, newRunId, lastKept, bytes, r));
  failResetWorkflowTask(run, r.wft, reason, base.state.runId, newRunId);
  rearm(run, r);
  if (req.resetReapplyType !== ReapplyType.NONE && !(req.resetReapplyExcludeTypes ?? []).includes(ExcludeSignal)) {
    reapplySignals(tx, run, base, finish);
  }
  scheduleWorkflowTask(run);
  return newRunId;
}

/** The new run's state: the base run's, open again, with what the kept events leave pending. */
function resetState(base: ExecutionState, runId: string, lastKept: number, historyBytes: number, r: Rebuilt): ExecutionState {
  const state = JSON.parse(JSON.stringify(base)) as ExecutionState;
  return Object.assign(state, {
    runId,
    status: ExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING,
    closeTime: 0,
    closeEventId: 0,
    nextEventId: lastKept + 1,
    historySizeBytes: historyBytes,
    firstTaskBackoff: false,
    lastCompletedWftStartedId: r.lastCompletedWftStartedId,
    lastCompletedWftEventId: r.lastCompletedWftEventId,
    wft: undefined,
    stickyTaskQueue: '',
    buffered: [],
    activities: {},
    timers: {},
    children: {},
    updates: {},
    cancelRequested: r.cancelRequested,
    signalRequestIds: [],
    searchAttributes: searchAttributesCodec.pack(r.searchAttributes),
    memo: memoCodec.pack(r.memo),
    resets: undefined,
  } satisfies Partial<ExecutionState>);
}

/** Writes the reset point's workflow task as started (if it was only scheduled) and failed with RESET_WORKFLOW. */
function failResetWorkflowTask(run: Run, wft: NonNullable<Rebuilt['wft']>, reason: string, baseRunId: string, newRunId: string): void {
  const startedEventId =
    wft.startedEventId ||
    run.addEvent(EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED, { scheduledEventId: wft.scheduledEventId, identity: HISTORY_SERVICE, requestId: randomUUID() });
  run.addEvent(EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED, {
    scheduledEventId: wft.scheduledEventId,
    startedEventId,
    cause: WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_RESET_WORKFLOW,
    failure: { message: reason, resetWorkflowFailureInfo: {} },
    identity: HISTORY_SERVICE,
    baseRunId,
    newRunId,
  });
}

/** Pending activities start over (attempt 1, scheduled now); timers keep their fire times; the run timeout is armed again. */
function rearm(run: Run, r: Rebuilt): void {
  for (const [scheduledEventId, e] of r.activities) {
    const a = e.activityTaskScheduledEventAttributes;
    const priority = decodePriority(a?.priority);
    const activity = newActivityState(run, {
      scheduledEventId,
      activityId: a?.activityId ?? '',
      activityType: a?.activityType?.name ?? '',
      taskQueue: a?.taskQueue?.name || run.state.taskQueue,
      scheduleToCloseMs: msFromDuration(a?.scheduleToCloseTimeout) ?? 0,
      scheduleToStartMs: msFromDuration(a?.scheduleToStartTimeout) ?? 0,
      startToCloseMs: msFromDuration(a?.startToCloseTimeout) ?? 0,
      heartbeatMs: msFromDuration(a?.heartbeatTimeout) ?? 0,
      retry: normalizeRetryPolicy(a?.retryPolicy, `ActivityId=${a?.activityId ?? ''}`),
      ...(priority && { priority }),
    });
    armActivity(run, activity);
  }
  for (const [timerId, t] of r.timers) {
    run.state.timers[timerId] = t;
    run.tx.addTimer(run, t.fireAt, USER_TIMER, { id: timerId, s: t.startedEventId });
  }
  const s = run.state;
  const deadlines = [s.runTimeoutMs > 0 ? s.executionTime + s.runTimeoutMs : 0, s.executionExpirationTime].filter((x) => x > 0);
  if (deadlines.length > 0) run.tx.addTimer(run, Math.min(...deadlines), RUN_TIMEOUT_TIMER, {});
}

/** Signals the base run received after the reset point (stored, or written by this transaction), written again in the new run. */
function reapplySignals(tx: Tx, run: Run, base: Run, from: number): void {
  for (const e of [...tx.store.readEvents(base.namespace, base.state.runId, from), ...base.newEvents]) {
    const a = e.workflowExecutionSignaledEventAttributes;
    if (e.eventType !== EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED || !a) continue;
    run.addExternalEvent(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED, {
      signalName: a.signalName,
      input: a.input,
      identity: a.identity,
      header: a.header,
      requestId: randomUUID(),
    });
  }
}
