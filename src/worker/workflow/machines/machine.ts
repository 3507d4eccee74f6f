/**
 * What every per-command state machine shares: the context an event is applied in, the responses a
 * machine hands back to the orchestrator (jobs for the workflow, new commands, protocol messages,
 * ...), and the base class with the checks common to all machines.
 *
 * @module
 */
import type { ProtoTypes } from '../../../proto/index.js';
import type { ActivationJob, ScheduleLocalActivityCommand } from '../../../workflow/runtime/protocol.js';
import { MachineMismatch } from '../errors.js';
import { commandTypeName, eventTypeName, eventTypeOf, type HistoryEvent } from '../history-events.js';
import { CoreFlag, type InternalFlags } from '../internal-flags.js';

export type ICommand = ProtoTypes.temporal.api.command.v1.ICommand;
export type IMessage = ProtoTypes.temporal.api.protocol.v1.IMessage;
export type IUserMetadata = ProtoTypes.temporal.api.sdk.v1.IUserMetadata;

/** The event being applied and the run's situation when it is. */
export interface EventContext {
  event: HistoryEvent;
  eventId: number;
  /** Whether the workflow task this event belongs to is being replayed. */
  replaying: boolean;
  /** Whether this event belongs to the last workflow task in the known history. */
  lastTaskInHistory: boolean;
  flags: InternalFlags;
}

/** What applying an event or a command to a machine asks the orchestrator to do. */
export type MachineResponse =
  /** Give the workflow this job in its next activation. */
  | { kind: 'job'; job: ActivationJob }
  /** A further command of this machine to send (cancel a timer, request an activity's cancellation, ...). */
  | { kind: 'command'; command: ICommand }
  /** A protocol message to send with the task's response (update acceptance, rejection, outcome). */
  | { kind: 'message'; message: IMessage }
  /** A command the machines issue on the workflow's behalf, with a machine of its own. */
  | { kind: 'coreCommand'; command: ICommand }
  /** A workflow task started (or completed): workflow time and the current task advance. */
  | { kind: 'taskStarted'; startedEventId: number; timeMs: number }
  /** The run was reset: the randomness seed derives from this run id from now on. */
  | { kind: 'runIdReset'; runId: string }
  /** Execute this local activity. */
  | { kind: 'queueLocalActivity'; request: ScheduleLocalActivityCommand }
  /** Stop this local activity (executing or retrying). */
  | { kind: 'cancelLocalActivity'; seq: number }
  /** This local activity will never report back: stop tracking it. */
  | { kind: 'abandonLocalActivity'; seq: number }
  /** Workflow time moves forward to this time (a local activity completed). */
  | { kind: 'workflowTime'; timeMs: number };

export const job = (j: ActivationJob): MachineResponse => ({ kind: 'job', job: j });

/**
 * Core's id-and-type check (flag `IdAndTypeDeterminismChecks`, used when `ctx` allows it): the id
 * and type history recorded for `command` must be the ones the code asked for.
 *
 * @param noun how the command names them (`activity` → `activityType`, `activityId`)
 * @throws MachineMismatch naming both
 */
export function checkIdAndType(
  ctx: EventContext,
  command: string,
  noun: string,
  recorded: { id: string; type: string },
  mine: { id: string; type: string },
): void {
  if (!ctx.flags.tryUse(CoreFlag.IdAndTypeDeterminismChecks, ctx.lastTaskInHistory)) return;
  if (recorded.id === mine.id && recorded.type === mine.type) return;
  const describe = (v: { id: string; type: string }): string => `${command}(${noun}Type=${v.type}, ${noun}Id=${v.id})`;
  throw new MachineMismatch(describe(recorded), describe(mine));
}

/** The shared behaviour of the per-command state machines. */
export abstract class StateMachine {
  /** Human-readable kind, used in error messages ("Timer", "Activity", ...). */
  abstract readonly name: string;
  /** The current state (each machine declares its own union of state names). */
  protected abstract current: string;

  /** The current state's name. */
  get state(): string {
    return this.current;
  }

  /** Applies a history event (a command event matched to this machine's command, or a later event it owns). */
  abstract handleEvent(ctx: EventContext): MachineResponse[];

  /** Whether the machine has reached a terminal state. */
  abstract isFinal(): boolean;

  /**
   * The machine's queued command of type `commandType` is about to be sent (it leaves the current
   * activation's commands for the task's outgoing commands).
   */
  handleCommand(commandType: number): MachineResponse[] {
    if (!this.acceptsCommand(commandType)) {
      throw new MachineMismatch('', '', `${this.name} machine in state ${this.state} cannot issue ${commandTypeName(commandType)}`);
    }
    return [];
  }

  /** Set by a machine whose command is cancelled before it was ever sent. */
  protected cancelledBeforeSent = false;

  /** Whether the machine's command was cancelled before it was ever sent (then neither it nor its event exist). */
  wasCancelledBeforeSent(): boolean {
    return this.cancelledBeforeSent;
  }

  /** Whether sending a command of this type is a valid step in the current state (default: always). */
  protected acceptsCommand(_commandType: number): boolean {
    return true;
  }

  /** The error for an event this machine's current state does not accept. */
  protected unexpected(ctx: EventContext): MachineMismatch {
    return new MachineMismatch(
      eventTypeName(eventTypeOf(ctx.event)),
      `${this.name} in state ${this.state}`,
      `${this.name} machine in state ${this.state} cannot handle ${eventTypeName(eventTypeOf(ctx.event))}`
    );
  }
}
