// Engine: retry policies as the server applies them (pure functions of dist/server/engine/retry.js).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { durationFromMs, temporal } from '../../../dist/proto/index.js';
import { RpcError } from '../../../dist/server/errors.js';
import {
  backoffMs,
  decideRetry,
  isRetryableFailure,
  normalizeRetryPolicy,
  retryPolicyToProto,
} from '../../../dist/server/engine/retry.js';

const { RetryState, TimeoutType } = temporal.api.enums.v1;
const INVALID_ARGUMENT = 3;
const NOW = Date.UTC(2024, 0, 1);

/** A normalized policy with overrides. */
const policy = (over = {}) => ({ ...normalizeRetryPolicy(undefined, 'test'), ...over });
const appFailure = (over = {}) => ({ message: 'boom', applicationFailureInfo: { type: 'MyError', ...over } });
const timeoutFailure = (timeoutType) => ({ message: 'timeout', timeoutFailureInfo: { timeoutType } });

function rejects(fn, message) {
  assert.throws(fn, (err) => {
    assert.ok(err instanceof RpcError, String(err));
    assert.equal(err.code, INVALID_ARGUMENT);
    assert.equal(err.message, message);
    return true;
  });
}

describe('normalizeRetryPolicy', () => {
  it('fills Temporal defaults for a missing policy: 1 s, 2.0, 100 x initial, unlimited attempts', () => {
    for (const input of [undefined, null, {}]) {
      assert.deepEqual(normalizeRetryPolicy(input, 'ActivityId=a'), {
        initialIntervalMs: 1000,
        backoffCoefficient: 2,
        maximumIntervalMs: 100_000,
        maximumAttempts: 0,
        nonRetryableErrorTypes: [],
      });
    }
  });

  it('derives the default maximum interval from the given initial interval', () => {
    const p = normalizeRetryPolicy({ initialInterval: durationFromMs(3000) }, 'x');
    assert.equal(p.initialIntervalMs, 3000);
    assert.equal(p.maximumIntervalMs, 300_000);
    assert.equal(p.backoffCoefficient, 2);
  });

  it('keeps explicit values and copies the non-retryable types', () => {
    const types = ['Fatal', 'TemporalTimeout:StartToClose'];
    const p = normalizeRetryPolicy(
      {
        initialInterval: durationFromMs(500),
        backoffCoefficient: 1.5,
        maximumInterval: durationFromMs(4000),
        maximumAttempts: 7,
        nonRetryableErrorTypes: types,
      },
      'x',
    );
    assert.deepEqual(p, {
      initialIntervalMs: 500,
      backoffCoefficient: 1.5,
      maximumIntervalMs: 4000,
      maximumAttempts: 7,
      nonRetryableErrorTypes: types,
    });
    assert.notEqual(p.nonRetryableErrorTypes, types, 'the list is copied, not shared');
  });

  it('accepts a coefficient of exactly 1 and a maximum equal to the initial interval', () => {
    const p = normalizeRetryPolicy({ initialInterval: durationFromMs(2000), maximumInterval: durationFromMs(2000), backoffCoefficient: 1 }, 'x');
    assert.equal(p.backoffCoefficient, 1);
    assert.equal(p.maximumIntervalMs, 2000);
  });

  it('rejects each invalid field with INVALID_ARGUMENT naming the owner', () => {
    const what = 'ActivityId=a1';
    rejects(
      () => normalizeRetryPolicy({ initialInterval: durationFromMs(-1000) }, what),
      'ActivityId=a1: InitialInterval cannot be negative on retry policy.',
    );
    rejects(
      () => normalizeRetryPolicy({ backoffCoefficient: 0.5 }, what),
      'ActivityId=a1: BackoffCoefficient cannot be less than 1 on retry policy.',
    );
    rejects(
      () => normalizeRetryPolicy({ maximumInterval: durationFromMs(-5000) }, what),
      'ActivityId=a1: MaximumInterval cannot be negative on retry policy.',
    );
    rejects(
      () => normalizeRetryPolicy({ maximumAttempts: -1 }, what),
      'ActivityId=a1: MaximumAttempts cannot be negative on retry policy.',
    );
    rejects(
      () => normalizeRetryPolicy({ initialInterval: durationFromMs(10_000), maximumInterval: durationFromMs(5000) }, what),
      'ActivityId=a1: MaximumInterval cannot be less than InitialInterval on retry policy.',
    );
  });

  it('round-trips through the proto form', () => {
    const proto = retryPolicyToProto(policy({ maximumAttempts: 3, nonRetryableErrorTypes: ['X'] }));
    assert.deepEqual(normalizeRetryPolicy(proto, 'x'), policy({ maximumAttempts: 3, nonRetryableErrorTypes: ['X'] }));
  });
});

