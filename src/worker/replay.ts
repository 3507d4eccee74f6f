/**
 * Replaying recorded histories against workflow code, without a server: the same state machines
 * and sandbox as a live worker, every workflow task replayed, every command checked against the
 * command events history recorded.
 */
import { loadDataConverter } from '../client/data-conversion.js';
import { DeterminismViolationError, markErrorClass, ValueError, type DataConverter, type LoadedDataConverter } from '../common/index.js';
import type { Logger } from '../common/logger.js';
import { DefaultLogger } from '../common/logger.js';
import { temporal, type ProtoTypes } from '../proto/index.js';
import { bundleWorkflowCode, loadWorkflowBundle } from './bundler/index.js';
import { historyFromBinary, historyFromJSON } from './replay/history-input.js';
import { runActivations, type ActivationRunner } from './run-activations.js';
import { WorkflowSandbox } from './sandbox/index.js';
import type { WorkflowBundleOption } from './worker-options.js';
import { SinkDispatcher, validateSinks, type InjectedSinks } from './sinks.js';
import { WorkflowRunMachine } from './workflow/run-machine.js';
import { NondeterminismError } from './workflow/errors.js';
import { describeNondeterminism, lastWorkflowTaskStarted, WorkflowTaskFailedError } from './workflow-task-errors.js';
import type { ReplayRequest } from './sandbox/thread-messages.js';
import { compileWorkflowFailureErrorTypes, failureExceptionTypeNamesFor } from './worker-option-checks.js';

type History = ProtoTypes.temporal.api.history.v1.IHistory;

/** What replay needs from {@link WorkerOptions}: the workflow code and how its data is converted. */
export interface ReplayWorkerOptions {
  workflowsPath?: string;
  workflowBundle?: WorkflowBundleOption;
  interceptors?: { workflowModules?: string[] };
  dataConverter?: DataConverter;
  bundlerOptions?: { ignoreModules?: string[] };
  /**
   * Sandbox threads. Histories are replayed one after another and each is a chain of activations,
   * so one thread is enough.
   * @default 1
   */
  workflowThreadPoolSize?: number;
  logger?: Logger;
  /** Injected sinks; in replay only the functions with `callDuringReplay` run. */
  sinks?: InjectedSinks;
  /** As the worker's option: error type names that failed the execution rather than the task. @default {} */
  workflowFailureErrorTypes?: Record<string, string[]>;
}

/** A history to replay: a History message (or its JSON, either event-type spelling, or binary protobuf). */
export type ReplayHistoryInput = History | Uint8Array | object | string;

/** The outcome of replaying one history with {@link Worker.runReplayHistories}. */
export interface ReplayResult {
  workflowId: string;
  runId: string;
  /** Set when the replay failed: a DeterminismViolationError or a {@link ReplayError}. */
  error?: Error;
}

/** Workflow code failed a workflow task during replay (threw an error that is not a Temporal failure). */
export class ReplayError extends Error {}
markErrorClass(ReplayError, 'ReplayError');

/** A sandbox loaded with the workflow code of `options`, ready to replay histories. */
export class Replayer {
  private constructor(
    private readonly sandbox: WorkflowSandbox,
    private readonly dataConverter: LoadedDataConverter,
    private readonly sinks: SinkDispatcher,
    private readonly failureErrorTypes: Readonly<Record<string, readonly string[]>>,
  ) {}

  static async create(options: ReplayWorkerOptions): Promise<Replayer> {
    if ((options.workflowsPath === undefined) === (options.workflowBundle === undefined)) {
      throw new ValueError('Replay needs exactly one of workflowsPath or workflowBundle');
    }
    const sinks = new SinkDispatcher(validateSinks(options.sinks), options.logger ?? new DefaultLogger('WARN'), { replayWorker: true });
    const failureErrorTypes = compileWorkflowFailureErrorTypes(options.workflowFailureErrorTypes);
    const dataConverter = await loadDataConverter(options.dataConverter);
    // The sandbox threads lock themselves down while the code is bundled.
    const bundle = options.workflowsPath !== undefined
      ? bundleWorkflowCode({
          workflowsPath: options.workflowsPath,
          workflowInterceptorModules: options.interceptors?.workflowModules ?? [],
          payloadConverterPath: options.dataConverter?.payloadConverterPath,
          failureConverterPath: options.dataConverter?.failureConverterPath,
          ignoreModules: options.bundlerOptions?.ignoreModules ?? [],
          logger: options.logger ?? new DefaultLogger('WARN'),
        })
      : loadWorkflowBundle(options.workflowBundle as WorkflowBundleOption);
    const sandbox = await WorkflowSandbox.create({
      bundle,
      threads: options.workflowThreadPoolSize ?? 1,
      activationTimeoutMs: 0,
      logger: options.logger ?? new DefaultLogger('WARN'),
    });
    return new Replayer(sandbox, dataConverter, sinks, failureErrorTypes);
  }

