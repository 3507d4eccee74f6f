// duraflow's AsyncCompletionClient (`client.activity`): an official worker runs an activity that
// records its task token and throws CompleteAsyncError; the test completes, fails, heartbeats and
// cancels it with duraflow's client, by task token and by id.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  ActivityCancelledError,
  ActivityCompletionError,
  ActivityNotFoundError,
  ApplicationFailure,
  Client,
  Connection,
} from 'duraflow/client';
import { asyncActivities } from '../fixtures/client/async-registry.js';
import { startEnv, uid } from '../fixtures/client/env.js';

const T = { timeout: 20_000 };

/** Waits (bounded) until the workflow's async activity has recorded its task token. */
async function recorded(workflowId, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const entry = asyncActivities.get(workflowId);
    if (entry) return entry;
    if (Date.now() > deadline) assert.fail(`activity of ${workflowId} never started`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('duraflow client: async activity completion', () => {
  let env;
  let client;
  const start = async (type, args = []) => {
    const workflowId = uid(type);
    const handle = await client.workflow.start(type, { taskQueue: env.taskQueue, workflowId, args });
    return { handle, activity: await recorded(workflowId) };
  };

  before(async () => {
    env = await startEnv();
    client = env.client;
  });
  after(async () => {
    await env?.stop();
  });

  it('heartbeat then complete by task token; completing twice → ActivityNotFoundError', T, async () => {
    const { handle, activity } = await start('asyncActivity', ['in']);
    assert.ok(activity.taskToken instanceof Uint8Array && activity.taskToken.length > 0);
    await client.activity.heartbeat(activity.taskToken, { progress: 50 });
    const pending = (await handle.describe()).raw.pendingActivities[0];
    assert.equal(pending.activityId, 'async-activity');
    const details = pending.heartbeatDetails.payloads.map((p) => JSON.parse(Buffer.from(p.data).toString()));
    assert.deepEqual(details, [{ progress: 50 }]);
    await client.activity.complete(activity.taskToken, { approved: true, by: 'ünïcødé 🚀' });
    assert.deepEqual(await handle.result(), { result: { approved: true, by: 'ünïcødé 🚀' } });
    await assert.rejects(client.activity.complete(activity.taskToken, 'again'), (err) => {
      assert.ok(err instanceof ActivityNotFoundError, `${err?.name}: ${err?.message}`);
      assert.match(err.message, /not found/);
      return true;
    });
  });

  it('heartbeat and complete by { workflowId, activityId } (with and without runId)', T, async () => {
    const { handle, activity } = await start('asyncActivity');
    await client.activity.heartbeat({ workflowId: handle.workflowId, runId: activity.runId, activityId: activity.activityId }, 'beat');
    await client.activity.complete({ workflowId: handle.workflowId, activityId: 'async-activity' }, 'by id');
    assert.deepEqual(await handle.result(), { result: 'by id' });
    await assert.rejects(client.activity.complete({ workflowId: uid('no-such'), activityId: 'x' }, 1), ActivityNotFoundError);
  });

  it('fail by task token: the workflow receives the ApplicationFailure with its details and cause chain', T, async () => {
    const { handle, activity } = await start('asyncActivity');
    const cause = new Error('disk full');
    const error = ApplicationFailure.create({ message: 'upload failed', type: 'UploadError', details: [{ file: 'a.txt' }, 3], nonRetryable: true, cause });
    await client.activity.fail(activity.taskToken, error);
    const { failure } = await handle.result();
    assert.equal(failure.name, 'ActivityFailure');
    assert.equal(failure.cause.name, 'ApplicationFailure');
    assert.equal(failure.cause.message, 'upload failed');
    assert.equal(failure.cause.type, 'UploadError');
    assert.deepEqual(failure.cause.details, [{ file: 'a.txt' }, 3]);
    assert.equal(failure.cause.nonRetryable, true);
    assert.equal(failure.cause.stack, error.stack);
    // A plain Error cause travels as a failure without info (as the official SDK encodes it).
    assert.equal(failure.cause.cause.message, 'disk full');
    assert.equal(failure.cause.cause.stack, cause.stack);
  });

  it('fail by id with a plain Error: converted to an ApplicationFailure of type Error', T, async () => {
    const { handle } = await start('asyncActivity');
    await client.activity.fail({ workflowId: handle.workflowId, activityId: 'async-activity' }, new TypeError('bad shape'));
    const { failure } = await handle.result();
    assert.equal(failure.cause.name, 'ApplicationFailure');
    assert.equal(failure.cause.message, 'bad shape');
    assert.equal(failure.cause.type, 'TypeError');
  });

  it('cancellation: heartbeat throws ActivityCancelledError, then reportCancellation reaches the workflow', T, async () => {
    const { handle, activity } = await start('cancellableAsyncActivity');
    await handle.signal('cancelActivity');
    const deadline = Date.now() + 10_000;
    let cancelled;
    while (!cancelled) {
      try {
        await client.activity.heartbeat(activity.taskToken);
      } catch (err) {
        if (!(err instanceof ActivityCancelledError)) throw err;
        cancelled = err;
      }
      if (!cancelled && Date.now() > deadline) assert.fail('the activity was never asked to cancel');
      if (!cancelled) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.match(cancelled.message, /Cancellation was requested/);
    await client.activity.reportCancellation(activity.taskToken, 'cleaned up');
    const { failure } = await handle.result();
    assert.equal(failure.name, 'ActivityFailure');
    assert.equal(failure.cause.name, 'CancelledFailure');
    assert.deepEqual(failure.cause.details, ['cleaned up']);
  });

  it('a malformed task token → ActivityCompletionError or ActivityNotFoundError naming the problem', T, async () => {
    await assert.rejects(client.activity.complete(new Uint8Array([1, 2, 3]), 'x'), (err) => {
      assert.ok(err instanceof ActivityCompletionError || err instanceof ActivityNotFoundError, `${err?.name}: ${err?.message}`);
      assert.ok(err.cause, 'keeps the gRPC error as cause');
      return true;
    });
  });
});

describe('duraflow client: async completion argument validation (before any RPC)', () => {
  const client = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1', interceptors: [] }) });

  it('names the bad argument', async () => {
    await assert.rejects(client.activity.complete('token', 1), /complete takes a task token \(Uint8Array\) or \{ workflowId, runId\?, activityId \}/);
    await assert.rejects(client.activity.fail({ workflowId: 'w' }, new Error('x')), /fail: activityId must be a non-empty string/);
    await assert.rejects(client.activity.heartbeat(new Uint8Array()), /heartbeat: the task token is empty/);
    await assert.rejects(client.activity.reportCancellation({ workflowId: '', activityId: 'a' }), /workflowId must be a non-empty string when given/);
  });
});
