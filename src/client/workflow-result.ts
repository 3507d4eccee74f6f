/** `WorkflowHandle.result()`: long-polls the close event, following runs, and decodes the outcome. */
import { RetryState, TimeoutType, CancelledFailure, TerminatedFailure, TimeoutFailure, decodeRetryState } from '../common/index.js';
import type { ProtoTypes } from '../proto/index.js';
import { temporal } from '../proto/index.js';
import type { HandleContext } from './handle-context.js';
import { callService, WorkflowContinuedAsNewError, WorkflowFailedError } from './workflow-client-errors.js';

type HistoryEvent = ProtoTypes.temporal.api.history.v1.IHistoryEvent;
const CLOSE_EVENT = temporal.api.enums.v1.HistoryEventFilterType.HISTORY_EVENT_FILTER_TYPE_CLOSE_EVENT;

/** Where to look for the result and whether to follow continue-as-new / retries / cron runs. */
export interface ResultTarget {
  workflowId: string;
  runId?: string;
  followRuns: boolean;
}

/** Long-polls until the close event of the run arrives (empty pages mean "poll again"). */
async function fetchCloseEvent(ctx: HandleContext, workflowId: string, runId: string | undefined): Promise<HistoryEvent> {
  let nextPageToken: Uint8Array | undefined;
  for (;;) {
    const response = await callService({ call: 'GetWorkflowExecutionHistory', namespace: ctx.namespace, workflowId, runId }, () =>
      ctx.connection.workflowService.getWorkflowExecutionHistory({
        namespace: ctx.namespace,
        execution: { workflowId, runId },
        waitNewEvent: true,
        historyEventFilterType: CLOSE_EVENT,
        skipArchival: true,
        nextPageToken,
      }),
    );
    const events = response.history?.events ?? [];
    if (events.length > 1) throw new Error(`Expected at most 1 close event, got ${events.length} for workflow '${workflowId}'`);
    const [event] = events;
    if (event) return event;
    nextPageToken = response.nextPageToken?.length ? response.nextPageToken : undefined;
  }
}

const NON_RETRYABLE = RetryState.NON_RETRYABLE_FAILURE;

/**
 * The decoded outcome of a closed run: `{ value }` on completion, `{ next }` when the result is
 * in a following run; throws WorkflowFailedError / WorkflowContinuedAsNewError otherwise.
 */
async function outcome(ctx: HandleContext, event: HistoryEvent, followRuns: boolean): Promise<{ value?: unknown; next?: string }> {
  const follow = (runId: string | null | undefined): string | undefined => (followRuns && runId ? runId : undefined);
  if (event.workflowExecutionCompletedEventAttributes) {
    const attrs = event.workflowExecutionCompletedEventAttributes;
    const next = follow(attrs.newExecutionRunId);
    return next ? { next } : { value: await ctx.converter.decodeFirst(attrs.result?.payloads) };
  }
  if (event.workflowExecutionFailedEventAttributes) {
    const attrs = event.workflowExecutionFailedEventAttributes;
    const next = follow(attrs.newExecutionRunId);
    if (next) return { next };
    const cause = await ctx.converter.decodeFailure(attrs.failure);
    throw new WorkflowFailedError('Workflow execution failed', cause, decodeRetryState(attrs.retryState) ?? NON_RETRYABLE);
  }
  if (event.workflowExecutionCanceledEventAttributes) {
    const details = await ctx.converter.decodeAll(event.workflowExecutionCanceledEventAttributes.details?.payloads);
    throw new WorkflowFailedError('Workflow execution cancelled', new CancelledFailure('Workflow canceled', details), NON_RETRYABLE);
  }
  if (event.workflowExecutionTerminatedEventAttributes) {
    const reason = event.workflowExecutionTerminatedEventAttributes.reason || undefined;
    throw new WorkflowFailedError('Workflow execution terminated', new TerminatedFailure(reason), NON_RETRYABLE);
  }
  if (event.workflowExecutionTimedOutEventAttributes) {
    const attrs = event.workflowExecutionTimedOutEventAttributes;
    const next = follow(attrs.newExecutionRunId);
    if (next) return { next };
    const cause = new TimeoutFailure('Workflow execution timed out', undefined, TimeoutType.START_TO_CLOSE);
    throw new WorkflowFailedError('Workflow execution timed out', cause, decodeRetryState(attrs.retryState) ?? NON_RETRYABLE);
  }
  if (event.workflowExecutionContinuedAsNewEventAttributes) {
    const runId = event.workflowExecutionContinuedAsNewEventAttributes.newExecutionRunId ?? '';
    if (followRuns && runId) return { next: runId };
    throw new WorkflowContinuedAsNewError('Workflow execution continued as new', runId);
  }
  throw new Error(`Unexpected close event type ${String(event.eventType)} in workflow history`);
}

/** Waits for the workflow's result, following new runs when `followRuns` is set. */
export async function waitForResult<T>(ctx: HandleContext, target: ResultTarget): Promise<T> {
  let runId = target.runId;
  for (;;) {
    const event = await fetchCloseEvent(ctx, target.workflowId, runId);
    const { value, next } = await outcome(ctx, event, target.followRuns);
    if (next === undefined) return value as T;
    runId = next;
  }
}
