/**
 * A child workflow: StartChildWorkflowExecution ↔ StartChildWorkflowExecutionInitiated (id and type
 * checked), then Started or StartFailed (resolving the start), then its close event (resolving the
 * result). Cancelling before the start command was sent drops it; afterwards it requests the child's
 * cancellation (unless ABANDON) and, for ABANDON and TRY_CANCEL, resolves at once.
 *
 * @module
 */
import Long from 'long';
import { temporal, type ProtoTypes } from '../../../proto/index.js';
import type { ProtoFailure } from '../../../common/proto-types.js';
import type { ChildWorkflowCancellationTypeName, ChildWorkflowResolution, StartChildWorkflowExecutionCommand } from '../../../workflow/runtime/protocol.js';
import { MachineMismatch } from '../errors.js';
import { CommandType, EventType, eventTypeOf } from '../history-events.js';
import { durationOf, payloadsOrUndefined, plainFailure, plainPayload } from '../plain-values.js';
import { checkIdAndType, job, StateMachine, type EventContext, type ICommand, type MachineResponse } from './machine.js';

type ChildState = 'StartCommandCreated' | 'StartEventRecorded' | 'Started' | 'StartFailed' | 'Completed' | 'Failed' | 'TimedOut' | 'Cancelled' | 'Terminated';
type IFailure = ProtoTypes.temporal.api.failure.v1.IFailure;

const Enums = temporal.api.enums.v1;
const RetryState = Enums.RetryState;
const FINAL: ReadonlySet<ChildState> = new Set(['StartFailed', 'Completed', 'Failed', 'TimedOut', 'Cancelled', 'Terminated']);

function enumValue(values: object, prefix: string, name: string | undefined): number {
  if (name === undefined) return 0;
  return (values as Record<string, number | undefined>)[`${prefix}${name}`] ?? 0;
}

