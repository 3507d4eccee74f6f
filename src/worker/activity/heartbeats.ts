/**
 * One activity's heartbeats: converts the details, throttles, sends RecordActivityTaskHeartbeat and
 * turns the server's answer into cancellation (cancel requested, paused, reset, or NOT_FOUND).
 *
 * @module
 */
import { ActivityCancellationDetails } from '../../common/activity-cancellation.js';
import type { CancelReason } from '../../common/activity-cancellation.js';
import type { LoadedDataConverter } from '../../common/data-converter.js';
import type { Logger } from '../../common/logger.js';
import { encodePayloads } from '../../common/payload-codec.js';
import type { Payload } from '../../common/proto-types.js';
import type { ActivitySerializationContext } from '../../common/serialization-context.js';
import { HeartbeatThrottle } from './heartbeat-throttle.js';
import type { Clock } from './heartbeat-throttle.js';
import { grpcCodeName, grpcCode, isNotFound } from './rpc.js';
import type { RecordActivityTaskHeartbeatResponse, WorkflowService } from './rpc.js';

/** What {@link ActivityHeartbeats} needs from its execution. */
export interface ActivityHeartbeatsOptions {
  service: WorkflowService;
  namespace: string;
  identity: string;
  taskToken: Uint8Array;
  converter: LoadedDataConverter;
  context: ActivitySerializationContext;
  intervalMs: number;
  clock: Clock;
  logger: Logger;
  /** Cancels the activity (the execution ignores all but the first cancel). */
  cancel(reason: CancelReason, details: ActivityCancellationDetails): void;
  /** Called after each heartbeat call, answered or not (resets the local heartbeat timeout). */
  onReported(): void;
}

/** The cancellation a heartbeat response asks for, if any: cancel beats reset beats pause. */
export function cancellationFromResponse(
  response: RecordActivityTaskHeartbeatResponse
): { reason: CancelReason; details: ActivityCancellationDetails } | undefined {
  const cancelRequested = Boolean(response.cancelRequested);
  const paused = Boolean(response.activityPaused);
  const reset = Boolean(response.activityReset);
  if (!cancelRequested && !paused && !reset) return undefined;
  const reason: CancelReason = cancelRequested ? 'CANCELLED' : reset ? 'RESET' : 'PAUSED';
  return { reason, details: new ActivityCancellationDetails({ cancelRequested, paused, reset }) };
}

/**
 * Heartbeats of one activity execution.
 *
 * @example
 * ```ts
 * const heartbeats = new ActivityHeartbeats({ service, namespace, identity, taskToken, ... });
 * heartbeats.record({ progress: 3 });
 * await heartbeats.flush();
 * heartbeats.close();
 * ```
 */
export class ActivityHeartbeats {
  private readonly throttle: HeartbeatThrottle<Payload>;
  private last: Payload | undefined;

  constructor(private readonly options: ActivityHeartbeatsOptions) {
    this.throttle = new HeartbeatThrottle({ intervalMs: options.intervalMs, send: (p) => this.send(p), clock: options.clock });
  }

  /**
   * Records a heartbeat. Details that the payload converter rejects cancel the activity with
   * `HEARTBEAT_DETAILS_CONVERSION_FAILED`, as in the official SDK.
   */
  record(details: unknown): void {
    let payload: Payload;
    try {
      payload = this.options.converter.payloadConverter.toPayload(details, this.options.context);
    } catch (error) {
      this.conversionFailed(error);
      return;
    }
    this.last = payload;
    this.throttle.record(payload);
  }

  /** The latest recorded details, encoded by the codecs, for a failure report; `undefined` if none. */
  async lastDetailsEncoded(): Promise<Payload[] | undefined> {
    if (this.last === undefined) return undefined;
    try {
      return await encodePayloads(this.options.converter.payloadCodecs, [this.last], this.options.context);
    } catch {
      return undefined;
    }
  }

  /** Sends the pending heartbeat now and waits for sends in progress. */
  flush(): Promise<void> {
    return this.throttle.flush();
  }

  /** Stops sending (pending details are dropped); resolves when the send in progress has finished. */
  close(): Promise<void> {
    return this.throttle.close();
  }

  private conversionFailed(error: unknown): void {
    this.options.logger.warn('Failed to encode heartbeat details, cancelling Activity', { error });
    this.options.cancel('HEARTBEAT_DETAILS_CONVERSION_FAILED', new ActivityCancellationDetails());
  }

  private async send(payload: Payload): Promise<void> {
    const { service, namespace, identity, taskToken, converter, context } = this.options;
    let payloads: Payload[];
    try {
      payloads = await encodePayloads(converter.payloadCodecs, [payload], context);
    } catch (error) {
      this.conversionFailed(error);
      return;
    }
    try {
      const response = await service.recordActivityTaskHeartbeat({ namespace, identity, taskToken, details: { payloads } });
      const cancellation = cancellationFromResponse(response);
      if (cancellation) this.options.cancel(cancellation.reason, cancellation.details);
    } catch (error) {
      if (isNotFound(error)) {
        this.options.logger.debug('Activity not found when recording heartbeat');
        this.options.cancel('NOT_FOUND', ActivityCancellationDetails.fromReason('NOT_FOUND'));
      } else {
        this.options.logger.warn(`Error when recording heartbeat (${grpcCodeName(grpcCode(error))})`, { error });
      }
    } finally {
      this.options.onReported();
    }
  }
}
