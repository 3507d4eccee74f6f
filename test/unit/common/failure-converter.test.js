// Failure conversion: our DefaultFailureConverter against @temporalio/common's, on the wire (encoded
// protobuf bytes) and structurally, in both directions, with and without encodeCommonAttributes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as official from '@temporalio/common';
import proto from '@temporalio/proto';
import * as ours from '../../../dist/common/index.js';

const { Failure } = proto.temporal.api.failure.v1;
const STACK = 'Error: stack line\n    at userCode (/app/src/activities.js:10:5)\n    at async run (/app/src/main.js:3:1)';

/** Gives an error tree the same stack on every level so both converters see identical inputs. */
function withStacks(err, i = 0) {
  if (err instanceof Error || (err && typeof err === 'object' && 'stack' in err)) {
    err.stack = `${STACK}\n    at level${i} (/x.js:1:1)`;
    if (err.cause && typeof err.cause === 'object') withStacks(err.cause, i + 1);
  }
  return err;
}

/** Builds the same error with either library's classes (`lib` = ours or official). */
const CASES = {
  'plain Error with cause chain': () => {
    const root = new TypeError('root cause');
    const mid = new Error('middle', { cause: root });
    return new Error('top level', { cause: mid });
  },
  'Error with a string cause': () => new Error('has string cause', { cause: 'just a string' }),
  'ApplicationFailure.create with everything': (lib) =>
    lib.ApplicationFailure.create({
      message: 'card declined',
      type: 'PaymentError',
      nonRetryable: true,
      details: [{ code: 402 }, 'second', [1, 2, 3]],
      nextRetryDelay: '1.5s',
      category: 'BENIGN',
      cause: new Error('gateway said no'),
    }),
  'ApplicationFailure.retryable': (lib) => lib.ApplicationFailure.retryable('busy', undefined, { retryIn: 5 }),
  'ApplicationFailure.nonRetryable': (lib) => lib.ApplicationFailure.nonRetryable('invalid', 'ValidationError'),
  'ApplicationFailure with numeric nextRetryDelay': (lib) =>
    lib.ApplicationFailure.create({ message: 'later', nextRetryDelay: 2500 }),
  ActivityFailure: (lib) =>
    new lib.ActivityFailure(
      'Activity task failed',
      'chargeCard',
      'act-1',
      'MAXIMUM_ATTEMPTS_REACHED',
      'worker@host',
      lib.ApplicationFailure.create({ message: 'inner', type: 'Inner', details: ['d'] })
    ),
  ChildWorkflowFailure: (lib) =>
    new lib.ChildWorkflowFailure(
      'default',
      { workflowId: 'child-1', runId: 'run-1' },
      'childWorkflow',
      'NON_RETRYABLE_FAILURE',
      new lib.TerminatedFailure('terminated by operator')
    ),
  CancelledFailure: (lib) => new lib.CancelledFailure('cancelled', ['why', 42]),
  'CancelledFailure without details': (lib) => new lib.CancelledFailure('cancelled'),
  TerminatedFailure: (lib) => new lib.TerminatedFailure('terminated'),
  TimeoutFailure: (lib) => new lib.TimeoutFailure('heartbeat timeout', { progress: 50 }, 'HEARTBEAT'),
  'TimeoutFailure without details': (lib) => new lib.TimeoutFailure('timed out', undefined, 'START_TO_CLOSE'),
  ServerFailure: (lib) => new lib.ServerFailure('server says no', true),
  TemporalFailure: (lib) => new lib.TemporalFailure('base failure', new Error('c')),
};

const NON_ERRORS = {
  string: 'thrown string',
  object: { reason: 'object thrown', n: 1 },
  number: 42,
  undefined: undefined,
  null: null,
};

const toBytes = (failure) => Buffer.from(Failure.encode(failure).finish()).toString('hex');

function strip(value) {
  if (value === undefined || value === null) return value;
  if (value instanceof Uint8Array) return `bytes:${Buffer.from(value).toString('hex')}`;
  if (typeof value?.toNumber === 'function' && 'low' in value) return `long:${value.toString()}`;
  if (Array.isArray(value)) return value.map(strip);
  if (typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, strip(v)])
    );
  }
  return value;
}

function buildPair(name) {
  const make = CASES[name];
  return [withStacks(make(ours)), withStacks(make(official))];
}

