/**
 * Cancellation scopes: the tree through which cancellation reaches timers, activities, child
 * workflows and triggers. The workflow's main function runs in the root scope, which the
 * `cancelWorkflow` job cancels.
 *
 * @module
 */
import { CancelledFailure, IllegalStateError, type Duration } from '../common/index.js';
import { durationOption } from './activity-options.js';
import { getActivator } from './runtime/current.js';

/** Reserved marker for the root scope. */
const NO_PARENT: unique symbol = Symbol('NO_PARENT');

/** Options of a {@link CancellationScope}. */
export interface CancellationScopeOptions {
  /** Cancel the scope automatically after this long (a durable timer). */
  timeout?: Duration;
  /**
   * A non-cancellable scope shields its children and operations from cancellation requests (though a
   * `CancelledFailure` thrown inside it still propagates).
   */
  cancellable: boolean;
  /** @default CancellationScope.current() */
  parent?: CancellationScope | typeof NO_PARENT;
}

type Sleep = (ms: number) => Promise<void>;
let sleepImplementation: Sleep = () => {
  throw new IllegalStateError('Workflow timers are not initialized');
};

/** Lets `sleep` (which depends on this module) provide the timer behind scope timeouts. */
export function registerScopeSleep(sleep: Sleep): void {
  sleepImplementation = sleep;
}

/**
 * A node of the cancellation tree. Operations started inside `scope.run(fn)` (and scopes created
 * there) are linked to it: cancelling a cancellable scope cancels them, throwing a
 * {@link CancelledFailure} (or an `ActivityFailure` / `ChildWorkflowFailure` caused by one).
 *
 * @example
 * ```ts
 * const scope = new CancellationScope();
 * const promise = scope.run(() => someActivity());
 * scope.cancel();
 * await promise; // throws ActivityFailure caused by CancelledFailure
 * ```
 */
export class CancellationScope {
  /** Milliseconds before the scope cancels itself. */
  protected readonly timeout?: number;
  /** Whether cancellation requests make the scope (and what it contains) cancelled. */
  public readonly cancellable: boolean;
  public readonly parent?: CancellationScope;
  /**
   * Rejects when the scope receives a cancellation request, directly or from a cancellable parent.
   * A non-cancellable scope may receive requests without being considered cancelled.
   */
  public readonly cancelRequested: Promise<never>;
  #cancelRequested = false;
  #reject!: (reason: unknown) => void;

  constructor(options?: CancellationScopeOptions) {
    this.timeout = durationOption(options?.timeout, 'CancellationScope timeout');
    this.cancellable = options?.cancellable ?? true;
    this.cancelRequested = new Promise<never>((_, reject) => {
      this.#reject = (reason) => {
        this.#cancelRequested = true;
        reject(reason);
      };
    });
    this.cancelRequested.catch(() => undefined);
    if (options?.parent === NO_PARENT) return;
    const parent = options?.parent ?? CancellationScope.current();
    this.parent = parent;
    if (parent.cancellable) {
      this.#cancelRequested = parent.#cancelRequested;
      parent.cancelRequested.catch((err: unknown) => this.#reject(err));
    }
    // A non-cancellable parent shields its children: its requests never propagate.
  }

  /** Whether the scope is cancelled: it received a request and is cancellable. */
  public get consideredCancelled(): boolean {
    return this.#cancelRequested && this.cancellable;
  }

  /**
   * Runs `fn` with this scope as the current one.
   *
   * @example
   * ```ts
   * await new CancellationScope({ cancellable: false }).run(() => cleanup());
   * ```
   */
  run<T>(fn: () => Promise<T>): Promise<T> {
    if (typeof fn !== 'function') throw new TypeError('CancellationScope.run expects a function returning a Promise');
    return getActivator().context.run({ scope: this }, () => this.runInContext(fn));
  }

  /** The body of {@link run}, inside the scope's context. */
  protected async runInContext<T>(fn: () => Promise<T>): Promise<T> {
    let timerScope: CancellationScope | undefined;
    if (this.timeout) {
      timerScope = new CancellationScope();
      const timeout = this.timeout;
      const timer = timerScope.run(() => sleepImplementation(timeout));
      timer.then(
        () => this.cancel(),
        () => undefined // the timer was cancelled: fn finished first or the scope was cancelled
      );
    }
    try {
      return await fn();
    } finally {
      if (timerScope && !timerScope.consideredCancelled) timerScope.cancel();
    }
  }

  /** Requests cancellation of this scope (and, if it is cancellable, of what it contains). */
  cancel(): void {
    this.#reject(new CancelledFailure('Cancellation scope cancelled'));
  }

  /** Rejects {@link cancelRequested} with `reason` (used by the root scope). */
  protected requestCancel(reason: unknown): void {
    this.#reject(reason);
  }

  /**
   * The scope of the code that calls it (the root scope outside any `run`).
   *
   * @example
   * ```ts
   * const scope = CancellationScope.current();
   * if (scope.consideredCancelled) return;
   * ```
   */
  static current(): CancellationScope {
    const activator = getActivator();
    return activator.context.current().scope ?? activator.rootScope;
  }

  /**
   * Runs `fn` in a new cancellable scope.
   *
   * @example
   * ```ts
   * await CancellationScope.cancellable(async () => { await activityA(); await activityB(); });
   * ```
   */
  static cancellable<T>(fn: () => Promise<T>): Promise<T> {
    return new this({ cancellable: true }).run(fn);
  }

  /**
   * Runs `fn` in a new scope that ignores cancellation requests (e.g. cleanup after cancellation).
   *
   * @example
   * ```ts
   * catch (err) { if (isCancellation(err)) await CancellationScope.nonCancellable(() => cleanup()); throw err; }
   * ```
   */
  static nonCancellable<T>(fn: () => Promise<T>): Promise<T> {
    return new this({ cancellable: false }).run(fn);
  }

  /**
   * Runs `fn` in a new cancellable scope that cancels itself after `timeout`.
   *
   * @example
   * ```ts
   * await CancellationScope.withTimeout('10s', () => slowActivity());
   * ```
   */
  static withTimeout<T>(timeout: Duration, fn: () => Promise<T>): Promise<T> {
    return new this({ cancellable: true, timeout }).run(fn);
  }
}

/** The scope the workflow's main function runs in; cancelling it cancels the workflow. */
export class RootCancellationScope extends CancellationScope {
  constructor() {
    super({ cancellable: true, parent: NO_PARENT });
  }

  override cancel(): void {
    this.requestCancel(new CancelledFailure('Workflow cancelled'));
  }
}
