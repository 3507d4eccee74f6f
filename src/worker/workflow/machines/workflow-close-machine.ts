/**
 * The commands that close the run — complete, fail, cancel, continue-as-new — each matched with its
 * close event. The four behave identically; they differ only in the command and event type.
 *
 * @module
 */
import { temporal } from '../../../proto/index.js';
import type {
  CompleteWorkflowExecutionCommand,
  ContinueAsNewWorkflowExecutionCommand,
  FailWorkflowExecutionCommand,
} from '../../../workflow/runtime/protocol.js';
import { CommandType, EventType, eventTypeOf } from '../history-events.js';
import { durationOf, payloadsOrUndefined } from '../plain-values.js';
import { StateMachine, type EventContext, type ICommand, type MachineResponse } from './machine.js';

/** Which close command a {@link WorkflowCloseMachine} carries. */
export type CloseKind = 'complete' | 'fail' | 'cancel' | 'continueAsNew';

const KINDS: Record<CloseKind, { name: string; command: number; event: number }> = {
  complete: {
    name: 'CompleteWorkflow',
    command: CommandType.COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION,
    event: EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED,
  },
  fail: { name: 'FailWorkflow', command: CommandType.COMMAND_TYPE_FAIL_WORKFLOW_EXECUTION, event: EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED },
  cancel: {
    name: 'CancelWorkflow',
    command: CommandType.COMMAND_TYPE_CANCEL_WORKFLOW_EXECUTION,
    event: EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED,
  },
  continueAsNew: {
    name: 'ContinueAsNewWorkflow',
    command: CommandType.COMMAND_TYPE_CONTINUE_AS_NEW_WORKFLOW_EXECUTION,
    event: EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW,
  },
};

/** CompleteWorkflowExecution with the workflow's result. */
export function completeWorkflowCommand(cmd: CompleteWorkflowExecutionCommand): ICommand {
  return {
    commandType: CommandType.COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION,
    completeWorkflowExecutionCommandAttributes: { result: cmd.result ? { payloads: [cmd.result] } : undefined },
  };
}

/** FailWorkflowExecution with the workflow's failure. */
export function failWorkflowCommand(cmd: FailWorkflowExecutionCommand): ICommand {
  return { commandType: CommandType.COMMAND_TYPE_FAIL_WORKFLOW_EXECUTION, failWorkflowExecutionCommandAttributes: { failure: cmd.failure } };
}

/** CancelWorkflowExecution (the workflow accepted its cancellation). */
export function cancelWorkflowCommand(): ICommand {
  return { commandType: CommandType.COMMAND_TYPE_CANCEL_WORKFLOW_EXECUTION, cancelWorkflowExecutionCommandAttributes: {} };
}

/** ContinueAsNewWorkflowExecution; the caller has already filled memo, retry policy and search attributes defaults. */
export function continueAsNewCommand(cmd: ContinueAsNewWorkflowExecutionCommand, workflowTaskQueue: string): ICommand {
  const taskQueue = cmd.taskQueue || workflowTaskQueue;
  const hasEntries = (m: object | undefined): boolean => m !== undefined && Object.keys(m).length > 0;
  return {
    commandType: CommandType.COMMAND_TYPE_CONTINUE_AS_NEW_WORKFLOW_EXECUTION,
    continueAsNewWorkflowExecutionCommandAttributes: {
      workflowType: { name: cmd.workflowType },
      taskQueue: { name: taskQueue, kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
      input: payloadsOrUndefined(cmd.arguments),
      workflowRunTimeout: durationOf(cmd.workflowRunTimeoutMs),
      workflowTaskTimeout: durationOf(cmd.workflowTaskTimeoutMs),
      memo: hasEntries(cmd.memo) ? { fields: { ...cmd.memo } } : undefined,
      header: hasEntries(cmd.headers) ? { fields: { ...cmd.headers } } : undefined,
      retryPolicy: cmd.retryPolicy,
      searchAttributes: cmd.searchAttributes ? { indexedFields: { ...cmd.searchAttributes } } : undefined,
      inheritBuildId: taskQueue === workflowTaskQueue,
    },
  };
}

/** State machine of a close command: created, then recorded when its close event is seen. */
export class WorkflowCloseMachine extends StateMachine {
  readonly name: string;
  protected current: 'CommandCreated' | 'CommandRecorded' = 'CommandCreated';

  constructor(readonly kind: CloseKind) {
    super();
    this.name = KINDS[kind].name;
  }

  isFinal(): boolean {
    return this.current === 'CommandRecorded';
  }

  protected override acceptsCommand(commandType: number): boolean {
    return commandType === KINDS[this.kind].command && this.current === 'CommandCreated';
  }

  handleEvent(ctx: EventContext): MachineResponse[] {
    if (this.current === 'CommandRecorded' || eventTypeOf(ctx.event) !== KINDS[this.kind].event) throw this.unexpected(ctx);
    this.current = 'CommandRecorded';
    return [];
  }
}
