/**
 * Async context of a run (the current cancellation scope, the current update) that follows
 * workflow code across `await`s.
 *
 * Native `await` continuations can only be followed by the engine's promise hooks, which Node exposes
 * as `AsyncLocalStorage`. The sandbox host endows it as a global (as the official SDK does for its vm
 * contexts). Without it, a context is visible only to the synchronous part of the function that set
 * it, which is enough for code that creates its operations before its first `await`.
 *
 * Every run of a thread shares one native storage: each enabled `AsyncLocalStorage` costs a little
 * on every promise the thread creates, so one per cached run would make promises slower as the cache
 * grows. Sharing is safe because a context only flows along the async chains of the code that set it,
 * and the runs' code never shares a chain.
 *
 * @module
 */

/** The subset of `AsyncLocalStorage` used here. */
interface NativeStorage<T> {
  getStore(): T | undefined;
  run<R>(store: T, fn: () => R): R;
}

type NativeStorageConstructor = new <T>() => NativeStorage<T>;

/** The native storage every {@link RunContextStorage} of this runtime instance shares. */
let sharedNative: NativeStorage<object> | undefined;

/** A record of context values (`C`'s fields) that code inherits from whoever started it. */
export class RunContextStorage<C extends object> {
  readonly #native: NativeStorage<Partial<C>> | undefined;
  #synchronous: Partial<C> = {};

  constructor() {
    const Native = (globalThis as { AsyncLocalStorage?: NativeStorageConstructor }).AsyncLocalStorage;
    if (typeof Native === 'function') sharedNative ??= new Native<object>();
    this.#native = typeof Native === 'function' ? (sharedNative as NativeStorage<Partial<C>>) : undefined;
  }

  /** The context of the calling code (`{}` outside any `run`). */
  current(): Partial<C> {
    return (this.#native ? this.#native.getStore() : this.#synchronous) ?? {};
  }

  /** Runs `fn` with the current context overridden by `values`. */
  run<R>(values: Partial<C>, fn: () => R): R {
    const next = { ...this.current(), ...values };
    if (this.#native) return this.#native.run(next, fn);
    const previous = this.#synchronous;
    this.#synchronous = next;
    try {
      return fn();
    } finally {
      this.#synchronous = previous;
    }
  }

  /** The run is over (the shared native storage stays enabled for the thread's other runs). */
  dispose(): void {
    this.#synchronous = {};
  }
}
