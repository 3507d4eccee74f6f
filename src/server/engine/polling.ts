/** Task dispatch: long polls on workflow and activity task queues, and the task each one returns. */
import { mergePriority } from './priority.js';
import { applyConfiguredRate } from './task-queue-config-api.js';
import { durationFromMs, EncodedHistory, int64, tsFromMs } from '../../proto/index.js';
import { TaskKind, type TaskRow } from '../store/store.js';
import type { Tx } from './tx.js';
import { startActivity } from './activities.js';
import { failureCodec, payloadsCodec } from './codec.js';
import { queueKey } from './effects.js';
import type { Engine } from './engine.js';
import { TaskQueueKind } from './enums.js';
import type { PendingQuery } from './queries.js';
import { retryPolicyToProto } from './retry.js';
import type { Run } from './run.js';
import type { ActivityState } from './state.js';
import { stickyQueueOf } from './sticky.js';
import { encodeToken } from './tokens.js';
import { startWorkflowTask } from './workflow-task.js';
import type { IPollActivityTaskQueueResponse, IPollWorkflowTaskQueueResponse } from './proto-types.js';
import type { PollerMetadata } from '../matching/poller-history.js';


export interface PollOptions {
  namespace: string;
  taskQueue: string;
  identity: string;
  /** What the poll says about its worker, for DescribeTaskQueue. @default { identity } */
  poller?: PollerMetadata;
  requestId: string;
  /** The poll names a sticky queue (task queue kind STICKY): its poller keeps the queue alive. */
  stickyPoll?: boolean;
  /** Wall-clock deadline for the long poll. */
  deadline: number;
  signal: AbortSignal;
}

/**
 * The long-poll loop both task queues share: take a task (`take` returns a response, or undefined when
 * the queue has nothing), else wait until the queue is notified, the deadline passes, the poll is
 * cancelled, or `retryInMs` (when positive: a rate-limited queue's next dispatch) has passed; then
 * the empty default response.
 */
async function longPoll<T extends object>(
  engine: Engine,
  key: string,
  o: PollOptions,
  take: () => T | undefined,
  retryInMs: () => number = () => 0,
): Promise<T | object> {
  while (!o.signal.aborted && !engine.isStopped) {
    const response = take();
    if (response) return response;
    const remaining = o.deadline - Date.now();
    if (remaining <= 0) break;
    const retry = retryInMs();
    await engine.waiters.wait(key, retry > 0 ? Math.min(retry, remaining) : remaining, o.signal);
  }
  return {};
}

/** Takes the queue's next dispatchable task (by priority, then age), starting it with `start`; stale rows are dropped. */
function takeTask<R>(engine: Engine, o: PollOptions, kind: TaskKind, start: (tx: Tx, row: TaskRow) => R | undefined): R | undefined {
  const taken = engine.write((tx) => {
    for (;;) {
      const row = tx.store.nextTask(o.namespace, o.taskQueue, kind);
      if (!row) return undefined;
      tx.store.deleteTask(row.id);
      engine.fairness.dispatched(row, row.priority, row.pass);
      const started = start(tx, row);
      if (started) return started;
    }
  });
  if (taken !== undefined) engine.taskRates.dispatched(queueKey(o.namespace, o.taskQueue, kind));
  return taken;
}

/**
 * Long-polls a workflow task queue: a legacy query task, a workflow task, or the empty response.
 * A poll on a sticky queue marks the queue as having a poller while it waits, and ends empty if the
 * queue is unloaded (ShutdownWorker) meanwhile.
 */
export async function pollWorkflowTask(engine: Engine, o: PollOptions): Promise<IPollWorkflowTaskQueueResponse> {
  engine.pollers.record(o.namespace, o.taskQueue, TaskKind.Workflow, o.poller ?? { identity: o.identity });
  const sticky = o.stickyPoll === true ? engine.stickyPollers.begin(o.namespace, o.taskQueue) : undefined;
  try {
    return await longPoll(engine, queueKey(o.namespace, o.taskQueue, TaskKind.Workflow), o, () => {
      if (sticky?.unloaded) return {};
      for (;;) {
        const query = engine.queries.takeLegacy(o.namespace, o.taskQueue);
        if (!query) break;
        const response = legacyQueryTask(engine, query);
        if (response) return response;
      }
      const run = takeTask(engine, o, TaskKind.Workflow, (tx, row) => startWorkflowTask(tx, row, o.identity, o.requestId, o.stickyPoll));
      return run && workflowTaskResponse(engine, run);
    });
  } finally {
    sticky?.end(o.signal.aborted);
  }
}

