/**
 * One activity task from poll to report: prepare (info, function, arguments), run the function in
 * its activity context through the interceptors, heartbeat, watch the local timeouts, and report
 * the outcome.
 *
 * @module
 */
import { ActivityCancellationDetails } from '../../common/activity-cancellation.js';
import type { CancelReason } from '../../common/activity-cancellation.js';
import type { ActivityContextHandle } from '../../activity/context.js';
import { ensureApplicationFailure } from '../../common/failure.js';
import { withLogMetadata } from '../../common/logger.js';
import type { Logger } from '../../common/logger.js';
import type { ActivitySerializationContext } from '../../common/serialization-context.js';
import { activitySerializationContext, base64TaskToken, prepareActivity } from './activity-task.js';
import type { PreparedActivity } from './activity-task.js';
import { heartbeatThrottleIntervalMs } from './heartbeat-throttle.js';
import type { Clock } from './heartbeat-throttle.js';
import { ActivityHeartbeats } from './heartbeats.js';
import { ActivityInvocation, safeOutcome } from './invocation.js';
import type { CompiledActivityWorkerOptions } from './options.js';
import { encodeError } from './outcome.js';
import type { ActivityOutcome } from './outcome.js';
import { respondActivityOutcome } from './respond.js';
import type { PollActivityTaskQueueResponse } from './rpc.js';

/** What every execution of a worker shares. */
export interface ExecutionEnvironment {
  options: CompiledActivityWorkerOptions;
  clock: Clock;
  /** The worker's logger (already carrying `sdkComponent: 'worker'`). */
  logger: Logger;
}

/**
 * The lifecycle of one activity task. {@link run} never rejects; {@link cancel} may be called at
 * any time (the first reason wins, later calls are ignored).
 *
 * @example
 * ```ts
 * const execution = new ActivityExecution(task, env);
 * const done = execution.run();
 * execution.cancel('WORKER_SHUTDOWN');
 * await done;
 * ```
 */
export class ActivityExecution {
  readonly base64TaskToken: string;
  private readonly serializationContext: ActivitySerializationContext;
  private handle: ActivityContextHandle | undefined;
  private heartbeats: ActivityHeartbeats | undefined;
  private earlyCancel: { reason: CancelReason; details: ActivityCancellationDetails } | undefined;
  /** The server no longer knows this attempt: nothing is reported. */
  private knownNotFound = false;
  private finished = false;
  private localTimeout: { timer: unknown; ms: number; resetOnHeartbeat: boolean } | undefined;
  private logger: Logger;

  constructor(
    private readonly task: PollActivityTaskQueueResponse,
    private readonly env: ExecutionEnvironment
  ) {
    this.base64TaskToken = base64TaskToken(task.taskToken);
    this.serializationContext = activitySerializationContext(task, env.options.namespace);
    this.logger = withLogMetadata(env.logger, { taskToken: this.base64TaskToken });
  }

  /** Cancels the activity with `reason` (flags default to the reason's own). */
  cancel(reason: CancelReason, details: ActivityCancellationDetails = ActivityCancellationDetails.fromReason(reason)): void {
    if (this.finished) return;
    if (this.handle === undefined) {
      this.earlyCancel ??= { reason, details };
      return;
    }
    if (this.handle.cancel(reason, details) && (reason === 'NOT_FOUND' || details.notFound)) this.knownNotFound = true;
  }

  /** Prepares, executes and reports the task. */
  async run(): Promise<void> {
    let prepared: PreparedActivity;
    try {
      prepared = await prepareActivity(this.task, this.env.options);
    } catch (error) {
      await this.failToStart(error);
      return;
    }
    const outcome = await this.execute(prepared);
    this.finished = true;
    this.stopLocalTimeout();
    if (this.knownNotFound) {
      await this.heartbeats?.close();
      return;
    }
    await respondActivityOutcome(this.respondTarget(), outcome, {
      heartbeats: this.heartbeats,
      cancelReason: this.handle?.cancelReason,
    });
  }

