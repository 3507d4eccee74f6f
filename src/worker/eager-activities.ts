/**
 * Eager activity dispatch, the workflow side: before a workflow task completion is sent, each
 * ScheduleActivityTask command that may run eagerly gets an activity slot reserved on this worker,
 * or its `requestEagerExecution` is cleared. The server starts the activities it accepts and returns
 * them in the completion's response; they run at once, skipping a poll round trip.
 *
 * @module
 */
import type { ProtoTypes } from '../proto/index.js';
import { temporal } from '../proto/index.js';

type ICommand = ProtoTypes.temporal.api.command.v1.ICommand;
type ActivityTask = ProtoTypes.temporal.api.workflowservice.v1.IPollActivityTaskQueueResponse;

const SCHEDULE_ACTIVITY = temporal.api.enums.v1.CommandType.COMMAND_TYPE_SCHEDULE_ACTIVITY_TASK;

/** At most this many activities of one workflow task are requested eagerly by default (as by the official worker). */
export const MAX_EAGER_ACTIVITY_RESERVATIONS_PER_WORKFLOW_TASK = 3;

/** The activity side of a worker, as eager dispatch needs it (implemented by `ActivityWorker`). */
export interface EagerActivitySlots {
  /** Reserves a slot for an activity task that may arrive in a completion response; false if none is free. */
  tryReserveEagerSlot(): boolean;
  /** Gives back reserved slots no task came for. */
  releaseEagerSlots(count: number): void;
  /** Runs an eagerly dispatched task in a reserved slot. */
  executeEager(task: ActivityTask): void;
}

/** The commands to send (copied where a request was withdrawn) and how many slots were reserved. */
export interface EagerReservation {
  readonly commands: ICommand[];
  readonly reserved: number;
}

/**
 * Reserves slots for the ScheduleActivityTask commands that ask for eager execution (the workflow
 * side asks only for activities on the worker's own task queue that allow eager dispatch), up to
 * `max` (the worker's `maxEagerActivityReservationsPerWorkflowTask`); the others stop asking.
 * Without `slots` (a worker that does not poll activities) no command asks.
 */
export function reserveEagerActivities(
  commands: ICommand[],
  slots: EagerActivitySlots | undefined,
  max = MAX_EAGER_ACTIVITY_RESERVATIONS_PER_WORKFLOW_TASK,
): EagerReservation {
  let reserved = 0;
  let out = commands;
  for (let i = 0; i < commands.length; i++) {
    const command = commands[i]!;
    const attrs = command.scheduleActivityTaskCommandAttributes;
    if (command.commandType !== SCHEDULE_ACTIVITY || !attrs?.requestEagerExecution) continue;
    if (slots && reserved < max && slots.tryReserveEagerSlot()) {
      reserved++;
      continue;
    }
    if (out === commands) out = commands.slice();
    out[i] = { ...command, scheduleActivityTaskCommandAttributes: { ...attrs, requestEagerExecution: false } };
  }
  return { commands: out, reserved };
}

/**
 * Hands the activity tasks of a completion response to the activity side and gives back the
 * reservations left over (all of them when the completion failed: `tasks` undefined).
 */
export function settleEagerActivities(slots: EagerActivitySlots | undefined, reserved: number, tasks: readonly ActivityTask[] | null | undefined): void {
  if (!slots) return;
  const received = tasks ?? [];
  for (const task of received) slots.executeEager(task);
  if (reserved > received.length) slots.releaseEagerSlots(reserved - received.length);
}
