// Poll error backoff (transient errors back off exponentially up to the cap and are retried
// forever; other errors are retried at the cap for a grace period, then fatal) and execution slots.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PollBackoff } from '../../../dist/worker/poll-backoff.js';
import { Slots } from '../../../dist/worker/slots.js';

const err = (code) => Object.assign(new Error(`code ${code}`), { code });
const UNAVAILABLE = 14;
const NOT_FOUND = 5;
const PERMISSION_DENIED = 7;

describe('PollBackoff', () => {
  it('backs off exponentially from 100 ms to 5 s on transient errors, forever', () => {
    let now = 0;
    const backoff = new PollBackoff({ now: () => now }, { jitter: 0 });
    const delays = [];
    for (let i = 0; i < 10; i++) {
      const d = backoff.next(err(UNAVAILABLE));
      assert.equal(d.retry, true);
      delays.push(d.delayMs);
      now += 3_600_000;
    }
    assert.deepEqual(delays, [100, 200, 400, 800, 1600, 3200, 5000, 5000, 5000, 5000]);
  });

  it('jitter stays within ±20% and under the cap', () => {
    const backoff = new PollBackoff({ now: () => 0 });
    for (let i = 1; i <= 12; i++) {
      const { delayMs } = backoff.next(err(UNAVAILABLE));
      const base = Math.min(100 * 2 ** (i - 1), 5000);
      assert.ok(delayMs >= base * 0.8 - 1 && delayMs <= Math.min(base * 1.2, 5000) + 1, `attempt ${i}: ${delayMs}`);
    }
  });

  it('retries a non-transient error at the cap until the grace period passes, then gives up', () => {
    let now = 0;
    const backoff = new PollBackoff({ now: () => now }, { fatalGraceMs: 60_000 });
    assert.deepEqual(backoff.next(err(NOT_FOUND)), { retry: true, delayMs: 5000 });
    now = 59_000;
    assert.deepEqual(backoff.next(err(PERMISSION_DENIED)), { retry: true, delayMs: 5000 });
    now = 60_000;
    assert.deepEqual(backoff.next(err(NOT_FOUND)), { retry: false });
  });

  it('a success (reset) or a transient error restarts the grace period', () => {
    let now = 0;
    const backoff = new PollBackoff({ now: () => now }, { fatalGraceMs: 1000 });
    backoff.next(err(NOT_FOUND));
    now = 900;
    backoff.next(err(UNAVAILABLE));
    now = 1500;
    assert.equal(backoff.next(err(NOT_FOUND)).retry, true);
    backoff.reset();
    now = 2400;
    assert.equal(backoff.next(err(NOT_FOUND)).retry, true);
  });

  it('errors without a gRPC code count as transient', () => {
    const backoff = new PollBackoff({ now: () => 0 }, { jitter: 0 });
    assert.deepEqual(backoff.next(new Error('socket hang up')), { retry: true, delayMs: 100 });
  });
});

describe('Slots', () => {
  it('hands a released slot to the longest waiter and answers false to waiters on close', async () => {
    const slots = new Slots(1);
    assert.equal(await slots.acquire(), true);
    const first = slots.acquire();
    const second = slots.acquire();
    slots.release();
    assert.equal(await first, true);
    assert.equal(slots.inUse, 1);
    slots.close();
    assert.equal(await second, false);
    assert.equal(await slots.acquire(), false);
    slots.release();
    assert.equal(slots.inUse, 0);
  });

  it('rejects a capacity that is not a positive integer', () => {
    assert.throws(() => new Slots(0), /positive integer/);
  });
});
