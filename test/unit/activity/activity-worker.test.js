// ActivityWorker against a scripted WorkflowService: what it reports for each way an activity
// ends, heartbeats and the cancellations they bring, local timeouts, slots, poll errors, shutdown,
// interceptors and option validation.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  activityInfo,
  ApplicationFailure,
  CancelledFailure,
  cancellationDetails,
  cancelled,
  CompleteAsyncError,
  Context,
  heartbeat,
  log,
  sleep,
} from '../../../dist/activity/index.js';
import { DefaultLogger } from '../../../dist/common/logger.js';
import { defaultFailureConverter, defaultPayloadConverter } from '../../../dist/common/index.js';
import { ActivityWorker } from '../../../dist/worker/activity/index.js';
import { decodeFirst, fakeConnection, grpcError, makeTask } from './helpers/fake-service.js';

const NOT_FOUND = 5;
const UNAVAILABLE = 14;
const T = { timeout: 10_000 };

function startWorker(activities, options = {}) {
  const fake = fakeConnection();
  const entries = [];
  const worker = new ActivityWorker({
    connection: fake.connection,
    taskQueue: 'tq',
    identity: 'test-worker',
    activities,
    logger: new DefaultLogger('TRACE', (e) => entries.push(e)),
    ...options,
  });
  const running = worker.run();
  return { worker, running, entries, ...fake };
}

const sleepMs = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const decodeFailure = (failure) => defaultFailureConverter.failureToError(failure, defaultPayloadConverter);

describe('ActivityWorker: outcomes', () => {
  it('runs the activity with decoded args and reports the encoded result', T, async () => {
    const { worker, running, state, push } = startWorker({ greet: async (name, punct) => `Hello, ${name}${punct}` });
    push(makeTask('1', 'greet', ['Ada', '!']));
    await state.waitFor((s) => s.completed.length === 1);
    const [req] = state.completed;
    assert.equal(decodeFirst(req.result), 'Hello, Ada!');
    assert.equal(Buffer.from(req.taskToken).toString(), 'token-1');
    assert.equal(req.identity, 'test-worker');
    assert.equal(req.namespace, 'default');
    assert.equal(state.lastPollRequest.taskQueue.name, 'tq');
    await worker.shutdown();
    await running;
    assert.equal(worker.inFlight, 0);
  });

  it('fills Info from the task', T, async () => {
    let seen;
    const { worker, running, state, push } = startWorker({
      inspect: async () => {
        seen = activityInfo();
      },
    });
    push(
      makeTask('7', 'inspect', [], {
        attempt: 3,
        heartbeatTimeout: { seconds: 2, nanos: 0 },
        heartbeatDetails: { payloads: [defaultPayloadConverter.toPayload({ resumeAt: 42 })] },
        retryPolicy: { initialInterval: { seconds: 1, nanos: 0 }, backoffCoefficient: 2, maximumAttempts: 5 },
      }),
    );
    await state.waitFor((s) => s.completed.length === 1);
    await worker.shutdown();
    await running;
    assert.equal(seen.activityId, '7');
    assert.equal(seen.activityType, 'inspect');
    assert.equal(seen.attempt, 3);
    assert.equal(seen.heartbeatTimeoutMs, 2000);
    assert.equal(seen.startToCloseTimeoutMs, 10_000);
    assert.equal(seen.scheduledTimestampMs, 1_700_000_000_000);
    assert.deepEqual(seen.heartbeatDetails, { resumeAt: 42 });
    assert.deepEqual(seen.workflowExecution, { workflowId: 'wf-7', runId: 'run-1' });
    assert.equal(seen.workflowType, 'wfType');
    assert.equal(seen.taskQueue, 'tq');
    assert.equal(seen.isLocal, false);
    assert.equal(seen.base64TaskToken, Buffer.from('token-7').toString('base64'));
    assert.equal(seen.retryPolicy.maximumAttempts, 5);
  });

  it('reports a thrown error as a failure carrying the last heartbeat details', T, async () => {
    const { worker, running, state, push } = startWorker({
      fails: async () => {
        heartbeat('checkpoint-1');
        heartbeat('checkpoint-2');
        throw ApplicationFailure.nonRetryable('bad input', 'Validation', { field: 'x' });
      },
    });
    push(makeTask('1', 'fails'));
    await state.waitFor((s) => s.failed.length === 1);
    const [req] = state.failed;
    const error = decodeFailure(req.failure);
    assert.ok(error instanceof ApplicationFailure);
    assert.equal(error.type, 'Validation');
    assert.equal(error.nonRetryable, true);
    assert.deepEqual(error.details, [{ field: 'x' }]);
    assert.equal(decodeFirst(req.lastHeartbeatDetails), 'checkpoint-2');
    await worker.shutdown();
    await running;
  });

  it('fails an unknown activity type with the official NotFoundError message (non-functions are not registered)', T, async () => {
    const { worker, running, state, push } = startWorker({ a: async () => 1, VERSION: 3, b: async () => 2 });
    push(makeTask('1', 'nope'));
    await state.waitFor((s) => s.failed.length === 1);
    const { failure } = state.failed[0];
    assert.equal(failure.message, 'Activity function nope is not registered on this Worker, available activities: ["a","b"]');
    assert.equal(failure.applicationFailureInfo.type, 'NotFoundError');
    assert.equal(failure.applicationFailureInfo.nonRetryable, false);
    await worker.shutdown();
    await running;
  });

  it('runs the `default` activity for unregistered types', T, async () => {
    const { worker, running, state, push } = startWorker({ default: async () => `ran ${activityInfo().activityType}` });
    push(makeTask('1', 'anything'));
    await state.waitFor((s) => s.completed.length === 1);
    assert.equal(decodeFirst(state.completed[0].result), 'ran anything');
    await worker.shutdown();
    await running;
  });

  it('reports nothing for CompleteAsyncError', T, async () => {
    let threw = false;
    const { worker, running, state, push } = startWorker({
      later: async () => {
        threw = true;
        throw new CompleteAsyncError();
      },
      now: async () => 'done',
    });
    push(makeTask('1', 'later'));
    push(makeTask('2', 'now'));
    await state.waitFor((s) => s.completed.length === 1);
    await worker.shutdown();
    await running;
    assert.equal(threw, true);
    assert.deepEqual(state.completed.map((r) => Buffer.from(r.taskToken).toString()), ['token-2']);
    assert.equal(state.failed.length + state.canceled.length, 0);
  });

  it('fails the task when the result cannot be converted', T, async () => {
    const { worker, running, state, push } = startWorker({ big: async () => 10n });
    push(makeTask('1', 'big'));
    await state.waitFor((s) => s.failed.length === 1);
    assert.equal(state.failed[0].failure.applicationFailureInfo.type, 'ValueError');
    await worker.shutdown();
    await running;
  });
});

