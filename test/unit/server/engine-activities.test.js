// Engine without gRPC: activity dispatch, deferred ActivityTaskStarted, retries, timeouts, heartbeats
// and cancellation. A fake clock drives every timer deterministically.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { durationFromMs, longToNumber, msFromDuration, msFromTs, temporal } from '../../../dist/proto/index.js';
import { RpcError } from '../../../dist/server/errors.js';
import { TaskKind } from '../../../dist/server/store/store.js';
import {
  activityByToken,
  cancelActivity,
  completeActivity,
  failActivity,
  heartbeatActivity,
} from '../../../dist/server/engine/activities.js';
import { completeWorkflowTask } from '../../../dist/server/engine/complete-task.js';
import { pollActivityTask, pollWorkflowTask } from '../../../dist/server/engine/polling.js';
import { startWorkflow } from '../../../dist/server/engine/start.js';
import { createTestEngine, decode, NS, payloads, pollOptions, T0, TQ, typeName } from './helpers/engine-harness.js';

const { CommandType, TimeoutType, RetryState } = temporal.api.enums.v1;
const WF_ID = 'wf-act';
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

function advance(ms) {
  t += ms;
  return engine.fireDueTimers();
}


async function pollWft() {
  const task = await pollWorkflowTask(engine, pollOptions('wf-worker'));
  assert.ok(task.taskToken, 'expected a workflow task');
  return task;
}

const pollActivity = (identity = 'act-worker') => pollActivityTask(engine, pollOptions(identity));

async function pollActivityOk(identity) {
  const task = await pollActivity(identity);
  assert.ok(task.taskToken, 'expected an activity task');
  return task;
}

const complete = (task, commands, extra = {}) =>
  completeWorkflowTask(engine, { taskToken: task.taskToken, commands, identity: 'wf-worker', ...extra });

const scheduleCmd = (activityId, over = {}) => ({
  commandType: CommandType.COMMAND_TYPE_SCHEDULE_ACTIVITY_TASK,
  scheduleActivityTaskCommandAttributes: {
    activityId,
    activityType: { name: 'greet' },
    taskQueue: { name: TQ },
    input: payloads('Ada'),
    startToCloseTimeout: durationFromMs(10_000),
    ...over,
  },
});
const cancelCmd = (scheduledEventId) => ({
  commandType: CommandType.COMMAND_TYPE_REQUEST_CANCEL_ACTIVITY_TASK,
  requestCancelActivityTaskCommandAttributes: { scheduledEventId },
});

/** Starts a workflow whose first task schedules one activity (ActivityTaskScheduled = event 5). */
async function startWithActivity(over = {}, { startOver = {}, force = false } = {}) {
  const runId = engine.write((tx) =>
    startWorkflow(tx, NS, {
      namespace: NS,
      workflowId: WF_ID,
      workflowType: { name: 'MyWorkflow' },
      taskQueue: { name: TQ },
      requestId: `req-${Math.random()}`,
      ...startOver,
    }),
  ).runId;
  complete(await pollWft(), [scheduleCmd('a1', over)], { forceCreateNewWorkflowTask: force });
  assert.equal(typeName(eventAt(runId, 5).eventType), 'ACTIVITY_TASK_SCHEDULED');
  return runId;
}

const events = (runId) => engine.store.readEvents(NS, runId, 1);
const types = (runId) => events(runId).map((e) => typeName(e.eventType));
const eventAt = (runId, id) => {
  const e = engine.store.readEvent(NS, runId, id);
  assert.ok(e, `event ${id} exists`);
  return e;
};
const state = (runId) => engine.read((tx) => tx.loadRun(NS, runId)).state;

function assertHistory(runId, expected) {
  const list = events(runId);
  assert.deepEqual(list.map((e) => longToNumber(e.eventId)), list.map((_, i) => i + 1), 'event ids are contiguous from 1');
  assert.deepEqual(list.map((e) => typeName(e.eventType)), expected);
  return list;
}

const HEAD = ['WORKFLOW_EXECUTION_STARTED', 'WORKFLOW_TASK_SCHEDULED', 'WORKFLOW_TASK_STARTED', 'WORKFLOW_TASK_COMPLETED', 'ACTIVITY_TASK_SCHEDULED'];

const byToken = (token, fn) => engine.write((tx) => fn(activityByToken(tx, token)));
const appFailure = (message, over = {}) => ({ message, applicationFailureInfo: { type: 'AppError', ...over } });

