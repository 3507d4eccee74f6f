/**
 * The workflow task a whole recorded history amounts to, for replay: as Core's replayer presents a
 * history, the last task the history shows is the one being "polled", and everything up to the last
 * completed task is a replay.
 *
 * @module
 */
import { InvalidHistoryError } from './errors.js';
import { EventType, eventIdOf, eventTypeOf, type HistoryEvent } from './history-events.js';
import type { WorkflowTaskInput } from './run-machine.js';

/**
 * The {@link WorkflowTaskInput} that replays `events` (a full history, from WorkflowExecutionStarted).
 *
 * @throws InvalidHistoryError when the history is empty or does not start with WorkflowExecutionStarted
 * @example
 * ```ts
 * machine.addWorkflowTask(replayTask(history.events));
 * ```
 */
export function replayTask(events: readonly HistoryEvent[]): WorkflowTaskInput {
  const first = events[0];
  if (!first) throw new InvalidHistoryError('Cannot replay an empty history');
  if (eventTypeOf(first) !== EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED) {
    throw new InvalidHistoryError('A history to replay must start with a WorkflowExecutionStarted event');
  }
  let started = 0;
  let previous = 0;
  for (const [i, e] of events.entries()) {
    if (eventTypeOf(e) !== EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED) continue;
    const next = events[i + 1];
    if (next === undefined || eventTypeOf(next) === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) {
      previous = started;
      started = eventIdOf(e);
    }
  }
  // A history that goes on past its last task (the run closed, or waits) is replayed completely.
  const last = events[events.length - 1] as HistoryEvent;
  if (eventIdOf(last) !== started) previous = started;
  return { events, messages: [], startedEventId: started, previousStartedEventId: previous };
}
