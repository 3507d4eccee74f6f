// duraflow's worker against the official SDK, both ways, on duraflow's dev server:
// - the official @temporalio/client drives workflows executed by duraflow's worker;
// - histories recorded by the official worker (same workflow bodies, official workflow API) replay
//   on duraflow's worker, and histories recorded by ours replay on the official one;
// - deliberately changed code is reported as nondeterministic, naming the event, both commands and
//   the user's source line.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client as OfficialClient, Connection as OfficialConnection, WorkflowFailedError as OfficialWorkflowFailedError } from '@temporalio/client';
import * as officialActivity from '@temporalio/activity';
import proto from '@temporalio/proto';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { NativeConnection, Worker as OfficialWorker, bundleWorkflowCode as officialBundle, DefaultLogger as OfficialLogger } from '@temporalio/worker';
import * as ourActivity from 'duraflow/activity';
import { DevServer } from 'duraflow/server';
import { Connection, Client } from 'duraflow/client';
import { DefaultLogger, Worker } from 'duraflow/worker';
import { installQuietRuntime, uid, waitFor } from './helpers.js';
import { alwaysFails, echo, makeWaitForCancel } from '../fixtures/worker-interop/activities.js';

const FIXTURES = new URL('../fixtures/worker-interop/', import.meta.url);
const oursPath = new URL('ours.js', FIXTURES).pathname;
const changedPath = new URL('ours-changed.js', FIXTURES).pathname;
const History = proto.temporal.api.history.v1.History;

const ourActivities = { echo, alwaysFails, waitForCancel: makeWaitForCancel(ourActivity.Context) };
const officialActivities = { echo, alwaysFails, waitForCancel: makeWaitForCancel(officialActivity.Context) };

/** Every scenario: start it with `client`, optionally interact, and return the handle once closed. */
const scenarios = {
  async pipeline(client, taskQueue) {
    const handle = await client.workflow.start('pipeline', { taskQueue, workflowId: uid('pipeline'), args: [3] });
    assert.deepEqual(await handle.result(), ['start', 0, 1, 2, 'end']);
    return handle;
  },
  async signalsAndUpdates(client, taskQueue) {
    const handle = await client.workflow.start('signalsAndUpdates', { taskQueue, workflowId: uid('signals') });
    await waitFor('the status query', async () => (await handle.query('status')) === 'waiting');
    assert.equal(await handle.executeUpdate('bump', { args: [2] }), 2);
    await assert.rejects(handle.executeUpdate('bump', { args: [-1] }), (err) => err.name === 'WorkflowUpdateFailedError' && /negative/.test(err.cause?.message));
    await handle.signal('approve');
    assert.deepEqual(await handle.result(), { ok: true, state: 'approved', counter: 2 });
    return handle;
  },
  async cancelled(client, taskQueue) {
    const handle = await client.workflow.start('cancelled', { taskQueue, workflowId: uid('cancelled') });
    await new Promise((r) => setTimeout(r, 300));
    await handle.cancel();
    await assert.rejects(handle.result(), (err) => err.name === 'WorkflowFailedError' && err.cause?.name === 'CancelledFailure');
    return handle;
  },
  async scoped(client, taskQueue) {
    const handle = await client.workflow.start('scoped', { taskQueue, workflowId: uid('scoped') });
    assert.equal(await handle.result(), 'after');
    return handle;
  },
  async randomness(client, taskQueue) {
    const handle = await client.workflow.start('randomness', { taskQueue, workflowId: uid('random') });
    const result = await handle.result();
    assert.match(result.id, /^[0-9a-f-]{36}$/);
    return handle;
  },
  async failing(client, taskQueue) {
    const handle = await client.workflow.start('failing', { taskQueue, workflowId: uid('failing') });
    await assert.rejects(handle.result(), (err) => err.name === 'WorkflowFailedError' && err.cause?.cause?.message === 'nope');
    return handle;
  },
};

