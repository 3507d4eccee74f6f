/**
 * The Worker: polls a task queue for workflow tasks (run in the SES sandbox against history) and
 * activity tasks (run on the main thread), until shut down.
 */
import { randomUUID } from 'node:crypto';
import { Client } from '../client/client.js';
import type { Connection } from '../client/connection.js';
import { loadDataConverter } from '../client/data-conversion.js';
import { NamespaceNotFoundError, optionalTsToMs, ValueError, type LoadedDataConverter } from '../common/index.js';
import { durationFromMs, temporal, type ProtoTypes } from '../proto/index.js';
import { ActivityWorker } from './activity/index.js';
import { LocalActivityManager } from './local-activity/index.js';
import { SinkDispatcher } from './sinks.js';
import { Runtime, WorkerMetrics, WorkflowMetricsSinkHandler, workflowMetricMeter } from './metrics/index.js';
import { bundleWorkflowCode, loadWorkflowBundle } from './bundler/index.js';
import { runPollLoop } from './poll-loop.js';
import { Slots } from './slots.js';
import { WorkflowSandbox } from './sandbox/index.js';
import { compileWorkerOptions, splitWorkflowTaskPolls, type CompiledWorkerOptions, type WorkerOptions } from './worker-options.js';
import type { PollerType } from './metrics/worker-metrics.js';
import { WorkflowTaskProcessor } from './workflow-task-processor.js';
import { installShutdownSignals } from './shutdown-signals.js';
import { GracefulShutdownPeriodExpiredError } from './worker-errors.js';
import { runWorkerUntil, type RunUntilOptions } from './run-until.js';
import { Replayer, type ReplayHistoryInput, type ReplayResult, type ReplayWorkerOptions } from './replay.js';

type PollResponse = ProtoTypes.temporal.api.workflowservice.v1.IPollWorkflowTaskQueueResponse;
type ITaskQueue = ProtoTypes.temporal.api.taskqueue.v1.ITaskQueue;
const TaskQueueKind = temporal.api.enums.v1.TaskQueueKind;

/** Where a worker is in its life: INITIALIZED → RUNNING → STOPPING → DRAINING → DRAINED → STOPPED, or FAILED. */
export type State = 'INITIALIZED' | 'RUNNING' | 'STOPPING' | 'DRAINING' | 'DRAINED' | 'STOPPED' | 'FAILED';

/** A snapshot of what the worker is doing (see {@link Worker.getStatus}). */
export interface WorkerStatus {
  runState: State;
  numCachedWorkflows: number;
  numInFlightWorkflowActivations: number;
  numInFlightActivities: number;
  numInFlightNonLocalActivities: number;
  numInFlightLocalActivities: number;
  numHeartbeatingActivities: number;
  workflowPollerState: 'POLLING' | 'SHUTDOWN' | 'FAILED';
  activityPollerState: 'POLLING' | 'SHUTDOWN' | 'FAILED';
  hasOutstandingWorkflowPoll: boolean;
  hasOutstandingActivityPoll: boolean;
}

/** Long polls end on the server after about a minute; this bounds a poll the network lost. */
const POLL_DEADLINE_MS = 70_000;
/** How long shutdown waits for the ShutdownWorker call. */
const SHUTDOWN_WORKER_TIMEOUT_MS = 5_000;
/** gRPC codes of a ShutdownWorker failure that are not worth a warning (old server; server gone), as in Core. */
const IGNORED_SHUTDOWN_WORKER_CODES = new Set([12 /* UNIMPLEMENTED */, 14 /* UNAVAILABLE */]);

/**
 * A worker for one task queue. Create with {@link Worker.create}, then `run()` (or `runUntil()`);
 * `shutdown()` (or SIGINT/SIGTERM) drains in-flight work and makes `run()` resolve.
 *
 * @example
 * ```ts
 * import { NativeConnection, Worker } from 'duraflow/worker';
 * import * as activities from './activities.js';
 *
 * const worker = await Worker.create({
 *   connection: await NativeConnection.connect({ address: 'localhost:7233' }),
 *   taskQueue: 'orders',
 *   workflowsPath: new URL('./workflows.js', import.meta.url).pathname,
 *   activities,
 * });
 * await worker.run(); // until SIGINT / SIGTERM or worker.shutdown()
 * ```
 */
