// Heartbeat throttling with a fake clock: the first heartbeat goes out at once, later ones
// coalesce to the latest details at the end of the interval, an idle throttle sends at once again;
// flush and close; and the interval rule (80% of the heartbeat timeout, default, cap).
import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import { HeartbeatThrottle, heartbeatThrottleIntervalMs, systemClock } from '../../../dist/worker/activity/index.js';

/** A manual clock: timers fire only when advance() passes their due time. */
function fakeClock() {
  let now = 0;
  let nextId = 1;
  const timers = new Map();
  return {
    now: () => now,
    setTimeout(fn, ms) {
      const id = nextId++;
      timers.set(id, { at: now + ms, fn });
      return id;
    },
    clearTimeout(id) {
      timers.delete(id);
    },
    get pendingTimers() {
      return timers.size;
    },
    /** Moves time forward, firing due timers in order and letting promise callbacks run between. */
    async advance(ms) {
      const until = now + ms;
      for (;;) {
        await settle();
        const due = [...timers.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        timers.delete(due[0]);
        now = due[1].at;
        due[1].fn();
      }
      now = until;
      await settle();
    },
  };
}

async function settle() {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

function recordingThrottle(intervalMs, clock) {
  const sent = [];
  const throttle = new HeartbeatThrottle({
    intervalMs,
    clock,
    send: async (details) => {
      sent.push({ at: clock.now(), details });
    },
  });
  return { throttle, sent };
}

describe('HeartbeatThrottle', () => {
  it('sends the first heartbeat at once and coalesces the rest to the latest at the end of the interval', async () => {
    const clock = fakeClock();
    const { throttle, sent } = recordingThrottle(1000, clock);
    throttle.record(1);
    await settle();
    assert.deepEqual(sent, [{ at: 0, details: 1 }]);
    await clock.advance(100);
    throttle.record(2);
    await clock.advance(100);
    throttle.record(3);
    throttle.record(4);
    await clock.advance(700);
    assert.equal(sent.length, 1, 'nothing more before the interval ends');
    await clock.advance(100);
    assert.deepEqual(sent, [
      { at: 0, details: 1 },
      { at: 1000, details: 4 },
    ]);
  });

  it('goes idle after an interval without heartbeats; the next one is sent at once', async () => {
    const clock = fakeClock();
    const { throttle, sent } = recordingThrottle(1000, clock);
    throttle.record('a');
    await clock.advance(1000);
    assert.equal(clock.pendingTimers, 0);
    await clock.advance(5000);
    throttle.record('b');
    await settle();
    assert.deepEqual(sent, [
      { at: 0, details: 'a' },
      { at: 6000, details: 'b' },
    ]);
  });

  it('keeps sending once per interval while heartbeats keep coming', async () => {
    const clock = fakeClock();
    const { throttle, sent } = recordingThrottle(500, clock);
    for (let t = 0; t < 2000; t += 100) {
      throttle.record(t);
      await clock.advance(100);
    }
    assert.deepEqual(
      sent.map((s) => s.at),
      [0, 500, 1000, 1500, 2000],
    );
    assert.deepEqual(
      sent.map((s) => s.details),
      [0, 400, 900, 1400, 1900],
    );
  });

  it('measures the interval from the start of the previous send', async () => {
    const clock = fakeClock();
    const sent = [];
    let finishSend;
    const throttle = new HeartbeatThrottle({
      intervalMs: 1000,
      clock,
      send: (details) => {
        sent.push({ at: clock.now(), details });
        return new Promise((resolve) => (finishSend = resolve));
      },
    });
    throttle.record(1);
    throttle.record(2);
    await clock.advance(1500); // the first send is still in flight
    assert.equal(sent.length, 1);
    finishSend();
    await clock.advance(0); // interval already over: the pending one goes out now
    assert.deepEqual(
      sent.map((s) => [s.at, s.details]),
      [
        [0, 1],
        [1500, 2],
      ],
    );
  });

  it('flush() sends the pending heartbeat without waiting for the interval', async () => {
    const clock = fakeClock();
    const { throttle, sent } = recordingThrottle(1000, clock);
    throttle.record(1);
    throttle.record(2);
    await throttle.flush();
    assert.deepEqual(
      sent.map((s) => [s.at, s.details]),
      [
        [0, 1],
        [0, 2],
      ],
    );
    assert.equal(throttle.hasPending, false);
  });

  it('close() drops the pending heartbeat and ignores later ones', async () => {
    const clock = fakeClock();
    const { throttle, sent } = recordingThrottle(1000, clock);
    throttle.record(1);
    throttle.record(2);
    await throttle.close();
    throttle.record(3);
    await clock.advance(5000);
    assert.deepEqual(
      sent.map((s) => s.details),
      [1],
    );
    assert.equal(clock.pendingTimers, 0);
  });

  it('a failing send does not stop later heartbeats', async () => {
    const clock = fakeClock();
    const attempts = [];
    const throttle = new HeartbeatThrottle({
      intervalMs: 100,
      clock,
      send: async (details) => {
        attempts.push(details);
        throw new Error('network down');
      },
    });
    throttle.record(1);
    throttle.record(2);
    await clock.advance(100);
    assert.deepEqual(attempts, [1, 2]);
  });
});

describe('heartbeatThrottleIntervalMs', () => {
  const limits = { defaultMs: 30_000, maxMs: 60_000 };
  it('is 80% of the heartbeat timeout', () => {
    assert.equal(heartbeatThrottleIntervalMs(10_000, limits), 8_000);
  });
  it('uses the default without a heartbeat timeout (unset or zero)', () => {
    assert.equal(heartbeatThrottleIntervalMs(undefined, limits), 30_000);
    assert.equal(heartbeatThrottleIntervalMs(0, limits), 30_000);
  });
  it('is capped at the maximum', () => {
    assert.equal(heartbeatThrottleIntervalMs(600_000, limits), 60_000);
    assert.equal(heartbeatThrottleIntervalMs(undefined, { defaultMs: 90_000, maxMs: 60_000 }), 60_000);
  });
});

describe('the system clock of activity timers', () => {
  const MAX_TIMER_MS = 2 ** 31 - 1;
  const DAYS_40 = 40 * 24 * 3600 * 1000;

  it('waits out a delay longer than setTimeout holds, in steps, and can be cleared between them', () => {
    // Node fires a setTimeout of more than ≈24.8 days after 1 ms: a 30-day activity timeout fired at once.
    mock.timers.enable({ apis: ['setTimeout'] });
    try {
      const fired = [];
      systemClock.setTimeout(() => fired.push('long'), DAYS_40);
      const cleared = systemClock.setTimeout(() => fired.push('cleared'), DAYS_40);
      systemClock.setTimeout(() => fired.push('short'), 10);
      mock.timers.tick(10);
      assert.deepEqual(fired, ['short']);
      mock.timers.tick(MAX_TIMER_MS);
      assert.deepEqual(fired, ['short'], 'not yet: one step of the long delay has passed');
      systemClock.clearTimeout(cleared);
      mock.timers.tick(DAYS_40 - MAX_TIMER_MS);
      assert.deepEqual(fired, ['short', 'long']);
    } finally {
      mock.timers.reset();
    }
  });
});
