// Workflow timeouts as recorded on WorkflowExecutionStarted (defaults, caps, run = min(run,
// execution)), and the start delay: no workflow task until it elapses.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { durationFromMs } from 'duraflow/proto';
import { startServer } from './helpers/rpc.js';
import {
  durationMs,
  eventNames,
  historyEvents,
  num,
  pollWorkflowTask,
  startWorkflow,
  terminate,
  timestampMs,
  waitFor,
} from './helpers/workflows.js';

/** Starts a workflow and returns its WorkflowExecutionStarted attributes in milliseconds. */
async function startedTimeouts(env, overrides) {
  const wf = await startWorkflow(env, overrides);
  const [first] = await historyEvents(env, { workflowId: wf.workflowId, runId: wf.runId });
  const a = first.workflowExecutionStartedEventAttributes;
  assert.ok(a, 'event 1 is WorkflowExecutionStarted');
  await terminate(env, { workflowId: wf.workflowId });
  return {
    execution: durationMs(a.workflowExecutionTimeout) ?? 0,
    run: durationMs(a.workflowRunTimeout) ?? 0,
    task: durationMs(a.workflowTaskTimeout),
    attrs: a,
  };
}

describe('dev server: workflow timeouts on the Started event', () => {
  let env;
  before(async () => {
    env = await startServer({ longPollMs: 500 });
  });
  after(async () => {
    await env?.stop();
  });

  it('defaults: task timeout 10 s, no execution or run timeout', async () => {
    const t = await startedTimeouts(env, {});
    assert.equal(t.task, 10_000);
    assert.equal(t.execution, 0);
    assert.equal(t.run, 0);
    assert.equal(t.attrs.attempt, 1);
    assert.ok(t.attrs.firstExecutionRunId && t.attrs.originalExecutionRunId);
  });

  it('the task timeout is capped at 120 s', async () => {
    const t = await startedTimeouts(env, { workflowTaskTimeout: durationFromMs(200_000) });
    assert.equal(t.task, 120_000);
  });

  it('an explicit task timeout below the cap is kept', async () => {
    const t = await startedTimeouts(env, { workflowTaskTimeout: durationFromMs(3_000) });
    assert.equal(t.task, 3_000);
  });

  it('run timeout = min(run, execution); execution alone sets the run timeout', async () => {
    let t = await startedTimeouts(env, { workflowExecutionTimeout: durationFromMs(60_000), workflowRunTimeout: durationFromMs(90_000) });
    assert.equal(t.execution, 60_000);
    assert.equal(t.run, 60_000);
    t = await startedTimeouts(env, { workflowExecutionTimeout: durationFromMs(60_000), workflowRunTimeout: durationFromMs(30_000) });
    assert.equal(t.execution, 60_000);
    assert.equal(t.run, 30_000);
    t = await startedTimeouts(env, { workflowExecutionTimeout: durationFromMs(45_000) });
    assert.equal(t.run, 45_000);
    t = await startedTimeouts(env, { workflowRunTimeout: durationFromMs(20_000) });
    assert.equal(t.execution, 0);
    assert.equal(t.run, 20_000);
  });

  it('the task timeout is capped at the run timeout', async () => {
    const t = await startedTimeouts(env, { workflowRunTimeout: durationFromMs(5_000), workflowTaskTimeout: durationFromMs(30_000) });
    assert.equal(t.run, 5_000);
    assert.equal(t.task, 5_000);
  });

  it('an execution timeout sets workflowExecutionExpirationTime', async () => {
    const before = Date.now();
    const t = await startedTimeouts(env, { workflowExecutionTimeout: durationFromMs(60_000) });
    const expiry = timestampMs(t.attrs.workflowExecutionExpirationTime);
    assert.ok(expiry >= before + 60_000 - 1000 && expiry <= Date.now() + 60_000 + 1000, `expiration ${expiry}`);
  });

  it('start delay: firstWorkflowTaskBackoff is set and no workflow task is scheduled until it elapses', async () => {
    const delayMs = 300;
    const wf = await startWorkflow(env, { workflowStartDelay: durationFromMs(delayMs) });
    const execution = { workflowId: wf.workflowId, runId: wf.runId };
    const startedAt = Date.now();
    const events = await historyEvents(env, execution);
    assert.deepEqual(eventNames(events), ['WORKFLOW_EXECUTION_STARTED']);
    assert.equal(durationMs(events[0].workflowExecutionStartedEventAttributes.firstWorkflowTaskBackoff), delayMs);

    // A poll while the delay runs gets nothing before the delay is over.
    const task = await pollWorkflowTask(env, wf.taskQueue);
    if (task.taskToken?.length) {
      assert.ok(Date.now() - startedAt >= delayMs - 50, 'a task arrived before the start delay elapsed');
    }
    await waitFor('WorkflowTaskScheduled after the start delay', async () => {
      const names = eventNames(await historyEvents(env, execution));
      return names.includes('WORKFLOW_TASK_SCHEDULED');
    });
    const scheduled = (await historyEvents(env, execution))[1];
    const startTime = timestampMs(events[0].eventTime);
    assert.ok(timestampMs(scheduled.eventTime) - startTime >= delayMs - 5, 'WorkflowTaskScheduled is written when the delay ends');
    const d = await env.call('DescribeWorkflowExecution', { namespace: 'default', execution });
    assert.ok(
      timestampMs(d.workflowExecutionInfo.executionTime) - timestampMs(d.workflowExecutionInfo.startTime) >= delayMs - 5,
      'executionTime = startTime + delay',
    );
    assert.ok(num(scheduled.eventId) === 2);
    await terminate(env, execution);
  });

  it('a signal during the start delay is recorded but schedules no workflow task before the delay ends', async () => {
    const delayMs = 1000;
    const wf = await startWorkflow(env, { workflowStartDelay: durationFromMs(delayMs) });
    const execution = { workflowId: wf.workflowId, runId: wf.runId };
    const startedAt = Date.now();
    await env.call('SignalWorkflowExecution', { namespace: 'default', workflowExecution: execution, signalName: 'early' });
    assert.deepEqual(eventNames(await historyEvents(env, execution)), ['WORKFLOW_EXECUTION_STARTED', 'WORKFLOW_EXECUTION_SIGNALED']);
    const task = await pollWorkflowTask(env, wf.taskQueue);
    if (task.taskToken?.length) {
      assert.ok(Date.now() - startedAt >= delayMs - 50, `the signal made a task available after ${Date.now() - startedAt} ms, before the ${delayMs} ms start delay`);
    }
    await terminate(env, execution);
  });
});
