/** Workflow and activity timeout normalization, as a Temporal server applies it. Pure functions. */
import { invalidArgument } from '../errors.js';

/** Default workflow-task start-to-close timeout. */
export const DEFAULT_WORKFLOW_TASK_TIMEOUT_MS = 10_000;
/** Upper bound on the workflow-task timeout. */
export const MAX_WORKFLOW_TASK_TIMEOUT_MS = 120_000;

export interface WorkflowTimeouts {
  executionTimeoutMs: number;
  runTimeoutMs: number;
  taskTimeoutMs: number;
}

/**
 * Execution timeout 0 = infinite; run timeout = min(run, execution) (or execution when run is 0);
 * task timeout defaults to 10 s and is capped at 120 s and at the run timeout.
 */
export function normalizeWorkflowTimeouts(executionMs: number, runMs: number, taskMs: number): WorkflowTimeouts {
  if (executionMs < 0) throw invalidArgument('Invalid WorkflowExecutionTimeout.');
  if (runMs < 0) throw invalidArgument('Invalid WorkflowRunTimeout.');
  if (taskMs < 0) throw invalidArgument('Invalid WorkflowTaskTimeout.');
  let runTimeoutMs = runMs;
  if (executionMs > 0 && (runTimeoutMs === 0 || runTimeoutMs > executionMs)) runTimeoutMs = executionMs;
  let taskTimeoutMs = taskMs === 0 ? DEFAULT_WORKFLOW_TASK_TIMEOUT_MS : taskMs;
  taskTimeoutMs = Math.min(taskTimeoutMs, MAX_WORKFLOW_TASK_TIMEOUT_MS);
  if (runTimeoutMs > 0) taskTimeoutMs = Math.min(taskTimeoutMs, runTimeoutMs);
  return { executionTimeoutMs: executionMs, runTimeoutMs, taskTimeoutMs };
}

export interface ActivityTimeouts {
  scheduleToCloseMs: number;
  scheduleToStartMs: number;
  startToCloseMs: number;
  heartbeatMs: number;
}

/**
 * Schedule-to-close set: missing schedule-to-start / start-to-close take its value and set ones are
 * capped by it. Only start-to-close set: schedule-to-close and a missing schedule-to-start become the
 * run timeout. Neither: INVALID_ARGUMENT. All capped by the run timeout when > 0; heartbeat ≤ start-to-close.
 */
export function normalizeActivityTimeouts(t: ActivityTimeouts, runTimeoutMs: number, activityId: string): ActivityTimeouts {
  let { scheduleToCloseMs, scheduleToStartMs, startToCloseMs, heartbeatMs } = t;
  if (scheduleToCloseMs < 0 || scheduleToStartMs < 0 || startToCloseMs < 0 || heartbeatMs < 0) {
    throw invalidArgument(`Invalid ScheduleActivityTaskCommandAttributes: a timeout is negative. ActivityId=${activityId}`);
  }
  if (scheduleToCloseMs > 0) {
    scheduleToStartMs = scheduleToStartMs === 0 ? scheduleToCloseMs : Math.min(scheduleToStartMs, scheduleToCloseMs);
    startToCloseMs = startToCloseMs === 0 ? scheduleToCloseMs : Math.min(startToCloseMs, scheduleToCloseMs);
  } else if (startToCloseMs > 0) {
    scheduleToCloseMs = runTimeoutMs;
    if (scheduleToStartMs === 0) scheduleToStartMs = runTimeoutMs;
  } else {
    throw invalidArgument(
      `A valid StartToClose or ScheduleToCloseTimeout is not set on ScheduleActivityTaskCommand. ActivityId=${activityId}`,
    );
  }
  if (runTimeoutMs > 0) {
    const cap = (v: number): number => (v === 0 ? runTimeoutMs : Math.min(v, runTimeoutMs));
    scheduleToCloseMs = cap(scheduleToCloseMs);
    scheduleToStartMs = cap(scheduleToStartMs);
    startToCloseMs = cap(startToCloseMs);
  }
  heartbeatMs = Math.min(heartbeatMs, startToCloseMs);
  return { scheduleToCloseMs, scheduleToStartMs, startToCloseMs, heartbeatMs };
}
