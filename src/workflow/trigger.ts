/**
 * A promise with its `resolve` and `reject` exposed, linked to the cancellation scope it was created in.
 *
 * @module
 */
import { CancellationScope } from './cancellation-scope.js';

/**
 * A `PromiseLike` resolved or rejected from outside, e.g. from a signal handler. It rejects when the
 * (cancellable) scope it was created in is cancelled.
 *
 * @example
 * ```ts
 * const approved = new Trigger<boolean>();
 * setHandler(approveSignal, () => approved.resolve(true));
 * const ok = await Promise.race([approved, sleep('1 day').then(() => false)]);
 * ```
 */
export class Trigger<T> implements PromiseLike<T> {
  public readonly resolve!: (value: T | PromiseLike<T>) => void;
  public readonly reject!: (reason?: unknown) => void;
  protected readonly promise: Promise<T>;

  constructor() {
    const scope = CancellationScope.current();
    let resolve!: (value: T | PromiseLike<T>) => void;
    let reject!: (reason?: unknown) => void;
    this.promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
      if (scope.cancellable) scope.cancelRequested.catch(rej);
    });
    this.resolve = resolve;
    this.reject = reject;
    // Nobody may be awaiting the trigger when it rejects.
    this.promise.catch(() => undefined);
  }

  then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null
  ): Promise<R1 | R2> {
    return this.promise.then(onfulfilled, onrejected);
  }
}
