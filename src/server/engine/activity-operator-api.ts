/**
 * What an operator does to a workflow's pending activities (`temporal activity pause|unpause|reset|
 * update-options`): PauseActivity, UnpauseActivity, ResetActivity and UpdateActivityOptions, as
 * Temporal's history service does them.
 *
 * - Paused, an activity that is not running gets no task and no retry; a running attempt goes on,
 *   its heartbeats answer `activityPaused`, and when it fails it waits (attempt counted) instead of
 *   retrying. Timeouts keep running.
 * - Unpaused, a waiting activity is dispatched at once (after a random jitter, if given).
 * - Reset, it starts over at attempt 1: at once when waiting; a running attempt's heartbeats answer
 *   `activityReset`, and its failure retries at attempt 1 without backoff.
 *
 * @module
 */
import { decodePriority } from '../../common/priority.js';
import { maskedPriority, validatePriority } from './priority.js';
import { durationFromMs, msFromDuration } from '../../proto/index.js';
import { failedPrecondition, invalidArgument, notFound, requireField, workflowCompleted } from '../errors.js';
import { ACTIVITY_RETRY_TIMER, dispatchAttempt } from './activities.js';
import type { Engine } from './engine.js';
import { TaskKind } from '../store/store.js';
import { normalizeRetryPolicy, retryPolicyToProto } from './retry.js';
import type { Run } from './run.js';
import type { ActivityState } from './state.js';
import type { ProtoTypes } from '../../proto/index.js';

type IPause = ProtoTypes.temporal.api.workflowservice.v1.IPauseActivityRequest;
type IUnpause = ProtoTypes.temporal.api.workflowservice.v1.IUnpauseActivityRequest;
type IReset = ProtoTypes.temporal.api.workflowservice.v1.IResetActivityRequest;
type IUpdateOptions = ProtoTypes.temporal.api.workflowservice.v1.IUpdateActivityOptionsRequest;
type IActivityOptions = ProtoTypes.temporal.api.activity.v1.IActivityOptions;
type Selector = { id?: string | null; type?: string | null; matchAll?: boolean | null; unpauseAll?: boolean | null };

/** The pending activities a request names: by id, by type, or all; NOT_FOUND when none. */
function selected(run: Run, req: Selector): ActivityState[] {
  if (!req.id && !req.type && !req.matchAll && !req.unpauseAll) throw invalidArgument('Either Activity.Id or Activity.Type should be set on request.');
  const all = Object.values(run.state.activities);
  const matches = req.id ? all.filter((a) => a.activityId === req.id) : req.type ? all.filter((a) => a.activityType === req.type) : all;
  if (matches.length === 0) throw notFound('activity not found');
  return matches;
}

/** Loads the open run a request names, as the handlers of the four calls do. */
function openRun(engine: Engine, namespace: string, execution: { workflowId?: string | null; runId?: string | null } | null | undefined) {
  requireField(execution?.workflowId, 'WorkflowId');
  return (fn: (run: Run) => void): void =>
    engine.write((tx) => {
      const run = tx.resolveRun(namespace, execution);
      if (!run.isOpen) throw workflowCompleted();
      fn(run);
    });
}

/** The handlers, for the WorkflowService table. */
export function activityOperatorHandlers(engine: Engine, ns: (name: string | null | undefined) => string) {
  return {
    PauseActivity: (req: IPause) => {
      openRun(engine, ns(req.namespace), req.execution)((run) => {
        for (const a of selected(run, req)) pause(run, a, req);
      });
      return {};
    },
    UnpauseActivity: (req: IUnpause) => {
      openRun(engine, ns(req.namespace), req.execution)((run) => {
        for (const a of selected(run, req)) {
          if (!a.pause) continue;
          if (req.resetAttempts) a.attempt = 1;
          if (req.resetHeartbeat) a.heartbeatDetails = undefined;
          resume(run, a, jitterMs(req.jitter));
        }
      });
      return {};
    },
    ResetActivity: (req: IReset) => {
      if (req.restoreOriginalOptions) throw invalidArgument('restore_original_options is not supported by the duraflow dev server.');
      openRun(engine, ns(req.namespace), req.execution)((run) => {
        for (const a of selected(run, req)) reset(run, a, req);
      });
      return {};
    },
    UpdateActivityOptions: (req: IUpdateOptions) => {
      if (req.restoreOriginal) throw invalidArgument('restore_original is not supported by the duraflow dev server.');
      const paths = (req.updateMask?.paths ?? []).map(snakeCase);
      if (paths.length === 0) throw invalidArgument('UpdateMask is not set on request.');
      let updated: IActivityOptions = {};
      openRun(engine, ns(req.namespace), req.execution)((run) => {
        for (const a of selected(run, req)) {
          applyOptions(a, req.activityOptions ?? {}, paths);
          updated = activityOptionsOf(a);
        }
      });
      return { activityOptions: updated };
    },
  };
}