function assertNotFound(fn) {
  assert.throws(fn, (err) => {
    assert.ok(err instanceof RpcError, String(err));
    assert.equal(err.code, NOT_FOUND);
    return true;
  });
}

// ---- tests -----------------------------------------------------------------------------------

describe('activity dispatch', () => {
  it('the activity task carries every field the SDK needs, and polling writes no event', async () => {
    const runId = await startWithActivity({ heartbeatTimeout: durationFromMs(2000) });
    t += 300;
    const task = await pollActivityOk();
    assert.ok(task.taskToken.length > 0);
    assert.equal(task.workflowNamespace, NS);
    assert.deepEqual(task.workflowExecution, { workflowId: WF_ID, runId });
    assert.equal(task.workflowType.name, 'MyWorkflow');
    assert.equal(task.activityId, 'a1');
    assert.equal(task.activityType.name, 'greet');
    assert.deepEqual(decode(task.input.payloads[0]), 'Ada');
    assert.equal(task.attempt, 1);
    assert.equal(msFromTs(task.scheduledTime), T0);
    assert.equal(msFromTs(task.currentAttemptScheduledTime), T0);
    assert.equal(msFromTs(task.startedTime), T0 + 300);
    assert.equal(msFromDuration(task.startToCloseTimeout), 10_000);
    assert.ok(task.scheduleToCloseTimeout, 'schedule-to-close is present even when zero (infinite run)');
    assert.equal(msFromDuration(task.scheduleToCloseTimeout), 0);
    assert.equal(msFromDuration(task.heartbeatTimeout), 2000);
    assert.equal(msFromDuration(task.retryPolicy.initialInterval), 1000);
    assertHistory(runId, HEAD);
    assert.equal(engine.store.countTasks(NS, TQ, TaskKind.Activity), 0);
    assert.equal((await pollActivity()).taskToken, undefined, 'dispatched once');
  });

  it('completion writes ActivityTaskStarted + ActivityTaskCompleted{startedEventId} + WorkflowTaskScheduled', async () => {
    const runId = await startWithActivity();
    const task = await pollActivityOk('w-7');
    t += 2000;
    byToken(task.taskToken, (ref) => completeActivity(ref, payloads('Hello, Ada'), 'w-7'));
    const list = assertHistory(runId, [...HEAD, 'ACTIVITY_TASK_STARTED', 'ACTIVITY_TASK_COMPLETED', 'WORKFLOW_TASK_SCHEDULED']);
    const started = list[5].activityTaskStartedEventAttributes;
    assert.equal(longToNumber(started.scheduledEventId), 5);
    assert.equal(started.attempt, 1);
    assert.equal(started.identity, 'w-7');
    const done = list[6].activityTaskCompletedEventAttributes;
    assert.equal(longToNumber(done.scheduledEventId), 5);
    assert.equal(longToNumber(done.startedEventId), 6);
    assert.deepEqual(decode(done.result.payloads[0]), 'Hello, Ada');
    assert.deepEqual(state(runId).activities, {});
    assertNotFound(() => byToken(task.taskToken, (ref) => completeActivity(ref, undefined, 'w-7')));
  });

  it(
    'ActivityTaskStarted carries the time the attempt started, not the time it closed',
    async () => {
      const runId = await startWithActivity();
      t += 1000;
      const task = await pollActivityOk();
      t += 4000;
      byToken(task.taskToken, (ref) => completeActivity(ref, undefined, 'w'));
      assert.equal(msFromTs(eventAt(runId, 6).eventTime), T0 + 1000);
      assert.equal(msFromTs(eventAt(runId, 7).eventTime), T0 + 5000);
    },
  );

  it('a completion while a workflow task is started is buffered; the close event refers to its buffered Started event', async () => {
    const runId = await startWithActivity({}, { force: true });
    const activity = await pollActivityOk();
    const wft = await pollWft(); // task 2 started: events 6 Scheduled, 7 Started
    byToken(activity.taskToken, (ref) => completeActivity(ref, payloads(1), 'w'));
    assert.equal(types(runId).length, 7, 'buffered');
    complete(wft, [{ commandType: CommandType.COMMAND_TYPE_START_TIMER, startTimerCommandAttributes: { timerId: 't', startToFireTimeout: durationFromMs(1000) } }]);
    const list = assertHistory(runId, [
      ...HEAD, 'WORKFLOW_TASK_SCHEDULED', 'WORKFLOW_TASK_STARTED', 'WORKFLOW_TASK_COMPLETED', 'TIMER_STARTED',
      'ACTIVITY_TASK_STARTED', 'ACTIVITY_TASK_COMPLETED', 'WORKFLOW_TASK_SCHEDULED',
    ]);
    assert.equal(longToNumber(list[9].activityTaskStartedEventAttributes.scheduledEventId), 5);
    assert.equal(longToNumber(list[10].activityTaskCompletedEventAttributes.startedEventId), 10, 'refers to the flushed Started event');
    assert.equal(longToNumber(list[10].activityTaskCompletedEventAttributes.scheduledEventId), 5);
  });
});

