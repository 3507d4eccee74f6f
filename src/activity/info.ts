/**
 * What an activity knows about its own execution ({@link Info}), and the log attributes derived
 * from it.
 *
 * @module
 */
import type { RetryPolicy } from '../common/retry-policy.js';

import type { Priority } from '../common/priority.js';

export type { Priority };

/**
 * Information about the current activity execution, from `activityInfo()` or
 * `Context.current().info`. Field names match the official SDK's `Info`.
 */
export interface Info {
  /** Identifies this attempt to the server; use it to complete the activity asynchronously. */
  readonly taskToken: Uint8Array;
  /** {@link taskToken} in base64. */
  readonly base64TaskToken: string;
  /** The activity's id, unique within its workflow run. */
  readonly activityId: string;
  /** The activity's type: the name under which its function is registered. */
  readonly activityType: string;
  /**
   * The namespace the activity runs in.
   *
   * @deprecated Use {@link namespace}.
   */
  readonly activityNamespace: string;
  /** The namespace the activity runs in. */
  readonly namespace: string;
  /** 1 for the first attempt, incremented by each retry. */
  readonly attempt: number;
  /** Whether this is a local activity (run by the workflow's worker, recorded as a marker). */
  readonly isLocal: boolean;
  /** Whether a workflow scheduled this activity. */
  readonly inWorkflow: boolean;
  /** The workflow run that scheduled the activity, when {@link inWorkflow}. */
  readonly workflowExecution?: { readonly workflowId: string; readonly runId: string };
  /** The workflow's type, when {@link inWorkflow}. */
  readonly workflowType?: string;
  /**
   * The workflow's namespace, when {@link inWorkflow}.
   *
   * @deprecated Use {@link namespace}.
   */
  readonly workflowNamespace?: string;
  /** The task queue the activity was dispatched on. */
  readonly taskQueue: string;
  /** When the first attempt was scheduled, in epoch milliseconds. */
  readonly scheduledTimestampMs: number;
  /** When the current attempt was scheduled, in epoch milliseconds. */
  readonly currentAttemptScheduledTimestampMs: number;
  /** Schedule-to-close timeout in milliseconds (0 when unlimited). */
  readonly scheduleToCloseTimeoutMs: number;
  /** Start-to-close timeout in milliseconds. */
  readonly startToCloseTimeoutMs: number;
  /** Heartbeat timeout in milliseconds; `undefined` when the activity need not heartbeat. */
  readonly heartbeatTimeoutMs?: number;
  /**
   * The details of the last heartbeat recorded by a previous attempt (decoded), or `undefined`.
   * Use them to resume from a checkpoint.
   */
  readonly heartbeatDetails: unknown;
  /** Scheduling priority. */
  readonly priority?: Priority;
  /** The retry policy the server applies (which may differ from the one requested). */
  readonly retryPolicy?: RetryPolicy;
  /** Run id of a standalone activity (one not scheduled by a workflow). */
  readonly activityRunId?: string;
}

/**
 * The attributes added to every log entry of an activity: the same keys as the official SDK.
 *
 * @example
 * ```ts
 * logger.info('Activity started', activityLogAttributes(info));
 * ```
 */
export function activityLogAttributes(info: Info): Record<string, unknown> {
  const attributes: Record<string, unknown> = {
    isLocal: info.isLocal,
    attempt: info.attempt,
    namespace: info.namespace,
    taskToken: info.base64TaskToken,
    activityId: info.activityId,
    activityType: info.activityType,
    taskQueue: info.taskQueue,
  };
  if (info.inWorkflow && info.workflowExecution) {
    attributes['workflowId'] = info.workflowExecution.workflowId;
    attributes['workflowRunId'] = info.workflowExecution.runId;
    attributes['workflowType'] = info.workflowType;
  } else {
    attributes['activityRunId'] = info.activityRunId;
  }
  return attributes;
}
