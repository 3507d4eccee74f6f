// Retry policies: compiled form equals the official one; validation messages name the field.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as official from '@temporalio/common';
import proto from '@temporalio/proto';
import { compileRetryPolicy, decompileRetryPolicy, ValueError } from '../../../dist/common/index.js';

const { RetryPolicy } = proto.temporal.api.common.v1;
const wire = (p) => Buffer.from(RetryPolicy.encode(p).finish()).toString('hex');
/** Long → string: ours (ESM build of `long`) and theirs (its CommonJS build) are distinct classes. */
const plain = (v) => JSON.parse(JSON.stringify(v, (_k, x) => (x && typeof x === 'object' && 'low' in x ? String(x) : x)));

const VALID = [
  {},
  { initialInterval: '1s' },
  { initialInterval: 250, backoffCoefficient: 1.5, maximumInterval: '1 minute', maximumAttempts: 5 },
  { maximumAttempts: Infinity, nonRetryableErrorTypes: ['ValidationError', 'PaymentError'] },
  { initialInterval: '1.5s', maximumInterval: '1.5s' },
  { initialInterval: '2 days', backoffCoefficient: 2 },
];

describe('compileRetryPolicy', () => {
  for (const policy of VALID) {
    it(`matches the official output for ${JSON.stringify(policy)}`, () => {
      const ours = compileRetryPolicy(policy);
      const theirs = official.compileRetryPolicy(policy);
      assert.equal(wire(ours), wire(theirs));
      assert.deepEqual(plain(ours), plain(theirs));
      assert.deepEqual(Object.keys(ours).sort(), Object.keys(theirs).sort());
    });
  }

  const INVALID = [
    [{ backoffCoefficient: 0 }, 'RetryPolicy.backoffCoefficient must be greater than 0'],
    [{ backoffCoefficient: -1 }, 'RetryPolicy.backoffCoefficient must be greater than 0'],
    [{ maximumAttempts: 0 }, 'RetryPolicy.maximumAttempts must be a positive integer'],
    [{ maximumAttempts: -3 }, 'RetryPolicy.maximumAttempts must be a positive integer'],
    [{ maximumAttempts: 1.5 }, 'RetryPolicy.maximumAttempts must be an integer'],
    [{ maximumInterval: 0 }, 'RetryPolicy.maximumInterval cannot be 0'],
    [{ initialInterval: 0 }, 'RetryPolicy.initialInterval cannot be 0'],
    [{ initialInterval: '10s', maximumInterval: '1s' }, 'RetryPolicy.maximumInterval cannot be less than its initialInterval'],
  ];
  for (const [policy, message] of INVALID) {
    it(`rejects ${JSON.stringify(policy)} with the official message`, () => {
      assert.throws(() => compileRetryPolicy(policy), (err) => err instanceof ValueError && err.message === message);
      assert.throws(() => official.compileRetryPolicy(policy), { message });
    });
  }

  it('names the field for invalid durations and types', () => {
    assert.throws(() => compileRetryPolicy({ initialInterval: 'soon' }), /RetryPolicy\.initialInterval is invalid: Invalid duration string: 'soon'/);
    assert.throws(() => compileRetryPolicy({ maximumInterval: 'later' }), /RetryPolicy\.maximumInterval is invalid/);
    assert.throws(() => compileRetryPolicy({ backoffCoefficient: 'two' }), /RetryPolicy\.backoffCoefficient must be a number/);
    assert.throws(() => compileRetryPolicy({ nonRetryableErrorTypes: 'Oops' }), /RetryPolicy\.nonRetryableErrorTypes must be an array of strings/);
    assert.throws(() => compileRetryPolicy({ initialInterval: -5 }), /RetryPolicy\.initialInterval cannot be negative/);
  });
});

describe('decompileRetryPolicy', () => {
  it('inverts compileRetryPolicy like the official helper, also from a decoded protobuf', () => {
    for (const policy of VALID) {
      const compiled = compileRetryPolicy(policy);
      assert.deepEqual(decompileRetryPolicy(compiled), official.decompileRetryPolicy(compiled));
      const decoded = RetryPolicy.decode(RetryPolicy.encode(compiled).finish());
      assert.deepEqual(decompileRetryPolicy(decoded), official.decompileRetryPolicy(decoded));
    }
    assert.equal(decompileRetryPolicy(null), undefined);
    assert.deepEqual(decompileRetryPolicy(compileRetryPolicy({ initialInterval: '1.5s', maximumAttempts: 3 })), {
      backoffCoefficient: undefined,
      maximumAttempts: 3,
      maximumInterval: undefined,
      initialInterval: 1500,
      nonRetryableErrorTypes: undefined,
    });
  });
});
