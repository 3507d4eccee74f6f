/** Command → event rules for RespondWorkflowTaskCompleted, one handler per command type. */
import { status } from '@grpc/grpc-js';
import { longToNumber, msFromDuration } from '../../proto/index.js';
import { RpcError, invalidArgument } from '../errors.js';
import { scheduleActivity, requestCancelActivity } from './activities.js';
import { memoCodec, searchAttributesCodec } from './codec.js';
import { CommandType, EventType, ExecutionStatus, WorkflowTaskFailedCause as Cause, enumName } from './enums.js';
import { closeRun } from './lifecycle.js';
import { CommandFailure } from './command-failure.js';
import { scheduleWorkflowTask } from './workflow-task.js';
import { completeRun, continueAsNew, failRun } from './chain.js';
import { initiateChild } from './children.js';
import { initiateCancelExternal, initiateSignalExternal } from './external.js';
import { applyProtocolMessageCommand, isProtocolMessageCommand } from './updates.js';
import type { ProtoTypes } from '../../proto/index.js';

type IMessage = ProtoTypes.temporal.api.protocol.v1.IMessage;
import { validateSearchAttributes } from './search-attributes.js';
import type { ICommand, IMemo, IPayloads, ISearchAttributes } from './proto-types.js';
import { checkPayloadSizes } from './limits.js';
import type { Run } from './run.js';
import type { IRecordMarkerCommandAttributes, IStartTimerCommandAttributes } from './proto-types.js';


/** User timer kind in the timers table. */
export const USER_TIMER = 'user-timer';

/** What applying a task's commands decided beyond the events themselves. */
export interface CommandOutcome {
  /** A new workflow task is needed even without new events (e.g. an activity canceled before it started). */
  forceNewTask: boolean;
  /** Scheduled event ids of the activities to start eagerly once every command is applied. */
  eagerActivities: number[];
}

const CLOSE_COMMANDS = new Set<number>([
  CommandType.COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION,
  CommandType.COMMAND_TYPE_FAIL_WORKFLOW_EXECUTION,
  CommandType.COMMAND_TYPE_CANCEL_WORKFLOW_EXECUTION,
  CommandType.COMMAND_TYPE_CONTINUE_AS_NEW_WORKFLOW_EXECUTION,
]);

export const isCloseCommand = (c: ICommand): boolean => CLOSE_COMMANDS.has(c.commandType ?? 0);

