/**
 * An activity: ScheduleActivityTask ↔ ActivityTaskScheduled (id and type checked), then its
 * started/completed/failed/timed-out events, and cancellation per the activity's cancellation type:
 * TRY_CANCEL sends the cancel request and resolves at once, ABANDON resolves at once without a
 * request, WAIT_CANCELLATION_COMPLETED waits for the outcome in history. Cancelling an activity whose
 * schedule command was never sent drops the command and resolves at once.
 *
 * @module
 */
import Long from 'long';
import { temporal, type ProtoTypes } from '../../../proto/index.js';
import { int64ToNumber } from '../../../common/duration.js';
import type { ProtoFailure } from '../../../common/proto-types.js';
import type { ActivityCancellationTypeName, ActivityResolution, ScheduleActivityCommand } from '../../../workflow/runtime/protocol.js';
import { MachineMismatch } from '../errors.js';
import { CommandType, EventType, eventTypeOf } from '../history-events.js';
import { durationOf, payloadsOrUndefined, plainFailure, plainPayload } from '../plain-values.js';
import { checkIdAndType, job, StateMachine, type EventContext, type ICommand, type MachineResponse } from './machine.js';

type ActivityState =
  | 'ScheduleCommandCreated'
  | 'ScheduledEventRecorded'
  | 'Started'
  | 'ScheduledActivityCancelCommandCreated'
  | 'ScheduledActivityCancelEventRecorded'
  | 'StartedActivityCancelCommandCreated'
  | 'StartedActivityCancelEventRecorded'
  | 'Completed'
  | 'Failed'
  | 'TimedOut'
  | 'Canceled';

type IFailure = ProtoTypes.temporal.api.failure.v1.IFailure;
const RetryState = temporal.api.enums.v1.RetryState;
const FINAL: ReadonlySet<ActivityState> = new Set(['Completed', 'Failed', 'TimedOut', 'Canceled']);

