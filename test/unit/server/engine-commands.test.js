// Engine without gRPC: workflow tasks, command → event rules, buffering, workflow-task timeouts,
// terminate and run timeout. A fake clock drives every timer deterministically.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { durationFromMs, longToNumber, msFromDuration, msFromTs, temporal } from '../../../dist/proto/index.js';
import { RpcError } from '../../../dist/server/errors.js';
import { TaskKind } from '../../../dist/server/store/store.js';
import { completeWorkflowTask, failWorkflowTaskRpc } from '../../../dist/server/engine/complete-task.js';
import { signalRun, terminateRun } from '../../../dist/server/engine/lifecycle.js';
import { pollWorkflowTask } from '../../../dist/server/engine/polling.js';
import { startWorkflow } from '../../../dist/server/engine/start.js';
import { workflowTaskTimeoutMs } from '../../../dist/server/engine/workflow-task.js';
import { createTestEngine, decode, NS, onWire, payloads, pollOptions, T0, TQ, typeName } from './helpers/engine-harness.js';

const { CommandType, WorkflowExecutionStatus: Status, WorkflowTaskFailedCause: Cause, TimeoutType, RetryState } =
  temporal.api.enums.v1;
const WF_ID = 'wf-1';
const INVALID_ARGUMENT = 3;
const NOT_FOUND = 5;

// ---- harness ---------------------------------------------------------------------------------

let t;
let engine;

beforeEach(() => {
  t = T0;
  engine = createTestEngine(() => t);
});

afterEach(() => {
  engine.stop();
  engine.store.close();
});

/** Advances the fake clock and fires every due timer; returns how many fired. */
function advance(ms) {
  t += ms;
  return engine.fireDueTimers();
}


function start(over = {}) {
  return engine.write((tx) =>
    startWorkflow(tx, NS, {
      namespace: NS,
      workflowId: WF_ID,
      workflowType: { name: 'MyWorkflow' },
      taskQueue: { name: TQ },
      input: payloads('hello'),
      identity: 'client',
      requestId: `req-${Math.random()}`,
      ...over,
    }),
  ).runId;
}

/** One non-blocking poll (deadline in the past). */
function poll(identity = 'worker-1') {
  return pollWorkflowTask(engine, pollOptions(identity));
}

async function pollTask() {
  const task = await poll();
  assert.ok(task.taskToken && task.taskToken.length > 0, 'expected a workflow task');
  return task;
}

const complete = (task, commands, extra = {}) =>
  completeWorkflowTask(engine, { taskToken: task.taskToken, commands, identity: 'worker-1', ...extra });

function signal(name = 'sig', value = 'payload') {
  engine.write((tx) =>
    signalRun(tx.resolveRun(NS, { workflowId: WF_ID }), {
      signalName: name,
      input: payloads(value),
      header: undefined,
      identity: 'client',
      requestId: '',
    }),
  );
}

const events = (runId) => engine.store.readEvents(NS, runId, 1);
const types = (runId) => events(runId).map((e) => typeName(e.eventType));
const attrs = (e) => e[`${typeName(e.eventType).toLowerCase().replace(/_([a-z])/g, (_, c) => c.toUpperCase())}EventAttributes`];
const eventAt = (runId, id) => {
  const e = engine.store.readEvent(NS, runId, id);
  assert.ok(e, `event ${id} exists`);
  return e;
};
const state = (runId) => engine.read((tx) => tx.loadRun(NS, runId)).state;

/** Events are 1-based and contiguous, and the last one is what is expected. */
function assertHistory(runId, expected) {
  const list = events(runId);
  assert.deepEqual(
    list.map((e) => longToNumber(e.eventId)),
    list.map((_, i) => i + 1),
    'event ids are contiguous from 1',
  );
  assert.deepEqual(list.map((e) => typeName(e.eventType)), expected);
  for (const e of list) assert.ok(e.eventTime, `event ${longToNumber(e.eventId)} has an event_time`);
  return list;
}

function assertRpcError(fn, code, message) {
  assert.throws(fn, (err) => {
    assert.ok(err instanceof RpcError, String(err));
    assert.equal(err.code, code);
    if (message instanceof RegExp) assert.match(err.message, message);
    else if (message !== undefined) assert.equal(err.message, message);
    return true;
  });
}

const cmd = {
  startTimer: (timerId, ms) => ({
    commandType: CommandType.COMMAND_TYPE_START_TIMER,
    startTimerCommandAttributes: { timerId, startToFireTimeout: durationFromMs(ms) },
  }),
  cancelTimer: (timerId) => ({ commandType: CommandType.COMMAND_TYPE_CANCEL_TIMER, cancelTimerCommandAttributes: { timerId } }),
  activity: (activityId, over = {}) => ({
    commandType: CommandType.COMMAND_TYPE_SCHEDULE_ACTIVITY_TASK,
    scheduleActivityTaskCommandAttributes: {
      activityId,
      activityType: { name: 'greet' },
      taskQueue: { name: TQ },
      input: payloads('in'),
      ...over,
    },
  }),
  marker: (markerName, details) => ({
    commandType: CommandType.COMMAND_TYPE_RECORD_MARKER,
    recordMarkerCommandAttributes: { markerName, details },
  }),
  complete: (value) => ({
    commandType: CommandType.COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION,
    completeWorkflowExecutionCommandAttributes: { result: payloads(value) },
  }),
};

