/**
 * One workflow task, end to end: complete the history (a sticky task carries only the new events;
 * for a run not cached the history is fetched from the start), bring the run's state machines up
 * to date (replaying from the start when the run is not cached), run each activation in the
 * sandbox, check the commands against history, and answer the server — RespondWorkflowTaskCompleted
 * with commands, update protocol messages, query answers and (while the run stays cached) the
 * worker's sticky queue, RespondWorkflowTaskFailed when the workflow code threw or turned out
 * nondeterministic, or RespondQueryTaskCompleted for a legacy query.
 */
import type { ProtoTypes } from '../proto/index.js';
import { temporal } from '../proto/index.js';
import type { LoadedDataConverter } from '../common/index.js';
import type { Logger } from '../common/logger.js';
import { WorkflowCache } from './workflow-cache.js';
import { WorkflowRunMachine } from './workflow/run-machine.js';
import { runActivation, runActivations, type ActivationRunner } from './run-activations.js';
import { SandboxRunLostError, type WorkflowSandbox } from './sandbox/index.js';
import { heartbeatDeadline, RunLocalActivities, settleLocalActivities, type LocalActivityManager } from './local-activity/index.js';
import type { SinkDispatcher } from './sinks.js';
import { int64ToNumber, optionalTsToMs } from '../common/duration.js';
import type { ProtoFailure } from '../common/proto-types.js';
import type { WorkerMetrics, WorkflowOutcome } from './metrics/worker-metrics.js';
import { WorkflowTaskFailedError } from './workflow-task-errors.js';
import { reserveEagerActivities, settleEagerActivities, type EagerActivitySlots } from './eager-activities.js';
import { SDK_NAME, SDK_VERSION } from './sdk-version.js';
import { failsOnNondeterminism, failureExceptionTypeNamesFor } from './worker-option-checks.js';

type PollResponse = ProtoTypes.temporal.api.workflowservice.v1.IPollWorkflowTaskQueueResponse;
type WorkflowService = ProtoTypes.temporal.api.workflowservice.v1.WorkflowService;
type HistoryEvent = ProtoTypes.temporal.api.history.v1.IHistoryEvent;
type RespondCompletedRequest = ProtoTypes.temporal.api.workflowservice.v1.IRespondWorkflowTaskCompletedRequest;
type RespondCompletedResponse = ProtoTypes.temporal.api.workflowservice.v1.IRespondWorkflowTaskCompletedResponse;
type ICommand = ProtoTypes.temporal.api.command.v1.ICommand;
type QueryResult = ProtoTypes.temporal.api.query.v1.IWorkflowQueryResult;
type StickyAttributes = ProtoTypes.temporal.api.taskqueue.v1.IStickyExecutionAttributes;

const Cause = temporal.api.enums.v1.WorkflowTaskFailedCause;
const CommandType = temporal.api.enums.v1.CommandType;
/** Commands that close a run → the outcome metric they count toward. */
const CLOSE_OUTCOMES = new Map<number, WorkflowOutcome>([
  [CommandType.COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION, 'completed'],
  [CommandType.COMMAND_TYPE_FAIL_WORKFLOW_EXECUTION, 'failed'],
  [CommandType.COMMAND_TYPE_CANCEL_WORKFLOW_EXECUTION, 'canceled'],
  [CommandType.COMMAND_TYPE_CONTINUE_AS_NEW_WORKFLOW_EXECUTION, 'continuedAsNew'],
]);
/** The server's default workflow task timeout, for a run whose start event was not seen. */
const DEFAULT_WORKFLOW_TASK_TIMEOUT_MS = 10_000;
const QueryResultType = temporal.api.enums.v1.QueryResultType;

/** A cached run: its state machines, its local activities, and whether a task is being processed for it. */
interface CachedRun {
  machine: WorkflowRunMachine;
  busy: boolean;
  localActivities: RunLocalActivities;
  workflowTaskTimeoutMs: number;
  /** When the run started (its WorkflowExecutionStarted event), for the end-to-end latency metric. */
  startedMs: number | undefined;
}

