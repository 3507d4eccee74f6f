// duraflow's worker and dev server doing sticky execution end to end: with caching, a run's later
// workflow tasks come to the worker's own sticky queue with only the new events; cache misses fetch
// the history; a worker that shuts down hands its runs over at once (ShutdownWorker), one that is
// killed does so after the sticky schedule-to-start timeout; without caching nothing is sticky.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Connection } from 'duraflow/client';
import { longToNumber, msFromDuration, temporal } from 'duraflow/proto';
import { DevServer } from 'duraflow/server';
import { DefaultLogger, Worker } from 'duraflow/worker';
import * as activities from '../fixtures/sticky/activities.js';
import { rpcRecorder } from '../fixtures/sticky/rpc-recorder.js';

const { EventType, TaskQueueKind, TimeoutType } = temporal.api.enums.v1;
const workflowsPath = new URL('../fixtures/sticky/workflows.js', import.meta.url).pathname;
const runWorkerScript = new URL('../fixtures/sticky/run-worker.js', import.meta.url).pathname;
const T = { timeout: 90_000 };
const uid = (prefix) => `${prefix}-${randomUUID()}`;

let server;
let client;
let clientConnection;

before(async () => {
  server = await DevServer.start({ port: 0, logLevel: 'error' });
  clientConnection = await Connection.connect({ address: server.address });
  client = new Client({ connection: clientConnection });
});

after(async () => {
  await clientConnection?.close();
  await server?.stop();
});

/** A running worker whose workflow-task RPCs are recorded; `stop()` shuts it down. */
async function startWorker(options = {}) {
  const recorder = rpcRecorder();
  const connection = await Connection.connect({ address: server.address, interceptors: [recorder.interceptor] });
  const worker = await Worker.create({
    connection,
    taskQueue: options.taskQueue ?? uid('sticky'),
    workflowsPath,
    activities,
    logger: new DefaultLogger('ERROR'),
    ...options,
  });
  const running = worker.run();
  return {
    worker,
    recorder,
    taskQueue: worker.options.taskQueue,
    async stop() {
      worker.shutdown();
      await running;
      await connection.close();
    },
  };
}

const historyOf = async (handle) => (await handle.fetchHistory()).events;
const scheduledQueues = (events) =>
  events.filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED).map((e) => e.workflowTaskScheduledEventAttributes.taskQueue);
const countOf = (events, type) => events.filter((e) => e.eventType === type).length;

/** Waits until the run has completed `n` workflow tasks (the test's timeout bounds the wait). */
async function completedTasks(handle, n) {
  for (;;) {
    if (countOf(await historyOf(handle), EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) >= n) return;
    await sleep(50);
  }
}

