/**
 * Child workflows: `startChild`, `executeChild` and the child handle.
 *
 * @module
 */
import {
  encodeUnifiedSearchAttributes,
  mapToPayloads,
  type SignalDefinition,
  type Workflow,
  type WorkflowResultType,
  type WorkflowSerializationContext,
} from '../common/index.js';
import { commandPriority, durationOption } from './activity-options.js';
import {
  ChildWorkflowCancellationType,
  ParentClosePolicy,
  WorkflowIdReusePolicy,
  type ChildWorkflowOptions,
  type ChildWorkflowOptionsWithDefaults,
} from './child-workflow-options.js';
import { composeInterceptors, type StartChildWorkflowExecutionInput } from './interceptors.js';
import type { Activator } from './runtime/activator.js';
import { assertInWorkflowContext, getActivator } from './runtime/current.js';
import { plainRetryPolicy } from './runtime/plain-proto.js';
import type { StartChildWorkflowExecutionCommand } from './runtime/protocol.js';
import { linkToScope } from './scope-link.js';
import { signalWorkflow } from './signal-workflow.js';
import { uuid4 } from './uuid.js';
import { captureOrigin } from './runtime/origin.js';

/** A handle to a child workflow this run started. */
export interface ChildWorkflowHandle<T extends Workflow> {
  readonly workflowId: string;
  /** The run id of the child's first run. */
  readonly firstExecutionRunId: string;
  /** The child's result (following its continue-as-new chain). */
  result(): Promise<WorkflowResultType<T>>;
  /** Sends a signal to the child; resolves once delivered. */
  signal<Args extends unknown[] = [], Name extends string = string>(def: SignalDefinition<Args, Name> | string, ...args: Args): Promise<void>;
}

/** Child options together with the child's arguments. */
export type ChildWorkflowOptionsWithArgs<T extends Workflow> = ChildWorkflowOptions & { args?: Parameters<T> | unknown[] };

function enumOption<T extends string>(table: Record<string, T>, value: string | undefined, name: string, prefix: string): T | undefined {
  if (value === undefined) return undefined;
  const short = value.startsWith(prefix) ? value.slice(prefix.length) : value;
  if (!Object.prototype.hasOwnProperty.call(table, short)) {
    throw new TypeError(`Invalid ${name}: ${value} (expected one of ${Object.keys(table).join(', ')})`);
  }
  return table[short];
}

function workflowTypeOf(workflowTypeOrFunc: string | Workflow): string {
  const type = typeof workflowTypeOrFunc === 'string' ? workflowTypeOrFunc : workflowTypeOrFunc?.name;
  if (typeof type !== 'string' || type.length === 0) {
    throw new TypeError('Expected a workflow type name or a named workflow function');
  }
  return type;
}

/**
 * Child workflow options with the defaults `startChild` applies: a deterministic `uuid4()` workflow
 * id, no arguments, and `WAIT_CANCELLATION_COMPLETED`.
 *
 * @example
 * ```ts
 * addDefaultWorkflowOptions({ args: [order.id] }); // { workflowId: '…', args: ['o-17'], cancellationType: 'WAIT_CANCELLATION_COMPLETED' }
 * ```
 */
export function addDefaultWorkflowOptions(options: ChildWorkflowOptionsWithArgs<Workflow> | undefined): ChildWorkflowOptionsWithDefaults {
  const { args, workflowId, ...rest } = options ?? {};
  return {
    workflowId: workflowId ?? uuid4(),
    args: (args ?? []) as unknown[],
    cancellationType: ChildWorkflowCancellationType.WAIT_CANCELLATION_COMPLETED,
    ...rest,
  };
}

function startChildCommand(activator: Activator, input: StartChildWorkflowExecutionInput, context: WorkflowSerializationContext): StartChildWorkflowExecutionCommand {
  const { options, seq, workflowType, headers } = input;
  const hasSearchAttributes = options.searchAttributes || options.typedSearchAttributes;
  return {
    kind: 'startChildWorkflowExecution',
    seq,
    namespace: activator.info.namespace,
    workflowId: options.workflowId,
    workflowType,
    taskQueue: options.taskQueue || activator.info.taskQueue,
    input: activator.toPayloads(options.args, context),
    workflowExecutionTimeoutMs: durationOption(options.workflowExecutionTimeout, 'workflowExecutionTimeout'),
    workflowRunTimeoutMs: durationOption(options.workflowRunTimeout, 'workflowRunTimeout'),
    workflowTaskTimeoutMs: durationOption(options.workflowTaskTimeout, 'workflowTaskTimeout'),
    parentClosePolicy: enumOption(ParentClosePolicy, options.parentClosePolicy, 'parentClosePolicy', 'PARENT_CLOSE_POLICY_') ?? 'TERMINATE',
    workflowIdReusePolicy: enumOption(WorkflowIdReusePolicy, options.workflowIdReusePolicy, 'workflowIdReusePolicy', 'WORKFLOW_ID_REUSE_POLICY_'),
    retryPolicy: options.retry ? plainRetryPolicy(options.retry) : undefined,
    cronSchedule: options.cronSchedule,
    headers,
    memo: options.memo && mapToPayloads(activator.payloadConverter, options.memo, context),
    searchAttributes: hasSearchAttributes ? encodeUnifiedSearchAttributes(options.searchAttributes, options.typedSearchAttributes) : undefined,
    cancellationType: enumOption(ChildWorkflowCancellationType, options.cancellationType, 'cancellationType', '') ?? 'WAIT_CANCELLATION_COMPLETED',
    priority: commandPriority(options.priority),
  };
}