/** The ScheduleActivityTask command for the workflow's `scheduleActivity`. */
export function scheduleActivityCommand(cmd: ScheduleActivityCommand, workflowTaskQueue: string): ICommand {
  const taskQueue = cmd.taskQueue || workflowTaskQueue;
  return {
    commandType: CommandType.COMMAND_TYPE_SCHEDULE_ACTIVITY_TASK,
    scheduleActivityTaskCommandAttributes: {
      activityId: cmd.activityId,
      activityType: { name: cmd.activityType },
      taskQueue: { name: taskQueue, kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
      header: { fields: { ...cmd.headers } },
      input: payloadsOrUndefined(cmd.arguments),
      scheduleToCloseTimeout: durationOf(cmd.scheduleToCloseTimeoutMs),
      scheduleToStartTimeout: durationOf(cmd.scheduleToStartTimeoutMs),
      startToCloseTimeout: durationOf(cmd.startToCloseTimeoutMs),
      heartbeatTimeout: durationOf(cmd.heartbeatTimeoutMs),
      retryPolicy: cmd.retryPolicy,
      // Eager dispatch is possible only on the worker's own queue; before sending, the workflow task
      // processor keeps the request only for activities it reserved a slot for (eager-activities.ts).
      requestEagerExecution: !cmd.doNotEagerlyExecute && taskQueue === workflowTaskQueue,
      useWorkflowBuildId: taskQueue === workflowTaskQueue,
      priority: cmd.priority,
    },
    userMetadata: cmd.summary ? { summary: cmd.summary } : undefined,
  };
}

/** State machine of one (non-local) activity. */
export class ActivityMachine extends StateMachine {
  readonly name = 'Activity';
  protected current: ActivityState = 'ScheduleCommandCreated';
  private scheduledEventId = 0;
  readonly seq: number;
  readonly activityId: string;
  readonly activityType: string;
  readonly cancellationType: ActivityCancellationTypeName;

  constructor(cmd: ScheduleActivityCommand) {
    super();
    this.seq = cmd.seq;
    this.activityId = cmd.activityId;
    this.activityType = cmd.activityType;
    this.cancellationType = cmd.cancellationType;
  }

  isFinal(): boolean {
    return FINAL.has(this.current);
  }


  protected override acceptsCommand(commandType: number): boolean {
    if (commandType === CommandType.COMMAND_TYPE_SCHEDULE_ACTIVITY_TASK) return this.current === 'ScheduleCommandCreated';
    return (
      commandType === CommandType.COMMAND_TYPE_REQUEST_CANCEL_ACTIVITY_TASK &&
      (this.current === 'ScheduledActivityCancelCommandCreated' || this.current === 'StartedActivityCancelCommandCreated')
    );
  }

  handleEvent(ctx: EventContext): MachineResponse[] {
    switch (eventTypeOf(ctx.event)) {
      case EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
        return this.onScheduled(ctx);
      case EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED:
        return this.onStarted(ctx);
      case EventType.EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED:
        return this.onCancelRequested(ctx);
      case EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED:
      case EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED:
      case EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT:
      case EventType.EVENT_TYPE_ACTIVITY_TASK_CANCELED:
        return this.onOutcome(ctx);
      default:
        throw this.unexpected(ctx);
    }
  }

  private onScheduled(ctx: EventContext): MachineResponse[] {
    if (this.current !== 'ScheduleCommandCreated') throw this.unexpected(ctx);
    const attrs = ctx.event.activityTaskScheduledEventAttributes;
    checkIdAndType(ctx, 'ScheduleActivityTask', 'activity', { id: attrs?.activityId ?? '', type: attrs?.activityType?.name ?? '' }, {
      id: this.activityId,
      type: this.activityType,
    });
    this.scheduledEventId = ctx.eventId;
    this.current = 'ScheduledEventRecorded';
    return [];
  }

  private onStarted(ctx: EventContext): MachineResponse[] {
    switch (this.current) {
      case 'ScheduledEventRecorded':
        this.current = 'Started';
        return [];
      case 'ScheduledActivityCancelEventRecorded':
        this.current = 'StartedActivityCancelEventRecorded';
        return [];
      case 'Canceled':
        if (this.cancellationType === 'ABANDON') return [];
        throw new MachineMismatch('', '', `activity ${this.seq} (not abandoned) started after it was cancelled`);
      default:
        throw this.unexpected(ctx);
    }
  }

  private onCancelRequested(ctx: EventContext): MachineResponse[] {
    if (this.current === 'ScheduledActivityCancelCommandCreated') this.current = 'ScheduledActivityCancelEventRecorded';
    else if (this.current === 'StartedActivityCancelCommandCreated') this.current = 'StartedActivityCancelEventRecorded';
    else throw this.unexpected(ctx);
    return [];
  }

  /** Completed, failed, timed out or cancelled, in whichever state allows it. */
  private onOutcome(ctx: EventContext): MachineResponse[] {
    const type = eventTypeOf(ctx.event);
    const state = this.current;
    if (state === 'Canceled' && this.cancellationType === 'ABANDON') return []; // an abandoned activity may still finish
    if (state === 'Canceled' && type === EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED) {
      throw new MachineMismatch('', '', `activity ${this.seq} (not abandoned) completed after it was cancelled`);
    }
    const cancelling = state === 'ScheduledActivityCancelEventRecorded' || state === 'StartedActivityCancelEventRecorded';
    const allowed = this.outcomeAllowed(state, type);
    if (!allowed) throw this.unexpected(ctx);
    this.current = outcomeState(type);
    // After a TRY_CANCEL request the workflow was already told the activity is cancelled.
    if (cancelling && this.cancellationType === 'TRY_CANCEL') return [];
    return [this.resolve(this.resolutionOf(ctx))];
  }

  private outcomeAllowed(state: ActivityState, type: number): boolean {
    switch (state) {
      case 'ScheduledEventRecorded':
        return type === EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT;
      case 'Started':
        return type !== EventType.EVENT_TYPE_ACTIVITY_TASK_CANCELED;
      case 'ScheduledActivityCancelEventRecorded':
        return type === EventType.EVENT_TYPE_ACTIVITY_TASK_CANCELED || type === EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT;
      case 'StartedActivityCancelEventRecorded':
        return true;
      default:
        return false;
    }
  }

  private resolutionOf(ctx: EventContext): ActivityResolution {
    const e = ctx.event;
    switch (eventTypeOf(e)) {
      case EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED: {
        const payloads = e.activityTaskCompletedEventAttributes?.result?.payloads ?? [];
        if (payloads.length > 1) throw new MachineMismatch('', '', `activity ${this.seq} result has ${payloads.length} payloads, expected at most one`);
        const first = payloads[0];
        return first ? { status: 'completed', result: plainPayload(first) } : { status: 'completed' };
      }
      case EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED: {
        const a = e.activityTaskFailedEventAttributes;
        const failure = this.wrapFailure('Activity task failed', a?.failure, a?.identity ?? '', a?.retryState ?? 0, a?.startedEventId, a?.scheduledEventId);
        return { status: 'failed', failure };
      }
      case EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT: {
        const a = e.activityTaskTimedOutEventAttributes;
        const failure = this.wrapFailure('Activity task timed out', a?.failure, '', a?.retryState ?? 0, a?.startedEventId, a?.scheduledEventId);
        return { status: 'failed', failure };
      }
      default: {
        const a = e.activityTaskCanceledEventAttributes;
        return { status: 'cancelled', failure: this.cancelledFailure(a?.details ?? undefined, a?.identity ?? '', a?.startedEventId, a?.scheduledEventId) };
      }
    }
  }

  /** The ActivityFailure the workflow sees, with the event's failure as its cause. */
  private wrapFailure(message: string, cause: IFailure | null | undefined, identity: string, retryState: number, started: unknown, scheduled: unknown): ProtoFailure {
    return plainFailure({
      message,
      cause: cause ?? undefined,
      activityFailureInfo: {
        identity,
        activityType: { name: this.activityType },
        activityId: this.activityId,
        retryState,
        startedEventId: int64ToNumber(started as number) as never,
        scheduledEventId: int64ToNumber(scheduled as number) as never,
      },
    });
  }

  private cancelledFailure(details: ProtoTypes.temporal.api.common.v1.IPayloads | undefined, identity: string, started?: unknown, scheduled?: unknown): ProtoFailure {
    return plainFailure({
      message: 'Activity cancelled',
      cause: { canceledFailureInfo: { details } },
      activityFailureInfo: {
        identity,
        activityType: { name: this.activityType },
        activityId: this.activityId,
        retryState: RetryState.RETRY_STATE_CANCEL_REQUESTED,
        startedEventId: int64ToNumber(started as number) as never,
        scheduledEventId: int64ToNumber(scheduled as number) as never,
      },
    });
  }

  private resolve(result: ActivityResolution): MachineResponse {
    return job({ kind: 'resolveActivity', seq: this.seq, isLocal: false, result });
  }

  /** The resolution of a cancellation that did not wait for history: no event, so no ids. */
  private immediateCancel(): MachineResponse {
    return this.resolve({ status: 'cancelled', failure: this.cancelledFailure(undefined, '') });
  }

  /** The workflow requested the activity's cancellation. */
  cancel(): MachineResponse[] {
    if (this.isFinal()) return [];
    const abandon = this.cancellationType === 'ABANDON';
    switch (this.current) {
      case 'ScheduleCommandCreated':
        this.cancelledBeforeSent = true;
        this.current = 'Canceled';
        return [this.immediateCancel()];
      case 'ScheduledEventRecorded':
      case 'Started':
        if (abandon) {
          this.current = 'Canceled';
          return [this.immediateCancel()];
        }
        this.current = this.current === 'Started' ? 'StartedActivityCancelCommandCreated' : 'ScheduledActivityCancelCommandCreated';
        return this.requestCancellation();
      default:
        // A cancellation is already in progress.
        return [];
    }
  }

  private requestCancellation(): MachineResponse[] {
    const command: ICommand = {
      commandType: CommandType.COMMAND_TYPE_REQUEST_CANCEL_ACTIVITY_TASK,
      requestCancelActivityTaskCommandAttributes: { scheduledEventId: Long.fromNumber(this.scheduledEventId) },
    };
    const out: MachineResponse[] = [{ kind: 'command', command }];
    if (this.cancellationType !== 'WAIT_CANCELLATION_COMPLETED') out.push(this.immediateCancel());
    return out;
  }
}

function outcomeState(type: number): ActivityState {
  switch (type) {
    case EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED:
      return 'Completed';
    case EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED:
      return 'Failed';
    case EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT:
      return 'TimedOut';
    default:
      return 'Canceled';
  }
}
