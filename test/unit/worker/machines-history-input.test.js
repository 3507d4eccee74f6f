// Replay histories from JSON (current EVENT_TYPE_* spelling and the older PascalCase one) and from
// binary protobuf, with errors that name the event that cannot be read.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { historyFromBinary, historyFromJSON } from '../../../dist/worker/replay/history-input.js';
import { replayTask } from '../../../dist/worker/workflow/replay-task.js';
import { WorkflowRunMachine } from '../../../dist/worker/workflow/run-machine.js';
import { temporal } from '../../../dist/proto/index.js';
import { kinds, valueOf } from './helpers/history-builder.js';

const b64 = (s) => Buffer.from(s).toString('base64');
const jsonPayload = (v) => ({ metadata: { encoding: b64('json/plain') }, data: b64(JSON.stringify(v)) });

/** A 13-event history (activity with WAIT_CANCELLATION_COMPLETED cancelled after a signal), modern spelling. */
function modernHistory() {
  const t = (s) => `2024-03-01T10:00:${String(s).padStart(2, '0')}.250Z`;
  return {
    events: [
      { eventId: '1', eventTime: t(0), eventType: 'EVENT_TYPE_WORKFLOW_EXECUTION_STARTED', taskId: '100', workflowExecutionStartedEventAttributes: { workflowType: { name: 'cancelMe' }, taskQueue: { name: 'tq', kind: 'TASK_QUEUE_KIND_NORMAL' }, input: { payloads: [jsonPayload('in')] }, workflowTaskTimeout: '10s', initiator: 'CONTINUE_AS_NEW_INITIATOR_UNSPECIFIED', originalExecutionRunId: 'run-json', firstExecutionRunId: 'run-json', attempt: 1, header: { fields: {} } } },
      { eventId: '2', eventTime: t(0), eventType: 'EVENT_TYPE_WORKFLOW_TASK_SCHEDULED', workflowTaskScheduledEventAttributes: { taskQueue: { name: 'tq', kind: 'TASK_QUEUE_KIND_NORMAL' }, startToCloseTimeout: '10s', attempt: 1 } },
      { eventId: '3', eventTime: t(1), eventType: 'EVENT_TYPE_WORKFLOW_TASK_STARTED', workflowTaskStartedEventAttributes: { scheduledEventId: '2', identity: 'w', requestId: 'r1' } },
      { eventId: '4', eventTime: t(1), eventType: 'EVENT_TYPE_WORKFLOW_TASK_COMPLETED', workflowTaskCompletedEventAttributes: { scheduledEventId: '2', startedEventId: '3', identity: 'w' } },
      { eventId: '5', eventTime: t(1), eventType: 'EVENT_TYPE_ACTIVITY_TASK_SCHEDULED', activityTaskScheduledEventAttributes: { activityId: '1', activityType: { name: 'progress' }, taskQueue: { name: 'tq', kind: 'TASK_QUEUE_KIND_NORMAL' }, startToCloseTimeout: '200s', workflowTaskCompletedEventId: '4', retryPolicy: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '100s' } } },
      { eventId: '6', eventTime: t(2), eventType: 'EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED', workflowExecutionSignaledEventAttributes: { signalName: 'started', input: { payloads: [jsonPayload(1)] }, identity: 'c' } },
      { eventId: '7', eventTime: t(2), eventType: 'EVENT_TYPE_WORKFLOW_TASK_SCHEDULED', workflowTaskScheduledEventAttributes: { taskQueue: { name: 'sticky', kind: 'TASK_QUEUE_KIND_STICKY' }, startToCloseTimeout: '10s', attempt: 1 } },
      { eventId: '8', eventTime: t(2), eventType: 'EVENT_TYPE_WORKFLOW_TASK_STARTED', workflowTaskStartedEventAttributes: { scheduledEventId: '7', identity: 'w' } },
      { eventId: '9', eventTime: t(2), eventType: 'EVENT_TYPE_WORKFLOW_TASK_COMPLETED', workflowTaskCompletedEventAttributes: { scheduledEventId: '7', startedEventId: '8', identity: 'w' } },
      { eventId: '10', eventTime: t(2), eventType: 'EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED', activityTaskCancelRequestedEventAttributes: { scheduledEventId: '5', workflowTaskCompletedEventId: '9' } },
      { eventId: '11', eventTime: t(2), eventType: 'EVENT_TYPE_ACTIVITY_TASK_STARTED', activityTaskStartedEventAttributes: { scheduledEventId: '5', identity: 'w', attempt: 1 } },
      { eventId: '12', eventTime: t(3), eventType: 'EVENT_TYPE_ACTIVITY_TASK_CANCELED', activityTaskCanceledEventAttributes: { latestCancelRequestedEventId: '10', scheduledEventId: '5', startedEventId: '11', identity: 'w' } },
      { eventId: '13', eventTime: t(3), eventType: 'EVENT_TYPE_WORKFLOW_TASK_SCHEDULED', workflowTaskScheduledEventAttributes: { taskQueue: { name: 'sticky', kind: 'TASK_QUEUE_KIND_STICKY' }, startToCloseTimeout: '10s', attempt: 1 } },
      { eventId: '14', eventTime: t(3), eventType: 'EVENT_TYPE_WORKFLOW_TASK_STARTED', workflowTaskStartedEventAttributes: { scheduledEventId: '13', identity: 'w' } },
      { eventId: '15', eventTime: t(3), eventType: 'EVENT_TYPE_WORKFLOW_TASK_COMPLETED', workflowTaskCompletedEventAttributes: { scheduledEventId: '13', startedEventId: '14', identity: 'w' } },
      { eventId: '16', eventTime: t(3), eventType: 'EVENT_TYPE_WORKFLOW_EXECUTION_FAILED', workflowExecutionFailedEventAttributes: { failure: { message: 'cancelled', cause: { message: 'inner', childWorkflowExecutionFailureInfo: { retryState: 'RETRY_STATE_NON_RETRYABLE_FAILURE' } } }, retryState: 'RETRY_STATE_NON_RETRYABLE_FAILURE', workflowTaskCompletedEventId: '15' } },
    ],
  };
}

