// The deadlock watchdog: an activation that never ends (a busy loop, an endless promise loop) is
// failed with a message naming the workflow and the stuck code's mapped stack; its thread is
// restarted; runs that lived there are lost (SandboxRunLostError) until replayed; others go on.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SandboxRunLostError, WorkflowSandbox } from '../../../dist/worker/sandbox/index.js';
import { commandsOf, decode, fixtureBundle, fixtureRuntime, markLine, nextActivation, resultOf, startActivation, workflowsPath } from '../../fixtures/sandbox/activations.js';

const TIMEOUT_MS = 1000;
const infoQuery = (runId) => nextActivation(runId, [{ kind: 'queryWorkflow', queryId: 'q', queryType: 'info', arguments: [], headers: {} }]);

describe('deadlock watchdog', () => {
  let sandbox;
  let bundle;
  let runtime;
  before(async () => {
    bundle = await fixtureBundle();
    runtime = await fixtureRuntime();
  });
  after(() => sandbox?.close());

  it('fails a busy loop with the workflow named and the stuck stack mapped; its thread restarts', async () => {
    sandbox = await WorkflowSandbox.create({ runtime, bundle, threads: 1, activationTimeoutMs: TIMEOUT_MS });
    await sandbox.activate(startActivation('bystander', 'waitForever'));

    const completion = await sandbox.activate(startActivation('stuck-1', 'infiniteLoop'));
    const failure = completion.failed.failure;
    assert.match(
      failure.message,
      /^Potential deadlock detected: workflow infiniteLoop \(workflow id wf-stuck-1, run id stuck-1\) did not finish its activation within 1s \(jobs: initializeWorkflow\)/
    );
    assert.equal(failure.applicationFailureInfo.type, 'PotentialDeadlockError');
    assert.match(failure.stackTrace, new RegExp(`at spin \\(${workflowsPath}:\\d+:\\d+\\)`));
    assert.ok(failure.stackTrace.includes(`at infiniteLoop (${workflowsPath}:${markLine('spin-call')}:`), failure.stackTrace);

    // Every run of the restarted thread is lost until it is replayed …
    await assert.rejects(sandbox.activate(infoQuery('stuck-1')), (error) => error instanceof SandboxRunLostError && error.runId === 'stuck-1');
    await assert.rejects(sandbox.activate(infoQuery('bystander')), (error) => {
      assert.ok(error instanceof SandboxRunLostError);
      assert.match(error.message, /Workflow run bystander is no longer in the sandbox \(.*potential deadlock\): replay it from its history/);
      return true;
    });
    assert.equal(sandbox.runCount, 0);

    // … new runs work on the new thread, and a replay (initializeWorkflow again) brings a lost run back.
    assert.equal(resultOf(await sandbox.activate(startActivation('after-1', 'deepAwait', [10]))), 10);
    await sandbox.activate(startActivation('bystander', 'waitForever'));
    const [answer] = commandsOf(await sandbox.activate(infoQuery('bystander')));
    assert.equal(decode(answer.result).runId, 'bystander');
  });

  it('also stops an endless microtask loop; runs on other threads are not affected', async () => {
    await sandbox?.close();
    sandbox = await WorkflowSandbox.create({ runtime, bundle, threads: 2, threadGrowthWindowMs: 0, activationTimeoutMs: TIMEOUT_MS });
    const stuck = sandbox.activate(startActivation('stuck-2', 'microtaskLoop')); // thread A, busy until the watchdog fires
    await new Promise((resolve) => setImmediate(resolve));
    await sandbox.activate(startActivation('neighbour', 'waitForever')); // A is busy: thread B starts for it
    assert.equal(sandbox.threadCount, 2);
    const completion = await stuck;
    assert.match(completion.failed.failure.message, /^Potential deadlock detected: workflow microtaskLoop \(workflow id wf-stuck-2, run id stuck-2\)/);
    assert.match(completion.failed.failure.stackTrace, new RegExp(`at microtaskLoop \\(${workflowsPath}:\\d+:\\d+\\)`));
    await assert.rejects(sandbox.activate(infoQuery('stuck-2')), SandboxRunLostError);

    const [answer] = commandsOf(await sandbox.activate(infoQuery('neighbour')));
    assert.equal(decode(answer.result).runId, 'neighbour');
    assert.equal(resultOf(await sandbox.activate(startActivation('after-2', 'counter'))), 1);
    await sandbox.dispose('stuck-2');
    await assert.rejects(sandbox.activate(infoQuery('stuck-2')), /is not in the sandbox/);
  });

  it('requests sent to a busy thread wait in it; one stuck behind a deadlock is lost, not timed out', async () => {
    await sandbox?.close();
    sandbox = await WorkflowSandbox.create({ runtime, bundle, threads: 1, activationTimeoutMs: TIMEOUT_MS });
    // Sent together: the thread runs them in order and answers each.
    const results = await Promise.all(['a', 'b', 'c', 'd'].map((id, i) => sandbox.activate(startActivation(`queued-${id}`, 'deepAwait', [i]))));
    assert.deepEqual(results.map(resultOf), [0, 1, 2, 3]);

    await sandbox.activate(startActivation('behind', 'waitForever'));
    const stuck = sandbox.activate(startActivation('stuck-3', 'infiniteLoop'));
    const queued = sandbox.activate(infoQuery('behind'));
    assert.match((await stuck).failed.failure.message, /^Potential deadlock detected: workflow infiniteLoop \(workflow id wf-stuck-3/);
    await assert.rejects(queued, (error) => error instanceof SandboxRunLostError && error.runId === 'behind');
  });

  it('activationTimeoutMs: 0 turns the watchdog off', async () => {
    const unlimited = await WorkflowSandbox.create({ runtime, bundle, threads: 1, activationTimeoutMs: 0 });
    try {
      assert.equal(resultOf(await unlimited.activate(startActivation('slow-ok', 'deepAwait', [50]))), 50);
    } finally {
      await unlimited.close();
    }
  });
});