  private respondTarget(): Parameters<typeof respondActivityOutcome>[0] {
    const { workflowService: service, namespace, identity } = this.env.options;
    return { service, namespace, identity, taskToken: this.task.taskToken ?? new Uint8Array(), logger: this.logger };
  }

  /** The task could not be started (unknown type, undecodable input): fail it. */
  private async failToStart(error: unknown): Promise<void> {
    this.finished = true;
    const failure = ensureApplicationFailure(error);
    this.logger.error(`Error while processing ActivityTask.start: ${failure.message}`, {
      error,
      activityType: this.task.activityType?.name,
      activityId: this.task.activityId,
    });
    const outcome = await safeOutcome(
      async () => ({ kind: 'failed' as const, failure: await encodeError(failure, this.env.options.dataConverter, this.serializationContext) }),
      this.logger
    );
    await respondActivityOutcome(this.respondTarget(), outcome, {});
  }

  /** Runs the function in its context and turns how it ended into an outcome. */
  private async execute(prepared: PreparedActivity): Promise<ActivityOutcome> {
    const { options } = this.env;
    const invocation = new ActivityInvocation(
      prepared,
      { dataConverter: options.dataConverter, interceptors: options.interceptors, clock: this.env.clock, logger: this.env.logger, metrics: options.metrics, metricMeter: options.metricMeter, client: options.client },
      this.serializationContext,
      (details) => {
        if (!this.finished) this.heartbeats?.record(details);
      }
    );
    this.logger = invocation.logger;
    this.handle = invocation.handle;
    this.heartbeats = new ActivityHeartbeats({
      service: options.workflowService,
      namespace: options.namespace,
      identity: options.identity,
      taskToken: prepared.info.taskToken,
      converter: options.dataConverter,
      context: this.serializationContext,
      intervalMs: heartbeatThrottleIntervalMs(prepared.info.heartbeatTimeoutMs, {
        defaultMs: options.defaultHeartbeatThrottleIntervalMs,
        maxMs: options.maxHeartbeatThrottleIntervalMs,
      }),
      clock: this.env.clock,
      logger: this.logger,
      cancel: (reason, details) => this.cancel(reason, details),
      onReported: () => this.resetLocalTimeout(),
    });
    this.armLocalTimeout(prepared);
    if (this.earlyCancel) this.cancel(this.earlyCancel.reason, this.earlyCancel.details);
    return await invocation.execute();
  }

  /**
   * Like the official Core SDK, the worker times out an activity itself when the shorter of its
   * heartbeat and start-to-close timeouts (plus a buffer) passes; heartbeats re-arm a heartbeat
   * timeout. The server has given up on the attempt by then, so nothing is reported.
   */
  private armLocalTimeout(prepared: PreparedActivity): void {
    const heartbeatMs = prepared.info.heartbeatTimeoutMs ?? 0;
    const startToCloseMs = prepared.info.startToCloseTimeoutMs;
    const candidates = [heartbeatMs, startToCloseMs].filter((ms) => ms > 0);
    if (candidates.length === 0) return;
    const shortest = Math.min(...candidates);
    const ms = shortest + this.env.options.localTimeoutBufferMs;
    this.localTimeout = { timer: undefined, ms, resetOnHeartbeat: shortest === heartbeatMs };
    this.resetLocalTimeout(true);
  }

  private resetLocalTimeout(initial = false): void {
    const timeout = this.localTimeout;
    if (!timeout || this.finished || (!initial && !timeout.resetOnHeartbeat)) return;
    if (timeout.timer !== undefined) this.env.clock.clearTimeout(timeout.timer);
    timeout.timer = this.env.clock.setTimeout(() => {
      this.logger.debug('Timing out activity due to elapsed local timeout');
      this.cancel('TIMED_OUT', new ActivityCancellationDetails({ notFound: true, timedOut: true }));
    }, timeout.ms);
  }

  private stopLocalTimeout(): void {
    if (this.localTimeout?.timer !== undefined) this.env.clock.clearTimeout(this.localTimeout.timer);
    this.localTimeout = undefined;
  }
}
