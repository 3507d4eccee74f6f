/** DescribeWorkflowExecution and the WorkflowExecutionInfo shared with List. */
import { durationFromMs, int64, tsFromMs, type ProtoTypes } from '../../proto/index.js';
import { memoCodec, payloadsCodec, searchAttributesCodec } from './codec.js';
import { ExecutionStatus, PendingActivityState, PendingWorkflowTaskState, TaskQueueKind } from './enums.js';
import { failureCodec } from './codec.js';
import type { Run } from './run.js';
import type { ActivityState } from './state.js';
import { activityOptionsOf } from './activity-operator-api.js';
import type { ISearchAttributes } from './proto-types.js';
import type { Store } from '../store/store.js';
import type {
  IDescribeWorkflowExecutionResponse,
  IPendingActivityInfo,
  IWorkflowExecutionInfo,
} from './proto-types.js';


/** Temporal's state of a pending activity: a cancel request first, then a pause (requested while it runs). */
function pendingActivityState(a: ActivityState): number {
  if (a.cancelRequested) return PendingActivityState.PENDING_ACTIVITY_STATE_CANCEL_REQUESTED;
  if (a.pause) return a.phase === 'started' ? PendingActivityState.PENDING_ACTIVITY_STATE_PAUSE_REQUESTED : PendingActivityState.PENDING_ACTIVITY_STATE_PAUSED;
  return a.phase === 'started' ? PendingActivityState.PENDING_ACTIVITY_STATE_STARTED : PendingActivityState.PENDING_ACTIVITY_STATE_SCHEDULED;
}

/** Resolves a search attribute's type name ("Keyword", "Int", ...) for the `type` metadata. */
export type SearchAttributeTypeOf = (name: string, value: unknown) => string | undefined;

/** Adds `metadata.type` to every search-attribute payload, as Temporal does in responses. */
export function withTypeMetadata(attrs: ISearchAttributes | undefined, typeOf: SearchAttributeTypeOf): ISearchAttributes | undefined {
  if (!attrs?.indexedFields) return attrs;
  const fields: Record<string, ProtoTypes.temporal.api.common.v1.IPayload> = {};
  for (const [name, payload] of Object.entries(attrs.indexedFields)) {
    let value: unknown;
    try {
      value = JSON.parse(Buffer.from(payload.data ?? []).toString('utf8'));
    } catch {
      value = undefined;
    }
    const type = typeOf(name, value);
    fields[name] = type
      ? { ...payload, metadata: { ...(payload.metadata ?? {}), type: Buffer.from(type) } }
      : payload;
  }
  return { indexedFields: fields };
}

/** The run as a WorkflowExecutionInfo (describe and list). */
export function executionInfo(run: Run, typeOf: SearchAttributeTypeOf): IWorkflowExecutionInfo {
  const s = run.state;
  const closed = s.status !== ExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
  return {
    execution: { workflowId: s.workflowId, runId: s.runId },
    type: { name: s.workflowType },
    startTime: tsFromMs(s.startTime),
    closeTime: closed ? tsFromMs(s.closeTime) : undefined,
    status: s.status,
    historyLength: int64(s.nextEventId - 1),
    executionTime: tsFromMs(s.executionTime),
    memo: memoCodec.unpack(s.memo) ?? { fields: {} },
    searchAttributes: withTypeMetadata(searchAttributesCodec.unpack(s.searchAttributes), typeOf) ?? { indexedFields: {} },
    taskQueue: s.taskQueue,
    historySizeBytes: int64(s.historySizeBytes),
    executionDuration: closed ? durationFromMs(Math.max(0, s.closeTime - s.executionTime)) : undefined,
    parentExecution: s.parentWorkflowId ? { workflowId: s.parentWorkflowId, runId: s.parentRunId } : undefined,
    rootExecution: { workflowId: s.rootWorkflowId, runId: s.rootRunId },
    firstRunId: s.firstExecutionRunId,
    stateTransitionCount: int64(s.nextEventId - 1),
    priority: s.priority,
  };
}

/** DescribeWorkflowExecution: config, info, pending activities and the pending workflow task. */
export function describeRun(store: Store, run: Run, typeOf: SearchAttributeTypeOf): IDescribeWorkflowExecutionResponse {
  const s = run.state;
  const started = store.readEvent(s.namespace, s.runId, 1);
  const pendingActivities: IPendingActivityInfo[] = Object.values(s.activities).map((a) => ({
    activityId: a.activityId,
    activityType: { name: a.activityType },
    state: pendingActivityState(a),
    paused: a.pause !== undefined,
    pauseInfo: a.pause && { pauseTime: tsFromMs(a.pause.time), manual: { identity: a.pause.identity, reason: a.pause.reason } },
    activityOptions: activityOptionsOf(a),
    heartbeatDetails: payloadsCodec.unpack(a.heartbeatDetails),
    lastHeartbeatTime: a.lastHeartbeatTime ? tsFromMs(a.lastHeartbeatTime) : undefined,
    lastStartedTime: a.startedTime ? tsFromMs(a.startedTime) : undefined,
    attempt: a.attempt,
    maximumAttempts: a.retry.maximumAttempts,
    scheduledTime: tsFromMs(a.scheduledTime),
    expirationTime: a.scheduleToCloseMs > 0 ? tsFromMs(a.scheduledTime + a.scheduleToCloseMs) : undefined,
    lastFailure: failureCodec.unpack(a.lastFailure),
    lastWorkerIdentity: a.lastWorkerIdentity,
    nextAttemptScheduleTime: a.phase === 'backoff' ? tsFromMs(a.nextAttemptScheduleTime) : undefined,
    priority: a.priority,
  }));
  const wft = s.wft;
  return {
    executionConfig: {
      taskQueue: { name: s.taskQueue, kind: TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
      workflowExecutionTimeout: durationFromMs(s.executionTimeoutMs),
      workflowRunTimeout: durationFromMs(s.runTimeoutMs),
      defaultWorkflowTaskTimeout: durationFromMs(s.workflowTaskTimeoutMs),
      userMetadata: started?.userMetadata ?? undefined,
    },
    workflowExecutionInfo: executionInfo(run, typeOf),
    pendingActivities,
    pendingChildren: Object.values(s.children).map((c) => ({
      workflowId: c.workflowId,
      runId: c.runId,
      workflowTypeName: c.workflowType,
      initiatedId: int64(c.initiatedEventId),
      parentClosePolicy: c.parentClosePolicy,
    })),
    pendingWorkflowTask: wft
      ? {
          state: wft.startedEventId
            ? PendingWorkflowTaskState.PENDING_WORKFLOW_TASK_STATE_STARTED
            : PendingWorkflowTaskState.PENDING_WORKFLOW_TASK_STATE_SCHEDULED,
          scheduledTime: tsFromMs(wft.scheduledTime),
          originalScheduledTime: tsFromMs(wft.scheduledTime),
          startedTime: wft.startedTime ? tsFromMs(wft.startedTime) : undefined,
          attempt: wft.attempt,
        }
      : undefined,
  };
}
