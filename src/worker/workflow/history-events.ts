/**
 * Facts about history events that the state machines route on: which events mirror commands, which
 * machine a non-command event belongs to (by the id of the event that started it), which end the
 * workflow, which a worker may ignore, and the marker formats Core writes (patches, local activities).
 *
 * @module
 */
import { temporal, type ProtoTypes } from '../../proto/index.js';
import { int64ToNumber } from '../../common/duration.js';

export type HistoryEvent = ProtoTypes.temporal.api.history.v1.IHistoryEvent;
export type IPayload = ProtoTypes.temporal.api.common.v1.IPayload;

/** `temporal.api.enums.v1.EventType`. */
export const EventType = temporal.api.enums.v1.EventType;
/** `temporal.api.enums.v1.CommandType`. */
export const CommandType = temporal.api.enums.v1.CommandType;

/** Marker name of patch (`patched()` / `deprecatePatch()`) markers. */
export const PATCH_MARKER_NAME = 'core_patch';
/** Marker name of local activity result markers. */
export const LOCAL_ACTIVITY_MARKER_NAME = 'core_local_activity';
/** Details key of the JSON `{ id, deprecated }` patch data. */
export const PATCH_MARKER_DETAILS_KEY = 'patch-data';
/** The search attribute Core upserts with the ids of the patches a run has used. */
export const CHANGE_VERSION_SEARCH_ATTRIBUTE = 'TemporalChangeVersion';

const COMMAND_EVENTS = new Set<number>([
  EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED,
  EventType.EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED,
  EventType.EVENT_TYPE_MARKER_RECORDED,
  EventType.EVENT_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED,
  EventType.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED,
  EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED,
  EventType.EVENT_TYPE_TIMER_CANCELED,
  EventType.EVENT_TYPE_TIMER_STARTED,
  EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES,
  EventType.EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED,
  EventType.EVENT_TYPE_NEXUS_OPERATION_SCHEDULED,
  EventType.EVENT_TYPE_NEXUS_OPERATION_CANCEL_REQUESTED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_REJECTED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED,
]);

const FINAL_EVENTS = new Set<number>([
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED,
]);

/** Event types a worker may skip when the server marks them `workerMayIgnore`. */
const IGNORABLE_WHEN_MARKED = new Set<number>([
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_OPTIONS_UPDATED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_PAUSED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UNPAUSED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TIME_SKIPPING_TRANSITIONED,
]);

/** The event's id as a number. */
export function eventIdOf(event: HistoryEvent): number {
  return int64ToNumber(event.eventId);
}

/** The event's type as a number (0 when unset). */
export function eventTypeOf(event: HistoryEvent): number {
  return event.eventType ?? 0;
}

/** `EVENT_TYPE_*` name of an event type number (or `EVENT_TYPE_<n>` for one this API does not know). */
export function eventTypeName(type: number): string {
  return (EventType as unknown as Record<number, string | undefined>)[type] ?? `EVENT_TYPE_${type}`;
}

/** `COMMAND_TYPE_*` name of a command type number. */
export function commandTypeName(type: number): string {
  return (CommandType as unknown as Record<number, string | undefined>)[type] ?? `COMMAND_TYPE_${type}`;
}

/** Whether the event mirrors a command a workflow task completion carried. */
export function isCommandEvent(event: HistoryEvent): boolean {
  return COMMAND_EVENTS.has(eventTypeOf(event));
}

/** Whether the event closes the run. */
export function isFinalEvent(event: HistoryEvent): boolean {
  return FINAL_EVENTS.has(eventTypeOf(event));
}

/** Whether a worker may skip the event: the server says so and the type is one Core treats as ignorable (or unknown). */
export function isIgnorable(event: HistoryEvent): boolean {
  if (event.workerMayIgnore !== true) return false;
  const type = eventTypeOf(event);
  return IGNORABLE_WHEN_MARKED.has(type) || !(type in EventType);
}

/**
 * The id of the event that started the machine this (non-command) event belongs to: the scheduled
 * event of an activity or workflow task, the started event of a timer, the initiated event of a child
 * or external operation. Undefined for events that belong to no machine.
 */