/** The StartChildWorkflowExecution command. */
export function startChildCommand(cmd: StartChildWorkflowExecutionCommand, run: { namespace: string; taskQueue: string }): ICommand {
  const taskQueue = cmd.taskQueue || run.taskQueue;
  return {
    commandType: CommandType.COMMAND_TYPE_START_CHILD_WORKFLOW_EXECUTION,
    startChildWorkflowExecutionCommandAttributes: {
      namespace: cmd.namespace || run.namespace,
      workflowId: cmd.workflowId,
      workflowType: { name: cmd.workflowType },
      taskQueue: { name: taskQueue, kind: Enums.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
      input: payloadsOrUndefined(cmd.input),
      workflowExecutionTimeout: durationOf(cmd.workflowExecutionTimeoutMs),
      workflowRunTimeout: durationOf(cmd.workflowRunTimeoutMs),
      workflowTaskTimeout: durationOf(cmd.workflowTaskTimeoutMs),
      parentClosePolicy: enumValue(Enums.ParentClosePolicy, 'PARENT_CLOSE_POLICY_', cmd.parentClosePolicy),
      workflowIdReusePolicy: enumValue(Enums.WorkflowIdReusePolicy, 'WORKFLOW_ID_REUSE_POLICY_', cmd.workflowIdReusePolicy),
      retryPolicy: cmd.retryPolicy,
      cronSchedule: cmd.cronSchedule ?? '',
      header: { fields: { ...cmd.headers } },
      memo: { fields: { ...cmd.memo } },
      searchAttributes: cmd.searchAttributes ? { indexedFields: { ...cmd.searchAttributes } } : undefined,
      inheritBuildId: taskQueue === run.taskQueue,
      priority: cmd.priority,
    },
  };
}

/** State machine of one child workflow. */
export class ChildWorkflowMachine extends StateMachine {
  readonly name = 'ChildWorkflow';
  protected current: ChildState = 'StartCommandCreated';
  private seenCancelledEvent = false;
  private initiatedEventId = 0;
  private startedEventId = 0;
  private runId = '';
  readonly seq: number;
  private readonly namespace: string;
  readonly workflowId: string;
  readonly workflowType: string;
  private readonly cancellationType: ChildWorkflowCancellationTypeName;

  constructor(cmd: StartChildWorkflowExecutionCommand, namespace: string) {
    super();
    this.seq = cmd.seq;
    this.namespace = cmd.namespace || namespace;
    this.workflowId = cmd.workflowId;
    this.workflowType = cmd.workflowType;
    this.cancellationType = cmd.cancellationType;
  }

  isFinal(): boolean {
    return FINAL.has(this.current);
  }


  protected override acceptsCommand(commandType: number): boolean {
    return commandType === CommandType.COMMAND_TYPE_START_CHILD_WORKFLOW_EXECUTION && this.current === 'StartCommandCreated';
  }

  private resolvesImmediatelyOnCancel(): boolean {
    return this.cancellationType === 'ABANDON' || this.cancellationType === 'TRY_CANCEL';
  }

  handleEvent(ctx: EventContext): MachineResponse[] {
    const type = eventTypeOf(ctx.event);
    if (type === EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED && this.current === 'StartCommandCreated') return this.onInitiated(ctx);
    if (this.current === 'StartEventRecorded') return this.onStartOutcome(ctx);
    if (this.current === 'Started') return this.onClosed(ctx);
    if (this.current === 'Cancelled') return this.afterCancelled(ctx);
    throw this.unexpected(ctx);
  }

  private onInitiated(ctx: EventContext): MachineResponse[] {
    const attrs = ctx.event.startChildWorkflowExecutionInitiatedEventAttributes;
    checkIdAndType(ctx, 'StartChildWorkflowExecution', 'workflow', { id: attrs?.workflowId ?? '', type: attrs?.workflowType?.name ?? '' }, {
      id: this.workflowId,
      type: this.workflowType,
    });
    this.initiatedEventId = ctx.eventId;
    this.current = 'StartEventRecorded';
    return [];
  }

  private onStartOutcome(ctx: EventContext): MachineResponse[] {
    const type = eventTypeOf(ctx.event);
    if (type === EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED) {
      const execution = ctx.event.childWorkflowExecutionStartedEventAttributes?.workflowExecution;
      this.startedEventId = ctx.eventId;
      this.runId = execution?.runId ?? '';
      this.current = 'Started';
      return [job({ kind: 'resolveChildWorkflowExecutionStart', seq: this.seq, result: { status: 'succeeded', runId: this.runId } })];
    }
    if (type === EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_FAILED) {
      const cause = ctx.event.startChildWorkflowExecutionFailedEventAttributes?.cause ?? 0;
      const causeName = ((Enums.StartChildWorkflowExecutionFailedCause as unknown as Record<number, string>)[cause] ?? '').replace(
        'START_CHILD_WORKFLOW_EXECUTION_FAILED_CAUSE_',
        ''
      );
      this.current = 'StartFailed';
      const result = { status: 'failed', workflowId: this.workflowId, workflowType: this.workflowType, cause: causeName } as const;
      return [job({ kind: 'resolveChildWorkflowExecutionStart', seq: this.seq, result: result as unknown as { status: 'failed'; workflowId: string; workflowType: string; cause: 'WORKFLOW_ALREADY_EXISTS' } })];
    }
    throw this.unexpected(ctx);
  }

  private onClosed(ctx: EventContext): MachineResponse[] {
    const e = ctx.event;
    switch (eventTypeOf(e)) {
      case EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED: {
        const payloads = e.childWorkflowExecutionCompletedEventAttributes?.result?.payloads ?? [];
        const first = payloads[0];
        this.current = 'Completed';
        return [this.resolve(first ? { status: 'completed', result: plainPayload(first) } : { status: 'completed' })];
      }
      case EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_FAILED: {
        const a = e.childWorkflowExecutionFailedEventAttributes;
        this.current = 'Failed';
        return [this.resolve({ status: 'failed', failure: this.failure('Child Workflow execution failed', a?.retryState ?? 0, a?.failure) })];
      }
      case EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_TIMED_OUT: {
        const retryState = e.childWorkflowExecutionTimedOutEventAttributes?.retryState ?? 0;
        const cause = { message: 'Timed out', timeoutFailureInfo: { timeoutType: Enums.TimeoutType.TIMEOUT_TYPE_START_TO_CLOSE } };
        this.current = 'TimedOut';
        return [this.resolve({ status: 'failed', failure: this.failure('Child Workflow execution timed out', retryState, cause) })];
      }
      case EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_CANCELED:
        this.current = 'Cancelled';
        this.seenCancelledEvent = true;
        return [this.resolveCancelled()];
      case EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_TERMINATED: {
        const cause = { message: 'Terminated', terminatedFailureInfo: {} };
        this.current = 'Terminated';
        return [this.resolve({ status: 'failed', failure: this.failure('Child Workflow execution terminated', RetryState.RETRY_STATE_NON_RETRYABLE_FAILURE, cause) })];
      }
      default:
        throw this.unexpected(ctx);
    }
  }

  /** Events after the workflow already saw the child as cancelled. */
  private afterCancelled(ctx: EventContext): MachineResponse[] {
    switch (eventTypeOf(ctx.event)) {
      case EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED:
      case EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_FAILED:
        return [];
      case EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_CANCELED:
        if (this.seenCancelledEvent) throw new MachineMismatch('', '', `child workflow ${this.seq} is cancelled twice in history`);
        this.seenCancelledEvent = true;
        return [];
      case EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED:
      case EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_FAILED:
      case EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_TIMED_OUT:
      case EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_TERMINATED:
        if (this.resolvesImmediatelyOnCancel()) return [];
        throw new MachineMismatch('', '', `child workflow ${this.seq} closed after it was cancelled, though its cancellation type waits for the cancellation`);
      default:
        throw this.unexpected(ctx);
    }
  }

  private failure(message: string, retryState: number, cause?: IFailure | null): ProtoFailure {
    return plainFailure({
      message,
      cause: cause ?? undefined,
      childWorkflowExecutionFailureInfo: {
        namespace: this.namespace,
        workflowType: { name: this.workflowType },
        initiatedEventId: Long.fromNumber(this.initiatedEventId),
        startedEventId: Long.fromNumber(this.startedEventId),
        retryState,
        workflowExecution: { workflowId: this.workflowId, runId: this.runId },
      },
    });
  }

  private resolve(result: ChildWorkflowResolution): MachineResponse {
    return job({ kind: 'resolveChildWorkflowExecution', seq: this.seq, result });
  }

  private resolveCancelled(): MachineResponse {
    const failure = this.failure('Child Workflow execution cancelled', RetryState.RETRY_STATE_NON_RETRYABLE_FAILURE, { canceledFailureInfo: {} });
    return this.resolve({ status: 'cancelled', failure });
  }

  /** The workflow cancelled the child (`reason` goes to the cancellation request). */
  cancel(reason: string): MachineResponse[] {
    switch (this.current) {
      case 'StartCommandCreated': {
        this.cancelledBeforeSent = true;
        this.current = 'Cancelled';
        const failure = this.failure(`Child Workflow Execution cancelled before scheduled: ${reason}`, RetryState.RETRY_STATE_NON_RETRYABLE_FAILURE, {
          canceledFailureInfo: {},
        });
        return [job({ kind: 'resolveChildWorkflowExecutionStart', seq: this.seq, result: { status: 'cancelled', failure } })];
      }
      case 'StartEventRecorded':
      case 'Started':
        return this.cancelAfterStart(reason);
      default:
        return [];
    }
  }

  private cancelAfterStart(reason: string): MachineResponse[] {
    const out: MachineResponse[] = [];
    if (this.cancellationType !== 'ABANDON') {
      out.push({
        kind: 'coreCommand',
        command: {
          commandType: CommandType.COMMAND_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION,
          requestCancelExternalWorkflowExecutionCommandAttributes: {
            namespace: this.namespace,
            workflowId: this.workflowId,
            runId: this.runId,
            childWorkflowOnly: true,
            reason,
          },
        },
      });
    }
    if (this.resolvesImmediatelyOnCancel()) {
      this.current = 'Cancelled';
      out.push(this.resolveCancelled());
    }
    return out;
  }
}