export class Worker {
  private state: State = 'INITIALIZED';
  private readonly pollAbort = new AbortController();
  private readonly wftSlots: Slots;
  private readonly processor: WorkflowTaskProcessor | undefined;
  private readonly activityWorker: ActivityWorker | undefined;
  private readonly localActivities: LocalActivityManager | undefined;
  /** The official worker metrics (recorded into `Runtime.instance()`'s meter; no-ops unless telemetry is installed). */
  private readonly metrics: WorkerMetrics;
  private runPromise: Promise<void> | undefined;
  private shutdownPromise: Promise<void> | undefined;
  /** This worker's sticky queue (caching on): the server sends it the next tasks of the runs cached here. */
  private readonly stickyQueue: string | undefined;
  /** The ShutdownWorker call made as shutdown starts (drain waits for it). */
  private shutdownWorkerCall: Promise<void> | undefined;
  /** The first fatal error (a poller that cannot recover); `run()` rejects with it. */
  private failure: unknown;
  /** Rejects when `shutdownForceTime` has passed since shutdown began. */
  private readonly forced = expiry();
  private forceTimer: ReturnType<typeof setTimeout> | undefined;

  private constructor(
    readonly options: CompiledWorkerOptions,
    private readonly dataConverter: LoadedDataConverter,
    private readonly sandbox: WorkflowSandbox | undefined,
  ) {
    const service = options.connection.workerWorkflowService;
    this.wftSlots = new Slots(options.maxConcurrentWorkflowTaskExecutions);
    this.stickyQueue = sandbox && options.maxCachedWorkflows > 0 ? `${options.identity}-${randomUUID().replaceAll('-', '')}` : undefined;
    const runtime = Runtime.instance();
    this.metrics = new WorkerMetrics(runtime.temporalMeter, { namespace: options.namespace, taskQueue: options.taskQueue });
    const metricMeter = runtime.metricMeter;
    // What activities get as Context.client: the official worker's Client on the same connection and namespace.
    let activityClient: Client | undefined;
    const client = (): Client =>
      (activityClient ??= new Client({
        connection: options.connection,
        namespace: options.namespace,
        dataConverter: options.dataConverter,
        identity: options.identity,
        interceptors: options.clientInterceptors,
      }));
    const workflowMetrics = new WorkflowMetricsSinkHandler(workflowMetricMeter(metricMeter, options));
    this.localActivities = sandbox && new LocalActivityManager({
      activities: new Map(Object.entries(options.activities)),
      dataConverter,
      interceptors: options.activityInterceptors,
      maxConcurrentLocalActivityExecutions: options.maxConcurrentLocalActivityExecutions,
      logger: options.logger,
      metrics: this.metrics,
      metricMeter,
      client,
    });
    this.activityWorker = !options.pollsActivities ? undefined : new ActivityWorker({
      connection: options.connection,
      workflowService: service,
      namespace: options.namespace,
      taskQueue: options.taskQueue,
      identity: options.identity,
      activities: options.activities,
      maxConcurrentActivityTaskExecutions: options.maxConcurrentActivityTaskExecutions,
      maxHeartbeatThrottleInterval: options.maxHeartbeatThrottleIntervalMs,
      defaultHeartbeatThrottleInterval: options.defaultHeartbeatThrottleIntervalMs,
      maxConcurrentActivityTaskPolls: options.maxConcurrentActivityTaskPolls,
      maxActivitiesPerSecond: options.maxActivitiesPerSecond,
      maxTaskQueueActivitiesPerSecond: options.maxTaskQueueActivitiesPerSecond,
      dataConverter,
      logger: options.logger,
      interceptors: options.activityInterceptors,
      metrics: this.metrics,
      metricMeter,
      client,
    });
    this.processor = sandbox && this.localActivities && new WorkflowTaskProcessor({
      service,
      sandbox,
      namespace: options.namespace,
      taskQueue: options.taskQueue,
      identity: options.identity,
      maxCachedWorkflows: options.maxCachedWorkflows,
      stickyAttributes: this.stickyQueue === undefined ? undefined : {
        workerTaskQueue: { name: this.stickyQueue, kind: TaskQueueKind.TASK_QUEUE_KIND_STICKY, normalName: options.taskQueue },
        scheduleToStartTimeout: durationFromMs(options.stickyQueueScheduleToStartTimeoutMs),
      },
      dataConverter,
      logger: options.logger,
      sinks: new SinkDispatcher({ ...workflowMetrics.asInjectedSinks(), ...options.sinks }, options.logger, { replayWorker: false }),
      localActivities: this.localActivities,
      metrics: this.metrics,
      eagerActivities: this.activityWorker,
      maxEagerActivityReservations: options.maxEagerActivityReservationsPerWorkflowTask,
      workflowFailureErrorTypes: options.workflowFailureErrorTypes,
    });
  }

