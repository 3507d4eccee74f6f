/**
 * One workflow task, end to end: complete the history, bring the run's state machines up to date
 * (replaying from the start when the run is not cached), run each activation in the sandbox, check
 * the commands against history, and answer the server — RespondWorkflowTaskCompleted with commands,
 * update protocol messages and query answers, RespondWorkflowTaskFailed when the workflow code threw
 * or turned out nondeterministic, or RespondQueryTaskCompleted for a legacy query.
 */
import type { ProtoTypes } from '../proto/index.js';
import { temporal } from '../proto/index.js';
import type { LoadedDataConverter } from '../common/index.js';
import type { Logger } from '../common/logger.js';
import { WorkflowCache } from './workflow-cache.js';
import { WorkflowRunMachine } from './workflow/run-machine.js';
import { runActivation, runActivations, type ActivationRunner } from './run-activations.js';
import { SandboxRunLostError, type WorkflowSandbox } from './sandbox/index.js';
import type { SinkCall } from '../workflow/runtime/protocol.js';
import { WorkflowTaskFailedError } from './workflow-task-errors.js';
import { SDK_NAME, SDK_VERSION } from './sdk-version.js';

type PollResponse = ProtoTypes.temporal.api.workflowservice.v1.IPollWorkflowTaskQueueResponse;
type WorkflowService = ProtoTypes.temporal.api.workflowservice.v1.WorkflowService;
type HistoryEvent = ProtoTypes.temporal.api.history.v1.IHistoryEvent;
type QueryResult = ProtoTypes.temporal.api.query.v1.IWorkflowQueryResult;

const Cause = temporal.api.enums.v1.WorkflowTaskFailedCause;
/** Sink function names (log levels and console methods) → logger methods. */
const LOG_LEVELS: Record<string, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  trace: 'trace',
  debug: 'debug',
  info: 'info',
  log: 'info',
  warn: 'warn',
  error: 'error',
};
const QueryResultType = temporal.api.enums.v1.QueryResultType;

/** A cached run: its state machines plus whether a task is being processed for it. */
interface CachedRun {
  machine: WorkflowRunMachine;
  busy: boolean;
}

export interface WorkflowTaskProcessorOptions {
  service: WorkflowService;
  sandbox: WorkflowSandbox;
  namespace: string;
  taskQueue: string;
  identity: string;
  maxCachedWorkflows: number;
  dataConverter: LoadedDataConverter;
  logger: Logger;
}

/** Processes polled workflow tasks against the cache of live runs. */
export class WorkflowTaskProcessor {
  readonly cache: WorkflowCache<CachedRun>;
  private readonly runLocks = new Map<string, Promise<void>>();
  private readonly runner: ActivationRunner;