describe('backoffMs', () => {
  it('grows as initial x coefficient^(attempt-1)', () => {
    const p = policy();
    assert.deepEqual([1, 2, 3, 4, 5].map((a) => backoffMs(p, a)), [1000, 2000, 4000, 8000, 16_000]);
    const q = policy({ initialIntervalMs: 200, backoffCoefficient: 3 });
    assert.deepEqual([1, 2, 3].map((a) => backoffMs(q, a)), [200, 600, 1800]);
  });

  it('is capped by the maximum interval', () => {
    const p = policy({ maximumIntervalMs: 5000 });
    assert.deepEqual([3, 4, 5, 50].map((a) => backoffMs(p, a)), [4000, 5000, 5000, 5000]);
    assert.equal(backoffMs(policy(), 1000), 100_000, 'the default cap is 100 x initial');
  });

  it('is constant with a coefficient of 1', () => {
    const p = policy({ backoffCoefficient: 1 });
    assert.deepEqual([1, 2, 10].map((a) => backoffMs(p, a)), [1000, 1000, 1000]);
  });
});

describe('isRetryableFailure', () => {
  it('treats terminated and canceled failures as final, a missing failure as retryable', () => {
    assert.equal(isRetryableFailure(undefined, policy()), true);
    assert.equal(isRetryableFailure({ message: 'x', terminatedFailureInfo: {} }, policy()), false);
    assert.equal(isRetryableFailure({ message: 'x', canceledFailureInfo: {} }, policy()), false);
    assert.equal(isRetryableFailure({ message: 'x', serverFailureInfo: { nonRetryable: true } }, policy()), false);
    assert.equal(isRetryableFailure({ message: 'x', serverFailureInfo: { nonRetryable: false } }, policy()), true);
  });
});

