/**
 * Signalling another workflow (or a child): SignalExternalWorkflowExecution ↔ its Initiated event,
 * then ExternalWorkflowExecutionSignaled or SignalExternalWorkflowExecutionFailed resolve the signal.
 * Cancelling the signal before its command was sent drops it and resolves it as cancelled.
 *
 * @module
 */
import { temporal } from '../../../proto/index.js';
import type { ProtoFailure } from '../../../common/proto-types.js';
import type { SignalExternalWorkflowExecutionCommand } from '../../../workflow/runtime/protocol.js';
import { CommandType, EventType, eventTypeOf } from '../history-events.js';
import { payloadsOrUndefined } from '../plain-values.js';
import { job, StateMachine, type EventContext, type ICommand, type MachineResponse } from './machine.js';

type SignalState = 'Created' | 'Recorded' | 'Signaled' | 'Failed' | 'Cancelled';
const FailedCause = temporal.api.enums.v1.SignalExternalWorkflowExecutionFailedCause;

/** The SignalExternalWorkflowExecution command. */
export function signalExternalCommand(cmd: SignalExternalWorkflowExecutionCommand, namespace: string): ICommand {
  const target = cmd.workflowExecution ?? { namespace, workflowId: cmd.childWorkflowId ?? '', runId: '' };
  return {
    commandType: CommandType.COMMAND_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION,
    signalExternalWorkflowExecutionCommandAttributes: {
      namespace: target.namespace || namespace,
      execution: { workflowId: target.workflowId, runId: target.runId ?? '' },
      signalName: cmd.signalName,
      input: payloadsOrUndefined(cmd.args),
      header: Object.keys(cmd.headers).length > 0 ? { fields: { ...cmd.headers } } : undefined,
      childWorkflowOnly: cmd.workflowExecution === undefined,
    },
  };
}

/** The failure a failed signal resolves with (an application failure named after the cause). */
function signalFailure(cause: number): ProtoFailure {
  const reason =
    cause === FailedCause.SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_FAILED_CAUSE_EXTERNAL_WORKFLOW_EXECUTION_NOT_FOUND ||
    cause === FailedCause.SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_FAILED_CAUSE_NAMESPACE_NOT_FOUND
      ? 'it was not found'
      : cause === FailedCause.SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_FAILED_CAUSE_SIGNAL_COUNT_LIMIT_EXCEEDED
        ? 'The per-workflow signal limit was exceeded'
        : 'unknown';
  return { message: `Unable to signal external workflow because ${reason}`, applicationFailureInfo: { type: causeTypeName(FailedCause, cause) } };
}

/**
 * An enum value as Core names it in failure types: the variant without the enum's prefix, in PascalCase
 * (`EXTERNAL_WORKFLOW_EXECUTION_NOT_FOUND` → `ExternalWorkflowExecutionNotFound`).
 */
export function causeTypeName(enumObject: object, value: number): string {
  const name = (enumObject as Record<number, string | undefined>)[value] ?? '';
  const stripped = name.replace(/^[A-Z_]*?_FAILED_CAUSE_/, '');
  return stripped
    .toLowerCase()
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}

/** State machine of one external signal. */
export class SignalExternalMachine extends StateMachine {
  readonly name = 'SignalExternal';
  protected current: SignalState = 'Created';

  constructor(readonly seq: number) {
    super();
  }

  isFinal(): boolean {
    return this.current === 'Signaled' || this.current === 'Failed' || this.current === 'Cancelled';
  }

  override wasCancelledBeforeSent(): boolean {
    return this.current === 'Cancelled';
  }

  protected override acceptsCommand(commandType: number): boolean {
    return commandType === CommandType.COMMAND_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION && this.current === 'Created';
  }

  handleEvent(ctx: EventContext): MachineResponse[] {
    const type = eventTypeOf(ctx.event);
    if (type === EventType.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED && this.current === 'Created') {
      this.current = 'Recorded';
      return [];
    }
    if (type === EventType.EVENT_TYPE_EXTERNAL_WORKFLOW_EXECUTION_SIGNALED && this.current === 'Recorded') {
      this.current = 'Signaled';
      return [job({ kind: 'resolveSignalExternalWorkflow', seq: this.seq })];
    }
    if (type === EventType.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_FAILED && this.current === 'Recorded') {
      this.current = 'Failed';
      const failure = signalFailure(ctx.event.signalExternalWorkflowExecutionFailedEventAttributes?.cause ?? 0);
      return [job({ kind: 'resolveSignalExternalWorkflow', seq: this.seq, failure })];
    }
    throw this.unexpected(ctx);
  }

  /** The workflow cancelled the signal: only possible before its command was sent. */
  cancel(): MachineResponse[] {
    if (this.current !== 'Created') return [];
    this.current = 'Cancelled';
    const failure: ProtoFailure = { message: 'Signal was cancelled before being sent', canceledFailureInfo: {} };
    return [job({ kind: 'resolveSignalExternalWorkflow', seq: this.seq, failure })];
  }
}
