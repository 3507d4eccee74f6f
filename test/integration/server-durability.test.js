// Durability across an in-process restart: state, history and a pending timer kept in the SQLite
// file survive `stop()`, and the timer fires in the new server. (A SIGKILL crash test lives in the
// interop suite.)
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { durationFromMs } from 'duraflow/proto';
import { after, describe, it } from 'node:test';
import { expectRpcError, startServer, status } from './helpers/rpc.js';
import {
  completeWorkflowCommand,
  durationMs,
  eventNames,
  ExecutionStatus,
  historyEvents,
  num,
  pollWorkflowTaskUntil,
  respondWorkflowTaskCompleted,
  runWorkflowTask,
  sleep,
  startTimerCommand,
  startWorkflow,
  statusOf,
  uid,
  waitFor,
  withTimeout,
} from './helpers/workflows.js';

describe('dev server: durability across restart', () => {
  const dir = mkdtempSync(join(tmpdir(), 'duraflow-durability-'));
  const dbFilename = join(dir, 'dev.db');
  const servers = [];
  after(async () => {
    for (const env of servers) await env.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a timer started before stop() fires after a restart on the same file', async () => {
    const first = await startServer({ dbFilename, longPollMs: 500 });
    servers.push(first);
    const wf = await startWorkflow(first, { workflowType: { name: 'Sleeper' } });
    const execution = { workflowId: wf.workflowId, runId: wf.runId };
    await runWorkflowTask(first, wf.taskQueue, [startTimerCommand('nap', 1000)]);
    const timerStartedAt = Date.now();
    const before = eventNames(await historyEvents(first, execution));
    assert.deepEqual(before.slice(-2), ['WORKFLOW_TASK_COMPLETED', 'TIMER_STARTED']);
    // A second, closed workflow must also survive.
    const closed = await startWorkflow(first);
    await runWorkflowTask(first, closed.taskQueue, [completeWorkflowCommand()]);
    await first.stop();

    const second = await startServer({ dbFilename, longPollMs: 500 });
    servers.push(second);
    assert.notEqual(second.address, undefined);
    // Everything acknowledged before the stop is there.
    assert.deepEqual(eventNames(await historyEvents(second, execution)).slice(0, before.length), before);
    assert.equal(await statusOf(second, { workflowId: closed.workflowId }), ExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED);

    await sleep(Math.max(0, 1500 - (Date.now() - timerStartedAt)));
    const task = await pollWorkflowTaskUntil(second, wf.taskQueue, { timeoutMs: 10_000 });
    assert.equal(task.workflowExecution.runId, wf.runId);
    const names = eventNames(task.history.events);
    assert.ok(names.includes('TIMER_FIRED'), `history has TimerFired: ${names.join(', ')}`);
    assert.deepEqual(names.slice(-3), ['TIMER_FIRED', 'WORKFLOW_TASK_SCHEDULED', 'WORKFLOW_TASK_STARTED']);
    const fired = task.history.events.find((e) => e.timerFiredEventAttributes);
    assert.equal(fired.timerFiredEventAttributes.timerId, 'nap');
    const timerStarted = task.history.events.find((e) => e.timerStartedEventAttributes);
    assert.equal(num(fired.timerFiredEventAttributes.startedEventId), num(timerStarted.eventId));
    assert.equal(durationMs(timerStarted.timerStartedEventAttributes.startToFireTimeout), 1000);
    assert.equal(num(task.previousStartedEventId), 3, 'the completed first task is remembered');

    // The restarted server finishes the workflow normally.
    await respondWorkflowTaskCompleted(second, task.taskToken, [completeWorkflowCommand('woke up')]);
    assert.equal(await statusOf(second, execution), ExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED);
  });

  it('a restarted server keeps workflow id uniqueness and request-id dedupe', async () => {
    const dbFile = join(dir, `dedupe-${uid('db')}.db`);
    const first = await startServer({ dbFilename: dbFile });
    servers.push(first);
    const wf = await startWorkflow(first);
    await first.stop();
    const second = await startServer({ dbFilename: dbFile });
    servers.push(second);
    const again = await second.call('StartWorkflowExecution', wf.request);
    assert.equal(again.runId, wf.runId, 'the same request id returns the same run after a restart');
    await expectRpcError(
      second.call('StartWorkflowExecution', { ...wf.request, requestId: uid('other-request') }),
      status.ALREADY_EXISTS,
    );
    // The pending first workflow task is still dispatched.
    const task = await pollWorkflowTaskUntil(second, wf.taskQueue, { timeoutMs: 5_000 });
    assert.equal(task.workflowExecution.runId, wf.runId);
  });

  it('a workflow task started before stop() times out after the restart and is dispatched again', async () => {
    const dbFile = join(dir, `wft-${uid('db')}.db`);
    const first = await startServer({ dbFilename: dbFile, longPollMs: 500 });
    servers.push(first);
    const wf = await startWorkflow(first, { workflowTaskTimeout: durationFromMs(1000) });
    const lost = await pollWorkflowTaskUntil(first, wf.taskQueue);
    assert.equal(lost.attempt, 1);
    await first.stop(); // the "worker" never answers

    const second = await startServer({ dbFilename: dbFile, longPollMs: 500 });
    servers.push(second);
    const task = await pollWorkflowTaskUntil(second, wf.taskQueue, { timeoutMs: 10_000 });
    assert.equal(task.attempt, 2);
    const names = eventNames(task.history.events);
    assert.ok(names.includes('WORKFLOW_TASK_TIMED_OUT'), names.join(', '));
    assert.equal(names.at(-1), 'WORKFLOW_TASK_STARTED');
    // The old token is stale; the new one completes the workflow.
    await expectRpcError(respondWorkflowTaskCompleted(second, lost.taskToken, [completeWorkflowCommand()]), status.NOT_FOUND);
    await respondWorkflowTaskCompleted(second, task.taskToken, [completeWorkflowCommand()]);
    assert.equal(await statusOf(second, { workflowId: wf.workflowId }), ExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED);
  });

  it('stop() ends outstanding long polls promptly', async () => {
    const env = await startServer(); // default long poll (55 s)
    try {
      await stopWithPendingPolls(env);
    } finally {
      env.client.close();
    }
  });

  async function stopWithPendingPolls(env) {
    const wf = await startWorkflow(env);
    const poll = pollWorkflowTaskUntil(env, uid('idle-tq'), { timeoutMs: 60_000 }).catch((e) => e);
    const history = env
      .call('GetWorkflowExecutionHistory', {
        namespace: 'default',
        execution: { workflowId: wf.workflowId },
        historyEventFilterType: 2, // CLOSE_EVENT
        waitNewEvent: true,
      })
      .catch((e) => e);
    await sleep(200);
    const stoppedAt = Date.now();
    await env.server.stop();
    const elapsed = Date.now() - stoppedAt;
    assert.ok(elapsed < 2500, `stop() took ${elapsed} ms`);
    await withTimeout(Promise.all([poll, history]), 5000, 'long polls after stop()');
  }
  it('a closed workflow past its namespace retention is deleted when the server comes back', async () => {
    const file = join(dir, 'retention.db');
    const first = await startServer({ dbFilename: file });
    servers.push(first);
    const closed = await startWorkflow(first);
    await runWorkflowTask(first, closed.taskQueue, [completeWorkflowCommand()]);
    const open = await startWorkflow(first);
    await first.stop();

    // Two days on (the default retention is one day), the closed run is deleted; the open one stays.
    const later = await startServer({ dbFilename: file, clock: { now: () => Date.now() + 2 * 24 * 3_600_000 } });
    servers.push(later);
    await waitFor('the closed run to be deleted', async () => {
      try {
        await statusOf(later, { workflowId: closed.workflowId });
        return false;
      } catch (error) {
        return error.code === status.NOT_FOUND;
      }
    });
    assert.equal(await statusOf(later, { workflowId: open.workflowId }), ExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
  });
});
