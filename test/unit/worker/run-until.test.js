// Worker.runUntil's outcome rules (the official worker's): the promise's value or error when the
// worker stops cleanly; the worker's error when only it failed; CombinedWorkerRunError when both
// failed; PromiseCompletionTimeoutError when the worker stopped first and the promise did not settle
// within promiseCompletionTimeout.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runWorkerUntil } from '../../../dist/worker/run-until.js';
import { CombinedWorkerRunError, PromiseCompletionTimeoutError } from '../../../dist/worker/worker-errors.js';

/** A worker whose run() settles when shutdown() is called (rejecting with `failWith`), or earlier via `stop()`. */
function fakeWorker(failWith) {
  let settle;
  const worker = {
    shutdowns: 0,
    run: () => new Promise((resolve, reject) => (settle = () => (failWith ? reject(failWith) : resolve()))),
    shutdown() {
      worker.shutdowns++;
      settle();
    },
    stop: () => settle(),
  };
  return worker;
}

const never = () => new Promise(() => undefined);

describe('runWorkerUntil', () => {
  it('returns the value, or throws the error, of the promise; the worker is shut down either way', async () => {
    const ok = fakeWorker();
    assert.equal(await runWorkerUntil(ok, async () => 42), 42);
    assert.equal(ok.shutdowns, 1);
    const failing = fakeWorker();
    await assert.rejects(runWorkerUntil(failing, Promise.reject(new Error('scenario failed'))), /scenario failed/);
    await assert.rejects(runWorkerUntil(fakeWorker(), () => { throw new Error('thrown at once'); }), /thrown at once/);
  });

  it('throws the worker\'s error when only the worker failed, and both errors when both did', async () => {
    await assert.rejects(runWorkerUntil(fakeWorker(new Error('poll failed')), async () => 1), /poll failed/);
    const both = await runWorkerUntil(fakeWorker(new Error('poll failed')), async () => {
      throw new Error('scenario failed');
    }).catch((e) => e);
    assert.ok(both instanceof CombinedWorkerRunError);
    assert.deepEqual([both.cause.workerError.message, both.cause.innerError.message], ['poll failed', 'scenario failed']);
  });

  it('when the worker stops first, gives the promise promiseCompletionTimeout to settle', async () => {
    const stopsFirst = fakeWorker();
    const pending = runWorkerUntil(stopsFirst, never);
    stopsFirst.stop();
    await assert.rejects(pending, (e) => e instanceof PromiseCompletionTimeoutError && /within 0 ms/.test(e.message));

    const late = fakeWorker();
    const settlesLate = runWorkerUntil(late, () => new Promise((resolve) => setTimeout(() => resolve('late'), 30)), { promiseCompletionTimeout: '2s' });
    late.stop();
    assert.equal(await settlesLate, 'late');
    await assert.rejects(runWorkerUntil(fakeWorker(), never, { promiseCompletionTimeout: -1 }), /promiseCompletionTimeout' must not be negative/);
  });
});
