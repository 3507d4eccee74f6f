/**
 * Local activities on the worker: executed on the worker's main thread with the same activity
 * context, interceptors and outcome mapping as activity tasks, on their own slots; retried locally
 * (or, past the local retry threshold, by a durable timer in the workflow); recorded as markers by
 * the run's state machines; workflow tasks answered as heartbeats while they run long.
 *
 * @example
 * ```ts
 * const manager = new LocalActivityManager({ activities, dataConverter, interceptors: [], maxConcurrentLocalActivityExecutions: 100, logger });
 * const las = new RunLocalActivities(manager, { namespace, taskQueue, workflowId, runId, workflowType });
 * const heartbeat = await settleLocalActivities(runner, machine, las, { deadlineMs: heartbeatDeadline(Date.now(), 10_000), answerPromptly: false });
 * ```
 * @module
 */
export { LocalActivityManager, type LocalActivityManagerOptions } from './local-activity-manager.js';
export { RunLocalActivities, type PendingResolution } from './run-local-activities.js';
export { heartbeatDeadline, settleLocalActivities, WFT_HEARTBEAT_FRACTION, type SettleOptions } from './settle-local-activities.js';
export { localActivityInfo, localActivityTimeouts, type LocalActivityRun, type LocalActivityTimeouts } from './local-activity-attempt.js';
export { localRetryDelayMs, localRetryPolicy, type LocalRetryPolicy } from './retry-delay.js';
