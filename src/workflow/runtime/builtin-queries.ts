/**
 * The queries every workflow answers: `__stack_trace` and `__temporal_workflow_metadata`.
 *
 * @module
 */
import { cutoffStackTrace } from '../../common/index.js';
import type { Activator } from './activator.js';
import { STACK_TRACE_QUERY_NAME, WORKFLOW_METADATA_QUERY_NAME } from './reserved-names.js';

/**
 * Where the workflow is waiting: the stack of each call that started a still-pending operation
 * (timer, activity, child workflow, external signal or cancel) or a blocked `condition()`.
 *
 * This is a summary built from the calls' stacks; it does not follow `await` chains the way the
 * official SDK's promise-hook based stack trace does.
 */
export function pendingStackTraces(activator: Activator): string[] {
  const stacks = new Set<string>();
  const add = (origin: Error): void => {
    const stack = cutoffStackTrace(origin.stack);
    if (stack) stacks.add(stack.split('\n').slice(1).join('\n'));
  };
  for (const map of Object.values(activator.completions)) for (const completion of map.values()) add(completion.origin);
  for (const condition of activator.blockedConditions.values()) add(condition.origin);
  return [...stacks];
}

function workflowMetadata(activator: Activator): unknown {
  const { handlers } = activator;
  const describe = (entries: Map<string, { description?: string }>) =>
    [...entries].map(([name, { description }]) => ({ name, description }));
  return {
    definition: {
      type: activator.info.workflowType,
      queryDefinitions: describe(handlers.queries),
      signalDefinitions: describe(handlers.signals),
      updateDefinitions: describe(handlers.updates),
    },
    currentDetails: activator.currentDetails,
  };
}

/** Registers the built-in queries on a new run. */
export function registerBuiltinQueries(activator: Activator): void {
  activator.handlers.queries.set(STACK_TRACE_QUERY_NAME, {
    handler: () => pendingStackTraces(activator).join('\n\n'),
    description: 'Returns the stacks of the calls the workflow is waiting on.',
  });
  activator.handlers.queries.set(WORKFLOW_METADATA_QUERY_NAME, {
    handler: () => workflowMetadata(activator),
    description: 'Returns metadata associated with this workflow.',
  });
}