describe('sticky execution with caching on', () => {
  it('the 2nd and later tasks of a run come on the sticky queue with only the new events', T, async () => {
    const w = await startWorker({ identity: 'sticky-tester' });
    try {
      const handle = await client.workflow.start('activitySteps', { taskQueue: w.taskQueue, workflowId: uid('steps'), args: [3] });
      assert.equal(await handle.result(), 6);

      const queues = scheduledQueues(await historyOf(handle));
      assert.equal(queues.length, 4);
      assert.equal(queues[0].kind, TaskQueueKind.TASK_QUEUE_KIND_NORMAL);
      const stickyName = queues[1].name;
      assert.match(stickyName, /^sticky-tester-[0-9a-f]{32}$/);
      for (const q of queues.slice(1)) {
        assert.deepEqual({ name: q.name, kind: q.kind, normalName: q.normalName }, { name: stickyName, kind: TaskQueueKind.TASK_QUEUE_KIND_STICKY, normalName: w.taskQueue });
      }

      const polls = w.recorder.of('PollWorkflowTaskQueue');
      const stickyPolls = polls.filter((c) => c.request.taskQueue.kind === TaskQueueKind.TASK_QUEUE_KIND_STICKY);
      assert.ok(stickyPolls.every((c) => c.request.taskQueue.name === stickyName && c.request.taskQueue.normalName === w.taskQueue));
      const stickyTasks = stickyPolls.filter((c) => c.response?.taskToken?.length > 0);
      assert.equal(stickyTasks.length, 3, 'every task after the first came on the sticky queue');
      for (const { response } of stickyTasks) {
        const first = longToNumber(response.history.events[0].eventId);
        assert.equal(first, longToNumber(response.previousStartedEventId) + 1, 'partial history: the events after the last completed task');
        assert.ok(first > 1);
        assert.equal(response.workflowExecutionTaskQueue.name, w.taskQueue);
      }
      assert.equal(w.recorder.of('GetWorkflowExecutionHistory').length, 0, 'the cached run needed no history fetch');

      const completions = w.recorder.of('RespondWorkflowTaskCompleted').map((c) => c.request);
      assert.equal(completions.length, 4);
      for (const c of completions.slice(0, 3)) {
        const a = c.stickyAttributes;
        assert.equal(a.workerTaskQueue.name, stickyName);
        assert.equal(a.workerTaskQueue.kind, TaskQueueKind.TASK_QUEUE_KIND_STICKY);
        assert.equal(a.workerTaskQueue.normalName, w.taskQueue);
        assert.equal(msFromDuration(a.scheduleToStartTimeout), 10_000, 'the documented default');
      }
      assert.equal(completions[3].stickyAttributes, null, 'the completion that closes the run asks for no sticky queue');
    } finally {
      await w.stop();
    }
  });

  it('maxCachedWorkflows: 1 with 20 concurrent workflows: sticky tasks of evicted runs fetch their history, and all complete', T, async () => {
    const w = await startWorker({ maxCachedWorkflows: 1 });
    try {
      const handles = await Promise.all(
        Array.from({ length: 20 }, () => client.workflow.start('activitySteps', { taskQueue: w.taskQueue, workflowId: uid('evicted'), args: [4] })),
      );
      assert.deepEqual(await Promise.all(handles.map((h) => h.result())), Array(20).fill(10));
      for (const handle of handles) {
        const events = await historyOf(handle);
        assert.equal(countOf(events, EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED), 0, 'no task failed for want of history');
        assert.equal(countOf(events, EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT), 0);
      }
      const partialTasks = w.recorder
        .of('PollWorkflowTaskQueue')
        .filter((c) => c.response?.taskToken?.length > 0 && longToNumber(c.response.history.events[0].eventId) > 1);
      assert.ok(partialTasks.length > 0, 'sticky tasks with partial history arrived');
      const fetches = w.recorder.of('GetWorkflowExecutionHistory');
      assert.ok(fetches.length > 0, 'cache misses fetched the history');
      assert.ok(fetches.every((c) => (c.request.nextPageToken?.length ?? 0) === 0), 'fetched from the start (histories fit one page)');
      assert.ok(w.worker.getStatus().numCachedWorkflows <= 1);
    } finally {
      await w.stop();
    }
  });
});

