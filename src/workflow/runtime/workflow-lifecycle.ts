/**
 * Starting the workflow function and turning how it ends into a terminal command (or a workflow
 * task failure).
 *
 * @module
 */
import {
  arrayFromPayloads,
  ensureTemporalFailure,
  isCancellation,
  TemporalFailure,
  type FailureConverter,
  type PayloadConverter,
} from '../../common/index.js';
import { ContinueAsNew } from '../continue-as-new.js';
import { composeInterceptors, type WorkflowExecuteInput, type WorkflowInterceptorsFactory } from '../interceptors.js';
import { logWith } from '../logs.js';
import type { Activator, RunInterceptors, RuntimeBundle } from './activator.js';
import { installFailureExceptionTypes, isConfiguredFailureException } from './failure-exception-types.js';
import { buildWorkflowInfo } from './info.js';
import type { InitializeWorkflowJob, WorkflowActivation } from './protocol.js';

/** The run's bundle exports (only until the workflow is initialized). */
function bundleOf(activator: Activator): RuntimeBundle {
  if (activator.bundle === undefined) throw new TypeError('The workflow bundle was already released: the run is initialized');
  return activator.bundle;
}

/** Applies the custom converters of the bundle, if any. */
export function installConverters(activator: Activator): void {
  const bundle = bundleOf(activator);
  const payloadConverter = bundle.payloadConverterModule?.['payloadConverter'];
  if (payloadConverter != null) activator.payloadConverter = payloadConverter as PayloadConverter;
  const failureConverter = bundle.failureConverterModule?.['failureConverter'];
  if (failureConverter != null) activator.failureConverter = failureConverter as FailureConverter;
}

/** Instantiates the interceptors of the bundle's interceptor modules (a run without any keeps the shared empty set). */
function installInterceptors(activator: Activator, bundle: RuntimeBundle): void {
  const all: { [K in keyof RunInterceptors]: Array<RunInterceptors[K][number]> } = { inbound: [], outbound: [], internals: [] };
  for (const module of bundle.interceptorModules) {
    const factory = module['interceptors'] as WorkflowInterceptorsFactory | undefined;
    if (factory === undefined) continue;
    if (typeof factory !== 'function') {
      throw new TypeError(`Failed to initialize workflow interceptors: expected a function, but got: '${typeof factory}'`);
    }
    const { inbound = [], outbound = [], internals = [] } = factory();
    all.inbound.push(...inbound);
    all.outbound.push(...outbound);
    all.internals.push(...internals);
  }
  if (all.inbound.length + all.outbound.length + all.internals.length > 0) activator.interceptors = all;
}

/** Builds the run's info, finds its workflow function and instantiates the interceptors. */
export function initializeWorkflow(activator: Activator, job: InitializeWorkflowJob, activation: WorkflowActivation): void {
  if (activator.workflow !== undefined) throw new TypeError('Got a second initializeWorkflow job for the same run');
  activator.info = buildWorkflowInfo(activator, job, activation);
  const bundle = bundleOf(activator);
  const { workflows } = bundle;
  const fn = workflows[job.workflowType] ?? workflows['default'];
  if (typeof fn !== 'function') {
    const details =
      workflows[job.workflowType] === undefined
        ? 'no such function is exported by the workflow bundle'
        : `expected a function, but got: '${typeof workflows[job.workflowType]}'`;
    throw new TypeError(`Failed to initialize workflow of type '${job.workflowType}': ${details}`);
  }
  activator.workflow = fn as (...args: unknown[]) => unknown;
  installFailureExceptionTypes(activator, job.failureExceptionTypeNames);
  installInterceptors(activator, bundle);
  activator.bundle = undefined;
}

/** The innermost `execute`: calls the workflow function (its frame marks the user-code boundary). */
async function startWorkflowNextHandler(activator: Activator, { args }: WorkflowExecuteInput): Promise<unknown> {
  const workflow = activator.workflow as (...a: unknown[]) => unknown;
  return await workflow(...args); // called unbound: `this` is undefined in the workflow function
}

/** Logs the workflow's start and how it ended, like the official lifecycle logging. */
function withLifecycleLogging(activator: Activator, run: () => Promise<unknown>): Promise<unknown> {
  logWith(activator, 'debug', 'Workflow started', { sdkComponent: 'worker' });
  return run().then(
    (result) => {
      logWith(activator, 'debug', 'Workflow completed', { sdkComponent: 'worker' });
      return result;
    },
    (error: unknown) => {
      if (isCancellation(error)) logWith(activator, 'debug', 'Workflow completed as cancelled', { sdkComponent: 'worker' });
      else if (error instanceof ContinueAsNew) logWith(activator, 'debug', 'Workflow continued as new', { sdkComponent: 'worker' });
      else logWith(activator, 'warn', 'Workflow failed', { error, sdkComponent: 'worker' });
      throw error;
    }
  );
}

/** Calls the workflow function with the job's arguments; its outcome becomes the terminal command. */
export function startWorkflow(activator: Activator, job: InitializeWorkflowJob): void {
  const execute = composeInterceptors(activator.interceptors.inbound, 'execute', (input) =>
    startWorkflowNextHandler(activator, input)
  );
  const input = { headers: job.headers ?? {}, args: arrayFromPayloads(activator.payloadConverter, job.arguments, activator.workflowContext()) };
  // The closures below capture `input`, not the job: a pending promise's callbacks (and the origin
  // stacks of what the workflow waits on, which hold the functions on the stack) would otherwise
  // keep the start arguments' payloads alive for as long as the run is cached.
  settleWorkflow(activator, withLifecycleLogging(activator, () => execute(input)));
}

/** Turns how the workflow function ends into the terminal command. */
function settleWorkflow(activator: Activator, outcome: Promise<unknown>): void {
  outcome
    .then(
      (result) => completeWorkflow(activator, result),
      (error: unknown) => handleWorkflowFailure(activator, error)
    )
    .catch((error: unknown) => activator.recordTaskError(error));
}

function completeWorkflow(activator: Activator, result: unknown): void {
  activator.pushCommand({ kind: 'completeWorkflowExecution', result: activator.toPayload(result) });
}

/**
 * What an error escaping the workflow function (or a signal or update handler) does: cancellation
 * of a cancelled workflow cancels it, `ContinueAsNew` continues it, a `TemporalFailure` (or an error
 * of a configured failure exception type) fails the execution, anything else fails the workflow task.
 */
export function handleWorkflowFailure(activator: Activator, error: unknown): void {
  if (activator.cancelled && isCancellation(error)) {
    activator.pushCommand({ kind: 'cancelWorkflowExecution' });
  } else if (error instanceof ContinueAsNew) {
    activator.pushCommand({ kind: 'continueAsNewWorkflowExecution', ...error.command });
  } else if (error instanceof TemporalFailure || isConfiguredFailureException(activator, error)) {
    // The execution fails: running handlers are abandoned without "unfinished handler" warnings.
    activator.handlers.abandonExecutions();
    activator.pushCommand({ kind: 'failWorkflowExecution', failure: activator.errorToFailure(ensureTemporalFailure(error)) });
  } else {
    activator.recordTaskError(error);
  }
}
