// duraflow's runtime is evaluated once per sandbox thread and shared by its runs, while each run
// keeps its own Compartment for the user's code: interleaved runs must not see each other's clock,
// randomness or module state, and cannot change the shared SDK modules.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { bundleWorkflowCode } from '../../../dist/worker/bundler/index.js';
import { WorkflowSandbox } from '../../../dist/worker/sandbox/index.js';
import { commandsOf, nextActivation, resultOf, startActivation, START_MS } from '../../fixtures/sandbox/activations.js';

const workflowsPath = fileURLToPath(new URL('../../fixtures/sandbox/shared-runtime-workflows.ts', import.meta.url));
const fire = (runId, timestampMs) => nextActivation(runId, [{ kind: 'fireTimer', seq: 1 }], { timestampMs });

describe('shared workflow runtime', () => {
  let bundle;
  before(async () => {
    bundle = await bundleWorkflowCode({ workflowsPath, cache: false });
  });

  async function runAlone(seed, start) {
    const sandbox = await WorkflowSandbox.create({ bundle, threads: 1 });
    try {
      assert.deepEqual(commandsOf(await sandbox.activate(startActivation('alone', 'draws', [], { seed, timestampMs: start }))).map((c) => c.kind), ['startTimer']);
      return resultOf(await sandbox.activate(fire('alone', start + 1000)));
    } finally {
      await sandbox.close();
    }
  }

  let sandbox;
  after(() => sandbox?.close());

  it('interleaved runs on one thread draw exactly what each draws alone', async () => {
    const aloneA = await runAlone('111', START_MS);
    const aloneB = await runAlone('222', START_MS + 5000);
    sandbox = await WorkflowSandbox.create({ bundle, threads: 1 });
    await sandbox.activate(startActivation('a', 'draws', [], { seed: '111', timestampMs: START_MS }));
    await sandbox.activate(startActivation('b', 'draws', [], { seed: '222', timestampMs: START_MS + 5000 }));
    const b = resultOf(await sandbox.activate(fire('b', START_MS + 6000)));
    const a = resultOf(await sandbox.activate(fire('a', START_MS + 1000)));
    assert.deepEqual(a, aloneA);
    assert.deepEqual(b, aloneB);
    assert.notDeepEqual(a.ids, b.ids);
    assert.deepEqual(a.times, [START_MS, START_MS + 1000]);
    assert.deepEqual(b.times, [START_MS + 5000, START_MS + 6000]);
  });

  it("keeps the user's module state per run and the SDK modules frozen", async () => {
    await sandbox.activate(startActivation('c', 'draws', [], { seed: '333' }));
    const c = resultOf(await sandbox.activate(fire('c', START_MS + 1000)));
    assert.equal(c.started, 1, 'a module-level counter of another run leaked into this one');
    assert.equal(c.sdkFrozen, true);
  });
});