function pause(run: Run, a: ActivityState, req: IPause): void {
  if (a.pause) {
    if (req.requestId && a.pause.requestId === req.requestId) return;
    throw failedPrecondition('activity is already paused');
  }
  a.pause = { time: run.tx.now, identity: req.identity ?? '', reason: req.reason ?? '', requestId: req.requestId ?? '' };
  if (a.phase === 'scheduled') run.tx.store.deleteTasksOf(run.namespace, run.state.runId, TaskKind.Activity, a.scheduledEventId);
  if (a.phase !== 'started') a.phase = 'paused';
}

/** Clears the pause; a waiting activity is dispatched now, or after `jitter`. */
function resume(run: Run, a: ActivityState, jitter: number): void {
  a.pause = undefined;
  if (a.phase === 'paused') dispatchSoon(run, a, jitter);
}

/** Puts a waiting activity's current attempt on its queue now, or at a random time within `jitter`. */
function dispatchSoon(run: Run, a: ActivityState, jitter: number): void {
  if (jitter <= 0) return dispatchAttempt(run, a);
  a.phase = 'backoff';
  a.nextAttemptScheduleTime = run.tx.now + Math.floor(Math.random() * jitter);
  run.tx.addTimer(run, a.nextAttemptScheduleTime, ACTIVITY_RETRY_TIMER, { s: a.scheduledEventId, a: a.attempt });
}

function reset(run: Run, a: ActivityState, req: IReset): void {
  if (req.resetHeartbeat) a.heartbeatDetails = undefined;
  if (a.phase === 'started') {
    a.resetRequested = true;
    if (a.pause && !req.keepPaused) a.pause = undefined;
    return;
  }
  a.attempt = 1;
  if (a.pause && req.keepPaused) return;
  a.pause = undefined;
  if (a.phase === 'scheduled') run.tx.store.deleteTasksOf(run.namespace, run.state.runId, TaskKind.Activity, a.scheduledEventId);
  dispatchSoon(run, a, jitterMs(req.jitter));
}

function jitterMs(d: Parameters<typeof msFromDuration>[0]): number {
  const ms = msFromDuration(d) ?? 0;
  if (ms < 0) throw invalidArgument('Jitter cannot be negative.');
  return ms;
}

/** `startToCloseTimeout` → `start_to_close_timeout` (field masks come in either spelling). */
function snakeCase(path: string): string {
  return path.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** The proto field a mask path's last part names: `retry_policy.maximum_attempts` under `retry_policy.` → `maximumAttempts`. */
function subfield(path: string, prefix: string): string {
  return path.slice(prefix.length).replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
}

const TIMEOUT_FIELDS = {
  schedule_to_close_timeout: ['scheduleToCloseTimeout', 'scheduleToCloseMs'],
  schedule_to_start_timeout: ['scheduleToStartTimeout', 'scheduleToStartMs'],
  start_to_close_timeout: ['startToCloseTimeout', 'startToCloseMs'],
  heartbeat_timeout: ['heartbeatTimeout', 'heartbeatMs'],
} as const;

/** Applies the masked fields of `options` (timeouts from the next attempt on, retry policy, task queue, priority). */
function applyOptions(a: ActivityState, options: IActivityOptions, paths: readonly string[]): void {
  for (const path of paths) {
    if (path in TIMEOUT_FIELDS) {
      const [field, key] = TIMEOUT_FIELDS[path as keyof typeof TIMEOUT_FIELDS];
      const ms = msFromDuration(options[field]) ?? 0;
      if (ms < 0) throw invalidArgument(`${field} cannot be negative.`);
      a[key] = ms;
    } else if (path === 'task_queue.name' || path === 'task_queue') {
      a.taskQueue = requireField(options.taskQueue?.name, 'ActivityOptions.TaskQueue');
    } else if (path === 'retry_policy' || path.startsWith('retry_policy.')) {
      const current = retryPolicyToProto(a.retry);
      const given = options.retryPolicy ?? {};
      const field = path === 'retry_policy' ? undefined : subfield(path, 'retry_policy.');
      const merged = field === undefined ? given : { ...current, [field]: (given as Record<string, unknown>)[field] };
      a.retry = normalizeRetryPolicy(merged, 'UpdateActivityOptions');
    } else if (path === 'priority' || path.startsWith('priority.')) {
      validatePriority(options.priority);
      const priority = maskedPriority(a.priority, decodePriority(options.priority), [path]);
      if (priority) a.priority = priority;
      else delete a.priority;
    } else {
      throw invalidArgument(`UpdateActivityOptions cannot update ${path}.`);
    }
  }
}

/** The options an activity runs with now. */
export function activityOptionsOf(a: ActivityState): IActivityOptions {
  return {
    taskQueue: { name: a.taskQueue },
    scheduleToCloseTimeout: durationFromMs(a.scheduleToCloseMs),
    scheduleToStartTimeout: durationFromMs(a.scheduleToStartMs),
    startToCloseTimeout: durationFromMs(a.startToCloseMs),
    heartbeatTimeout: durationFromMs(a.heartbeatMs),
    retryPolicy: retryPolicyToProto(a.retry),
    priority: a.priority,
  };
}
