// Drives the workflow runtime (dist/workflow/runtime/entry.js) in-process the way the sandbox host
// does: activate → (macrotask barrier, tryUnblockConditions)* → concludeActivation. Builds jobs and
// payloads. No side effects on import.
import { AsyncLocalStorage } from 'node:async_hooks';
import * as runtime from '../../../../dist/workflow/runtime/entry.js';
import { ApplicationFailure, defaultFailureConverter, defaultPayloadConverter } from '../../../../dist/common/index.js';

export { runtime };

/** A payload as the default converter writes it. */
export const payload = (value) => defaultPayloadConverter.toPayload(value);
/** The value of a payload. */
export const value = (p) => (p === undefined ? undefined : defaultPayloadConverter.fromPayload(p));
/** A failure message for `error` (ApplicationFailure.create(...) etc.). */
export const failure = (error) => defaultFailureConverter.errorToFailure(error, defaultPayloadConverter);
/** The error a failure decodes to. */
export const failureError = (f) => defaultFailureConverter.failureToError(f, defaultPayloadConverter);

export const START_TIME_MS = Date.UTC(2024, 0, 2, 3, 4, 5);

/** An initializeWorkflow job with sensible defaults. */
export function initJob(workflowType, overrides = {}) {
  const { args = [], ...rest } = overrides;
  return {
    kind: 'initializeWorkflow',
    workflowType,
    workflowId: 'wf-id',
    namespace: 'default',
    taskQueue: 'tq',
    arguments: args.map(payload),
    headers: {},
    randomnessSeed: '12345',
    identity: 'test-worker',
    attempt: 1,
    firstExecutionRunId: 'run-1',
    workflowTaskTimeoutMs: 10_000,
    memo: {},
    searchAttributes: {},
    startTimeMs: START_TIME_MS,
    runStartTimeMs: START_TIME_MS,
    ...rest,
  };
}

/** Builders of the other activation jobs. */
export const jobs = {
  fireTimer: (seq) => ({ kind: 'fireTimer', seq }),
  activityCompleted: (seq, result, isLocal = false) => ({
    kind: 'resolveActivity',
    seq,
    isLocal,
    result: { status: 'completed', result: result === undefined ? undefined : payload(result) },
  }),
  activityFailed: (seq, error, isLocal = false) => ({ kind: 'resolveActivity', seq, isLocal, result: { status: 'failed', failure: failure(error) } }),
  activityCancelled: (seq, error) => ({ kind: 'resolveActivity', seq, isLocal: false, result: { status: 'cancelled', failure: failure(error) } }),
  localActivityBackoff: (seq, attempt, backoffMs) => ({
    kind: 'resolveActivity',
    seq,
    isLocal: true,
    result: { status: 'backoff', attempt, backoffMs, originalScheduleTimeMs: START_TIME_MS },
  }),
  signal: (signalName, ...args) => ({ kind: 'signalWorkflow', signalName, input: args.map(payload), identity: 'client', headers: {} }),
  query: (queryId, queryType, ...args) => ({ kind: 'queryWorkflow', queryId, queryType, arguments: args.map(payload), headers: {} }),
  update: (id, name, args = [], { runValidator = true } = {}) => ({
    kind: 'doUpdate',
    id,
    protocolInstanceId: `pi-${id}`,
    name,
    input: args.map(payload),
    headers: {},
    identity: 'client',
    runValidator,
  }),
  cancel: (reason = 'requested') => ({ kind: 'cancelWorkflow', reason }),
  notifyHasPatch: (patchId) => ({ kind: 'notifyHasPatch', patchId }),
  childStarted: (seq, runId = 'child-run') => ({ kind: 'resolveChildWorkflowExecutionStart', seq, result: { status: 'succeeded', runId } }),
  childCompleted: (seq, result) => ({ kind: 'resolveChildWorkflowExecution', seq, result: { status: 'completed', result: payload(result) } }),
  childFailed: (seq, error) => ({ kind: 'resolveChildWorkflowExecution', seq, result: { status: 'failed', failure: failure(error) } }),
  childStartFailed: (seq, workflowId, workflowType) => ({
    kind: 'resolveChildWorkflowExecutionStart',
    seq,
    result: { status: 'failed', workflowId, workflowType, cause: 'WORKFLOW_ALREADY_EXISTS' },
  }),
  signalExternalDone: (seq, error) => ({ kind: 'resolveSignalExternalWorkflow', seq, failure: error ? failure(error) : undefined }),
  cancelExternalDone: (seq, error) => ({ kind: 'resolveRequestCancelExternalWorkflow', seq, failure: error ? failure(error) : undefined }),
};