describe('activity retries', () => {
  it('a retryable failure writes no event and re-dispatches after the backoff with the heartbeat details', async () => {
    const runId = await startWithActivity();
    const first = await pollActivityOk();
    t += 500;
    byToken(first.taskToken, (ref) => heartbeatActivity(ref, payloads({ progress: 3 })));
    byToken(first.taskToken, (ref) => failActivity(ref, appFailure('boom'), undefined, 'w'));
    assertHistory(runId, HEAD);
    assert.equal((await pollActivity()).taskToken, undefined, 'waiting out the backoff');
    assertNotFound(() => byToken(first.taskToken, (ref) => completeActivity(ref, undefined, 'w')));

    advance(999);
    assert.equal((await pollActivity()).taskToken, undefined);
    advance(1);
    const second = await pollActivityOk('w2');
    assert.equal(second.attempt, 2);
    assert.deepEqual(decode(second.heartbeatDetails.payloads[0]), { progress: 3 });
    assert.equal(msFromTs(second.scheduledTime), T0, 'scheduled time is the first schedule');
    assert.equal(msFromTs(second.currentAttemptScheduledTime), T0 + 1500);
    assertHistory(runId, HEAD);

    t += 100;
    byToken(second.taskToken, (ref) => completeActivity(ref, payloads('ok'), 'w2'));
    const list = assertHistory(runId, [...HEAD, 'ACTIVITY_TASK_STARTED', 'ACTIVITY_TASK_COMPLETED', 'WORKFLOW_TASK_SCHEDULED']);
    const started = list[5].activityTaskStartedEventAttributes;
    assert.equal(started.attempt, 2);
    assert.equal(started.identity, 'w2', 'the identity of the poll that started attempt 2');
    assert.equal(started.lastFailure.message, 'boom');
    assert.equal(longToNumber(list[6].activityTaskCompletedEventAttributes.startedEventId), 6);
  });

  it('RespondActivityTaskFailed.last_heartbeat_details overwrites the stored details', async () => {
    await startWithActivity();
    const first = await pollActivityOk();
    byToken(first.taskToken, (ref) => heartbeatActivity(ref, payloads('old')));
    byToken(first.taskToken, (ref) => failActivity(ref, appFailure('x'), payloads('new'), 'w'));
    advance(1000);
    const second = await pollActivityOk();
    assert.deepEqual(decode(second.heartbeatDetails.payloads[0]), 'new');
  });

  it('backoff grows per the policy and stops at maximumAttempts with ActivityTaskFailed', async () => {
    const runId = await startWithActivity({
      retryPolicy: { initialInterval: durationFromMs(100), backoffCoefficient: 3, maximumAttempts: 3 },
    });
    let task = await pollActivityOk();
    byToken(task.taskToken, (ref) => failActivity(ref, appFailure('f1'), undefined, 'w'));
    advance(100);
    task = await pollActivityOk();
    assert.equal(task.attempt, 2);
    byToken(task.taskToken, (ref) => failActivity(ref, appFailure('f2'), undefined, 'w'));
    advance(299);
    assert.equal((await pollActivity()).taskToken, undefined);
    advance(1);
    task = await pollActivityOk();
    assert.equal(task.attempt, 3);
    byToken(task.taskToken, (ref) => failActivity(ref, appFailure('f3'), undefined, 'w'));
    const list = assertHistory(runId, [...HEAD, 'ACTIVITY_TASK_STARTED', 'ACTIVITY_TASK_FAILED', 'WORKFLOW_TASK_SCHEDULED']);
    assert.equal(list[5].activityTaskStartedEventAttributes.attempt, 3);
    const failed = list[6].activityTaskFailedEventAttributes;
    assert.equal(failed.failure.message, 'f3');
    assert.equal(failed.retryState, RetryState.RETRY_STATE_MAXIMUM_ATTEMPTS_REACHED);
    assert.equal(longToNumber(failed.startedEventId), 6);
  });

  it('a non-retryable failure closes the activity at once', async () => {
    const runId = await startWithActivity({ retryPolicy: { nonRetryableErrorTypes: ['Fatal'] } });
    const task = await pollActivityOk();
    byToken(task.taskToken, (ref) => failActivity(ref, appFailure('bad', { type: 'Fatal' }), undefined, 'w'));
    const list = assertHistory(runId, [...HEAD, 'ACTIVITY_TASK_STARTED', 'ACTIVITY_TASK_FAILED', 'WORKFLOW_TASK_SCHEDULED']);
    assert.equal(list[6].activityTaskFailedEventAttributes.retryState, RetryState.RETRY_STATE_NON_RETRYABLE_FAILURE);
  });

  it('a retry that would start after schedule-to-close ends with RETRY_STATE_TIMEOUT', async () => {
    const runId = await startWithActivity({
      scheduleToCloseTimeout: durationFromMs(5000),
      retryPolicy: { initialInterval: durationFromMs(4000) },
    });
    const task = await pollActivityOk();
    t += 2000;
    byToken(task.taskToken, (ref) => failActivity(ref, appFailure('slow'), undefined, 'w'));
    const list = assertHistory(runId, [...HEAD, 'ACTIVITY_TASK_STARTED', 'ACTIVITY_TASK_FAILED', 'WORKFLOW_TASK_SCHEDULED']);
    assert.equal(list[6].activityTaskFailedEventAttributes.retryState, RetryState.RETRY_STATE_TIMEOUT);
  });
});