function workflowTaskResponse(engine: Engine, run: Run): IPollWorkflowTaskQueueResponse {
  const s = run.state;
  const wft = s.wft;
  if (!wft) throw new Error('started workflow task vanished');
  // A sticky task carries only what its worker has not seen: the events after the last completed task.
  const firstEventId = stickyQueueOf(s) === '' ? 1 : Math.max(1, s.lastCompletedWftStartedId + 1);
  const { events } = engine.store.readEncodedEvents(s.namespace, s.runId, firstEventId, wft.startedEventId + 1);
  const queries = engine.queries.attachTo(s.namespace, s.runId);
  return {
    taskToken: encodeToken({
      k: 'w',
      ns: s.namespace,
      wid: s.workflowId,
      rid: s.runId,
      s: wft.scheduledEventId,
      t: wft.startedEventId,
      a: wft.attempt,
    }),
    workflowExecution: { workflowId: s.workflowId, runId: s.runId },
    workflowType: { name: s.workflowType },
    previousStartedEventId: int64(s.lastCompletedWftStartedId),
    startedEventId: int64(wft.startedEventId),
    attempt: wft.attempt,
    backlogCountHint: int64(0),
    history: new EncodedHistory(events),
    workflowExecutionTaskQueue: { name: s.taskQueue, kind: TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
    scheduledTime: tsFromMs(wft.scheduledTime),
    startedTime: tsFromMs(wft.startedTime),
    queries,
    messages: run.deliveredMessages,
  };
}

/**
 * A legacy query task. It always goes to the run's normal queue with the full history (Temporal
 * tries the sticky queue first and sends no history there); any worker can answer it this way.
 */
function legacyQueryTask(engine: Engine, q: PendingQuery): IPollWorkflowTaskQueueResponse | undefined {
  const run = engine.read((tx) => tx.loadRun(q.namespace, q.runId));
  if (!run) {
    engine.queries.answer(q.id, { ok: false, errorMessage: 'workflow execution not found' });
    return undefined;
  }
  const s = run.state;
  return {
    taskToken: encodeToken({ k: 'q', ns: q.namespace, q: q.id }),
    workflowExecution: { workflowId: s.workflowId, runId: s.runId },
    workflowType: { name: s.workflowType },
    previousStartedEventId: int64(s.lastCompletedWftStartedId),
    startedEventId: int64(0),
    attempt: 1,
    history: new EncodedHistory(engine.store.readEncodedEvents(s.namespace, s.runId, 1).events),
    workflowExecutionTaskQueue: { name: s.taskQueue, kind: TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
    query: q.query,
    scheduledTime: tsFromMs(engine.clock.now()),
    startedTime: tsFromMs(engine.clock.now()),
  };
}

/**
 * Long-polls an activity task queue. The poll's `maxTasksPerSecond` sets (or, absent, clears) the
 * queue's worker-set dispatch rate limit (a configured one takes precedence); while a limit holds,
 * tasks wait in the queue for their turn.
 */
export function pollActivityTask(engine: Engine, o: PollOptions): Promise<IPollActivityTaskQueueResponse> {
  engine.pollers.record(o.namespace, o.taskQueue, TaskKind.Activity, o.poller ?? { identity: o.identity });
  const key = queueKey(o.namespace, o.taskQueue, TaskKind.Activity);
  const limits = engine.dispatchLimits;
  limits.fromPoll(key, o.poller?.maxTasksPerSecond);
  applyConfiguredRate(engine, o.namespace, o.taskQueue);
  const take = (): IPollActivityTaskQueueResponse | undefined => {
    if (limits.waitMs(key) > 0) return undefined;
    const started = takeTask(engine, o, TaskKind.Activity, (tx, row) => startActivity(tx, row, o.identity, o.requestId));
    if (!started) return undefined;
    limits.take(key);
    return activityTaskResponse(engine, started.run, started.activity);
  };
  return longPoll(engine, key, o, take, () => limits.waitMs(key));
}

/** The task that hands a started activity attempt to its worker (from a poll, or eagerly). */
export function activityTaskResponse(engine: Engine, run: Run, a: ActivityState): IPollActivityTaskQueueResponse {
  const s = run.state;
  const scheduled = engine.store.readEvent(s.namespace, s.runId, a.scheduledEventId)?.activityTaskScheduledEventAttributes;
  return {
    taskToken: encodeToken({
      k: 'a',
      ns: s.namespace,
      wid: s.workflowId,
      rid: s.runId,
      aid: a.activityId,
      s: a.scheduledEventId,
      a: a.attempt,
    }),
    workflowNamespace: s.namespace,
    workflowType: { name: s.workflowType },
    workflowExecution: { workflowId: s.workflowId, runId: s.runId },
    activityType: { name: a.activityType },
    activityId: a.activityId,
    header: scheduled?.header ?? undefined,
    input: scheduled?.input ?? undefined,
    heartbeatDetails: payloadsCodec.unpack(a.heartbeatDetails),
    scheduledTime: tsFromMs(a.scheduledTime),
    currentAttemptScheduledTime: tsFromMs(a.currentAttemptScheduledTime),
    startedTime: tsFromMs(a.startedTime),
    attempt: a.attempt,
    scheduleToCloseTimeout: durationFromMs(a.scheduleToCloseMs),
    startToCloseTimeout: durationFromMs(a.startToCloseMs),
    heartbeatTimeout: durationFromMs(a.heartbeatMs),
    retryPolicy: retryPolicyToProto(a.retry),
    priority: mergePriority(s.priority, a.priority),
  };
}

/** The last failure of a pending activity, decoded (for describe). */
export const lastFailureOf = (a: ActivityState) => failureCodec.unpack(a.lastFailure);