const PASCAL = {
  TASK_QUEUE_KIND_NORMAL: 'Normal',
  TASK_QUEUE_KIND_STICKY: 'Sticky',
  CONTINUE_AS_NEW_INITIATOR_UNSPECIFIED: 'Unspecified',
  RETRY_STATE_NON_RETRYABLE_FAILURE: 'NonRetryableFailure',
};

/** The same history in the older spelling: PascalCase event types and enum values. */
function legacyHistory() {
  const rewrite = (value, key) => {
    if (Array.isArray(value)) return value.map((v) => rewrite(v));
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rewrite(v, k)]));
    if (key === 'eventType') return value.replace('EVENT_TYPE_', '').toLowerCase().replace(/(^|_)([a-z])/g, (_, __, c) => c.toUpperCase());
    return PASCAL[value] ?? value;
  };
  return rewrite(modernHistory());
}

const replay = (history) => {
  const m = new WorkflowRunMachine({ namespace: 'default', taskQueue: 'tq', workflowId: 'w', runId: 'run-json', workflowType: 'cancelMe' });
  m.addWorkflowTask(replayTask(history.events));
  const out = [];
  for (let a = m.nextActivation(); a; a = m.nextActivation()) {
    out.push(a);
    const commands = a.jobs.some((j) => j.kind === 'initializeWorkflow')
      ? [{ kind: 'scheduleActivity', seq: 1, activityId: '1', activityType: 'progress', taskQueue: 'tq', arguments: [], headers: {}, startToCloseTimeoutMs: 200_000, cancellationType: 'WAIT_CANCELLATION_COMPLETED', doNotEagerlyExecute: false }]
      : a.jobs.some((j) => j.kind === 'signalWorkflow')
        ? [{ kind: 'requestCancelActivity', seq: 1 }]
        : [{ kind: 'failWorkflowExecution', failure: { message: 'cancelled' } }];
    m.completeActivation({ commands, sinkCalls: [] });
  }
  return out;
};

