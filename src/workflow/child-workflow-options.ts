/**
 * Options of child workflows and their policies.
 *
 * @module
 */
import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '../common/workflow-id-policies.js';
import type { Duration, RetryPolicy, SearchAttributes, SearchAttributeUpdatePair, TypedSearchAttributes } from '../common/index.js';
import type { Priority } from './interfaces.js';

/** What the parent does when cancellation of a child it started is requested. */
export const ChildWorkflowCancellationType = {
  /** Do not request cancellation of the child; the child call fails immediately. */
  ABANDON: 'ABANDON',
  /** Request cancellation and fail the child call immediately. */
  TRY_CANCEL: 'TRY_CANCEL',
  /** Request cancellation and wait until the child completes (as cancelled or otherwise). */
  WAIT_CANCELLATION_COMPLETED: 'WAIT_CANCELLATION_COMPLETED',
  /**
   * Request cancellation; history records when the child accepted the request. As with the official
   * SDK (on Temporal Core), the child's result still settles only once the child has closed.
   */
  WAIT_CANCELLATION_REQUESTED: 'WAIT_CANCELLATION_REQUESTED',
} as const;
export type ChildWorkflowCancellationType = (typeof ChildWorkflowCancellationType)[keyof typeof ChildWorkflowCancellationType];

/** What the server does to a running child when its parent closes. */
export const ParentClosePolicy = {
  /** Terminate the child. */
  TERMINATE: 'TERMINATE',
  /** Let the child run. */
  ABANDON: 'ABANDON',
  /** Request cancellation of the child. */
  REQUEST_CANCEL: 'REQUEST_CANCEL',
} as const;
export type ParentClosePolicy = (typeof ParentClosePolicy)[keyof typeof ParentClosePolicy];

/** Options of `startChild` / `executeChild`. */
export interface ChildWorkflowOptions {
  /** @default a deterministic `uuid4()` */
  workflowId?: string;
  /** @default the parent's task queue */
  taskQueue?: string;
  /** @default ChildWorkflowCancellationType.WAIT_CANCELLATION_COMPLETED */
  cancellationType?: ChildWorkflowCancellationType;
  /** @default ParentClosePolicy.TERMINATE */
  parentClosePolicy?: ParentClosePolicy;
  workflowIdReusePolicy?: WorkflowIdReusePolicy;
  retry?: RetryPolicy;
  cronSchedule?: string;
  memo?: Record<string, unknown>;
  searchAttributes?: SearchAttributes;
  typedSearchAttributes?: SearchAttributeUpdatePair[] | TypedSearchAttributes;
  workflowExecutionTimeout?: Duration;
  workflowRunTimeout?: Duration;
  workflowTaskTimeout?: Duration;
  priority?: Priority;
}

/** Child options with their defaults applied, as outbound interceptors see them. */
export type ChildWorkflowOptionsWithDefaults = ChildWorkflowOptions & {
  workflowId: string;
  cancellationType: ChildWorkflowCancellationType;
  args: unknown[];
};

export { WorkflowIdConflictPolicy, WorkflowIdReusePolicy };