/** A workflow run driven through the runtime module, one activation at a time. */
export class Run {
  /**
   * @param workflows the workflows module (an object of functions)
   * @param options `asyncContext: false` runs without AsyncLocalStorage; the rest goes to createRun
   */
  constructor(workflows, options = {}) {
    const { asyncContext = true, runId = 'run-1', ...bundle } = options;
    this.runId = runId;
    this.asyncContext = asyncContext;
    this.timeMs = START_TIME_MS;
    this.historyLength = 3;
    this.unhandled = [];
    if (asyncContext) globalThis.AsyncLocalStorage ??= AsyncLocalStorage;
    // The run picks its context storage when it is created.
    const saved = globalThis.AsyncLocalStorage;
    if (!asyncContext) delete globalThis.AsyncLocalStorage;
    try {
      runtime.createRun(runId, { workflows, interceptorModules: [], ...bundle });
    } finally {
      if (saved !== undefined) globalThis.AsyncLocalStorage = saved;
    }
  }

  /** Applies `jobList` as one activation and runs it to quiescence; returns the completion. */
  async activate(jobList, { isReplaying = false, historyLength, continueAsNewSuggested = false } = {}) {
    this.historyLength = historyLength ?? this.historyLength + 3;
    const activation = {
      runId: this.runId,
      timestampMs: this.timeMs,
      isReplaying,
      historyLength: this.historyLength,
      historySizeBytes: this.historyLength * 100,
      continueAsNewSuggested,
      jobs: jobList,
    };
    const onUnhandled = (reason) => {
      this.unhandled.push(reason);
      runtime.handleUnhandledRejection(reason);
    };
    // Like the sandbox host, this runner owns the run's rejections (the test runner's listener is set aside).
    const others = process.listeners('unhandledRejection');
    process.removeAllListeners('unhandledRejection');
    process.on('unhandledRejection', onUnhandled);
    const saved = globalThis.AsyncLocalStorage;
    if (!this.asyncContext) delete globalThis.AsyncLocalStorage;
    try {
      runtime.activate(activation);
      do await new Promise(setImmediate);
      while (runtime.tryUnblockConditions() > 0);
      await new Promise(setImmediate); // let Node report rejections nobody handled
    } finally {
      if (saved !== undefined) globalThis.AsyncLocalStorage = saved;
      process.off('unhandledRejection', onUnhandled);
      for (const listener of others) process.on('unhandledRejection', listener);
    }
    return runtime.concludeActivation();
  }

  /** Starts the run (initializeWorkflow plus `extraJobs`). */
  start(workflowType, initOverrides = {}, extraJobs = [], options = {}) {
    return this.activate([initJob(workflowType, initOverrides), ...extraJobs], options);
  }
}

/** The commands of a successful completion (fails the test on a failed one). */
export function commandsOf(completion) {
  if (!completion.successful) {
    throw new Error(`expected a successful completion, got failed: ${JSON.stringify(completion.failed?.failure?.message)}`);
  }
  return completion.successful.commands;
}

/** The kinds of the commands of a successful completion. */
export const kinds = (completion) => commandsOf(completion).map((c) => c.kind);

/** The decoded result of a completeWorkflowExecution command at the end of `completion`. */
export function resultOf(completion) {
  const commands = commandsOf(completion);
  const last = commands[commands.length - 1];
  if (last?.kind !== 'completeWorkflowExecution') throw new Error(`expected completeWorkflowExecution last, got ${JSON.stringify(commands.map((c) => c.kind))}`);
  return value(last.result);
}

/** A plain Error-free ApplicationFailure, for resolving activities as failed. */
export const appFailure = (message, type = 'AppError') => ApplicationFailure.create({ message, type, nonRetryable: true });