/** Fields compared between decoded errors (ours vs the official decode of the same failure). */
function describeError(err) {
  if (err === undefined) return undefined;
  const out = { name: err.name, message: err.message, stack: err.stack };
  for (const key of [
    'type', 'nonRetryable', 'details', 'category', 'timeoutType', 'lastHeartbeatDetails', 'retryState',
    'activityType', 'activityId', 'identity', 'namespace', 'workflowType',
  ]) {
    if (err[key] !== undefined) out[key] = err[key];
  }
  if (err.execution) out.execution = { workflowId: err.execution.workflowId, runId: err.execution.runId };
  out.cause = describeError(err.cause);
  return out;
}

for (const encodeCommonAttributes of [false, true]) {
  const oursConv = new ours.DefaultFailureConverter({ encodeCommonAttributes });
  const theirConv = new official.DefaultFailureConverter({ encodeCommonAttributes });
  const pc = ours.defaultPayloadConverter;
  const tpc = official.defaultPayloadConverter;

  describe(`errorToFailure equals the official output (encodeCommonAttributes=${encodeCommonAttributes})`, () => {
    for (const name of Object.keys(CASES)) {
      it(`${name}: same wire bytes and same structure`, () => {
        const [mine, theirsErr] = buildPair(name);
        const a = oursConv.errorToFailure(mine, pc);
        const b = theirConv.errorToFailure(theirsErr, tpc);
        assert.equal(toBytes(a), toBytes(b));
        // Structural: the official converter also spreads non-proto fields (cause, failure, execution)
        // into activity/child infos; compare through a protobuf round trip for those two.
        if (name === 'ActivityFailure' || name === 'ChildWorkflowFailure') {
          assert.deepEqual(strip(Failure.toObject(Failure.decode(Failure.encode(a).finish()))), strip(Failure.toObject(Failure.decode(Failure.encode(b).finish()))));
        } else {
          assert.deepEqual(strip(a), strip(b));
        }
      });
    }
    for (const [label, value] of Object.entries(NON_ERRORS)) {
      it(`non-Error thrown value (${label})`, () => {
        assert.deepEqual(strip(oursConv.errorToFailure(value, pc)), strip(theirConv.errorToFailure(value, tpc)));
      });
    }
  });

  describe(`official failures decode into our classes (encodeCommonAttributes=${encodeCommonAttributes})`, () => {
    for (const name of Object.keys(CASES)) {
      it(`${name}`, () => {
        const [, theirsErr] = buildPair(name);
        const wire = Failure.decode(Failure.encode(theirConv.errorToFailure(theirsErr, tpc)).finish());
        const mine = oursConv.failureToError(wire, pc);
        const expected = theirConv.failureToError(wire, tpc);
        assert.ok(mine instanceof ours.TemporalFailure);
        assert.equal(mine.constructor.name, expected.constructor.name);
        assert.deepEqual(describeError(mine), describeError(expected));
        assert.equal(mine.failure.message, expected.failure.message);
      });
    }
  });

  describe(`our failures decode with the official converter (encodeCommonAttributes=${encodeCommonAttributes})`, () => {
    for (const name of Object.keys(CASES)) {
      it(`${name}`, () => {
        const [mine] = buildPair(name);
        const wire = Failure.decode(Failure.encode(oursConv.errorToFailure(mine, pc)).finish());
        const decodedByThem = theirConv.failureToError(wire, tpc);
        const decodedByUs = oursConv.failureToError(wire, pc);
        assert.ok(decodedByThem instanceof official.TemporalFailure);
        assert.deepEqual(describeError(decodedByUs), describeError(decodedByThem));
      });
    }
  });
}