// ---- tests -----------------------------------------------------------------------------------

describe('start and the first workflow task', () => {
  it('start writes WorkflowExecutionStarted + WorkflowTaskScheduled with normalized timeouts', () => {
    const runId = start({ workflowExecutionTimeout: durationFromMs(600_000), workflowRunTimeout: durationFromMs(900_000) });
    const [started, scheduled] = assertHistory(runId, ['WORKFLOW_EXECUTION_STARTED', 'WORKFLOW_TASK_SCHEDULED']);
    const a = started.workflowExecutionStartedEventAttributes;
    assert.equal(a.workflowType.name, 'MyWorkflow');
    assert.equal(a.taskQueue.name, TQ);
    assert.equal(msFromDuration(a.workflowTaskTimeout), 10_000);
    assert.equal(msFromDuration(a.workflowRunTimeout), 600_000, 'run = min(run, execution)');
    assert.equal(a.attempt, 1);
    assert.equal(a.originalExecutionRunId, runId);
    assert.equal(a.firstExecutionRunId, runId);
    assert.deepEqual(decode(a.input.payloads[0]), 'hello');
    assert.equal(msFromTs(started.eventTime), T0);
    const s = scheduled.workflowTaskScheduledEventAttributes;
    assert.equal(s.taskQueue.name, TQ);
    assert.equal(msFromDuration(s.startToCloseTimeout), 10_000);
    assert.equal(s.attempt, 1);
    assert.equal(engine.store.countTasks(NS, TQ, TaskKind.Workflow), 1);
  });

  it('poll writes WorkflowTaskStarted and returns the task with the whole history', async () => {
    const runId = start();
    t += 250;
    const task = await pollTask();
    const list = assertHistory(runId, ['WORKFLOW_EXECUTION_STARTED', 'WORKFLOW_TASK_SCHEDULED', 'WORKFLOW_TASK_STARTED']);
    const startedAttrs = list[2].workflowTaskStartedEventAttributes;
    assert.equal(longToNumber(startedAttrs.scheduledEventId), 2);
    assert.equal(startedAttrs.identity, 'worker-1');
    assert.equal(msFromTs(list[2].eventTime), T0 + 250);
    assert.equal(longToNumber(task.startedEventId), 3);
    assert.equal(longToNumber(task.previousStartedEventId), 0);
    assert.equal(task.attempt, 1);
    assert.deepEqual(task.workflowExecution, { workflowId: WF_ID, runId });
    assert.equal(task.workflowType.name, 'MyWorkflow');
    assert.equal(task.workflowExecutionTaskQueue.name, TQ);
    assert.deepEqual(onWire(task).history.events.map((e) => longToNumber(e.eventId)), [1, 2, 3]);
    assert.equal(msFromTs(task.scheduledTime), T0);
    assert.equal(msFromTs(task.startedTime), T0 + 250);
    assert.equal(engine.store.countTasks(NS, TQ, TaskKind.Workflow), 0);
    const again = await poll();
    assert.equal(again.taskToken, undefined, 'an empty poll is the default response');
  });

  it('a long poll is woken by a start, and an aborted poll returns the empty response', async () => {
    const controller = new AbortController();
    const aborted = pollWorkflowTask(engine, {
      namespace: NS, taskQueue: 'other', identity: 'w', requestId: 'r', deadline: Date.now() + 30_000, signal: controller.signal,
    });
    controller.abort();
    assert.deepEqual(await aborted, {});

    const waiting = pollWorkflowTask(engine, {
      namespace: NS, taskQueue: TQ, identity: 'w', requestId: 'r', deadline: Date.now() + 30_000, signal: new AbortController().signal,
    });
    const runId = start();
    const task = await waiting;
    assert.equal(task.workflowExecution.runId, runId);
    assert.equal(longToNumber(task.startedEventId), 3);
  });
});

