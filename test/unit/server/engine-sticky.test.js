// Engine without gRPC: sticky execution. A completion's sticky attributes route the run's next
// workflow tasks to the worker's sticky queue with partial history; the schedule-to-start timeout,
// missing pollers, failures, ResetStickyTaskQueue and ShutdownWorker send them back to the normal
// queue. Fake clocks drive both server time and sticky-poller liveness.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { durationFromMs, longToNumber, msFromDuration, temporal } from '../../../dist/proto/index.js';
import { RpcError } from '../../../dist/server/errors.js';
import { TaskKind } from '../../../dist/server/store/store.js';
import { completeWorkflowTask, failWorkflowTaskRpc } from '../../../dist/server/engine/complete-task.js';
import { signalRun, terminateRun } from '../../../dist/server/engine/lifecycle.js';
import { pollWorkflowTask } from '../../../dist/server/engine/polling.js';
import { startWorkflow } from '../../../dist/server/engine/start.js';
import { moveStickyQueueTasks, resetStickyTaskQueue, STICKY_TIMEOUT_TIMER } from '../../../dist/server/engine/sticky.js';
import { createTestEngine, NS, onWire, payloads, pollOptions, T0, TQ, typeName } from './helpers/engine-harness.js';

const { CommandType, TaskQueueKind, TimeoutType } = temporal.api.enums.v1;
const WF_ID = 'wf-sticky';
const STICKY = 'worker-1-0123456789abcdef';
const NOT_FOUND = 5;

let t;
let w;
let engine;
let dir;

beforeEach(() => {
  t = T0;
  w = 1_000_000;
  engine = createTestEngine(() => t, ':memory:', () => w);
});

