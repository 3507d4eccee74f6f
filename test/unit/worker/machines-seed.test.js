// The randomness seed: derived from the run's original execution run id exactly as Temporal Core
// derives it (SipHash-1-3, zero key, over the run id's UTF-8 bytes plus a 0xff byte), so that
// Math.random() and uuid4() in a replayed workflow produce what the official SDK produced.
//
// How the expected values were obtained: a workflow `randomProbe` that reports
// `[Math.random(), Math.random(), uuid4()]` through a sink (callDuringReplay: true) was replayed with
// the official `Worker.runReplayHistory` of @temporalio/worker 1.24.0 against a 5-event history whose
// WorkflowExecutionStarted has `originalExecutionRunId` = each run id below; the reported numbers are
// OFFICIAL_RANDOM. The official workflow runtime seeds its `alea` PRNG with the seed's 8 bytes
// (`Long#toBytes()`), so feeding our seed to that same `alea` must reproduce them.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import Long from 'long';
import { randomnessSeedFromRunId } from '../../../dist/worker/workflow/randomness-seed.js';
import { WorkflowRunMachine } from '../../../dist/worker/workflow/run-machine.js';
import { HistoryBuilder } from './helpers/history-builder.js';

const require = createRequire(import.meta.url);
const { alea } = require('@temporalio/workflow/lib/alea.js');

const OFFICIAL_RANDOM = {
  'bc761765-7fca-4d3e-89ff-0fa49379dc7a': [0.2874352086801082, 0.6267372770234942],
  a: [0.07751277950592339, 0.14810729678720236],
  'run-é✓-17': [0.7103891805745661, 0.6289272052235901],
  '0f8fad5b-d9cb-469f-a165-70867728950e': [0.8863424183800817, 0.7982465657405555],
};
const SEEDS = {
  'bc761765-7fca-4d3e-89ff-0fa49379dc7a': '8594972460177503024',
  a: '8186225505942432243',
  'run-é✓-17': '17768971671176092166',
  '0f8fad5b-d9cb-469f-a165-70867728950e': '9304051787370795711',
};

describe('randomness seed', () => {
  for (const [runId, expected] of Object.entries(OFFICIAL_RANDOM)) {
    it(`run id ${JSON.stringify(runId)}: Math.random() matches the official SDK`, () => {
      const seed = randomnessSeedFromRunId(runId);
      assert.equal(seed, SEEDS[runId]);
      const random = alea(Long.fromString(seed, true).toBytes());
      assert.deepEqual([random(), random()], expected);
    });
  }

  it('initializeWorkflow carries the seed of the original execution run id (not the current run id)', () => {
    const h = new HistoryBuilder({ runId: 'a' });
    h.started({ originalExecutionRunId: 'a', firstExecutionRunId: 'first' });
    const m = new WorkflowRunMachine({ namespace: 'default', taskQueue: 'q', workflowId: 'w', runId: 'some-other-run', workflowType: 'wf' });
    m.addWorkflowTask({ events: h.events, messages: [], startedEventId: h.task() });
    assert.equal(m.nextActivation().jobs[0].randomnessSeed, SEEDS.a);
  });

  it('a run reset (workflow task failed with RESET_WORKFLOW) reseeds from the new run id', () => {
    const h = new HistoryBuilder();
    h.started();
    h.fullTask();
    const t = h.timerStarted(1, 10);
    h.timerFired(t, 1);
    h.task();
    h.wftFailed(undefined, undefined, 20, 'a');
    const last = h.task();
    const m = new WorkflowRunMachine({ namespace: 'default', taskQueue: 'q', workflowId: 'w', runId: 'a', workflowType: 'wf' });
    m.addWorkflowTask({ events: h.events, messages: [], startedEventId: last });
    m.nextActivation();
    m.completeActivation({ commands: [{ kind: 'startTimer', seq: 1, startToFireTimeoutMs: 10 }], sinkCalls: [] });
    const jobs = m.nextActivation().jobs;
    assert.deepEqual(jobs.map((j) => j.kind), ['updateRandomSeed', 'fireTimer']);
    assert.equal(jobs[0].randomnessSeed, SEEDS.a);
  });

  it('rejects a non-string run id', () => {
    assert.throws(() => randomnessSeedFromRunId(42), TypeError);
  });
});