/** The workflow-task failure cause for a bad command of each type. */
const BAD_ATTRIBUTES_CAUSE: Record<number, number> = {
  [CommandType.COMMAND_TYPE_SCHEDULE_ACTIVITY_TASK]: Cause.WORKFLOW_TASK_FAILED_CAUSE_BAD_SCHEDULE_ACTIVITY_ATTRIBUTES,
  [CommandType.COMMAND_TYPE_REQUEST_CANCEL_ACTIVITY_TASK]: Cause.WORKFLOW_TASK_FAILED_CAUSE_BAD_REQUEST_CANCEL_ACTIVITY_ATTRIBUTES,
  [CommandType.COMMAND_TYPE_START_TIMER]: Cause.WORKFLOW_TASK_FAILED_CAUSE_BAD_START_TIMER_ATTRIBUTES,
  [CommandType.COMMAND_TYPE_CANCEL_TIMER]: Cause.WORKFLOW_TASK_FAILED_CAUSE_BAD_CANCEL_TIMER_ATTRIBUTES,
  [CommandType.COMMAND_TYPE_RECORD_MARKER]: Cause.WORKFLOW_TASK_FAILED_CAUSE_BAD_RECORD_MARKER_ATTRIBUTES,
  [CommandType.COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION]: Cause.WORKFLOW_TASK_FAILED_CAUSE_BAD_COMPLETE_WORKFLOW_EXECUTION_ATTRIBUTES,
  [CommandType.COMMAND_TYPE_FAIL_WORKFLOW_EXECUTION]: Cause.WORKFLOW_TASK_FAILED_CAUSE_BAD_FAIL_WORKFLOW_EXECUTION_ATTRIBUTES,
  [CommandType.COMMAND_TYPE_CANCEL_WORKFLOW_EXECUTION]: Cause.WORKFLOW_TASK_FAILED_CAUSE_BAD_CANCEL_WORKFLOW_EXECUTION_ATTRIBUTES,
  [CommandType.COMMAND_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES]: Cause.WORKFLOW_TASK_FAILED_CAUSE_BAD_SEARCH_ATTRIBUTES,
  [CommandType.COMMAND_TYPE_MODIFY_WORKFLOW_PROPERTIES]: Cause.WORKFLOW_TASK_FAILED_CAUSE_BAD_MODIFY_WORKFLOW_PROPERTIES_ATTRIBUTES,
  [CommandType.COMMAND_TYPE_CONTINUE_AS_NEW_WORKFLOW_EXECUTION]: Cause.WORKFLOW_TASK_FAILED_CAUSE_BAD_CONTINUE_AS_NEW_ATTRIBUTES,
  [CommandType.COMMAND_TYPE_START_CHILD_WORKFLOW_EXECUTION]: Cause.WORKFLOW_TASK_FAILED_CAUSE_BAD_START_CHILD_EXECUTION_ATTRIBUTES,
  [CommandType.COMMAND_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION]: Cause.WORKFLOW_TASK_FAILED_CAUSE_BAD_SIGNAL_WORKFLOW_EXECUTION_ATTRIBUTES,
  [CommandType.COMMAND_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION]:
    Cause.WORKFLOW_TASK_FAILED_CAUSE_BAD_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_ATTRIBUTES,
  [CommandType.COMMAND_TYPE_PROTOCOL_MESSAGE]: Cause.WORKFLOW_TASK_FAILED_CAUSE_BAD_UPDATE_WORKFLOW_EXECUTION_MESSAGE,
  [CommandType.COMMAND_TYPE_SCHEDULE_NEXUS_OPERATION]: Cause.WORKFLOW_TASK_FAILED_CAUSE_BAD_SCHEDULE_NEXUS_OPERATION_ATTRIBUTES,
};

/**
 * Applies a completed task's commands in order. Commands after the first close command are ignored,
 * as the real server does. A refused command throws {@link CommandFailure}.
 */
export function applyCommands(
  run: Run,
  commands: readonly ICommand[],
  completedEventId: number,
  messages: Map<string, IMessage>,
  identity: string,
  allowEagerActivities = false,
): CommandOutcome {
  const outcome: CommandOutcome = { forceNewTask: false, eagerActivities: [] };
  for (const command of commands) {
    if (!run.isOpen) break;
    try {
      if (isProtocolMessageCommand(command)) applyProtocolMessageCommand(run, command, messages);
      else applyCommand(run, command, completedEventId, outcome, identity, allowEagerActivities);
    } catch (error) {
      if (error instanceof RpcError && error.code === status.INVALID_ARGUMENT) {
        const cause = BAD_ATTRIBUTES_CAUSE[command.commandType ?? 0] ?? Cause.WORKFLOW_TASK_FAILED_CAUSE_UNHANDLED_COMMAND;
        throw new CommandFailure(cause, error.message);
      }
      throw error;
    }
  }
  return outcome;
}

/** Payloads a command carries, by name, for the blob size limit. */
function commandPayloads(c: ICommand): [IPayloads | null | undefined, string][] {
  return [
    [c.scheduleActivityTaskCommandAttributes?.input, 'ScheduleActivityTask input'],
    [c.completeWorkflowExecutionCommandAttributes?.result, 'CompleteWorkflowExecution result'],
    [c.cancelWorkflowExecutionCommandAttributes?.details, 'CancelWorkflowExecution details'],
    [c.continueAsNewWorkflowExecutionCommandAttributes?.input, 'ContinueAsNewWorkflowExecution input'],
    [c.startChildWorkflowExecutionCommandAttributes?.input, 'StartChildWorkflowExecution input'],
    [c.signalExternalWorkflowExecutionCommandAttributes?.input, 'SignalExternalWorkflowExecution input'],
  ];
}