  /** Replays one history; resolves when it replays cleanly, rejects with the determinism or replay error. */
  async replay(input: ReplayHistoryInput, workflowId?: string): Promise<{ workflowId: string; runId: string }> {
    const history = toHistory(input);
    const events = history.events ?? [];
    const started = events[0]?.workflowExecutionStartedEventAttributes;
    if (!started) throw new ValueError('A history to replay must start with a WorkflowExecutionStarted event');
    const runId = started.originalExecutionRunId || `replay-${Math.random().toString(16).slice(2)}`;
    const id = workflowId ?? 'replay-workflow-id';
    const workflowType = started.workflowType?.name ?? '';
    const run = {
      namespace: 'default',
      taskQueue: started.taskQueue?.name ?? 'replay',
      workflowId: id,
      runId,
      workflowType,
      failureExceptionTypeNames: failureExceptionTypeNamesFor(workflowType, this.failureErrorTypes),
    };
    try {
      if (this.dataConverter.payloadCodecs.length > 0) await this.replayHere(run, events);
      else await this.replayInSandbox(run, input instanceof Uint8Array ? input : temporal.api.history.v1.History.encode(history).finish());
    } catch (error) {
      if (error instanceof WorkflowTaskFailedError) throw new ReplayError(`Replay failed: ${error.message}`, { cause: error });
      if (error instanceof DeterminismViolationError) throw error;
      throw new ReplayError(`Replay failed: ${(error as Error)?.message ?? String(error)}`, { cause: error });
    } finally {
      await this.sandbox.dispose(runId).catch(() => undefined);
    }
    return { workflowId: id, runId };
  }

  /**
   * Without codecs: the sandbox thread runs the state machines itself (no round trip per
   * activation); sink calls are dispatched when it is done.
   */
  private async replayInSandbox(run: ReplayRequest['run'], history: Uint8Array): Promise<void> {
    const outcome = await this.sandbox.replay(run, history);
    if (outcome.sinkCalls.length > 0) await this.sinks.dispatch(outcome.sinkCalls);
    if (outcome.kind === 'failed') throw new WorkflowTaskFailedError(outcome.failure);
    if (outcome.kind === 'nondeterminism') throw describeNondeterminism(new NondeterminismError(outcome.details), outcome.stack);
  }

  /** With codecs (which run on this thread): the state machines run here, one sandbox round trip per activation. */
  private async replayHere(run: ReplayRequest['run'], events: ProtoTypes.temporal.api.history.v1.IHistoryEvent[]): Promise<void> {
    const machine = new WorkflowRunMachine(run);
    const runner: ActivationRunner = { sandbox: this.sandbox, dataConverter: this.dataConverter, onSinkCalls: (calls) => this.sinks.dispatch(calls) };
    machine.addWorkflowTask({ events, messages: [], startedEventId: lastWorkflowTaskStarted(events), previousStartedEventId: 0 });
    await runActivations(runner, machine);
  }

  close(): Promise<void> {
    return this.sandbox.close();
  }
}

function toHistory(input: ReplayHistoryInput): History {
  if (input instanceof Uint8Array) return historyFromBinary(input);
  if (typeof input === 'string') return historyFromJSON(JSON.parse(input) as unknown);
  // A decoded History (e.g. from `handle.fetchHistory()`): event types are enum numbers, not JSON strings.
  const events = (input as { events?: Array<{ eventType?: unknown }> }).events;
  if (Array.isArray(events) && typeof events[0]?.eventType === 'number') return temporal.api.history.v1.History.fromObject(input);
  return historyFromJSON(input);
}
