/**
 * Raw WorkflowService calls made by the CLI (history pages, close events, the calls the client has
 * no method for), with their errors turned into the client's like the client's own calls.
 *
 * @example
 * ```ts
 * const response = await workflowCall({ workflowId: 'order-1' }, 'default', () => service.getWorkflowExecutionHistory(req));
 * await serviceCall('DescribeTaskQueue', 'default', () => service.describeTaskQueue(req));
 * ```
 */
import { NamespaceNotFoundError, WorkflowNotFoundError } from '../client/index.js';
import { toClientError } from '../client/workflow-client-errors.js';

const NOT_FOUND = 5;

/** The workflow execution a command is about. */
export interface WorkflowTarget {
  readonly workflowId: string;
  readonly runId?: string;
}

function grpcError(error: unknown): { code: number; details: string } | undefined {
  if (!(error instanceof Error)) return undefined;
  const { code, details } = error as Error & { code?: unknown; details?: unknown };
  return typeof code === 'number' ? { code, details: typeof details === 'string' ? details : error.message } : undefined;
}

/** Runs a WorkflowService call about `target`, mapping NOT_FOUND to the client's not-found errors. */
export async function workflowCall<T>(target: WorkflowTarget, namespace: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    const grpc = grpcError(error);
    if (grpc?.code !== NOT_FOUND) throw error;
    if (/^Namespace .* not found/i.test(grpc.details)) throw new NamespaceNotFoundError(namespace);
    throw new WorkflowNotFoundError(grpc.details, target.workflowId, target.runId);
  }
}

/**
 * Runs a WorkflowService call as the client's methods do: NOT_FOUND becomes NamespaceNotFoundError,
 * or WorkflowNotFoundError when `target` names the workflow; other failures a ServiceError naming `method`.
 */
export function serviceCall<T>(method: string, namespace: string, fn: () => Promise<T>, target?: WorkflowTarget): Promise<T> {
  return fn().catch((error: unknown) => {
    throw toClientError(error, { call: method, namespace, ...target });
  });
}
