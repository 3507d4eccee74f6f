// GetWorkflowExecutionHistory: paging with maximumPageSize, and the CLOSE_EVENT long poll the
// official client's result() relies on.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer } from './helpers/rpc.js';
import {
  completeWorkflowCommand,
  enums,
  eventNames,
  historyEvents,
  NAMESPACE,
  num,
  payloads,
  runWorkflowTask,
  settledWithin,
  startTimerCommand,
  startWorkflow,
  terminate,
} from './helpers/workflows.js';

const CLOSE_EVENT = enums.HistoryEventFilterType.HISTORY_EVENT_FILTER_TYPE_CLOSE_EVENT;

describe('dev server: GetWorkflowExecutionHistory', () => {
  let env;
  before(async () => {
    env = await startServer({ longPollMs: 500 });
  });
  after(async () => {
    await env?.stop();
  });

  const getHistory = (request, options) => env.call('GetWorkflowExecutionHistory', { namespace: NAMESPACE, ...request }, options);

  /** A running workflow with 7 events: Started, WFT Scheduled/Started/Completed, TimerStarted, Signaled, WFT Scheduled. */
  async function sevenEventWorkflow() {
    const wf = await startWorkflow(env);
    await runWorkflowTask(env, wf.taskQueue, [startTimerCommand('t1', 3_600_000)]);
    await env.call('SignalWorkflowExecution', {
      namespace: NAMESPACE,
      workflowExecution: { workflowId: wf.workflowId, runId: wf.runId },
      signalName: 'poke',
      input: payloads(1),
    });
    return wf;
  }

  it('pages with maximumPageSize 2 until next_page_token is empty; events are contiguous', async () => {
    const wf = await sevenEventWorkflow();
    const execution = { workflowId: wf.workflowId, runId: wf.runId };
    const all = await historyEvents(env, execution);
    assert.deepEqual(eventNames(all), [
      'WORKFLOW_EXECUTION_STARTED',
      'WORKFLOW_TASK_SCHEDULED',
      'WORKFLOW_TASK_STARTED',
      'WORKFLOW_TASK_COMPLETED',
      'TIMER_STARTED',
      'WORKFLOW_EXECUTION_SIGNALED',
      'WORKFLOW_TASK_SCHEDULED',
    ]);

    const pages = [];
    let nextPageToken;
    do {
      const r = await getHistory({ execution, maximumPageSize: 2, nextPageToken });
      pages.push(r.history.events.map((e) => num(e.eventId)));
      nextPageToken = r.nextPageToken;
      assert.ok(pages.length <= 10, 'paging terminates');
    } while (nextPageToken && nextPageToken.length > 0);
    assert.ok(pages.every((p) => p.length <= 2), `no page exceeds 2 events: ${JSON.stringify(pages)}`);
    assert.deepEqual(pages.flat(), [1, 2, 3, 4, 5, 6, 7], `pages: ${JSON.stringify(pages)}`);
    assert.deepEqual(pages, [[1, 2], [3, 4], [5, 6], [7]]);
    await terminate(env, execution);
  });

  it('paging a history whose length is a multiple of the page size ends without an empty extra page', async () => {
    const wf = await startWorkflow(env);
    const execution = { workflowId: wf.workflowId, runId: wf.runId };
    await terminate(env, execution); // Started, WFT Scheduled, Terminated
    const first = await getHistory({ execution, maximumPageSize: 3 });
    assert.equal(first.history.events.length, 3);
    assert.ok(!first.nextPageToken || first.nextPageToken.length === 0, 'a closed, fully read history has no token');
  });

  it('CLOSE_EVENT + waitNewEvent on a running workflow returns the close event once it closes', async () => {
    const wf = await startWorkflow(env);
    const execution = { workflowId: wf.workflowId, runId: wf.runId };
    const poll = getHistory({ execution, historyEventFilterType: CLOSE_EVENT, waitNewEvent: true, skipArchival: true }, { deadlineMs: 30_000 });
    assert.equal(await settledWithin(poll, 300), 'pending', 'the long poll waits while the workflow runs');
    await env.call('SignalWorkflowExecution', { namespace: NAMESPACE, workflowExecution: execution, signalName: 'not-a-close' });
    assert.equal(await settledWithin(poll, 300), 'pending', 'events other than the close event do not end it');
    await terminate(env, execution, 'closing for the long poll');
    const r = await poll;
    assert.deepEqual(eventNames(r.history.events), ['WORKFLOW_EXECUTION_TERMINATED']);
    assert.equal(r.history.events[0].workflowExecutionTerminatedEventAttributes.reason, 'closing for the long poll');
  });

  it('CLOSE_EVENT + waitNewEvent follows a workflow that completes through a workflow task', async () => {
    const wf = await startWorkflow(env);
    const execution = { workflowId: wf.workflowId };
    const poll = getHistory({ execution, historyEventFilterType: CLOSE_EVENT, waitNewEvent: true }, { deadlineMs: 30_000 });
    assert.equal(await settledWithin(poll, 200), 'pending');
    await runWorkflowTask(env, wf.taskQueue, [completeWorkflowCommand('result!')]);
    const r = await poll;
    assert.deepEqual(eventNames(r.history.events), ['WORKFLOW_EXECUTION_COMPLETED']);
    const result = r.history.events[0].workflowExecutionCompletedEventAttributes.result.payloads[0];
    assert.equal(JSON.parse(Buffer.from(result.data).toString()), 'result!');
  });

  it('CLOSE_EVENT on a closed workflow returns only the last event, with or without waitNewEvent', async () => {
    const wf = await startWorkflow(env);
    const execution = { workflowId: wf.workflowId, runId: wf.runId };
    await runWorkflowTask(env, wf.taskQueue, [completeWorkflowCommand()]);
    const all = await historyEvents(env, execution);
    for (const waitNewEvent of [false, true]) {
      const r = await getHistory({ execution, historyEventFilterType: CLOSE_EVENT, waitNewEvent });
      assert.equal(r.history.events.length, 1);
      assert.equal(num(r.history.events[0].eventId), num(all.at(-1).eventId));
      assert.equal(eventNames(r.history.events)[0], 'WORKFLOW_EXECUTION_COMPLETED');
    }
  });

  it('waitNewEvent (all events) from the end of a running history blocks until a new event arrives', async () => {
    const wf = await startWorkflow(env);
    const execution = { workflowId: wf.workflowId, runId: wf.runId };
    const first = await getHistory({ execution, waitNewEvent: true });
    assert.deepEqual(eventNames(first.history.events), ['WORKFLOW_EXECUTION_STARTED', 'WORKFLOW_TASK_SCHEDULED']);
    assert.ok(first.nextPageToken?.length > 0, 'an open run keeps a token to follow');
    const next = getHistory({ execution, waitNewEvent: true, nextPageToken: first.nextPageToken }, { deadlineMs: 30_000 });
    assert.equal(await settledWithin(next, 200), 'pending');
    await env.call('SignalWorkflowExecution', { namespace: NAMESPACE, workflowExecution: execution, signalName: 'hello' });
    const r = await next;
    assert.deepEqual(eventNames(r.history.events), ['WORKFLOW_EXECUTION_SIGNALED']);
    assert.equal(num(r.history.events[0].eventId), 3);
    await terminate(env, execution);
  });
});
