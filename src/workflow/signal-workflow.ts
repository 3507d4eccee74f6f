/**
 * Signalling another workflow (a child, or any workflow by id) from workflow code.
 *
 * @module
 */
import type { SignalDefinition, WorkflowSerializationContext } from '../common/index.js';
import { composeInterceptors, type SignalWorkflowInput } from './interceptors.js';
import type { Activator } from './runtime/activator.js';
import { getActivator } from './runtime/current.js';
import { linkToScope } from './scope-link.js';
import { captureOrigin } from './runtime/origin.js';

/** Issues signalExternalWorkflowExecution; cancelling the scope before delivery cancels the signal. */
function signalWorkflowNextHandler(input: SignalWorkflowInput, origin: Error): Promise<void> {
  const activator = getActivator();
  const { seq, signalName, args, headers, target } = input;
  const workflowId = target.type === 'external' ? target.workflowExecution.workflowId : target.childWorkflowId;
  const context: WorkflowSerializationContext = { type: 'workflow', namespace: activator.info.namespace, workflowId };
  return linkToScope<void>(
    (resolve, reject) => {
      const destination =
        target.type === 'external'
          ? { workflowExecution: { namespace: activator.info.namespace, ...target.workflowExecution } }
          : { childWorkflowId: target.childWorkflowId };
      activator.pushCommand(
        { kind: 'signalExternalWorkflowExecution', seq, signalName, args: activator.toPayloads(args, context), headers, ...destination },
        origin
      );
      activator.completions.set('signalWorkflow', seq, { resolve, reject, origin, context });
    },
    (reason) => {
      if (!activator.completions.has('signalWorkflow', seq)) return;
      activator.pushCommand({ kind: 'cancelSignalWorkflow', seq }, reason instanceof Error ? reason : undefined);
    }
  );
}

/** Sends signal `def` (or a signal name) to `target` through the outbound interceptors. */
export function signalWorkflow(
  activator: Activator,
  target: SignalWorkflowInput['target'],
  def: SignalDefinition<unknown[]> | string,
  args: unknown[]
): Promise<void> {
  const signalName = typeof def === 'string' ? def : def?.name;
  if (typeof signalName !== 'string' || signalName.length === 0) {
    throw new TypeError('signal expects a signal definition (defineSignal) or a signal name');
  }
  const origin = captureOrigin('signal');
  const seq = activator.nextSeqs.signalWorkflow++;
  const execute = composeInterceptors(activator.interceptors.outbound, 'signalWorkflow', (input) =>
    signalWorkflowNextHandler(input, origin)
  );
  return execute({ seq, signalName, args, target, headers: {} });
}
