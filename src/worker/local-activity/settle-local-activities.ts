/**
 * Finishing a workflow task whose workflow runs local activities: start what the machines request,
 * feed each resolution back and run the activations it yields, until no local activity is left — or
 * until the task must be answered anyway (a workflow task "heartbeat"): 80% of the workflow task
 * timeout has passed, or the task carries queries to answer. The local activities then keep running
 * and resolve in a later task, which the heartbeat response (`forceCreateNewWorkflowTask`) asks for.
 *
 * @module
 */
import { runActivations, type ActivationRunner } from '../run-activations.js';
import type { WorkflowRunMachine } from '../run-machine-types.js';
import type { RunLocalActivities } from './run-local-activities.js';

/** The share of the workflow task timeout after which a task with local activities still running is answered as a heartbeat (Core's). */
export const WFT_HEARTBEAT_FRACTION = 0.8;

/** When a task that began at `taskStartMs` must be answered, as a heartbeat if local activities still run. */
export function heartbeatDeadline(taskStartMs: number, workflowTaskTimeoutMs: number): number {
  return taskStartMs + workflowTaskTimeoutMs * WFT_HEARTBEAT_FRACTION;
}

/** Options of {@link settleLocalActivities}. */
export interface SettleOptions {
  /** Epoch ms after which the task is answered as a heartbeat. */
  deadlineMs: number;
  /** Answer as soon as every activation has run, as a heartbeat if local activities still run (the task has queries). */
  answerPromptly: boolean;
}

/**
 * Drives the run's local activities for the current task.
 *
 * @returns true when the task must be answered as a heartbeat (local activities still running)
 * @example
 * ```ts
 * const heartbeat = await settleLocalActivities(runner, machine, las, { deadlineMs: heartbeatDeadline(start, 10_000), answerPromptly: false });
 * const response = machine.takeTaskResponse({ localActivityHeartbeat: heartbeat });
 * ```
 */
export async function settleLocalActivities(
  runner: ActivationRunner,
  machine: WorkflowRunMachine,
  las: RunLocalActivities,
  options: SettleOptions
): Promise<boolean> {
  for (;;) {
    las.dispatch(machine.takeLocalActivityRequests());
    const resolved = las.takeResolved();
    if (resolved.length > 0) {
      for (const { seq, resolution } of resolved) machine.resolveLocalActivity(seq, resolution);
      await runActivations(runner, machine);
      continue;
    }
    if (machine.pendingLocalActivityCount === 0) return false;
    if (options.answerPromptly) return true;
    if (!(await las.waitForResolution(options.deadlineMs))) return true;
  }
}
