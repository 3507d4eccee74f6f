// patched / deprecatePatch on duraflow's worker against the dev server: the patch markers and the
// TemporalChangeVersion search attribute recorded exactly as the official SDK records them (the
// interop suite compares them byte for byte with the official worker's), a run started on v1 code
// continuing on v2 code, and the v1 → v2 → v3 lifecycle in replay.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Worker } from 'duraflow/worker';
import { fixturePath, startServer, startWorker } from '../fixtures/worker-api/env.js';
import { eventsOf, jsonOf, metadataOf, ofType, summarize, T, uid, waitFor } from '../fixtures/worker-api/helpers.js';

const versionPath = (v) => fixturePath(`ours-patch-v${v}.js`);

/** The patch ids, deprecation flags and TemporalChangeVersion values a history recorded. */
function patchRecords(events) {
  const markers = ofType(events, 'MARKER_RECORDED').map((e) => {
    const a = e.markerRecordedEventAttributes;
    assert.equal(a.markerName, 'core_patch');
    assert.deepEqual(Object.keys(a.details), ['patch-data']);
    const [payload] = a.details['patch-data'].payloads;
    assert.deepEqual(metadataOf(payload), { encoding: 'json/plain' });
    return jsonOf(payload);
  });
  const versions = ofType(events, 'UPSERT_WORKFLOW_SEARCH_ATTRIBUTES').map((e) => {
    const fields = e.upsertWorkflowSearchAttributesEventAttributes.searchAttributes.indexedFields;
    assert.deepEqual(Object.keys(fields), ['TemporalChangeVersion']);
    assert.deepEqual(metadataOf(fields.TemporalChangeVersion), { encoding: 'json/plain', type: 'KeywordList' });
    return jsonOf(fields.TemporalChangeVersion);
  });
  return { markers, versions };
}

