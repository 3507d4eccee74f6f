/**
 * Concluding an activation: the commands (terminal command last, nothing after it) and sink calls
 * it produced, or the error that fails the workflow task.
 *
 * @module
 */
import { composeInterceptors } from '../interceptors.js';
import { HandlerUnfinishedPolicy } from '../interfaces.js';
import { logWith } from '../logs.js';
import { TERMINAL_COMMANDS, type Activator } from './activator.js';
import type { HandlerExecution } from './handler-registry.js';
import type { ProtoFailure } from '../../common/index.js';
import type { ActivationCompletion, WorkflowCommand } from './protocol.js';
import { rejectBufferedUpdates } from './updates.js';
import { captureOrigin } from './origin.js';

/**
 * Non-terminal commands first (in issue order), then the first terminal command; later terminal
 * commands are dropped. Modern Temporal cores reorder the same way, so commands issued after the
 * workflow returned (e.g. update responses) still reach the server.
 */
function terminalLast(commands: WorkflowCommand[], origins: Error[]): { commands: WorkflowCommand[]; origins: Error[] } {
  const out: WorkflowCommand[] = [];
  const outOrigins: Error[] = [];
  let terminal: number | undefined;
  commands.forEach((command, i) => {
    if (!TERMINAL_COMMANDS.has(command.kind)) {
      out.push(command);
      outOrigins.push(origins[i] as Error);
    } else if (terminal === undefined) {
      terminal = i;
    }
  });
  if (terminal !== undefined) {
    out.push(commands[terminal] as WorkflowCommand);
    outOrigins.push(origins[terminal] as Error);
  }
  return { commands: out, origins: outOrigins };
}

/** The official SDK's TMPRL1102 wording, so log searches and docs apply to duraflow's workers too. */
const UNFINISHED_UPDATES =
  "[TMPRL1102] Workflow finished while an update handler was still running. This may have interrupted work that the " +
  "update handler was doing, and the client that sent the update will receive a 'workflow execution " +
  "already completed' RPCError instead of the update result. You can wait for all update and signal " +
  'handlers to complete by using `await workflow.condition(workflow.allHandlersFinished)`. ' +
  'Alternatively, if both you and the clients sending the update are okay with interrupting running handlers ' +
  'when the workflow finishes, and causing clients to receive errors, then you can disable this warning by ' +
  'passing an option when setting the handler: ' +
  '`workflow.setHandler(myUpdate, myUpdateHandler, {unfinishedPolicy: HandlerUnfinishedPolicy.ABANDON});`. ' +
  'The following updates were unfinished (and warnings were not disabled for their handler): ';
const UNFINISHED_SIGNALS =
  '[TMPRL1102] Workflow finished while a signal handler was still running. This may have interrupted work that the ' +
  'signal handler was doing. You can wait for all update and signal handlers to complete by using ' +
  '`await workflow.condition(workflow.allHandlersFinished)`. Alternatively, if both you and the ' +
  'clients sending the update are okay with interrupting running handlers when the workflow finishes, ' +
  'then you can disable this warning by passing an option when setting the handler: ' +
  '`workflow.setHandler(mySignal, mySignalHandler, {unfinishedPolicy: HandlerUnfinishedPolicy.ABANDON});`. ' +
  'The following signals were unfinished (and warnings were not disabled for their handler): ';

/** Logs (as the official SDK does) the handlers still running, unless their policy is ABANDON. */
function warnIfUnfinishedHandlers(activator: Activator): void {
  if (activator.handlers.allFinished()) return;
  const warnable = (executions: Iterable<HandlerExecution>): HandlerExecution[] =>
    [...executions].filter((e) => e.unfinishedPolicy === HandlerUnfinishedPolicy.WARN_AND_ABANDON);
  const updates = warnable(activator.handlers.updatesInProgress.values());
  if (updates.length > 0) {
    logWith(activator, 'warn', UNFINISHED_UPDATES + JSON.stringify(updates.map(({ name, id }) => ({ name, id }))));
  }
  const signals = warnable(activator.handlers.signalsInProgress.values());
  if (signals.length > 0) {
    const counts = new Map<string, number>();
    for (const { name } of signals) counts.set(name, (counts.get(name) ?? 0) + 1);
    logWith(activator, 'warn', UNFINISHED_SIGNALS + JSON.stringify([...counts].map(([name, count]) => ({ name, count }))));
  }
  activator.handlers.abandonExecutions();
}

function failedCompletion(activator: Activator, error: unknown): ActivationCompletion {
  activator.commands = [];
  activator.origins = [];
  activator.lastOrigins = [];
  activator.sinkCalls = [];
  let failure: ProtoFailure;
  try {
    failure = activator.errorToFailure(error);
  } catch (conversionError) {
    failure = { message: `${String(error)} (and the failure converter failed: ${String(conversionError)})`, source: 'TypeScriptSDK' };
  }
  return { runId: activator.runId, failed: { failure } };
}

/** Collects the activation's outcome (see the module documentation). */
export function concludeActivation(activator: Activator): ActivationCompletion {
  if (activator.taskError !== undefined) return failedCompletion(activator, activator.taskError.error);
  try {
    if (!activator.queryMode) rejectBufferedUpdates(activator);
    if (activator.completed) warnIfUnfinishedHandlers(activator);
    const issued = activator.commands.splice(0);
    const originOf = new Map(issued.map((command, i) => [command, activator.origins[i] as Error]));
    activator.origins = [];
    const conclude = composeInterceptors(activator.interceptors.internals, 'concludeActivation', (input) => input);
    const intercepted = conclude({ commands: issued }).commands;
    const ordered = terminalLast(intercepted, intercepted.map((c) => originOf.get(c) ?? captureOrigin(c.kind)));
    activator.lastOrigins = ordered.origins;
    activator.queryMode = false;
    return { runId: activator.runId, successful: { commands: ordered.commands, sinkCalls: activator.sinkCalls.splice(0) } };
  } catch (error) {
    activator.recordTaskError(error);
    return failedCompletion(activator, error);
  }
}
