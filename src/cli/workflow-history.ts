/**
 * Reading a workflow's event history page by page (optionally waiting for new events until the run
 * closes) and showing each event as one table line: id, time, type (without `EVENT_TYPE_`, in the
 * `temporal` CLI's PascalCase) and a summary of its attributes with payloads decoded.
 *
 * @example
 * ```ts
 * for await (const event of historyEvents(client, 'default', { workflowId: 'order-1' }, { follow: true })) {
 *   console.log(eventRow(event));
 * }
 * ```
 */
import type { Client } from '../client/index.js';
import { temporal } from '../proto/index.js';
import { cellText, formatTime, type Printer } from './output.js';
import { protoJson } from './payloads.js';
import { workflowCall, type WorkflowTarget } from './rpc.js';
import { pascalName } from './values.js';
import type { HistoryEvent } from './workflow-outcome.js';

const HistoryEventType = temporal.api.history.v1.HistoryEvent;
const EventTypeNames = temporal.api.enums.v1.EventType as unknown as Record<number, string>;

export interface HistoryReadOptions {
  /** Wait for new events until the run closes. */
  follow?: boolean;
  /** After a continue-as-new event, go on with the new run (only with `follow`). */
  followRuns?: boolean;
}

/** The run a continue-as-new event starts, when following runs. */
function nextRunOf(event: HistoryEvent, options: HistoryReadOptions): string | undefined {
  if (!options.follow || !options.followRuns) return undefined;
  return event.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
}

/** The events of a run, in order; with `follow`, new ones as they are written, until the run closes. */
export async function* historyEvents(
  client: Client,
  namespace: string,
  target: WorkflowTarget,
  options: HistoryReadOptions = {},
): AsyncGenerator<HistoryEvent> {
  let runId = target.runId;
  let nextPageToken: Uint8Array | undefined;
  let nextRun: string | undefined;
  for (;;) {
    const execution = { workflowId: target.workflowId, runId };
    const response = await workflowCall(execution, namespace, () =>
      client.workflowService.getWorkflowExecutionHistory({
        namespace,
        execution,
        nextPageToken,
        waitNewEvent: options.follow === true,
        skipArchival: true,
      }),
    );
    for (const event of response.history?.events ?? []) {
      nextRun = nextRunOf(event, options) ?? nextRun;
      yield event;
    }
    nextPageToken = response.nextPageToken?.length ? response.nextPageToken : undefined;
    if (nextPageToken) continue;
    if (nextRun === undefined) return;
    runId = nextRun;
    nextRun = undefined;
  }
}

/** `EVENT_TYPE_WORKFLOW_EXECUTION_STARTED` → `WorkflowExecutionStarted`. */
export function eventTypeName(eventType: number | null | undefined): string {
  const constant = EventTypeNames[eventType ?? 0] ?? `EVENT_TYPE_${String(eventType)}`;
  return pascalName(constant.replace(/^EVENT_TYPE_/, ''));
}

/** Attributes that are bookkeeping rather than what happened; left out of the one-line summary. */
const NOISE = new Set([
  'identity',
  'requestId',
  'header',
  'workflowTaskCompletedEventId',
  'binaryChecksum',
  'workerVersion',
  'workerVersionStamp',
  'sdkMetadata',
  'meteringMetadata',
  'firstExecutionRunId',
  'originalExecutionRunId',
  'prevAutoResetPoints',
  'workflowTaskTimeout',
  'suggestContinueAsNew',
  'historySizeBytes',
  'useCompatibleVersion',
  'useWorkflowBuildIdRedirect',
  'eagerExecutionAccepted',
  'firstWorkflowTaskBackoff',
  'parentInitiatedEventVersion',
  'versioningOverride',
  'priority',
  'inheritedBuildId',
  'namespaceId',
  'workflowExecutionExpirationTime',
  'lastCompletionResult',
  'retryPolicy',
  'attempt',
]);

/** Nested values made short: `{name, kind}` → name, a failure → its message. */
function summaryValue(key: string, value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const record = value as Record<string, unknown>;
  if (typeof record['name'] === 'string') return record['name'];
  if (key === 'failure' || key.endsWith('Failure')) return record['message'];
  if (typeof record['workflowId'] === 'string') return record['workflowId'];
  return value;
}

const SUMMARY_LIMIT = 200;

const isEmptyObject = (v: unknown): boolean => typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0;

/** A one-line summary of an event's attributes: `activityType=charge input=[{"amount":5}]`. */
export function eventSummary(json: Record<string, unknown>): string {
  const key = Object.keys(json).find((k) => k.endsWith('EventAttributes'));
  const attributes = key ? (json[key] as Record<string, unknown>) : {};
  const parts = Object.entries(attributes)
    .filter(([k, v]) => !NOISE.has(k) && v !== '0s' && !isEmptyObject(v))
    .map(([k, v]) => `${k}=${cellText(summaryValue(k, v))}`);
  const text = parts.join(' ');
  return text.length > SUMMARY_LIMIT ? `${text.slice(0, SUMMARY_LIMIT - 1)}…` : text;
}

/** One event as a table row. */
export function eventRow(event: HistoryEvent): { ID: string; Time: string; Type: string; Details: string } {
  const json = protoJson(HistoryEventType, event, { shorthand: true }) as Record<string, unknown>;
  const seconds = Number(event.eventTime?.seconds ?? 0);
  const time = event.eventTime ? new Date(seconds * 1000 + Math.floor((event.eventTime.nanos ?? 0) / 1e6)) : undefined;
  return { ID: String(event.eventId ?? ''), Time: formatTime(time), Type: eventTypeName(event.eventType), Details: eventSummary(json) };
}

/**
 * Table output of events as they come: fixed-width columns, so rows can be printed one by one.
 * The title and header are printed with the first event (nothing at all if the history cannot be read).
 */
export class EventTablePrinter {
  private headerDone = false;

  constructor(
    private readonly printer: Printer,
    private readonly title = 'Progress:',
  ) {}

  private format(row: { ID: string; Time: string; Type: string; Details: string }): string {
    return `  ${row.ID.padStart(4)}  ${row.Time.padEnd(20)}  ${row.Type.padEnd(28)}  ${row.Details}`.trimEnd();
  }

  print(event: HistoryEvent): void {
    if (!this.headerDone) {
      this.printer.line(this.title);
      this.printer.line(this.format({ ID: 'ID', Time: 'Time', Type: 'Type', Details: 'Details' }));
      this.headerDone = true;
    }
    this.printer.line(this.format(eventRow(event)));
  }
}

/** An event as ProtoJSON with payloads left encoded, as replayers read it. */
export function eventJson(event: HistoryEvent): unknown {
  return protoJson(HistoryEventType, event, { shorthand: false });
}
