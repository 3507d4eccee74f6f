import { status } from '@grpc/grpc-js';
import type { StatusDetail } from '../proto/index.js';

/**
 * An RPC failure with the gRPC status a Temporal server would answer with, and optional
 * `grpc-status-details-bin` detail messages (e.g. WorkflowExecutionAlreadyStartedFailure).
 *
 * Thrown anywhere below the gRPC layer; inside a store transaction it also rolls the transaction back.
 */
export class RpcError extends Error {
  override readonly name = 'RpcError';
  constructor(
    readonly code: status,
    message: string,
    readonly details: readonly StatusDetail[] = [],
  ) {
    super(message);
  }
}

/** INVALID_ARGUMENT: the request is malformed or inconsistent. */
export const invalidArgument = (message: string, details: readonly StatusDetail[] = []): RpcError =>
  new RpcError(status.INVALID_ARGUMENT, message, details);
/** NOT_FOUND: the entity (namespace, execution, task) does not exist or is no longer current. */
export const notFound = (message: string, details: readonly StatusDetail[] = []): RpcError =>
  new RpcError(status.NOT_FOUND, message, details);
/** ALREADY_EXISTS */
export const alreadyExists = (message: string, details: readonly StatusDetail[] = []): RpcError =>
  new RpcError(status.ALREADY_EXISTS, message, details);
/** FAILED_PRECONDITION */
export const failedPrecondition = (message: string, details: readonly StatusDetail[] = []): RpcError =>
  new RpcError(status.FAILED_PRECONDITION, message, details);

/** The message Temporal uses for any write to a closed run. */
export const workflowCompleted = (): RpcError => notFound('workflow execution already completed');

/** Checks that a required string field is set, naming it otherwise. */
export function requireField(value: string | null | undefined, field: string): string {
  if (value === null || value === undefined || value === '') throw invalidArgument(`${field} is not set on request.`);
  return value;
}
