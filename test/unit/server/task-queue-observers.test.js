// What DescribeTaskQueue reads about a queue besides its backlog: the poller history (who polled,
// when, forgotten after five minutes) and the add/dispatch rates over the last 30 seconds. Both run
// on an injected wall clock here.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  MAX_POLLERS_PER_QUEUE,
  POLLER_HISTORY_TTL_MS,
  PollerHistory,
} from '../../../dist/server/matching/poller-history.js';
import { TaskRates, TASK_RATE_WINDOW_S } from '../../../dist/server/matching/task-rates.js';

function fakeClock(start = 1_800_000_000_000) {
  const clock = { t: start, now: () => clock.t };
  return clock;
}

describe('PollerHistory', () => {
  it('keeps one entry per identity and task type, stamped with its latest poll', () => {
    const clock = fakeClock();
    const h = new PollerHistory(clock.now);
    h.record('default', 'q', 1, { identity: 'a' });
    clock.t += 1000;
    h.record('default', 'q', 1, { identity: 'b', maxTasksPerSecond: 5 });
    clock.t += 1000;
    h.record('default', 'q', 1, { identity: 'a' });
    h.record('default', 'q', 2, { identity: 'c' });
    h.record('other', 'q', 1, { identity: 'd' });
    assert.deepEqual(
      h.pollers('default', 'q', 1).map((p) => [p.identity, p.lastAccessTime - 1_800_000_000_000, p.maxTasksPerSecond]),
      [['b', 1000, 5], ['a', 2000, undefined]],
    );
    assert.deepEqual(h.pollers('default', 'q', 2).map((p) => p.identity), ['c']);
    assert.deepEqual(h.pollers('other', 'q', 1).map((p) => p.identity), ['d']);
    assert.deepEqual(h.pollers('default', 'nobody', 1), []);
  });

  it('forgets a poller five minutes after its last poll', () => {
    const clock = fakeClock();
    const h = new PollerHistory(clock.now);
    h.record('default', 'q', 1, { identity: 'old' });
    clock.t += 60_000;
    h.record('default', 'q', 1, { identity: 'new' });
    clock.t += POLLER_HISTORY_TTL_MS - 60_000;
    assert.deepEqual(h.pollers('default', 'q', 1).map((p) => p.identity), ['old', 'new'], 'exactly at the TTL: still listed');
    clock.t += 1;
    assert.deepEqual(h.pollers('default', 'q', 1).map((p) => p.identity), ['new']);
    clock.t += 60_000;
    assert.deepEqual(h.pollers('default', 'q', 1), []);
  });

  it('remembers at most 1000 pollers per queue, dropping the least recent', () => {
    const h = new PollerHistory(fakeClock().now);
    for (let i = 0; i <= MAX_POLLERS_PER_QUEUE; i++) h.record('default', 'q', 1, { identity: `w${i}` });
    const listed = h.pollers('default', 'q', 1);
    assert.equal(listed.length, MAX_POLLERS_PER_QUEUE);
    assert.equal(listed[0].identity, 'w1');
  });

  it('forget() drops every task type of one queue only', () => {
    const h = new PollerHistory(fakeClock().now);
    h.record('default', 'sticky-1', 1, { identity: 'a' });
    h.record('default', 'sticky-1', 2, { identity: 'a' });
    h.record('default', 'sticky-10', 1, { identity: 'b' });
    h.forget('default', 'sticky-1');
    assert.deepEqual(h.pollers('default', 'sticky-1', 1), []);
    assert.deepEqual(h.pollers('default', 'sticky-1', 2), []);
    assert.deepEqual(h.pollers('default', 'sticky-10', 1).map((p) => p.identity), ['b']);
  });
});

describe('TaskRates', () => {
  it('averages adds and dispatches over the last 30 seconds', () => {
    const clock = fakeClock();
    const r = new TaskRates(clock.now);
    r.added('q', 30);
    r.dispatched('q', 15);
    assert.deepEqual(r.of('q'), { addRate: 1, dispatchRate: 0.5 });
    clock.t += 10_000;
    r.added('q', 3);
    assert.equal(r.of('q').addRate, 33 / TASK_RATE_WINDOW_S);
    clock.t += 20_000; // the first second's counts leave the window
    assert.deepEqual(r.of('q'), { addRate: 3 / TASK_RATE_WINDOW_S, dispatchRate: 0 });
    clock.t += 10 * 60_000;
    assert.deepEqual(r.of('q'), { addRate: 0, dispatchRate: 0 });
    assert.deepEqual(r.of('unknown'), { addRate: 0, dispatchRate: 0 });
  });

  it('keeps queues apart', () => {
    const r = new TaskRates(fakeClock().now);
    r.added('a', 3);
    r.dispatched('b', 6);
    assert.deepEqual(r.of('a'), { addRate: 0.1, dispatchRate: 0 });
    assert.deepEqual(r.of('b'), { addRate: 0, dispatchRate: 0.2 });
  });
});
