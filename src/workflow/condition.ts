/**
 * `condition`: waiting until a predicate over workflow state holds.
 *
 * @module
 */
import type { Duration } from '../common/index.js';
import { CancellationScope } from './cancellation-scope.js';
import type { TimerOptions } from './interceptors.js';
import { patched } from './patches.js';
import { assertInWorkflowContext, getActivator } from './runtime/current.js';
import { sleep } from './timers.js';
import { captureOrigin } from './runtime/origin.js';

/** Before SDK 1.5.0, `condition(fn, 0)` meant "no timeout"; histories from then lack this patch. */
const CONDITION_0_PATCH = '__sdk_internal_patch_number:1';

/** Resolves when `fn()` is true, checked now and after every job and resolution. */
function conditionInner(fn: () => boolean, origin: Error): Promise<void> {
  const activator = getActivator();
  return new Promise<void>((resolve, reject) => {
    const scope = CancellationScope.current();
    if (scope.consideredCancelled) {
      scope.cancelRequested.catch(reject);
      return;
    }
    const seq = activator.nextSeqs.condition++;
    if (scope.cancellable) {
      scope.cancelRequested.catch((err: unknown) => {
        activator.blockedConditions.delete(seq);
        reject(err);
      });
    }
    if (fn()) {
      resolve();
      return;
    }
    activator.blockedConditions.set(seq, { fn, resolve, origin });
  });
}

/**
 * Waits until `fn()` returns true, or until `timeout` expires (a durable timer, cancelled when the
 * condition is met first).
 *
 * @returns with a timeout, whether the condition became true before the timeout
 * @example
 * ```ts
 * await condition(() => approved);
 * const inTime = await condition(() => approved, '1 hour');
 * ```
 */
export function condition(fn: () => boolean, timeout: Duration, options?: TimerOptions): Promise<boolean>;
export function condition(fn: () => boolean): Promise<void>;
export async function condition(fn: () => boolean, timeout?: Duration, options?: TimerOptions): Promise<void | boolean> {
  assertInWorkflowContext('Workflow.condition(...) may only be used from a Workflow Execution.');
  if (typeof fn !== 'function') throw new TypeError('condition expects a function returning a boolean');
  const origin = captureOrigin('condition');
  if (timeout === 0 && !patched(CONDITION_0_PATCH)) return conditionInner(fn, origin);
  if (typeof timeout === 'number' || typeof timeout === 'string') {
    const scope = new CancellationScope({ cancellable: true });
    return scope.run(async () => {
      try {
        return await Promise.race([sleep(timeout, options).then(() => false), conditionInner(fn, origin).then(() => true)]);
      } finally {
        scope.cancel();
      }
    });
  }
  return conditionInner(fn, origin);
}
