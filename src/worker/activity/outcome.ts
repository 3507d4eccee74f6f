/**
 * How an activity execution ended, as the worker will report it: completed with a result, failed
 * with a failure, cancelled, or left for asynchronous completion. Mirrors the official worker's
 * mapping of results and thrown errors.
 *
 * @module
 */
import type { ActivityCancellationDetails, CancelReason } from '../../common/activity-cancellation.js';
import type { LoadedDataConverter } from '../../common/data-converter.js';
import { CompleteAsyncError } from '../../common/errors.js';
import { ApplicationFailure, CancelledFailure, ensureApplicationFailure, FAILURE_SOURCE } from '../../common/failure.js';
import { encodeFailure, encodePayloads } from '../../common/payload-codec.js';
import type { Payload, ProtoFailure } from '../../common/proto-types.js';
import type { ActivitySerializationContext } from '../../common/serialization-context.js';
import { isError } from '../../common/type-helpers.js';

/** An execution's end, with payloads and failures already encoded by the codecs. */
export type ActivityOutcome =
  | { kind: 'completed'; result: Payload }
  | { kind: 'failed'; failure: ProtoFailure }
  | { kind: 'cancelled'; failure: ProtoFailure }
  | { kind: 'willCompleteAsync' };

/** The failure the official Core SDK reports for an activity cancelled by a worker shutdown. */
export const WORKER_SHUTDOWN_FAILURE: ProtoFailure = {
  message: 'Worker is shutting down and this activity did not complete in time',
  source: '',
  stackTrace: '',
  applicationFailureInfo: { type: 'WorkerShutdown', nonRetryable: false },
};

/** The cancellation state of the execution when its function settled. */
export interface CancellationSnapshot {
  reason: CancelReason | undefined;
  details: ActivityCancellationDetails | undefined;
}

function isAbortError(error: unknown): boolean {
  return isError(error) && error.name === 'AbortError';
}

/** Converts and encodes an error into a failure message. */
export async function encodeError(
  error: unknown,
  converter: LoadedDataConverter,
  context: ActivitySerializationContext
): Promise<ProtoFailure> {
  const failure = converter.failureConverter.errorToFailure(error, converter.payloadConverter, context);
  return await encodeFailure(converter.payloadCodecs, failure, context);
}

/** Converts and encodes an activity's return value. */
export async function completedOutcome(
  value: unknown,
  converter: LoadedDataConverter,
  context: ActivitySerializationContext
): Promise<ActivityOutcome> {
  const payload = converter.payloadConverter.toPayload(value, context);
  const [result] = await encodePayloads(converter.payloadCodecs, [payload], context);
  if (!result) throw new TypeError('a payload codec returned no payload for the activity result');
  return { kind: 'completed', result };
}

/**
 * The outcome of an activity that threw `error`:
 *
 * - `CompleteAsyncError`: nothing is reported (the activity will be completed by token);
 * - after cancellation with `HEARTBEAT_DETAILS_CONVERSION_FAILED`: a retryable failure of that type;
 * - a `CancelledFailure` after cancellation: cancelled, unless the activity was reset or paused
 *   (then a failure of type `ActivityReset` / `ActivityPause`); an `AbortError` after cancellation:
 *   cancelled;
 * - anything else: failed, with non-`ApplicationFailure` errors converted to one (type = the
 *   error's class name).
 */
export async function errorOutcome(
  error: unknown,
  cancellation: CancellationSnapshot,
  converter: LoadedDataConverter,
  context: ActivitySerializationContext
): Promise<ActivityOutcome> {
  if (error instanceof CompleteAsyncError) return { kind: 'willCompleteAsync' };
  const fail = async (err: unknown): Promise<ActivityOutcome> => ({
    kind: 'failed',
    failure: await encodeError(ensureApplicationFailure(err), converter, context),
  });
  const { reason, details } = cancellation;
  if (reason === 'HEARTBEAT_DETAILS_CONVERSION_FAILED') return fail(ApplicationFailure.retryable(reason, 'CancelledFailure'));
  if (reason !== undefined && error instanceof CancelledFailure) {
    if (details?.reset) return fail(new ApplicationFailure('Activity reset', 'ActivityReset'));
    if (details?.paused) return fail(new ApplicationFailure('Activity paused', 'ActivityPause'));
    const failure = await encodeError(error, converter, context);
    return { kind: 'cancelled', failure: { ...failure, stackTrace: '' } };
  }
  if (reason !== undefined && isAbortError(error)) {
    return { kind: 'cancelled', failure: { source: FAILURE_SOURCE, canceledFailureInfo: {} } };
  }
  return fail(error);
}
