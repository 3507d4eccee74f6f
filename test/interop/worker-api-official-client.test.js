// The rest of the workflow API across SDKs, on duraflow's dev server:
// - patches: duraflow's worker records the same markers and TemporalChangeVersion upserts, byte for
//   byte, as the official worker for the same code; the official worker's v1/v2/v3 histories replay
//   on duraflow's v2/v3 code exactly where they replay on the official one;
// - the official client with a custom payload converter (by path) and a codec drives duraflow's worker;
// - the official client reads the built-in queries and the interceptors' effects on duraflow's worker.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client as OfficialClient, Connection as OfficialConnection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { bundleWorkflowCode, DefaultLogger as OfficialLogger, NativeConnection, Worker as OfficialWorker } from '@temporalio/worker';
import { Worker } from 'duraflow/worker';
import * as activities from '../fixtures/worker-api/activities.js';
import { base64Codec, unwrap } from '../fixtures/worker-api/base64-codec.js';
import { fixturePath, startServer, startWorker } from '../fixtures/worker-api/env.js';
import { eventsOf, ofType, T, typeName, uid, waitFor } from '../fixtures/worker-api/helpers.js';
import { installQuietRuntime } from './helpers.js';

const History = proto.temporal.api.history.v1.History;
const dataConverter = { payloadConverterPath: fixturePath('tagged-payload-converter.cjs'), payloadCodecs: [base64Codec] };

/** The marker and upsert events of a history, as comparable plain data (payload bytes as text). */
function patchEvents(events) {
  const text = (bytes) => Buffer.from(bytes).toString('utf8');
  const payload = (p) => ({ metadata: Object.fromEntries(Object.entries(p.metadata).map(([k, v]) => [k, text(v)]).sort()), data: text(p.data) });
  return events
    .filter((e) => e.markerRecordedEventAttributes || e.upsertWorkflowSearchAttributesEventAttributes)
    .map((e) => {
      const m = e.markerRecordedEventAttributes;
      if (m) return { type: typeName(e), markerName: m.markerName, details: Object.fromEntries(Object.entries(m.details).map(([k, v]) => [k, v.payloads.map(payload)])) };
      const fields = e.upsertWorkflowSearchAttributesEventAttributes.searchAttributes.indexedFields;
      return { type: typeName(e), fields: Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, payload(v)])) };
    });
}