describe('command → event rules', () => {
  it('ScheduleActivityTask → ActivityTaskScheduled with normalized timeouts and a filled-in retry policy', async () => {
    const runId = start({ workflowRunTimeout: durationFromMs(300_000) });
    const task = await pollTask();
    complete(task, [cmd.activity('a1', { startToCloseTimeout: durationFromMs(10_000), heartbeatTimeout: durationFromMs(60_000) })]);
    const list = assertHistory(runId, [
      'WORKFLOW_EXECUTION_STARTED', 'WORKFLOW_TASK_SCHEDULED', 'WORKFLOW_TASK_STARTED', 'WORKFLOW_TASK_COMPLETED', 'ACTIVITY_TASK_SCHEDULED',
    ]);
    const completed = list[3].workflowTaskCompletedEventAttributes;
    assert.equal(longToNumber(completed.scheduledEventId), 2);
    assert.equal(longToNumber(completed.startedEventId), 3);
    assert.equal(completed.identity, 'worker-1');
    const a = list[4].activityTaskScheduledEventAttributes;
    assert.equal(a.activityId, 'a1');
    assert.equal(a.activityType.name, 'greet');
    assert.equal(a.taskQueue.name, TQ);
    assert.equal(longToNumber(a.workflowTaskCompletedEventId), 4);
    assert.deepEqual(decode(a.input.payloads[0]), 'in');
    assert.equal(msFromDuration(a.startToCloseTimeout), 10_000);
    assert.equal(msFromDuration(a.scheduleToCloseTimeout), 300_000, 'schedule-to-close = run timeout');
    assert.equal(msFromDuration(a.scheduleToStartTimeout), 300_000, 'schedule-to-start = run timeout');
    assert.equal(msFromDuration(a.heartbeatTimeout), 10_000, 'heartbeat ≤ start-to-close');
    assert.ok(a.retryPolicy, 'retry policy always present');
    assert.equal(msFromDuration(a.retryPolicy.initialInterval), 1000);
    assert.equal(a.retryPolicy.backoffCoefficient, 2);
    assert.equal(msFromDuration(a.retryPolicy.maximumInterval), 100_000);
    assert.equal(a.retryPolicy.maximumAttempts, 0);
    assert.equal(engine.store.countTasks(NS, TQ, TaskKind.Activity), 1);
    assert.equal(engine.store.countTasks(NS, TQ, TaskKind.Workflow), 0, 'no new workflow task without new events');
    assert.equal(state(runId).wft, undefined);
  });

  it('StartTimer → TimerStarted; the fake clock fires TimerFired{startedEventId} + WorkflowTaskScheduled', async () => {
    const runId = start();
    const task1 = await pollTask();
    complete(task1, [cmd.startTimer('t1', 5000)]);
    const timerStarted = eventAt(runId, 5);
    assert.equal(typeName(timerStarted.eventType), 'TIMER_STARTED');
    assert.equal(timerStarted.timerStartedEventAttributes.timerId, 't1');
    assert.equal(msFromDuration(timerStarted.timerStartedEventAttributes.startToFireTimeout), 5000);
    assert.equal(longToNumber(timerStarted.timerStartedEventAttributes.workflowTaskCompletedEventId), 4);

    advance(4999);
    assert.equal(types(runId).length, 5, 'not yet due');
    advance(1);
    const list = assertHistory(runId, [
      'WORKFLOW_EXECUTION_STARTED', 'WORKFLOW_TASK_SCHEDULED', 'WORKFLOW_TASK_STARTED', 'WORKFLOW_TASK_COMPLETED', 'TIMER_STARTED',
      'TIMER_FIRED', 'WORKFLOW_TASK_SCHEDULED',
    ]);
    assert.equal(list[5].timerFiredEventAttributes.timerId, 't1');
    assert.equal(longToNumber(list[5].timerFiredEventAttributes.startedEventId), 5);
    assert.equal(msFromTs(list[5].eventTime), T0 + 5000);

    const task2 = await pollTask();
    assert.equal(longToNumber(task2.previousStartedEventId), 3);
    assert.equal(longToNumber(task2.startedEventId), 8);
    assert.equal(advance(5000), 1, "task 1's workflow-task timeout timer is stale and writes nothing");
    assert.equal(types(runId).length, 8);
  });

  it('CancelTimer → TimerCanceled{startedEventId}; the canceled timer never fires', async () => {
    const runId = start();
    complete(await pollTask(), [cmd.startTimer('t1', 5000)], { forceCreateNewWorkflowTask: true });
    assert.equal(typeName(eventAt(runId, 6).eventType), 'WORKFLOW_TASK_SCHEDULED', 'forceCreateNewWorkflowTask schedules a task');
    const task2 = await pollTask();
    complete(task2, [cmd.cancelTimer('t1')]);
    const list = assertHistory(runId, [
      'WORKFLOW_EXECUTION_STARTED', 'WORKFLOW_TASK_SCHEDULED', 'WORKFLOW_TASK_STARTED', 'WORKFLOW_TASK_COMPLETED', 'TIMER_STARTED',
      'WORKFLOW_TASK_SCHEDULED', 'WORKFLOW_TASK_STARTED', 'WORKFLOW_TASK_COMPLETED', 'TIMER_CANCELED',
    ]);
    const c = list[8].timerCanceledEventAttributes;
    assert.equal(c.timerId, 't1');
    assert.equal(longToNumber(c.startedEventId), 5);
    assert.equal(longToNumber(c.workflowTaskCompletedEventId), 8);
    assert.deepEqual(state(runId).timers, {});
    advance(5000);
    assert.ok(!types(runId).includes('TIMER_FIRED'), 'no TimerFired after the cancel');
  });

  it(
    'a canceled timer reaching its fire time schedules no workflow task',
    async () => {
      const runId = start();
      complete(await pollTask(), [cmd.startTimer('t1', 5000)], { forceCreateNewWorkflowTask: true });
      complete(await pollTask(), [cmd.cancelTimer('t1')]);
      assert.equal(types(runId).length, 9);
      advance(5000);
      assert.deepEqual(types(runId).slice(8), ['TIMER_CANCELED'], 'nothing after TimerCanceled');
      assert.equal(engine.store.countTasks(NS, TQ, TaskKind.Workflow), 0);
    },
  );

  it('CancelTimer wins over a TimerFired buffered while the task ran', async () => {
    const runId = start();
    complete(await pollTask(), [cmd.startTimer('t1', 1000)], { forceCreateNewWorkflowTask: true });
    const task2 = await pollTask();
    advance(1000); // fires while task 2 is started: buffered
    assert.equal(types(runId).length, 7);
    complete(task2, [cmd.cancelTimer('t1')]);
    const list = events(runId);
    assert.ok(!list.some((e) => typeName(e.eventType) === 'TIMER_FIRED'), 'the buffered TimerFired is dropped');
    assert.equal(typeName(list[8].eventType), 'TIMER_CANCELED');
    assert.equal(longToNumber(list[8].timerCanceledEventAttributes.startedEventId), 5);
  });

  it('RecordMarker → MarkerRecorded with details stored verbatim', async () => {
    const runId = start();
    const details = { data: payloads({ seq: 1, result: 'ok' }) };
    complete(await pollTask(), [cmd.marker('core_local_activity', details)]);
    const marker = eventAt(runId, 5);
    assert.equal(typeName(marker.eventType), 'MARKER_RECORDED');
    const m = marker.markerRecordedEventAttributes;
    assert.equal(m.markerName, 'core_local_activity');
    assert.deepEqual(decode(m.details.data.payloads[0]), { seq: 1, result: 'ok' });
    assert.deepEqual(Buffer.from(m.details.data.payloads[0].metadata.encoding).toString(), 'json/plain');
    assert.equal(longToNumber(m.workflowTaskCompletedEventId), 4);
  });

  it('commands become events in command order', async () => {
    const runId = start();
    complete(await pollTask(), [
      cmd.marker('m1'),
      cmd.startTimer('t1', 1000),
      cmd.activity('a1', { startToCloseTimeout: durationFromMs(1000) }),
      cmd.startTimer('t2', 2000),
    ]);
    assertHistory(runId, [
      'WORKFLOW_EXECUTION_STARTED', 'WORKFLOW_TASK_SCHEDULED', 'WORKFLOW_TASK_STARTED', 'WORKFLOW_TASK_COMPLETED',
      'MARKER_RECORDED', 'TIMER_STARTED', 'ACTIVITY_TASK_SCHEDULED', 'TIMER_STARTED',
    ]);
  });

  it('CompleteWorkflowExecution closes the run and drops its timers and tasks', async () => {
    const runId = start({ workflowRunTimeout: durationFromMs(3_600_000) });
    complete(await pollTask(), [cmd.startTimer('t1', 5000), cmd.activity('a1', { startToCloseTimeout: durationFromMs(1000) })], {
      forceCreateNewWorkflowTask: true,
    });
    const task2 = await pollTask();
    complete(task2, [cmd.complete('done'), cmd.startTimer('ignored', 1000)]);
    const list = assertHistory(runId, [
      'WORKFLOW_EXECUTION_STARTED', 'WORKFLOW_TASK_SCHEDULED', 'WORKFLOW_TASK_STARTED', 'WORKFLOW_TASK_COMPLETED', 'TIMER_STARTED',
      'ACTIVITY_TASK_SCHEDULED', 'WORKFLOW_TASK_SCHEDULED', 'WORKFLOW_TASK_STARTED', 'WORKFLOW_TASK_COMPLETED',
      'WORKFLOW_EXECUTION_COMPLETED',
    ]);
    const done = list[9].workflowExecutionCompletedEventAttributes;
    assert.deepEqual(decode(done.result.payloads[0]), 'done');
    assert.equal(longToNumber(done.workflowTaskCompletedEventId), 9);
    const s = state(runId);
    assert.equal(s.status, Status.WORKFLOW_EXECUTION_STATUS_COMPLETED);
    assert.equal(s.closeEventId, 10);
    assert.equal(s.closeTime, T0);
    assert.deepEqual(s.timers, {});
    assert.deepEqual(s.activities, {});
    assert.equal(engine.store.countTasks(NS, TQ, TaskKind.Activity), 0, 'activity task dropped');
    assert.equal(engine.store.countTasks(NS, TQ, TaskKind.Workflow), 0);
    assert.equal(engine.store.nextTimerAt(), undefined, 'timers (user, run timeout, task timeout) dropped');
    assert.equal(advance(7_200_000), 0);
    assert.equal(types(runId).length, 10);
    assertRpcError(() => complete(task2, [cmd.complete('again')]), NOT_FOUND, 'workflow execution already completed');
  });

  it('a bad command fails the task with its cause, answers INVALID_ARGUMENT and schedules attempt 2', async () => {
    const runId = start();
    const task = await pollTask();
    const message = 'A valid StartToClose or ScheduleToCloseTimeout is not set on ScheduleActivityTaskCommand. ActivityId=a1';
    assertRpcError(() => complete(task, [cmd.startTimer('t1', 1000), cmd.activity('a1')]), INVALID_ARGUMENT, message);
    try {
      complete(task, []);
      assert.fail('the failed task is gone');
    } catch (err) {
      assert.equal(err.code, NOT_FOUND);
    }
    const list = assertHistory(runId, [
      'WORKFLOW_EXECUTION_STARTED', 'WORKFLOW_TASK_SCHEDULED', 'WORKFLOW_TASK_STARTED', 'WORKFLOW_TASK_FAILED', 'WORKFLOW_TASK_SCHEDULED',
    ]);
    const f = list[3].workflowTaskFailedEventAttributes;
    assert.equal(f.cause, Cause.WORKFLOW_TASK_FAILED_CAUSE_BAD_SCHEDULE_ACTIVITY_ATTRIBUTES);
    assert.equal(longToNumber(f.scheduledEventId), 2);
    assert.equal(longToNumber(f.startedEventId), 3);
    assert.equal(f.failure.message, message);
    assert.equal(list[4].workflowTaskScheduledEventAttributes.attempt, 2);
    assert.deepEqual(state(runId).timers, {}, 'the TimerStarted of the rejected completion was rolled back');
    const retry = await pollTask();
    assert.equal(retry.attempt, 2);
    assert.equal(longToNumber(retry.startedEventId), 6);
  });

  it('maps other bad commands to their causes', async () => {
    const cases = [
      [cmd.cancelTimer('nope'), Cause.WORKFLOW_TASK_FAILED_CAUSE_BAD_CANCEL_TIMER_ATTRIBUTES],
      [cmd.startTimer('t', 0), Cause.WORKFLOW_TASK_FAILED_CAUSE_BAD_START_TIMER_ATTRIBUTES],
      [cmd.marker(''), Cause.WORKFLOW_TASK_FAILED_CAUSE_BAD_RECORD_MARKER_ATTRIBUTES],
      [
        { commandType: CommandType.COMMAND_TYPE_REQUEST_CANCEL_ACTIVITY_TASK, requestCancelActivityTaskCommandAttributes: { scheduledEventId: 99 } },
        Cause.WORKFLOW_TASK_FAILED_CAUSE_BAD_REQUEST_CANCEL_ACTIVITY_ATTRIBUTES,
      ],
    ];
    for (const [i, [command, cause]] of cases.entries()) {
      const runId = start({ workflowId: `bad-command-${i}` });
      const task = await pollTask();
      assert.equal(task.attempt, 1);
      assertRpcError(() => complete(task, [command]), INVALID_ARGUMENT);
      const failed = events(runId).at(-2);
      assert.equal(typeName(failed.eventType), 'WORKFLOW_TASK_FAILED');
      assert.equal(failed.workflowTaskFailedEventAttributes.cause, cause);
      engine.write((tx) => terminateRun(tx.resolveRun(NS, { workflowId: `bad-command-${i}` }), 'done', undefined, 'test'));
    }
  });

  it('the same bad command on a later attempt writes nothing: the task is left to time out', async () => {
    const runId = start({ workflowTaskTimeout: durationFromMs(1000) });
    const bad = [cmd.activity('a1')];
    const first = await pollTask();
    assertRpcError(() => complete(first, bad), INVALID_ARGUMENT);
    const retry = await pollTask();
    assert.equal(retry.attempt, 2);
    const before = events(runId).length;
    assertRpcError(() => complete(retry, bad), INVALID_ARGUMENT);
    assert.equal(events(runId).length, before, 'no WorkflowTaskFailed for attempt 2');
    advance(1000);
    assert.equal(typeName(events(runId).at(-2).eventType), 'WORKFLOW_TASK_TIMED_OUT');
    const third = await pollTask();
    assert.equal(third.attempt, 3);
  });

  it('workflow task timeouts grow after attempt 3 (5 s doubling, capped at 10 min)', () => {
    assert.equal(workflowTaskTimeoutMs(10_000, 1), 10_000);
    assert.equal(workflowTaskTimeoutMs(10_000, 3), 10_000);
    assert.equal(workflowTaskTimeoutMs(10_000, 4), 15_000);
    assert.equal(workflowTaskTimeoutMs(10_000, 5), 20_000);
    assert.equal(workflowTaskTimeoutMs(10_000, 50), 610_000);
  });

  it(
    'a duplicate TimerId fails the task with START_TIMER_DUPLICATE_ID',
    async () => {
      const runId = start();
      const task = await pollTask();
      assertRpcError(() => complete(task, [cmd.startTimer('t1', 1000), cmd.startTimer('t1', 2000)]), INVALID_ARGUMENT);
      const failed = events(runId).at(-2).workflowTaskFailedEventAttributes;
      assert.equal(failed.cause, Cause.WORKFLOW_TASK_FAILED_CAUSE_START_TIMER_DUPLICATE_ID);
    },
  );

  it(
    'a duplicate ActivityId fails the task with SCHEDULE_ACTIVITY_DUPLICATE_ID',
    async () => {
      const runId = start();
      const a = cmd.activity('a1', { startToCloseTimeout: durationFromMs(1000) });
      const task = await pollTask();
      assertRpcError(() => complete(task, [a, a]), INVALID_ARGUMENT);
      const failed = events(runId).at(-2).workflowTaskFailedEventAttributes;
      assert.equal(failed.cause, Cause.WORKFLOW_TASK_FAILED_CAUSE_SCHEDULE_ACTIVITY_DUPLICATE_ID);
    },
  );

  it('RespondWorkflowTaskFailed writes WorkflowTaskFailed and the next attempt', async () => {
    const runId = start();
    const task = await pollTask();
    failWorkflowTaskRpc(engine, {
      taskToken: task.taskToken,
      cause: Cause.WORKFLOW_TASK_FAILED_CAUSE_NON_DETERMINISTIC_ERROR,
      failure: { message: 'nondeterminism' },
      identity: 'worker-1',
    });
    const list = assertHistory(runId, [
      'WORKFLOW_EXECUTION_STARTED', 'WORKFLOW_TASK_SCHEDULED', 'WORKFLOW_TASK_STARTED', 'WORKFLOW_TASK_FAILED', 'WORKFLOW_TASK_SCHEDULED',
    ]);
    assert.equal(list[3].workflowTaskFailedEventAttributes.cause, Cause.WORKFLOW_TASK_FAILED_CAUSE_NON_DETERMINISTIC_ERROR);
    assert.equal(list[3].workflowTaskFailedEventAttributes.failure.message, 'nondeterminism');
    assert.equal(list[4].workflowTaskScheduledEventAttributes.attempt, 2);
    assertRpcError(() => failWorkflowTaskRpc(engine, { taskToken: task.taskToken, identity: 'w' }), NOT_FOUND);
  });
});

