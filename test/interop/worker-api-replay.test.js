// The workflow API (children, external handles, continue-as-new, updates, signals, upserts) across
// SDKs, on duraflow's dev server:
// - the official @temporalio/client drives every scenario on duraflow's worker;
// - the same scenarios pass on the official worker (so the expectations are the official behaviour),
//   and the histories it records replay on duraflow's worker (`Worker.runReplayHistories`);
// - histories recorded by duraflow's worker replay on the official worker;
// - deliberately changed code is reported as nondeterministic.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client as OfficialClient, Connection as OfficialConnection, WithStartWorkflowOperation } from '@temporalio/client';
import proto from '@temporalio/proto';
import { bundleWorkflowCode, DefaultLogger as OfficialLogger, NativeConnection, Worker as OfficialWorker } from '@temporalio/worker';
import { Worker } from 'duraflow/worker';
import * as activities from '../fixtures/worker-api/activities.js';
import { fixturePath, startServer, startWorker } from '../fixtures/worker-api/env.js';
import { eventsOf, ofType, uid } from '../fixtures/worker-api/helpers.js';
import { canScenarios } from '../fixtures/worker-api/scenarios-can.js';
import { childScenarios } from '../fixtures/worker-api/scenarios-children.js';
import { messageScenarios } from '../fixtures/worker-api/scenarios-messages.js';
import { installQuietRuntime } from './helpers.js';

const History = proto.temporal.api.history.v1.History;
const SUITE = { timeout: 240_000 };
const scenarios = { ...childScenarios, ...canScenarios, ...messageScenarios };
const withStart = (type, options) => new WithStartWorkflowOperation(type, options);

/** The handles plus the runs of the child workflows their histories started. */
async function withChildren(client, handles) {
  const all = [...handles];
  for (const handle of handles) {
    for (const e of ofType(await eventsOf(handle), 'CHILD_WORKFLOW_EXECUTION_STARTED')) {
      const { workflowId, runId } = e.childWorkflowExecutionStartedEventAttributes.workflowExecution;
      all.push(client.workflow.getHandle(workflowId, runId));
    }
  }
  return all;
}

/** `{ workflowId, history }` (binary) for every handle. */
async function historiesOf(handles) {
  const out = [];
  for (const handle of handles) {
    const history = await handle.fetchHistory();
    out.push({ workflowId: `${handle.workflowId}/${history.events[0].workflowExecutionStartedEventAttributes.workflowType.name}`, history: History.encode(history).finish() });
  }
  return out;
}

describe('workflow API interop: official client, official worker and replay', () => {
  let base;
  let officialConnection;
  let officialClient;
  let nativeConnection;
  let officialBundle;
  const recorded = { official: [], ours: [] };

  before(async () => {
    installQuietRuntime();
    base = await startServer();
    officialConnection = await OfficialConnection.connect({ address: base.server.address });
    officialClient = new OfficialClient({ connection: officialConnection });
    nativeConnection = await NativeConnection.connect({ address: base.server.address });
    officialBundle = await bundleWorkflowCode({ workflowsPath: fixturePath('official.js'), logger: new OfficialLogger('ERROR') });
  });
  after(async () => {
    await officialConnection?.close();
    await nativeConnection?.close();
    await base?.connection.close();
    await base?.server.stop();
  });

  /** Runs every scenario with the official client; returns the handles (children included) of what ran. */
  async function runScenarios(taskQueue, otherTaskQueue) {
    const handles = [];
    for (const [name, scenario] of Object.entries(scenarios)) {
      const ran = await scenario({ client: officialClient, taskQueue, otherTaskQueue, withStart }).catch((err) => {
        throw new Error(`scenario ${name} failed: ${err.stack ?? err}`, { cause: err });
      });
      handles.push(...ran);
    }
    return await withChildren(officialClient, handles);
  }

  it('the official client drives every scenario on our worker', SUITE, async () => {
    const main = await startWorker(base.connection);
    const other = await startWorker(base.connection);
    try {
      recorded.ours = await historiesOf(await runScenarios(main.taskQueue, other.taskQueue));
    } finally {
      await other.stop();
      await main.stop();
    }
    assert.ok(recorded.ours.length >= 30, `histories: ${recorded.ours.length}`);
  });

  it('the same scenarios pass on the official worker, and its histories replay on ours', SUITE, async () => {
    const create = (taskQueue) => OfficialWorker.create({ connection: nativeConnection, taskQueue, workflowBundle: officialBundle, activities });
    const [taskQueue, otherTaskQueue] = [uid('official'), uid('official-other')];
    const other = await create(otherTaskQueue);
    const otherRun = other.run();
    try {
      const worker = await create(taskQueue);
      recorded.official = await historiesOf(await worker.runUntil(() => runScenarios(taskQueue, otherTaskQueue)));
    } finally {
      other.shutdown();
      await otherRun;
    }
    assert.ok(recorded.official.length >= 30, `histories: ${recorded.official.length}`);
    const failures = [];
    let replayed = 0;
    for await (const result of Worker.runReplayHistories({ workflowsPath: fixturePath('ours.js') }, recorded.official)) {
      replayed++;
      if (result.error) failures.push(`${result.workflowId}: ${result.error.name}: ${result.error.message}`);
    }
    assert.equal(replayed, recorded.official.length);
    assert.deepEqual(failures, []);
  });

  it('histories recorded by our worker replay on the official worker', SUITE, async () => {
    assert.ok(recorded.ours.length > 0, 'the first test recorded our histories');
    const failures = [];
    const input = recorded.ours.map(({ workflowId, history }) => ({ workflowId, history: History.decode(history) }));
    for await (const result of OfficialWorker.runReplayHistories({ workflowBundle: officialBundle }, input)) {
      if (result.error) failures.push(`${result.workflowId}: ${result.error.name}: ${result.error.message}`);
    }
    assert.deepEqual(failures, []);
  });

  it('reports changed code as nondeterministic, naming the changed source line', SUITE, async () => {
    assert.ok(recorded.official.length > 0, 'the second test recorded the official histories');
    const byType = (type) => recorded.official.find(({ workflowId }) => workflowId.endsWith(`/${type}`));
    for (const type of ['parentSignalsChild', 'canChain', 'updatable']) {
      const { workflowId, history } = byType(type);
      await assert.rejects(Worker.runReplayHistory({ workflowsPath: fixturePath('ours-changed.js') }, history, workflowId), (err) => {
        assert.equal(err.name, 'DeterminismViolationError', `${type}: ${err.name}: ${err.message}`);
        assert.match(err.message, /ours-changed\.js:\d+/, type);
        return true;
      }, type);
    }
  });
});
