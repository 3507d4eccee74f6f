// Sticky execution on the dev server over raw gRPC (the test plays the worker): sticky routing and
// partial history, the schedule-to-start fallback, ShutdownWorker, ResetStickyTaskQueue, request
// validation, and time skipping leaving sticky timeouts alone.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Connection } from 'duraflow/client';
import { durationFromMs, msFromTs } from 'duraflow/proto';
import { expectRpcError, startServer, status } from './helpers/rpc.js';
import {
  CommandType,
  EventType,
  NAMESPACE,
  enums,
  eventNames,
  historyEvents,
  num,
  payloads,
  sleep,
  startTimerCommand,
  startWorkflow,
  uid,
  waitFor,
  withTimeout,
} from './helpers/workflows.js';

const { TaskQueueKind, TimeoutType } = enums;

const stickyQueue = (normal) => ({ name: `${normal}-sticky`, kind: TaskQueueKind.TASK_QUEUE_KIND_STICKY, normalName: normal });
const normalQueue = (name) => ({ name, kind: TaskQueueKind.TASK_QUEUE_KIND_NORMAL });

/** One poll; `deadlineMs` bounds it (the server's long poll is 1 s in these tests). */
const poll = (env, taskQueue, deadlineMs) =>
  env.call('PollWorkflowTaskQueue', { namespace: NAMESPACE, taskQueue, identity: 'sticky-test' }, deadlineMs ? { deadlineMs } : undefined);

async function pollTask(env, taskQueue) {
  return await waitFor(`a task on ${taskQueue.name}`, async () => {
    const task = await poll(env, taskQueue);
    return task.taskToken?.length > 0 ? task : undefined;
  });
}

const complete = (env, task, { sticky, commands = [] } = {}) =>
  env.call('RespondWorkflowTaskCompleted', {
    namespace: NAMESPACE,
    taskToken: task.taskToken,
    commands,
    identity: 'sticky-test',
    stickyAttributes: sticky && { workerTaskQueue: sticky.queue, scheduleToStartTimeout: durationFromMs(sticky.timeoutMs ?? 10_000) },
  });

const signal = (env, started, name = 'go') =>
  env.call('SignalWorkflowExecution', {
    namespace: NAMESPACE,
    workflowExecution: { workflowId: started.workflowId, runId: started.runId },
    signalName: name,
    input: payloads(1),
    identity: 'client',
  });

const history = (env, started) => historyEvents(env, { workflowId: started.workflowId, runId: started.runId });
const lastScheduledQueue = async (env, started) =>
  (await history(env, started)).filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED).at(-1).workflowTaskScheduledEventAttributes.taskQueue;

/** Starts a workflow and completes its first task asking for `sticky`; returns the start info. */
async function startSticky(env, timeoutMs = 10_000) {
  const started = await startWorkflow(env);
  const sticky = stickyQueue(started.taskQueue);
  await complete(env, await pollTask(env, normalQueue(started.taskQueue)), { sticky: { queue: sticky, timeoutMs } });
  return { ...started, sticky };
}

