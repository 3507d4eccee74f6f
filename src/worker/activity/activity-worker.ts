/**
 * The activity side of a worker: polls an activity task queue while it has free slots, runs each
 * task as an {@link ActivityExecution}, and shuts down gracefully.
 *
 * @module
 */
import { optionalTsToMs } from '../../common/duration.js';
import { IllegalStateError } from '../../common/errors.js';
import { msToNumber } from '../../common/duration.js';
import type { Duration } from '../../common/duration.js';
import { withLogMetadata } from '../../common/logger.js';
import type { Logger } from '../../common/logger.js';
import { errorMessage } from '../../common/type-helpers.js';
import { temporal } from '../../proto/index.js';
import { ActivityExecution } from './execution.js';
import type { ExecutionEnvironment } from './execution.js';
import { systemClock } from './heartbeat-throttle.js';
import type { Clock } from './heartbeat-throttle.js';
import { compileActivityWorkerOptions } from './options.js';
import type { ActivityWorkerOptions, CompiledActivityWorkerOptions } from './options.js';
import { PollBackoff } from '../poll-backoff.js';
import { grpcCode, grpcCodeName } from './rpc.js';
import type { PollActivityTaskQueueResponse } from './rpc.js';
import { PollRateLimiter } from '../poll-rate-limiter.js';
import { Slots } from '../slots.js';

const TASK_QUEUE_KIND_NORMAL = temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL;

/**
 * Polls `PollActivityTaskQueue` and executes activities, at most
 * `maxConcurrentActivityTaskExecutions` at a time.
 *
 * Shutdown stops polling and waits for the activities in flight; once the grace time has passed,
 * they are cancelled with `CancelledFailure('WORKER_SHUTDOWN')` (an activity that lets the
 * cancellation propagate is reported as a retryable `WorkerShutdown` failure, so the server retries
 * it at once; one that completes anyway is reported as completed).
 *
 * @example
 * ```ts
 * import { Connection } from 'duraflow/client';
 * const connection = await Connection.connect({ address: 'localhost:7233' });
 * const worker = new ActivityWorker({ connection, taskQueue: 'orders', activities: { chargeCard } });
 * const running = worker.run();
 * process.once('SIGINT', () => void worker.shutdown('10s'));
 * await running;
 * ```
 */
export class ActivityWorker {
  private readonly options: CompiledActivityWorkerOptions;
  private readonly env: ExecutionEnvironment;
  private readonly logger: Logger;
  private readonly slots: Slots;
  private readonly executions = new Set<ActivityExecution>();
  private readonly stopController = new AbortController();
  private idleWaiters: (() => void)[] = [];
  /** Slots reserved for activity tasks that may come back in a workflow task completion's response. */
  private eagerReserved = 0;
  private runPromise: Promise<void> | undefined;
  private graceTimer: unknown;
  private graceExpired = false;
  private fatalError: unknown;
  /** Spaces poll starts under `maxActivitiesPerSecond`. */
  private readonly rateLimiter: PollRateLimiter | undefined;

  constructor(options: ActivityWorkerOptions, clock: Clock = systemClock) {
    this.options = compileActivityWorkerOptions(options);
    this.logger = withLogMetadata(this.options.logger, {
      sdkComponent: 'worker',
      taskQueue: this.options.taskQueue,
      namespace: this.options.namespace,
    });
    this.env = { options: this.options, clock, logger: this.logger };
    this.slots = new Slots(this.options.maxConcurrentActivityTaskExecutions);
    const rate = this.options.maxActivitiesPerSecond;
    this.rateLimiter = rate === undefined ? undefined : new PollRateLimiter(rate, () => clock.now());
  }

  /** Activities being executed (or reported) now. */
  get inFlight(): number {
    return this.executions.size;
  }

  /** Whether {@link shutdown} was called (or a fatal poll error stopped the worker). */
  get isShuttingDown(): boolean {
    return this.stopController.signal.aborted;
  }

  /**
   * Polls and executes activities until {@link shutdown}; resolves once polling has stopped and
   * every activity has been reported. Rejects (after draining) if polling failed fatally.
   *
   * @throws {@link IllegalStateError} when called twice.
   * @example
   * ```ts
   * await Promise.all([worker.run(), stopLater(() => worker.shutdown())]);
   * ```
   */
  run(): Promise<void> {
    if (this.runPromise) return Promise.reject(new IllegalStateError('ActivityWorker.run() may be called only once'));
    this.runPromise = this.runUntilDrained();
    return this.runPromise;
  }

  /**
   * Stops polling and waits until the activities in flight are done. After `graceTime` (a number
   * of milliseconds or an `ms` string; default 0, like the official worker), the remaining ones
   * are cancelled with reason `WORKER_SHUTDOWN`, as are tasks that still arrive from polls in flight.
   * Resolves once drained (at once if {@link run} was never called); never rejects after validation.
   *
   * @example
   * ```ts
   * await worker.shutdown('5s');
   * ```
   */
  async shutdown(graceTime: Duration = 0): Promise<void> {
    const graceMs = msToNumber(graceTime);
    if (!(graceMs >= 0)) throw new TypeError(`shutdown graceTime must be zero or more, got ${String(graceTime)}`);
    this.beginShutdown(graceMs);
    await this.runPromise?.catch(() => undefined);
  }

  private beginShutdown(graceMs: number): void {
    if (this.stopController.signal.aborted) return;
    this.logger.debug('Activity worker shutting down', { graceMs, inFlight: this.inFlight });
    this.stopController.abort();
    this.slots.close();
    this.graceTimer = this.env.clock.setTimeout(() => this.expireGrace(), graceMs);
  }

