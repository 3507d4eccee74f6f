/**
 * Turning the commands of an activation's completion into machines and queued API commands: each
 * command kind creates its machine (or, for cancellations and update responses, acts on an existing
 * one), then the activation's commands join the task's outgoing commands.
 *
 * @module
 */
import type { ScheduleLocalActivityCommand, WorkflowCommand } from '../../workflow/runtime/protocol.js';
import type { CommandOrigin, QueuedCommand } from './command-events.js';
import { MachineMismatch, NondeterminismError, WorkflowMachinesStateError } from './errors.js';
import { CoreFlag } from './internal-flags.js';
import { eventTypeName } from './history-events.js';
import { ActivityMachine, scheduleActivityCommand } from './machines/activity-machine.js';
import { CancelExternalMachine, requestCancelExternalCommand } from './machines/cancel-external-machine.js';
import { ChildWorkflowMachine, startChildCommand } from './machines/child-workflow-machine.js';
import { LocalActivityMachine } from './machines/local-activity-machine.js';
import type { ICommand, MachineResponse, StateMachine } from './machines/machine.js';
import { changeVersionUpsertCommand, PatchMachine, patchMarkerCommand } from './machines/patch-machine.js';
import { modifyPropertiesCommand, PropertiesMachine, upsertSearchAttributesCommand } from './machines/properties-machine.js';
import { SignalExternalMachine, signalExternalCommand } from './machines/signal-external-machine.js';
import { TimerMachine, startTimerCommand } from './machines/timer-machine.js';
import {
  cancelWorkflowCommand,
  completeWorkflowCommand,
  continueAsNewCommand,
  failWorkflowCommand,
  WorkflowCloseMachine,
} from './machines/workflow-close-machine.js';
import type { WorkflowMachines } from './workflow-machines.js';

type CommandOf<K extends WorkflowCommand['kind']> = Extract<WorkflowCommand, { kind: K }>;

const TERMINAL_KINDS = new Set<WorkflowCommand['kind']>([
  'completeWorkflowExecution',
  'failWorkflowExecution',
  'cancelWorkflowExecution',
  'continueAsNewWorkflowExecution',
]);

/** A command of a completion with its index there (the index survives reordering). */
export interface IndexedCommand {
  command: WorkflowCommand;
  index: number;
}

/**
 * The commands to apply, without query answers. Commands after the first terminal one are kept
 * (the terminal one moves last) — unless replaying a history written before Core's
 * MoveTerminalCommands flag, when they are dropped as older SDKs did.
 */
export function orderCommands(m: WorkflowMachines, commands: readonly WorkflowCommand[]): IndexedCommand[] {
  const indexed = commands.map((command, index) => ({ command, index })).filter((c) => c.command.kind !== 'respondToQuery');
  const terminal = indexed.findIndex((c) => TERMINAL_KINDS.has(c.command.kind));
  if (terminal < 0) return indexed;
  if (m.replaying && !m.flags.tryUse(CoreFlag.MoveTerminalCommands, false)) return indexed.slice(0, terminal + 1);
  const others = indexed.filter((c) => !TERMINAL_KINDS.has(c.command.kind));
  return [...others, indexed[terminal] as IndexedCommand];
}

/** Applies a completion's commands to the machines and queues the resulting API commands. */
export function applyCommands(m: WorkflowMachines, commands: readonly IndexedCommand[], now: () => number): void {
  for (const { command, index } of commands) {
    const origin: CommandOrigin = { activation: m.activationNumber, index };
    try {
      applyCommand(m, command, origin, now);
    } catch (error) {
      if (!(error instanceof MachineMismatch)) throw error;
      const lastType = m.history.eventType(m.lastProcessedEventId);
      throw new NondeterminismError({
        eventId: m.lastProcessedEventId,
        eventType: lastType === undefined ? 'none' : eventTypeName(lastType),
        expected: error.expected,
        actual: error.actual,
        commandIndex: index,
        detail: error.detail,
      });
    }
  }
  m.applyPeekedLocalActivityResolutions();
  prepareCommands(m);
}

function addCommand(m: WorkflowMachines, machine: StateMachine, command: ICommand, origin: CommandOrigin, id?: string): void {
  if (id !== undefined) m.machinesByCommandId.set(id, machine);
  m.currentTaskCommands.push({ command, machine, origin });
}

function existing<T extends StateMachine>(m: WorkflowMachines, id: string, type: new (...args: never[]) => T, what: string): T {
  const machine = m.machinesByCommandId.get(id);
  if (!(machine instanceof type)) throw new WorkflowMachinesStateError(`The workflow cancelled ${what}, which it never started`);
  return machine;
}

