/**
 * Applying an activation's jobs, in the order given, as one batch. An initializeWorkflow job
 * prepares the run first and starts the workflow function last, after the signals and updates of the
 * same activation were delivered (or buffered), as the official SDK does.
 *
 * @module
 */
import { IllegalStateError } from '../../common/index.js';
import { composeInterceptors } from '../interceptors.js';
import type { Activator } from './activator.js';
import { unblockConditions } from './conditions.js';
import { queryWorkflowInfo, refreshWorkflowInfo } from './info.js';
import type { ActivationJob, InitializeWorkflowJob, NotifyHasPatchJob, WorkflowActivation } from './protocol.js';
import { queryWorkflow } from './queries.js';
import {
  fireTimer,
  resolveActivity,
  resolveChildWorkflowExecution,
  resolveChildWorkflowExecutionStart,
  resolveRequestCancelExternalWorkflow,
  resolveSignalExternalWorkflow,
} from './resolutions.js';
import { signalWorkflow } from './signals.js';
import { doUpdate } from './updates.js';
import { initializeWorkflow, startWorkflow } from './workflow-lifecycle.js';

/** Jobs that may accompany initializeWorkflow (nothing can be resolved before the run starts). */
const JOBS_ALLOWED_WITH_INIT: ReadonlySet<ActivationJob['kind']> = new Set([
  'initializeWorkflow',
  'notifyHasPatch',
  'updateRandomSeed',
  'signalWorkflow',
  'doUpdate',
  'cancelWorkflow',
]);

function notifyHasPatch(activator: Activator, job: NotifyHasPatchJob): void {
  if (!activator.info.unsafe.isReplaying) throw new IllegalStateError('Unexpected notifyHasPatch job on non-replay activation');
  if (!job.patchId) throw new TypeError('notifyHasPatch job has no patchId');
  activator.patches.known.add(job.patchId);
}

/** Applies one non-query, non-initialize job. */
function applyJob(activator: Activator, job: ActivationJob): void {
  switch (job.kind) {
    case 'fireTimer':
      return fireTimer(activator, job);
    case 'resolveActivity':
      return resolveActivity(activator, job);
    case 'signalWorkflow':
      return signalWorkflow(activator, job);
    case 'doUpdate':
      return doUpdate(activator, job);
    case 'cancelWorkflow':
      activator.cancelled = true;
      return activator.rootScope.cancel();
    case 'notifyHasPatch':
      return notifyHasPatch(activator, job);
    case 'updateRandomSeed':
      return; // the host owns Math.random and reseeds it
    case 'resolveChildWorkflowExecutionStart':
      return resolveChildWorkflowExecutionStart(activator, job);
    case 'resolveChildWorkflowExecution':
      return resolveChildWorkflowExecution(activator, job);
    case 'resolveSignalExternalWorkflow':
      return resolveSignalExternalWorkflow(activator, job);
    case 'resolveRequestCancelExternalWorkflow':
      return resolveRequestCancelExternalWorkflow(activator, job);
    case 'initializeWorkflow':
      throw new TypeError('initializeWorkflow must be the first job of the run');
    case 'queryWorkflow':
      throw new TypeError('Got both queries and other jobs in a single activation');
    default:
      throw new TypeError(`Unknown activation job kind: ${String((job as { kind: unknown }).kind)}`);
  }
}

/** Answers a query-only activation. */
function activateQueries(activator: Activator, jobs: ActivationJob[]): void {
  if (activator.workflow === undefined) throw new IllegalStateError('Got a query before the workflow was initialized');
  if (jobs.some((job) => job.kind !== 'queryWorkflow')) {
    throw new TypeError('Got both queries and other jobs in a single activation');
  }
  activator.queryMode = true;
  activator.info = queryWorkflowInfo(activator.info);
  for (const job of jobs) if (job.kind === 'queryWorkflow') queryWorkflow(activator, job);
}

/** Initializes the run (first activation: applyJobs then starts it) or refreshes its info. */
function prepare(activator: Activator, activation: WorkflowActivation): void {
  const init = activation.jobs.find((job): job is InitializeWorkflowJob => job.kind === 'initializeWorkflow');
  if (init !== undefined) {
    const unexpected = activation.jobs.filter((job) => !JOBS_ALLOWED_WITH_INIT.has(job.kind)).map((job) => job.kind);
    if (unexpected.length > 0) {
      throw new TypeError(`Received both initializeWorkflow and non-signal/non-update jobs in the same activation: ${JSON.stringify(unexpected)}`);
    }
    initializeWorkflow(activator, init, activation);
  } else if (activator.workflow === undefined) {
    throw new IllegalStateError('The first activation of a run must contain an initializeWorkflow job');
  } else {
    activator.info = refreshWorkflowInfo(activator.info, activation);
  }
}

/** Applies the jobs of a (non-query) activation, then starts the workflow function if it initialized the run. */
function applyJobs(activator: Activator, activation: WorkflowActivation): void {
  let init: InitializeWorkflowJob | undefined;
  for (const job of activation.jobs) {
    if (job.kind === 'initializeWorkflow') {
      init = job;
      continue;
    }
    applyJob(activator, job);
    if (activator.taskError !== undefined) return;
    unblockConditions(activator);
  }
  if (init !== undefined) {
    startWorkflow(activator, init);
    unblockConditions(activator);
  }
}

/**
 * Applies an activation, through the internals interceptors' `activate`. Errors are not thrown: they
 * fail the workflow task, which `concludeActivation` reports.
 */
export function applyActivation(activator: Activator, activation: WorkflowActivation): void {
  if (activator.taskError !== undefined) return; // the run already failed its task; it must be evicted
  try {
    if (!activation || !Array.isArray(activation.jobs)) throw new TypeError('Expected an activation with a jobs array');
    const queries = activation.jobs.some((job) => job.kind === 'queryWorkflow');
    if (!queries) activator.queryMode = false;
    if (!queries) prepare(activator, activation);
    // The callback captures no job: origin stacks captured while it runs keep it (and its scope) alive.
    const apply = composeInterceptors(activator.interceptors.internals, 'activate', (input) => {
      if (queries) activateQueries(activator, input.activation.jobs);
      else applyJobs(activator, input.activation);
    });
    apply({ activation, batchIndex: 0 });
  } catch (error) {
    activator.recordTaskError(error);
  }
}
