// The activity Context: current() through AsyncLocalStorage, the shortcut functions, heartbeats,
// cancellation (promise, AbortSignal, details, cancellation-aware sleep) and the logger.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ActivityCancellationDetails,
  activityInfo,
  CancelledFailure,
  cancellationDetails,
  cancellationSignal,
  cancelled,
  Context,
  heartbeat,
  log,
  sleep,
} from '../../../dist/activity/index.js';
import { createActivityContext } from '../../../dist/activity/context.js';
import { DefaultLogger } from '../../../dist/common/logger.js';
import { IllegalStateError } from '../../../dist/common/index.js';

function makeInfo(overrides = {}) {
  return {
    taskToken: new Uint8Array([1, 2, 3]),
    base64TaskToken: 'AQID',
    activityId: 'a1',
    activityType: 'doWork',
    activityNamespace: 'default',
    namespace: 'default',
    attempt: 1,
    isLocal: false,
    inWorkflow: true,
    workflowExecution: { workflowId: 'wf', runId: 'run' },
    workflowType: 'wfType',
    taskQueue: 'tq',
    scheduledTimestampMs: 1,
    currentAttemptScheduledTimestampMs: 1,
    scheduleToCloseTimeoutMs: 0,
    startToCloseTimeoutMs: 10_000,
    heartbeatTimeoutMs: undefined,
    heartbeatDetails: undefined,
    ...overrides,
  };
}

function makeContext({ info = makeInfo(), heartbeats = [], entries = [] } = {}) {
  const logger = new DefaultLogger('TRACE', (entry) => entries.push(entry));
  const handle = createActivityContext({ info, heartbeat: (d) => heartbeats.push(d), logger });
  return { handle, heartbeats, entries };
}

const OUTSIDE = /Activity context not initialized.*may only be called while an activity is executing/;

describe('activity context outside an activity', () => {
  it('Context.current() throws an IllegalStateError naming the problem', () => {
    assert.throws(() => Context.current(), (err) => err instanceof IllegalStateError && OUTSIDE.test(err.message));
  });

  it('every shortcut throws the same error', () => {
    for (const call of [activityInfo, () => heartbeat(1), () => sleep(1), cancelled, cancellationSignal, cancellationDetails, () => log.info('x')]) {
      assert.throws(call, OUTSIDE);
    }
  });

  it('the context is gone again after run() returns', async () => {
    const { handle } = makeContext();
    await handle.run(async () => {
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(Context.current(), handle.context);
    });
    assert.throws(() => Context.current(), OUTSIDE);
  });
});

describe('activity context inside an activity', () => {
  it('current(), activityInfo() and heartbeat() reach the running activity across awaits', async () => {
    const { handle, heartbeats } = makeContext({ info: makeInfo({ activityId: 'x-7', heartbeatDetails: { step: 3 } }) });
    const result = await handle.run(async () => {
      await Promise.resolve();
      heartbeat({ step: 4 });
      await new Promise((resolve) => setTimeout(resolve, 1));
      Context.current().heartbeat();
      return activityInfo();
    });
    assert.equal(result.activityId, 'x-7');
    assert.deepEqual(result.heartbeatDetails, { step: 3 });
    assert.deepEqual(heartbeats, [{ step: 4 }, undefined]);
  });

  it('two activities running at once each see their own context', async () => {
    const a = makeContext({ info: makeInfo({ activityId: 'A' }) }).handle;
    const b = makeContext({ info: makeInfo({ activityId: 'B' }) }).handle;
    const ids = await Promise.all([
      a.run(async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        return activityInfo().activityId;
      }),
      b.run(async () => activityInfo().activityId),
    ]);
    assert.deepEqual(ids, ['A', 'B']);
  });

  it('log and Context.log write through the context logger', async () => {
    const { handle, entries } = makeContext();
    await handle.run(async () => {
      log.info('hello', { n: 1 });
      Context.current().log.warn('careful');
    });
    assert.deepEqual(
      entries.map((e) => [e.level, e.message, e.meta]),
      [
        ['INFO', 'hello', { n: 1 }],
        ['WARN', 'careful', undefined],
      ],
    );
  });
});

describe('activity cancellation', () => {
  it('cancel() aborts the signal and rejects cancelled with CancelledFailure(reason)', async () => {
    const { handle } = makeContext();
    const { context } = handle;
    assert.equal(context.cancellationSignal.aborted, false);
    assert.equal(context.cancellationDetails, undefined);
    assert.equal(handle.cancel('CANCELLED', new ActivityCancellationDetails({ cancelRequested: true, paused: true })), true);
    assert.equal(context.cancellationSignal.aborted, true);
    assert.ok(context.cancellationSignal.reason instanceof CancelledFailure);
    assert.equal(context.cancellationSignal.reason.message, 'CANCELLED');
    await assert.rejects(context.cancelled, (err) => err instanceof CancelledFailure && err.message === 'CANCELLED');
    assert.equal(context.cancellationDetails.cancelRequested, true);
    assert.equal(context.cancellationDetails.paused, true);
    assert.equal(handle.cancelReason, 'CANCELLED');
  });

  it('only the first cancellation counts', async () => {
    const { handle } = makeContext();
    handle.cancel('WORKER_SHUTDOWN');
    assert.equal(handle.cancel('NOT_FOUND'), false);
    assert.equal(handle.cancelReason, 'WORKER_SHUTDOWN');
    assert.equal(handle.context.cancellationDetails.workerShutdown, true);
    assert.equal(handle.context.cancellationDetails.notFound, false);
    await assert.rejects(handle.context.cancelled, /WORKER_SHUTDOWN/);
  });

  it('the shortcut functions expose the same promise, signal and details', async () => {
    const { handle } = makeContext();
    await handle.run(async () => {
      assert.equal(cancelled(), handle.context.cancelled);
      assert.equal(cancellationSignal(), handle.context.cancellationSignal);
      handle.cancel('NOT_FOUND');
      assert.equal(cancellationDetails().notFound, true);
    });
  });

  it('an ignored cancelled promise causes no unhandled rejection', async () => {
    const unhandled = [];
    const onUnhandled = (reason) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const { handle } = makeContext();
      handle.cancel('CANCELLED');
      await new Promise((resolve) => setTimeout(resolve, 10));
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    assert.deepEqual(unhandled, []);
  });

  it('fromReason sets exactly the flag of the reason', () => {
    const d = ActivityCancellationDetails.fromReason('TIMED_OUT');
    assert.deepEqual({ ...d }, { notFound: false, cancelRequested: false, paused: false, timedOut: true, workerShutdown: false, reset: false });
  });
});

describe('cancellation-aware sleep', () => {
  it('resolves after the duration (number or ms string)', async () => {
    const { handle } = makeContext();
    await handle.run(async () => {
      await sleep(1);
      await sleep('2ms');
      await Context.current().sleep(0);
    });
  });

  it('rejects with the CancelledFailure as soon as the activity is cancelled', async () => {
    const { handle } = makeContext();
    const sleeping = handle.run(() => sleep('1 hour'));
    setTimeout(() => handle.cancel('CANCELLED'), 5);
    await assert.rejects(sleeping, (err) => err instanceof CancelledFailure && err.message === 'CANCELLED');
  });

  it('rejects at once when already cancelled', async () => {
    const { handle } = makeContext();
    handle.cancel('TIMED_OUT');
    await assert.rejects(handle.context.sleep(10_000), /TIMED_OUT/);
  });

  it('rejects an invalid duration', async () => {
    const { handle } = makeContext();
    await assert.rejects(handle.context.sleep('soon'), /soon/);
  });
});