function applyCommand(run: Run, c: ICommand, completedEventId: number, outcome: CommandOutcome, identity: string, allowEager: boolean): void {
  for (const [payloads, name] of commandPayloads(c)) checkPayloadSizes(payloads, name);
  const meta = c.userMetadata ? { userMetadata: c.userMetadata } : {};
  switch (c.commandType) {
    case CommandType.COMMAND_TYPE_SCHEDULE_ACTIVITY_TASK: {
      const attrs = required(c.scheduleActivityTaskCommandAttributes, c);
      const eager = allowEager && attrs.requestEagerExecution === true;
      const scheduledEventId = scheduleActivity(run, attrs, completedEventId, eager);
      if (eager) outcome.eagerActivities.push(scheduledEventId);
      return;
    }
    case CommandType.COMMAND_TYPE_REQUEST_CANCEL_ACTIVITY_TASK: {
      const a = required(c.requestCancelActivityTaskCommandAttributes, c);
      if (requestCancelActivity(run, longToNumber(a.scheduledEventId), completedEventId, identity)) outcome.forceNewTask = true;
      return;
    }
    case CommandType.COMMAND_TYPE_START_TIMER:
      return startTimer(run, required(c.startTimerCommandAttributes, c), completedEventId, meta);
    case CommandType.COMMAND_TYPE_CANCEL_TIMER:
      return cancelTimer(run, required(c.cancelTimerCommandAttributes, c).timerId ?? '', completedEventId);
    case CommandType.COMMAND_TYPE_RECORD_MARKER:
      return recordMarker(run, required(c.recordMarkerCommandAttributes, c), completedEventId);
    case CommandType.COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION:
      return completeRun(run, c.completeWorkflowExecutionCommandAttributes?.result, completedEventId);
    case CommandType.COMMAND_TYPE_FAIL_WORKFLOW_EXECUTION:
      return failRun(run, c.failWorkflowExecutionCommandAttributes?.failure, completedEventId);
    case CommandType.COMMAND_TYPE_CANCEL_WORKFLOW_EXECUTION: {
      const eventId = run.addEvent(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED, {
        details: c.cancelWorkflowExecutionCommandAttributes?.details,
        workflowTaskCompletedEventId: completedEventId,
      });
      return closeRun(run, ExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED, eventId);
    }
    case CommandType.COMMAND_TYPE_CONTINUE_AS_NEW_WORKFLOW_EXECUTION:
      return continueAsNew(run, required(c.continueAsNewWorkflowExecutionCommandAttributes, c), completedEventId);
    case CommandType.COMMAND_TYPE_START_CHILD_WORKFLOW_EXECUTION:
      return initiateChild(run, required(c.startChildWorkflowExecutionCommandAttributes, c), completedEventId);
    case CommandType.COMMAND_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION:
      return initiateSignalExternal(run, required(c.signalExternalWorkflowExecutionCommandAttributes, c), completedEventId);
    case CommandType.COMMAND_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION:
      return initiateCancelExternal(run, required(c.requestCancelExternalWorkflowExecutionCommandAttributes, c), completedEventId);
    case CommandType.COMMAND_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES: {
      const attrs = required(c.upsertWorkflowSearchAttributesCommandAttributes, c).searchAttributes ?? {};
      validateSearchAttributes(run.tx.store, run.namespace, attrs);
      run.state.searchAttributes = searchAttributesCodec.pack(mergeSearchAttributes(run.state.searchAttributes, attrs));
      run.addEvent(EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES, {
        searchAttributes: attrs,
        workflowTaskCompletedEventId: completedEventId,
      });
      return;
    }
    case CommandType.COMMAND_TYPE_MODIFY_WORKFLOW_PROPERTIES: {
      const memo = required(c.modifyWorkflowPropertiesCommandAttributes, c).upsertedMemo ?? {};
      run.state.memo = memoCodec.pack(mergeMemo(run.state.memo, memo));
      run.addEvent(EventType.EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED, {
        upsertedMemo: memo,
        workflowTaskCompletedEventId: completedEventId,
      });
      return;
    }
    default:
      throw invalidArgument(
        `Command ${enumName(CommandType, c.commandType)} is not supported by the duraflow dev server yet.`,
      );
  }
}

