// Dispatch rate limits of activity task queues: the last poll's rate wins (absent clears it), a
// configured rate takes precedence (0 stops dispatch), a token bucket of one second's worth of tasks
// refilled at the rate.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DispatchRateLimits } from '../../../dist/server/matching/dispatch-rate-limits.js';

describe('DispatchRateLimits', () => {
  it('lets a burst of one second\'s worth through, then one task per 1/rate', () => {
    let now = 0;
    const limits = new DispatchRateLimits(() => now);
    limits.fromPoll('q', 2);
    assert.deepEqual(limits.effective('q'), { rate: 2, source: 'worker' });
    for (let i = 0; i < 2; i++) {
      assert.equal(limits.waitMs('q'), 0);
      limits.take('q');
    }
    assert.equal(limits.waitMs('q'), 500);
    now += 500;
    assert.equal(limits.waitMs('q'), 0);
    limits.take('q');
    now += 10_000;
    limits.take('q');
    limits.take('q');
    assert.equal(limits.waitMs('q'), 500, 'idle time refills the bucket only up to its burst');
  });

  it('a slow rate still lets one task through, and a poll without a rate clears the limit', () => {
    let now = 0;
    const limits = new DispatchRateLimits(() => now);
    limits.fromPoll('q', 0.5);
    limits.take('q');
    assert.equal(limits.waitMs('q'), 2_000);
    limits.fromPoll('q', undefined);
    assert.deepEqual(limits.effective('q'), { rate: undefined, source: 'system' });
    assert.equal(limits.waitMs('q'), 0);
    limits.fromPoll('other', -3);
    assert.equal(limits.effective('other').rate, undefined, 'a nonsensical rate counts as none');
  });

  it('a changed rate keeps the tokens left, capped at the new burst', () => {
    let now = 0;
    const limits = new DispatchRateLimits(() => now);
    limits.fromPoll('q', 10);
    limits.fromPoll('q', 1);
    limits.take('q');
    assert.equal(limits.waitMs('q'), 1_000);
  });

  it('a configured rate wins over the workers\'; 0 stops dispatch; clearing it falls back to the worker\'s', () => {
    let now = 0;
    const limits = new DispatchRateLimits(() => now);
    limits.fromPoll('q', 10);
    limits.fromConfig('q', 0);
    assert.deepEqual(limits.effective('q'), { rate: 0, source: 'api' });
    assert.equal(limits.waitMs('q'), Number.POSITIVE_INFINITY);
    limits.fromPoll('q', undefined);
    assert.equal(limits.waitMs('q'), Number.POSITIVE_INFINITY, 'a poll without a rate does not clear the configured one');
    limits.fromConfig('q', 1);
    assert.equal(limits.waitMs('q'), 0);
    limits.take('q');
    assert.equal(limits.waitMs('q'), 1_000);
    limits.fromPoll('q', 4);
    limits.fromConfig('q', undefined);
    assert.deepEqual(limits.effective('q'), { rate: 4, source: 'worker' });
  });
});
