/**
 * AsyncCompletionClient: completes, fails, cancels and heartbeats activities from outside the
 * worker (after the activity threw `CompleteAsyncError`), by task token or by activity id.
 */
import { status as GrpcStatus } from '@grpc/grpc-js';
import { ensureTemporalFailure, markErrorClass, type DataConverter } from '../common/index.js';
import type { Connection } from './connection.js';
import { ClientDataConverter } from './data-conversion.js';
import { defaultIdentity } from './identity.js';
import { isGrpcServiceError, toClientError } from './workflow-client-errors.js';

/** The activity is not known to the server: a wrong token or id, or it already completed or timed out. */
export class ActivityNotFoundError extends Error {}
markErrorClass(ActivityNotFoundError, 'ActivityNotFoundError');

/** Completing, failing, cancelling or heartbeating the activity failed for another reason than not found. */
export class ActivityCompletionError extends Error {}
markErrorClass(ActivityCompletionError, 'ActivityCompletionError');

/** Thrown by `heartbeat` when the workflow asked to cancel the activity: report the cancellation. */
export class ActivityCancelledError extends Error {}
markErrorClass(ActivityCancelledError, 'ActivityCancelledError');

/** Thrown by `heartbeat` when the activity was paused. */
export class ActivityPausedError extends Error {}
markErrorClass(ActivityPausedError, 'ActivityPausedError');

/** Thrown by `heartbeat` when the activity was reset. */
export class ActivityResetError extends Error {}
markErrorClass(ActivityResetError, 'ActivityResetError');

/** An activity identified by its workflow and activity id (`runId` unset: the workflow's latest run). */
export interface FullActivityId {
  workflowId?: string;
  runId?: string;
  activityId: string;
}

/** Options of {@link AsyncCompletionClient} (and of `Client`). */
export interface AsyncCompletionClientOptions {
  connection: Connection;
  /** @default 'default' */
  namespace?: string;
  dataConverter?: DataConverter;
  /** @default `<pid>@<hostname>` */
  identity?: string;
}

type Target = { taskToken: Uint8Array } | { id: FullActivityId };

function targetOf(tokenOrId: unknown, method: string): Target {
  if (tokenOrId instanceof Uint8Array) {
    if (tokenOrId.length === 0) throw new TypeError(`${method}: the task token is empty`);
    return { taskToken: tokenOrId };
  }
  const id = tokenOrId as Partial<FullActivityId> | null | undefined;
  if (typeof id !== 'object' || id === null) {
    throw new TypeError(`${method} takes a task token (Uint8Array) or { workflowId, runId?, activityId }; got ${String(tokenOrId)}`);
  }
  if (typeof id.activityId !== 'string' || id.activityId.length === 0) throw new TypeError(`${method}: activityId must be a non-empty string`);
  for (const key of ['workflowId', 'runId'] as const) {
    if (id[key] !== undefined && (typeof id[key] !== 'string' || id[key] === '')) throw new TypeError(`${method}: ${key} must be a non-empty string when given`);
  }
  return { id: { workflowId: id.workflowId, runId: id.runId, activityId: id.activityId } };
}

function describeTarget(target: Target): string {
  if ('taskToken' in target) return 'activity (by task token)';
  const { workflowId, runId, activityId } = target.id;
  return `activity '${activityId}' of workflow '${workflowId ?? ''}'${runId ? ` run '${runId}'` : ''}`;
}

/**
 * Completes activities asynchronously. Usually reached as `client.activity`.
 *
 * @example
 * ```ts
 * // In the activity: save activityInfo().taskToken somewhere, then `throw new CompleteAsyncError()`.
 * await client.activity.heartbeat(taskToken, { progress: 50 });
 * await client.activity.complete(taskToken, { approved: true });
 * // or by id:
 * await client.activity.fail({ workflowId: 'order-7', activityId: 'approve' }, new Error('rejected'));
 * ```
 */
export class AsyncCompletionClient {
  readonly connection: Connection;
  readonly namespace: string;
  readonly identity: string;
  private readonly converter: ClientDataConverter;

  constructor(options: AsyncCompletionClientOptions) {
    if (!options?.connection) throw new TypeError('AsyncCompletionClientOptions.connection is required');
    this.connection = options.connection;
    this.namespace = options.namespace ?? 'default';
    this.identity = options.identity ?? defaultIdentity();
    this.converter = new ClientDataConverter(options.dataConverter);
  }

  /** The raw WorkflowService of the connection. */
  get workflowService(): Connection['workflowService'] {
    return this.connection.workflowService;
  }

