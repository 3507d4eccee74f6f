/**
 * Linking an operation (timer, activity, child workflow, external signal) to the cancellation scope
 * current when workflow code starts it.
 *
 * @module
 */
import { CancellationScope } from './cancellation-scope.js';

/**
 * Runs `register` unless the current scope is already cancelled (then rejects with its reason), and
 * arranges for `onCancel` when the scope is cancelled later.
 */
export function linkToScope<T>(
  register: (resolve: (value: T) => void, reject: (reason: unknown) => void) => void,
  onCancel: (reason: unknown, reject: (reason: unknown) => void) => void
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const scope = CancellationScope.current();
    if (scope.consideredCancelled) {
      scope.cancelRequested.catch(reject);
      return;
    }
    if (scope.cancellable) scope.cancelRequested.catch((reason: unknown) => onCancel(reason, reject));
    register(resolve, reject);
  });
}