describe('workflow API interop: patches, data conversion, queries, interceptors', () => {
  let base;
  let officialConnection;
  let officialClient;
  let nativeConnection;
  const officialBundles = {};

  before(async () => {
    installQuietRuntime();
    base = await startServer();
    officialConnection = await OfficialConnection.connect({ address: base.server.address });
    officialClient = new OfficialClient({ connection: officialConnection });
    nativeConnection = await NativeConnection.connect({ address: base.server.address });
    for (const v of [1, 2, 3]) {
      officialBundles[v] = await bundleWorkflowCode({ workflowsPath: fixturePath(`official-patch-v${v}.js`), logger: new OfficialLogger('ERROR') });
    }
  });
  after(async () => {
    await officialConnection?.close();
    await nativeConnection?.close();
    await base?.connection.close();
    await base?.server.stop();
  });

  /** Runs patchy to completion (official client) on the given worker kind and version; returns its history. */
  async function patchyOn(kind, version) {
    const scenario = async (taskQueue) => {
      const handle = await officialClient.workflow.start('patchy', { taskQueue, workflowId: uid(`patchy-${kind}-v${version}`) });
      await waitFor('the first task', async () => ofType(await eventsOf(handle), 'WORKFLOW_TASK_COMPLETED').length >= 2);
      await handle.signal('proceed');
      await handle.result();
      return await handle.fetchHistory();
    };
    if (kind === 'ours') {
      const w = await startWorker(base.connection, { workflowsPath: fixturePath(`ours-patch-v${version}.js`) });
      try {
        return await scenario(w.taskQueue);
      } finally {
        await w.stop();
      }
    }
    const taskQueue = uid('official-patch');
    const worker = await OfficialWorker.create({ connection: nativeConnection, taskQueue, workflowBundle: officialBundles[version], activities });
    return await worker.runUntil(() => scenario(taskQueue));
  }

  it('records patch markers and TemporalChangeVersion upserts exactly as the official worker', T, async () => {
    for (const version of [2, 3]) {
      const official = patchEvents((await patchyOn('official', version)).events);
      const ours = patchEvents((await patchyOn('ours', version)).events);
      assert.equal(official.length, 4);
      assert.deepEqual(ours, official, `v${version}`);
    }
  });

  it('official v1/v2/v3 histories replay on our versions exactly where they replay on the official ones', T, async () => {
    const histories = {};
    for (const v of [1, 2, 3]) histories[v] = History.encode(await patchyOn('official', v)).finish();
    for (const code of [1, 2, 3]) {
      for (const recordedOn of [1, 2, 3]) {
        const officialOutcome = await OfficialWorker.runReplayHistory({ workflowBundle: officialBundles[code] }, History.decode(histories[recordedOn])).then(
          () => 'ok',
          (err) => err.name,
        );
        const ourOutcome = await Worker.runReplayHistory({ workflowsPath: fixturePath(`ours-patch-v${code}.js`) }, histories[recordedOn]).then(
          () => 'ok',
          (err) => err.name,
        );
        assert.equal(ourOutcome, officialOutcome, `v${recordedOn} history on v${code} code`);
      }
    }
    // The cases that matter: old histories on newer code, and the newest code on the oldest history.
    await Worker.runReplayHistory({ workflowsPath: fixturePath('ours-patch-v2.js') }, histories[1]);
    await Worker.runReplayHistory({ workflowsPath: fixturePath('ours-patch-v3.js') }, histories[2]);
    await assert.rejects(Worker.runReplayHistory({ workflowsPath: fixturePath('ours-patch-v3.js') }, histories[1]), { name: 'DeterminismViolationError' });
  });

  it('the official client with a custom converter (by path) and a codec drives our worker', T, async () => {
    const client = new OfficialClient({ connection: officialConnection, dataConverter });
    const w = await startWorker(base.connection, { workflowsPath: fixturePath('converter-workflows.js'), dataConverter });
    try {
      const date = new Date('2024-05-06T07:08:09.010Z');
      const handle = await client.workflow.start('converted', { taskQueue: w.taskQueue, workflowId: uid('converted'), args: [date, 21n] });
      const updated = await handle.executeUpdate('addDays', { args: [1] });
      assert.equal(updated.getTime(), date.getTime() + 86_400_000);
      const signalled = new Date('2030-01-01T00:00:00.000Z');
      await handle.signal('proceed', signalled);
      assert.deepEqual(await handle.result(), { isDate: true, isBigInt: true, echoedIsDate: true, next: new Date(date.getTime() + 86_400_000), doubled: 42n, last: signalled });
      const [started] = await eventsOf(handle);
      const inner = unwrap(started.workflowExecutionStartedEventAttributes.input.payloads[0]);
      assert.equal(Buffer.from(inner.metadata.encoding).toString(), 'json/tagged');
    } finally {
      await w.stop();
    }
  });

  it('the official client reads our built-in queries and the effects of our workflow interceptors', T, async () => {
    const w = await startWorker(base.connection, {
      workflowsPath: fixturePath('interceptor-workflows.js'),
      interceptors: { workflowModules: [fixturePath('interceptors.js')] },
    });
    try {
      const handle = await officialClient.workflow.start('intercepted', { taskQueue: w.taskQueue, workflowId: uid('intercepted'), args: [1] });
      await waitFor('the child to complete', async () => ofType(await eventsOf(handle), 'CHILD_WORKFLOW_EXECUTION_COMPLETED').length > 0);
      assert.equal((await handle.query('calls')).via, 'handleQuery');
      assert.equal(await handle.executeUpdate('double', { args: [5] }), 10);
      await assert.rejects(handle.executeUpdate('double', { args: [13] }), (err) => /13 is rejected by the interceptor/.test(err.cause?.message));
      const trace = await handle.query('__stack_trace');
      assert.match(trace, /at intercepted \(.*interceptor-workflows\.js:\d+:\d+\)/);
      assert.doesNotMatch(trace, /workflow-bundle/);
      const metadata = await handle.query('__temporal_workflow_metadata');
      assert.deepEqual(metadata.definition.signalDefinitions.map((d) => d.name), ['childSignal', 'proceed']);
      assert.deepEqual(metadata.definition.updateDefinitions.map((d) => d.name), ['double']);
      await handle.signal('childSignal', 'quiet');
      assert.equal((await handle.query('calls')).result.signalled, 'QUIET');
      await handle.signal('proceed');
      const { calls } = await handle.result();
      assert.equal(calls[1], 'inbound.execute:continueAsNew');
    } finally {
      await w.stop();
    }
  });
});