describe('buffering while a workflow task is started', () => {
  it('a signal while the task is only scheduled is written at once, before WorkflowTaskStarted', async () => {
    const runId = start();
    signal();
    assertHistory(runId, ['WORKFLOW_EXECUTION_STARTED', 'WORKFLOW_TASK_SCHEDULED', 'WORKFLOW_EXECUTION_SIGNALED']);
    const task = await pollTask();
    assert.equal(longToNumber(task.startedEventId), 4);
    assertHistory(runId, ['WORKFLOW_EXECUTION_STARTED', 'WORKFLOW_TASK_SCHEDULED', 'WORKFLOW_EXECUTION_SIGNALED', 'WORKFLOW_TASK_STARTED']);
  });

  it('a signal while the task is started is buffered and written after the command events', async () => {
    const runId = start();
    const task = await pollTask();
    t += 100;
    signal('hello', 42);
    assert.equal(types(runId).length, 3, 'nothing written while the task runs');
    assert.equal(state(runId).buffered.length, 1);
    t += 100;
    complete(task, [cmd.startTimer('t1', 1000)]);
    const list = assertHistory(runId, [
      'WORKFLOW_EXECUTION_STARTED', 'WORKFLOW_TASK_SCHEDULED', 'WORKFLOW_TASK_STARTED', 'WORKFLOW_TASK_COMPLETED', 'TIMER_STARTED',
      'WORKFLOW_EXECUTION_SIGNALED', 'WORKFLOW_TASK_SCHEDULED',
    ]);
    const s = list[5].workflowExecutionSignaledEventAttributes;
    assert.equal(s.signalName, 'hello');
    assert.deepEqual(decode(s.input.payloads[0]), 42);
    assert.equal(msFromTs(list[5].eventTime), T0 + 100, 'a buffered event keeps its arrival time');
    assert.equal(list[6].workflowTaskScheduledEventAttributes.attempt, 1);
    assert.equal(state(runId).buffered.length, 0);
    const next = await pollTask();
    assert.equal(longToNumber(next.previousStartedEventId), 3);
  });

  it('a signal repeated with the same request id is written once', async () => {
    const runId = start();
    const send = () =>
      engine.write((tx) =>
        signalRun(tx.resolveRun(NS, { workflowId: WF_ID }), {
          signalName: 's', input: undefined, header: undefined, identity: 'c', requestId: 'same-request',
        }),
      );
    send();
    send();
    assert.deepEqual(types(runId), ['WORKFLOW_EXECUTION_STARTED', 'WORKFLOW_TASK_SCHEDULED', 'WORKFLOW_EXECUTION_SIGNALED']);
  });

  it('a close command racing with a buffered signal → WorkflowTaskFailed{UNHANDLED_COMMAND} and "UnhandledCommand"', async () => {
    const runId = start();
    const task = await pollTask();
    signal();
    assertRpcError(() => complete(task, [cmd.complete('done')]), INVALID_ARGUMENT, 'UnhandledCommand');
    const list = assertHistory(runId, [
      'WORKFLOW_EXECUTION_STARTED', 'WORKFLOW_TASK_SCHEDULED', 'WORKFLOW_TASK_STARTED', 'WORKFLOW_TASK_FAILED',
      'WORKFLOW_EXECUTION_SIGNALED', 'WORKFLOW_TASK_SCHEDULED',
    ]);
    const f = list[3].workflowTaskFailedEventAttributes;
    assert.equal(f.cause, Cause.WORKFLOW_TASK_FAILED_CAUSE_UNHANDLED_COMMAND);
    assert.equal(longToNumber(f.scheduledEventId), 2);
    assert.equal(longToNumber(f.startedEventId), 3);
    assert.equal(state(runId).status, Status.WORKFLOW_EXECUTION_STATUS_RUNNING);
    const next = await pollTask();
    assert.equal(longToNumber(next.startedEventId), 7);
    complete(next, [cmd.complete('done')]);
    assert.equal(state(runId).status, Status.WORKFLOW_EXECUTION_STATUS_COMPLETED);
    assert.equal(types(runId).at(-1), 'WORKFLOW_EXECUTION_COMPLETED');
  });

  it('a non-close completion with a buffered timer firing schedules a new task', async () => {
    const runId = start();
    complete(await pollTask(), [cmd.startTimer('t1', 1000)], { forceCreateNewWorkflowTask: true });
    const task2 = await pollTask();
    advance(1000);
    complete(task2, []);
    const list = events(runId);
    assert.deepEqual(list.slice(8).map((e) => typeName(e.eventType)), ['TIMER_FIRED', 'WORKFLOW_TASK_SCHEDULED']);
    assert.equal(longToNumber(list[8].timerFiredEventAttributes.startedEventId), 5);
  });
});

