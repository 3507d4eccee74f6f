/**
 * The queries every workflow answers: `__stack_trace`, `__enhanced_stack_trace` and
 * `__temporal_workflow_metadata`. Like the official SDK's, their answers are encoded with the default
 * payload converter whatever converter the workflow uses, and the handlers are listed, with the same
 * descriptions, in the metadata's query definitions.
 *
 * @module
 */
import { cutoffStackTrace, RawValue } from '../../common/index.js';
import type { Activator } from './activator.js';
import { getActivator } from './current.js';
import type { QueryHandlerEntry } from './handler-registry.js';
import { ENHANCED_STACK_TRACE_QUERY_NAME, STACK_TRACE_QUERY_NAME, WORKFLOW_METADATA_QUERY_NAME } from './reserved-names.js';

/** One frame of an `__enhanced_stack_trace` answer (field names as in Temporal's stack trace format). */
export interface StackTraceFileLocation {
  file_path?: string;
  line?: number;
  column?: number;
  function_name?: string;
  /** SDK code, hidden by default in UIs (the worker marks these once it has mapped the frames). */
  internal_code: boolean;
}

/** The answer of `__enhanced_stack_trace`; the worker fills in `sdk.version` and maps the locations. */
export interface EnhancedStackTrace {
  sdk: { name: string; version: string };
  stacks: Array<{ locations: StackTraceFileLocation[] }>;
  sources: Record<string, Array<{ line_offset: number; content: string }>>;
}

/** `at name (file:line:column)` or `at file:line:column`. */
const FRAME = /^\s*at (?:(.*?) \()?(.+?):(\d+):(\d+)\)?\s*$/;

/** The frames of a raw stack (as `pendingStackTraces` returns them) as structured locations. */
export function stackLocations(stack: string): StackTraceFileLocation[] {
  const locations: StackTraceFileLocation[] = [];
  for (const line of stack.split('\n')) {
    const match = FRAME.exec(line);
    if (match === null) continue;
    const [, name, file, lineText, columnText] = match;
    locations.push({ file_path: file, line: Number(lineText), column: Number(columnText), function_name: name || undefined, internal_code: false });
  }
  return locations;
}

/**
 * Where the workflow is waiting: the stack of each call that started a still-pending operation
 * (timer, activity, child workflow start, or — once `result()` was called — the child's result,
 * external signal or cancel) or a blocked `condition()`. The stacks are raw (bundle positions,
 * SDK frames included); the worker source-maps them and keeps the user's frames.
 *
 * This is built from the calls' stacks (with V8's async frames); it does not follow every `await`
 * chain the way the official SDK's promise-hook based stack trace does.
 */
export function pendingStackTraces(activator: Activator): string[] {
  const stacks = new Set<string>();
  const add = (origin: Error): void => {
    const stack = cutoffStackTrace(origin.stack);
    if (stack) stacks.add(stack.split('\n').slice(1).join('\n'));
  };
  for (const completion of activator.completions.values()) add(completion.origin);
  for (const condition of activator.blockedConditions.values()) add(condition.origin);
  return [...stacks];
}

function workflowMetadata(activator: Activator): unknown {
  const { handlers } = activator;
  const describe = (entries: Iterable<readonly [string, { readonly description?: string }]>) =>
    [...entries].map(([name, { description }]) => ({ name, description }));
  return {
    definition: {
      type: activator.info.workflowType,
      queryDefinitions: describe(handlers.queryEntries()),
      signalDefinitions: describe(handlers.signals),
      updateDefinitions: describe(handlers.updates),
    },
    currentDetails: activator.currentDetails,
  };
}

function enhancedStackTrace(activator: Activator): EnhancedStackTrace {
  return {
    sdk: { name: 'duraflow', version: '' },
    stacks: pendingStackTraces(activator).map((stack) => ({ locations: stackLocations(stack) })),
    sources: {},
  };
}

/**
 * The built-in query handlers, shared by every run (a run's registry consults them after its own,
 * so no run holds a copy): a query is answered during its run's activation, so each acts on the
 * current run. Their names are reserved, so a workflow cannot register handlers of the same name.
 */
export const BUILTIN_QUERY_HANDLERS: ReadonlyArray<readonly [name: string, entry: Readonly<QueryHandlerEntry>]> = Object.freeze([
  [
    STACK_TRACE_QUERY_NAME,
    Object.freeze({ handler: () => new RawValue(pendingStackTraces(getActivator()).join('\n\n')), description: 'Returns a sensible stack trace.' }),
  ],
  [
    ENHANCED_STACK_TRACE_QUERY_NAME,
    Object.freeze({ handler: () => new RawValue(enhancedStackTrace(getActivator())), description: 'Returns a stack trace annotated with source information.' }),
  ],
  [
    WORKFLOW_METADATA_QUERY_NAME,
    Object.freeze({ handler: () => new RawValue(workflowMetadata(getActivator())), description: 'Returns metadata associated with this workflow.' }),
  ],
] as const);
