// Running activations: quiescence (microtask drain, condition-unblock loop), unhandled rejections,
// source-mapped stacks, command stacks, run placement, dispose and close.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SandboxClosedError, WorkflowSandbox } from '../../../dist/worker/sandbox/index.js';
import { DISCARD_DELAY_MS } from '../../../dist/worker/sandbox/sandbox-thread.js';
import {
  commandsOf,
  decode,
  encode,
  failureOf,
  fixtureBundle, fixtureRuntime,
  markLine,
  nextActivation,
  resultOf,
  startActivation,
  workflowsPath,
} from '../../fixtures/sandbox/activations.js';

describe('thread pool', () => {
  it('with a growth window of 0, starts another thread whenever a new run arrives while every running thread is busy', async () => {
    const sandbox = await WorkflowSandbox.create({ runtime: await fixtureRuntime(), bundle: await fixtureBundle(), threads: 2, threadGrowthWindowMs: 0 });
    try {
      assert.equal(sandbox.threadCount, 1);
      assert.equal(resultOf(await sandbox.activate(startActivation('pool-1', 'deepAwait', [10]))), 10);
      assert.equal(resultOf(await sandbox.activate(startActivation('pool-2', 'deepAwait', [10]))), 10);
      assert.equal(sandbox.threadCount, 1, 'runs one after another never find the thread busy');
      const long = sandbox.activate(startActivation('pool-3', 'deepAwait', [200_000]));
      await new Promise((resolve) => setImmediate(resolve));
      const other = sandbox.activate(startActivation('pool-4', 'deepAwait', [10]));
      assert.equal(sandbox.threadCount, 2);
      assert.deepEqual([resultOf(await long), resultOf(await other)], [200_000, 10]);
      const third = sandbox.activate(startActivation('pool-5', 'deepAwait', [200_000]));
      await new Promise((resolve) => setImmediate(resolve));
      await sandbox.activate(startActivation('pool-6', 'deepAwait', [10]));
      assert.equal(sandbox.threadCount, 2, 'never more than `threads`');
      await third;
    } finally {
      await sandbox.close();
    }
  });

  it('starts another thread only once the running one has been saturated for a whole growth window', async () => {
    const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
    const sandbox = await WorkflowSandbox.create({
      runtime: await fixtureRuntime(), bundle: await fixtureBundle(), threads: 2, threadGrowthWindowMs: 100, activationTimeoutMs: 3000,
    });
    try {
      const spinning = sandbox.activate(startActivation('grow-1', 'infiniteLoop')); // busy until the watchdog stops it
      await sleep(150);
      const queued = sandbox.activate(startActivation('grow-2', 'deepAwait', [10])).then(() => 'answered', (error) => error);
      assert.equal(sandbox.threadCount, 1, 'busy, but its saturation was not measured over a whole window yet');
      await sleep(150);
      const placed = sandbox.activate(startActivation('grow-3', 'deepAwait', [10]));
      assert.equal(sandbox.threadCount, 2, 'saturated for the last window');
      assert.equal(resultOf(await placed), 10);
      assert.match((await spinning).failed.failure.message, /^Potential deadlock detected/);
      assert.match(String(await queued), /no longer in the sandbox/, 'queued behind the stuck activation on the first thread');
    } finally {
      await sandbox.close();
    }
  });
});

