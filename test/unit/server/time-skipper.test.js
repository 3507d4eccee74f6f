// The time skipper's sleepers and the TestService sleeps: a sleep longer than setTimeout can hold
// (≈24.8 days) waits without Node's overflow warning (it used to fire after 1 ms, print a warning
// and never wake the sleeper by wall time), and sleeps that would move server time past the last
// protobuf Timestamp are refused.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Long from 'long';
import { RpcError } from '../../../dist/server/errors.js';
import { SkippingClock } from '../../../dist/server/time-skipping/skipping-clock.js';
import { TimeSkipper } from '../../../dist/server/time-skipping/time-skipper.js';
import { testServiceHandlers } from '../../../dist/server/time-skipping/test-service.js';

const DAY = 24 * 3600 * 1000;

/** A skipper that starts locked (time follows the wall clock) and has no durable timers. */
function lockedSkipper() {
  return new TimeSkipper(new SkippingClock(), true, () => undefined, () => {});
}

/** Runs `fn`, resolving with the process warnings emitted meanwhile. */
async function warningsDuring(fn) {
  const warnings = [];
  const onWarning = (warning) => warnings.push(warning.name);
  process.on('warning', onWarning);
  try {
    await fn();
    await new Promise((resolve) => setTimeout(resolve, 50));
  } finally {
    process.off('warning', onWarning);
  }
  return warnings;
}

describe('time skipper: long sleeps', () => {
  it('a 40-day sleep while time is locked waits without a timer overflow, and wakes when time skips to it', async () => {
    const skipper = lockedSkipper();
    let woke = false;
    let sleeping;
    const warnings = await warningsDuring(() => {
      sleeping = skipper.sleepUntil(skipper.clock.now() + 40 * DAY).then(() => (woke = true));
    });
    assert.deepEqual(warnings, []);
    assert.equal(woke, false);
    skipper.unlock(); // nothing holds time: the clock skips to the sleeper's target
    await sleeping;
    assert.equal(woke, true);
    skipper.close();
  });

  it('refuses sleeps that would move server time past 9999-12-31, and takes the last moment before it', async () => {
    const skipper = lockedSkipper();
    skipper.unlock();
    const api = testServiceHandlers(skipper);
    const refused = (error) => error instanceof RpcError && error.code === 3 && /past 9999-12-31T23:59:59\.999Z/.test(error.message);
    await assert.rejects(api.SleepUntil({ timestamp: { seconds: Long.MAX_VALUE } }), refused);
    await assert.rejects(api.SleepUntil({ timestamp: { seconds: Long.fromNumber(253_402_300_800) } }), refused);
    await assert.rejects(api.Sleep({ duration: { seconds: Long.fromNumber(315_576_000_000) } }), refused);
    await assert.rejects(api.UnlockTimeSkippingWithSleep({ duration: { seconds: Long.fromNumber(315_576_000_000) } }), refused);
    await api.SleepUntil({ timestamp: { seconds: Long.fromNumber(253_402_300_799) } });
    assert.equal(new Date(skipper.clock.now()).toISOString(), '9999-12-31T23:59:59.000Z');
    skipper.close();
  });
});