export function initialCommandEventId(event: HistoryEvent): number | undefined {
  const a = event;
  const id =
    a.activityTaskStartedEventAttributes?.scheduledEventId ??
    a.activityTaskCompletedEventAttributes?.scheduledEventId ??
    a.activityTaskFailedEventAttributes?.scheduledEventId ??
    a.activityTaskTimedOutEventAttributes?.scheduledEventId ??
    a.activityTaskCancelRequestedEventAttributes?.scheduledEventId ??
    a.activityTaskCanceledEventAttributes?.scheduledEventId ??
    a.timerFiredEventAttributes?.startedEventId ??
    a.timerCanceledEventAttributes?.startedEventId ??
    a.requestCancelExternalWorkflowExecutionFailedEventAttributes?.initiatedEventId ??
    a.externalWorkflowExecutionCancelRequestedEventAttributes?.initiatedEventId ??
    a.startChildWorkflowExecutionFailedEventAttributes?.initiatedEventId ??
    a.childWorkflowExecutionStartedEventAttributes?.initiatedEventId ??
    a.childWorkflowExecutionCompletedEventAttributes?.initiatedEventId ??
    a.childWorkflowExecutionFailedEventAttributes?.initiatedEventId ??
    a.childWorkflowExecutionCanceledEventAttributes?.initiatedEventId ??
    a.childWorkflowExecutionTimedOutEventAttributes?.initiatedEventId ??
    a.childWorkflowExecutionTerminatedEventAttributes?.initiatedEventId ??
    a.signalExternalWorkflowExecutionFailedEventAttributes?.initiatedEventId ??
    a.externalWorkflowExecutionSignaledEventAttributes?.initiatedEventId ??
    a.workflowTaskStartedEventAttributes?.scheduledEventId ??
    a.workflowTaskCompletedEventAttributes?.scheduledEventId ??
    a.workflowTaskTimedOutEventAttributes?.scheduledEventId ??
    a.workflowTaskFailedEventAttributes?.scheduledEventId;
  return id === undefined || id === null ? undefined : int64ToNumber(id);
}

/** Whether the event carries any attributes (protobufjs sets the `attributes` oneof name). */
export function hasAttributes(event: HistoryEvent): boolean {
  const oneof = (event as { attributes?: string }).attributes;
  if (typeof oneof === 'string') return true;
  return Object.keys(event).some((k) => k.endsWith('EventAttributes') && (event as Record<string, unknown>)[k] != null);
}

/** The JSON value of a `json/plain` payload, or undefined when it is not one or does not parse. */
export function jsonPayloadValue(payload: IPayload | undefined | null): unknown {
  if (!payload?.data) return undefined;
  try {
    return JSON.parse(new TextDecoder().decode(payload.data)) as unknown;
  } catch {
    return undefined;
  }
}

/** Patch id and deprecated flag of a `core_patch` marker (both the JSON and the old plain-bytes format). */
export function patchMarkerDetails(event: HistoryEvent): { patchId: string; deprecated: boolean } | undefined {
  const attrs = event.markerRecordedEventAttributes;
  if (eventTypeOf(event) !== EventType.EVENT_TYPE_MARKER_RECORDED || attrs?.markerName !== PATCH_MARKER_NAME) return undefined;
  const details = attrs.details ?? {};
  const data = details[PATCH_MARKER_DETAILS_KEY]?.payloads?.[0];
  if (data) {
    const value = jsonPayloadValue(data) as { id?: unknown; deprecated?: unknown } | undefined;
    if (typeof value?.id !== 'string') return undefined;
    return { patchId: value.id, deprecated: value.deprecated === true };
  }
  const id = details['patch_id']?.payloads?.[0]?.data;
  const deprecated = details['deprecated']?.payloads?.[0]?.data;
  if (!id || !deprecated || deprecated.length === 0) return undefined;
  return { patchId: new TextDecoder().decode(id), deprecated: deprecated[0] !== 0 };
}

/** Whether the event is a local activity result marker. */
export function isLocalActivityMarker(event: HistoryEvent): boolean {
  return (
    eventTypeOf(event) === EventType.EVENT_TYPE_MARKER_RECORDED &&
    event.markerRecordedEventAttributes?.markerName === LOCAL_ACTIVITY_MARKER_NAME
  );
}