describe('activity timeouts', () => {
  it('start-to-close with maximumAttempts 1 → ActivityTaskTimedOut{START_TO_CLOSE}', async () => {
    const runId = await startWithActivity({ startToCloseTimeout: durationFromMs(3000), retryPolicy: { maximumAttempts: 1 } });
    const task = await pollActivityOk();
    byToken(task.taskToken, (ref) => heartbeatActivity(ref, payloads('hb')));
    advance(2999);
    assertHistory(runId, HEAD);
    advance(1);
    const list = assertHistory(runId, [...HEAD, 'ACTIVITY_TASK_STARTED', 'ACTIVITY_TASK_TIMED_OUT', 'WORKFLOW_TASK_SCHEDULED']);
    const to = list[6].activityTaskTimedOutEventAttributes;
    assert.equal(longToNumber(to.scheduledEventId), 5);
    assert.equal(longToNumber(to.startedEventId), 6);
    assert.equal(to.failure.timeoutFailureInfo.timeoutType, TimeoutType.TIMEOUT_TYPE_START_TO_CLOSE);
    assert.deepEqual(decode(to.failure.timeoutFailureInfo.lastHeartbeatDetails.payloads[0]), 'hb');
    assert.equal(to.retryState, RetryState.RETRY_STATE_MAXIMUM_ATTEMPTS_REACHED);
    assertNotFound(() => byToken(task.taskToken, (ref) => completeActivity(ref, undefined, 'w')));
  });

  it('a start-to-close timeout is retried like a failure (no event, attempt 2)', async () => {
    const runId = await startWithActivity({ startToCloseTimeout: durationFromMs(3000) });
    await pollActivityOk();
    advance(3000);
    assertHistory(runId, HEAD);
    advance(1000);
    const second = await pollActivityOk();
    assert.equal(second.attempt, 2);
  });

  it('TemporalTimeout:StartToClose in nonRetryableErrorTypes makes the timeout final', async () => {
    const runId = await startWithActivity({
      startToCloseTimeout: durationFromMs(3000),
      retryPolicy: { nonRetryableErrorTypes: ['TemporalTimeout:StartToClose'] },
    });
    await pollActivityOk();
    advance(3000);
    const list = assertHistory(runId, [...HEAD, 'ACTIVITY_TASK_STARTED', 'ACTIVITY_TASK_TIMED_OUT', 'WORKFLOW_TASK_SCHEDULED']);
    assert.equal(list[6].activityTaskTimedOutEventAttributes.retryState, RetryState.RETRY_STATE_NON_RETRYABLE_FAILURE);
  });

  it('heartbeats push the heartbeat timeout back; a missed heartbeat times out with HEARTBEAT', async () => {
    const runId = await startWithActivity({ heartbeatTimeout: durationFromMs(2000), retryPolicy: { maximumAttempts: 1 } });
    const task = await pollActivityOk();
    t += 1500;
    assert.equal(byToken(task.taskToken, (ref) => heartbeatActivity(ref, payloads(1)).cancelRequested), false);
    advance(500); // the first heartbeat deadline (T0+2000) passes: re-armed for T0+3500
    assertHistory(runId, HEAD);
    advance(1499);
    assertHistory(runId, HEAD);
    advance(1);
    const list = assertHistory(runId, [...HEAD, 'ACTIVITY_TASK_STARTED', 'ACTIVITY_TASK_TIMED_OUT', 'WORKFLOW_TASK_SCHEDULED']);
    const to = list[6].activityTaskTimedOutEventAttributes;
    assert.equal(to.failure.timeoutFailureInfo.timeoutType, TimeoutType.TIMEOUT_TYPE_HEARTBEAT);
    assert.deepEqual(decode(to.failure.timeoutFailureInfo.lastHeartbeatDetails.payloads[0]), 1);
    assert.equal(msFromTs(list[6].eventTime), T0 + 3500);
  });

  it('schedule-to-start (not retryable) → ActivityTaskTimedOut{SCHEDULE_TO_START, RETRY_STATE_TIMEOUT} without a Started event', async () => {
    const runId = await startWithActivity({ scheduleToCloseTimeout: durationFromMs(60_000), scheduleToStartTimeout: durationFromMs(5000) });
    advance(5000);
    const list = assertHistory(runId, [...HEAD, 'ACTIVITY_TASK_TIMED_OUT', 'WORKFLOW_TASK_SCHEDULED']);
    const to = list[5].activityTaskTimedOutEventAttributes;
    assert.equal(to.failure.timeoutFailureInfo.timeoutType, TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START);
    assert.equal(to.retryState, RetryState.RETRY_STATE_TIMEOUT);
    assert.equal(longToNumber(to.startedEventId), 0);
    assert.equal((await pollActivity()).taskToken, undefined, 'the stale task is not dispatched');
  });

  it(
    'schedule-to-start fires even when schedule-to-close is infinite (start-to-close only, no run timeout)',
    async () => {
      const runId = await startWithActivity({ scheduleToStartTimeout: durationFromMs(5000) });
      advance(5000);
      const last = events(runId).at(-2);
      assert.equal(typeName(last.eventType), 'ACTIVITY_TASK_TIMED_OUT');
      assert.equal(last.activityTaskTimedOutEventAttributes.failure.timeoutFailureInfo.timeoutType, TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START);
    },
  );

  it('schedule-to-close after a failed attempt → TimedOut{SCHEDULE_TO_CLOSE} with the last failure as cause', async () => {
    const runId = await startWithActivity({
      scheduleToCloseTimeout: durationFromMs(10_000),
      retryPolicy: { initialInterval: durationFromMs(3000), backoffCoefficient: 1 },
    });
    const task = await pollActivityOk();
    byToken(task.taskToken, (ref) => failActivity(ref, appFailure('try 1'), undefined, 'w'));
    advance(3000); // attempt 2 dispatched, never picked up
    assertHistory(runId, HEAD);
    advance(6999);
    assertHistory(runId, HEAD);
    advance(1);
    const list = assertHistory(runId, [...HEAD, 'ACTIVITY_TASK_TIMED_OUT', 'WORKFLOW_TASK_SCHEDULED']);
    const to = list[5].activityTaskTimedOutEventAttributes;
    assert.equal(to.failure.timeoutFailureInfo.timeoutType, TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_CLOSE);
    assert.equal(to.failure.cause.message, 'try 1');
    assert.equal(to.retryState, RetryState.RETRY_STATE_TIMEOUT);
    assert.equal(longToNumber(to.startedEventId), 0, 'attempt 2 never started');
    assert.deepEqual(state(runId).activities, {});
    assert.equal((await pollActivity()).taskToken, undefined);
  });
});

