/**
 * The activity {@link Context}: the current execution's info, heartbeats, cancellation (a promise,
 * an `AbortSignal` and a cancellation-aware sleep) and logger, found through `AsyncLocalStorage`.
 *
 * The worker creates one per execution with {@link createActivityContext} and runs the activity
 * function inside it; user code reaches it with {@link Context.current}.
 *
 * @module
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { msToNumber } from '../common/duration.js';
import type { Duration } from '../common/duration.js';
import { IllegalStateError } from '../common/errors.js';
import { CancelledFailure } from '../common/failure.js';
import type { Logger } from '../common/logger.js';
import { noopMetricMeter, type MetricMeter } from '../common/metrics.js';
import { ActivityCancellationDetails } from '../common/activity-cancellation.js';
import type { CancelReason } from '../common/activity-cancellation.js';
import type { Info } from './info.js';
import { longDelay } from './long-timeout.js';
import type { Client } from '../client/client.js';

// One storage per process, even when several copies of this module are loaded.
const STORAGE_KEY = Symbol.for('duraflow.activity.contextStorage');
const globalSlots = globalThis as unknown as Record<symbol, AsyncLocalStorage<Context> | undefined>;
const storage: AsyncLocalStorage<Context> = (globalSlots[STORAGE_KEY] ??= new AsyncLocalStorage<Context>());

const OUTSIDE_ACTIVITY =
  'Activity context not initialized: Context.current() and the activity functions (activityInfo, heartbeat, sleep, ' +
  'cancelled, cancellationSignal, cancellationDetails, log) may only be called while an activity is executing';

/** What a context is made of; supplied by the worker (or a test environment). */
export interface ActivityContextInit {
  info: Info;
  /** Receives every `heartbeat(details)` call (throttling and sending are the receiver's job). */
  heartbeat: (details?: unknown) => void;
  /** The activity's logger, already carrying its attributes. */
  logger: Logger;
  /**
   * The meter for custom metrics, already tagged (`namespace`, `taskQueue`, `activityType`).
   * @default a meter that records nothing
   */
  metricMeter?: MetricMeter;
  /** The Client `Context.client` returns, made on first use. @default none (`client` throws) */
  client?: () => Client;
}

/** Cancellation state shared between a {@link Context} and its owner's handle. */
interface CancellationState {
  readonly controller: AbortController;
  readonly promise: Promise<never>;
  details?: ActivityCancellationDetails;
}

/**
 * The context of the activity execution in progress: get it with {@link Context.current} from
 * anywhere in the activity's asynchronous call tree.
 *
 * Cancellation reaches an activity only if it heartbeats (the server answers a heartbeat with the
 * cancel request), or when the worker shuts down or sees a timeout pass. Observe it by awaiting
 * {@link cancelled} or {@link sleep}, or by passing {@link cancellationSignal} to APIs that accept
 * an `AbortSignal`; the reason is the `CancelledFailure`'s message.
 *
 * @example
 * ```ts
 * import { Context } from 'duraflow/activity';
 *
 * export async function download(url: string): Promise<string> {
 *   const ctx = Context.current();
 *   ctx.log.info('downloading', { url, attempt: ctx.info.attempt });
 *   const res = await fetch(url, { signal: ctx.cancellationSignal });
 *   ctx.heartbeat('fetched');
 *   return await res.text();
 * }
 * ```
 */
export class Context {
  /**
   * The context of the activity that is executing.
   *
   * @throws {@link IllegalStateError} when called outside an activity.
   * @example
   * ```ts
   * const { activityId, attempt } = Context.current().info;
   * ```
   */
  static current(): Context {
    const context = storage.getStore();
    if (context === undefined) throw new IllegalStateError(OUTSIDE_ACTIVITY);
    return context;
  }

  /** Information about this execution. */
  readonly info: Info;
  /**
   * Rejects with a `CancelledFailure` when the activity is cancelled; never resolves. Await it
   * (e.g. in a `Promise.race`) to stop work on cancellation.
   */
  readonly cancelled: Promise<never>;
  /** Aborted, with the `CancelledFailure` as its reason, when the activity is cancelled. */
  readonly cancellationSignal: AbortSignal;
  /** Logger whose entries carry this activity's attributes (id, type, attempt, workflow, ...). */
  readonly log: Logger;
  /**
   * Custom metrics of this activity, tagged with its `namespace`, `taskQueue` and `activityType`
   * (they go to the worker's metrics back end, unprefixed).
   *
   * @example
   * ```ts
   * Context.current().metricMeter.createCounter('rows_loaded').add(rows.length);
   * ```
   */
  readonly metricMeter: MetricMeter;
  private readonly heartbeatFn: (details?: unknown) => void;
  private readonly cancellation: CancellationState;
  private readonly clientFn: (() => Client) | undefined;