describe('patching on our worker', () => {
  let base;
  const histories = {};

  before(async () => {
    base = await startServer();
  });
  after(async () => {
    await base?.connection.close();
    await base?.server.stop();
  });

  /** Runs patchy to completion on a worker running `version`; returns its handle. */
  async function runOn(version) {
    const w = await startWorker(base.connection, { workflowsPath: versionPath(version) });
    try {
      const handle = await base.client.workflow.start('patchy', { taskQueue: w.taskQueue, workflowId: uid(`patchy-v${version}`) });
      await handle.signal('proceed');
      await handle.result();
      return handle;
    } finally {
      await w.stop();
    }
  }

  it('records markers and TemporalChangeVersion upserts like the official SDK', T, async () => {
    const v2 = await runOn(2);
    assert.deepEqual(await v2.result(), { version: 2, first: 'new', late: true });
    const events = await eventsOf(v2);
    histories.v2 = await v2.fetchHistory();
    // The marker and its upsert precede the command the patched code issued, in the same task.
    const types = summarize(events).replace(/\d+:/g, '').split(' ');
    assert.deepEqual(types.slice(3, 7), ['WORKFLOW_TASK_COMPLETED', 'MARKER_RECORDED', 'UPSERT_WORKFLOW_SEARCH_ATTRIBUTES', 'TIMER_STARTED'], summarize(events));
    assert.deepEqual(types.slice(-4), ['WORKFLOW_TASK_COMPLETED', 'MARKER_RECORDED', 'UPSERT_WORKFLOW_SEARCH_ATTRIBUTES', 'WORKFLOW_EXECUTION_COMPLETED'], summarize(events));
    assert.deepEqual(patchRecords(events), {
      markers: [{ id: 'api-patch', deprecated: false }, { id: 'api-late', deprecated: false }],
      versions: [['api-patch'], ['api-late', 'api-patch']],
    });
    for (const e of [...ofType(events, 'MARKER_RECORDED'), ...ofType(events, 'UPSERT_WORKFLOW_SEARCH_ATTRIBUTES')]) {
      const a = e.markerRecordedEventAttributes ?? e.upsertWorkflowSearchAttributesEventAttributes;
      assert.ok(Number(a.workflowTaskCompletedEventId) > 0);
    }
    assert.deepEqual((await v2.describe()).searchAttributes.TemporalChangeVersion, ['api-late', 'api-patch']);

    const v3 = await runOn(3);
    assert.deepEqual(await v3.result(), { version: 3, first: 'new', late: true });
    histories.v3 = await v3.fetchHistory();
    assert.deepEqual(patchRecords(await eventsOf(v3)), {
      markers: [{ id: 'api-patch', deprecated: true }, { id: 'api-late', deprecated: false }],
      versions: [['api-patch'], ['api-late', 'api-patch']],
    });
  });

  it('continues a run started on v1 on v2: patched() is false for replayed code, true after', T, async () => {
    const v1 = await startWorker(base.connection, { workflowsPath: versionPath(1) });
    const handle = await base.client.workflow.start('patchy', { taskQueue: v1.taskQueue, workflowId: uid('patchy-upgrade') });
    await waitFor('the v1 activity to complete', async () => ofType(await eventsOf(handle), 'ACTIVITY_TASK_COMPLETED').length > 0);
    await waitFor('the v1 task to complete', async () => ofType(await eventsOf(handle), 'WORKFLOW_TASK_COMPLETED').length === 2);
    await v1.stop();
    const v2 = await startWorker(base.connection, { workflowsPath: versionPath(2), taskQueue: v1.taskQueue });
    try {
      await handle.signal('proceed');
      assert.deepEqual(await handle.result(), { version: 2, first: 'old', late: true });
    } finally {
      await v2.stop();
    }
    const events = await eventsOf(handle);
    assert.deepEqual(patchRecords(events), { markers: [{ id: 'api-late', deprecated: false }], versions: [['api-late']] }, summarize(events));
    histories.upgraded = await handle.fetchHistory();
    histories.v1 = await (await runOn(1)).fetchHistory();
  });

  it('replays the v1 → v2 → v3 lifecycle; v3 code on a v1 history is nondeterministic', T, async () => {
    assert.ok(histories.v1 && histories.v2 && histories.v3 && histories.upgraded, 'the earlier tests recorded the histories');
    const replay = (version, history) => Worker.runReplayHistory({ workflowsPath: versionPath(version) }, history, 'patchy');
    await replay(1, histories.v1);
    await replay(2, histories.v1); // no marker: patched() is false on replay, the old activity matches
    await replay(2, histories.upgraded);
    await replay(2, histories.v2);
    await replay(3, histories.v2); // deprecatePatch matches the marker patched() recorded
    await replay(3, histories.v3);
    await replay(2, histories.v3); // patched() matches a deprecated marker
    await assert.rejects(replay(3, histories.v1), (err) => {
      assert.equal(err.name, 'DeterminismViolationError');
      assert.match(err.message, /ours-patch-v3\.js|patch-body\.js/);
      return true;
    });
  });

  it('replays the same with a payload codec (then the state machines run on the main thread): same passes, same errors', T, async () => {
    const passThrough = { encode: async (payloads) => payloads, decode: async (payloads) => payloads };
    const replay = (version, history, codecs) =>
      Worker.runReplayHistory({ workflowsPath: typeof version === 'number' ? versionPath(version) : fixturePath(version), dataConverter: codecs && { payloadCodecs: codecs } }, history, 'patchy');
    const outcome = (promise) => promise.then(() => 'replayed', (error) => `${error.name}: ${error.message}`);
    for (const [version, history] of [[2, histories.v1], [3, histories.v2], [2, histories.v3], [3, histories.v1], ['ours-patch-broken.js', histories.v1]]) {
      const inThread = await outcome(replay(version, history));
      assert.equal(await outcome(replay(version, history, [passThrough])), inThread, `v${version}`);
    }
    assert.match(await outcome(replay(3, histories.v1)), /^DeterminismViolationError: Nondeterminism at event \d+ .*\n\s+issued at .*(ours-patch-v3|patch-body)\.js:\d+/s);
    assert.equal(await outcome(replay('ours-patch-broken.js', histories.v1)), 'ReplayError: Replay failed: patchy cannot start: broken build');
  });
});
