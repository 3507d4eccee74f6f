/**
 * The WorkflowService calls the activity worker makes, their message types, and how their gRPC
 * errors are classified.
 *
 * @module
 */
import { status } from '@grpc/grpc-js';
import type { ProtoTypes } from '../../proto/index.js';

/** The WorkflowService stub of a `Connection`. */
export type WorkflowService = ProtoTypes.temporal.api.workflowservice.v1.WorkflowService;
export type PollActivityTaskQueueResponse = ProtoTypes.temporal.api.workflowservice.v1.IPollActivityTaskQueueResponse;
export type RecordActivityTaskHeartbeatResponse = ProtoTypes.temporal.api.workflowservice.v1.IRecordActivityTaskHeartbeatResponse;

/** The gRPC status code of an error thrown by a stub call, or `undefined` for other errors. */
export function grpcCode(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

/** The gRPC status name (`UNAVAILABLE`, ...) for log messages. */
export function grpcCodeName(code: number | undefined): string {
  if (code === undefined) return 'non-gRPC error';
  return (status as unknown as Record<number, string>)[code] ?? `code ${code}`;
}

/**
 * Poll errors that are expected to pass: the server restarting or overloaded, the connection
 * dropping, a long poll cut short. The official Core SDK retries the same set.
 */
const TRANSIENT_POLL_CODES = new Set<number>([
  status.UNAVAILABLE,
  status.UNKNOWN,
  status.INTERNAL,
  status.RESOURCE_EXHAUSTED,
  status.ABORTED,
  status.OUT_OF_RANGE,
  status.DATA_LOSS,
  status.CANCELLED,
  status.DEADLINE_EXCEEDED,
]);

/** Whether a failed poll is worth retrying indefinitely (as opposed to a configuration error). */
export function isTransientPollError(error: unknown): boolean {
  const code = grpcCode(error);
  return code === undefined || TRANSIENT_POLL_CODES.has(code);
}

/** Whether the server answered that the activity (attempt) no longer exists. */
export function isNotFound(error: unknown): boolean {
  return grpcCode(error) === status.NOT_FOUND;
}