  constructor(private readonly options: WorkflowTaskProcessorOptions) {
    this.cache = new WorkflowCache(Math.max(options.maxCachedWorkflows, 1), (run) => run.busy);
    this.runner = { sandbox: options.sandbox, dataConverter: options.dataConverter, onSinkCalls: (calls) => this.runSinkCalls(calls) };
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

  /** Drops every cached run (shutdown). */
  async evictAll(): Promise<void> {
    for (const runId of [...this.cacheKeys()]) await this.evict(runId);
  }

  private *cacheKeys(): Generator<string> {
    for (const run of this.cache.values()) yield run.machine.runId;
  }

  private async processTask(task: PollResponse): Promise<void> {
    const events = await this.fullHistory(task);
    const runId = task.workflowExecution?.runId ?? '';
    try {
      if (task.query) {
        await this.answerLegacyQuery(task, events);
        return;
      }
      const run = await this.prepareRun(task, events);
      const queryResults = await this.answerQueries(run, task.queries ?? {});
      const response = run.machine.takeTaskResponse();
      await this.options.service.respondWorkflowTaskCompleted({
        taskToken: task.taskToken,
        namespace: this.options.namespace,
        identity: this.options.identity,
        commands: response.commands,
        messages: response.messages,
        queryResults,
        sdkMetadata: { ...response.sdkMetadata, sdkName: SDK_NAME, sdkVersion: SDK_VERSION },
      });
      run.busy = false;
      if (response.closed || this.options.maxCachedWorkflows === 0) await this.evict(runId);
    } catch (error) {
      await this.evict(runId);
      await this.failTask(task, error);
    }
  }

  /** Brings the run up to date with the task's history, running every activation the task yields. */
  private async prepareRun(task: PollResponse, events: HistoryEvent[], startedEventId = Number(task.startedEventId ?? 0)): Promise<CachedRun> {
    const runId = task.workflowExecution?.runId ?? '';
    for (let attempt = 0; ; attempt++) {
      const run = this.cachedOrNew(task);
      run.busy = true;
      try {
        run.machine.addWorkflowTask({
          events,
          messages: task.messages ?? [],
          startedEventId,
          previousStartedEventId: Number(task.previousStartedEventId ?? 0),
        });
        await runActivations(this.runner, run.machine);
        return run;
      } catch (error) {
        // The sandbox thread holding this run was restarted: replay the run from history once.
        if (!(error instanceof SandboxRunLostError) || attempt > 0) throw error;
        this.cache.delete(runId);
      }
    }
  }

  private cachedOrNew(task: PollResponse): CachedRun {
    const runId = task.workflowExecution?.runId ?? '';
    const cached = this.cache.get(runId);
    if (cached) return cached;
    const machine = new WorkflowRunMachine({
      namespace: this.options.namespace,
      taskQueue: this.options.taskQueue,
      workflowId: task.workflowExecution?.workflowId ?? '',
      runId,
      workflowType: task.workflowType?.name ?? '',
    });
    const run: CachedRun = { machine, busy: true };
    for (const [evictedId] of this.cache.set(runId, run)) void this.disposeRun(evictedId);
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
    if ((task.attempt ?? 1) > 1) return;
    const nondeterministic = error instanceof Error && error.name === 'DeterminismViolationError';
    const failure = error instanceof WorkflowTaskFailedError ? error.failure : this.options.dataConverter.failureConverter.errorToFailure(error, this.options.dataConverter.payloadConverter);
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

  /** The task's history, with every further page fetched. */
  private async fullHistory(task: PollResponse): Promise<HistoryEvent[]> {
    const events = [...(task.history?.events ?? [])];
    let token = task.nextPageToken;
    while (token && token.length > 0) {
      const page = await this.options.service.getWorkflowExecutionHistory({
        namespace: this.options.namespace,
        execution: task.workflowExecution,
        nextPageToken: token,
      });
      events.push(...(page.history?.events ?? []));
      token = page.nextPageToken;
    }
    return events;
  }

  /** Workflow `log` calls and `console` output go to the worker's logger with the workflow's attributes. */
  private runSinkCalls(calls: SinkCall[]): void {
    const { logger } = this.options;
    for (const call of calls) {
      if (call.isReplaying) continue;
      const level = LOG_LEVELS[call.fnName] ?? 'info';
      if (call.ifaceName === '__temporal_logger') {
        const [message, attributes] = call.args as [unknown, Record<string, unknown> | undefined];
        logger[level](String(message), { ...call.workflowInfo, ...attributes, sdkComponent: 'workflow' });
      } else if (call.ifaceName === 'console') {
        logger[level](String(call.args[0]), { ...call.workflowInfo, sdkComponent: 'workflow', source: 'console' });
      }
    }
  }

  private async evict(runId: string): Promise<void> {
    if (this.cache.delete(runId) !== undefined) await this.disposeRun(runId);
  }

  private async disposeRun(runId: string): Promise<void> {
    await this.options.sandbox.dispose(runId).catch((e: unknown) => this.options.logger.warn(`Could not dispose run ${runId}: ${errorText(e)}`));
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
