// duraflow's Worker (SES sandbox) against the dev server, driven by duraflow's Client: activities,
// timers, conditions, signals, queries, updates, cancellation, failure semantics, determinism,
// sandbox confinement, logging, and eviction with a one-run cache. Public subpaths only.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  ActivityFailure,
  ApplicationFailure,
  CancelledFailure,
  Client,
  Connection,
  WorkflowFailedError,
  WorkflowUpdateFailedError,
} from 'duraflow/client';
import { DefaultLogger, Worker } from 'duraflow/worker';
import { DevServer } from 'duraflow/server';
import * as activities from '../fixtures/worker/activities.js';

const workflowsPath = new URL('../fixtures/worker/workflows.js', import.meta.url).pathname;
const uid = (prefix) => `${prefix}-${randomUUID()}`;

/** Collects log entries so tests can check what the worker logged. */
function memoryLogger() {
  const entries = [];
  return { entries, logger: new DefaultLogger('DEBUG', (entry) => entries.push(entry)) };
}

async function startEnv(workerOptions = {}) {
  const server = await DevServer.start({ port: 0, logLevel: 'error' });
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection });
  const taskQueue = uid('worker-tq');
  const { entries, logger } = memoryLogger();
  const worker = await Worker.create({ connection, taskQueue, workflowsPath, activities, logger, ...workerOptions });
  const running = worker.run();
  return {
    server,
    client,
    worker,
    taskQueue,
    logs: entries,
    start: (fn, options = {}) => client.workflow.start(fn, { taskQueue, workflowId: uid(fn), ...options }),
    execute: (fn, options = {}) => client.workflow.execute(fn, { taskQueue, workflowId: uid(fn), ...options }),
    async stop() {
      worker.shutdown();
      await running;
      assert.equal(worker.getState(), 'STOPPED');
      await connection.close();
      await server.stop();
    },
  };
}

async function historyEvents(handle) {
  const history = await handle.fetchHistory();
  return history.events ?? [];
}