function applyCommand(m: WorkflowMachines, cmd: WorkflowCommand, origin: CommandOrigin, now: () => number): void {
  const respond = (machine: StateMachine, responses: MachineResponse[]): void => m.processResponses(machine, responses, origin);
  switch (cmd.kind) {
    case 'startTimer':
      return addCommand(m, new TimerMachine(cmd.seq), startTimerCommand(cmd), origin, `timer:${cmd.seq}`);
    case 'cancelTimer': {
      const timer = existing(m, `timer:${cmd.seq}`, TimerMachine, `timer ${cmd.seq}`);
      return respond(timer, timer.cancel());
    }
    case 'scheduleActivity':
      return addCommand(m, new ActivityMachine(cmd), scheduleActivityCommand(cmd, m.run.taskQueue), origin, `activity:${cmd.seq}`);
    case 'requestCancelActivity': {
      const activity = existing(m, `activity:${cmd.seq}`, ActivityMachine, `activity ${cmd.seq}`);
      return respond(activity, activity.cancel());
    }
    case 'scheduleLocalActivity':
      return scheduleLocalActivity(m, cmd, now);
    case 'requestCancelLocalActivity': {
      const la = existing(m, `localActivity:${cmd.seq}`, LocalActivityMachine, `local activity ${cmd.seq}`);
      return respond(la, la.cancel());
    }
    case 'respondToQuery':
      return;
    case 'updateResponse': {
      const update = m.updateMachines.get(cmd.protocolInstanceId);
      if (!update) throw new WorkflowMachinesStateError(`The workflow responded to update ${cmd.protocolInstanceId}, which it was never asked to run`);
      return respond(update, update.respond(cmd));
    }
    case 'completeWorkflowExecution':
    case 'failWorkflowExecution':
    case 'cancelWorkflowExecution':
    case 'continueAsNewWorkflowExecution':
      return addTerminal(m, cmd, origin);
    default:
      return applyOtherCommand(m, cmd, origin, respond);
  }
}

function applyOtherCommand(m: WorkflowMachines, cmd: WorkflowCommand, origin: CommandOrigin, respond: (machine: StateMachine, r: MachineResponse[]) => void): void {
  switch (cmd.kind) {
    case 'setPatchMarker':
      return setPatchMarker(m, cmd, origin);
    case 'startChildWorkflowExecution':
      return addCommand(m, new ChildWorkflowMachine(cmd, m.run.namespace), startChildCommand(cmd, m.run), origin, `child:${cmd.seq}`);
    case 'cancelChildWorkflowExecution': {
      const child = existing(m, `child:${cmd.childWorkflowSeq}`, ChildWorkflowMachine, `child workflow ${cmd.childWorkflowSeq}`);
      return respond(child, child.cancel(cmd.reason));
    }
    case 'requestCancelExternalWorkflowExecution': {
      const command = requestCancelExternalCommand(cmd, m.run.namespace, m.run.runId);
      return addCommand(m, new CancelExternalMachine(cmd.seq), command, origin, `cancelExternal:${cmd.seq}`);
    }
    case 'signalExternalWorkflowExecution':
      return addCommand(m, new SignalExternalMachine(cmd.seq), signalExternalCommand(cmd, m.run.namespace), origin, `signalExternal:${cmd.seq}`);
    case 'cancelSignalWorkflow': {
      const signal = existing(m, `signalExternal:${cmd.seq}`, SignalExternalMachine, `signal ${cmd.seq}`);
      return respond(signal, signal.cancel());
    }
    case 'upsertWorkflowSearchAttributes':
      Object.assign(m.searchAttributeUpdates, cmd.searchAttributes);
      return addCommand(m, new PropertiesMachine('upsertSearchAttributes'), upsertSearchAttributesCommand(cmd.searchAttributes, m.flags, m.replaying), origin);
    case 'modifyWorkflowProperties':
      return addCommand(m, new PropertiesMachine('modifyProperties'), modifyPropertiesCommand(cmd), origin);
    default:
      throw new WorkflowMachinesStateError(`Unknown workflow command kind '${(cmd as { kind?: unknown }).kind as string}'`);
  }
}