describe('activity cancellation', () => {
  it('cancel of a not-started activity → CancelRequested + Canceled at once and a new workflow task', async () => {
    const runId = await startWithActivity({}, { force: true });
    const wft = await pollWft();
    complete(wft, [cancelCmd(5)]);
    const list = assertHistory(runId, [
      ...HEAD, 'WORKFLOW_TASK_SCHEDULED', 'WORKFLOW_TASK_STARTED', 'WORKFLOW_TASK_COMPLETED',
      'ACTIVITY_TASK_CANCEL_REQUESTED', 'ACTIVITY_TASK_CANCELED', 'WORKFLOW_TASK_SCHEDULED',
    ]);
    const requested = list[8].activityTaskCancelRequestedEventAttributes;
    assert.equal(longToNumber(requested.scheduledEventId), 5);
    assert.equal(longToNumber(requested.workflowTaskCompletedEventId), 8);
    const canceled = list[9].activityTaskCanceledEventAttributes;
    assert.equal(longToNumber(canceled.scheduledEventId), 5);
    assert.equal(longToNumber(canceled.startedEventId), 0);
    assert.equal(longToNumber(canceled.latestCancelRequestedEventId), 9);
    assert.deepEqual(state(runId).activities, {});
    assert.equal((await pollActivity()).taskToken, undefined, 'the canceled activity is never dispatched');
  });

  it(
    'the immediate ActivityTaskCanceled carries details "ACTIVITY_ID_NOT_STARTED" and the worker identity',
    async () => {
      const runId = await startWithActivity({}, { force: true });
      complete(await pollWft(), [cancelCmd(5)]);
      const canceled = eventAt(runId, 10).activityTaskCanceledEventAttributes;
      assert.equal(decode(canceled.details.payloads[0]), 'ACTIVITY_ID_NOT_STARTED');
      assert.equal(canceled.identity, 'wf-worker');
    },
  );

  it('cancel during a retry backoff cancels at once; the retry timer is then a no-op', async () => {
    const runId = await startWithActivity({}, { force: true });
    const first = await pollActivityOk();
    byToken(first.taskToken, (ref) => failActivity(ref, appFailure('x'), undefined, 'w'));
    complete(await pollWft(), [cancelCmd(5)]);
    assert.deepEqual(types(runId).slice(8), ['ACTIVITY_TASK_CANCEL_REQUESTED', 'ACTIVITY_TASK_CANCELED', 'WORKFLOW_TASK_SCHEDULED']);
    advance(1000);
    assert.equal((await pollActivity()).taskToken, undefined);
    assert.equal(types(runId).length, 11);
  });

  it('cancel of a started activity: heartbeat answers cancelRequested, RespondActivityTaskCanceled closes it', async () => {
    const runId = await startWithActivity({}, { force: true });
    const activity = await pollActivityOk('w-9');
    assert.equal(byToken(activity.taskToken, (ref) => heartbeatActivity(ref, undefined).cancelRequested), false);
    complete(await pollWft(), [cancelCmd(5)]);
    assertHistory(runId, [...HEAD, 'WORKFLOW_TASK_SCHEDULED', 'WORKFLOW_TASK_STARTED', 'WORKFLOW_TASK_COMPLETED', 'ACTIVITY_TASK_CANCEL_REQUESTED']);
    assert.equal(engine.store.countTasks(NS, TQ, TaskKind.Workflow), 0, 'no new task until the activity resolves');
    assert.equal(byToken(activity.taskToken, (ref) => heartbeatActivity(ref, payloads('hb')).cancelRequested), true);
    byToken(activity.taskToken, (ref) => cancelActivity(ref, payloads('bye'), 'w-9'));
    const list = assertHistory(runId, [
      ...HEAD, 'WORKFLOW_TASK_SCHEDULED', 'WORKFLOW_TASK_STARTED', 'WORKFLOW_TASK_COMPLETED', 'ACTIVITY_TASK_CANCEL_REQUESTED',
      'ACTIVITY_TASK_STARTED', 'ACTIVITY_TASK_CANCELED', 'WORKFLOW_TASK_SCHEDULED',
    ]);
    const canceled = list[10].activityTaskCanceledEventAttributes;
    assert.equal(longToNumber(canceled.scheduledEventId), 5);
    assert.equal(longToNumber(canceled.startedEventId), 10);
    assert.equal(longToNumber(canceled.latestCancelRequestedEventId), 9);
    assert.deepEqual(decode(canceled.details.payloads[0]), 'bye');
  });

  it('a started activity whose cancel was requested that then fails is not retried (CANCEL_REQUESTED)', async () => {
    const runId = await startWithActivity({}, { force: true });
    const activity = await pollActivityOk();
    complete(await pollWft(), [cancelCmd(5)]);
    byToken(activity.taskToken, (ref) => failActivity(ref, appFailure('late'), undefined, 'w'));
    const last = events(runId).at(-2);
    assert.equal(typeName(last.eventType), 'ACTIVITY_TASK_FAILED');
    assert.equal(last.activityTaskFailedEventAttributes.retryState, RetryState.RETRY_STATE_CANCEL_REQUESTED);
  });
});
