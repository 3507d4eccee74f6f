// duraflow/testing's MockActivityEnvironment: activity functions run in a real duraflow/activity
// context — heartbeats observed as events, cancellation delivered (AbortSignal, `cancelled`,
// cancellation-aware sleep, CancelledFailure), info defaults and overrides, interceptors, logger.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { activityInfo, cancellationDetails, cancellationSignal, cancelled, CancelledFailure, Context, heartbeat, log, sleep } from 'duraflow/activity';
import { DefaultLogger } from 'duraflow/worker';
import { MockActivityEnvironment, defaultActivityInfo } from 'duraflow/testing';

/** Resolves once `env` has emitted `count` heartbeats. */
function heartbeats(env, count) {
  const seen = [];
  return new Promise((resolve) => {
    env.on('heartbeat', (details) => {
      seen.push(details);
      if (seen.length === count) resolve(seen);
    });
  });
}

describe('MockActivityEnvironment', () => {
  it('runs the function with its arguments in an activity context and returns its result', async () => {
    const env = new MockActivityEnvironment();
    const result = await env.run(async (a, b) => {
      assert.equal(Context.current(), env.context);
      return `${a}+${b}=${a + b} on attempt ${activityInfo().attempt}`;
    }, 2, 3);
    assert.equal(result, '2+3=5 on attempt 1');
    assert.equal(await env.run((x) => x * 2, 21), 42, 'synchronous functions too');
    await assert.rejects(env.run(async () => {
      throw new Error('boom');
    }), /boom/);
    assert.throws(() => Context.current(), /Activity context not initialized/);
  });

  it("emits a 'heartbeat' event with the details of every heartbeat", async () => {
    const env = new MockActivityEnvironment();
    const events = [];
    env.on('heartbeat', (details) => events.push(details));
    await env.run(async () => {
      heartbeat(1);
      Context.current().heartbeat({ row: 2 });
      await Promise.resolve();
      heartbeat();
    });
    assert.deepEqual(events, [1, { row: 2 }, undefined]);
  });

  it('cancel() aborts the signal, rejects `cancelled` and a running sleep with CancelledFailure', async () => {
    const env = new MockActivityEnvironment();
    let signal;
    const started = heartbeats(env, 1);
    const running = env.run(async () => {
      signal = cancellationSignal();
      heartbeat('started');
      await sleep('1 hour');
      return 'not cancelled';
    });
    await started;
    assert.equal(signal.aborted, false);
    env.cancel();
    await assert.rejects(running, (error) => error instanceof CancelledFailure && error.message === 'CANCELLED');
    assert.equal(signal.aborted, true);
    assert.ok(signal.reason instanceof CancelledFailure);
    assert.equal(env.context.cancellationDetails.cancelRequested, true);
    await assert.rejects(env.context.cancelled, CancelledFailure);
  });

  it('delivers cancellation to an activity racing `cancelled` and to a fetch-style AbortSignal listener', async () => {
    const env = new MockActivityEnvironment();
    const aborted = [];
    const started = heartbeats(env, 1);
    const running = env.run(async () => {
      const signal = cancellationSignal();
      signal.addEventListener('abort', () => aborted.push(signal.reason.message));
      heartbeat();
      try {
        await cancelled();
      } catch (error) {
        return { caught: error.constructor.name, message: error.message, details: { ...cancellationDetails() } };
      }
    });
    await started;
    env.cancel('TIMED_OUT');
    const outcome = await running;
    assert.equal(outcome.caught, 'CancelledFailure');
    assert.equal(outcome.message, 'TIMED_OUT');
    assert.equal(outcome.details.timedOut, true);
    assert.equal(outcome.details.cancelRequested, false);
    assert.deepEqual(aborted, ['TIMED_OUT']);
    env.cancel('CANCELLED'); // later calls change nothing
    assert.equal(env.context.cancellationDetails.timedOut, true);
    await assert.rejects(env.run(() => sleep(10)), /TIMED_OUT/, 'activities run after cancel start cancelled');
  });

  it('uses the default activity info, with the given fields overriding it', async () => {
    const env = new MockActivityEnvironment({ attempt: 3, activityId: 'act-7', activityType: 'charge', heartbeatDetails: { row: 40 } });
    const info = await env.run(() => activityInfo());
    assert.equal(info.attempt, 3);
    assert.equal(info.activityId, 'act-7');
    assert.equal(info.activityType, 'charge');
    assert.deepEqual(info.heartbeatDetails, { row: 40 });
    assert.equal(info.taskQueue, defaultActivityInfo.taskQueue);
    assert.deepEqual(info.workflowExecution, defaultActivityInfo.workflowExecution);
    assert.equal(Buffer.from(info.taskToken).toString(), 'test');
    const plain = await new MockActivityEnvironment().run(() => activityInfo());
    assert.deepEqual(plain, defaultActivityInfo);
  });

  it('applies activity interceptors and logs through the given logger with activity attributes', async () => {
    const entries = [];
    const env = new MockActivityEnvironment(
      { activityType: 'double' },
      {
        logger: new DefaultLogger('INFO', (entry) => entries.push(entry)),
        interceptors: [
          (ctx) => ({
            inbound: {
              async execute(input, next) {
                return { wrapped: await next({ ...input, args: input.args.map((a) => a + 1) }), type: ctx.info.activityType };
              },
            },
            outbound: { getLogAttributes: (attrs, next) => next({ ...attrs, tenant: 'acme' }) },
          }),
        ],
      },
    );
    const result = await env.run(async (n) => {
      log.info('doubling', { n });
      return n * 2;
    }, 4);
    assert.deepEqual(result, { wrapped: 10, type: 'double' });
    const entry = entries.find((e) => e.message === 'doubling');
    assert.ok(entry, JSON.stringify(entries));
    assert.equal(entry.meta.n, 5);
    assert.equal(entry.meta.activityType, 'double');
    assert.equal(entry.meta.tenant, 'acme');
  });

  it('validates its arguments', async () => {
    assert.throws(() => new MockActivityEnvironment('info'), /info must be an object/);
    assert.throws(() => new MockActivityEnvironment({}, { interceptors: ['x'] }), /factory functions/);
    await assert.rejects(new MockActivityEnvironment().run('fn'), /needs an activity function/);
  });
});
