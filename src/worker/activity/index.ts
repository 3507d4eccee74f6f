/**
 * The worker's activity executor: {@link ActivityWorker} polls an activity task queue and runs
 * activities in their `duraflow/activity` context, with heartbeat throttling, cancellation,
 * local timeouts and graceful shutdown, reporting outcomes exactly as the official worker does.
 *
 * @example
 * ```ts
 * import { Connection } from 'duraflow/client';
 * const connection = await Connection.connect();
 * const worker = new ActivityWorker({ connection, taskQueue: 'orders', activities: { greet: async (n: string) => `Hi ${n}` } });
 * const running = worker.run();
 * await worker.shutdown('5s');
 * await running;
 * ```
 * @module
 */
export { ActivityWorker } from './activity-worker.js';
export { compileActivityWorkerOptions } from './options.js';
export type { ActivityWorkerOptions, CompiledActivityWorkerOptions } from './options.js';
export type {
  ActivityExecuteInput,
  ActivityInboundCallsInterceptor,
  ActivityInterceptors,
  ActivityInterceptorsFactory,
  ActivityOutboundCallsInterceptor,
} from './interceptors.js';
export { HeartbeatThrottle, heartbeatThrottleIntervalMs, systemClock } from './heartbeat-throttle.js';
export type { Clock, HeartbeatThrottleOptions } from './heartbeat-throttle.js';
