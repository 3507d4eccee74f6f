// HistoryCursor: the part of a run's history the machines have not consumed yet. Taken events are
// let go (a cached run must not hold its whole history), while ids, contiguity checks and the
// type of the last taken event (named in nondeterminism messages) stay available.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HistoryCursor } from '../../../dist/worker/workflow/wft-sequence.js';
import { InvalidHistoryError } from '../../../dist/worker/workflow/errors.js';
import { EventType } from '../../../dist/worker/workflow/history-events.js';
import { HistoryBuilder } from './helpers/history-builder.js';

const eventId = (e) => Number(e.eventId);

/** A history of `timers` timers in sequence, each in its own workflow task; the last task is open. */
function timersHistory(timers) {
  const h = new HistoryBuilder();
  h.started();
  let started = h.fullTask();
  for (let i = 1; i <= timers; i++) {
    const timerStarted = h.timerStarted(String(i), 1000);
    h.timerFired(timerStarted, String(i));
    started = i === timers ? h.task() : h.fullTask();
  }
  return { events: h.events, lastStarted: started };
}

/** Takes every sequence, as the machines do, and returns the ids of the events taken. */
function takeAll(cursor) {
  const taken = [];
  let from = 0;
  for (let seq = cursor.takeNextSequence(from); seq; seq = cursor.takeNextSequence(from)) {
    taken.push(...seq.events.map(eventId));
    const last = seq.events[seq.events.length - 1];
    from = eventId(last);
    if (seq.hasFinalEvent) break;
  }
  return taken;
}

describe('HistoryCursor', () => {
  it('hands out every event once, in order, and lets the taken ones go', () => {
    const { events, lastStarted } = timersHistory(3);
    const cursor = new HistoryCursor();
    cursor.add(events);
    assert.equal(cursor.lastEventId, events.length);
    assert.equal(cursor.eventType(1), EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED);
    assert.deepEqual(takeAll(cursor), events.map(eventId));
    assert.equal(cursor.lastEventId, events.length);
    assert.equal(cursor.eventType(1), undefined, 'an event taken earlier is no longer held');
    assert.equal(cursor.eventType(lastStarted), EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED, 'the last taken event’s type stays, for error messages');
  });

  it('continues with the next poll’s tail after its taken events were dropped, and still refuses a gap', () => {
    const h = new HistoryBuilder();
    h.started();
    h.task();
    const cursor = new HistoryCursor();
    cursor.add(h.events);
    assert.deepEqual(takeAll(cursor), [1, 2, 3]);
    h.wftCompleted();
    const timerStarted = h.timerStarted('1', 1000);
    h.timerFired(timerStarted, '1');
    h.task();
    cursor.add(h.events); // a full history again: the known events are skipped
    assert.equal(cursor.lastEventId, h.lastId);
    assert.equal(cursor.eventType(5), EventType.EVENT_TYPE_TIMER_STARTED, 'an event not yet taken is found by id');
    assert.deepEqual(takeAll(cursor), [4, 5, 6, 7, 8]);
    h.wftCompleted();
    h.timerStarted('2', 1000);
    assert.throws(() => cursor.add(h.events.slice(-1)), InvalidHistoryError);
  });

  it('takes a long history sequence by sequence, dropping what it took as it goes', () => {
    const { events } = timersHistory(3000);
    const cursor = new HistoryCursor();
    cursor.add(events);
    const taken = takeAll(cursor);
    assert.equal(taken.length, events.length);
    assert.ok(taken.every((id, i) => id === i + 1));
    assert.equal(cursor.eventType(events.length - 1000), undefined);
  });
});