afterEach(() => {
  engine.stop();
  if (engine.store.db.open) engine.store.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

const stickyAttributes = (timeoutMs = 5_000, name = STICKY) => ({
  workerTaskQueue: { name, kind: TaskQueueKind.TASK_QUEUE_KIND_STICKY, normalName: TQ },
  scheduleToStartTimeout: durationFromMs(timeoutMs),
});

function start() {
  return engine.write((tx) =>
    startWorkflow(tx, NS, { namespace: NS, workflowId: WF_ID, workflowType: { name: 'W' }, taskQueue: { name: TQ }, requestId: `r-${Math.random()}` }),
  ).runId;
}

/** One non-blocking poll of the normal queue, or (sticky) of the sticky queue. */
const poll = (sticky = false) => pollWorkflowTask(engine, { ...pollOptions('worker-1', sticky ? STICKY : TQ), stickyPoll: sticky });

const complete = (task, extra = {}) =>
  completeWorkflowTask(engine, { taskToken: task.taskToken, identity: 'worker-1', commands: [], ...extra });

const signal = (name = 'go') =>
  engine.write((tx) => signalRun(tx.currentRun(NS, WF_ID), { signalName: name, input: payloads(1), identity: 'client', requestId: '' }));

const events = (runId) => engine.store.readEvents(NS, runId, 1);
const types = (runId) => events(runId).map((e) => typeName(e.eventType));
const ids = (task) => onWire(task).history.events.map((e) => longToNumber(e.eventId));
const stateOf = () => engine.read((tx) => tx.currentRun(NS, WF_ID).state);
const tasksOn = (queue) => engine.store.countTasks(NS, queue, TaskKind.Workflow);
const lastScheduled = (runId) => events(runId).filter((e) => e.workflowTaskScheduledEventAttributes).at(-1).workflowTaskScheduledEventAttributes;

function advance(ms) {
  t += ms;
  return engine.fireDueTimers();
}

/** Starts a run, completes its first task with sticky attributes; the sticky queue has been polled. */
async function stickyRun(timeoutMs = 5_000) {
  const runId = start();
  complete(await poll(), { stickyAttributes: stickyAttributes(timeoutMs) });
  const empty = await poll(true); // the worker's sticky poller: nothing there yet
  assert.equal(empty.taskToken, undefined);
  return runId;
}

describe('sticky execution: routing and partial history', () => {
  it('a completion with sticky attributes stores them; the next task goes to the sticky queue with only the new events', async () => {
    const runId = await stickyRun();
    assert.equal(stateOf().stickyTaskQueue, STICKY);
    assert.equal(stateOf().stickyScheduleToStartMs, 5_000);
    signal();
    const scheduled = lastScheduled(runId);
    assert.deepEqual(
      { name: scheduled.taskQueue.name, kind: scheduled.taskQueue.kind, normalName: scheduled.taskQueue.normalName },
      { name: STICKY, kind: TaskQueueKind.TASK_QUEUE_KIND_STICKY, normalName: TQ },
    );
    assert.equal(tasksOn(STICKY), 1);
    assert.equal(tasksOn(TQ), 0);
    assert.equal((await poll()).taskToken, undefined, 'the normal queue has nothing');

    const task = await poll(true);
    assert.equal(longToNumber(task.previousStartedEventId), 3);
    assert.equal(longToNumber(task.startedEventId), 7);
    assert.deepEqual(ids(task), [4, 5, 6, 7], 'events after the last completed task only');
    assert.equal(task.workflowExecutionTaskQueue.name, TQ);
    assert.equal(task.workflowExecutionTaskQueue.kind, TaskQueueKind.TASK_QUEUE_KIND_NORMAL);
    assert.equal(task.attempt, 1);
    complete(task, {
      stickyAttributes: stickyAttributes(),
      commands: [{ commandType: CommandType.COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION, completeWorkflowExecutionCommandAttributes: {} }],
    });
    assert.deepEqual(types(runId).slice(-2), ['WORKFLOW_TASK_COMPLETED', 'WORKFLOW_EXECUTION_COMPLETED']);
  });

  it('a completion without sticky attributes clears stickiness: the next task goes to the normal queue with full history', async () => {
    const runId = await stickyRun();
    signal('one');
    complete(await poll(true)); // no sticky attributes
    assert.equal(stateOf().stickyTaskQueue, '');
    signal('two');
    assert.equal(lastScheduled(runId).taskQueue.kind, TaskQueueKind.TASK_QUEUE_KIND_NORMAL);
    assert.equal(lastScheduled(runId).taskQueue.name, TQ);
    const task = await poll();
    assert.equal(ids(task)[0], 1);
    assert.equal(ids(task).length, longToNumber(task.startedEventId));
  });

  it('the first task of a run never uses a sticky queue', async () => {
    const runId = start();
    assert.equal(lastScheduled(runId).taskQueue.kind, TaskQueueKind.TASK_QUEUE_KIND_NORMAL);
    assert.equal(stateOf().stickyTaskQueue, '');
  });
});

describe('sticky execution: no poller on the sticky queue', () => {
  it('a sticky queue never polled gets no tasks: the task is recorded as sticky but dispatched to the normal queue', async () => {
    const runId = start();
    complete(await poll(), { stickyAttributes: stickyAttributes() });
    signal();
    assert.equal(lastScheduled(runId).taskQueue.kind, TaskQueueKind.TASK_QUEUE_KIND_STICKY, 'the event still names the sticky queue');
    assert.equal(tasksOn(STICKY), 0);
    assert.equal(tasksOn(TQ), 1);
    const task = await poll();
    assert.equal(ids(task)[0], 1, 'taken from the normal queue: full history');
    assert.equal(stateOf().stickyTaskQueue, '', 'taking it from the normal queue clears stickiness');
  });

  it('a sticky queue whose last poll is more than 10 s old (wall clock) counts as having no poller', async () => {
    const runId = await stickyRun();
    w += 10_001;
    signal();
    assert.equal(tasksOn(TQ), 1);
    assert.equal(tasksOn(STICKY), 0);
    assert.equal(lastScheduled(runId).taskQueue.name, STICKY);
  });

  it('a poll waiting on the sticky queue keeps it available however long it waits', async () => {
    const runId = await stickyRun();
    const controller = new AbortController();
    const waiting = pollWorkflowTask(engine, { ...pollOptions('worker-1', STICKY), stickyPoll: true, deadline: Date.now() + 5_000, signal: controller.signal });
    w += 60_000;
    signal();
    assert.equal(tasksOn(TQ), 0, 'dispatched to the sticky queue');
    const task = await waiting;
    assert.equal(ids(task)[0], 4);
    assert.equal(lastScheduled(runId).taskQueue.name, STICKY);
  });

  it('a cancelled sticky poll is no sign of life: liveness dates from when it started', async () => {
    await stickyRun();
    w += 8_000;
    const controller = new AbortController();
    const waiting = pollWorkflowTask(engine, { ...pollOptions('worker-1', STICKY), stickyPoll: true, deadline: Date.now() + 5_000, signal: controller.signal });
    w += 8_000;
    controller.abort();
    engine.waiters.notify(`${TaskKind.Workflow}\u0000${NS}\u0000${STICKY}`);
    await waiting;
    w += 3_000; // 11 s after the cancelled poll started
    signal();
    assert.equal(tasksOn(TQ), 1);
  });
});

describe('sticky execution: schedule-to-start timeout', () => {
  it('writes WorkflowTaskTimedOut{SCHEDULE_TO_START} without a started event, clears stickiness and reschedules on the normal queue, attempt 1', async () => {
    const runId = await stickyRun(5_000);
    signal();
    assert.equal(tasksOn(STICKY), 1);
    assert.equal(advance(4_999), 0);
    assert.equal(advance(1), 1);
    assert.deepEqual(types(runId).slice(4), ['WORKFLOW_EXECUTION_SIGNALED', 'WORKFLOW_TASK_SCHEDULED', 'WORKFLOW_TASK_TIMED_OUT', 'WORKFLOW_TASK_SCHEDULED']);
    const timedOut = events(runId)[6].workflowTaskTimedOutEventAttributes;
    assert.equal(longToNumber(timedOut.scheduledEventId), 6);
    assert.equal(longToNumber(timedOut.startedEventId), 0);
    assert.equal(timedOut.timeoutType, TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START);
    const rescheduled = lastScheduled(runId);
    assert.equal(rescheduled.taskQueue.name, TQ);
    assert.equal(rescheduled.taskQueue.kind, TaskQueueKind.TASK_QUEUE_KIND_NORMAL);
    assert.equal(rescheduled.attempt, 1, 'not incremented');
    assert.equal(stateOf().stickyTaskQueue, '');
    assert.equal(tasksOn(STICKY), 0, 'the stranded sticky task is gone');
    const task = await poll();
    assert.deepEqual(ids(task), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.equal(longToNumber(task.previousStartedEventId), 3);
    assert.equal(task.attempt, 1);
  });

  it('a sticky task started in time: its schedule-to-start timer is removed and nothing times out', async () => {
    const runId = await stickyRun(5_000);
    signal();
    const task = await poll(true);
    advance(5_000);
    assert.equal(types(runId).at(-1), 'WORKFLOW_TASK_STARTED');
    complete(task, { stickyAttributes: stickyAttributes() });
    assert.ok(!types(runId).includes('WORKFLOW_TASK_TIMED_OUT'));
    const kinds = engine.store.db.prepare('SELECT kind FROM timers').all().map((r) => r.kind);
    assert.ok(!kinds.includes(STICKY_TIMEOUT_TIMER), `no sticky timer left: ${kinds}`);
  });

  it('a task dispatched to the normal queue for want of a sticky poller still times out after schedule-to-start if nobody takes it', async () => {
    const runId = start();
    complete(await poll(), { stickyAttributes: stickyAttributes(2_000) });
    signal();
    advance(2_000);
    assert.deepEqual(types(runId).slice(-2), ['WORKFLOW_TASK_TIMED_OUT', 'WORKFLOW_TASK_SCHEDULED']);
    assert.equal(tasksOn(TQ), 1, 'only the new task is pending');
  });
});

describe('sticky execution: failures', () => {
  it('a failed sticky task clears stickiness and the retry is a first attempt on the normal queue', async () => {
    const runId = await stickyRun();
    signal();
    const task = await poll(true);
    failWorkflowTaskRpc(engine, { taskToken: task.taskToken, identity: 'worker-1', failure: { message: 'boom' } });
    assert.equal(stateOf().stickyTaskQueue, '');
    const scheduled = lastScheduled(runId);
    assert.equal(scheduled.attempt, 1);
    assert.equal(scheduled.taskQueue.kind, TaskQueueKind.TASK_QUEUE_KIND_NORMAL);
    const retry = await poll();
    assert.equal(retry.attempt, 1);
    assert.equal(ids(retry)[0], 1);
    // A second failure (now non-sticky) counts attempts again.
    failWorkflowTaskRpc(engine, { taskToken: retry.taskToken, identity: 'worker-1', failure: { message: 'boom' } });
    assert.equal(lastScheduled(runId).attempt, 2);
  });

  it('a sticky task that times out start-to-close also clears stickiness without counting an attempt', async () => {
    const runId = await stickyRun();
    signal();
    await poll(true);
    advance(10_000);
    assert.equal(types(runId).at(-2), 'WORKFLOW_TASK_TIMED_OUT');
    assert.equal(events(runId).at(-2).workflowTaskTimedOutEventAttributes.timeoutType, TimeoutType.TIMEOUT_TYPE_START_TO_CLOSE);
    assert.equal(lastScheduled(runId).attempt, 1);
    assert.equal(lastScheduled(runId).taskQueue.kind, TaskQueueKind.TASK_QUEUE_KIND_NORMAL);
  });
});

describe('sticky execution: ResetStickyTaskQueue and ShutdownWorker', () => {
  it('ResetStickyTaskQueue clears stickiness and moves a scheduled sticky task to the normal queue', async () => {
    const runId = await stickyRun();
    signal();
    assert.equal(tasksOn(STICKY), 1);
    engine.write((tx) => resetStickyTaskQueue(tx.currentRun(NS, WF_ID)));
    assert.equal(stateOf().stickyTaskQueue, '');
    assert.equal(tasksOn(STICKY), 0);
    assert.equal(tasksOn(TQ), 1);
    assert.equal((await poll(true)).taskToken, undefined);
    const task = await poll();
    assert.equal(ids(task)[0], 1);
    assert.equal(lastScheduled(runId).taskQueue.name, STICKY, 'history is not rewritten');
  });

  it('ResetStickyTaskQueue on a closed run is NOT_FOUND', async () => {
    await stickyRun();
    engine.write((tx) => terminateRun(tx.currentRun(NS, WF_ID), 'done', undefined, 'client'));
    assert.throws(
      () => engine.write((tx) => resetStickyTaskQueue(tx.currentRun(NS, WF_ID))),
      (e) => e instanceof RpcError && e.code === NOT_FOUND && /already completed/.test(e.message),
    );
  });

  it('unloading the sticky queue (ShutdownWorker) moves its tasks to the normal queue; later tasks go there too', async () => {
    const runId = await stickyRun();
    signal('one');
    assert.equal(tasksOn(STICKY), 1);
    engine.stickyPollers.unload(NS, STICKY);
    engine.write((tx) => moveStickyQueueTasks(tx, NS, STICKY));
    assert.equal(tasksOn(STICKY), 0);
    assert.equal(tasksOn(TQ), 1);
    const task = await poll();
    assert.equal(ids(task)[0], 1);
    complete(task, { stickyAttributes: stickyAttributes() }); // a completion in flight still names the old queue
    signal('two');
    assert.equal(tasksOn(TQ), 1, 'no poller on the unloaded queue');
    assert.equal(lastScheduled(runId).taskQueue.name, STICKY);
  });

  it('a poll waiting on an unloaded sticky queue ends empty', async () => {
    await stickyRun();
    const waiting = pollWorkflowTask(engine, { ...pollOptions('worker-1', STICKY), stickyPoll: true, deadline: Date.now() + 5_000, signal: new AbortController().signal });
    engine.stickyPollers.unload(NS, STICKY);
    engine.waiters.notify(`${TaskKind.Workflow}\u0000${NS}\u0000${STICKY}`);
    const started = Date.now();
    assert.deepEqual(await waiting, {});
    assert.ok(Date.now() - started < 4_000, 'it did not wait for its deadline');
  });
});

describe('sticky execution: persistence', () => {
  it('the sticky queue and timeout survive a restart; after it the queue has no poller until polled again', async () => {
    dir = mkdtempSync(join(tmpdir(), 'duraflow-sticky-'));
    const file = join(dir, 'dev.db');
    engine.stop();
    engine.store.close();
    engine = createTestEngine(() => t, file, () => w);
    const runId = start();
    complete(await poll(), { stickyAttributes: stickyAttributes(7_000) });
    engine.stop();
    engine.store.close();

    engine = createTestEngine(() => t, file, () => w);
    assert.equal(stateOf().stickyTaskQueue, STICKY);
    assert.equal(stateOf().stickyScheduleToStartMs, 7_000);
    signal('after-restart');
    assert.equal(tasksOn(TQ), 1, 'no sticky poller seen since the restart');
    assert.equal(msFromDuration(lastScheduled(runId).startToCloseTimeout), 10_000);
    complete(await poll(), { stickyAttributes: stickyAttributes(7_000) });
    assert.equal((await poll(true)).taskToken, undefined);
    signal('polled');
    assert.equal(tasksOn(STICKY), 1);
  });
});