  /**
   * Completes the activity with `result`.
   *
   * @example
   * ```ts
   * await client.activity.complete(taskToken, 'done');
   * ```
   */
  async complete(taskTokenOrFullActivityId: Uint8Array | FullActivityId, result: unknown): Promise<void> {
    const target = targetOf(taskTokenOrFullActivityId, 'complete');
    const payloads = (await this.converter.encodeArgs([result])) ?? [];
    const base = { namespace: this.namespace, identity: this.identity, result: { payloads } };
    await this.call(target, () =>
      'taskToken' in target
        ? this.workflowService.respondActivityTaskCompleted({ ...base, taskToken: target.taskToken })
        : this.workflowService.respondActivityTaskCompletedById({ ...base, ...target.id }),
    );
  }

  /**
   * Fails the activity with `err` (converted to a failure; retried per the activity's retry policy
   * unless it is a non-retryable ApplicationFailure).
   *
   * @example
   * ```ts
   * await client.activity.fail(taskToken, ApplicationFailure.nonRetryable('rejected by reviewer'));
   * ```
   */
  async fail(taskTokenOrFullActivityId: Uint8Array | FullActivityId, err: unknown): Promise<void> {
    const target = targetOf(taskTokenOrFullActivityId, 'fail');
    const failure = await this.converter.encodeError(ensureTemporalFailure(err));
    const base = { namespace: this.namespace, identity: this.identity, failure };
    await this.call(target, () =>
      'taskToken' in target
        ? this.workflowService.respondActivityTaskFailed({ ...base, taskToken: target.taskToken })
        : this.workflowService.respondActivityTaskFailedById({ ...base, ...target.id }),
    );
  }

  /**
   * Reports that the activity was cancelled (after a heartbeat threw {@link ActivityCancelledError}).
   *
   * @example
   * ```ts
   * await client.activity.reportCancellation(taskToken, { cleanedUp: true });
   * ```
   */
  async reportCancellation(taskTokenOrFullActivityId: Uint8Array | FullActivityId, details?: unknown): Promise<void> {
    const target = targetOf(taskTokenOrFullActivityId, 'reportCancellation');
    const payloads = (await this.converter.encodeArgs([details])) ?? [];
    const base = { namespace: this.namespace, identity: this.identity, details: { payloads } };
    await this.call(target, () =>
      'taskToken' in target
        ? this.workflowService.respondActivityTaskCanceled({ ...base, taskToken: target.taskToken })
        : this.workflowService.respondActivityTaskCanceledById({ ...base, ...target.id }),
    );
  }

  /**
   * Records a heartbeat with `details`; throws {@link ActivityCancelledError} when cancellation
   * was requested ({@link ActivityResetError} / {@link ActivityPausedError} when reset / paused).
   *
   * @example
   * ```ts
   * try {
   *   await client.activity.heartbeat(taskToken, { progress: 0.5 });
   * } catch (err) {
   *   if (err instanceof ActivityCancelledError) await client.activity.reportCancellation(taskToken);
   * }
   * ```
   */
  async heartbeat(taskTokenOrFullActivityId: Uint8Array | FullActivityId, details?: unknown): Promise<void> {
    const target = targetOf(taskTokenOrFullActivityId, 'heartbeat');
    const payloads = (await this.converter.encodeArgs([details])) ?? [];
    const base = { namespace: this.namespace, identity: this.identity, details: { payloads } };
    const response = await this.call(target, () =>
      'taskToken' in target
        ? this.workflowService.recordActivityTaskHeartbeat({ ...base, taskToken: target.taskToken })
        : this.workflowService.recordActivityTaskHeartbeatById({ ...base, ...target.id }),
    );
    const what = describeTarget(target);
    if (response.cancelRequested) throw new ActivityCancelledError(`Cancellation was requested for ${what}`);
    if (response.activityReset) throw new ActivityResetError(`${what} was reset`);
    if (response.activityPaused) throw new ActivityPausedError(`${what} is paused`);
  }

  /** Runs an RPC and maps its errors: NOT_FOUND → ActivityNotFoundError, others → ActivityCompletionError. */
  private async call<T>(target: Target, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (!isGrpcServiceError(err)) throw new ActivityCompletionError(`Unexpected failure: ${String(err)}`, { cause: err });
      const mapped = toClientError(err, { call: 'activity completion', namespace: this.namespace });
      if (mapped.name === 'NamespaceNotFoundError') throw mapped;
      if (err.code === GrpcStatus.NOT_FOUND) {
        throw new ActivityNotFoundError(`${describeTarget(target)} not found: ${err.details || err.message}`, { cause: err });
      }
      const statusName = GrpcStatus[err.code] ?? String(err.code);
      throw new ActivityCompletionError(`${statusName}: ${err.details || err.message}`, { cause: err });
    }
  }
}
