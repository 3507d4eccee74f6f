// PauseActivity, UnpauseActivity, ResetActivity and UpdateActivityOptions on the engine (fake clock):
// what a paused activity does not do (dispatch, retry), what its heartbeats say, how it comes back,
// and what DescribeWorkflowExecution shows.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { durationFromMs, msFromDuration, temporal } from '../../../dist/proto/index.js';
import { RpcError } from '../../../dist/server/errors.js';
import { activityByToken, failActivity, heartbeatActivity } from '../../../dist/server/engine/activities.js';
import { activityOperatorHandlers } from '../../../dist/server/engine/activity-operator-api.js';
import { completeWorkflowTask } from '../../../dist/server/engine/complete-task.js';
import { describeRun } from '../../../dist/server/engine/describe.js';
import { pollActivityTask, pollWorkflowTask } from '../../../dist/server/engine/polling.js';
import { startWorkflow } from '../../../dist/server/engine/start.js';
import { createTestEngine, NS, pollOptions, T0, TQ } from './helpers/engine-harness.js';

const { CommandType, PendingActivityState } = temporal.api.enums.v1;
const execution = { workflowId: 'wf-op' };

let t;
let engine;
let ops;
beforeEach(async () => {
  t = T0;
  engine = createTestEngine(() => t);
  ops = activityOperatorHandlers(engine, (name) => name || NS);
  engine.write((tx) => startWorkflow(tx, NS, { workflowId: 'wf-op', workflowType: { name: 'W' }, taskQueue: { name: TQ }, requestId: 'r' }));
  const wft = await pollWorkflowTask(engine, pollOptions('wf-worker'));
  completeWorkflowTask(engine, {
    taskToken: wft.taskToken,
    identity: 'wf-worker',
    commands: [
      {
        commandType: CommandType.COMMAND_TYPE_SCHEDULE_ACTIVITY_TASK,
        scheduleActivityTaskCommandAttributes: {
          activityId: 'a1',
          activityType: { name: 'charge' },
          taskQueue: { name: TQ },
          startToCloseTimeout: durationFromMs(60_000),
          retryPolicy: { initialInterval: durationFromMs(1000), maximumAttempts: 10 },
        },
      },
    ],
  });
});
afterEach(() => {
  engine.stop();
  engine.store.close();
});

const poll = () => pollActivityTask(engine, pollOptions('act-worker'));
const pending = () => engine.read((tx) => describeRun(engine.store, tx.resolveRun(NS, execution), () => undefined)).pendingActivities[0];
const heartbeat = (task) => engine.write((tx) => heartbeatActivity(activityByToken(tx, task.taskToken), undefined));
const fail = (task) => engine.write((tx) => failActivity(activityByToken(tx, task.taskToken), { message: 'paused', applicationFailureInfo: { type: 'ActivityPause' } }, undefined, 'act-worker'));
const advance = (ms) => {
  t += ms;
  engine.fireDueTimers();
};
const rpcCode = (code) => (err) => err instanceof RpcError && err.code === code;

