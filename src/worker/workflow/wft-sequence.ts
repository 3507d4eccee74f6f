/**
 * Splitting history into workflow-task sequences: the events from after one workflow task's Started
 * event through the next Started event that the worker actually answered (or the end of the run).
 * Tasks that failed or timed out do not end a sequence (their events fold into the next one), nor do
 * "heartbeat" tasks (completed with no commands and immediately rescheduled). The rules are Temporal
 * Core's, so activations are grouped exactly as under the official SDKs.
 *
 * @module
 */
import { int64ToNumber } from '../../common/duration.js';
import { InvalidHistoryError } from './errors.js';
import { EventType, eventIdOf, eventTypeOf, isCommandEvent, isFinalEvent, type HistoryEvent } from './history-events.js';
import type { ProtoTypes } from '../../proto/index.js';

type CompletedAttributes = ProtoTypes.temporal.api.history.v1.IWorkflowTaskCompletedEventAttributes;

/** Where the next sequence ends, as an index into the array searched. */
interface SequenceEnd {
  complete: boolean;
  index: number;
}

const ENDS_NO_SEQUENCE = new Set<number>([
  EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED,
  EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED,
]);

/**
 * Finds the last event of the next sequence in `events[start..]`, skipping events at or before
 * `fromEventId`. With the whole history at hand (`hasLastTask`), an incomplete sequence is the tail.
 */
export function findSequenceEnd(events: readonly HistoryEvent[], start: number, fromEventId: number, hasLastTask = true): SequenceEnd {
  if (start >= events.length) return { complete: false, index: start };
  let sawCommandOrStarted = false;
  let sawCommand = false;
  const startedIndexes: Array<[eventId: number, index: number]> = [];
  let last = start;
  for (let ix = start; ix < events.length; ix++) {
    last = ix;
    const e = events[ix] as HistoryEvent;
    const id = eventIdOf(e);
    if (id <= fromEventId) continue;
    if (isCommandEvent(e)) sawCommand = sawCommandOrStarted = true;
    if (eventTypeOf(e) === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED) sawCommandOrStarted = true;
    if (isFinalEvent(e)) return { complete: true, index: ix };
    if (eventTypeOf(e) !== EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED) continue;
    startedIndexes.push([id, ix]);
    const next = events[ix + 1];
    if (next !== undefined) {
      const nextType = eventTypeOf(next);
      if (ENDS_NO_SEQUENCE.has(nextType)) {
        startedIndexes.pop();
        continue;
      }
      if (nextType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) {
        const afterNext = events[ix + 2];
        if (afterNext !== undefined) {
          if (!sawCommand && eventTypeOf(afterNext) === EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED) continue; // heartbeat
          return { complete: true, index: updateSequencedIndex(afterNext, startedIndexes) ?? ix };
        }
        if (!hasLastTask && !sawCommandOrStarted) continue;
      }
    } else if (!hasLastTask && !sawCommandOrStarted) {
      continue;
    }
    if (sawCommandOrStarted) return { complete: true, index: ix };
  }
  return { complete: false, index: last };
}

/**
 * When the task's first command is an update's acceptance, the sequence ends at the last kept task
 * started before the update's request was sequenced (where the update handler really ran).
 */
function updateSequencedIndex(afterCompleted: HistoryEvent, startedIndexes: Array<[number, number]>): number | undefined {
  const accepted = afterCompleted.workflowExecutionUpdateAcceptedEventAttributes;
  if (!accepted) return undefined;
  const sequencedAt = int64ToNumber(accepted.acceptedRequestSequencingEventId);
  for (let i = startedIndexes.length - 1; i >= 0; i--) {
    const [eventId, index] = startedIndexes[i] as [number, number];
    if (eventId < sequencedAt) return index;
  }
  return undefined;
}

/**
 * The run's history not yet consumed by the machines. Events taken into a sequence are let go (only
 * the last one is kept, for error messages), so a cached run does not hold its whole history.
 */