describe('workflow task timeout', () => {
  it('a started task not completed in time → WorkflowTaskTimedOut and a new task with attempt + 1', async () => {
    const runId = start({ workflowTaskTimeout: durationFromMs(5000) });
    const task = await pollTask();
    advance(4999);
    assert.equal(types(runId).length, 3);
    advance(1);
    const list = assertHistory(runId, [
      'WORKFLOW_EXECUTION_STARTED', 'WORKFLOW_TASK_SCHEDULED', 'WORKFLOW_TASK_STARTED', 'WORKFLOW_TASK_TIMED_OUT', 'WORKFLOW_TASK_SCHEDULED',
    ]);
    const to = list[3].workflowTaskTimedOutEventAttributes;
    assert.equal(longToNumber(to.scheduledEventId), 2);
    assert.equal(longToNumber(to.startedEventId), 3);
    assert.equal(to.timeoutType, TimeoutType.TIMEOUT_TYPE_START_TO_CLOSE);
    assert.equal(list[4].workflowTaskScheduledEventAttributes.attempt, 2);
    assertRpcError(() => complete(task, []), NOT_FOUND);

    const task2 = await pollTask();
    assert.equal(task2.attempt, 2);
    advance(5000);
    assert.equal(events(runId).at(-1).workflowTaskScheduledEventAttributes.attempt, 3);
  });

  it('a timed-out task with events buffered meanwhile is retried as attempt 1, after those events', async () => {
    const runId = start();
    await pollTask();
    signal();
    advance(10_000);
    const list = assertHistory(runId, [
      'WORKFLOW_EXECUTION_STARTED', 'WORKFLOW_TASK_SCHEDULED', 'WORKFLOW_TASK_STARTED', 'WORKFLOW_TASK_TIMED_OUT',
      'WORKFLOW_EXECUTION_SIGNALED', 'WORKFLOW_TASK_SCHEDULED',
    ]);
    assert.equal(list[5].workflowTaskScheduledEventAttributes.attempt, 1);
  });

  it('a completed task does not time out', async () => {
    const runId = start();
    complete(await pollTask(), [cmd.startTimer('t1', 60_000)]);
    advance(30_000);
    assert.ok(!types(runId).includes('WORKFLOW_TASK_TIMED_OUT'));
  });
});

