/**
 * What one attempt of a local activity needs: its timeouts (as the Core SDK derives them from the
 * schedule command), its {@link Info} (`isLocal: true`), the function and the decoded arguments.
 *
 * @module
 */
import type { Info } from '../../activity/info.js';
import type { LoadedDataConverter } from '../../common/data-converter.js';
import { ApplicationFailure } from '../../common/failure.js';
import type { ActivitySerializationContext } from '../../common/serialization-context.js';
import type { ScheduleLocalActivityCommand } from '../../workflow/runtime/protocol.js';
import { decodeActivityArgs } from '../activity/activity-task.js';
import type { PreparedActivity } from '../activity/activity-task.js';
import { retryPolicyInfo, type LocalRetryPolicy } from './retry-delay.js';

/** The workflow run a local activity belongs to. */
export interface LocalActivityRun {
  namespace: string;
  taskQueue: string;
  workflowId: string;
  runId: string;
  workflowType: string;
}

/** A local activity's timeouts in ms; each undefined when not set. */
export interface LocalActivityTimeouts {
  scheduleToCloseMs?: number;
  /** Clamped to schedule-to-close. */
  startToCloseMs?: number;
  /** Clamped to schedule-to-close. */
  scheduleToStartMs?: number;
}

const positive = (ms: number | undefined): number | undefined => (ms !== undefined && ms > 0 ? ms : undefined);

/**
 * The timeouts of a schedule command. At least one of schedule-to-close and start-to-close is set
 * (the workflow's machines refuse the command otherwise); the shorter ones are clamped to
 * schedule-to-close.
 *
 * @example
 * ```ts
 * localActivityTimeouts({ ...command, scheduleToCloseTimeoutMs: 2000, startToCloseTimeoutMs: 5000 }); // { scheduleToCloseMs: 2000, startToCloseMs: 2000 }
 * ```
 */
export function localActivityTimeouts(command: ScheduleLocalActivityCommand): LocalActivityTimeouts {
  const scheduleToCloseMs = positive(command.scheduleToCloseTimeoutMs);
  const clamp = (ms: number | undefined): number | undefined =>
    ms === undefined || scheduleToCloseMs === undefined ? ms : Math.min(ms, scheduleToCloseMs);
  return {
    scheduleToCloseMs,
    startToCloseMs: clamp(positive(command.startToCloseTimeoutMs)),
    scheduleToStartMs: clamp(positive(command.scheduleToStartTimeoutMs)),
  };
}

/** The serialization context of a local activity's payloads. */
export function localActivityContext(run: LocalActivityRun, command: ScheduleLocalActivityCommand): ActivitySerializationContext {
  return { type: 'activity', namespace: run.namespace, activityId: command.activityId, workflowId: run.workflowId, isLocal: true };
}

/** Everything that describes one attempt. */
export interface AttemptSpec {
  run: LocalActivityRun;
  command: ScheduleLocalActivityCommand;
  timeouts: LocalActivityTimeouts;
  retryPolicy: LocalRetryPolicy;
  attempt: number;
  /** When the worker received the schedule command (epoch ms). */
  scheduledMs: number;
}

/**
 * The {@link Info} of an attempt. Like the Core SDK: the task token is the worker's own (local
 * activities have no server task), schedule-to-close is 0 when unset, start-to-close falls back to
 * schedule-to-close, there is no heartbeat timeout and no heartbeat details.
 *
 * @example
 * ```ts
 * const info = localActivityInfo({ run, command, timeouts, retryPolicy, attempt: 1, scheduledMs: Date.now() });
 * info.isLocal; // true
 * ```
 */
export function localActivityInfo(spec: AttemptSpec): Info {
  const { run, command, timeouts } = spec;
  const taskToken = new TextEncoder().encode(`local-activity:${run.runId}:${command.seq}:${spec.attempt}`);
  return {
    taskToken,
    base64TaskToken: Buffer.from(taskToken).toString('base64'),
    activityId: command.activityId,
    activityType: command.activityType,
    activityNamespace: run.namespace,
    namespace: run.namespace,
    attempt: spec.attempt,
    isLocal: true,
    inWorkflow: true,
    workflowExecution: { workflowId: run.workflowId, runId: run.runId },
    workflowType: run.workflowType,
    workflowNamespace: run.namespace,
    taskQueue: run.taskQueue,
    scheduledTimestampMs: spec.scheduledMs,
    currentAttemptScheduledTimestampMs: spec.scheduledMs,
    scheduleToCloseTimeoutMs: timeouts.scheduleToCloseMs ?? 0,
    startToCloseTimeoutMs: timeouts.startToCloseMs ?? timeouts.scheduleToCloseMs ?? 0,
    heartbeatTimeoutMs: undefined,
    heartbeatDetails: undefined,
    priority: undefined,
    retryPolicy: retryPolicyInfo(spec.retryPolicy),
    activityRunId: undefined,
  };
}

/**
 * The attempt ready to run. An activity type this worker does not register fails the local activity
 * at once (non-retryable: every attempt runs on this same worker).
 *
 * @throws ApplicationFailure when the type is unknown (non-retryable) or the arguments cannot be decoded (retryable)
 */
export async function prepareLocalActivity(
  spec: AttemptSpec,
  activities: ReadonlyMap<string, (...args: unknown[]) => unknown>,
  converter: LoadedDataConverter
): Promise<PreparedActivity> {
  const info = localActivityInfo(spec);
  const fn = activities.get(info.activityType) ?? activities.get('default');
  if (!fn) {
    throw ApplicationFailure.create({
      type: 'NotFoundError',
      message: `Local activity function ${info.activityType} is not registered on this Worker, available activities: ${JSON.stringify([...activities.keys()])}`,
      nonRetryable: true,
    });
  }
  const args = await decodeActivityArgs(spec.command.arguments, info.activityType, converter, localActivityContext(spec.run, spec.command));
  return { info, fn, args, headers: { ...spec.command.headers } };
}
