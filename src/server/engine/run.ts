import { int64, longToNumber, tsFromMs, type ProtoTypes } from '../../proto/index.js';
import { eventCodec } from './codec.js';
import { EventType, ExecutionStatus, eventAttributesField } from './enums.js';
import type { IHistoryEvent } from './proto-types.js';
import type { ExecutionState } from './state.js';
import type { Tx } from './tx.js';

/** Placeholder for "the id of the buffered ActivityTaskStarted event before me", resolved on flush. */
export const PENDING_STARTED_ID = -1;

/** Events whose id later close events of the same activity or child refer to. */
const STARTED_TYPES = new Set<number>([
  EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED,
  EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED,
]);

/** Event types that reach a run from outside its workflow task and are buffered while a task runs. */
const BUFFERABLE = new Set<number>([
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED,
  EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED,
  EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED,
  EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED,
  EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT,
  EventType.EVENT_TYPE_ACTIVITY_TASK_CANCELED,
  EventType.EVENT_TYPE_TIMER_FIRED,
  EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED,
  EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_FAILED,
  EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED,
  EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_FAILED,
  EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_CANCELED,
  EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_TIMED_OUT,
  EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_TERMINATED,
  EventType.EVENT_TYPE_EXTERNAL_WORKFLOW_EXECUTION_SIGNALED,
  EventType.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_FAILED,
  EventType.EVENT_TYPE_EXTERNAL_WORKFLOW_EXECUTION_CANCEL_REQUESTED,
  EventType.EVENT_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_FAILED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_OPTIONS_UPDATED,
]);

/**
 * One workflow run loaded inside a transaction: its mutable state plus the events this transaction
 * appends. Saved (state, events, visibility) when the transaction commits.
 */
export class Run {
  readonly newEvents: IHistoryEvent[] = [];
  /** Protocol messages (update requests) delivered with the task this transaction started. */
  deliveredMessages: ProtoTypes.temporal.api.protocol.v1.IMessage[] = [];

  constructor(
    readonly tx: Tx,
    readonly state: ExecutionState,
  ) {}

  get namespace(): string {
    return this.state.namespace;
  }

  get isOpen(): boolean {
    return this.state.status === ExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
  }

  /** True while a workflow task is started and not yet completed, failed or timed out. */
  get wftStarted(): boolean {
    return this.state.wft !== undefined && this.state.wft.startedEventId > 0;
  }

  /** Appends an event to history now and returns its id. */
  addEvent(eventType: number, attributes: object, extra: Partial<IHistoryEvent> = {}): number {
    const eventId = this.state.nextEventId++;
    const event: IHistoryEvent = {
      eventId: int64(eventId),
      eventTime: tsFromMs(this.tx.now),
      eventType,
      taskId: int64(this.tx.nextTaskId()),
      ...extra,
      [eventAttributesField(eventType)]: attributes,
    };
    this.newEvents.push(event);
    return eventId;
  }

  /**
   * Appends an event that reaches the run from outside: buffered while a workflow task is started
   * (flushed after that task's command events), written at once otherwise.
   * Returns the event id, or 0 when buffered.
   */
  addExternalEvent(eventType: number, attributes: object, eventTimeMs = this.tx.now, extra: Partial<IHistoryEvent> = {}): number {
    if (!BUFFERABLE.has(eventType)) throw new Error(`event type ${eventType} is not bufferable`);
    if (!this.wftStarted) return this.addEvent(eventType, attributes, { ...extra, eventTime: tsFromMs(eventTimeMs) });
    const event: IHistoryEvent = {
      ...extra,
      eventTime: tsFromMs(eventTimeMs),
      eventType,
      [eventAttributesField(eventType)]: attributes,
    };
    this.state.buffered.push(eventCodec.pack(event) as string);
    return 0;
  }

  /** Whether a buffered event's `scheduledEventId` is `scheduledEventId` (e.g. a buffered activity result). */
  bufferedEventRefersTo(scheduledEventId: number): boolean {
    return this.state.buffered.some((packed) => {
      const event = eventCodec.unpack(packed) as IHistoryEvent;
      const attributes = (event as Record<string, unknown>)[eventAttributesField(event.eventType as number)] as {
        scheduledEventId?: unknown;
      };
      return longToNumber(attributes.scheduledEventId as number | undefined) === scheduledEventId;
    });
  }

  /** Removes a buffered TimerFired for `timerId`; returns its TimerStarted id (undefined if none). */
  dropBufferedTimerFired(timerId: string): number | undefined {
    for (let i = 0; i < this.state.buffered.length; i++) {
      const event = eventCodec.unpack(this.state.buffered[i]) as IHistoryEvent;
      const fired = event.timerFiredEventAttributes;
      if (event.eventType === EventType.EVENT_TYPE_TIMER_FIRED && fired?.timerId === timerId) {
        this.state.buffered.splice(i, 1);
        return longToNumber(fired.startedEventId);
      }
    }
    return undefined;
  }

  get hasBufferedEvents(): boolean {
    return this.state.buffered.length > 0;
  }

  /**
   * Writes buffered events to history, assigning ids in arrival order. A buffered activity or child
   * close event whose `startedEventId` is {@link PENDING_STARTED_ID} gets the id its (buffered)
   * Started event receives here.
   */
  flushBuffer(): void {
    const buffered = this.state.buffered;
    this.state.buffered = [];
    const startedIds = new Map<number, number>();
    for (const packed of buffered) {
      const event = eventCodec.unpack(packed) as IHistoryEvent;
      const eventType = event.eventType as number;
      const field = eventAttributesField(eventType);
      const attributes = (event as Record<string, unknown>)[field] as {
        scheduledEventId?: unknown;
        initiatedEventId?: unknown;
        startedEventId?: unknown;
      };
      const ref = longToNumber((attributes.scheduledEventId ?? attributes.initiatedEventId) as number | undefined);
      if (longToNumber(attributes.startedEventId as number | undefined) === PENDING_STARTED_ID) {
        attributes.startedEventId = startedIds.get(ref) ?? 0;
      }
      const id = this.addEvent(eventType, attributes, { eventTime: event.eventTime ?? null, ...(event.workerMayIgnore ? { workerMayIgnore: true } : {}) });
      if (STARTED_TYPES.has(eventType)) startedIds.set(ref, id);
    }
  }

  /** A workflow task, or an activity scheduled or running: the work time skipping waits for. */
  get hasWorkInFlight(): boolean {
    // An activity waiting out a retry backoff or held paused by an operator is not in flight.
    return this.isOpen && (this.state.wft !== undefined || Object.values(this.state.activities).some((a) => a.phase === 'scheduled' || a.phase === 'started'));
  }

  /** The highest event id written so far. */
  get lastEventId(): number {
    return this.state.nextEventId - 1;
  }
}
