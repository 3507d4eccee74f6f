// duraflow's ActivityWorker against the dev server, with the official worker running the
// workflows: cancellation delivered through heartbeats (WAIT_CANCELLATION_COMPLETED), heartbeat
// timeouts (server-side TimeoutFailure with the last details, and the worker's local TIMED_OUT),
// NOT_FOUND after the workflow closed, and graceful shutdown (CancelledFailure('WORKER_SHUTDOWN'),
// reported as a retryable failure that another worker then retries).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { activityInfo, cancellationDetails, cancellationSignal, cancelled, CancelledFailure, heartbeat, sleep } from '../../dist/activity/index.js';
import { startActivityEnv, uid, waitFor } from '../fixtures/activity/env.js';

const T = { timeout: 60_000 };
const started = new Map();
const seen = new Map();

const activities = {
  async heartbeatUntilCancelled(key) {
    const signal = cancellationSignal();
    started.set(key, true);
    while (!signal.aborted) {
      heartbeat('beating');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    seen.set(key, { reason: signal.reason.message, details: { ...cancellationDetails() } });
    throw new CancelledFailure(signal.reason.message, ['cleaned up']);
  },
  async goSilent(key) {
    heartbeat('last-beat');
    try {
      await cancelled();
    } catch (err) {
      seen.set(key, { reason: err.message, details: { ...cancellationDetails() } });
      throw err;
    }
  },
  async shutdownVictim(key) {
    const info = activityInfo();
    if (info.attempt > 1) return { attempt: info.attempt, heartbeatDetails: info.heartbeatDetails };
    heartbeat('attempt-1 progress');
    started.set(key, true);
    try {
      await sleep('1 minute');
    } catch (err) {
      seen.set(key, { reason: err.message, isCancelledFailure: err instanceof CancelledFailure, workerShutdown: cancellationDetails().workerShutdown });
      throw err;
    }
    return 'not reached';
  },
  async finishesWithinGrace(key) {
    started.set(key, true);
    await sleep(300);
    return 'finished during shutdown';
  },
};

describe('ActivityWorker with the dev server: cancellation, timeouts and shutdown', () => {
  let env;
  before(async () => {
    env = await startActivityEnv({ activities });
  });
  after(async () => {
    await env?.stop();
  });

  it('a cancel requested by the workflow reaches a heartbeating activity; the workflow sees the cancellation', T, async () => {
    const key = 'cancel-1';
    const handle = await env.start('cancelActivityOnSignal', ['heartbeatUntilCancelled', [key], { heartbeatTimeout: '1s', retry: { maximumAttempts: 1 } }]);
    await waitFor('the activity to start', () => started.get(key));
    await handle.signal('cancelActivity');
    const summary = await handle.result();
    assert.equal(summary.ok, false);
    assert.equal(summary.isCancellation, true);
    assert.equal(summary.cause.isCancelledFailure, true);
    assert.deepEqual(summary.cause.details, ['cleaned up']);
    assert.equal(seen.get(key).reason, 'CANCELLED');
    assert.equal(seen.get(key).details.cancelRequested, true);
    const events = (await handle.fetchHistory()).events.map((e) => e.eventType);
    const { EventType } = (await import('@temporalio/proto')).default.temporal.api.enums.v1;
    assert.ok(events.includes(EventType.EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED));
    assert.ok(events.includes(EventType.EVENT_TYPE_ACTIVITY_TASK_CANCELED), 'the worker reported the cancellation');
  });

  it('an activity that stops heartbeating times out with its last details; the worker cancels it locally', T, async () => {
    const key = 'silent-1';
    const handle = await env.start('callActivity', ['goSilent', [key], { heartbeatTimeout: '1s', retry: { maximumAttempts: 1 } }]);
    const summary = await handle.result();
    assert.equal(summary.ok, false);
    assert.equal(summary.cause.isTimeoutFailure, true);
    assert.equal(summary.cause.timeoutType, 'HEARTBEAT');
    assert.equal(summary.cause.lastHeartbeatDetails, 'last-beat');
    const local = await waitFor('the local timeout', () => seen.get(key));
    assert.equal(local.reason, 'TIMED_OUT');
    assert.equal(local.details.timedOut, true);
  });

  it('a heartbeat after the workflow closed gets NOT_FOUND, which cancels the activity', T, async () => {
    const key = 'orphan-1';
    const handle = await env.start('callActivity', ['heartbeatUntilCancelled', [key], { heartbeatTimeout: '1s', retry: { maximumAttempts: 1 } }]);
    await waitFor('the activity to start', () => started.get(key));
    await handle.terminate('test closes the workflow');
    const local = await waitFor('the activity to be cancelled', () => seen.get(key));
    assert.equal(local.reason, 'NOT_FOUND');
    assert.equal(local.details.notFound, true);
  });

  it('shutdown lets an activity finish within the grace time', T, async () => {
    const key = 'grace-1';
    const taskQueue = uid('grace-tq');
    const worker = env.startActivityWorker({ taskQueue });
    const handle = await env.start('callActivity', ['finishesWithinGrace', [key], { taskQueue }]);
    await waitFor('the activity to start', () => started.get(key));
    await worker.worker.shutdown('20s');
    await worker.running;
    assert.deepEqual(await handle.result(), { ok: true, result: 'finished during shutdown' });
  });

  it("after the grace time the activity gets CancelledFailure('WORKER_SHUTDOWN'); the server retries it on another worker", T, async () => {
    const key = 'shutdown-1';
    const taskQueue = uid('shutdown-tq');
    const first = env.startActivityWorker({ taskQueue });
    const handle = await env.start('callActivity', ['shutdownVictim', [key], { taskQueue, retry: { initialInterval: '50ms', maximumAttempts: 3 } }]);
    await waitFor('the activity to start', () => started.get(key));
    await first.worker.shutdown(100);
    await first.running;
    assert.deepEqual(seen.get(key), { reason: 'WORKER_SHUTDOWN', isCancelledFailure: true, workerShutdown: true });
    env.startActivityWorker({ taskQueue });
    assert.deepEqual(await handle.result(), { ok: true, result: { attempt: 2, heartbeatDetails: 'attempt-1 progress' } });
  });
});