describe('activations', () => {
  let sandbox;
  before(async () => {
    sandbox = await WorkflowSandbox.create({ runtime: await fixtureRuntime(), bundle: await fixtureBundle(), threads: 2 });
  });
  after(() => sandbox?.close());

  it('drains a 200-deep await chain within one activation', async () => {
    assert.equal(resultOf(await sandbox.activate(startActivation('deep-1', 'deepAwait', [200]))), 200);
  });

  it('loops condition unblocking until nothing changes, all in one activation', async () => {
    const start = await sandbox.activate(startActivation('cond-1', 'conditionCascade'));
    assert.deepEqual(commandsOf(start), []);
    const signal = { kind: 'signalWorkflow', signalName: 'go', input: [], identity: 'test', headers: {} };
    assert.deepEqual(resultOf(await sandbox.activate(nextActivation('cond-1', [signal]))), ['a', 'b', 'c']);
  });

  it('fails the workflow with a stack trace mapped to the TypeScript source', async () => {
    const failure = failureOf(await sandbox.activate(startActivation('throw-1', 'throwing', [5])));
    assert.equal(failure.message, 'value 5 is too large');
    assert.equal(failure.applicationFailureInfo.type, 'RangeError');
    const [, firstFrame] = failure.stackTrace.split('\n');
    assert.match(firstFrame, /^\s+at validate \(/);
    assert.ok(firstFrame.includes(`${workflowsPath}:${markLine('throw')}:`), firstFrame);
    assert.doesNotMatch(failure.stackTrace, /workflow-bundle-[0-9a-f]+\.js/);
  });

  it('maps query failure stacks, and answers queries without disturbing the run', async () => {
    await sandbox.activate(startActivation('query-1', 'waitForever'));
    const query = (queryType) => nextActivation('query-1', [{ kind: 'queryWorkflow', queryId: `q-${queryType}`, queryType, arguments: [], headers: {} }]);
    const [answer] = commandsOf(await sandbox.activate(query('info')));
    assert.deepEqual(decode(answer.result), { workflowId: 'wf-query-1', workflowType: 'waitForever', runId: 'query-1' });
    const [broken] = commandsOf(await sandbox.activate(query('broken')));
    assert.equal(broken.failure.message, 'query failed');
    assert.ok(broken.failure.stackTrace.includes(`${workflowsPath}:${markLine('query-throw')}:`), broken.failure.stackTrace);
  });

  it('hands an unhandled rejection to the run being activated', async () => {
    const failure = failureOf(await sandbox.activate(startActivation('rej-1', 'unhandled')));
    assert.equal(failure.message, 'nobody handles me');
  });

  it('commandStack gives the mapped stack of the code that issued a command', async () => {
    const start = await sandbox.activate(startActivation('mark-1', 'marker'));
    const [timer] = commandsOf(start);
    const second = await sandbox.activate(nextActivation('mark-1', [{ kind: 'fireTimer', seq: timer.seq }]));
    assert.deepEqual(commandsOf(second).map((c) => c.kind), ['upsertWorkflowSearchAttributes', 'startTimer']);
    const stack = await sandbox.commandStack('mark-1', 0);
    assert.ok(stack.includes(`${workflowsPath}:${markLine('command')}:`), stack);
    assert.equal(await sandbox.commandStack('mark-1', 99), undefined);
    assert.equal(await sandbox.commandStack('no-such-run', 0), undefined);
  });

  it('keeps a run on its thread and spreads new runs over the least-loaded thread', async () => {
    const before = sandbox.runCount;
    await sandbox.activate(startActivation('spread-1', 'waitForever'));
    await sandbox.activate(startActivation('spread-2', 'waitForever'));
    assert.equal(sandbox.runCount, before + 2);
    // Both runs answer queries later: each lives on a thread that still has its Compartment.
    for (const runId of ['spread-1', 'spread-2']) {
      const [answer] = commandsOf(
        await sandbox.activate(nextActivation(runId, [{ kind: 'queryWorkflow', queryId: 'q', queryType: 'info', arguments: [], headers: {} }]))
      );
      assert.equal(decode(answer.result).runId, runId);
    }
  });

  it('an initializeWorkflow for an existing run replaces it (fresh module state)', async () => {
    assert.equal(resultOf(await sandbox.activate(startActivation('again-1', 'counter'))), 1);
    assert.equal(resultOf(await sandbox.activate(startActivation('again-1', 'counter'))), 1);
  });

  it('dispose evicts a run; activating it afterwards needs initializeWorkflow', async () => {
    await sandbox.activate(startActivation('evict-1', 'waitForever'));
    const count = sandbox.runCount;
    await sandbox.dispose('evict-1');
    assert.equal(sandbox.runCount, count - 1);
    await assert.rejects(sandbox.activate(nextActivation('evict-1', [{ kind: 'fireTimer', seq: 1 }])), /is not in the sandbox: a run's first activation must contain initializeWorkflow/);
    await sandbox.dispose('never-existed');
  });

  it('dispose drops the run in its thread with the next request sent there, or shortly when none follows', async () => {
    await sandbox.activate(startActivation('drop-1', 'marker'));
    await sandbox.activate(startActivation('drop-2', 'marker'));
    const one = sandbox.runs.get('drop-1').thread; // (internal) each run's thread
    const two = sandbox.runs.get('drop-2').thread;
    // Asks the thread itself (the sandbox answers from its own records for runs it forgot).
    const knows = async (thread, runId) => (await thread.request({ type: 'commandStack', runId, index: 0 }, () => undefined)) !== undefined;
    assert.ok(await knows(one, 'drop-1'));
    await sandbox.dispose('drop-1');
    assert.deepEqual(one.discards, ['drop-1'], 'no message of its own yet');
    assert.equal(await knows(one, 'drop-1'), false, 'dropped before the next request was handled');
    assert.ok(await knows(two, 'drop-2'), 'the other run stays');
    await sandbox.dispose('drop-2');
    await new Promise((resolve) => setTimeout(resolve, DISCARD_DELAY_MS + 200));
    assert.deepEqual(two.discards, [], 'sent on its own after the delay');
    assert.equal(await knows(two, 'drop-2'), false);
  });

  it('validates its arguments', async () => {
    await assert.rejects(sandbox.activate(null), /activation must be an object/);
    await assert.rejects(sandbox.activate({ runId: '', timestampMs: 0, jobs: [] }), /runId must be a non-empty string/);
    await assert.rejects(sandbox.activate({ runId: 'x', timestampMs: NaN, jobs: [] }), /timestampMs must be a finite number/);
    await assert.rejects(sandbox.commandStack('x', -1), /index must be an integer/);
    await assert.rejects(WorkflowSandbox.create({ bundle: { code: 'module.exports = 1' } }), /not a duraflow workflow bundle/);
    await assert.rejects(WorkflowSandbox.create({ runtime: await fixtureRuntime(), bundle: await fixtureBundle(), threads: 0 }), /'threads' must be an integer ≥ 1/);
  });

  it('a workflow module that throws while loading fails that activation, and the run does not exist', async () => {
    const loadFailurePath = new URL('../../fixtures/sandbox/throws-on-load.ts', import.meta.url).pathname;
    const other = await WorkflowSandbox.create({ runtime: await fixtureRuntime(), bundle: await fixtureBundle({ workflowsPath: loadFailurePath }), threads: 1 });
    try {
      const completion = await other.activate(startActivation('load-1', 'never'));
      assert.match(completion.failed.failure.message, /^The workflow bundle failed to load: module top level throws/);
      assert.ok(completion.failed.failure.stackTrace.includes(`${loadFailurePath}:${markLine('load-throw', loadFailurePath)}:`), completion.failed.failure.stackTrace);
      assert.equal(other.runCount, 0);
      await assert.rejects(other.activate(nextActivation('load-1', [])), /is not in the sandbox/);
    } finally {
      await other.close();
    }
  });

  it('create() fails, naming the error, when the bundle cannot be evaluated', async () => {
    const broken = await fixtureBundle({ workflowsPath: new URL('../../fixtures/sandbox/throws-always.ts', import.meta.url).pathname });
    await assert.rejects(WorkflowSandbox.create({ runtime: await fixtureRuntime(), bundle: broken, threads: 2 }), /^Error: The workflow sandbox thread failed to start: this bundle cannot load$/m);
  });

  it('create() takes a promise of the bundle (threads lock down meanwhile), and fails with its rejection or a bad bundle', async () => {
    let resolveBundle;
    const later = WorkflowSandbox.create({ runtime: await fixtureRuntime(), bundle: new Promise((resolve) => (resolveBundle = resolve)), threads: 1 });
    resolveBundle(await fixtureBundle());
    const other = await later;
    try {
      assert.equal(resultOf(await other.activate(startActivation('promised-1', 'deepAwait', [3]))), 3);
    } finally {
      await other.close();
    }
    const bundlingFailed = new Error('bundling failed');
    await assert.rejects(WorkflowSandbox.create({ runtime: await fixtureRuntime(), bundle: Promise.reject(bundlingFailed), threads: 1 }), (error) => error === bundlingFailed);
    await assert.rejects(WorkflowSandbox.create({ bundle: Promise.resolve({ code: 'module.exports = 1' }), threads: 1 }), /not a duraflow workflow bundle/);
  });

  it('a completion that is not plain data becomes a failed completion', async () => {
    const completion = await sandbox.activate(startActivation('clone-1', 'unclonable'));
    assert.match(completion.failed.failure.message, /^The activation completion cannot leave the sandbox \(it must be plain data\): .*could not be cloned/);
  });

  it('close() rejects an activation in progress with SandboxClosedError', async () => {
    const other = await WorkflowSandbox.create({ runtime: await fixtureRuntime(), bundle: await fixtureBundle(), threads: 1, activationTimeoutMs: 0 });
    const stuck = other.activate(startActivation('busy-1', 'infiniteLoop'));
    const queued = other.activate(startActivation('busy-2', 'counter'));
    const checks = [assert.rejects(stuck, SandboxClosedError), assert.rejects(queued, SandboxClosedError)];
    await new Promise((resolve) => setTimeout(resolve, 100));
    await other.close();
    await Promise.all(checks);
  });

  it('close() ends everything; later calls reject with SandboxClosedError', async () => {
    const other = await WorkflowSandbox.create({ runtime: await fixtureRuntime(), bundle: await fixtureBundle(), threads: 1 });
    await other.activate(startActivation('closing-1', 'waitForever'));
    await other.close();
    assert.equal(other.runCount, 0);
    await assert.rejects(other.activate(startActivation('closing-2', 'counter')), SandboxClosedError);
    await other.close();
  });

  it('payload helpers round-trip (fixture sanity)', () => {
    assert.deepEqual(decode(encode({ a: [1] })), { a: [1] });
  });
});