describe('round trips through our converter', () => {
  const conv = new ours.DefaultFailureConverter();
  const pc = ours.defaultPayloadConverter;
  const roundTrip = (err) => conv.failureToError(Failure.decode(Failure.encode(conv.errorToFailure(err, pc)).finish()), pc);

  it('ApplicationFailure keeps every field, including nextRetryDelay (as ms) and category', () => {
    const err = roundTrip(withStacks(CASES['ApplicationFailure.create with everything'](ours)));
    assert.ok(err instanceof ours.ApplicationFailure);
    assert.equal(err.message, 'card declined');
    assert.equal(err.type, 'PaymentError');
    assert.equal(err.nonRetryable, true);
    assert.deepEqual(err.details, [{ code: 402 }, 'second', [1, 2, 3]]);
    assert.equal(err.nextRetryDelay, 1500);
    assert.equal(err.category, 'BENIGN');
    assert.ok(err.cause instanceof ours.TemporalFailure);
    assert.equal(err.cause.message, 'gateway said no');
    assert.match(err.stack, /at userCode/);
  });

  it('every failure class comes back as the same class with the same fields', () => {
    for (const name of Object.keys(CASES)) {
      const original = withStacks(CASES[name](ours));
      const back = roundTrip(original);
      assert.equal(back.name, name.startsWith('plain') || name.startsWith('Error') ? 'TemporalFailure' : original.name, name);
      assert.equal(back.stack, original.stack, `${name}: stack`);
    }
    const timeout = roundTrip(new ours.TimeoutFailure('t', { progress: 1 }, 'HEARTBEAT'));
    assert.deepEqual([timeout.timeoutType, timeout.lastHeartbeatDetails], ['HEARTBEAT', { progress: 1 }]);
    const child = roundTrip(CASES.ChildWorkflowFailure(ours));
    assert.equal(child.retryState, 'NON_RETRYABLE_FAILURE');
    assert.ok(child.cause instanceof ours.TerminatedFailure);
    const activity = roundTrip(CASES.ActivityFailure(ours));
    assert.deepEqual([activity.activityType, activity.activityId, activity.identity], ['chargeCard', 'act-1', 'worker@host']);
    assert.deepEqual(activity.cause.details, ['d']);
  });

  it('a decoded failure re-encodes to its original message (lossless pass-through)', () => {
    const wire = conv.errorToFailure(new ours.ServerFailure('s', false), pc);
    const err = conv.failureToError(wire, pc);
    assert.equal(conv.errorToFailure(err, pc), err.failure);
  });

  it('encodeCommonAttributes writes the official json/plain {message, stack_trace} payload', () => {
    const enc = new ours.DefaultFailureConverter({ encodeCommonAttributes: true });
    const err = withStacks(new Error('secret'));
    const failure = enc.errorToFailure(err, pc);
    assert.equal(failure.message, 'Encoded failure');
    assert.equal(failure.stackTrace, '');
    assert.equal(new TextDecoder().decode(failure.encodedAttributes.metadata.encoding), 'json/plain');
    assert.deepEqual(JSON.parse(new TextDecoder().decode(failure.encodedAttributes.data)), {
      message: 'secret',
      stack_trace: err.stack,
    });
    // A converter without the option still decodes it.
    const back = conv.failureToError(failure, pc);
    assert.equal(back.message, 'secret');
    assert.equal(back.stack, err.stack);
  });

  it('ignores encodedAttributes that are not an object', () => {
    const failure = { message: 'plain', encodedAttributes: pc.toPayload('not an object') };
    assert.equal(conv.failureToError(failure, pc).message, 'plain');
  });

  it('reports malformed activity and child failures', () => {
    assert.throws(() => conv.failureToError({ activityFailureInfo: {} }, pc), /Missing activityType\?\.name/);
    assert.throws(() => conv.failureToError({ childWorkflowExecutionFailureInfo: {} }, pc), /childWorkflowExecutionFailureInfo/);
  });

  it('decodes server-sent failure kinds: reset workflow and a timeout with a cause', () => {
    const reset = conv.failureToError({ message: 'reset', resetWorkflowFailureInfo: { lastHeartbeatDetails: { payloads: [pc.toPayload(7)] } } }, pc);
    assert.deepEqual([reset.name, reset.type, reset.details], ['ApplicationFailure', 'ResetWorkflow', [7]]);
    const timeout = conv.failureToError(
      { message: 'activity timeout', timeoutFailureInfo: { timeoutType: 3 }, cause: { message: 'last attempt', applicationFailureInfo: { type: 'X' } } },
      pc
    );
    assert.equal(timeout.timeoutType, 'SCHEDULE_TO_CLOSE');
    assert.equal(timeout.cause.message, 'last attempt');
  });

  it('keeps stacks of errors whose message contains "unknown" (the official converter empties them)', () => {
    const err = withStacks(new Error('unknown user id'));
    assert.equal(conv.errorToFailure(err, pc).stackTrace, err.stack);
  });

  it('cuts stacks at the user-code boundary marker', () => {
    const stack = `Error: x\n    at userFn (/app/a.js:1:1)\n    at ${ours.STACK_TRACE_CUTOFF_MARKER} (/dist/worker/activity.js:9:9)\n    at internal (/dist/worker/x.js:1:1)`;
    assert.equal(ours.cutoffStackTrace(stack), 'Error: x\n    at userFn (/app/a.js:1:1)');
    assert.equal(ours.cutoffStackTrace(undefined), '');
  });
});