export class HistoryCursor {
  /** Known events; those before {@link next} are taken and dropped at the next compaction. */
  private events: HistoryEvent[] = [];
  /** Index of the first event not yet taken into a sequence. */
  private next = 0;
  private lastId = 0;
  /** Id and type of the last event taken (the only taken event an error message names; the event itself is let go). */
  private lastTakenId = 0;
  private lastTakenType = 0;

  /** The id of the last event known. */
  get lastEventId(): number {
    return this.lastId;
  }

  /**
   * Adds the events of a new poll: a full history (from event 1) or the tail after what is known.
   * Events already known are ignored; the rest must continue the known history without gaps.
   */
  add(events: readonly HistoryEvent[]): void {
    let expected = this.lastId + 1;
    for (const [i, e] of events.entries()) {
      const id = eventIdOf(e);
      if (id < expected) continue;
      if (id !== expected) {
        throw new InvalidHistoryError(`History is not contiguous: event #${i} of the task has id ${id}, expected ${expected}`);
      }
      this.events.push(e);
      expected++;
    }
    this.lastId = expected - 1;
  }

  /** The type of the event with this id, if it is the last one taken or one not yet taken. */
  eventType(eventId: number): number | undefined {
    if (this.lastTakenId !== 0 && this.lastTakenId === eventId) return this.lastTakenType;
    const first = this.events[this.next];
    if (first === undefined) return undefined;
    const event = this.events[this.next + eventId - eventIdOf(first)];
    return event && eventTypeOf(event);
  }

  private skipThrough(fromEventId: number): number {
    let ix = this.next;
    while (ix < this.events.length && eventIdOf(this.events[ix] as HistoryEvent) <= fromEventId) ix++;
    return ix;
  }

  /**
   * Takes the next sequence after the task started at `fromStartedEventId`. Returns undefined when
   * replay is over (nothing left); `hasFinalEvent` says whether the sequence reaches the end of history.
   */
  takeNextSequence(fromStartedEventId: number): { events: HistoryEvent[]; hasFinalEvent: boolean } | undefined {
    this.next = this.skipThrough(fromStartedEventId);
    const end = findSequenceEnd(this.events, this.next, fromStartedEventId);
    // Nothing (or a lone event that forms no sequence) is left: replay is over.
    if (!end.complete && end.index === this.next) return undefined;
    const taken = this.events.slice(this.next, end.index + 1);
    this.next = end.index + 1;
    const last = taken[taken.length - 1] as HistoryEvent;
    this.lastTakenId = eventIdOf(last);
    this.lastTakenType = eventTypeOf(last);
    const hasFinalEvent = this.next >= this.events.length;
    this.compact();
    return { events: taken, hasFinalEvent };
  }

  /** Drops taken events once they are all of the known ones, or most of them (amortized O(1) per event). */
  private compact(): void {
    if (this.next >= this.events.length) {
      this.events = [];
      this.next = 0;
    } else if (this.next >= 1024 && this.next * 2 >= this.events.length) {
      this.events = this.events.slice(this.next);
      this.next = 0;
    }
  }

  /** The sequence after the one last taken, without consuming it (may be partial or empty). */
  peekNextSequence(fromStartedEventId: number): HistoryEvent[] {
    const start = this.skipThrough(fromStartedEventId);
    if (start >= this.events.length) return [];
    const end = findSequenceEnd(this.events, start, fromStartedEventId);
    return this.events.slice(start, end.index + 1);
  }

  /** The first WorkflowTaskCompleted at or after `fromEventId` among the events not yet taken. */
  peekNextCompleted(fromEventId: number): CompletedAttributes | undefined {
    for (let ix = this.next; ix < this.events.length; ix++) {
      const e = this.events[ix] as HistoryEvent;
      if (eventIdOf(e) >= fromEventId && e.workflowTaskCompletedEventAttributes) return e.workflowTaskCompletedEventAttributes;
    }
    return undefined;
  }
}