function required<T>(attributes: T | null | undefined, c: ICommand): T {
  if (!attributes) throw invalidArgument(`${enumName(CommandType, c.commandType)} command has no attributes.`);
  return attributes;
}

function startTimer(run: Run, a: IStartTimerCommandAttributes, completedEventId: number, meta: object): void {
  const timerId = a.timerId ?? '';
  if (!timerId) throw invalidArgument('TimerId is not set on StartTimerCommand.');
  const ms = msFromDuration(a.startToFireTimeout) ?? 0;
  if (ms <= 0) throw invalidArgument(`A valid StartToFireTimeout is not set on StartTimerCommand. TimerId=${timerId}`);
  if (run.state.timers[timerId]) {
    throw new CommandFailure(Cause.WORKFLOW_TASK_FAILED_CAUSE_START_TIMER_DUPLICATE_ID, `TimerId ${timerId} is already in use.`);
  }
  const startedEventId = run.addEvent(
    EventType.EVENT_TYPE_TIMER_STARTED,
    { timerId, startToFireTimeout: a.startToFireTimeout, workflowTaskCompletedEventId: completedEventId },
    meta,
  );
  const fireAt = run.tx.now + ms;
  run.state.timers[timerId] = { startedEventId, fireAt };
  run.tx.addTimer(run, fireAt, USER_TIMER, { id: timerId, s: startedEventId });
}

function cancelTimer(run: Run, timerId: string, completedEventId: number): void {
  const timer = run.state.timers[timerId];
  let startedEventId = timer?.startedEventId;
  if (timer) {
    delete run.state.timers[timerId];
  } else {
    // The timer fired while this task ran: the cancel wins and the buffered TimerFired is dropped.
    startedEventId = run.dropBufferedTimerFired(timerId);
    if (startedEventId === undefined) throw invalidArgument(`CancelTimer: no pending timer with TimerId ${timerId}.`);
  }
  run.addEvent(EventType.EVENT_TYPE_TIMER_CANCELED, {
    timerId,
    startedEventId,
    workflowTaskCompletedEventId: completedEventId,
  });
}

/** A user timer fired (from the timers table). */
export function fireUserTimer(run: Run, data: Record<string, unknown>): void {
  const timerId = String(data.id);
  const timer = run.state.timers[timerId];
  if (!run.isOpen || !timer || timer.startedEventId !== data.s) return;
  delete run.state.timers[timerId];
  run.addExternalEvent(EventType.EVENT_TYPE_TIMER_FIRED, { timerId, startedEventId: timer.startedEventId });
  scheduleWorkflowTask(run);
}

function recordMarker(run: Run, a: IRecordMarkerCommandAttributes, completedEventId: number): void {
  if (!a.markerName) throw invalidArgument('MarkerName is not set on RecordMarkerCommand.');
  run.addEvent(EventType.EVENT_TYPE_MARKER_RECORDED, {
    markerName: a.markerName,
    details: a.details,
    header: a.header,
    failure: a.failure,
    workflowTaskCompletedEventId: completedEventId,
  });
}

/** Upsert semantics: later keys win; a key whose payload is empty, `null` or `[]` is removed. */
export function mergeSearchAttributes(packed: string | undefined, update: ISearchAttributes): ISearchAttributes {
  const fields = { ...(searchAttributesCodec.unpack(packed)?.indexedFields ?? {}) };
  for (const [key, payload] of Object.entries(update.indexedFields ?? {})) {
    const text = payload.data ? Buffer.from(payload.data).toString('utf8') : '';
    if (text === '' || text === 'null' || text === '[]') delete fields[key];
    else fields[key] = payload;
  }
  return { indexedFields: fields };
}

/** Memo upsert: later keys win; an empty payload removes the key. */
export function mergeMemo(packed: string | undefined, update: IMemo): IMemo {
  const fields = { ...(memoCodec.unpack(packed)?.fields ?? {}) };
  for (const [key, payload] of Object.entries(update.fields ?? {})) {
    if (!payload.data || payload.data.length === 0) delete fields[key];
    else fields[key] = payload;
  }
  return { fields };
}
