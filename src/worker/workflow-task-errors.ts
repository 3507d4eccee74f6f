/** Why a workflow task could not be completed: workflow code threw, or it was nondeterministic. */
import { fileURLToPath } from 'node:url';
import { temporal } from '../proto/index.js';
import { DeterminismViolationError, markErrorClass, type ProtoFailure } from '../common/index.js';

const WORKFLOW_TASK_STARTED = temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED;

/** The workflow code failed the activation (not the execution): the task fails and is retried. */
export class WorkflowTaskFailedError extends Error {
  constructor(readonly failure: ProtoFailure) {
    super(failure.message ?? 'Workflow activation failed');
  }
}
markErrorClass(WorkflowTaskFailedError, 'WorkflowTaskFailedError');

/**
 * The nondeterminism error as users see it: the machines' description (event id and type, the
 * command history expects, the command the code produced) plus the user source line that issued the
 * command, taken from the sandbox's stack for that command.
 */
export function describeNondeterminism(error: Error, commandStack: string | undefined): DeterminismViolationError {
  const frame = commandStack === undefined ? undefined : userFrame(commandStack);
  const message = frame ? `${error.message}\n    issued at ${frame}` : error.message;
  return new DeterminismViolationError(message, { cause: error });
}

/** duraflow's own workflow API and runtime, compiled and source (frames there are not the user's). */
const RUNTIME_DIRS = ['../workflow/', '../../src/workflow/'].map((rel) => fileURLToPath(new URL(rel, import.meta.url)));

/** The first stack frame outside duraflow's own workflow runtime. */
export function userFrame(stack: string): string | undefined {
  for (const line of stack.split('\n').slice(1)) {
    const frame = line.trim().replace(/^at /, '');
    if (frame.length === 0 || RUNTIME_DIRS.some((dir) => frame.includes(dir))) continue;
    return frame;
  }
  return undefined;
}

/** The id of the last WorkflowTaskStarted event (0 if none): the task a full-history replay ends with. */
export function lastWorkflowTaskStarted(events: ReadonlyArray<{ eventType?: number | null; eventId?: unknown }>): number {
  for (let i = events.length - 1; i >= 0; i--) {
    if (events[i]?.eventType === WORKFLOW_TASK_STARTED) return Number(events[i]?.eventId ?? 0);
  }
  return 0;
}
