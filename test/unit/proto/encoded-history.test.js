// EncodedHistory: a response whose history events are already encoded is serialized by splicing
// them in, and decodes to the same message as one whose events were encoded with it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EncodedHistory, int64, temporal, workflowServiceDefinition } from '../../../dist/proto/index.js';

const { HistoryEvent, History } = temporal.api.history.v1;
const { PollWorkflowTaskQueueResponse, GetWorkflowExecutionHistoryResponse } = temporal.api.workflowservice.v1;
const { EventType } = temporal.api.enums.v1;

const events = [
  {
    eventId: int64(1),
    eventType: EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED,
    workflowExecutionStartedEventAttributes: { workflowType: { name: 'W' }, taskQueue: { name: 'tq' }, attempt: 1 },
  },
  { eventId: int64(2), eventType: EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED, workflowTaskScheduledEventAttributes: { attempt: 1 } },
  { eventId: int64(3), eventType: EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED, workflowTaskStartedEventAttributes: { scheduledEventId: int64(2), identity: 'w' } },
];
const encoded = () => new EncodedHistory(events.map((e) => HistoryEvent.encode(e).finish()));

function serialize(method, response) {
  return workflowServiceDefinition[method].responseSerialize(response);
}

describe('EncodedHistory', () => {
  it('a poll response with encoded events decodes like one encoded from the events', () => {
    const fields = { taskToken: Buffer.from('token'), workflowType: { name: 'W' }, startedEventId: int64(3), attempt: 1 };
    const spliced = PollWorkflowTaskQueueResponse.decode(serialize('PollWorkflowTaskQueue', { ...fields, history: encoded() }));
    const plain = PollWorkflowTaskQueueResponse.decode(serialize('PollWorkflowTaskQueue', { ...fields, history: { events } }));
    assert.deepEqual(PollWorkflowTaskQueueResponse.toObject(spliced), PollWorkflowTaskQueueResponse.toObject(plain));
    assert.deepEqual(
      spliced.history.events.map((e) => e.eventId.toNumber()),
      [1, 2, 3],
    );
    assert.equal(spliced.history.events[2].workflowTaskStartedEventAttributes.identity, 'w');
  });

  it('works for GetWorkflowExecutionHistory (history is field 1) and for no events', () => {
    const token = Buffer.from('next');
    const page = GetWorkflowExecutionHistoryResponse.decode(serialize('GetWorkflowExecutionHistory', { history: encoded(), nextPageToken: token }));
    assert.equal(page.history.events.length, 3);
    assert.deepEqual(Buffer.from(page.nextPageToken), token);
    const empty = GetWorkflowExecutionHistoryResponse.decode(serialize('GetWorkflowExecutionHistory', { history: new EncodedHistory([]) }));
    assert.ok(empty.history, 'an empty history is still present');
    assert.equal(empty.history.events.length, 0);
  });

  it('is left to the message encoder when the history is a plain object, and methods without a history are unaffected', () => {
    const bytes = serialize('GetWorkflowExecutionHistory', { history: History.create({ events }) });
    assert.equal(GetWorkflowExecutionHistoryResponse.decode(bytes).history.events.length, 3);
    const info = serialize('GetSystemInfo', { serverVersion: '1.2.3' });
    assert.equal(temporal.api.workflowservice.v1.GetSystemInfoResponse.decode(info).serverVersion, '1.2.3');
  });
});