export interface WorkflowTaskProcessorOptions {
  service: WorkflowService;
  sandbox: WorkflowSandbox;
  namespace: string;
  taskQueue: string;
  identity: string;
  maxCachedWorkflows: number;
  /**
   * Sent with every completion of a run that stays cached, so the server sends the run's next tasks
   * to this worker's sticky queue with only the new events. Absent when caching is off.
   */
  stickyAttributes?: StickyAttributes;
  dataConverter: LoadedDataConverter;
  logger: Logger;
  /** Runs the sink calls of activations. */
  sinks: SinkDispatcher;
  /** Executes the local activities runs request. */
  localActivities: LocalActivityManager;
  /** The official worker metrics. */
  metrics: WorkerMetrics;
  /** Activity slots for eager dispatch; absent when the worker does not poll activities. */
  eagerActivities?: EagerActivitySlots;
  /** Most activities of one task requested eagerly. @default 3 */
  maxEagerActivityReservations?: number;
  /** Error type names that fail the execution instead of the task, by workflow type or `'*'`. @default {} */
  workflowFailureErrorTypes?: Readonly<Record<string, readonly string[]>>;
}

/** Processes polled workflow tasks against the cache of live runs. */
export class WorkflowTaskProcessor {
  readonly cache: WorkflowCache<CachedRun>;
  private readonly runLocks = new Map<string, Promise<void>>();
  private readonly runner: ActivationRunner;
  /** Set when the worker shuts down: every run will be evicted, so completions no longer ask for stickiness. */
  private stopping = false;

  constructor(private readonly options: WorkflowTaskProcessorOptions) {
    // A run with local activities in flight stays cached: their resolutions belong to its next task.
    this.cache = new WorkflowCache(Math.max(options.maxCachedWorkflows, 1), (run) => run.busy || run.localActivities.count > 0);
    this.runner = { sandbox: options.sandbox, dataConverter: options.dataConverter, onSinkCalls: (calls) => options.sinks.dispatch(calls) };
  }

  /** Runs with a task being processed or queued (what `getStatus()` reports as in-flight activations). */
  get inFlight(): number {
    return this.runLocks.size;
  }

  /** Processes one task; tasks of the same run are processed one at a time, in arrival order. */
  process(task: PollResponse): Promise<void> {
    const runId = task.workflowExecution?.runId ?? '';
    const previous = this.runLocks.get(runId) ?? Promise.resolve();
    const current = previous.then(() => this.processTask(task));
    const settled = current.catch(() => undefined);
    this.runLocks.set(runId, settled);
    void settled.then(() => {
      if (this.runLocks.get(runId) === settled) this.runLocks.delete(runId);
    });
    return current;
  }

  /** The worker is shutting down: its cached runs will be evicted, so stop asking for sticky tasks. */
  beginShutdown(): void {
    this.stopping = true;
  }

  /** Drops every cached run (shutdown). */
  async evictAll(): Promise<void> {
    for (const runId of [...this.cacheKeys()]) await this.evict(runId);
  }

  private *cacheKeys(): Generator<string> {
    for (const run of this.cache.values()) yield run.machine.runId;
  }

  private async processTask(task: PollResponse): Promise<void> {
    const taskStartMs = Date.now();
    const runId = task.workflowExecution?.runId ?? '';
    const events = await this.taskHistory(task);
    try {
      if (task.query) {
        await this.answerLegacyQuery(task, events);
        return;
      }
      const run = await this.prepareRun(task, events);
      const queries = task.queries ?? {};
      const heartbeat = await settleLocalActivities(this.runner, run.machine, run.localActivities, {
        deadlineMs: heartbeatDeadline(taskStartMs, run.workflowTaskTimeoutMs),
        answerPromptly: Object.keys(queries).length > 0,
      });
      const queryResults = await this.answerQueries(run, queries);
      const response = run.machine.takeTaskResponse({ localActivityHeartbeat: heartbeat });
      // Without a cache a run is still kept while its local activities run: they resolve in its next task.
      const keep = !response.closed && (this.options.maxCachedWorkflows > 0 || heartbeat);
      const eager = reserveEagerActivities(response.commands, this.options.eagerActivities, this.options.maxEagerActivityReservations);
      const completed = await this.respondCompleted(task, eager.reserved, {
        taskToken: task.taskToken,
        namespace: this.options.namespace,
        identity: this.options.identity,
        commands: eager.commands,
        messages: response.messages,
        queryResults,
        // While local activities run past the task's deadline, ask for a new task to carry on with.
        forceCreateNewWorkflowTask: heartbeat,
        sdkMetadata: { ...response.sdkMetadata, sdkName: SDK_NAME, sdkVersion: SDK_VERSION },
        // The next tasks come to this worker's sticky queue only while it keeps the run.
        stickyAttributes: keep && !this.stopping ? this.options.stickyAttributes : undefined,
      });
      run.busy = false;
      if (!completed) {
        await this.evict(runId);
        return;
      }
      this.recordCompletion(task, run, response.commands, taskStartMs);
      if (!keep) await this.evict(runId, !response.closed);
    } catch (error) {
      await this.evict(runId);
      await this.failTask(task, error);
    }
  }

