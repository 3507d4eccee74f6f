/**
 * `AsyncLocalStorage` for workflow code, as the official SDK exports it: a value that follows the
 * code that set it across `await`s (for context propagation in interceptors and libraries).
 *
 * Every instance keeps its value under a key of its own in the run's context record, the one the
 * runtime keeps the current cancellation scope in (one native storage per sandbox thread): so
 * creating instances, even one per cached run, adds no cost to the thread's promises, as a native
 * `AsyncLocalStorage` per instance would.
 *
 * @module
 */
import { RunContextStorage } from './context-storage.js';

/**
 * @example
 * ```ts
 * import { AsyncLocalStorage, sleep } from 'duraflow/workflow';
 *
 * const tenant = new AsyncLocalStorage<string>();
 * export async function report(id: string): Promise<string | undefined> {
 *   return await tenant.run(id, async () => {
 *     await sleep('1s');
 *     return tenant.getStore(); // still `id`
 *   });
 * }
 * ```
 */
export class AsyncLocalStorage<T> {
  readonly #key = Symbol('AsyncLocalStorage');
  readonly #context = new RunContextStorage<Record<symbol, unknown>>();
  #disabled = false;

  /** The value of the innermost `run` around the calling code, or undefined. */
  getStore(): T | undefined {
    return this.#disabled ? undefined : (this.#context.current()[this.#key] as T | undefined);
  }

  /** Calls `fn(...args)` with `store` as the value for it and everything it starts. */
  run<R, A extends unknown[]>(store: T, fn: (...args: A) => R, ...args: A): R {
    if (typeof fn !== 'function') throw new TypeError('AsyncLocalStorage.run: the callback must be a function');
    this.#disabled = false;
    return this.#context.run({ [this.#key]: store }, () => fn(...args));
  }

  /** Calls `fn(...args)` outside this storage's value (`getStore()` is undefined in it). */
  exit<R, A extends unknown[]>(fn: (...args: A) => R, ...args: A): R {
    if (typeof fn !== 'function') throw new TypeError('AsyncLocalStorage.exit: the callback must be a function');
    return this.#context.run({ [this.#key]: undefined }, () => fn(...args));
  }

  /** Makes `getStore()` answer undefined until the next `run`. */
  disable(): void {
    this.#disabled = true;
  }
}