describe('decideRetry', () => {
  const IN_PROGRESS = RetryState.RETRY_STATE_IN_PROGRESS;

  it('retries a retryable failure after the backoff of the failed attempt', () => {
    assert.deepEqual(decideRetry(policy(), 1, appFailure(), NOW, 0), { retryState: IN_PROGRESS, delayMs: 1000 });
    assert.deepEqual(decideRetry(policy(), 3, appFailure(), NOW, 0), { retryState: IN_PROGRESS, delayMs: 4000 });
    assert.deepEqual(decideRetry(policy(), 1, undefined, NOW, 0), { retryState: IN_PROGRESS, delayMs: 1000 });
  });

  it('stops with MAXIMUM_ATTEMPTS_REACHED once attempt >= maximumAttempts', () => {
    const p = policy({ maximumAttempts: 3 });
    assert.equal(decideRetry(p, 2, appFailure(), NOW, 0).retryState, IN_PROGRESS);
    assert.deepEqual(decideRetry(p, 3, appFailure(), NOW, 0), {
      retryState: RetryState.RETRY_STATE_MAXIMUM_ATTEMPTS_REACHED,
      delayMs: 0,
    });
    assert.equal(decideRetry(policy({ maximumAttempts: 1 }), 1, appFailure(), NOW, 0).retryState, RetryState.RETRY_STATE_MAXIMUM_ATTEMPTS_REACHED);
    assert.equal(decideRetry(policy(), 10_000, appFailure(), NOW, 0).retryState, IN_PROGRESS, '0 attempts = unlimited');
  });

  it('does not retry an application failure marked non-retryable', () => {
    assert.deepEqual(decideRetry(policy(), 1, appFailure({ nonRetryable: true }), NOW, 0), {
      retryState: RetryState.RETRY_STATE_NON_RETRYABLE_FAILURE,
      delayMs: 0,
    });
  });

  it('does not retry an application failure whose type is in nonRetryableErrorTypes', () => {
    const p = policy({ nonRetryableErrorTypes: ['MyError'] });
    assert.equal(decideRetry(p, 1, appFailure(), NOW, 0).retryState, RetryState.RETRY_STATE_NON_RETRYABLE_FAILURE);
    assert.equal(decideRetry(p, 1, appFailure({ type: 'OtherError' }), NOW, 0).retryState, IN_PROGRESS);
  });

  it('uses ApplicationFailureInfo.nextRetryDelay instead of the backoff, beyond the maximum interval', () => {
    const p = policy({ maximumIntervalMs: 5000 });
    const failure = appFailure({ nextRetryDelay: durationFromMs(42_000) });
    assert.deepEqual(decideRetry(p, 1, failure, NOW, 0), { retryState: IN_PROGRESS, delayMs: 42_000 });
    const zero = appFailure({ nextRetryDelay: durationFromMs(0) });
    assert.deepEqual(decideRetry(p, 2, zero, NOW, 0), { retryState: IN_PROGRESS, delayMs: 2000 }, 'a zero delay is ignored');
  });

  it('still honours maximumAttempts when nextRetryDelay is set', () => {
    const failure = appFailure({ nextRetryDelay: durationFromMs(100) });
    assert.equal(decideRetry(policy({ maximumAttempts: 2 }), 2, failure, NOW, 0).retryState, RetryState.RETRY_STATE_MAXIMUM_ATTEMPTS_REACHED);
  });

  it('stops with RETRY_STATE_TIMEOUT when the next attempt would start after the schedule-to-close deadline', () => {
    // Attempt 3 → delay 4 s.
    assert.deepEqual(decideRetry(policy(), 3, appFailure(), NOW, NOW + 3999), {
      retryState: RetryState.RETRY_STATE_TIMEOUT,
      delayMs: 0,
    });
    assert.deepEqual(decideRetry(policy(), 3, appFailure(), NOW, NOW + 60_000), { retryState: IN_PROGRESS, delayMs: 4000 });
    const explicit = appFailure({ nextRetryDelay: durationFromMs(30_000) });
    assert.equal(decideRetry(policy(), 1, explicit, NOW, NOW + 10_000).retryState, RetryState.RETRY_STATE_TIMEOUT);
  });

  it(
    'retries when the next attempt starts exactly at the deadline (only "after" the expiration stops)',
    () => {
      assert.deepEqual(decideRetry(policy(), 1, appFailure(), NOW, NOW + 1000), { retryState: IN_PROGRESS, delayMs: 1000 });
    },
  );

  it('stops with CANCEL_REQUESTED when cancellation was requested, before any other check', () => {
    const expected = { retryState: RetryState.RETRY_STATE_CANCEL_REQUESTED, delayMs: 0 };
    assert.deepEqual(decideRetry(policy(), 1, appFailure(), NOW, 0, true), expected);
    assert.deepEqual(decideRetry(policy({ maximumAttempts: 1 }), 1, appFailure({ nonRetryable: true }), NOW, 0, true), expected);
  });

  it('retries start-to-close and heartbeat timeouts, but not schedule-to-start or schedule-to-close', () => {
    assert.equal(decideRetry(policy(), 1, timeoutFailure(TimeoutType.TIMEOUT_TYPE_START_TO_CLOSE), NOW, 0).retryState, IN_PROGRESS);
    assert.equal(decideRetry(policy(), 1, timeoutFailure(TimeoutType.TIMEOUT_TYPE_HEARTBEAT), NOW, 0).retryState, IN_PROGRESS);
    assert.equal(
      decideRetry(policy(), 1, timeoutFailure(TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START), NOW, 0).retryState,
      RetryState.RETRY_STATE_NON_RETRYABLE_FAILURE,
    );
    assert.equal(
      decideRetry(policy(), 1, timeoutFailure(TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_CLOSE), NOW, 0).retryState,
      RetryState.RETRY_STATE_NON_RETRYABLE_FAILURE,
    );
  });

  it('honours TemporalTimeout:<type> entries in nonRetryableErrorTypes', () => {
    const p = policy({ nonRetryableErrorTypes: ['TemporalTimeout:StartToClose'] });
    assert.equal(
      decideRetry(p, 1, timeoutFailure(TimeoutType.TIMEOUT_TYPE_START_TO_CLOSE), NOW, 0).retryState,
      RetryState.RETRY_STATE_NON_RETRYABLE_FAILURE,
    );
    assert.equal(decideRetry(p, 1, timeoutFailure(TimeoutType.TIMEOUT_TYPE_HEARTBEAT), NOW, 0).retryState, IN_PROGRESS);
    const h = policy({ nonRetryableErrorTypes: ['TemporalTimeout:Heartbeat'] });
    assert.equal(decideRetry(h, 1, timeoutFailure(TimeoutType.TIMEOUT_TYPE_HEARTBEAT), NOW, 0).retryState, RetryState.RETRY_STATE_NON_RETRYABLE_FAILURE);
    assert.equal(decideRetry(h, 1, timeoutFailure(TimeoutType.TIMEOUT_TYPE_START_TO_CLOSE), NOW, 0).retryState, IN_PROGRESS);
  });
});