  /**
   * Validates options, then at the same time loads the data converter, checks the namespace exists,
   * and bundles the workflow code (if given by path) and starts the sandbox threads.
   */
  static async create(options: WorkerOptions): Promise<Worker> {
    const compiled = compileWorkerOptions(options);
    const sandboxCreated = compiled.hasWorkflows ? createSandbox(compiled) : Promise.resolve(undefined);
    let ready: [LoadedDataConverter, void, WorkflowSandbox | undefined];
    try {
      ready = await Promise.all([loadDataConverter(compiled.dataConverter), checkNamespace(compiled.connection, compiled.namespace), sandboxCreated]);
    } catch (error) {
      // Whatever failed first, a sandbox that did start is not left running.
      await sandboxCreated.then((sandbox) => sandbox?.close(), () => undefined);
      throw error;
    }
    const [dataConverter, , sandbox] = ready;
    const worker = new Worker(compiled, dataConverter, sandbox);
    worker.metrics.workerStarted();
    return worker;
  }

  /**
   * Replays one history against the workflow code; rejects with a DeterminismViolationError when the
   * code no longer produces the recorded commands, or a {@link ReplayError} when it fails a task.
   *
   * @example
   * ```ts
   * const history = await client.workflow.getHandle('order-1').fetchHistory();
   * await Worker.runReplayHistory({ workflowsPath: require.resolve('./workflows') }, history);
   * ```
   */
  static async runReplayHistory(options: ReplayWorkerOptions, history: ReplayHistoryInput, workflowId?: string): Promise<void> {
    const replayer = await Replayer.create(options);
    try {
      await replayer.replay(history, workflowId);
    } finally {
      await replayer.close();
    }
  }

  /**
   * Replays many histories with one bundle and sandbox, yielding a result per history (errors are
   * reported in the result, not thrown).
   *
   * @example
   * ```ts
   * for await (const result of Worker.runReplayHistories({ workflowsPath }, client.workflow.list().intoHistories())) {
   *   if (result.error) console.error(result.workflowId, result.error.message);
   * }
   * ```
   */
  static async *runReplayHistories(
    options: ReplayWorkerOptions,
    histories: Iterable<ReplayHistoryInput | { workflowId: string; history: ReplayHistoryInput }> | AsyncIterable<ReplayHistoryInput | { workflowId: string; history: ReplayHistoryInput }>,
  ): AsyncIterableIterator<ReplayResult> {
    const replayer = await Replayer.create(options);
    try {
      for await (const item of histories) {
        const { workflowId, history } = isNamedHistory(item) ? item : { workflowId: undefined, history: item };
        try {
          yield { ...(await replayer.replay(history, workflowId)) };
        } catch (error) {
          yield { workflowId: workflowId ?? 'replay-workflow-id', runId: '', error: error as Error };
        }
      }
    } finally {
      await replayer.close();
    }
  }

  /** The worker's connection. */
  get connection(): Connection {
    return this.options.connection;
  }

  getState(): State {
    return this.state;
  }

  getStatus(): WorkerStatus {
    const polling = this.state === 'RUNNING' ? 'POLLING' : this.state === 'FAILED' ? 'FAILED' : 'SHUTDOWN';
    const activities = this.activityWorker?.inFlight ?? 0;
    const localActivities = this.localActivities?.executing ?? 0;
    return {
      runState: this.state,
      numCachedWorkflows: this.processor?.cache.size ?? 0,
      numInFlightWorkflowActivations: this.processor?.inFlight ?? 0,
      numInFlightActivities: activities + localActivities,
      numInFlightNonLocalActivities: activities,
      numInFlightLocalActivities: localActivities,
      numHeartbeatingActivities: activities,
      workflowPollerState: this.processor ? polling : 'SHUTDOWN',
      activityPollerState: this.activityWorker ? polling : 'SHUTDOWN',
      hasOutstandingWorkflowPoll: polling === 'POLLING' && this.processor !== undefined,
      hasOutstandingActivityPoll: polling === 'POLLING' && this.activityWorker !== undefined,
    };
  }

  /** Polls and processes tasks until {@link shutdown} (or a shutdown signal); rejects if the worker fails. */
  run(): Promise<void> {
    if (this.state !== 'INITIALIZED') throw new ValueError(`Worker.run() may be called once, on a new worker (state is ${this.state})`);
    this.state = 'RUNNING';
    const uninstall = installShutdownSignals(this.options.shutdownSignals, () => this.shutdown());
    this.runPromise = this.runLoops().finally(uninstall);
    return this.runPromise;
  }