  /** Not for user code: the worker builds contexts with {@link createActivityContext}. */
  constructor(init: ActivityContextInit, cancellation: CancellationState) {
    this.info = init.info;
    this.log = init.logger;
    this.metricMeter = init.metricMeter ?? noopMetricMeter;
    this.heartbeatFn = init.heartbeat;
    this.clientFn = init.client;
    this.cancellation = cancellation;
    this.cancelled = cancellation.promise;
    this.cancellationSignal = cancellation.controller.signal;
  }

  /**
   * A Client on the worker's connection and namespace, to start or signal workflows from an
   * activity.
   *
   * @throws {@link IllegalStateError} in a `MockActivityEnvironment` created without a `client`.
   * @example
   * ```ts
   * await Context.current().client.workflow.start(notify, { taskQueue: 'mail', workflowId: `notify-${id}` });
   * ```
   */
  get client(): Client {
    if (this.clientFn === undefined) {
      throw new IllegalStateError('No Client available. This may be a MockActivityEnvironment that was created without a Client.');
    }
    return this.clientFn();
  }

  /**
   * Records a heartbeat: tells the server the activity is alive and stores `details`, which the
   * next attempt finds in `info.heartbeatDetails`. Calls are throttled by the worker (the first is
   * sent at once, later ones at most every 80% of the heartbeat timeout, with the latest details).
   * Heartbeating is also how a cancellation request reaches the activity.
   *
   * @example
   * ```ts
   * for (const [i, row] of rows.entries()) { await load(row); Context.current().heartbeat(i); }
   * ```
   */
  readonly heartbeat = (details?: unknown): void => {
    this.heartbeatFn(details);
  };

  /**
   * Waits `ms` (a number of milliseconds or an `ms`-style string such as `'2s'`); rejects with the
   * `CancelledFailure` as soon as the activity is cancelled.
   *
   * @example
   * ```ts
   * await Context.current().sleep('500ms');
   * ```
   */
  readonly sleep = (ms: Duration): Promise<void> => {
    let delay: number;
    try {
      delay = msToNumber(ms);
    } catch (error) {
      return Promise.reject(error);
    }
    return longDelay(delay, this.cancellationSignal);
  };

  /**
   * Why the activity was cancelled, or `undefined` while it is not.
   *
   * @experimental
   */
  get cancellationDetails(): ActivityCancellationDetails | undefined {
    return this.cancellation.details;
  }
}

/** The owner's side of a {@link Context}: run code in it, cancel it. */
export interface ActivityContextHandle {
  readonly context: Context;
  /** The reason of the first {@link cancel}, or `undefined`. */
  readonly cancelReason: CancelReason | undefined;
  /**
   * Cancels the context: sets its cancellation details, aborts its signal and rejects its
   * `cancelled` promise with `CancelledFailure(reason)`. Later calls do nothing and return false.
   */
  cancel(reason: CancelReason, details?: ActivityCancellationDetails): boolean;
  /** Runs `fn` with the context current (for `fn` and everything it starts). */
  run<T>(fn: () => T): T;
}

/**
 * Creates a context for one activity execution, for the worker or a test environment.
 *
 * @example
 * ```ts
 * const handle = createActivityContext({ info, heartbeat: (d) => throttle.record(d), logger });
 * const result = await handle.run(() => fn(...args));
 * ```
 */
export function createActivityContext(init: ActivityContextInit): ActivityContextHandle {
  const controller = new AbortController();
  let rejectPromise: (reason: unknown) => void = () => undefined;
  const promise = new Promise<never>((_resolve, reject) => {
    rejectPromise = reject;
  });
  // Activities that never await `cancelled` must not cause an unhandled rejection.
  promise.catch(() => undefined);
  const state: CancellationState = { controller, promise };
  const context = new Context(init, state);
  let cancelReason: CancelReason | undefined;
  return {
    context,
    get cancelReason() {
      return cancelReason;
    },
    cancel(reason, details) {
      if (cancelReason !== undefined) return false;
      cancelReason = reason;
      state.details = details ?? ActivityCancellationDetails.fromReason(reason);
      const failure = new CancelledFailure(reason);
      controller.abort(failure);
      rejectPromise(failure);
      return true;
    },
    run: (fn) => storage.run(context, fn),
  };
}
