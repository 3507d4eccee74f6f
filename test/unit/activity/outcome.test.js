// How an activity's end maps to what the worker reports (the official worker's rules), and the
// decoded failures a workflow would see.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ApplicationFailure,
  CancelledFailure,
  CompleteAsyncError,
  defaultDataConverter,
  defaultFailureConverter,
  defaultPayloadConverter,
} from '../../../dist/common/index.js';
import { ActivityCancellationDetails } from '../../../dist/activity/index.js';
import { completedOutcome, errorOutcome, WORKER_SHUTDOWN_FAILURE } from '../../../dist/worker/activity/outcome.js';

const ctx = { type: 'activity', namespace: 'default', activityId: 'a', workflowId: 'w', isLocal: false };
const notCancelled = { reason: undefined, details: undefined };
const cancelledWith = (reason, opts) => ({ reason, details: opts ? new ActivityCancellationDetails(opts) : ActivityCancellationDetails.fromReason(reason) });
const decode = (failure) => defaultFailureConverter.failureToError(failure, defaultPayloadConverter);

describe('errorOutcome', () => {
  it('CompleteAsyncError → nothing to report', async () => {
    assert.deepEqual(await errorOutcome(new CompleteAsyncError(), notCancelled, defaultDataConverter, ctx), { kind: 'willCompleteAsync' });
  });

  it('a plain Error → a retryable ApplicationFailure whose type is the class name', async () => {
    class PaymentDeclined extends Error {}
    const outcome = await errorOutcome(new PaymentDeclined('card declined'), notCancelled, defaultDataConverter, ctx);
    assert.equal(outcome.kind, 'failed');
    assert.equal(outcome.failure.applicationFailureInfo.type, 'PaymentDeclined');
    assert.equal(outcome.failure.applicationFailureInfo.nonRetryable, false);
    assert.equal(outcome.failure.message, 'card declined');
    assert.match(outcome.failure.stackTrace, /card declined/);
  });

  it('an ApplicationFailure keeps its type, details, nonRetryable and nextRetryDelay', async () => {
    const error = ApplicationFailure.create({ message: 'bad', type: 'Validation', nonRetryable: true, details: [{ field: 'x' }, 2], nextRetryDelay: '3s' });
    const outcome = await errorOutcome(error, notCancelled, defaultDataConverter, ctx);
    const decoded = decode(outcome.failure);
    assert.ok(decoded instanceof ApplicationFailure);
    assert.equal(decoded.type, 'Validation');
    assert.equal(decoded.nonRetryable, true);
    assert.deepEqual(decoded.details, [{ field: 'x' }, 2]);
    assert.equal(decoded.nextRetryDelay, 3000);
  });

  it('a thrown non-Error still fails the activity', async () => {
    const outcome = await errorOutcome('just a string', notCancelled, defaultDataConverter, ctx);
    assert.equal(outcome.kind, 'failed');
    assert.match(outcome.failure.message, /just a string/);
  });

  it('a CancelledFailure without a cancellation is an ordinary failure', async () => {
    const outcome = await errorOutcome(new CancelledFailure('by hand'), notCancelled, defaultDataConverter, ctx);
    assert.equal(outcome.kind, 'failed');
  });

  it('a CancelledFailure after cancellation → cancelled, with its details and no stack trace', async () => {
    const outcome = await errorOutcome(new CancelledFailure('CANCELLED', ['cleaned up']), cancelledWith('CANCELLED'), defaultDataConverter, ctx);
    assert.equal(outcome.kind, 'cancelled');
    assert.equal(outcome.failure.stackTrace, '');
    const decoded = decode(outcome.failure);
    assert.ok(decoded instanceof CancelledFailure);
    assert.deepEqual(decoded.details, ['cleaned up']);
  });

  it('an AbortError after cancellation → cancelled', async () => {
    const abort = new DOMException('aborted', 'AbortError');
    const outcome = await errorOutcome(abort, cancelledWith('CANCELLED'), defaultDataConverter, ctx);
    assert.equal(outcome.kind, 'cancelled');
    assert.deepEqual(outcome.failure.canceledFailureInfo, {});
  });

  it('reset and pause become failures of type ActivityReset / ActivityPause (reset first)', async () => {
    const reset = await errorOutcome(new CancelledFailure('RESET'), cancelledWith('RESET', { reset: true, paused: true }), defaultDataConverter, ctx);
    assert.equal(reset.kind, 'failed');
    assert.equal(reset.failure.applicationFailureInfo.type, 'ActivityReset');
    assert.equal(reset.failure.message, 'Activity reset');
    const paused = await errorOutcome(new CancelledFailure('PAUSED'), cancelledWith('PAUSED'), defaultDataConverter, ctx);
    assert.equal(paused.failure.applicationFailureInfo.type, 'ActivityPause');
  });

  it('unconvertible heartbeat details → a retryable failure whatever was thrown', async () => {
    const outcome = await errorOutcome(new Error('x'), cancelledWith('HEARTBEAT_DETAILS_CONVERSION_FAILED', {}), defaultDataConverter, ctx);
    assert.equal(outcome.kind, 'failed');
    assert.equal(outcome.failure.message, 'HEARTBEAT_DETAILS_CONVERSION_FAILED');
    assert.equal(outcome.failure.applicationFailureInfo.type, 'CancelledFailure');
    assert.equal(outcome.failure.applicationFailureInfo.nonRetryable, false);
  });

  it('codecs encode failure details', async () => {
    const codec = {
      encode: async (ps) => ps.map((p) => ({ ...p, metadata: { ...p.metadata, codec: new Uint8Array([1]) } })),
      decode: async (ps) => ps,
    };
    const converter = { ...defaultDataConverter, payloadCodecs: [codec] };
    const outcome = await errorOutcome(ApplicationFailure.retryable('m', 'T', 'detail'), notCancelled, converter, ctx);
    assert.ok(outcome.failure.applicationFailureInfo.details.payloads[0].metadata.codec);
  });
});

describe('completedOutcome', () => {
  it('converts and encodes the result', async () => {
    const outcome = await completedOutcome({ ok: 1 }, defaultDataConverter, ctx);
    assert.equal(outcome.kind, 'completed');
    assert.deepEqual(defaultPayloadConverter.fromPayload(outcome.result), { ok: 1 });
  });

  it('undefined becomes a binary/null payload', async () => {
    const outcome = await completedOutcome(undefined, defaultDataConverter, ctx);
    assert.equal(Buffer.from(outcome.result.metadata.encoding).toString(), 'binary/null');
  });
});

describe('WORKER_SHUTDOWN_FAILURE', () => {
  it("is the official Core SDK's retryable WorkerShutdown failure", () => {
    assert.equal(WORKER_SHUTDOWN_FAILURE.message, 'Worker is shutting down and this activity did not complete in time');
    assert.deepEqual(WORKER_SHUTDOWN_FAILURE.applicationFailureInfo, { type: 'WorkerShutdown', nonRetryable: false });
  });
});