describe('duraflow worker ↔ official SDK', () => {
  let server;
  let officialConnection;
  let officialClient;
  let nativeConnection;
  let connection;
  let ourClient;
  let officialWorkflowBundle;

  before(async () => {
    installQuietRuntime();
    server = await DevServer.start({ port: 0, logLevel: 'error' });
    officialConnection = await OfficialConnection.connect({ address: server.address });
    officialClient = new OfficialClient({ connection: officialConnection });
    nativeConnection = await NativeConnection.connect({ address: server.address });
    connection = await Connection.connect({ address: server.address });
    ourClient = new Client({ connection });
    officialWorkflowBundle = await officialBundle({ workflowsPath: new URL('official.js', FIXTURES).pathname, logger: new OfficialLogger('ERROR') });
  });

  after(async () => {
    await officialConnection?.close();
    await nativeConnection?.close();
    await connection?.close();
    await server?.stop();
  });

  /** Runs `fn(taskQueue)` while our worker polls a fresh task queue. */
  async function withOurWorker(fn, options = {}) {
    const taskQueue = uid('ours');
    const worker = await Worker.create({ connection, taskQueue, workflowsPath: oursPath, activities: ourActivities, logger: new DefaultLogger('ERROR'), ...options });
    return await worker.runUntil(() => fn(taskQueue));
  }

  /** Runs `fn(taskQueue)` while the official worker polls a fresh task queue. */
  async function withOfficialWorker(fn) {
    const taskQueue = uid('official');
    const worker = await OfficialWorker.create({ connection: nativeConnection, taskQueue, workflowBundle: officialWorkflowBundle, activities: officialActivities });
    return await worker.runUntil(() => fn(taskQueue));
  }

  it('the official client drives every scenario on our worker', async () => {
    await withOurWorker(async (taskQueue) => {
      for (const [name, scenario] of Object.entries(scenarios)) {
        await assert.doesNotReject(scenario(officialClient, taskQueue), `scenario ${name}`);
      }
    });
  });

  it('official failures arrive as the official error classes', async () => {
    await withOurWorker(async (taskQueue) => {
      const handle = await officialClient.workflow.start('failing', { taskQueue, workflowId: uid('failing') });
      await assert.rejects(handle.result(), (err) => {
        assert.ok(err instanceof OfficialWorkflowFailedError);
        assert.equal(err.cause?.name, 'ActivityFailure');
        assert.equal(err.cause?.cause?.message, 'nope');
        return true;
      });
    });
  });

  it('histories recorded by the official worker replay on ours (binary and JSON)', async () => {
    const histories = await withOfficialWorker(async (taskQueue) => {
      const out = {};
      for (const [name, scenario] of Object.entries(scenarios)) out[name] = await (await scenario(officialClient, taskQueue)).fetchHistory();
      return out;
    });
    for (const [name, history] of Object.entries(histories)) {
      const binary = History.encode(history).finish();
      await assert.doesNotReject(Worker.runReplayHistory({ workflowsPath: oursPath }, binary, name), `binary replay of ${name}`);
      // The proto3 JSON the temporal CLI and web UI export (EVENT_TYPE_* names, RFC 3339 times).
      const json = historyToJSON(History.decode(binary));
      await assert.doesNotReject(Worker.runReplayHistory({ workflowsPath: oursPath }, JSON.parse(json), name), `JSON replay of ${name}`);
    }
    const results = [];
    for await (const result of Worker.runReplayHistories({ workflowsPath: oursPath }, Object.entries(histories).map(([workflowId, h]) => ({ workflowId, history: History.encode(h).finish() })))) {
      results.push(result);
    }
    assert.deepEqual(results.map((r) => [r.workflowId, r.error?.message]), Object.keys(histories).map((id) => [id, undefined]));
  });

  it('histories recorded by our worker replay on the official worker', async () => {
    const histories = await withOurWorker(async (taskQueue) => {
      const out = {};
      for (const [name, scenario] of Object.entries(scenarios)) out[name] = await (await scenario(ourClient, taskQueue)).fetchHistory();
      return out;
    });
    for (const [name, history] of Object.entries(histories)) {
      const official = History.decode(proto.temporal.api.history.v1.History.encode(history).finish());
      await assert.doesNotReject(OfficialWorker.runReplayHistory({ workflowBundle: officialWorkflowBundle }, official, name), `official replay of ${name}`);
    }
  });

  it('reports changed code as nondeterministic, naming the event, both commands and the source line', async () => {
    const history = await withOfficialWorker(async (taskQueue) => (await scenarios.pipeline(officialClient, taskQueue)).fetchHistory());
    await assert.rejects(Worker.runReplayHistory({ workflowsPath: changedPath }, History.encode(history).finish(), 'pipeline'), (err) => {
      assert.equal(err.name, 'DeterminismViolationError');
      assert.match(err.message, /event 5\b/);
      assert.match(err.message, /ACTIVITY_TASK_SCHEDULED|ActivityTaskScheduled|ScheduleActivityTask/);
      assert.match(err.message, /StartTimer/);
      assert.match(err.message, /ours-changed\.js:\d+/);
      return true;
    });
  });
});
