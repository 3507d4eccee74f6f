// What workflow code can and cannot reach in the sandbox: no host objects, frozen shared intrinsics,
// no GC-observable APIs, no real timers, per-run module state, and a console that becomes sink calls.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { WorkflowSandbox } from '../../../dist/worker/sandbox/index.js';
import { commandsOf, fixtureBundle, fixtureRuntime, nextActivation, resultOf, startActivation } from '../../fixtures/sandbox/activations.js';

describe('sandbox isolation', () => {
  let sandbox;
  before(async () => {
    sandbox = await WorkflowSandbox.create({ runtime: await fixtureRuntime(), bundle: await fixtureBundle(), threads: 1 });
  });
  after(() => sandbox?.close());

  it('workflow code cannot reach the host: no process, require, Buffer, fetch; Function/eval stay inside', async () => {
    const probe = resultOf(await sandbox.activate(startActivation('probe-1', 'probeHost')));
    assert.equal(probe.process, 'undefined');
    assert.equal(probe.require, 'undefined');
    assert.equal(probe.Buffer, 'undefined');
    assert.equal(probe.fetch, 'undefined');
    assert.equal(probe.module, 'undefined');
    assert.equal(probe.functionThis, 'undefined', "Function('return this')() is strict: no global object");
    assert.equal(probe.functionProcess, 'undefined');
    assert.equal(probe.evalProcess, 'undefined');
    assert.equal(probe.intl, 'undefined');
  });

  it('real timers are replaced by functions that throw and point to sleep()', async () => {
    const probe = resultOf(await sandbox.activate(startActivation('probe-2', 'probeHost')));
    assert.match(probe.setTimeout, /^threw:TypeError:setTimeout is not available in workflow code.*use sleep\(\) from duraflow\/workflow/);
    assert.match(probe.clearTimeout, /^threw:TypeError:clearTimeout is not available/);
  });

  it('a setTimeout call fails the workflow with that message', async () => {
    const start = await sandbox.activate(startActivation('timer-1', 'throwsAtTopOfTimer'));
    const [timer] = commandsOf(start);
    const done = await sandbox.activate(nextActivation('timer-1', [{ kind: 'fireTimer', seq: timer.seq }]));
    const fail = commandsOf(done).find((c) => c.kind === 'failWorkflowExecution');
    assert.match(fail.failure.message, /setTimeout is not available in workflow code/);
  });

  it('WeakRef and FinalizationRegistry throw DeterminismViolationError', async () => {
    const probe = resultOf(await sandbox.activate(startActivation('probe-3', 'probeHost')));
    assert.match(probe.weakRef, /^threw:DeterminismViolationError:WeakRef cannot be used in workflow code/);
    assert.match(probe.finalizationRegistry, /^threw:DeterminismViolationError:FinalizationRegistry cannot be used/);
    assert.match(probe.sharedErrorClassFrozen, /^threw:TypeError:.*not extensible/, 'the error class is shared by all runs: frozen');
  });

  it('shared intrinsics are frozen; own properties of the run’s objects still work', async () => {
    const probe = resultOf(await sandbox.activate(startActivation('probe-4', 'probeHost')));
    assert.match(probe.arrayPush, /^threw:TypeError:.*push/);
    assert.match(probe.objectProto, /^threw:TypeError:.*not extensible/);
    assert.match(probe.mathRandomAssign, /^threw:TypeError:.*random/);
    assert.equal(probe.ownArrayPush, 'ok:undefined', 'override taming lets instances shadow inherited methods');
  });

  it('global and self alias globalThis; Float32/64Array, TextEncoder/Decoder and queueMicrotask are there', async () => {
    const probe = resultOf(await sandbox.activate(startActivation('probe-5', 'probeHost')));
    assert.equal(probe.globalIsGlobalThis, true);
    assert.equal(probe.selfIsGlobalThis, true);
    assert.equal(probe.float64, true);
    assert.equal(probe.textCodec, true);
    assert.equal(probe.queueMicrotask, 'function');
  });

  it('the main thread stays unhardened while sandbox threads are locked down', () => {
    assert.equal(Object.isFrozen(Object.prototype), false);
    assert.equal(Object.isFrozen(Array.prototype), false);
    assert.equal(typeof globalThis.lockdown, 'undefined');
  });

  it('module state is per run: two runs of the same bundle do not share a module-level counter', async () => {
    const first = resultOf(await sandbox.activate(startActivation('counter-1', 'counter')));
    const second = resultOf(await sandbox.activate(startActivation('counter-2', 'counter')));
    assert.equal(first, 1);
    assert.equal(second, 1);
  });

  it('console calls become sink calls (formatted text); calls while replaying are dropped', async () => {
    const start = await sandbox.activate(startActivation('log-1', 'logs'));
    const calls = start.successful.sinkCalls;
    assert.deepEqual(
      calls.map((c) => [c.ifaceName, c.fnName]),
      [['console', 'log'], ['console', 'warn']]
    );
    assert.deepEqual(calls[0].args, ['hello {"a":1} 42']);
    assert.match(calls[1].args[0], /^Error: careful\n\s+at /);
    assert.deepEqual(calls[0].workflowInfo, { workflowId: 'wf-log-1', runId: 'log-1', workflowType: 'logs', namespace: 'default', taskQueue: 'tq' });
    assert.equal(calls[0].isReplaying, false);

    const replayed = await sandbox.activate(startActivation('log-2', 'logs', [], { isReplaying: true }));
    assert.deepEqual(replayed.successful.sinkCalls, []);
    const [timer] = commandsOf(replayed);
    const live = await sandbox.activate(nextActivation('log-2', [{ kind: 'fireTimer', seq: timer.seq }]));
    assert.deepEqual(live.successful.sinkCalls.map((c) => c.args[0]), ['after the timer']);
  });
});
