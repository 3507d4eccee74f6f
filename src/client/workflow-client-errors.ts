/** Errors of the workflow client, and the mapping of gRPC errors to them. */
import { status as GrpcStatus, type ServiceError as GrpcServiceError } from '@grpc/grpc-js';
import {
  NamespaceNotFoundError,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  type RetryState,
} from '../common/index.js';
import { decodeStatusDetails, type StatusDetail } from '../proto/index.js';

/** A call to the Temporal server failed; `cause` is the gRPC error. */
export class ServiceError extends Error {
  override readonly name: string = 'ServiceError';
  override readonly cause?: Error;
  constructor(message: string, opts?: { cause: Error }) {
    super(message);
    this.cause = opts?.cause;
  }
}

/** The workflow execution closed unsuccessfully (failed, cancelled, terminated or timed out). */
export class WorkflowFailedError extends Error {
  override readonly name: string = 'WorkflowFailedError';
  constructor(
    message: string,
    override readonly cause: Error | undefined,
    readonly retryState: RetryState,
  ) {
    super(message);
  }
}

/** An update was rejected by its validator or its handler failed; `cause` says why. */
export class WorkflowUpdateFailedError extends Error {
  override readonly name: string = 'WorkflowUpdateFailedError';
  constructor(
    message: string,
    override readonly cause: Error | undefined,
  ) {
    super(message);
  }
}

/** The run continued as new and the handle was told not to follow runs. */
export class WorkflowContinuedAsNewError extends Error {
  override readonly name: string = 'WorkflowContinuedAsNewError';
  constructor(
    message: string,
    readonly newExecutionRunId: string,
  ) {
    super(message);
  }
}

/** The query was rejected because of the handle's `queryRejectCondition`. */
export class QueryRejectedError extends Error {
  override readonly name: string = 'QueryRejectedError';
  /** The workflow execution status name at the time of the query, e.g. `'COMPLETED'`. */
  constructor(readonly status: string) {
    super(`Query rejected, workflow status: ${status}`);
  }
}

/** The workflow has no handler for the query (or the query failed on the worker). */
export class QueryNotRegisteredError extends Error {
  override readonly name: string = 'QueryNotRegisteredError';
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
  }
}

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

/** Runs `fn` and converts whatever it throws with {@link toClientError}. */
export async function callService<T>(ctx: CallContext, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw toClientError(err, ctx);
  }
}
