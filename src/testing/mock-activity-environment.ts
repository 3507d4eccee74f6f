/**
 * {@link MockActivityEnvironment}: runs activity functions in a real `duraflow/activity` context
 * without a worker or server, reporting heartbeats as events and letting a test cancel the activity.
 *
 * @module
 */
import { EventEmitter } from 'node:events';
import { ActivityCancellationDetails, type CancelReason, type Context, type Info } from '../activity/index.js';
import { createActivityContext, type ActivityContextHandle } from '../activity/context.js';
import { activityLogAttributes } from '../activity/info.js';
import { DefaultLogger, withLogMetadata, type Logger } from '../common/logger.js';
import {
  composeInterceptors,
  type ActivityExecuteInput,
  type ActivityInboundCallsInterceptor,
  type ActivityInterceptorsFactory,
  type ActivityOutboundCallsInterceptor,
} from '../worker/activity/interceptors.js';
import type { Client } from '../client/client.js';

/** Options of {@link MockActivityEnvironment}. */
export interface MockActivityEnvironmentOptions {
  /** Activity interceptors, as given to a worker; created once per environment. @default [] */
  interceptors?: ActivityInterceptorsFactory[];
  /** Receives the activity's log entries (with its attributes). @default a `DefaultLogger` at WARN */
  logger?: Logger;
  /** What `Context.client` / `getClient()` return. @default none: they throw an `IllegalStateError` */
  client?: Client;
}

const TEST_TOKEN = new TextEncoder().encode('test');

/**
 * The activity info {@link MockActivityEnvironment} uses for the fields a test does not set
 * (the values of `@temporalio/testing`'s `defaultActivityInfo`).
 */
export const defaultActivityInfo: Info = Object.freeze({
  attempt: 1,
  taskQueue: 'test',
  isLocal: false,
  taskToken: TEST_TOKEN,
  activityId: 'test',
  activityType: 'unknown',
  workflowType: 'test',
  base64TaskToken: Buffer.from(TEST_TOKEN).toString('base64'),
  heartbeatTimeoutMs: undefined,
  heartbeatDetails: undefined,
  activityNamespace: 'default',
  workflowNamespace: 'default',
  workflowExecution: { workflowId: 'test', runId: '00000000-0000-0000-0000-000000000000' },
  scheduledTimestampMs: 1,
  startToCloseTimeoutMs: 1000,
  scheduleToCloseTimeoutMs: 1000,
  currentAttemptScheduledTimestampMs: 1,
  priority: undefined,
  retryPolicy: undefined,
  namespace: 'default',
  activityRunId: undefined,
  inWorkflow: true,
});

/**
 * Runs activity functions in a real activity {@link Context} (the one the worker gives them):
 * `activityInfo()`, `heartbeat()`, `sleep()`, `cancelled`, `cancellationSignal`, `log` and (given a
 * `client` option) `getClient()` all work.
 * Every `heartbeat(details)` is emitted as a `'heartbeat'` event with the details;
 * {@link cancel} cancels the activity as a cancel request from its workflow would.
 *
 * One context serves every {@link run} of an environment: once cancelled, activities run in it
 * start cancelled. Use a new environment per test.
 *
 * @example
 * ```ts
 * import { MockActivityEnvironment } from 'duraflow/testing';
 *
 * const env = new MockActivityEnvironment({ attempt: 2 });
 * env.on('heartbeat', (details) => console.log('heartbeat', details));
 * const result = await env.run(processRows, 100);
 * ```
 */
export class MockActivityEnvironment extends EventEmitter {
  /** The context activities run in. */
  readonly context: Context;
  private readonly handle: ActivityContextHandle;
  private readonly inbound: ActivityInboundCallsInterceptor[] = [];

  constructor(info?: Partial<Info>, options: MockActivityEnvironmentOptions = {}) {
    super();
    if (info !== undefined && (typeof info !== 'object' || info === null)) throw new TypeError('MockActivityEnvironment info must be an object');
    if (typeof options !== 'object' || options === null) throw new TypeError('MockActivityEnvironment options must be an object');
    const activityInfo: Info = { ...defaultActivityInfo, ...info };
    const outbound: ActivityOutboundCallsInterceptor[] = [];
    const base = activityLogAttributes(activityInfo);
    const attributes = (): Record<string, unknown> =>
      composeInterceptors<ActivityOutboundCallsInterceptor, 'getLogAttributes', Record<string, unknown>, Record<string, unknown>>(
        outbound,
        'getLogAttributes',
        (a) => a,
      )(base);
    const logger = withLogMetadata(options.logger ?? new DefaultLogger('WARN'), () => ({ ...attributes(), sdkComponent: 'activity' }));
    const { client } = options;
    if (client !== undefined && (typeof client !== 'object' || client === null || typeof client.workflow !== 'object')) {
      throw new TypeError('MockActivityEnvironment option client must be a Client');
    }
    this.handle = createActivityContext({
      info: activityInfo,
      heartbeat: (details) => this.emit('heartbeat', details),
      logger,
      client: client && (() => client),
    });
    this.context = this.handle.context;
    for (const factory of options.interceptors ?? []) {
      if (typeof factory !== 'function') throw new TypeError('MockActivityEnvironment interceptors must be factory functions');
      const created = factory(this.context);
      if (created.inbound) this.inbound.push(created.inbound);
      if (created.outbound) outbound.push(created.outbound);
    }
  }

  /**
   * Calls `fn(...args)` in the activity context, through the inbound interceptors, and returns what
   * it returns (arguments and result are not converted to payloads).
   *
   * @example
   * ```ts
   * const greeting = await env.run(async (name: string) => `Hello, ${name}`, 'Ada');
   * ```
   */
  run<P extends unknown[], R>(fn: (...args: P) => R | Promise<R>, ...args: P): Promise<R> {
    if (typeof fn !== 'function') return Promise.reject(new TypeError('MockActivityEnvironment.run needs an activity function'));
    const execute = composeInterceptors<ActivityInboundCallsInterceptor, 'execute', ActivityExecuteInput, Promise<unknown>>(
      this.inbound,
      'execute',
      async (input) => await fn(...(input.args as P)),
    );
    return this.handle.run(() => execute({ args, headers: {} })) as Promise<R>;
  }

  /**
   * Cancels the activity: aborts `cancellationSignal`, rejects `cancelled` (and any cancellation-aware
   * `sleep`) with `CancelledFailure(reason)`, and sets the cancellation details. Later calls do nothing.
   *
   * @param reason the `CancelledFailure`'s message. @default 'CANCELLED'
   * @param details @default the flags of `reason` (`cancelRequested` for `CANCELLED`)
   * @example
   * ```ts
   * const running = env.run(longActivity);
   * env.cancel();
   * await assert.rejects(running, CancelledFailure);
   * ```
   */
  cancel(reason: CancelReason = 'CANCELLED', details?: ActivityCancellationDetails): void {
    this.handle.cancel(reason, details ?? ActivityCancellationDetails.fromReason(reason));
  }
}