describe('Worker on the dev server', () => {
  let env;
  before(async () => {
    env = await startEnv();
  });
  after(async () => {
    await env?.stop();
  });

  it('runs a workflow with an activity to completion', async () => {
    assert.equal(await env.execute('greet', { args: ['Temporal'] }), 'Hello, Temporal!');
    assert.deepEqual(await env.execute('sequence', { args: [5] }), [0, 1, 2, 3, 4]);
  });

  it('AsyncLocalStorage values follow workflow code across awaits, nested, in parallel branches and exited', async () => {
    assert.deepEqual(await env.execute('contextFollows'), {
      outside: null,
      inside: {
        afterTimer: 'request-1',
        nested: ['request-1', 'other'],
        parallel: ['branch-1', 'branch-2'],
        exited: null,
        after: 'request-1',
      },
      afterRun: null,
    });
  });

  it('runs durable timers', async () => {
    const elapsed = await env.execute('sleeper', { args: [100] });
    assert.ok(elapsed >= 100, `workflow time advanced by ${elapsed} ms`);
  });

  it('handles signals, queries and validated updates', async () => {
    const handle = await env.start('order');
    assert.equal(await handle.query('status'), 'pending');
    await handle.signal('addItem', 'apple');
    await handle.signal('addItem', 'pear');
    assert.deepEqual(await handle.query('items'), ['apple', 'pear']);
    assert.equal(await handle.executeUpdate('setDiscount', { args: [10] }), 0);
    await assert.rejects(handle.executeUpdate('setDiscount', { args: [90] }), (err) => {
      assert.ok(err instanceof WorkflowUpdateFailedError);
      assert.match(err.cause?.message ?? '', /discount 90 out of range/);
      return true;
    });
    await assert.rejects(handle.query('nope'), /nope/);
    await handle.signal('approve');
    assert.deepEqual(await handle.result(), { status: 'approved', items: ['apple', 'pear'], discount: 10 });
  });

  it('fails the execution with an ApplicationFailure and its details', async () => {
    await assert.rejects(env.execute('failsWithApplicationFailure'), (err) => {
      assert.ok(err instanceof WorkflowFailedError);
      assert.ok(err.cause instanceof ApplicationFailure);
      assert.equal(err.cause.type, 'PaymentError');
      assert.equal(err.cause.nonRetryable, true);
      assert.deepEqual(err.cause.details, [{ code: 42 }]);
      return true;
    });
  });

  it('fails the execution when an activity failure propagates', async () => {
    await assert.rejects(env.execute('failingActivity'), (err) => {
      assert.ok(err instanceof WorkflowFailedError);
      assert.ok(err.cause instanceof ActivityFailure);
      assert.equal(err.cause.cause?.message, 'boom');
      return true;
    });
  });

  it('fails the workflow task (not the execution) on a plain error, and recovers once fixed', async () => {
    const handle = await env.start('failsUntilFixed', { workflowTaskTimeout: '1s' });
    let failedTask;
    for (let i = 0; i < 100 && !failedTask; i++) {
      failedTask = (await historyEvents(handle)).find((e) => e.workflowTaskFailedEventAttributes);
      if (!failedTask) await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(failedTask, 'a WorkflowTaskFailed event was recorded');
    assert.match(failedTask.workflowTaskFailedEventAttributes.failure.message, /bug in workflow code/);
    assert.equal((await handle.describe()).status.name, 'RUNNING');
    await handle.signal('fix');
    assert.equal(await handle.result(), 'fixed');
  });

  it('delivers cancellation to timers and activities, and runs non-cancellable cleanup', async () => {
    const handle = await env.start('cancellable');
    await new Promise((r) => setTimeout(r, 300));
    await handle.cancel();
    await assert.rejects(handle.result(), (err) => {
      assert.ok(err instanceof WorkflowFailedError);
      assert.ok(err.cause instanceof CancelledFailure);
      return true;
    });
    const events = await historyEvents(handle);
    assert.ok(events.some((e) => e.timerCanceledEventAttributes), 'the timer was cancelled');
    // Promise.all rejects with the timer's cancellation first; the activity's cancellation was requested.
    assert.ok(events.some((e) => e.activityTaskCancelRequestedEventAttributes), 'the activity cancellation was requested');
    const scheduled = events.filter((e) => e.activityTaskScheduledEventAttributes).map((e) => e.activityTaskScheduledEventAttributes.activityType.name);
    assert.deepEqual(scheduled, ['waitForCancel', 'echo']);
  });

  it('cancels an activity from CancellationScope.withTimeout', async () => {
    assert.equal(await env.execute('scopeTimeout'), 'timed out');
  });

  it('gives Date, Math.random and uuid4 the same values on replay', async () => {
    const handle = await env.start('deterministic');
    const result = await handle.result();
    const events = await historyEvents(handle);
    const firstTaskStarted = events.find((e) => e.workflowTaskStartedEventAttributes);
    const startedMs = Number(firstTaskStarted.eventTime.seconds) * 1000 + Math.floor(firstTaskStarted.eventTime.nanos / 1e6);
    assert.equal(result.first.now, startedMs, 'Date.now() is the workflow task start time');
    assert.equal(result.first.iso, new Date(startedMs).toISOString());
    const scheduled = events.find((e) => e.activityTaskScheduledEventAttributes);
    const recorded = JSON.parse(Buffer.from(scheduled.activityTaskScheduledEventAttributes.input.payloads[0].data).toString());
    assert.deepEqual(recorded, result.first, 'values computed again on replay equal the recorded ones');
    assert.notEqual(result.first.random, result.second.random);
    assert.match(result.first.uuid, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('keeps workflow code away from the host', async () => {
    const report = await env.execute('escape');
    for (const [name, outcome] of Object.entries(report)) {
      assert.ok(outcome === 'undefined' || outcome.startsWith('threw'), `${name}: ${outcome}`);
    }
    assert.match(report.arrayPrototype, /^threw/);
    assert.match(report.objectPrototype, /^threw/);
  });

  it('sends workflow log calls to the worker logger with workflow attributes', async () => {
    const handle = await env.start('logs');
    assert.equal(await handle.result(), 'logged');
    const mine = env.logs.filter((e) => e.meta?.workflowId === handle.workflowId && e.level === 'INFO');
    assert.deepEqual(mine.map((e) => e.message), ['workflow started', 'workflow finished']);
    assert.equal(mine[0].meta.workflowType, 'logs');
  });

  it('resolves a Trigger from a signal handler', async () => {
    const handle = await env.start('triggered');
    await handle.signal('approve');
    assert.equal(await handle.result(), 'approved');
  });

  it('reports its status', () => {
    const status = env.worker.getStatus();
    assert.equal(status.runState, 'RUNNING');
    assert.equal(status.workflowPollerState, 'POLLING');
    assert.ok(status.numCachedWorkflows >= 0);
  });
});

describe('Worker with maxCachedWorkflows: 1', () => {
  let env;
  before(async () => {
    env = await startEnv({ maxCachedWorkflows: 1 });
  });
  after(async () => {
    await env?.stop();
  });

  it('runs 20 concurrent workflows correctly while constantly evicting and replaying', async () => {
    const handles = await Promise.all(Array.from({ length: 20 }, () => env.start('steps', { args: [5] })));
    const results = await Promise.all(handles.map((h) => h.result()));
    assert.deepEqual(results, Array(20).fill(15));
    assert.ok(env.worker.getStatus().numCachedWorkflows <= 1);
  });
});