describe('ActivityWorker: heartbeats and cancellation', () => {
  it('sends the first heartbeat at once with encoded details', T, async () => {
    let release;
    const { worker, running, state, push } = startWorker({
      beat: async () => {
        heartbeat({ progress: 1 });
        await new Promise((resolve) => (release = resolve));
      },
    });
    push(makeTask('1', 'beat'));
    await state.waitFor((s) => s.heartbeats.length === 1);
    assert.deepEqual(decodeFirst(state.heartbeats[0].details), { progress: 1 });
    assert.equal(state.heartbeats[0].identity, 'test-worker');
    release();
    await state.waitFor((s) => s.completed.length === 1);
    await worker.shutdown();
    await running;
  });

  it('a cancel request in a heartbeat response cancels the activity; it is reported as cancelled', T, async () => {
    let reason;
    const { worker, running, state, push } = startWorker({
      waits: async () => {
        heartbeat();
        try {
          await cancelled();
        } catch (err) {
          reason = err.message;
          assert.equal(Context.current().cancellationSignal.aborted, true);
          assert.equal(cancellationDetails().cancelRequested, true);
          throw new CancelledFailure(err.message, ['cleanup done']);
        }
      },
    });
    state.heartbeatResponder = () => ({ cancelRequested: true });
    push(makeTask('1', 'waits'));
    await state.waitFor((s) => s.canceled.length === 1);
    assert.equal(reason, 'CANCELLED');
    assert.equal(decodeFirst(state.canceled[0].details), 'cleanup done');
    assert.equal(state.failed.length, 0);
    await worker.shutdown();
    await running;
  });

  it('an activity that completes despite the cancel request is reported as completed', T, async () => {
    const { worker, running, state, push } = startWorker({
      stubborn: async () => {
        heartbeat();
        await cancelled().catch(() => undefined);
        return 'finished anyway';
      },
    });
    state.heartbeatResponder = () => ({ cancelRequested: true });
    push(makeTask('1', 'stubborn'));
    await state.waitFor((s) => s.completed.length === 1);
    assert.equal(decodeFirst(state.completed[0].result), 'finished anyway');
    await worker.shutdown();
    await running;
  });

  it('NOT_FOUND on heartbeat cancels with NOT_FOUND and reports nothing', T, async () => {
    let details;
    const { worker, running, state, push } = startWorker({
      gone: async () => {
        heartbeat();
        await sleep('1 minute').catch((err) => {
          details = cancellationDetails();
          throw err;
        });
      },
    });
    state.heartbeatResponder = () => {
      throw grpcError(NOT_FOUND, 'activity not found');
    };
    push(makeTask('1', 'gone'));
    await state.waitFor((s) => s.heartbeats.length === 1);
    await worker.shutdown('5s');
    await running;
    assert.equal(details.notFound, true);
    assert.equal(state.completed.length + state.failed.length + state.canceled.length, 0);
  });

  it('paused (reported by heartbeat) → failure of type ActivityPause', T, async () => {
    const { worker, running, state, push } = startWorker({
      pausable: async () => {
        heartbeat();
        await cancelled();
      },
    });
    state.heartbeatResponder = () => ({ activityPaused: true });
    push(makeTask('1', 'pausable'));
    await state.waitFor((s) => s.failed.length === 1);
    assert.equal(state.failed[0].failure.applicationFailureInfo.type, 'ActivityPause');
    await worker.shutdown();
    await running;
  });

  it('heartbeat details that cannot be converted cancel the activity', T, async () => {
    const { worker, running, state, push } = startWorker({
      badBeat: async () => {
        heartbeat(10n);
        await cancelled();
      },
    });
    push(makeTask('1', 'badBeat'));
    await state.waitFor((s) => s.failed.length === 1);
    assert.equal(state.failed[0].failure.message, 'HEARTBEAT_DETAILS_CONVERSION_FAILED');
    assert.equal(state.heartbeats.length, 0);
    await worker.shutdown();
    await running;
  });

  it('times an activity out locally after its heartbeat timeout (plus buffer) and reports nothing', T, async () => {
    let reason;
    const { worker, running, state, push } = startWorker(
      {
        silent: async () => {
          await cancelled().catch((err) => {
            reason = err.message;
            throw err;
          });
        },
      },
      { localTimeoutBuffer: 0 },
    );
    push(makeTask('1', 'silent', [], { heartbeatTimeout: { seconds: 0, nanos: 50_000_000 } }));
    await new Promise((resolve) => {
      const check = () => (worker.inFlight === 0 && reason ? resolve() : setTimeout(check, 10));
      setTimeout(check, 10);
    });
    assert.equal(reason, 'TIMED_OUT');
    assert.equal(state.completed.length + state.failed.length + state.canceled.length, 0);
    await worker.shutdown();
    await running;
  });
});

