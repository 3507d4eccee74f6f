// Delays longer than setTimeout holds (≈24.8 days; Node fires a longer one after 1 ms): the activity
// Context's sleep and TestWorkflowEnvironment.sleep without time skipping wait them out in steps.
import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import { longDelay, MAX_TIMEOUT_MS } from '../../../dist/activity/long-timeout.js';

const DAYS_40 = 40 * 24 * 3600 * 1000;

/** Lets promise callbacks run between fake-timer ticks. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('longDelay', () => {
  it('resolves only after the whole delay, however long', async () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    try {
      let done = false;
      const waiting = longDelay(DAYS_40).then(() => (done = true));
      mock.timers.tick(MAX_TIMEOUT_MS);
      await settle();
      assert.equal(done, false, 'one step of the delay has passed, not all of it');
      mock.timers.tick(DAYS_40 - MAX_TIMEOUT_MS);
      await waiting;
      assert.equal(done, true);
    } finally {
      mock.timers.reset();
    }
  });

  it('rejects with the signal\'s reason when it aborts between steps, or at once if it already has', async () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    try {
      const controller = new AbortController();
      const waiting = longDelay(DAYS_40, controller.signal);
      mock.timers.tick(MAX_TIMEOUT_MS + 5);
      controller.abort(new Error('stop'));
      await assert.rejects(waiting, /stop/);
      await assert.rejects(longDelay(10, controller.signal), /stop/);
    } finally {
      mock.timers.reset();
    }
  });

  it('treats a negative delay as none', async () => {
    await longDelay(-5);
  });
});
