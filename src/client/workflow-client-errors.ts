/** Errors of the workflow client, and the mapping of gRPC errors to them. */
import { status as GrpcStatus, type ServiceError as GrpcServiceError } from '@grpc/grpc-js';
import {
  markErrorClass,
  NamespaceNotFoundError,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  type RetryState,
} from '../common/index.js';
import { decodeStatusDetails, type StatusDetail } from '../proto/index.js';

/** A call to the Temporal server failed; `cause` is the gRPC error. */
export class ServiceError extends Error {
  override readonly cause?: Error;
  constructor(message: string, opts?: { cause: Error }) {
    super(message);
    this.cause = opts?.cause;
  }
}
markErrorClass(ServiceError, 'ServiceError');

/** The workflow execution closed unsuccessfully (failed, cancelled, terminated or timed out). */
export class WorkflowFailedError extends Error {
  constructor(
    message: string,
    override readonly cause: Error | undefined,
    readonly retryState: RetryState,
  ) {
    super(message);
  }
}
markErrorClass(WorkflowFailedError, 'WorkflowFailedError');

/** An update was rejected by its validator or its handler failed; `cause` says why. */
export class WorkflowUpdateFailedError extends Error {
  constructor(
    message: string,
    override readonly cause: Error | undefined,
  ) {
    super(message);
  }
}
markErrorClass(WorkflowUpdateFailedError, 'WorkflowUpdateFailedError');

/** An update call hit its deadline or was cancelled; the update itself may still complete. */
export class WorkflowUpdateRPCTimeoutOrCancelledError extends Error {
  override readonly cause?: Error;
  constructor(message: string, opts?: { cause: Error }) {
    super(message);
    this.cause = opts?.cause;
  }
}
markErrorClass(WorkflowUpdateRPCTimeoutOrCancelledError, 'WorkflowUpdateRPCTimeoutOrCancelledError');

/** The run continued as new and the handle was told not to follow runs. */
export class WorkflowContinuedAsNewError extends Error {
  constructor(
    message: string,
    readonly newExecutionRunId: string,
  ) {
    super(message);
  }
}
markErrorClass(WorkflowContinuedAsNewError, 'WorkflowContinuedAsNewError');

/** The query was rejected because of the handle's `queryRejectCondition`. */
export class QueryRejectedError extends Error {
  /** The workflow execution status name at the time of the query, e.g. `'COMPLETED'`. */
  constructor(readonly status: string) {
    super(`Query rejected, workflow status: ${status}`);
  }
}
markErrorClass(QueryRejectedError, 'QueryRejectedError');

/** The workflow has no handler for the query (or the query failed on the worker). */
export class QueryNotRegisteredError extends Error {
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
  }
}
markErrorClass(QueryNotRegisteredError, 'QueryNotRegisteredError');

/** True when `err` looks like a grpc-js ServiceError. */
export function isGrpcServiceError(err: unknown): err is GrpcServiceError {
  return err instanceof Error && typeof (err as Partial<GrpcServiceError>).code === 'number' && 'metadata' in err;
}

/** Detail messages of a gRPC error (from its `grpc-status-details-bin` trailer). */
export function grpcErrorDetails(err: GrpcServiceError): StatusDetail[] {
  const bin = err.metadata?.get('grpc-status-details-bin')[0];
  if (bin === undefined || typeof bin === 'string') return [];
  try {
    return decodeStatusDetails(bin).details;
  } catch {
    return [];
  }
}

/** What a failed call was about, to name it in error messages and map NOT_FOUND / ALREADY_EXISTS. */
export interface CallContext {
  call: string;
  namespace: string;
  workflowId?: string;
  runId?: string;
  workflowType?: string;
}

/**
 * Converts an error thrown by a WorkflowService call to the error the client API throws:
 * WorkflowNotFoundError, NamespaceNotFoundError, WorkflowExecutionAlreadyStartedError or ServiceError.
 */
export function toClientError(err: unknown, ctx: CallContext): Error {
  if (!isGrpcServiceError(err)) return err instanceof Error ? err : new ServiceError(`${ctx.call} failed: ${String(err)}`);
  const multi = multiOperationFailure(err);
  if (multi) return toClientError(multi, ctx);
  const details = grpcErrorDetails(err);
  const has = (suffix: string): boolean => details.some((d) => d.typeName.endsWith(suffix));
  if (err.code === GrpcStatus.NOT_FOUND && has('NamespaceNotFoundFailure')) return new NamespaceNotFoundError(ctx.namespace);
  if (err.code === GrpcStatus.NOT_FOUND && ctx.workflowId !== undefined) {
    return new WorkflowNotFoundError(err.details || `Workflow execution not found: ${ctx.workflowId}`, ctx.workflowId, ctx.runId);
  }
  if (err.code === GrpcStatus.ALREADY_EXISTS && ctx.workflowId !== undefined) {
    const detail = details.find((d) => d.typeName.endsWith('WorkflowExecutionAlreadyStartedFailure'));
    const runId = typeof detail?.value.runId === 'string' && detail.value.runId ? ` (running as run '${detail.value.runId}')` : '';
    return new WorkflowExecutionAlreadyStartedError(
      `Workflow execution already started: workflowId '${ctx.workflowId}'${runId}`,
      ctx.workflowId,
      ctx.workflowType ?? '',
    );
  }
  const statusName = GrpcStatus[err.code] ?? String(err.code);
  const target = ctx.workflowId !== undefined ? ` for workflow '${ctx.workflowId}'` : '';
  return new ServiceError(`${ctx.call}${target} failed: ${statusName}: ${err.details || err.message}`, { cause: err });
}

interface NestedStatus {
  code?: number;
  message?: string;
  details?: { type_url?: string }[];
}

/**
 * For an ExecuteMultiOperation error: the error of the operation that failed (the others report
 * MultiOperationExecutionAborted), with the original error as `cause`; undefined otherwise.
 */
function multiOperationFailure(err: GrpcServiceError): GrpcServiceError | undefined {
  const detail = grpcErrorDetails(err).find((d) => d.typeName.endsWith('MultiOperationExecutionFailure'));
  const statuses = (detail?.value.statuses ?? []) as NestedStatus[];
  const failed = statuses.find(
    (s) => s.code && !(s.details ?? []).some((d) => d.type_url?.endsWith('MultiOperationExecutionAborted')),
  );
  if (!failed?.code) return undefined;
  const nested = Object.assign(new Error(`${failed.code} ${GrpcStatus[failed.code] ?? ''}: ${failed.message ?? ''}`, { cause: err }), {
    code: failed.code,
    details: failed.message ?? '',
    metadata: err.metadata.clone(),
  });
  nested.metadata.remove('grpc-status-details-bin');
  return nested as GrpcServiceError;
}

/** Runs `fn` and converts whatever it throws with {@link toClientError}. */
export async function callService<T>(ctx: CallContext, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw toClientError(err, ctx);
  }
}
