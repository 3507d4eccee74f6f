/**
 * Recognising gRPC errors, as the official client's helpers do: a ServiceError from grpc-js, and
 * whether an error (or any error in its `cause` chain) is a deadline or a cancellation.
 *
 * @example
 * ```ts
 * try {
 *   await connection.withDeadline(Date.now() + 1000, () => handle.describe());
 * } catch (err) {
 *   if (isGrpcDeadlineError(err)) console.log('the server did not answer within a second');
 * }
 * ```
 * @module
 */
import { status } from '@grpc/grpc-js';
import { isGrpcServiceError } from './workflow-client-errors.js';

export { isGrpcServiceError };

/** @deprecated The official client's former name of {@link isGrpcServiceError}. */
export const isServerErrorResponse = isGrpcServiceError;

function hasCode(err: unknown, code: status): boolean {
  for (let e = err, depth = 0; e instanceof Error && depth < 10; e = e.cause, depth++) {
    if ((e as { code?: unknown }).code === code) return true;
  }
  return false;
}

/** True when `err`, or an error in its `cause` chain, is a gRPC DEADLINE_EXCEEDED. */
export function isGrpcDeadlineError(err: unknown): boolean {
  return hasCode(err, status.DEADLINE_EXCEEDED);
}

/** True when `err`, or an error in its `cause` chain, is a gRPC CANCELLED. */
export function isGrpcCancelledError(err: unknown): boolean {
  return hasCode(err, status.CANCELLED);
}