describe('historyFromJSON', () => {
  it('reads the EVENT_TYPE_* spelling into History and HistoryEvent messages (Long ids, durations, times, bytes)', () => {
    const history = historyFromJSON(modernHistory());
    assert.ok(history instanceof temporal.api.history.v1.History.ctor);
    assert.equal(history.events.length, 16);
    const [first] = history.events;
    assert.ok(first instanceof temporal.api.history.v1.HistoryEvent.ctor);
    assert.equal(first.eventId.toNumber(), 1);
    assert.equal(first.eventType, temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED);
    const attrs = first.workflowExecutionStartedEventAttributes;
    assert.equal(attrs.taskQueue.kind, temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL);
    assert.equal(attrs.workflowTaskTimeout.seconds.toNumber(), 10);
    assert.equal(first.eventTime.seconds.toNumber(), Date.parse('2024-03-01T10:00:00Z') / 1000);
    assert.equal(first.eventTime.nanos, 250_000_000);
    assert.equal(valueOf(attrs.input.payloads[0]), 'in');
    assert.equal(history.events[15].workflowExecutionFailedEventAttributes.retryState, temporal.api.enums.v1.RetryState.RETRY_STATE_NON_RETRYABLE_FAILURE);
  });

  it('reads the older PascalCase spelling to the same messages', () => {
    const legacy = legacyHistory();
    assert.equal(legacy.events[0].eventType, 'WorkflowExecutionStarted');
    assert.equal(legacy.events[0].workflowExecutionStartedEventAttributes.taskQueue.kind, 'Normal');
    const a = historyFromJSON(legacy);
    const b = historyFromJSON(modernHistory());
    const H = temporal.api.history.v1.History;
    assert.deepEqual(Buffer.from(H.encode(a).finish()), Buffer.from(H.encode(b).finish()));
    assert.equal(a.events[15].workflowExecutionFailedEventAttributes.failure.cause.childWorkflowExecutionFailureInfo.retryState, 2);
  });

  it('both spellings replay to the same activations', () => {
    const modern = replay(historyFromJSON(modernHistory()));
    const legacy = replay(historyFromJSON(JSON.stringify(legacyHistory())));
    assert.deepEqual(modern.map(kinds), [['initializeWorkflow'], ['signalWorkflow'], ['resolveActivity']]);
    assert.deepEqual(legacy, modern);
    assert.equal(modern[0].timestampMs, Date.parse('2024-03-01T10:00:01.250Z'));
  });

  it('names the event that cannot be read', () => {
    assert.throws(() => historyFromJSON({ nope: [] }), { name: 'ValueError', message: /expected an object with an "events" array/ });
    assert.throws(() => historyFromJSON('{not json'), { name: 'ValueError', message: /not JSON/ });
    const missing = modernHistory();
    delete missing.events[2].workflowTaskStartedEventAttributes;
    assert.throws(() => historyFromJSON(missing), { name: 'ValueError', message: /history event #2 \(eventId 3\): it has no \*EventAttributes/ });
    const badField = modernHistory();
    badField.events[4].activityTaskScheduledEventAttributes.startToCloseTimeout = 'forever';
    assert.throws(() => historyFromJSON(badField), { name: 'ValueError', message: /^Invalid history event #4 \(eventId 5\): / });
    assert.throws(() => historyFromJSON({ events: [42] }), { name: 'ValueError', message: /history event #0: expected an object/ });
  });
});

describe('historyFromBinary', () => {
  it('decodes a binary History', () => {
    const H = temporal.api.history.v1.History;
    const bytes = H.encode(historyFromJSON(modernHistory())).finish();
    const history = historyFromBinary(bytes);
    assert.equal(history.events.length, 16);
    assert.deepEqual(replay(history).map(kinds), [['initializeWorkflow'], ['signalWorkflow'], ['resolveActivity']]);
  });

  it('rejects what is not a History', () => {
    assert.throws(() => historyFromBinary('abc'), TypeError);
    assert.throws(() => historyFromBinary(new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f])), { name: 'ValueError', message: /Invalid binary history/ });
  });
});