describe('sticky execution when the worker goes away', () => {
  it('a worker that shuts down hands its runs over at once: ShutdownWorker sends their next tasks to the normal queue', T, async () => {
    // An hour-long sticky timeout: a task stranded on the first worker's queue would never finish in time.
    const first = await startWorker({ stickyQueueScheduleToStartTimeout: '1 hour' });
    const taskQueue = first.taskQueue;
    let second;
    try {
      const handles = await Promise.all(
        Array.from({ length: 3 }, () => client.workflow.start('signalSteps', { taskQueue, workflowId: uid('handover'), args: [2] })),
      );
      for (const handle of handles) await completedTasks(handle, 1); // the first task ran before the signal
      for (const handle of handles) await handle.signal('step');
      for (const handle of handles) await completedTasks(handle, 2);
      await first.stop();
      const shutdownCalls = first.recorder.of('ShutdownWorker');
      assert.equal(shutdownCalls.length, 1);
      assert.match(shutdownCalls[0].request.stickyTaskQueue, /-[0-9a-f]{32}$/);
      assert.equal(shutdownCalls[0].request.namespace, 'default');

      second = await startWorker({ taskQueue });
      for (const handle of handles) await handle.signal('step');
      assert.deepEqual(await Promise.all(handles.map((h) => h.result())), [2, 2, 2]);
      for (const handle of handles) {
        const events = await historyOf(handle);
        assert.equal(countOf(events, EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT), 0);
        const queues = scheduledQueues(events);
        assert.equal(queues.at(-1).kind, TaskQueueKind.TASK_QUEUE_KIND_STICKY, 'recorded on the old sticky queue, dispatched to the normal one');
      }
    } finally {
      await second?.stop();
    }
  });

  it('a killed worker (no ShutdownWorker): its runs move to another worker after the sticky schedule-to-start timeout', T, async () => {
    const taskQueue = uid('killed');
    const child = spawn(process.execPath, [runWorkerScript, server.address, taskQueue, '1s'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const lines = createInterface({ input: child.stdout });
    const ready = new Promise((resolve) => lines.on('line', (line) => line === 'READY' && resolve()));
    const exited = new Promise((resolve) => child.on('exit', resolve));
    let second;
    try {
      await ready;
      const handles = await Promise.all(
        Array.from({ length: 2 }, () => client.workflow.start('signalSteps', { taskQueue, workflowId: uid('orphan'), args: [3] })),
      );
      for (const handle of handles) await completedTasks(handle, 1); // the first task ran before the signal
      for (const handle of handles) await handle.signal('step');
      for (const handle of handles) await completedTasks(handle, 2);
      child.kill('SIGKILL');
      await exited;
      await sleep(300); // let the server see the dead worker's polls end
      // The first signal schedules a task on the dead worker's sticky queue; the second lands while it waits there.
      for (const handle of handles) {
        await handle.signal('step');
        await handle.signal('step');
      }
      second = await startWorker({ taskQueue });
      assert.deepEqual(await Promise.all(handles.map((h) => h.result())), [3, 3]);
      for (const handle of handles) {
        const events = await historyOf(handle);
        assert.equal(countOf(events, EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED), 0);
        const timedOut = events.filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT);
        assert.equal(timedOut.length, 1, 'the task on the dead worker\'s sticky queue timed out once');
        const attrs = timedOut[0].workflowTaskTimedOutEventAttributes;
        assert.equal(attrs.timeoutType, TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START);
        assert.equal(longToNumber(attrs.startedEventId), 0);
        const at = events.indexOf(timedOut[0]);
        assert.deepEqual(
          events.slice(at - 2, at + 2).map((e) => EventType[e.eventType]),
          ['EVENT_TYPE_WORKFLOW_TASK_SCHEDULED', 'EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED', 'EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT', 'EVENT_TYPE_WORKFLOW_TASK_SCHEDULED'],
          'a signal between the stranded task and its timeout',
        );
        const rescheduled = events[at + 1].workflowTaskScheduledEventAttributes;
        assert.equal(rescheduled.taskQueue.kind, TaskQueueKind.TASK_QUEUE_KIND_NORMAL);
        assert.equal(rescheduled.attempt, 1);
        // The history with the timed-out sticky task replays cleanly.
        await Worker.runReplayHistory({ workflowsPath }, { events }, handle.workflowId);
      }
    } finally {
      child.kill('SIGKILL');
      await second?.stop();
    }
  });
});

describe('sticky execution with caching off', () => {
  it('maxCachedWorkflows: 0 polls no sticky queue, sends no sticky attributes and needs no ShutdownWorker', T, async () => {
    const w = await startWorker({ maxCachedWorkflows: 0 });
    let handle;
    try {
      handle = await client.workflow.start('activitySteps', { taskQueue: w.taskQueue, workflowId: uid('uncached'), args: [2] });
      assert.equal(await handle.result(), 3);
    } finally {
      await w.stop();
    }
    const polls = w.recorder.of('PollWorkflowTaskQueue');
    assert.ok(polls.length > 0);
    assert.ok(polls.every((c) => c.request.taskQueue.kind === TaskQueueKind.TASK_QUEUE_KIND_NORMAL && c.request.taskQueue.name === w.taskQueue));
    const completions = w.recorder.of('RespondWorkflowTaskCompleted');
    assert.equal(completions.length, 3);
    assert.ok(completions.every((c) => c.request.stickyAttributes === null));
    assert.equal(w.recorder.of('ShutdownWorker').length, 0);
    assert.ok(scheduledQueues(await historyOf(handle)).every((q) => q.kind === TaskQueueKind.TASK_QUEUE_KIND_NORMAL));
  });
});