function scheduleLocalActivity(m: WorkflowMachines, cmd: CommandOf<'scheduleLocalActivity'>, now: () => number): void {
  if (cmd.scheduleToCloseTimeoutMs === undefined && cmd.startToCloseTimeoutMs === undefined) {
    throw new WorkflowMachinesStateError(`Local activity ${cmd.seq} (${cmd.activityType}) needs a scheduleToCloseTimeout or a startToCloseTimeout`);
  }
  const request: ScheduleLocalActivityCommand = { ...cmd, originalScheduleTimeMs: cmd.originalScheduleTimeMs ?? now() };
  const machine = new LocalActivityMachine(request, m.replaying, m.currentTimeMs);
  m.machinesByCommandId.set(`localActivity:${cmd.seq}`, machine);
  m.processResponses(machine, machine.scheduleResponses());
}

function addTerminal(m: WorkflowMachines, cmd: WorkflowCommand, origin: CommandOrigin): void {
  let machine: WorkflowCloseMachine;
  let command: ICommand;
  if (cmd.kind === 'completeWorkflowExecution') [machine, command] = [new WorkflowCloseMachine('complete'), completeWorkflowCommand(cmd)];
  else if (cmd.kind === 'failWorkflowExecution') [machine, command] = [new WorkflowCloseMachine('fail'), failWorkflowCommand(cmd)];
  else if (cmd.kind === 'cancelWorkflowExecution') [machine, command] = [new WorkflowCloseMachine('cancel'), cancelWorkflowCommand()];
  else if (cmd.kind === 'continueAsNewWorkflowExecution') {
    [machine, command] = [new WorkflowCloseMachine('continueAsNew'), continueAsNewCommand(withCurrentValues(m, cmd), m.run.taskQueue)];
  } else return;
  m.workflowClosing = true;
  m.localActivities.indicateTerminating();
  addCommand(m, machine, command, origin);
}

/** Continue-as-new inherits memo, retry policy and current search attributes unless the workflow set them. */
function withCurrentValues(m: WorkflowMachines, cmd: CommandOf<'continueAsNewWorkflowExecution'>): CommandOf<'continueAsNewWorkflowExecution'> {
  const out = { ...cmd };
  const started = m.startedInfo;
  if ((!out.memo || Object.keys(out.memo).length === 0) && started && Object.keys(started.memo).length > 0) out.memo = started.memo;
  if (!out.retryPolicy && started?.retryPolicy) out.retryPolicy = started.retryPolicy;
  if (!out.searchAttributes) {
    const current = { ...started?.searchAttributes, ...m.searchAttributeUpdates };
    if (Object.keys(current).length > 0) out.searchAttributes = current;
  }
  return out;
}

/** `patched()` / `deprecatePatch()`: the marker (once per patch id) and, as Core does, the TemporalChangeVersion upsert. */
function setPatchMarker(m: WorkflowMachines, cmd: CommandOf<'setPatchMarker'>, origin: CommandOrigin): void {
  const seen = m.encounteredPatches.get(cmd.patchId);
  if (seen === true) return; // this run already issued the marker
  const machine = new PatchMachine(cmd.patchId);
  const used = [...m.encounteredPatches.entries()].filter(([, created]) => created).map(([id]) => id);
  addCommand(m, machine, patchMarkerCommand(cmd.patchId, cmd.deprecated), origin);
  const replayingAndAbsent = m.replaying && seen === undefined;
  const canUpsert = m.flags.tryUse(CoreFlag.UpsertSearchAttributeOnPatch, !m.replaying);
  if (!replayingAndAbsent && canUpsert) {
    const upsert = changeVersionUpsertCommand([...used, cmd.patchId]);
    if (upsert) m.processResponses(machine, [{ kind: 'coreCommand', command: upsert }], origin);
  }
  m.encounteredPatches.set(cmd.patchId, true);
}

/** Moves the activation's commands to the task's outgoing commands, dropping those cancelled before they were sent. */
export function prepareCommands(m: WorkflowMachines): void {
  m.commands = m.commands.filter((c) => !c.machine.wasCancelledBeforeSent());
  for (let c = m.currentTaskCommands.shift(); c !== undefined; c = m.currentTaskCommands.shift()) {
    if (c.machine.wasCancelledBeforeSent()) continue;
    sendCommand(m, c);
  }
}

function sendCommand(m: WorkflowMachines, c: QueuedCommand): void {
  try {
    m.processResponses(c.machine, c.machine.handleCommand(c.command.commandType ?? 0), c.origin);
  } catch (error) {
    if (!(error instanceof MachineMismatch)) throw error;
    throw new WorkflowMachinesStateError(error.message);
  }
  m.commands.push(c);
}