  /**
   * Sends the completion and runs the activities the server dispatched eagerly in the `reserved`
   * slots; false when the server refused it. A refusal means the task is gone (it timed
   * out, or new events such as signals arrived while it ran and the server failed it with
   * UnhandledCommand and scheduled a new one): the run is evicted and the next task replays it. There
   * is nothing to report as failed then.
   */
  private async respondCompleted(task: PollResponse, reserved: number, request: RespondCompletedRequest): Promise<boolean> {
    let response: RespondCompletedResponse;
    try {
      response = await this.options.service.respondWorkflowTaskCompleted(request);
    } catch (error) {
      settleEagerActivities(this.options.eagerActivities, reserved, undefined);
      const message = (error as Error)?.message ?? String(error);
      const routine = /UnhandledCommand|NOT_FOUND|not found/i.test(message);
      const workflow = `${task.workflowType?.name ?? '?'} (${task.workflowExecution?.workflowId ?? '?'})`;
      this.options.logger[routine ? 'debug' : 'warn'](`Workflow task completion of ${workflow} not accepted; the next task replays it: ${message}`);
      return false;
    }
    settleEagerActivities(this.options.eagerActivities, reserved, response.activityTasks);
    return true;
  }

  /** Task latency, and the run's outcome when the task closed it (never recorded for replayed tasks). */
  private recordCompletion(task: PollResponse, run: CachedRun, commands: readonly ICommand[], taskStartMs: number): void {
    const { metrics } = this.options;
    const workflowType = task.workflowType?.name ?? '';
    const now = Date.now();
    metrics.workflowTaskExecutionLatency(workflowType, now - taskStartMs);
    const endToEndMs = run.startedMs === undefined ? undefined : now - run.startedMs;
    for (const command of commands) {
      const outcome = CLOSE_OUTCOMES.get(command.commandType ?? 0);
      if (outcome === undefined) continue;
      const failure = command.failWorkflowExecutionCommandAttributes?.failure ?? undefined;
      metrics.workflowClosed(outcome, workflowType, endToEndMs, failure as ProtoFailure | undefined);
    }
  }

  /** Brings the run up to date with the task's history, running every activation the task yields. */
  private async prepareRun(task: PollResponse, taskEvents: HistoryEvent[], startedEventId = int64ToNumber(task.startedEventId)): Promise<CachedRun> {
    const runId = task.workflowExecution?.runId ?? '';
    let events = taskEvents;
    for (let attempt = 0; ; attempt++) {
      const run = this.cachedOrNew(task, events);
      run.busy = true;
      const replayStarted = run.machine.lastProcessedEventId === 0 ? Date.now() : undefined;
      try {
        run.machine.addWorkflowTask({
          events,
          messages: task.messages ?? [],
          startedEventId,
          previousStartedEventId: int64ToNumber(task.previousStartedEventId),
        });
        await runActivations(this.runner, run.machine);
        if (replayStarted !== undefined) this.options.metrics.workflowTaskReplayLatency(run.machine.workflowType, Date.now() - replayStarted);
        return run;
      } catch (error) {
        // The sandbox thread holding this run was restarted: replay the run from history once.
        if (!(error instanceof SandboxRunLostError) || attempt > 0) throw error;
        this.cache.delete(runId)?.localActivities.dispose();
        events = await this.withHistoryFromStart(task, events);
      }
    }
  }

  private cachedOrNew(task: PollResponse, events: readonly HistoryEvent[]): CachedRun {
    const runId = task.workflowExecution?.runId ?? '';
    const cached = this.cache.get(runId);
    const workflowType = task.workflowType?.name ?? '';
    if (cached) {
      this.options.metrics.stickyCacheHit(workflowType);
      return cached;
    }
    this.options.metrics.stickyCacheMiss(workflowType);
    const identity = {
      namespace: this.options.namespace,
      taskQueue: this.options.taskQueue,
      workflowId: task.workflowExecution?.workflowId ?? '',
      runId,
      workflowType: task.workflowType?.name ?? '',
      failureExceptionTypeNames: failureExceptionTypeNamesFor(task.workflowType?.name ?? '', this.options.workflowFailureErrorTypes),
    };
    const first = events[0];
    const started = first?.workflowExecutionStartedEventAttributes;
    const run: CachedRun = {
      machine: new WorkflowRunMachine(identity),
      busy: true,
      localActivities: new RunLocalActivities(this.options.localActivities, identity),
      workflowTaskTimeoutMs: optionalTsToMs(started?.workflowTaskTimeout) || DEFAULT_WORKFLOW_TASK_TIMEOUT_MS,
      startedMs: started ? optionalTsToMs(first?.eventTime) : undefined,
    };
    for (const [evictedId, evicted] of this.cache.set(runId, run)) {
      this.options.metrics.stickyCacheForcedEviction(evicted.machine.workflowType);
      void this.disposeRun(evictedId, evicted);
    }
    this.options.metrics.stickyCacheSize(this.cache.size);
    return run;
  }

