/**
 * Matching a command event of history with the next command the workflow produced: the command's
 * kind must be one that records this event, then its machine checks the details. Patch markers and
 * local activity markers get the special treatment Core gives them (deprecated patch markers and
 * their search attribute upserts may be absent from the code; a local activity resolved from a peeked
 * marker takes its marker without a queued command).
 *
 * @module
 */
import { CommandType, EventType, eventIdOf, eventTypeOf, isLocalActivityMarker, patchMarkerDetails, CHANGE_VERSION_SEARCH_ATTRIBUTE, type HistoryEvent } from './history-events.js';
import type { ICommand, StateMachine } from './machines/machine.js';
import { PatchMachine } from './machines/patch-machine.js';
import { LocalActivityMachine, localActivityMarkerData } from './machines/local-activity-machine.js';
import { InvalidHistoryError, NondeterminismError } from './errors.js';
import type { WorkflowMachines } from './workflow-machines.js';

/** Where a command came from: the activation that produced it and its index in that completion. */
export interface CommandOrigin {
  activation: number;
  index: number;
}

/** A command waiting for its event, with the machine that owns it. */
export interface QueuedCommand {
  command: ICommand;
  machine: StateMachine;
  origin?: CommandOrigin;
}

/** The event types that record each command type. */
const EVENTS_OF_COMMAND: Record<number, readonly number[]> = {
  [CommandType.COMMAND_TYPE_SCHEDULE_ACTIVITY_TASK]: [EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED],
  [CommandType.COMMAND_TYPE_REQUEST_CANCEL_ACTIVITY_TASK]: [EventType.EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED],
  [CommandType.COMMAND_TYPE_START_TIMER]: [EventType.EVENT_TYPE_TIMER_STARTED],
  [CommandType.COMMAND_TYPE_CANCEL_TIMER]: [EventType.EVENT_TYPE_TIMER_CANCELED],
  [CommandType.COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION]: [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED],
  [CommandType.COMMAND_TYPE_FAIL_WORKFLOW_EXECUTION]: [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED],
  [CommandType.COMMAND_TYPE_CANCEL_WORKFLOW_EXECUTION]: [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED],
  [CommandType.COMMAND_TYPE_CONTINUE_AS_NEW_WORKFLOW_EXECUTION]: [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW],
  [CommandType.COMMAND_TYPE_RECORD_MARKER]: [EventType.EVENT_TYPE_MARKER_RECORDED],
  [CommandType.COMMAND_TYPE_START_CHILD_WORKFLOW_EXECUTION]: [EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED],
  [CommandType.COMMAND_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION]: [EventType.EVENT_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED],
  [CommandType.COMMAND_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION]: [EventType.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED],
  [CommandType.COMMAND_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES]: [EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES],
  [CommandType.COMMAND_TYPE_MODIFY_WORKFLOW_PROPERTIES]: [EventType.EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED],
  [CommandType.COMMAND_TYPE_PROTOCOL_MESSAGE]: [
    EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED,
    EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED,
  ],
};

type Outcome = 'normal' | 'skipCommand' | 'skipEvent' | 'skipEventAndNext';

/** Whether the event is the TemporalChangeVersion upsert Core writes right after a patch marker. */
function isChangeVersionUpsert(event: HistoryEvent | undefined): boolean {
  const fields = event?.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields;
  return fields !== undefined && fields !== null && CHANGE_VERSION_SEARCH_ATTRIBUTE in fields;
}

/** Core's patch rules: which of the event and the next queued command to skip. */
function patchMarkerHandling(event: HistoryEvent, machine: StateMachine | undefined, next: HistoryEvent | undefined): Outcome {
  const patch = patchMarkerDetails(event);
  const patchMachine = machine instanceof PatchMachine ? machine : undefined;
  const skipEvent = (): Outcome => (isChangeVersionUpsert(next) ? 'skipEventAndNext' : 'skipEvent');
  if (patch) {
    if (patchMachine) return !patchMachine.matches(patch.patchId) && patch.deprecated ? skipEvent() : 'normal';
    if (patch.deprecated) return skipEvent(); // deprecated markers need no matching patched() call
    throw new NondeterminismError({
      eventId: eventIdOf(event),
      eventType: 'EVENT_TYPE_MARKER_RECORDED',
      expected: `patch ${patch.patchId}`,
      actual: 'no patch',
      detail: `history has the marker of patch '${patch.patchId}' but the workflow code did not call patched('${patch.patchId}') there`,
    });
  }
  // A patch command with no marker in history (the patch did not exist then): drop the command.
  return patchMachine ? 'skipCommand' : 'normal';
}

/**
 * Matches a command event with the next queued command and applies it to that command's machine.
 * Returns 'skipNext' when the following event must be skipped too.
 */
export function matchCommandEvent(m: WorkflowMachines, event: HistoryEvent, next: HistoryEvent | undefined): 'normal' | 'skipNext' {
  if (isLocalActivityMarker(event) && applyPeekedLocalActivityMarker(m, event)) return 'normal';
  let matched: QueuedCommand;
  for (;;) {
    const outcome = patchMarkerHandling(event, m.commands[0]?.machine, next);
    if (outcome === 'skipCommand') {
      m.commands.shift();
      continue;
    }
    if (outcome === 'skipEvent') return 'normal';
    if (outcome === 'skipEventAndNext') return 'skipNext';
    const queued = m.commands.shift();
    if (!queued) throw m.nondeterminism(event, undefined, undefined);
    if (queued.machine.wasCancelledBeforeSent()) continue;
    const accepted = EVENTS_OF_COMMAND[queued.command.commandType ?? 0] ?? [];
    if (!accepted.includes(eventTypeOf(event))) throw m.nondeterminism(event, undefined, queued);
    m.feed(queued.machine, event, queued);
    matched = queued;
    break;
  }
  if (!matched.machine.isFinal()) m.machinesByEventId.set(eventIdOf(event), matched.machine);
  return 'normal';
}

/**
 * A local activity resolved on replay from a peeked marker takes its marker here, without a queued
 * command. Returns false when the marker must instead match the activity's queued RecordMarker.
 */
function applyPeekedLocalActivityMarker(m: WorkflowMachines, event: HistoryEvent): boolean {
  const data = localActivityMarkerData(event);
  if (!data) throw new InvalidHistoryError(`Local activity marker ${eventIdOf(event)} cannot be parsed`);
  const machine = m.machinesByCommandId.get(`localActivity:${data.seq}`);
  if (!machine) {
    throw new NondeterminismError({
      eventId: eventIdOf(event),
      eventType: 'EVENT_TYPE_MARKER_RECORDED',
      expected: `local activity ${data.seq} (${data.activityType})`,
      actual: 'no local activity',
      detail: `history has the marker of local activity ${data.seq} (${data.activityType}) but the workflow code scheduled no local activity ${data.seq}`,
    });
  }
  if (!(machine instanceof LocalActivityMachine)) throw new InvalidHistoryError(`Local activity marker ${eventIdOf(event)} matches a command that is not a local activity`);
  if (!machine.markerNeedsSpecialHandling()) return false;
  m.feed(machine, event);
  return true;
}
