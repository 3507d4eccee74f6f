/**
 * Turning a polled activity task into what an execution needs: the activity's {@link Info}, its
 * function and its decoded arguments. Problems become `ApplicationFailure`s that fail the task.
 *
 * @module
 */
import { decodePriority } from '../../common/priority.js';
import type { Info } from '../../activity/info.js';
import type { LoadedDataConverter } from '../../common/data-converter.js';
import { optionalTsToMs, tsToMs } from '../../common/duration.js';
import { ApplicationFailure } from '../../common/failure.js';
import { decodePayloads } from '../../common/payload-codec.js';
import { arrayFromPayloads, fromPayloadsAtIndex } from '../../common/payload-converter.js';
import type { Payload } from '../../common/proto-types.js';
import { decompileRetryPolicy } from '../../common/retry-policy.js';
import type { ActivitySerializationContext } from '../../common/serialization-context.js';
import { errorMessage } from '../../common/type-helpers.js';
import type { CompiledActivityWorkerOptions } from './options.js';
import type { PollActivityTaskQueueResponse } from './rpc.js';

/** An activity task ready to run. */
export interface PreparedActivity {
  info: Info;
  fn: (...args: unknown[]) => unknown;
  args: unknown[];
  headers: Record<string, Payload>;
}

/** The serialization context of an activity task's payloads. */
export function activitySerializationContext(task: PollActivityTaskQueueResponse, namespace: string): ActivitySerializationContext {
  return {
    type: 'activity',
    namespace: task.workflowNamespace || namespace,
    activityId: task.activityId || undefined,
    workflowId: task.workflowExecution?.workflowId || undefined,
    isLocal: false,
  };
}

/** The task token in base64 (how tokens appear in logs and `Info.base64TaskToken`). */
export function base64TaskToken(token: Uint8Array | null | undefined): string {
  return token ? Buffer.from(token).toString('base64') : '';
}

async function decodeHeartbeatDetails(
  task: PollActivityTaskQueueResponse,
  converter: LoadedDataConverter,
  context: ActivitySerializationContext
): Promise<unknown> {
  try {
    const decoded = await decodePayloads(converter.payloadCodecs, task.heartbeatDetails?.payloads ?? [], context);
    return fromPayloadsAtIndex(converter.payloadConverter, 0, decoded, context);
  } catch (error) {
    throw ApplicationFailure.fromError(error, {
      message: `Failed to parse heartbeat details for activity ${task.activityId}: ${errorMessage(error) ?? String(error)}`,
    });
  }
}

/**
 * The {@link Info} of a polled task, with its heartbeat details decoded.
 *
 * @example
 * ```ts
 * const info = await activityInfoFromTask(task, compiledOptions);
 * ```
 */
export async function activityInfoFromTask(
  task: PollActivityTaskQueueResponse,
  options: Pick<CompiledActivityWorkerOptions, 'namespace' | 'taskQueue' | 'dataConverter'>
): Promise<Info> {
  const context = activitySerializationContext(task, options.namespace);
  const inWorkflow = Boolean(task.workflowExecution?.workflowId);
  const taskToken = task.taskToken ?? new Uint8Array();
  return {
    taskToken,
    base64TaskToken: base64TaskToken(taskToken),
    activityId: task.activityId ?? '',
    activityType: task.activityType?.name ?? '',
    activityNamespace: options.namespace,
    namespace: task.workflowNamespace || options.namespace,
    attempt: task.attempt || 1,
    isLocal: false,
    inWorkflow,
    workflowExecution: inWorkflow
      ? { workflowId: task.workflowExecution?.workflowId ?? '', runId: task.workflowExecution?.runId ?? '' }
      : undefined,
    workflowType: inWorkflow ? (task.workflowType?.name ?? undefined) : undefined,
    workflowNamespace: inWorkflow ? (task.workflowNamespace ?? undefined) : undefined,
    taskQueue: options.taskQueue,
    scheduledTimestampMs: tsToMs(task.scheduledTime),
    currentAttemptScheduledTimestampMs: tsToMs(task.currentAttemptScheduledTime),
    scheduleToCloseTimeoutMs: tsToMs(task.scheduleToCloseTimeout),
    startToCloseTimeoutMs: tsToMs(task.startToCloseTimeout),
    heartbeatTimeoutMs: optionalTsToMs(task.heartbeatTimeout),
    heartbeatDetails: await decodeHeartbeatDetails(task, options.dataConverter, context),
    priority: decodePriority(task.priority),
    retryPolicy: decompileRetryPolicy(task.retryPolicy),
    activityRunId: undefined,
  };
}

/**
 * The function registered for `activityType` (or the `default` one), or a retryable
 * `NotFoundError` failure naming the registered types (the official worker's message).
 */
export function lookupActivity(
  activities: ReadonlyMap<string, (...args: unknown[]) => unknown>,
  activityType: string
): (...args: unknown[]) => unknown {
  const fn = activities.get(activityType) ?? activities.get('default');
  if (fn) return fn;
  throw ApplicationFailure.create({
    type: 'NotFoundError',
    message: `Activity function ${activityType} is not registered on this Worker, available activities: ${JSON.stringify([...activities.keys()])}`,
    nonRetryable: false,
  });
}

/**
 * Decodes an activity's arguments (codecs, then the payload converter); a failure to decode is a
 * retryable `ApplicationFailure` naming the activity type.
 *
 * @example
 * ```ts
 * const args = await decodeActivityArgs(task.input?.payloads ?? [], 'greet', converter, context);
 * ```
 */
export async function decodeActivityArgs(
  payloads: readonly Payload[],
  activityType: string,
  converter: LoadedDataConverter,
  context: ActivitySerializationContext
): Promise<unknown[]> {
  try {
    const decoded = await decodePayloads(converter.payloadCodecs, [...payloads], context);
    return arrayFromPayloads(converter.payloadConverter, decoded, context);
  } catch (error) {
    throw ApplicationFailure.fromError(error, {
      message: `Failed to parse activity args for activity ${activityType}: ${errorMessage(error) ?? String(error)}`,
      nonRetryable: false,
    });
  }
}

/** Everything an execution needs from a task; throws an `ApplicationFailure` that fails the task. */
export async function prepareActivity(
  task: PollActivityTaskQueueResponse,
  options: Pick<CompiledActivityWorkerOptions, 'namespace' | 'taskQueue' | 'dataConverter' | 'activities'>
): Promise<PreparedActivity> {
  const info = await activityInfoFromTask(task, options);
  const fn = lookupActivity(options.activities, info.activityType);
  const context = activitySerializationContext(task, options.namespace);
  const args = await decodeActivityArgs((task.input?.payloads ?? []) as Payload[], info.activityType, options.dataConverter, context);
  return { info, fn, args, headers: (task.header?.fields ?? {}) as Record<string, Payload> };
}