/** Issues startChildWorkflowExecution; returns the start (run id) and completion promises. */
function startChildWorkflowExecutionNextHandler(input: StartChildWorkflowExecutionInput, origin: Error): Promise<[Promise<string>, Promise<unknown>]> {
  const activator = getActivator();
  const { seq, options } = input;
  const context: WorkflowSerializationContext = { type: 'workflow', namespace: activator.info.namespace, workflowId: options.workflowId };
  const started = linkToScope<string>(
    (resolve, reject) => {
      activator.pushCommand(startChildCommand(activator, input, context), origin);
      activator.completions.set('childWorkflowStart', seq, { resolve: resolve as (v: unknown) => void, reject, origin, context });
    },
    (reason) => {
      if (!activator.completions.has('childWorkflowComplete', seq)) return; // nothing left to cancel
      activator.pushCommand({ kind: 'cancelChildWorkflowExecution', childWorkflowSeq: seq, reason: '' }, reason instanceof Error ? reason : undefined);
    }
  );
  // Created now, so the result is captured even if the workflow awaits it later (or never).
  const completed = new Promise<unknown>((resolve, reject) => {
    started.catch(reject);
    activator.completions.set('childWorkflowComplete', seq, { resolve, reject, origin, context });
  });
  completed.catch(() => undefined);
  return Promise.resolve([started, completed]);
}

function startChildExecution(activator: Activator, workflowTypeOrFunc: string | Workflow, options: ChildWorkflowOptionsWithArgs<Workflow> | undefined): {
  execution: Promise<[Promise<string>, Promise<unknown>]>;
  options: ChildWorkflowOptionsWithDefaults;
  seq: number;
} {
  const origin = captureOrigin('startChild');
  const workflowType = workflowTypeOf(workflowTypeOrFunc);
  const withDefaultOptions = addDefaultWorkflowOptions(options);
  const execute = composeInterceptors(activator.interceptors.outbound, 'startChildWorkflowExecution', (input) =>
    startChildWorkflowExecutionNextHandler(input, origin)
  );
  const seq = activator.nextSeqs.childWorkflow++;
  return { execution: execute({ seq, options: withDefaultOptions, headers: {}, workflowType }), options: withDefaultOptions, seq };
}

/** From now on the stack trace query shows where the workflow awaits the child's result (`origin`). */
function awaitedFrom(activator: Activator, seq: number, origin: Error): void {
  const pending = activator.completions.get('childWorkflowComplete', seq);
  if (pending !== undefined) pending.origin = origin;
}

/**
 * Starts a child workflow and returns its handle once the child started. Cancelling the enclosing
 * scope cancels the child (per `cancellationType`).
 *
 * @example
 * ```ts
 * const child = await startChild(processOrder, { args: [order], workflowId: `order-${order.id}` });
 * const result = await child.result();
 * ```
 */
export async function startChild<T extends Workflow>(workflowTypeOrFunc: string | T, options?: ChildWorkflowOptionsWithArgs<T>): Promise<ChildWorkflowHandle<T>> {
  const activator = assertInWorkflowContext(
    'Workflow.startChild(...) may only be used from a Workflow Execution. Consider using Client.workflow.start(...) instead.'
  );
  const { execution, options: opts, seq } = startChildExecution(activator, workflowTypeOrFunc, options);
  const [started, completed] = await execution;
  const firstExecutionRunId = await started;
  return {
    workflowId: opts.workflowId,
    firstExecutionRunId,
    result: () => {
      awaitedFrom(activator, seq, captureOrigin('result'));
      return completed as Promise<WorkflowResultType<T>>;
    },
    signal: (def, ...args) =>
      signalWorkflow(activator, { type: 'child', childWorkflowId: opts.workflowId }, def as SignalDefinition<unknown[]>, args),
  };
}

/**
 * Starts a child workflow and waits for its result.
 *
 * @example
 * ```ts
 * const total = await executeChild(sumWorkflow, { args: [[1, 2, 3]] });
 * ```
 */
export async function executeChild<T extends Workflow>(workflowTypeOrFunc: string | T, options?: ChildWorkflowOptionsWithArgs<T>): Promise<WorkflowResultType<T>> {
  const activator = assertInWorkflowContext(
    'Workflow.executeChild(...) may only be used from a Workflow Execution. Consider using Client.workflow.execute(...) instead.'
  );
  const { execution } = startChildExecution(activator, workflowTypeOrFunc, options);
  const [, completed] = await execution;
  return (await completed) as WorkflowResultType<T>;
}