  private expireGrace(): void {
    this.graceTimer = undefined;
    this.graceExpired = true;
    for (const execution of this.executions) execution.cancel('WORKER_SHUTDOWN');
  }

  private async runUntilDrained(): Promise<void> {
    const pollers = Array.from({ length: this.options.maxConcurrentActivityTaskPolls }, () => this.pollLoop());
    await Promise.all(pollers);
    await this.whenIdle();
    if (this.graceTimer !== undefined) this.env.clock.clearTimeout(this.graceTimer);
    this.graceTimer = undefined;
    if (this.fatalError !== undefined) throw this.fatalError;
  }

  private async pollLoop(): Promise<void> {
    const backoff = new PollBackoff(this.env.clock);
    while (!this.isShuttingDown && (await this.startAllowed()) && (await this.slots.acquire())) {
      let task: PollActivityTaskQueueResponse;
      try {
        task = await this.poll();
        backoff.reset();
      } catch (error) {
        this.slots.release();
        if (this.isShuttingDown) break;
        await this.afterPollError(error, backoff);
        continue;
      }
      if (task.taskToken && task.taskToken.length > 0) {
        this.recordReceived(task);
        this.startExecution(task);
      } else {
        this.options.metrics?.activityPollEmpty();
        this.slots.release();
      }
    }
  }

  /** Waits for the rate limiter (if any) before a poll; false once the worker is shutting down. */
  private async startAllowed(): Promise<boolean> {
    const delay = this.rateLimiter?.reserve() ?? 0;
    if (delay > 0) await this.delayUnlessStopped(delay);
    return !this.isShuttingDown;
  }

  /**
   * Reserves an execution slot for an activity the worker's workflow side is about to ask the server
   * to dispatch eagerly (in its RespondWorkflowTaskCompleted response); false when no slot is free
   * or the worker is shutting down. Each reservation ends in {@link executeEager} or
   * {@link releaseEagerSlots}.
   */
  tryReserveEagerSlot(): boolean {
    if (this.isShuttingDown || !this.slots.tryAcquire()) return false;
    this.eagerReserved++;
    return true;
  }

  /** Gives back `count` reserved slots that no eager task came for. */
  releaseEagerSlots(count: number): void {
    for (let i = 0; i < count && this.eagerReserved > 0; i++) {
      this.eagerReserved--;
      this.slots.release();
    }
    this.wakeIfIdle();
  }

  /**
   * Executes an activity task the server dispatched eagerly, in a reserved slot. The server has
   * already started the attempt, so a task beyond the reservations still runs (over capacity).
   */
  executeEager(task: PollActivityTaskQueueResponse): void {
    if (this.eagerReserved > 0) {
      this.eagerReserved--;
    } else {
      this.logger.warn('The server dispatched more eager activity tasks than slots were reserved; running it anyway', {
        activityType: task.activityType?.name,
      });
      this.slots.forceAcquire();
    }
    this.recordReceived(task, true);
    this.startExecution(task);
  }

  private recordReceived(task: PollActivityTaskQueueResponse, eager = false): void {
    const metrics = this.options.metrics;
    if (!metrics) return;
    const started = optionalTsToMs(task.startedTime);
    const scheduled = optionalTsToMs(task.currentAttemptScheduledTime);
    const tags = { activityType: task.activityType?.name ?? '', workflowType: task.workflowType?.name ?? undefined };
    metrics.activityTaskReceived(tags, started !== undefined && scheduled !== undefined ? started - scheduled : undefined, eager);
  }

  private poll(): Promise<PollActivityTaskQueueResponse> {
    const { workflowService, withAbortSignal, namespace, taskQueue, identity, maxTaskQueueActivitiesPerSecond: rate } = this.options;
    const request = {
      namespace,
      identity,
      taskQueue: { name: taskQueue, kind: TASK_QUEUE_KIND_NORMAL },
      taskQueueMetadata: rate === undefined ? undefined : { maxTasksPerSecond: { value: rate } },
    };
    const call = (): Promise<PollActivityTaskQueueResponse> => workflowService.pollActivityTaskQueue(request);
    return withAbortSignal ? withAbortSignal(this.stopController.signal, call) : call();
  }

  private async afterPollError(error: unknown, backoff: PollBackoff): Promise<void> {
    const decision = backoff.next(error);
    const code = grpcCodeName(grpcCode(error));
    if (!decision.retry) {
      this.logger.error(`Activity task polling failed fatally (${code}): ${errorMessage(error) ?? String(error)}`, { error });
      this.fatalError ??= error;
      this.beginShutdown(0);
      return;
    }
    this.logger.warn(`Activity task poll failed (${code}); retrying in ${decision.delayMs} ms`, { error });
    await this.delayUnlessStopped(decision.delayMs);
  }

  private startExecution(task: PollActivityTaskQueueResponse): void {
    const execution = new ActivityExecution(task, this.env);
    this.executions.add(execution);
    if (this.graceExpired) execution.cancel('WORKER_SHUTDOWN');
    void execution.run().finally(() => {
      this.executions.delete(execution);
      this.slots.release();
      this.wakeIfIdle();
    });
  }

  /** Idle: nothing executing and no slot reserved for an eager task that may still arrive. */
  private get isIdle(): boolean {
    return this.executions.size === 0 && this.eagerReserved === 0;
  }

  private wakeIfIdle(): void {
    if (this.isIdle) for (const wake of this.idleWaiters.splice(0)) wake();
  }

  private whenIdle(): Promise<void> {
    if (this.isIdle) return Promise.resolve();
    return new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private delayUnlessStopped(ms: number): Promise<void> {
    const signal = this.stopController.signal;
    return new Promise<void>((resolve) => {
      if (signal.aborted) return resolve();
      const done = (): void => {
        this.env.clock.clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = this.env.clock.setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
    });
  }
}
