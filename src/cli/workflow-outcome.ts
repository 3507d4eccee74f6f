/**
 * How a workflow execution ended, read from its close event: status, result (json/plain payloads
 * decoded) or failure; waiting for it (following continue-as-new) and printing it as the
 * `temporal` CLI's "Results" section.
 *
 * @example
 * ```ts
 * const { event } = await waitForCloseEvent(client, 'default', { workflowId: 'order-1', runId });
 * const outcome = outcomeOf(event);
 * ```
 */
import type { Client } from '../client/index.js';
import { temporal, type ProtoTypes } from '../proto/index.js';
import type { Printer } from './output.js';
import { protoJson } from './payloads.js';
import { workflowCall, type WorkflowTarget } from './rpc.js';

export type HistoryEvent = ProtoTypes.temporal.api.history.v1.IHistoryEvent;

const HistoryEventType = temporal.api.history.v1.HistoryEvent;
const EventType = temporal.api.enums.v1.EventType;
const CLOSE_EVENT = temporal.api.enums.v1.HistoryEventFilterType.HISTORY_EVENT_FILTER_TYPE_CLOSE_EVENT;

/** The status a close event stands for (the execution status names, without their prefix). */
const STATUS_OF: ReadonlyMap<number, string> = new Map([
  [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED, 'COMPLETED'],
  [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED, 'FAILED'],
  [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT, 'TIMED_OUT'],
  [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED, 'CANCELED'],
  [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED, 'TERMINATED'],
  [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW, 'CONTINUED_AS_NEW'],
]);

/** A decoded close event. */
export interface Outcome {
  status: string;
  /** The result: one value, or an array when the workflow returned several payloads. */
  result?: unknown;
  /** The failure (ProtoJSON with decoded details), for FAILED. */
  failure?: Record<string, unknown>;
  /** Why it was terminated or cancelled, when recorded. */
  reason?: unknown;
  /** The close event as ProtoJSON with decoded payloads. */
  closeEvent: Record<string, unknown>;
}

/** True for the event that closes a run. */
export function isCloseEvent(event: HistoryEvent): boolean {
  return STATUS_OF.has(event.eventType ?? 0);
}

function attributesOf(json: Record<string, unknown>): Record<string, unknown> {
  const key = Object.keys(json).find((k) => k.endsWith('EventAttributes'));
  const value = key === undefined ? undefined : json[key];
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

/** The outcome a close event records. */
export function outcomeOf(event: HistoryEvent): Outcome {
  const closeEvent = protoJson(HistoryEventType, event, { shorthand: true }) as Record<string, unknown>;
  const attributes = attributesOf(closeEvent);
  const status = STATUS_OF.get(event.eventType ?? 0) ?? 'UNKNOWN';
  const outcome: Outcome = { status, closeEvent };
  if (status === 'COMPLETED') {
    const values = Array.isArray(attributes['result']) ? attributes['result'] : [];
    outcome.result = values.length === 1 ? values[0] : values.length === 0 ? null : values;
  }
  if (typeof attributes['failure'] === 'object' && attributes['failure'] !== null) outcome.failure = attributes['failure'] as Record<string, unknown>;
  if (attributes['reason'] !== undefined) outcome.reason = attributes['reason'];
  if (attributes['details'] !== undefined) outcome.reason ??= attributes['details'];
  return outcome;
}

/** A failure and its causes as one line: `outer: middle: root cause`. */
export function failureText(failure: Record<string, unknown> | undefined): string {
  const messages: string[] = [];
  for (let f = failure; f && messages.length < 10; f = f['cause'] as Record<string, unknown> | undefined) {
    const info = f['applicationFailureInfo'] as Record<string, unknown> | undefined;
    const type = typeof info?.['type'] === 'string' && info['type'] ? ` [${info['type'] as string}]` : '';
    messages.push(`${String(f['message'] ?? '')}${type}`);
  }
  return messages.join(': ');
}

/** The close event of one run, waiting for it (no following of continue-as-new). */
export async function closeEventOfRun(client: Client, namespace: string, target: WorkflowTarget): Promise<HistoryEvent> {
  let nextPageToken: Uint8Array | undefined;
  for (;;) {
    const response = await workflowCall(target, namespace, () =>
      client.workflowService.getWorkflowExecutionHistory({
        namespace,
        execution: { workflowId: target.workflowId, runId: target.runId },
        historyEventFilterType: CLOSE_EVENT,
        waitNewEvent: true,
        skipArchival: true,
        nextPageToken,
      }),
    );
    const event = response.history?.events?.[0];
    if (event) return event;
    nextPageToken = response.nextPageToken?.length ? response.nextPageToken : undefined;
  }
}

/** Waits for the run to close, following continue-as-new to the last run; returns that run's close event. */
export async function waitForCloseEvent(client: Client, namespace: string, target: WorkflowTarget): Promise<{ event: HistoryEvent; runId?: string }> {
  let runId = target.runId;
  for (;;) {
    const event = await closeEventOfRun(client, namespace, { workflowId: target.workflowId, runId });
    const next = event.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId;
    if (!next) return { event, runId };
    runId = next;
  }
}

/** The `Results:` section of `execute`, `result` and `show` in table format. */
export function printResults(printer: Printer, outcome: Outcome, runTimeMs?: number): void {
  printer.line('Results:');
  printer.card({
    RunTime: runTimeMs === undefined ? undefined : `${(runTimeMs / 1000).toFixed(2)}s`,
    Status: outcome.status,
    Result: outcome.status === 'COMPLETED' ? JSON.stringify(outcome.result ?? null) : undefined,
    Failure: outcome.failure ? failureText(outcome.failure) : undefined,
    Reason: outcome.reason,
  });
}
