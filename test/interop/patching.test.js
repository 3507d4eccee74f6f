// Interop: patched() across a worker restart, official worker against duraflow's dev server.
// A run started on v1 code (no patch) is continued by a worker running v2 code (with patches):
// the pre-restart part replays without the patch, the post-restart part takes the patch; a run
// started on v2 takes the patch everywhere. Patch markers are recorded as MarkerRecorded events.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Worker } from '@temporalio/worker';
import {
  bundle,
  createLocalEnv,
  eventsOfType,
  historyEvents,
  patchMarkerIds,
  SCENARIO_TIMEOUT,
  summarizeHistory,
  uid,
  untilAborted,
  waitFor,
} from './helpers.js';

describe('interop: patched() across a worker restart', () => {
  let env;
  let bundleV1;
  let bundleV2;

  before(async () => {
    [env, bundleV1, bundleV2] = await Promise.all([createLocalEnv(), bundle('patch-v1.js'), bundle('patch-v2.js')]);
  });

  after(async () => {
    await env?.teardown();
  });

  it('14. an old run replays the old path; new code after the replay point and new runs take the patch', SCENARIO_TIMEOUT, async (t) => {
    const taskQueue = uid('tq-patch');
    const workerOptions = { connection: env.nativeConnection, namespace: env.namespace ?? 'default', taskQueue };

    // Worker A runs v1 until the run has completed its first workflow task, then shuts down.
    const workerA = await Worker.create({ ...workerOptions, workflowBundle: bundleV1 });
    const oldRun = await workerA.runUntil(
      untilAborted(
        (async () => {
          const handle = await env.client.workflow.start('patchable', { taskQueue, workflowId: uid('patch-old') });
          await waitFor('the v1 run to complete its first workflow task', async () =>
            eventsOfType(await historyEvents(handle), 'WORKFLOW_TASK_COMPLETED').length > 0,
          );
          return handle;
        })(),
        t.signal,
      ),
    );
    const beforeRestart = await historyEvents(oldRun);
    assert.deepEqual(patchMarkerIds(beforeRestart), [], summarizeHistory(beforeRestart));

    // Worker B runs v2: a fresh process-level cache, so it replays the old run from history.
    const workerB = await Worker.create({ ...workerOptions, workflowBundle: bundleV2 });
    const afterRestart = async () => {
      await oldRun.signal('go');
      const oldResult = await oldRun.result();
      assert.deepEqual(oldResult, { version: 'v2-code', path: 'old-path', early: false, late: true });
      const oldEvents = await historyEvents(oldRun);
      assert.deepEqual(patchMarkerIds(oldEvents), ['late-change'], summarizeHistory(oldEvents));

      const newRun = await env.client.workflow.start('patchable', { taskQueue, workflowId: uid('patch-new') });
      await waitFor('the v2 run to complete its first workflow task', async () =>
        eventsOfType(await historyEvents(newRun), 'WORKFLOW_TASK_COMPLETED').length > 0,
      );
      await newRun.signal('go');
      assert.deepEqual(await newRun.result(), { version: 'v2-code', path: 'new-path', early: true, late: true });
      const newEvents = await historyEvents(newRun);
      const markers = eventsOfType(newEvents, 'MARKER_RECORDED');
      assert.equal(markers.length, 2, summarizeHistory(newEvents));
      assert.deepEqual(patchMarkerIds(newEvents), ['my-change', 'late-change'], summarizeHistory(newEvents));
      for (const m of markers) {
        assert.equal(m.markerRecordedEventAttributes.markerName, 'core_patch');
        assert.ok(Number(m.markerRecordedEventAttributes.workflowTaskCompletedEventId) > 0);
      }

      // Both histories replay against v2 without a nondeterminism error.
      await Worker.runReplayHistory({ workflowBundle: bundleV2 }, await oldRun.fetchHistory(), oldRun.workflowId);
      await Worker.runReplayHistory({ workflowBundle: bundleV2 }, await newRun.fetchHistory(), newRun.workflowId);
    };
    await workerB.runUntil(untilAborted(afterRestart(), t.signal));
  });
});