  /**
   * Runs the worker until `fnOrPromise` settles, then shuts it down and returns (or throws) its
   * outcome. If the worker fails, its error is thrown (a {@link CombinedWorkerRunError} when the
   * promise failed too); if it stops first, the promise gets `promiseCompletionTimeout` to settle,
   * else a {@link PromiseCompletionTimeoutError} is thrown.
   *
   * @example
   * ```ts
   * const total = await worker.runUntil(() => client.workflow.execute(order, { taskQueue, workflowId: 'o-1' }));
   * ```
   */
  runUntil<R>(fnOrPromise: Promise<R> | (() => Promise<R>), options?: RunUntilOptions): Promise<R> {
    return runWorkerUntil(this, fnOrPromise, options);
  }

  /** Stops polling, lets in-flight tasks finish (activities get `shutdownGraceTime`), then makes `run()` resolve. */
  shutdown(): void {
    if (this.state !== 'RUNNING') return;
    this.state = 'STOPPING';
    this.pollAbort.abort();
    this.processor?.beginShutdown();
    this.shutdownWorkerCall = this.callShutdownWorker();
    this.shutdownPromise = this.drain();
    this.shutdownPromise.catch(() => undefined); // run() reports it; a drain outlived by the force time must not reject unhandled
    const force = this.options.shutdownForceTimeMs;
    if (force !== undefined) {
      const expired = new GracefulShutdownPeriodExpiredError(`The worker did not shut down within shutdownForceTime (${force} ms)`);
      this.forceTimer = setTimeout(() => this.forced.expire(expired), force);
    }
  }

  /**
   * Tells the server this worker is going away, so that its sticky queue is unloaded and the tasks
   * sent there go to the normal queue at once instead of waiting out the schedule-to-start timeout.
   * Failures only log (UNIMPLEMENTED and UNAVAILABLE not even that).
   */
  private async callShutdownWorker(): Promise<void> {
    if (this.stickyQueue === undefined) return;
    const { connection, namespace, identity, taskQueue } = this.options;
    const types = temporal.api.enums.v1.TaskQueueType;
    try {
      const deadline = Date.now() + SHUTDOWN_WORKER_TIMEOUT_MS;
      await connection.callWith({ abortSignal: AbortSignal.timeout(SHUTDOWN_WORKER_TIMEOUT_MS), deadline }, () =>
        connection.workerWorkflowService.shutdownWorker({
          namespace,
          identity,
          stickyTaskQueue: this.stickyQueue,
          reason: 'graceful shutdown',
          taskQueue,
          taskQueueTypes: this.activityWorker ? [types.TASK_QUEUE_TYPE_WORKFLOW, types.TASK_QUEUE_TYPE_ACTIVITY] : [types.TASK_QUEUE_TYPE_WORKFLOW],
        }),
      );
    } catch (error) {
      if (IGNORED_SHUTDOWN_WORKER_CODES.has((error as { code?: number }).code ?? -1)) return;
      this.options.logger.warn(`ShutdownWorker failed (the server may keep sending this worker's sticky tasks until they time out): ${(error as Error)?.message ?? String(error)}`);
    }
  }

  /**
   * Polls until shutdown, then drains. With `shutdownForceTime`, gives up when it has passed since
   * shutdown began, leaving the work in flight behind (the sandbox threads and an owned connection are
   * closed), and rejects with a {@link GracefulShutdownPeriodExpiredError}, as the official worker does.
   */
  private async runLoops(): Promise<void> {
    const loops: Array<Promise<void>> = [];
    if (this.processor) loops.push(this.workflowLoop(this.processor));
    if (this.activityWorker) loops.push(this.activityWorker.run());
    try {
      await Promise.race([Promise.all(loops.map((loop) => loop.catch((error: unknown) => this.fail(error)))), this.forced.promise]);
      if (this.state === 'RUNNING') this.shutdown();
      await Promise.race([this.shutdownPromise, this.forced.promise]);
      if (this.failure !== undefined) throw this.failure;
      this.state = 'STOPPED';
    } catch (error) {
      this.state = 'FAILED';
      throw this.failure ?? error;
    } finally {
      clearTimeout(this.forceTimer);
      await this.sandbox?.close();
      if (this.options.ownsConnection) await this.options.connection.close();
    }
  }

  private fail(error: unknown): void {
    this.failure ??= error;
    this.options.logger.error(`Worker failed: ${(error as Error)?.message ?? String(error)}`);
    this.shutdown();
  }

