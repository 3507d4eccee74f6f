/**
 * Continue-as-new: ending this run and starting a fresh one (new run id, empty history) of the same
 * workflow id.
 *
 * @module
 */
import {
  encodeUnifiedSearchAttributes,
  mapToPayloads,
  markErrorClass,
  type Duration,
  type SearchAttributes,
  type SearchAttributeUpdatePair,
  type TypedSearchAttributes,
  type Workflow,
} from '../common/index.js';
import { durationOption } from './activity-options.js';
import { composeInterceptors } from './interceptors.js';
import { assertInWorkflowContext } from './runtime/current.js';
import type { ContinueAsNewWorkflowExecutionCommand } from './runtime/protocol.js';

/** The fields of the continueAsNewWorkflowExecution command. */
export type ContinueAsNewCommand = Omit<ContinueAsNewWorkflowExecutionCommand, 'kind'>;

/**
 * Thrown (as a rejection) by `continueAsNew`; letting it escape the workflow function continues the
 * workflow as new. Do not catch it.
 */
export class ContinueAsNew extends Error {
  constructor(public readonly command: ContinueAsNewCommand) {
    super('Workflow continued as new');
  }
}
markErrorClass(ContinueAsNew, 'ContinueAsNew');

/** Options of {@link makeContinueAsNewFunc}; unset fields keep this run's values. */
export interface ContinueAsNewOptions {
  /** @default this run's workflow type */
  workflowType?: string;
  /** @default this run's task queue */
  taskQueue?: string;
  workflowRunTimeout?: Duration;
  workflowTaskTimeout?: Duration;
  memo?: Record<string, unknown>;
  searchAttributes?: SearchAttributes;
  typedSearchAttributes?: SearchAttributeUpdatePair[] | TypedSearchAttributes;
}

/**
 * A function that continues this workflow as new with the given arguments (it never returns).
 *
 * @example
 * ```ts
 * const next = makeContinueAsNewFunc<typeof myWorkflow>({ taskQueue: 'v2' });
 * await next(state);
 * ```
 */
export function makeContinueAsNewFunc<F extends Workflow>(options?: ContinueAsNewOptions): (...args: Parameters<F>) => Promise<never> {
  const activator = assertInWorkflowContext(
    'Workflow.continueAsNew(...) and Workflow.makeContinueAsNewFunc(...) may only be used from a Workflow Execution.'
  );
  const { info } = activator;
  const { workflowType, taskQueue, ...rest } = options ?? {};
  const required = { workflowType: workflowType ?? info.workflowType, taskQueue: taskQueue ?? info.taskQueue, ...rest };
  return (...args: Parameters<F>): Promise<never> => {
    const execute = composeInterceptors(activator.interceptors.outbound, 'continueAsNew', async (input) => {
      const { options: opts, headers } = input;
      const context = activator.workflowContext();
      const hasSearchAttributes = opts.searchAttributes || opts.typedSearchAttributes;
      throw new ContinueAsNew({
        workflowType: opts.workflowType,
        taskQueue: opts.taskQueue,
        arguments: activator.toPayloads(input.args, context),
        headers,
        memo: opts.memo && mapToPayloads(activator.payloadConverter, opts.memo, context),
        searchAttributes: hasSearchAttributes ? encodeUnifiedSearchAttributes(opts.searchAttributes, opts.typedSearchAttributes) : undefined,
        workflowRunTimeoutMs: durationOption(opts.workflowRunTimeout, 'workflowRunTimeout'),
        workflowTaskTimeoutMs: durationOption(opts.workflowTaskTimeout, 'workflowTaskTimeout'),
      });
    });
    return execute({ args, headers: {}, options: required });
  };
}

/**
 * Continues this workflow as new with `args` and this run's type and task queue.
 *
 * @example
 * ```ts
 * if (workflowInfo().continueAsNewSuggested) await continueAsNew<typeof counter>(count);
 * ```
 */
export function continueAsNew<F extends Workflow>(...args: Parameters<F>): Promise<never> {
  return makeContinueAsNewFunc<F>()(...args);
}