describe('terminate and run timeout', () => {
  it('terminate while a task is started → WorkflowTaskFailed{FORCE_CLOSE_COMMAND}, buffered events, then Terminated', async () => {
    const runId = start();
    const task = await pollTask();
    signal();
    engine.write((tx) => terminateRun(tx.resolveRun(NS, { workflowId: WF_ID }), 'stop it', payloads('why'), 'admin'));
    const list = assertHistory(runId, [
      'WORKFLOW_EXECUTION_STARTED', 'WORKFLOW_TASK_SCHEDULED', 'WORKFLOW_TASK_STARTED', 'WORKFLOW_TASK_FAILED',
      'WORKFLOW_EXECUTION_SIGNALED', 'WORKFLOW_EXECUTION_TERMINATED',
    ]);
    const f = list[3].workflowTaskFailedEventAttributes;
    assert.equal(f.cause, Cause.WORKFLOW_TASK_FAILED_CAUSE_FORCE_CLOSE_COMMAND);
    assert.equal(longToNumber(f.scheduledEventId), 2);
    assert.equal(longToNumber(f.startedEventId), 3);
    const term = list[5].workflowExecutionTerminatedEventAttributes;
    assert.equal(term.reason, 'stop it');
    assert.equal(term.identity, 'admin');
    assert.deepEqual(decode(term.details.payloads[0]), 'why');
    assert.equal(state(runId).status, Status.WORKFLOW_EXECUTION_STATUS_TERMINATED);
    assertRpcError(() => complete(task, [cmd.complete('late')]), NOT_FOUND, 'workflow execution already completed');
    assertRpcError(() => signal(), NOT_FOUND, 'workflow execution already completed');
    assert.equal(engine.store.nextTimerAt(), undefined);
  });

  it('terminate with only a scheduled task writes no WorkflowTaskFailed', () => {
    const runId = start();
    engine.write((tx) => terminateRun(tx.resolveRun(NS, { workflowId: WF_ID }), 'r', undefined, 'admin'));
    assertHistory(runId, ['WORKFLOW_EXECUTION_STARTED', 'WORKFLOW_TASK_SCHEDULED', 'WORKFLOW_EXECUTION_TERMINATED']);
    assert.equal(engine.store.countTasks(NS, TQ, TaskKind.Workflow), 0);
  });

  it('the run timeout timer → WorkflowExecutionTimedOut (force-closing a started task first)', async () => {
    const runId = start({ workflowRunTimeout: durationFromMs(60_000), workflowTaskTimeout: durationFromMs(10_000) });
    advance(55_000);
    await pollTask();
    advance(4999);
    assert.equal(state(runId).status, Status.WORKFLOW_EXECUTION_STATUS_RUNNING);
    advance(1);
    const list = assertHistory(runId, [
      'WORKFLOW_EXECUTION_STARTED', 'WORKFLOW_TASK_SCHEDULED', 'WORKFLOW_TASK_STARTED', 'WORKFLOW_TASK_FAILED', 'WORKFLOW_EXECUTION_TIMED_OUT',
    ]);
    assert.equal(list[3].workflowTaskFailedEventAttributes.cause, Cause.WORKFLOW_TASK_FAILED_CAUSE_FORCE_CLOSE_COMMAND);
    assert.equal(msFromTs(list[4].eventTime), T0 + 60_000);
    assert.equal(state(runId).status, Status.WORKFLOW_EXECUTION_STATUS_TIMED_OUT);
    assert.equal(engine.store.nextTimerAt(), undefined, 'the task timeout timer was dropped');
  });

  it('the run timeout of an idle run closes it without touching the scheduled task', () => {
    const runId = start({ workflowExecutionTimeout: durationFromMs(30_000) });
    advance(30_000);
    const list = assertHistory(runId, ['WORKFLOW_EXECUTION_STARTED', 'WORKFLOW_TASK_SCHEDULED', 'WORKFLOW_EXECUTION_TIMED_OUT']);
    assert.equal(list[2].workflowExecutionTimedOutEventAttributes.retryState, RetryState.RETRY_STATE_TIMEOUT, 'execution timeout → TIMEOUT');
    assert.equal(engine.store.countTasks(NS, TQ, TaskKind.Workflow), 0);
  });

  it(
    'a run timeout without a retry policy (execution not expired) reports RETRY_POLICY_NOT_SET',
    () => {
      const runId = start({ workflowRunTimeout: durationFromMs(30_000) });
      advance(30_000);
      const last = events(runId).at(-1);
      assert.equal(typeName(last.eventType), 'WORKFLOW_EXECUTION_TIMED_OUT');
      assert.equal(last.workflowExecutionTimedOutEventAttributes.retryState, RetryState.RETRY_STATE_RETRY_POLICY_NOT_SET);
    },
  );
});

// Keep the attribute helper exercised so a rename of the oneof fields shows up here.
describe('event attribute fields', () => {
  it('every written event carries the attributes field of its type', async () => {
    const runId = start();
    complete(await pollTask(), [cmd.startTimer('t1', 1000), cmd.marker('m')]);
    advance(1000);
    for (const e of events(runId)) assert.ok(attrs(e), `${typeName(e.eventType)} has attributes`);
  });
});
