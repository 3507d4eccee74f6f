/**
 * Reporting an activity's outcome to the server: RespondActivityTaskCompleted / Failed / Canceled,
 * with the official Core SDK's rules for heartbeats and shutdown.
 *
 * @module
 */
import type { CancelReason } from '../../common/activity-cancellation.js';
import type { Logger } from '../../common/logger.js';
import type { Payload } from '../../common/proto-types.js';
import type { ActivityHeartbeats } from './heartbeats.js';
import { WORKER_SHUTDOWN_FAILURE } from './outcome.js';
import type { ActivityOutcome } from './outcome.js';
import { grpcCode, grpcCodeName, isNotFound } from './rpc.js';
import type { WorkflowService } from './rpc.js';

/** Who reports, for which task. */
export interface RespondTarget {
  service: WorkflowService;
  namespace: string;
  identity: string;
  taskToken: Uint8Array;
  logger: Logger;
}

/** The heartbeat side of an execution at report time, and why it was cancelled (if it was). */
export interface RespondState {
  heartbeats?: ActivityHeartbeats;
  cancelReason?: CancelReason;
}

async function lastHeartbeatDetails(heartbeats: ActivityHeartbeats | undefined): Promise<{ payloads: Payload[] } | undefined> {
  const payloads = await heartbeats?.lastDetailsEncoded();
  return payloads ? { payloads } : undefined;
}

/**
 * Sends the RPC for `outcome`:
 *
 * - completed → RespondActivityTaskCompleted (pending heartbeats are dropped);
 * - failed → RespondActivityTaskFailed carrying the last heartbeat details;
 * - cancelled because of a worker shutdown → RespondActivityTaskFailed with a retryable
 *   `WorkerShutdown` failure, so the server retries at once instead of waiting for a timeout;
 * - other cancellations → the pending heartbeat is flushed, then RespondActivityTaskCanceled with
 *   the `CancelledFailure`'s details;
 * - will complete async → nothing.
 *
 * Errors are logged, never thrown: NOT_FOUND means the server gave up on this attempt already.
 */
export async function respondActivityOutcome(target: RespondTarget, outcome: ActivityOutcome, state: RespondState): Promise<void> {
  const { service, namespace, identity, taskToken } = target;
  const { heartbeats, cancelReason } = state;
  try {
    switch (outcome.kind) {
      case 'willCompleteAsync':
        await heartbeats?.close();
        return;
      case 'completed':
        await heartbeats?.close();
        await service.respondActivityTaskCompleted({ namespace, identity, taskToken, result: { payloads: [outcome.result] } });
        return;
      case 'failed':
      case 'cancelled': {
        if (outcome.kind === 'cancelled' && cancelReason !== 'WORKER_SHUTDOWN') {
          await heartbeats?.flush();
          await heartbeats?.close();
          const details = outcome.failure.canceledFailureInfo?.details ?? undefined;
          await service.respondActivityTaskCanceled({ namespace, identity, taskToken, details });
          return;
        }
        const failure = outcome.kind === 'failed' ? outcome.failure : WORKER_SHUTDOWN_FAILURE;
        const details = await lastHeartbeatDetails(heartbeats);
        await heartbeats?.close();
        await service.respondActivityTaskFailed({ namespace, identity, taskToken, failure, lastHeartbeatDetails: details });
        return;
      }
    }
  } catch (error) {
    if (isNotFound(error)) {
      target.logger.warn(
        'Activity not found on completion. This may happen if the activity has already been cancelled but completed anyway.',
        { error }
      );
    } else {
      target.logger.warn(`Network error while completing activity (${grpcCodeName(grpcCode(error))})`, { error });
    }
  }
}