describe('dev server: sticky execution over gRPC', () => {
  let env;
  before(async () => {
    env = await startServer({ logLevel: 'error', longPollMs: 1_000 });
  });
  after(async () => {
    await env?.stop();
  });

  it('routes the next task to a polled sticky queue with partial history and the normal queue named', async () => {
    const started = await startSticky(env);
    assert.equal((await poll(env, started.sticky)).taskToken?.length ?? 0, 0, 'an empty sticky poll (it keeps the queue alive)');
    await signal(env, started);
    const task = await pollTask(env, started.sticky);
    assert.deepEqual(task.history.events.map((e) => num(e.eventId)), [4, 5, 6, 7]);
    assert.equal(num(task.previousStartedEventId), 3);
    assert.equal(num(task.startedEventId), 7);
    assert.equal(task.workflowExecutionTaskQueue.name, started.taskQueue);
    assert.equal(task.workflowExecutionTaskQueue.kind, TaskQueueKind.TASK_QUEUE_KIND_NORMAL);
    const queue = await lastScheduledQueue(env, started);
    assert.deepEqual({ name: queue.name, kind: queue.kind, normalName: queue.normalName }, started.sticky);
    await complete(env, task, { commands: [{ commandType: CommandType.COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION, completeWorkflowExecutionCommandAttributes: {} }] });
  });

  it('accepts a sticky poll without normalName, as Temporal does for older SDKs', async () => {
    const response = await poll(env, { name: uid('bare-sticky'), kind: TaskQueueKind.TASK_QUEUE_KIND_STICKY }, 5_000);
    assert.equal(response.taskToken?.length ?? 0, 0);
  });

  it('a task left on the sticky queue times out SCHEDULE_TO_START and goes to the normal queue with full history', async () => {
    const started = await startSticky(env, 300);
    await poll(env, started.sticky); // a sticky poller was there a moment ago, but takes nothing more
    await signal(env, started);
    const task = await pollTask(env, normalQueue(started.taskQueue));
    assert.equal(num(task.history.events[0].eventId), 1);
    const events = await history(env, started);
    assert.deepEqual(eventNames(events).slice(4), [
      'WORKFLOW_EXECUTION_SIGNALED', 'WORKFLOW_TASK_SCHEDULED', 'WORKFLOW_TASK_TIMED_OUT', 'WORKFLOW_TASK_SCHEDULED', 'WORKFLOW_TASK_STARTED',
    ]);
    const timedOut = events[6].workflowTaskTimedOutEventAttributes;
    assert.equal(timedOut.timeoutType, TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START);
    assert.equal(num(timedOut.scheduledEventId), 6);
    assert.equal(num(timedOut.startedEventId), 0);
    assert.equal(events[7].workflowTaskScheduledEventAttributes.taskQueue.kind, TaskQueueKind.TASK_QUEUE_KIND_NORMAL);
    assert.equal(events[7].workflowTaskScheduledEventAttributes.attempt, 1);
    assert.equal(task.attempt, 1);
  });

  it('ShutdownWorker moves the sticky queue\'s pending task to the normal queue at once and ends its waiting polls', async () => {
    const started = await startSticky(env, 60 * 60_000);
    await poll(env, started.sticky);
    await signal(env, started);
    const waiting = poll(env, { name: uid('other-sticky'), kind: TaskQueueKind.TASK_QUEUE_KIND_STICKY }, 20_000);
    await env.call('ShutdownWorker', { namespace: NAMESPACE, stickyTaskQueue: started.sticky.name, identity: 'sticky-test', reason: 'graceful shutdown' });
    const task = await withTimeout(pollTask(env, normalQueue(started.taskQueue)), 10_000, 'the moved task');
    assert.equal(num(task.history.events[0].eventId), 1, 'full history from the normal queue');
    assert.equal((await lastScheduledQueue(env, started)).name, started.sticky.name);
    await waiting;

    // A sticky poll in progress when its queue is unloaded returns empty at once.
    const again = await startSticky(env, 60 * 60_000);
    const parked = poll(env, again.sticky, 30_000);
    await sleep(100);
    await env.call('ShutdownWorker', { namespace: NAMESPACE, stickyTaskQueue: again.sticky.name, identity: 'sticky-test' });
    const response = await withTimeout(parked, 5_000, 'the parked sticky poll');
    assert.equal(response.taskToken?.length ?? 0, 0);
  });

  it('ShutdownWorker without a sticky queue is a no-op; an unknown namespace is NOT_FOUND', async () => {
    await env.call('ShutdownWorker', { namespace: NAMESPACE, identity: 'sticky-test' });
    await expectRpcError(env.call('ShutdownWorker', { namespace: uid('missing-ns'), stickyTaskQueue: 'x' }), status.NOT_FOUND);
  });

  it('ResetStickyTaskQueue sends the scheduled task to the normal queue; it validates the execution', async () => {
    const started = await startSticky(env, 60 * 60_000);
    await poll(env, started.sticky);
    await signal(env, started);
    await env.call('ResetStickyTaskQueue', { namespace: NAMESPACE, execution: { workflowId: started.workflowId, runId: started.runId } });
    const task = await withTimeout(pollTask(env, normalQueue(started.taskQueue)), 10_000, 'the reset task');
    assert.equal(num(task.history.events[0].eventId), 1);
    await complete(env, task); // no sticky attributes: stays on the normal queue
    await signal(env, started, 'again');
    assert.equal((await lastScheduledQueue(env, started)).kind, TaskQueueKind.TASK_QUEUE_KIND_NORMAL);

    await expectRpcError(env.call('ResetStickyTaskQueue', { namespace: NAMESPACE, execution: {} }), status.INVALID_ARGUMENT, 'WorkflowId is not set');
    await expectRpcError(
      env.call('ResetStickyTaskQueue', { namespace: NAMESPACE, execution: { workflowId: uid('nobody') } }),
      status.NOT_FOUND,
    );
  });
});

describe('dev server: sticky timeouts under time skipping', () => {
  let env;
  let connection;
  before(async () => {
    env = await startServer({ logLevel: 'error', longPollMs: 1_000, timeSkipping: { startLocked: false } });
    connection = await Connection.connect({ address: env.address });
  });
  after(async () => {
    await connection?.close();
    await env?.stop();
  });

  const now = async () => msFromTs((await connection.testService.getCurrentTime({})).time);

  it('a pending sticky task holds time; its timeout is wall-clock time and fires only when really due', async () => {
    const started = await startSticky(env, 3_000);
    await poll(env, started.sticky);
    await signal(env, started); // a sticky task is pending from here on
    const sleeper = await startWorkflow(env);
    await complete(env, await pollTask(env, normalQueue(sleeper.taskQueue)), { commands: [startTimerCommand('nap', 60 * 60_000)] });
    const startedAt = await now();
    await sleep(300);
    assert.ok((await now()) - startedAt < 60_000, 'time did not skip while the sticky task was pending');
    const task = await pollTask(env, started.sticky);
    await complete(env, task, { sticky: { queue: started.sticky, timeoutMs: 3_000 } });
    const events = await history(env, started);
    assert.ok(!eventNames(events).includes('WORKFLOW_TASK_TIMED_OUT'), 'no spurious schedule-to-start timeout');
    // Nothing is in flight now: time skips to the sleeper's timer, and the sticky run is untouched by it.
    await waitFor('the hour-long timer to fire', async () => eventNames(await history(env, sleeper)).includes('TIMER_FIRED'));
    assert.ok((await now()) - startedAt >= 60 * 60_000);
    assert.deepEqual(eventNames(await history(env, started)), eventNames(events));
  });
});
