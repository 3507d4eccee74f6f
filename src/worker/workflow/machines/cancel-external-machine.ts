/**
 * Requesting another workflow's cancellation: RequestCancelExternalWorkflowExecution ↔ its Initiated
 * event, then ExternalWorkflowExecutionCancelRequested or RequestCancelExternalWorkflowExecutionFailed
 * resolve the request. Also used, on the workflow's behalf, to cancel a started child.
 *
 * @module
 */
import { temporal } from '../../../proto/index.js';
import type { RequestCancelExternalWorkflowExecutionCommand } from '../../../workflow/runtime/protocol.js';
import { CommandType, EventType, eventTypeOf } from '../history-events.js';
import { causeTypeName } from './signal-external-machine.js';
import { job, StateMachine, type EventContext, type ICommand, type MachineResponse } from './machine.js';

type CancelState = 'Created' | 'Recorded' | 'CancelRequested' | 'Failed';
const FailedCause = temporal.api.enums.v1.CancelExternalWorkflowExecutionFailedCause;

/** The RequestCancelExternalWorkflowExecution command; the reason names the requesting run, as Core writes it. */
export function requestCancelExternalCommand(cmd: RequestCancelExternalWorkflowExecutionCommand, namespace: string, runId: string): ICommand {
  return {
    commandType: CommandType.COMMAND_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION,
    requestCancelExternalWorkflowExecutionCommandAttributes: {
      namespace: cmd.workflowExecution.namespace || namespace,
      workflowId: cmd.workflowExecution.workflowId,
      runId: cmd.workflowExecution.runId ?? '',
      childWorkflowOnly: false,
      reason: `Cancel requested by workflow with run id ${runId} with reason: ${cmd.reason}`,
    },
  };
}

/** State machine of one external cancellation request. */
export class CancelExternalMachine extends StateMachine {
  readonly name = 'CancelExternal';
  protected current: CancelState = 'Created';

  /** @param seq the workflow's seq for the request (0 when the machines issued it for a child) */
  constructor(readonly seq: number) {
    super();
  }

  isFinal(): boolean {
    return this.current === 'CancelRequested' || this.current === 'Failed';
  }

  protected override acceptsCommand(commandType: number): boolean {
    return commandType === CommandType.COMMAND_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION && this.current === 'Created';
  }

  handleEvent(ctx: EventContext): MachineResponse[] {
    const type = eventTypeOf(ctx.event);
    if (type === EventType.EVENT_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED && this.current === 'Created') {
      this.current = 'Recorded';
      return [];
    }
    if (type === EventType.EVENT_TYPE_EXTERNAL_WORKFLOW_EXECUTION_CANCEL_REQUESTED && this.current === 'Recorded') {
      this.current = 'CancelRequested';
      return [job({ kind: 'resolveRequestCancelExternalWorkflow', seq: this.seq })];
    }
    if (type === EventType.EVENT_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_FAILED && this.current === 'Recorded') {
      this.current = 'Failed';
      const cause = ctx.event.requestCancelExternalWorkflowExecutionFailedEventAttributes?.cause ?? 0;
      const reason =
        cause === FailedCause.CANCEL_EXTERNAL_WORKFLOW_EXECUTION_FAILED_CAUSE_EXTERNAL_WORKFLOW_EXECUTION_NOT_FOUND ||
        cause === FailedCause.CANCEL_EXTERNAL_WORKFLOW_EXECUTION_FAILED_CAUSE_NAMESPACE_NOT_FOUND
          ? 'not found'
          : 'unknown';
      const failure = { message: `Unable to cancel external workflow because ${reason}`, applicationFailureInfo: { type: causeTypeName(FailedCause, cause) } };
      return [job({ kind: 'resolveRequestCancelExternalWorkflow', seq: this.seq, failure })];
    }
    throw this.unexpected(ctx);
  }
}
