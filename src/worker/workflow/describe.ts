/**
 * Short descriptions of commands and of the command events history recorded for them, in one
 * vocabulary (`StartTimer(timerId=1, 10s)`), for nondeterminism messages.
 *
 * @module
 */
import { int64ToNumber } from '../../common/duration.js';
import { CommandType, EventType, eventTypeOf, isLocalActivityMarker, jsonPayloadValue, patchMarkerDetails, type HistoryEvent } from './history-events.js';
import type { ICommand } from './machines/machine.js';
import { msOf } from './plain-values.js';

type Described = [name: string, fields: Array<string | undefined>];

/** A duration in the shortest exact unit (`10s`, `1.5s`, `250ms`, `2m`, `1h`). */
export function formatMs(ms: number | undefined): string | undefined {
  if (ms === undefined) return undefined;
  if (ms % 3_600_000 === 0 && ms > 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0 && ms > 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return ms > 1000 ? `${ms / 1000}s` : `${ms}ms`;
}

function render([name, fields]: Described): string {
  return `${name}(${fields.filter((f) => f !== undefined && f !== '').join(', ')})`;
}

const field = (key: string, value: unknown): string | undefined =>
  value === undefined || value === null || value === '' ? undefined : `${key}=${String(value)}`;

/** A command as `Type(key=value, ...)`. */
export function describeCommand(command: ICommand): string {
  return render(describeCommandParts(command));
}

function describeCommandParts(c: ICommand): Described {
  switch (c.commandType) {
    case CommandType.COMMAND_TYPE_START_TIMER: {
      const a = c.startTimerCommandAttributes;
      return ['StartTimer', [field('timerId', a?.timerId), formatMs(msOf(a?.startToFireTimeout))]];
    }
    case CommandType.COMMAND_TYPE_CANCEL_TIMER:
      return ['CancelTimer', [field('timerId', c.cancelTimerCommandAttributes?.timerId)]];
    case CommandType.COMMAND_TYPE_SCHEDULE_ACTIVITY_TASK: {
      const a = c.scheduleActivityTaskCommandAttributes;
      return ['ScheduleActivityTask', [field('activityType', a?.activityType?.name), field('activityId', a?.activityId)]];
    }
    case CommandType.COMMAND_TYPE_REQUEST_CANCEL_ACTIVITY_TASK:
      return ['RequestCancelActivityTask', [field('scheduledEventId', int64ToNumber(c.requestCancelActivityTaskCommandAttributes?.scheduledEventId))]];
    case CommandType.COMMAND_TYPE_RECORD_MARKER:
      return ['RecordMarker', markerFields(c.recordMarkerCommandAttributes?.markerName, c.recordMarkerCommandAttributes?.details)];
    case CommandType.COMMAND_TYPE_START_CHILD_WORKFLOW_EXECUTION: {
      const a = c.startChildWorkflowExecutionCommandAttributes;
      return ['StartChildWorkflowExecution', [field('workflowType', a?.workflowType?.name), field('workflowId', a?.workflowId)]];
    }
    case CommandType.COMMAND_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION: {
      const a = c.signalExternalWorkflowExecutionCommandAttributes;
      return ['SignalExternalWorkflowExecution', [field('signalName', a?.signalName), field('workflowId', a?.execution?.workflowId)]];
    }
    case CommandType.COMMAND_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION:
      return ['RequestCancelExternalWorkflowExecution', [field('workflowId', c.requestCancelExternalWorkflowExecutionCommandAttributes?.workflowId)]];
    case CommandType.COMMAND_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES:
      return ['UpsertWorkflowSearchAttributes', [keys(c.upsertWorkflowSearchAttributesCommandAttributes?.searchAttributes?.indexedFields)]];
    case CommandType.COMMAND_TYPE_MODIFY_WORKFLOW_PROPERTIES:
      return ['ModifyWorkflowProperties', [keys(c.modifyWorkflowPropertiesCommandAttributes?.upsertedMemo?.fields, 'memo')]];
    case CommandType.COMMAND_TYPE_PROTOCOL_MESSAGE:
      return ['ProtocolMessage', [field('messageId', c.protocolMessageCommandAttributes?.messageId)]];
    case CommandType.COMMAND_TYPE_CONTINUE_AS_NEW_WORKFLOW_EXECUTION:
      return ['ContinueAsNewWorkflowExecution', [field('workflowType', c.continueAsNewWorkflowExecutionCommandAttributes?.workflowType?.name)]];
    default:
      return [commandShortName(c.commandType ?? 0), []];
  }
}

/** What an event recorded, described as the command that produced it (or as the event itself). */
export function describeEvent(event: HistoryEvent): string {
  const parts = describeEventAsCommand(event);
  return parts ? render(parts) : eventShortName(eventTypeOf(event));
}

function describeEventAsCommand(e: HistoryEvent): Described | undefined {
  switch (eventTypeOf(e)) {
    case EventType.EVENT_TYPE_TIMER_STARTED: {
      const a = e.timerStartedEventAttributes;
      return ['StartTimer', [field('timerId', a?.timerId), formatMs(msOf(a?.startToFireTimeout))]];
    }
    case EventType.EVENT_TYPE_TIMER_CANCELED:
      return ['CancelTimer', [field('timerId', e.timerCanceledEventAttributes?.timerId)]];
    case EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED: {
      const a = e.activityTaskScheduledEventAttributes;
      return ['ScheduleActivityTask', [field('activityType', a?.activityType?.name), field('activityId', a?.activityId)]];
    }
    case EventType.EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED:
      return ['RequestCancelActivityTask', [field('scheduledEventId', int64ToNumber(e.activityTaskCancelRequestedEventAttributes?.scheduledEventId))]];
    case EventType.EVENT_TYPE_MARKER_RECORDED:
      return ['RecordMarker', markerFields(e.markerRecordedEventAttributes?.markerName, e.markerRecordedEventAttributes?.details, e)];
    case EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED: {
      const a = e.startChildWorkflowExecutionInitiatedEventAttributes;
      return ['StartChildWorkflowExecution', [field('workflowType', a?.workflowType?.name), field('workflowId', a?.workflowId)]];
    }
    case EventType.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED: {
      const a = e.signalExternalWorkflowExecutionInitiatedEventAttributes;
      return ['SignalExternalWorkflowExecution', [field('signalName', a?.signalName), field('workflowId', a?.workflowExecution?.workflowId)]];
    }
    case EventType.EVENT_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED:
      return ['RequestCancelExternalWorkflowExecution', [field('workflowId', e.requestCancelExternalWorkflowExecutionInitiatedEventAttributes?.workflowExecution?.workflowId)]];
    case EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES:
      return ['UpsertWorkflowSearchAttributes', [keys(e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields)]];
    case EventType.EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED:
      return ['ModifyWorkflowProperties', [keys(e.workflowPropertiesModifiedEventAttributes?.upsertedMemo?.fields, 'memo')]];
    default:
      return describeCloseOrUpdateEvent(e);
  }
}

function describeCloseOrUpdateEvent(e: HistoryEvent): Described | undefined {
  switch (eventTypeOf(e)) {
    case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED:
      return ['CompleteWorkflowExecution', []];
    case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED:
      return ['FailWorkflowExecution', []];
    case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED:
      return ['CancelWorkflowExecution', []];
    case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW:
      return ['ContinueAsNewWorkflowExecution', [field('workflowType', e.workflowExecutionContinuedAsNewEventAttributes?.workflowType?.name)]];
    case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED: {
      const a = e.workflowExecutionUpdateAcceptedEventAttributes;
      return ['ProtocolMessage', [`acceptance of update ${a?.protocolInstanceId ?? ''}`]];
    }
    case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED:
      return ['ProtocolMessage', [`outcome of update ${e.workflowExecutionUpdateCompletedEventAttributes?.meta?.updateId ?? ''}`]];
    default:
      return undefined;
  }
}

function markerFields(name: string | null | undefined, details: unknown, event?: HistoryEvent): Array<string | undefined> {
  const fields = [field('markerName', name)];
  if (event) {
    const patch = patchMarkerDetails(event);
    if (patch) return [...fields, field('patchId', patch.patchId)];
    if (isLocalActivityMarker(event)) return [...fields, ...localActivityFields(details)];
  } else if (name === 'core_patch' || name === 'core_local_activity') {
    const data = (details as Record<string, { payloads?: unknown[] }> | undefined)?.[name === 'core_patch' ? 'patch-data' : 'data'];
    const value = jsonPayloadValue(data?.payloads?.[0] as never) as Record<string, unknown> | undefined;
    if (name === 'core_patch') return [...fields, field('patchId', value?.['id'])];
    return [...fields, ...localActivityFields(details)];
  }
  return fields;
}

function localActivityFields(details: unknown): Array<string | undefined> {
  const data = (details as Record<string, { payloads?: unknown[] }> | undefined)?.['data'];
  const value = jsonPayloadValue(data?.payloads?.[0] as never) as Record<string, unknown> | undefined;
  return [field('activityType', value?.['activity_type'] ?? value?.['activityType']), field('seq', value?.['seq'])];
}

function keys(map: Record<string, unknown> | null | undefined, label = 'keys'): string | undefined {
  const names = Object.keys(map ?? {}).sort();
  return names.length > 0 ? `${label}=${names.join('|')}` : undefined;
}

/** `COMMAND_TYPE_START_TIMER` → `StartTimer`. */
export function commandShortName(type: number): string {
  return pascal((CommandType as unknown as Record<number, string | undefined>)[type]?.replace(/^COMMAND_TYPE_/, '') ?? `Command${type}`);
}

/** `EVENT_TYPE_TIMER_FIRED` → `TimerFired`. */
export function eventShortName(type: number): string {
  return pascal((EventType as unknown as Record<number, string | undefined>)[type]?.replace(/^EVENT_TYPE_/, '') ?? `Event${type}`);
}

function pascal(constant: string): string {
  return constant
    .toLowerCase()
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}
