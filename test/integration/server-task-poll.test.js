// PollWorkflowTaskQueue long polls: the empty default response when nothing arrives, immediate
// delivery to a waiting poller, and the fields of a workflow task that sdk-core requires.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { temporal } from 'duraflow/proto';
import { startServer } from './helpers/rpc.js';
import {
  enums,
  eventNames,
  num,
  pollWorkflowTask,
  startWorkflow,
  terminate,
  timestampMs,
  uid,
} from './helpers/workflows.js';

const LONG_POLL_MS = 500;
const { PollWorkflowTaskQueueResponse } = temporal.api.workflowservice.v1;

describe('dev server: workflow task long poll', () => {
  let env;
  before(async () => {
    env = await startServer({ longPollMs: LONG_POLL_MS });
  });
  after(async () => {
    await env?.stop();
  });

  it('an empty queue answers the default response (no task token) when the long poll expires', async () => {
    const startedAt = Date.now();
    const response = await pollWorkflowTask(env, uid('empty-tq'));
    const elapsed = Date.now() - startedAt;
    assert.ok(!response.taskToken || response.taskToken.length === 0, 'no task token');
    assert.ok(elapsed >= LONG_POLL_MS - 50, `the poll waited (${elapsed} ms)`);
    assert.ok(elapsed < LONG_POLL_MS + 3000, `the poll returned soon after longPollMs (${elapsed} ms)`);
    // Exactly the default proto: it encodes to zero bytes.
    const encoded = PollWorkflowTaskQueueResponse.encode(response).finish();
    assert.equal(encoded.length, 0, `expected the default response, got ${JSON.stringify(response.toJSON?.() ?? response)}`);
  });

  it('a poll already waiting when the workflow starts gets the task at once', async () => {
    const taskQueue = uid('tq');
    const pollStarted = Date.now();
    const poll = pollWorkflowTask(env, taskQueue);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const wf = await startWorkflow(env, { taskQueue: { name: taskQueue } });
    const startedAt = Date.now();
    const task = await poll;
    const waited = Date.now() - startedAt;
    assert.ok(task.taskToken?.length > 0, 'the waiting poll got a task');
    assert.ok(waited < LONG_POLL_MS - 100, `delivered at once (${waited} ms after start, ${Date.now() - pollStarted} ms after poll)`);
    assert.equal(task.workflowExecution.workflowId, wf.workflowId);
    assert.equal(task.workflowExecution.runId, wf.runId);
    await terminate(env, { workflowId: wf.workflowId });
  });

  it('the task carries history ending with WorkflowTaskStarted and the fields sdk-core requires', async () => {
    const wf = await startWorkflow(env, { workflowType: { name: 'PollShape' } });
    const task = await pollWorkflowTask(env, wf.taskQueue);
    assert.ok(task.taskToken?.length > 0);
    assert.equal(task.workflowExecution.workflowId, wf.workflowId);
    assert.equal(task.workflowExecution.runId, wf.runId);
    assert.equal(task.workflowType.name, 'PollShape');
    assert.equal(task.workflowExecutionTaskQueue.name, wf.taskQueue);
    assert.equal(task.workflowExecutionTaskQueue.kind, enums.TaskQueueKind.TASK_QUEUE_KIND_NORMAL);
    assert.equal(task.attempt, 1);
    assert.equal(num(task.previousStartedEventId), 0);

    const events = task.history.events;
    assert.deepEqual(eventNames(events), ['WORKFLOW_EXECUTION_STARTED', 'WORKFLOW_TASK_SCHEDULED', 'WORKFLOW_TASK_STARTED']);
    events.forEach((e, i) => assert.equal(num(e.eventId), i + 1, 'event ids are contiguous from 1'));
    const started = events.at(-1);
    assert.equal(num(task.startedEventId), num(started.eventId));
    assert.equal(num(started.workflowTaskStartedEventAttributes.scheduledEventId), 2);
    assert.ok(timestampMs(started.eventTime) > 0, 'WorkflowTaskStarted has an event time');
    assert.ok(events[0].workflowExecutionStartedEventAttributes.workflowTaskTimeout, 'Started has workflowTaskTimeout');
    assert.ok(timestampMs(task.scheduledTime) > 0 && timestampMs(task.startedTime) > 0);
    assert.ok(!task.query, 'a workflow task is not a legacy query task');

    // The task was handed out once: a second poll finds nothing.
    const again = await pollWorkflowTask(env, wf.taskQueue);
    assert.ok(!again.taskToken || again.taskToken.length === 0);
    await terminate(env, { workflowId: wf.workflowId });
  });

  it('tasks are per namespace and task queue: a poll on another queue does not get it', async () => {
    const wf = await startWorkflow(env);
    const other = await pollWorkflowTask(env, `${wf.taskQueue}-other`);
    assert.ok(!other.taskToken || other.taskToken.length === 0);
    const task = await pollWorkflowTask(env, wf.taskQueue);
    assert.ok(task.taskToken?.length > 0);
    await terminate(env, { workflowId: wf.workflowId });
  });
});