  private async answerQueries(run: CachedRun, queries: Record<string, ProtoTypes.temporal.api.query.v1.IWorkflowQuery>): Promise<Record<string, QueryResult>> {
    const entries = Object.entries(queries);
    if (entries.length === 0) return {};
    const activation = run.machine.queryActivation(entries.map(([queryId, query]) => ({ queryId, query })));
    const successful = await runActivation(this.runner, activation);
    const results: Record<string, QueryResult> = {};
    for (const command of successful.commands) {
      if (command.kind !== 'respondToQuery') continue;
      results[command.queryId] = command.failure
        ? { resultType: QueryResultType.QUERY_RESULT_TYPE_FAILED, errorMessage: command.failure.message ?? '', failure: command.failure }
        : { resultType: QueryResultType.QUERY_RESULT_TYPE_ANSWERED, answer: { payloads: command.result ? [command.result] : [] } };
    }
    return results;
  }

  private async answerLegacyQuery(task: PollResponse, events: HistoryEvent[]): Promise<void> {
    const run = await this.prepareRun(task, events, 0);
    const activation = run.machine.queryActivation([{ queryId: 'legacy_query', query: task.query ?? {} }]);
    const successful = await runActivation(this.runner, activation);
    run.busy = false;
    const answer = successful.commands.find((c) => c.kind === 'respondToQuery');
    const failure = answer?.kind === 'respondToQuery' ? answer.failure : undefined;
    await this.options.service.respondQueryTaskCompleted({
      taskToken: task.taskToken,
      namespace: this.options.namespace,
      completedType: failure ? QueryResultType.QUERY_RESULT_TYPE_FAILED : QueryResultType.QUERY_RESULT_TYPE_ANSWERED,
      queryResult: !failure && answer?.kind === 'respondToQuery' && answer.result ? { payloads: [answer.result] } : undefined,
      errorMessage: failure?.message ?? undefined,
      failure: failure ?? undefined,
    });
  }

  /** Reports a task that could not be completed; later attempts of a failing task are left to time out, as the official worker does. */
  private async failTask(task: PollResponse, error: unknown): Promise<void> {
    const workflow = `${task.workflowType?.name ?? '?'} (${task.workflowExecution?.workflowId ?? '?'})`;
    this.options.logger.warn(`Workflow task failed for ${workflow}: ${errorText(error)}`, {
      workflowId: task.workflowExecution?.workflowId,
      runId: task.workflowExecution?.runId,
      attempt: task.attempt,
    });
    if (task.query) {
      await this.options.service
        .respondQueryTaskCompleted({
          taskToken: task.taskToken,
          namespace: this.options.namespace,
          completedType: QueryResultType.QUERY_RESULT_TYPE_FAILED,
          errorMessage: errorText(error),
        })
        .catch((e: unknown) => this.options.logger.warn(`Could not answer legacy query: ${errorText(e)}`));
      return;
    }
    const nondeterministic = error instanceof Error && error.name === 'DeterminismViolationError';
    const workflowType = task.workflowType?.name ?? '';
    const failExecution = nondeterministic && failsOnNondeterminism(failureExceptionTypeNamesFor(workflowType, this.options.workflowFailureErrorTypes));
    if (!failExecution) this.options.metrics.workflowTaskFailed(workflowType, nondeterministic ? 'NonDeterminismError' : 'WorkflowError');
    if ((task.attempt ?? 1) > 1) return;
    const failure = error instanceof WorkflowTaskFailedError ? error.failure : this.options.dataConverter.failureConverter.errorToFailure(error, this.options.dataConverter.payloadConverter);
    if (failExecution) {
      await this.failExecution(task, failure, workflow);
      return;
    }
    await this.options.service
      .respondWorkflowTaskFailed({
        taskToken: task.taskToken,
        namespace: this.options.namespace,
        identity: this.options.identity,
        cause: nondeterministic ? Cause.WORKFLOW_TASK_FAILED_CAUSE_NON_DETERMINISTIC_ERROR : Cause.WORKFLOW_TASK_FAILED_CAUSE_WORKFLOW_WORKER_UNHANDLED_FAILURE,
        failure,
      })
      .catch((e: unknown) => this.options.logger.warn(`Could not report the failed workflow task of ${workflow}: ${errorText(e)}`));
  }

