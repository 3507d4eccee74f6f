// duraflow's ActivityWorker against the dev server, with the official worker running the
// workflows: results, failures (details, nonRetryable) reaching the workflow as ActivityFailure
// causes, server-side retries, heartbeat details carried to the next attempt, an unknown activity
// type, and asynchronous completion by task token.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { activityInfo, ApplicationFailure, CompleteAsyncError, heartbeat } from '../../dist/activity/index.js';
import { defaultPayloadConverter } from '../../dist/common/index.js';
import { startActivityEnv, waitFor } from '../fixtures/activity/env.js';

const T = { timeout: 60_000 };
const attempts = new Map();
const asyncTokens = new Map();

function countAttempt(key) {
  const n = (attempts.get(key) ?? 0) + 1;
  attempts.set(key, n);
  return n;
}

const activities = {
  async greet(name) {
    return `Hello, ${name}!`;
  },
  async describeSelf() {
    const info = activityInfo();
    return { activityType: info.activityType, attempt: info.attempt, workflowType: info.workflowType, isLocal: info.isLocal };
  },
  async rejectInput(key) {
    countAttempt(key);
    throw ApplicationFailure.nonRetryable('invalid order', 'ValidationError', { field: 'quantity' }, 7);
  },
  async flaky(key, failures) {
    const attempt = countAttempt(key);
    if (attempt <= failures) {
      class TransientGlitch extends Error {}
      throw new TransientGlitch(`glitch on attempt ${attempt}`);
    }
    return { attempt, serverAttempt: activityInfo().attempt };
  },
  async checkpointThenFail() {
    const info = activityInfo();
    if (info.attempt === 1) {
      heartbeat({ processed: 40 });
      throw new Error('crash after checkpoint');
    }
    return { attempt: info.attempt, resumedFrom: info.heartbeatDetails };
  },
  async completeLater(key) {
    asyncTokens.set(key, activityInfo().taskToken);
    throw new CompleteAsyncError();
  },
};

describe('ActivityWorker with the dev server: execution', () => {
  let env;
  before(async () => {
    env = await startActivityEnv({ activities });
  });
  after(async () => {
    await env?.stop();
  });

  it('runs an activity and returns its result to the workflow', T, async () => {
    const handle = await env.start('callActivity', ['greet', ['Ada']]);
    assert.deepEqual(await handle.result(), { ok: true, result: 'Hello, Ada!' });
  });

  it('gives the activity its Info', T, async () => {
    const handle = await env.start('callActivity', ['describeSelf', []]);
    const { result } = await handle.result();
    assert.deepEqual(result, { activityType: 'describeSelf', attempt: 1, workflowType: 'callActivity', isLocal: false });
  });

  it('a non-retryable ApplicationFailure reaches the workflow as the ActivityFailure cause, with its details', T, async () => {
    const key = 'reject-1';
    const handle = await env.start('callActivity', ['rejectInput', [key], { retry: { maximumAttempts: 5, initialInterval: '50ms' } }]);
    const summary = await handle.result();
    assert.equal(summary.ok, false);
    assert.equal(summary.isActivityFailure, true);
    assert.equal(summary.activityType, 'rejectInput');
    assert.deepEqual(summary.cause, {
      name: 'ApplicationFailure',
      message: 'invalid order',
      isApplicationFailure: true,
      isCancelledFailure: false,
      isTimeoutFailure: false,
      type: 'ValidationError',
      nonRetryable: true,
      details: [{ field: 'quantity' }, 7],
    });
    assert.equal(attempts.get(key), 1, 'a non-retryable failure is not retried');
  });

  it('plain errors are retried by the server until the activity succeeds', T, async () => {
    const key = 'flaky-1';
    const handle = await env.start('callActivity', ['flaky', [key, 2], { retry: { initialInterval: '50ms', backoffCoefficient: 1, maximumAttempts: 5 } }]);
    assert.deepEqual(await handle.result(), { ok: true, result: { attempt: 3, serverAttempt: 3 } });
  });

  it('when retries run out, the last plain error arrives typed by its class name', T, async () => {
    const key = 'flaky-2';
    const handle = await env.start('callActivity', ['flaky', [key, 10], { retry: { initialInterval: '50ms', backoffCoefficient: 1, maximumAttempts: 2 } }]);
    const summary = await handle.result();
    assert.equal(summary.ok, false);
    assert.equal(summary.cause.type, 'TransientGlitch');
    assert.equal(summary.cause.nonRetryable, false);
    assert.equal(summary.cause.message, 'glitch on attempt 2');
    assert.equal(attempts.get(key), 2);
  });

  it('heartbeat details of a failed attempt are visible to the next one', T, async () => {
    const handle = await env.start('callActivity', ['checkpointThenFail', [], { retry: { initialInterval: '50ms', maximumAttempts: 3 } }]);
    assert.deepEqual(await handle.result(), { ok: true, result: { attempt: 2, resumedFrom: { processed: 40 } } });
  });

  it('an unknown activity type fails with NotFoundError naming the registered activities', T, async () => {
    const handle = await env.start('callActivity', ['noSuchActivity', [], { retry: { maximumAttempts: 1 } }]);
    const summary = await handle.result();
    assert.equal(summary.ok, false);
    assert.equal(summary.cause.type, 'NotFoundError');
    assert.equal(
      summary.cause.message,
      `Activity function noSuchActivity is not registered on this Worker, available activities: ${JSON.stringify(Object.keys(activities))}`,
    );
  });

  it('CompleteAsyncError leaves the activity open until RespondActivityTaskCompleted by task token', T, async () => {
    const key = 'async-1';
    const handle = await env.start('callActivity', ['completeLater', [key]]);
    const taskToken = await waitFor('the activity to hand out its task token', () => asyncTokens.get(key));
    // The worker reported nothing: the activity is still pending.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const description = await handle.describe();
    assert.equal(description.raw.pendingActivities?.length, 1);
    await env.connection.workflowService.respondActivityTaskCompleted({
      namespace: 'default',
      taskToken,
      identity: 'async-completer',
      result: { payloads: [defaultPayloadConverter.toPayload('completed from outside')] },
    });
    assert.deepEqual(await handle.result(), { ok: true, result: 'completed from outside' });
  });
});
