/**
 * One workflow task in history: scheduled, started, then completed, failed or timed out. A started
 * (last in its sequence) or completed task advances workflow time and the current task; a task
 * failed because the run was reset changes the randomness seed.
 *
 * @module
 */
import { temporal } from '../../../proto/index.js';
import { InvalidHistoryError } from '../errors.js';
import { EventType, eventTypeOf } from '../history-events.js';
import { msOf } from '../plain-values.js';
import { StateMachine, type EventContext, type MachineResponse } from './machine.js';

type TaskState = 'Created' | 'Scheduled' | 'Started' | 'Completed' | 'Failed' | 'TimedOut';

/** State machine of one workflow task's events. */
export class WorkflowTaskMachine extends StateMachine {
  readonly name = 'WorkflowTask';
  protected current: TaskState = 'Created';
  private startedEventId = 0;
  private startedTimeMs = 0;

  /** @param lastStartedInSequence the id of the last WorkflowTaskStarted of the sequence being applied */
  constructor(private readonly lastStartedInSequence: number) {
    super();
  }

  isFinal(): boolean {
    return this.current === 'Completed' || this.current === 'Failed' || this.current === 'TimedOut';
  }

  protected override acceptsCommand(): boolean {
    return false;
  }

  handleEvent(ctx: EventContext): MachineResponse[] {
    const type = eventTypeOf(ctx.event);
    if (type === EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED && this.current === 'Created') {
      this.current = 'Scheduled';
      return [];
    }
    if (type === EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED && this.current === 'Scheduled') return this.onStarted(ctx);
    if (type === EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT && (this.current === 'Scheduled' || this.current === 'Started')) {
      this.current = 'TimedOut';
      return [];
    }
    if (type === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED && this.current === 'Started') {
      this.current = 'Completed';
      return [{ kind: 'taskStarted', startedEventId: this.startedEventId, timeMs: this.startedTimeMs }];
    }
    if (type === EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED && this.current === 'Started') return this.onFailed(ctx);
    throw this.unexpected(ctx);
  }

  private onStarted(ctx: EventContext): MachineResponse[] {
    const timeMs = msOf(ctx.event.eventTime);
    if (timeMs === undefined) throw new InvalidHistoryError(`WorkflowTaskStarted event ${ctx.eventId} has no event time`);
    this.current = 'Started';
    this.startedEventId = ctx.eventId;
    this.startedTimeMs = timeMs;
    // Only the task the sequence ends with moves the run forward.
    if (ctx.eventId < this.lastStartedInSequence) return [];
    return [{ kind: 'taskStarted', startedEventId: this.lastStartedInSequence, timeMs }];
  }

  private onFailed(ctx: EventContext): MachineResponse[] {
    const attrs = ctx.event.workflowTaskFailedEventAttributes;
    this.current = 'Failed';
    if (attrs?.cause === temporal.api.enums.v1.WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_RESET_WORKFLOW) {
      return [{ kind: 'runIdReset', runId: attrs.newRunId ?? '' }];
    }
    return [];
  }
}
