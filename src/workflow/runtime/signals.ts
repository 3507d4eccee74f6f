/**
 * Delivering signals: to their handler, to the default handler, or into the buffer until a handler
 * is set.
 *
 * @module
 */
import { arrayFromPayloads, IllegalStateError } from '../../common/index.js';
import { composeInterceptors, type SignalInput } from '../interceptors.js';
import { HandlerUnfinishedPolicy } from '../interfaces.js';
import type { Activator } from './activator.js';
import type { SignalWorkflowJob } from './protocol.js';
import { assertNotRoutedToDefault, isInternalName } from './reserved-names.js';
import { handleWorkflowFailure } from './workflow-lifecycle.js';

/** The innermost `handleSignal`: calls the signal's handler or the default handler. */
async function signalWorkflowNextHandler(activator: Activator, { signalName, args }: SignalInput): Promise<void> {
  const { handlers } = activator;
  const fn = handlers.signals.get(signalName)?.handler;
  if (fn) return await fn(...args);
  if (handlers.defaultSignal) return await handlers.defaultSignal(signalName, ...args);
  throw new IllegalStateError(`No registered signal handler for signal: ${signalName}`);
}

/** Delivers (or buffers) one signal; the synchronous part of its handler runs now. */
export function signalWorkflow(activator: Activator, job: SignalWorkflowJob): void {
  const { handlers } = activator;
  const { signalName } = job;
  if (typeof signalName !== 'string' || signalName.length === 0) throw new TypeError('Missing signalWorkflow signalName');
  const entry = handlers.signals.get(signalName);
  assertNotRoutedToDefault('signal', signalName, entry !== undefined, handlers.defaultSignal !== undefined);
  if (entry === undefined && handlers.defaultSignal === undefined) {
    handlers.bufferedSignals.push(job);
    return;
  }
  const interceptors = isInternalName(signalName) ? [] : activator.interceptors.inbound;
  const execute = composeInterceptors(interceptors, 'handleSignal', (input) => signalWorkflowNextHandler(activator, input));
  const args = arrayFromPayloads(activator.payloadConverter, job.input, activator.workflowContext());
  const execution = handlers.nextSignalExecution++;
  const unfinishedPolicy = entry?.unfinishedPolicy ?? HandlerUnfinishedPolicy.WARN_AND_ABANDON;
  handlers.signalsInProgress.set(execution, { name: signalName, unfinishedPolicy });
  execute({ args, signalName, headers: job.headers ?? {} })
    .catch((error: unknown) => handleWorkflowFailure(activator, error))
    .finally(() => handlers.signalsInProgress.delete(execution))
    .catch((error: unknown) => activator.recordTaskError(error));
}

/** Delivers every buffered signal that now has a handler, in arrival order. */
export function dispatchBufferedSignals(activator: Activator): void {
  for (let job = activator.handlers.takeDispatchableSignal(); job; job = activator.handlers.takeDispatchableSignal()) {
    signalWorkflow(activator, job);
  }
}
