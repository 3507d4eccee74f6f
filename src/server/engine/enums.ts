/** The Temporal enums the engine uses, as plain numbers. */
import { temporal } from '../../proto/index.js';

const e = temporal.api.enums.v1;
export const EventType = e.EventType;
export const CommandType = e.CommandType;
export const ExecutionStatus = e.WorkflowExecutionStatus;
export const TimeoutType = e.TimeoutType;
export const RetryState = e.RetryState;
export const WorkflowTaskFailedCause = e.WorkflowTaskFailedCause;
export const TaskQueueKind = e.TaskQueueKind;
export const IdReusePolicy = e.WorkflowIdReusePolicy;
export const IdConflictPolicy = e.WorkflowIdConflictPolicy;
export const QueryRejectCondition = e.QueryRejectCondition;
export const QueryResultType = e.QueryResultType;
export const PendingActivityState = e.PendingActivityState;
export const PendingWorkflowTaskState = e.PendingWorkflowTaskState;
export const HistoryEventFilterType = e.HistoryEventFilterType;
export const NamespaceState = e.NamespaceState;
export const ArchivalState = e.ArchivalState;
export const TaskQueueType = e.TaskQueueType;
export const DescribeTaskQueueMode = e.DescribeTaskQueueMode;
export const BuildIdTaskReachability = e.BuildIdTaskReachability;
export const RateLimitSource = e.RateLimitSource;
export const IndexedValueType = e.IndexedValueType;
export const ContinueAsNewInitiator = e.ContinueAsNewInitiator;
export const ParentClosePolicy = e.ParentClosePolicy;
export const StartChildFailedCause = e.StartChildWorkflowExecutionFailedCause;
export const SignalExternalFailedCause = e.SignalExternalWorkflowExecutionFailedCause;
export const CancelExternalFailedCause = e.CancelExternalWorkflowExecutionFailedCause;

/** Maps each value of a `PREFIX_SOME_NAME` enum to `someName<suffix>` (the oneof field carrying its attributes). */
function oneofFieldsByValue(enumObject: Record<string, unknown>, prefix: string, suffix: string): Map<number, string> {
  const fields = new Map<number, string>();
  for (const [name, value] of Object.entries(enumObject)) {
    if (typeof value !== 'number' || value === 0) continue;
    const camel = name
      .slice(prefix.length)
      .toLowerCase()
      .replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
    fields.set(value, `${camel}${suffix}`);
  }
  return fields;
}

const attributeFieldByType = oneofFieldsByValue(EventType, 'EVENT_TYPE_', 'EventAttributes');

/** The HistoryEvent oneof field that carries the attributes of an event type. */
export function eventAttributesField(eventType: number): string {
  const field = attributeFieldByType.get(eventType);
  if (field === undefined) throw new Error(`unknown event type ${eventType}`);
  return field;
}

const commandFieldByType = oneofFieldsByValue(CommandType, 'COMMAND_TYPE_', 'CommandAttributes');

/** The Command oneof field that carries the attributes of a command type. */
export function commandAttributesField(commandType: number): string | undefined {
  return commandFieldByType.get(commandType);
}

/** A readable name for an enum value (`COMMAND_TYPE_START_TIMER` → `StartTimer`), for messages. */
export function enumName(enumObject: Record<string, unknown>, value: number | null | undefined): string {
  for (const [name, v] of Object.entries(enumObject)) {
    if (v === value) {
      return name
        .replace(/^[A-Z]+(_TYPE)?_/, '')
        .toLowerCase()
        .replace(/(^|_)([a-z])/g, (_, _u: string, c: string) => c.toUpperCase());
    }
  }
  return String(value);
}