describe('ActivityWorker: slots, polling and shutdown', () => {
  it('never runs more activities than maxConcurrentActivityTaskExecutions', T, async () => {
    let running = 0;
    let peak = 0;
    const releases = [];
    const w = startWorker(
      {
        hold: async () => {
          running++;
          peak = Math.max(peak, running);
          await new Promise((resolve) => releases.push(resolve));
          running--;
        },
      },
      { maxConcurrentActivityTaskExecutions: 2 },
    );
    for (let i = 0; i < 4; i++) w.push(makeTask(String(i), 'hold'));
    while (releases.length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(w.worker.inFlight, 2);
    assert.equal(w.state.polls, 2, 'no poll while every slot is busy');
    while (w.state.completed.length < 4) {
      releases.shift()?.();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    assert.equal(peak, 2);
    await w.worker.shutdown();
    await w.running;
  });

  it('keeps polling through UNAVAILABLE errors (server restart)', T, async () => {
    const { worker, running, state, push, entries } = startWorker({ ok: async () => 'ok' }, { maxConcurrentActivityTaskPolls: 1 });
    state.pollErrors.push(grpcError(UNAVAILABLE, 'connection refused'), grpcError(UNAVAILABLE, 'connection refused'));
    push(makeTask('1', 'ok'));
    await state.waitFor((s) => s.completed.length === 1);
    assert.ok(state.polls >= 3);
    assert.ok(entries.some((e) => e.level === 'WARN' && /poll failed \(UNAVAILABLE\)/.test(e.message)));
    assert.equal(worker.isShuttingDown, false);
    await worker.shutdown();
    await running;
  });

  it('a non-transient poll error that persists past the grace period stops the worker; run() rejects with it', T, async () => {
    // A clock whose time jumps 30 s per reading and whose timers fire at once.
    let now = 0;
    const clock = {
      now: () => (now += 30_000),
      setTimeout: (fn) => setTimeout(fn, 0),
      clearTimeout: (h) => clearTimeout(h),
    };
    const fake = fakeConnection();
    const entries = [];
    const worker = new ActivityWorker(
      {
        connection: fake.connection,
        taskQueue: 'tq',
        activities: {},
        maxConcurrentActivityTaskPolls: 1,
        logger: new DefaultLogger('TRACE', (e) => entries.push(e)),
      },
      clock,
    );
    const denied = grpcError(7, 'permission denied');
    fake.state.pollErrors.push(denied, denied, denied, denied, denied);
    await assert.rejects(worker.run(), (err) => err === denied);
    assert.equal(worker.isShuttingDown, true);
    assert.ok(entries.some((e) => e.level === 'ERROR' && /polling failed fatally \(PERMISSION_DENIED\)/.test(e.message)));
  });

  it('shutdown waits for activities within the grace time', T, async () => {
    const { worker, running, state, push } = startWorker({
      quick: async () => {
        await sleep(30);
        return 'made it';
      },
    });
    push(makeTask('1', 'quick'));
    await new Promise((resolve) => setTimeout(resolve, 5));
    await worker.shutdown('10s');
    await running;
    assert.equal(decodeFirst(state.completed[0].result), 'made it');
  });

  it("after the grace time, activities get CancelledFailure('WORKER_SHUTDOWN') and are reported as WorkerShutdown failures", T, async () => {
    let seen;
    const { worker, running, state, push } = startWorker({
      long: async () => {
        heartbeat('half way');
        try {
          await sleep('1 hour');
        } catch (err) {
          seen = { message: err.message, isCancelled: err instanceof CancelledFailure, workerShutdown: cancellationDetails().workerShutdown };
          throw err;
        }
      },
    });
    push(makeTask('1', 'long'));
    await state.waitFor((s) => s.heartbeats.length === 1);
    await worker.shutdown(20);
    await running;
    assert.deepEqual(seen, { message: 'WORKER_SHUTDOWN', isCancelled: true, workerShutdown: true });
    const [req] = state.failed;
    assert.equal(req.failure.applicationFailureInfo.type, 'WorkerShutdown');
    assert.equal(req.failure.applicationFailureInfo.nonRetryable, false);
    assert.equal(decodeFirst(req.lastHeartbeatDetails), 'half way');
    assert.equal(state.canceled.length, 0);
  });

  it('shutdown before run() returns at once; run() then ends immediately', T, async () => {
    const fake = fakeConnection();
    const worker = new ActivityWorker({ connection: fake.connection, taskQueue: 'tq', activities: {}, logger: new DefaultLogger('ERROR') });
    await worker.shutdown();
    await worker.run();
    assert.equal(fake.state.polls, 0);
  });

  it('run() may be called only once', T, async () => {
    const { worker, running } = startWorker({});
    await assert.rejects(worker.run(), /may be called only once/);
    await worker.shutdown();
    await running;
  });
});

describe('ActivityWorker: eager activity slots', () => {
  it('reserves free slots only, runs eager tasks in them, and gives unused reservations back', T, async () => {
    const releases = [];
    const w = startWorker(
      { hold: () => new Promise((resolve) => releases.push(resolve)) },
      { maxConcurrentActivityTaskExecutions: 3, maxConcurrentActivityTaskPolls: 1 },
    );
    await w.state.waitFor((s) => s.polls === 1);
    // The waiting poll holds one slot: two are free.
    assert.equal(w.worker.tryReserveEagerSlot(), true);
    assert.equal(w.worker.tryReserveEagerSlot(), true);
    assert.equal(w.worker.tryReserveEagerSlot(), false, 'no slot left');
    w.worker.executeEager(makeTask('e1', 'hold'));
    w.worker.releaseEagerSlots(1);
    assert.equal(w.worker.tryReserveEagerSlot(), true, 'the released slot is free again');
    w.worker.releaseEagerSlots(1);
    while (releases.length < 1) await sleepMs(5);
    assert.equal(w.worker.inFlight, 1);
    releases.shift()();
    await w.state.waitFor((s) => s.completed.length === 1);
    assert.equal(w.state.completed[0].taskToken.toString(), 'token-e1');
    await w.worker.shutdown();
    await w.running;
  });

  it('shutdown refuses new reservations and waits for a reserved slot to be settled', T, async () => {
    const w = startWorker({ ok: async () => 'done' }, { maxConcurrentActivityTaskPolls: 1 });
    await w.state.waitFor((s) => s.polls === 1);
    assert.equal(w.worker.tryReserveEagerSlot(), true);
    let drained = false;
    const shutdown = w.worker.shutdown('10s').then(() => (drained = true));
    assert.equal(w.worker.tryReserveEagerSlot(), false, 'no reservations while shutting down');
    await sleepMs(20);
    assert.equal(drained, false, 'a reservation may still bring a task');
    w.worker.executeEager(makeTask('e1', 'ok'));
    await shutdown;
    await w.running;
    assert.equal(decodeFirst(w.state.completed[0].result), 'done');
  });

  it('a task beyond the reservations still runs, with a warning', T, async () => {
    const w = startWorker({ ok: async () => 'extra' }, { maxConcurrentActivityTaskPolls: 1 });
    w.worker.executeEager(makeTask('e1', 'ok'));
    await w.state.waitFor((s) => s.completed.length === 1);
    assert.ok(w.entries.some((e) => e.level === 'WARN' && /more eager activity tasks than slots were reserved/.test(e.message)));
    await w.worker.shutdown();
    await w.running;
  });
});

describe('ActivityWorker: interceptors and logging', () => {
  it('inbound interceptors wrap execution (first outermost); outbound ones add log attributes', T, async () => {
    const order = [];
    const interceptor = (name) => (ctx) => ({
      inbound: {
        async execute(input, next) {
          order.push(`${name}:${ctx.info.activityType}`);
          return `${name}(${await next({ ...input, args: [...input.args, name] })})`;
        },
      },
      outbound: { getLogAttributes: (attrs, next) => next({ ...attrs, [name]: true }) },
    });
    const { worker, running, state, push, entries } = startWorker(
      {
        echo: async (...args) => {
          log.info('inside', { extra: 1 });
          return args.join('+');
        },
      },
      { interceptors: [interceptor('outer'), interceptor('inner')] },
    );
    push(makeTask('1', 'echo', ['x']));
    await state.waitFor((s) => s.completed.length === 1);
    await worker.shutdown();
    await running;
    assert.equal(decodeFirst(state.completed[0].result), 'outer(inner(x+outer+inner))');
    assert.deepEqual(order, ['outer:echo', 'inner:echo']);
    const inside = entries.find((e) => e.message === 'inside');
    assert.equal(inside.meta.sdkComponent, 'activity');
    assert.equal(inside.meta.activityType, 'echo');
    assert.equal(inside.meta.workflowId, 'wf-1');
    assert.equal(inside.meta.outer, true);
    assert.equal(inside.meta.inner, true);
    assert.equal(inside.meta.extra, 1);
  });
});

describe('ActivityWorker: option validation', () => {
  const fake = () => fakeConnection().connection;
  const cases = [
    [{ taskQueue: 'tq', activities: {} }, /needs a connection/],
    [{ connection: fake(), activities: {} }, /taskQueue must be a non-empty string/],
    [{ connection: fake(), taskQueue: 'tq' }, /activities must be an object/],
    [{ connection: fake(), taskQueue: 'tq', activities: {}, maxConcurrentActivityTaskExecutions: 0 }, /maxConcurrentActivityTaskExecutions must be a positive integer/],
    [{ connection: fake(), taskQueue: 'tq', activities: {}, maxConcurrentActivityTaskExecutions: 2, maxConcurrentActivityTaskPolls: 3 }, /may not exceed/],
    [{ connection: fake(), taskQueue: 'tq', activities: {}, maxHeartbeatThrottleInterval: 'often' }, /maxHeartbeatThrottleInterval is not a valid duration/],
    [{ connection: fake(), taskQueue: 'tq', activities: {}, defaultHeartbeatThrottleInterval: -5 }, /defaultHeartbeatThrottleInterval must be positive/],
    [{ connection: fake(), taskQueue: 'tq', activities: {}, logger: {} }, /logger must implement/],
    [{ connection: fake(), taskQueue: 'tq', activities: {}, dataConverter: {} }, /dataConverter must be a loaded data converter/],
    [{ connection: fake(), taskQueue: 'tq', activities: {}, interceptors: [1] }, /interceptors must be an array/],
  ];
  for (const [options, message] of cases) {
    it(`rejects ${message.source}`, () => {
      assert.throws(() => new ActivityWorker(options), (err) => err instanceof TypeError && message.test(err.message));
    });
  }

  it('rejects a negative shutdown grace time', async () => {
    const worker = new ActivityWorker({ connection: fake(), taskQueue: 'tq', activities: {} });
    await assert.rejects(worker.shutdown(-1), /graceTime must be zero or more/);
    await assert.rejects(worker.shutdown('soon'), /Invalid duration/);
  });
});