describe('failure helpers', () => {
  it('ensureApplicationFailure wraps errors like the official helper', () => {
    class MyError extends Error {}
    const err = new MyError('mine', { cause: new Error('why') });
    const mine = ours.ensureApplicationFailure(err);
    const theirs = official.ensureApplicationFailure(err);
    assert.deepEqual([mine.message, mine.type, mine.nonRetryable, mine.stack], [theirs.message, theirs.type, theirs.nonRetryable, theirs.stack]);
    assert.equal(mine.cause, err.cause);
    assert.equal(ours.ensureApplicationFailure('str').message, 'str');
    const already = ours.ApplicationFailure.create({ message: 'x' });
    assert.equal(ours.ensureApplicationFailure(already), already);
    assert.equal(ours.ensureTemporalFailure(new ours.CancelledFailure('c')).name, 'CancelledFailure');
  });

  it('ApplicationFailure.fromError applies overrides', () => {
    const f = ours.ApplicationFailure.fromError(new RangeError('r'), { nonRetryable: true, type: 'Custom' });
    assert.deepEqual([f.message, f.type, f.nonRetryable], ['r', 'Custom', true]);
  });

  it('rootCause walks the cause chain', () => {
    const err = new ours.ActivityFailure('a', 't', 'id', 'TIMEOUT', 'me', ours.ApplicationFailure.create({ message: 'deep', cause: new Error('deepest') }));
    assert.equal(ours.rootCause(err), 'deepest');
    assert.equal(ours.rootCause('s'), 's');
    assert.equal(ours.rootCause(42), undefined);
  });

  it('isCancellation recognises cancellations and wrapped cancellations', () => {
    const cancelled = new ours.CancelledFailure('c');
    assert.equal(ours.isCancellation(cancelled), true);
    assert.equal(ours.isCancellation(new ours.ActivityFailure('a', 't', 'i', 'CANCEL_REQUESTED', undefined, cancelled)), true);
    assert.equal(ours.isCancellation(new ours.ChildWorkflowFailure('ns', { workflowId: 'w' }, 't', 'CANCEL_REQUESTED', cancelled)), true);
    assert.equal(ours.isCancellation(new ours.ActivityFailure('a', 't', 'i', 'TIMEOUT', undefined, new Error('x'))), false);
    assert.equal(ours.isCancellation(new Error('x')), false);
    // Official cancellations count too (shared brand).
    assert.equal(ours.isCancellation(new official.CancelledFailure('theirs')), true);
  });

  it('createPayloadValidationError matches the official shape', () => {
    const f = ours.createPayloadValidationError({ field: 'x' });
    assert.deepEqual([f.message, f.type, f.nonRetryable, f.details], ['Payload validation failed', 'PayloadValidationError', true, [{ field: 'x' }]]);
    assert.deepEqual(ours.createPayloadValidationError(null).details, []);
  });

  it('enum converters match the proto numbers', () => {
    const { TimeoutType, RetryState, ApplicationErrorCategory } = proto.temporal.api.enums.v1;
    assert.equal(ours.encodeTimeoutType('HEARTBEAT'), TimeoutType.TIMEOUT_TYPE_HEARTBEAT);
    assert.equal(ours.encodeTimeoutType('TIMEOUT_TYPE_START_TO_CLOSE'), TimeoutType.TIMEOUT_TYPE_START_TO_CLOSE);
    assert.equal(ours.decodeRetryState(RetryState.RETRY_STATE_CANCEL_REQUESTED), 'CANCEL_REQUESTED');
    assert.equal(ours.decodeRetryState(0), undefined);
    assert.equal(ours.decodeRetryState(99), 'unknown_99');
    assert.equal(ours.decodeRetryState('RETRY_STATE_TIMEOUT'), 'TIMEOUT');
    assert.equal(ours.encodeApplicationFailureCategory('BENIGN'), ApplicationErrorCategory.APPLICATION_ERROR_CATEGORY_BENIGN);
    assert.throws(() => ours.encodeTimeoutType('SOMETIMES'), (err) => err instanceof ours.ValueError && /SOMETIMES/.test(err.message));
  });
});