describe('activity operator calls', () => {
  it('a paused scheduled activity is not dispatched; unpaused, it is', async () => {
    ops.PauseActivity({ execution, id: 'a1', identity: 'ops', reason: 'maintenance' });
    assert.equal((await poll()).taskToken, undefined, 'no task while paused');
    const p = pending();
    assert.equal(p.state, PendingActivityState.PENDING_ACTIVITY_STATE_PAUSED);
    assert.equal(p.paused, true);
    assert.deepEqual({ ...p.pauseInfo.manual }, { identity: 'ops', reason: 'maintenance' });
    ops.UnpauseActivity({ execution, id: 'a1' });
    assert.ok((await poll()).taskToken, 'dispatched once unpaused');
    assert.equal(pending().state, PendingActivityState.PENDING_ACTIVITY_STATE_STARTED);
  });

  it('a running attempt hears of the pause, and its failure waits instead of retrying', async () => {
    const task = await poll();
    ops.PauseActivity({ execution, type: 'charge' });
    assert.equal(pending().state, PendingActivityState.PENDING_ACTIVITY_STATE_PAUSE_REQUESTED);
    assert.deepEqual(heartbeat(task), { cancelRequested: false, activityPaused: true, activityReset: false });
    fail(task);
    advance(60_000);
    assert.equal((await poll()).taskToken, undefined, 'no retry while paused');
    assert.equal(pending().state, PendingActivityState.PENDING_ACTIVITY_STATE_PAUSED);
    assert.equal(pending().attempt, 2, 'the failed attempt counts');
    ops.UnpauseActivity({ execution, unpauseAll: true, resetAttempts: true });
    const again = await poll();
    assert.equal(again.attempt, 1);
  });

  it('reset: a waiting activity starts over at attempt 1 at once; a running one hears of it and retries at 1', async () => {
    const first = await poll();
    fail(first); // attempt 2 waits out a one-second backoff
    assert.equal(pending().attempt, 2);
    ops.ResetActivity({ execution, id: 'a1' });
    const second = await poll();
    assert.equal(second.attempt, 1, 'dispatched again without waiting, at attempt 1');
    ops.ResetActivity({ execution, id: 'a1', resetHeartbeat: true });
    assert.equal(heartbeat(second).activityReset, true);
    fail(second);
    const third = await poll();
    assert.equal(third.attempt, 1, 'the reset attempt retried at 1, without backoff');
  });

  it('UpdateActivityOptions changes timeouts and the retry policy of a pending activity', () => {
    const r = ops.UpdateActivityOptions({
      execution,
      id: 'a1',
      activityOptions: { startToCloseTimeout: durationFromMs(5000), retryPolicy: { maximumAttempts: 3 } },
      updateMask: { paths: ['start_to_close_timeout', 'retryPolicy.maximumAttempts'] },
    });
    assert.equal(msFromDuration(r.activityOptions.startToCloseTimeout), 5000);
    assert.equal(r.activityOptions.retryPolicy.maximumAttempts, 3);
    assert.equal(msFromDuration(r.activityOptions.retryPolicy.initialInterval), 1000, 'unmasked fields are kept');
    assert.equal(msFromDuration(pending().activityOptions.startToCloseTimeout), 5000);
    const prioritized = ops.UpdateActivityOptions({ execution, id: 'a1', activityOptions: { priority: { priorityKey: 1, fairnessKey: 'k' } }, updateMask: { paths: ['priority.priority_key'] } });
    assert.deepEqual(prioritized.activityOptions.priority, { priorityKey: 1 }, 'only the masked field of the priority');
    assert.throws(() => ops.UpdateActivityOptions({ execution, id: 'a1', activityOptions: { priority: { priorityKey: -1 } }, updateMask: { paths: ['priority'] } }), /priority key can't be negative/);
    assert.throws(() => ops.UpdateActivityOptions({ execution, id: 'a1', activityOptions: {}, updateMask: { paths: ['start_delay'] } }), /cannot update start_delay/);
    assert.throws(() => ops.UpdateActivityOptions({ execution, id: 'a1', activityOptions: {} }), /UpdateMask is not set/);
  });

  it('refuses what Temporal refuses', () => {
    assert.throws(() => ops.PauseActivity({ execution }), /Either Activity.Id or Activity.Type should be set/);
    assert.throws(() => ops.PauseActivity({ execution, id: 'nope' }), rpcCode(5));
    assert.throws(() => ops.PauseActivity({ execution: {}, id: 'a1' }), /WorkflowId is not set/);
    ops.PauseActivity({ execution, id: 'a1', requestId: 'p1' });
    ops.PauseActivity({ execution, id: 'a1', requestId: 'p1' }); // the same request again: fine
    assert.throws(() => ops.PauseActivity({ execution, id: 'a1', requestId: 'p2' }), (err) => rpcCode(9)(err) && /already paused/.test(err.message));
    assert.throws(() => ops.UnpauseActivity({ execution, id: 'a1', jitter: durationFromMs(-1) }), /Jitter cannot be negative/);
  });
});