  /**
   * Completes the task with a FailWorkflowExecution command instead of failing it: a nondeterminism
   * error of a workflow whose `workflowFailureErrorTypes` name it (as the official worker does).
   */
  private async failExecution(task: PollResponse, failure: ProtoFailure, workflow: string): Promise<void> {
    this.options.logger.warn(`Failing workflow ${workflow} on a nondeterminism error, as workflowFailureErrorTypes asks`);
    const command = { commandType: CommandType.COMMAND_TYPE_FAIL_WORKFLOW_EXECUTION, failWorkflowExecutionCommandAttributes: { failure } };
    await this.options.service
      .respondWorkflowTaskCompleted({
        taskToken: task.taskToken,
        namespace: this.options.namespace,
        identity: this.options.identity,
        commands: [command],
        sdkMetadata: { sdkName: SDK_NAME, sdkVersion: SDK_VERSION },
      })
      .catch((e: unknown) => this.options.logger.warn(`Could not fail workflow ${workflow}: ${errorText(e)}`));
  }

  /**
   * The history the task needs. Its own events, with every further page fetched; for a cached run
   * that is enough even when they start after event 1 (a sticky task: only the events after the last
   * task this worker completed). A run not in the cache needs the whole history: a task that does not
   * start at event 1 (sticky, or a query task without history) is completed with the run's history
   * fetched from the start, as Core does. The cached run is pinned while the history is fetched.
   */
  private async taskHistory(task: PollResponse): Promise<HistoryEvent[]> {
    const runId = task.workflowExecution?.runId ?? '';
    const cached = this.cache.get(runId);
    const wasBusy = cached?.busy ?? false;
    if (cached) cached.busy = true;
    try {
      const events = await this.pagedHistory(task, task.history?.events ?? [], task.nextPageToken);
      const first = eventIdOf(events[0]);
      if (first === 1) return events;
      // A cached run continues from its last event; a gap (or no cache entry) needs the whole history.
      if (cached && this.cache.get(runId) === cached && (first === undefined || first <= cached.machine.lastProcessedEventId + 1)) return events;
      if (cached) await this.evict(runId);
      return await this.withHistoryFromStart(task, events);
    } finally {
      if (cached && !wasBusy) cached.busy = false;
    }
  }

  /** The run's history from event 1 (every page), followed by the task's events beyond it. */
  private async withHistoryFromStart(task: PollResponse, taskEvents: readonly HistoryEvent[]): Promise<HistoryEvent[]> {
    if (eventIdOf(taskEvents[0]) === 1) return [...taskEvents];
    const fetched = await this.pagedHistory(task, [], undefined, true);
    const last = eventIdOf(fetched[fetched.length - 1]) ?? 0;
    return [...fetched, ...taskEvents.filter((e) => (eventIdOf(e) ?? 0) > last)];
  }

  /** `events` plus the pages from `token` on; with `fromStart`, every page from the first. */
  private async pagedHistory(task: PollResponse, events: readonly HistoryEvent[], token: Uint8Array | null | undefined, fromStart = false): Promise<HistoryEvent[]> {
    const all = [...events];
    let next = fromStart ? undefined : token;
    if (!fromStart && !(next && next.length > 0)) return all;
    do {
      const page = await this.options.service.getWorkflowExecutionHistory({
        namespace: this.options.namespace,
        execution: task.workflowExecution,
        nextPageToken: next,
      });
      all.push(...(page.history?.events ?? []));
      next = page.nextPageToken;
    } while (next && next.length > 0);
    return all;
  }

  /** Removes a run from the cache; `forced` when it had not closed (error, refusal, shutdown). */
  private async evict(runId: string, forced = true): Promise<void> {
    const run = this.cache.delete(runId);
    if (run === undefined) return;
    if (forced) this.options.metrics.stickyCacheForcedEviction(run.machine.workflowType);
    this.options.metrics.stickyCacheSize(this.cache.size);
    await this.disposeRun(runId, run);
  }

  /** Drops a run that left the cache: its local activities stop, its sandbox state goes. */
  private async disposeRun(runId: string, run: CachedRun): Promise<void> {
    run.localActivities.dispose();
    await this.options.sandbox.dispose(runId).catch((e: unknown) => this.options.logger.warn(`Could not dispose run ${runId}: ${errorText(e)}`));
  }
}

/** A history event's id as a number (undefined for no event). */
function eventIdOf(event: HistoryEvent | undefined): number | undefined {
  return event?.eventId === undefined || event.eventId === null ? undefined : int64ToNumber(event.eventId);
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