  /** Polls the normal queue and, when caching, the sticky queue (sharing the task slots). */
  private async workflowLoop(processor: WorkflowTaskProcessor): Promise<void> {
    const { taskQueue, maxConcurrentWorkflowTaskPolls: polls } = this.options;
    const normalQueue: ITaskQueue = { name: taskQueue, kind: TaskQueueKind.TASK_QUEUE_KIND_NORMAL };
    if (this.stickyQueue === undefined) {
      await this.pollQueue(processor, normalQueue, polls, 'workflow_task');
      return;
    }
    const split = splitWorkflowTaskPolls(polls, this.options.nonStickyToStickyPollRatio);
    const stickyQueue: ITaskQueue = { name: this.stickyQueue, kind: TaskQueueKind.TASK_QUEUE_KIND_STICKY, normalName: taskQueue };
    await Promise.all([
      this.pollQueue(processor, normalQueue, split.normal, 'workflow_task'),
      this.pollQueue(processor, stickyQueue, split.sticky, 'sticky_workflow_task'),
    ]);
  }

  private pollQueue(processor: WorkflowTaskProcessor, queue: ITaskQueue, pollers: number, pollerType: PollerType): Promise<void> {
    const { connection, namespace, identity } = this.options;
    return runPollLoop<PollResponse>({
      name: pollerType === 'sticky_workflow_task' ? 'sticky workflow' : 'workflow',
      pollers,
      pollerType,
      slots: this.wftSlots,
      signal: this.pollAbort.signal,
      logger: this.options.logger,
      metrics: this.metrics,
      poll: async (signal) => {
        const response = await connection.callWith({ abortSignal: signal, deadline: Date.now() + POLL_DEADLINE_MS }, () =>
          connection.workerWorkflowService.pollWorkflowTaskQueue({ namespace, taskQueue: queue, identity }),
        );
        if (!response.taskToken || response.taskToken.length === 0) {
          this.metrics.workflowTaskPollEmpty();
          return undefined;
        }
        const started = optionalTsToMs(response.startedTime);
        const scheduled = optionalTsToMs(response.scheduledTime);
        this.metrics.workflowTaskPollSucceeded(started !== undefined && scheduled !== undefined ? started - scheduled : undefined);
        return response;
      },
      handle: (task) => processor.process(task),
    });
  }

  private async drain(): Promise<void> {
    const activities = this.activityWorker?.shutdown(this.options.shutdownGraceTimeMs);
    this.state = 'DRAINING';
    await this.waitForWorkflowTasks();
    await activities;
    await this.processor?.evictAll();
    // Local activities of runs answered with a heartbeat get no further task here: stop them.
    await this.localActivities?.shutdown();
    await this.shutdownWorkerCall;
    if (this.state === 'DRAINING') this.state = 'DRAINED'; // (not after run() gave up at the force time)
  }

  private async waitForWorkflowTasks(): Promise<void> {
    while (this.wftSlots.inUse > 0 && this.state === 'DRAINING') await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Starts the sandbox threads while the workflow code is bundled (or loaded): they lock themselves down meanwhile. */
function createSandbox(options: CompiledWorkerOptions): Promise<WorkflowSandbox> {
  const bundle = options.workflowsPath !== undefined
    ? bundleWorkflowCode({
        workflowsPath: options.workflowsPath,
        workflowInterceptorModules: options.workflowInterceptorModules,
        payloadConverterPath: options.dataConverter.payloadConverterPath,
        failureConverterPath: options.dataConverter.failureConverterPath,
        ignoreModules: options.ignoreModules,
        logger: options.logger,
      })
    : loadWorkflowBundle(options.workflowBundle as NonNullable<CompiledWorkerOptions['workflowBundle']>);
  return WorkflowSandbox.create({
    bundle,
    threads: options.workflowThreadPoolSize,
    activationTimeoutMs: options.activationTimeoutMs,
    logger: options.logger,
    showStackTraceSources: options.showStackTraceSources,
  });
}

/** Fails fast, with a clear error, when the server is unreachable or the namespace doesn't exist. */
async function checkNamespace(connection: Connection, namespace: string): Promise<void> {
  await connection.ensureConnected();
  try {
    await connection.workflowService.describeNamespace({ namespace });
  } catch (error) {
    if ((error as { code?: number }).code === 5) throw new NamespaceNotFoundError(namespace);
    throw error;
  }
}

function isNamedHistory(item: unknown): item is { workflowId: string; history: ReplayHistoryInput } {
  return typeof item === 'object' && item !== null && 'history' in item && 'workflowId' in item;
}

/** A promise that rejects only when `expire` is called (and never resolves). */
function expiry(): { promise: Promise<never>; expire: (error: Error) => void } {
  let expire!: (error: Error) => void;
  const promise = new Promise<never>((_, reject) => (expire = reject));
  promise.catch(() => undefined); // observed through run() only when it races
  return { promise, expire };
}
