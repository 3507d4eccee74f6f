/** WorkflowHandle: the client-side handle to one workflow execution (or chain of runs). */
import { randomUUID } from 'node:crypto';
import { status as GrpcStatus } from '@grpc/grpc-js';
import type { ProtoTypes } from '../proto/index.js';
import { temporal } from '../proto/index.js';
import type { QueryDefinition, SignalDefinition, UpdateDefinition, Workflow } from '../common/definitions.js';
import type { HandleContext } from './handle-context.js';
import { executionInfoFromRaw, type WorkflowExecutionInfo } from './list.js';
import { makeUpdateHandle, startUpdate, type WorkflowUpdateHandle, type WorkflowUpdateOptions } from './update-handle.js';
import {
  callService,
  isGrpcServiceError,
  QueryNotRegisteredError,
  QueryRejectedError,
  toClientError,
  type CallContext,
} from './workflow-client-errors.js';
import { waitForResult } from './workflow-result.js';

type History = ProtoTypes.temporal.api.history.v1.IHistory;
type DescribeResponse = ProtoTypes.temporal.api.workflowservice.v1.IDescribeWorkflowExecutionResponse;
type TerminateResponse = ProtoTypes.temporal.api.workflowservice.v1.ITerminateWorkflowExecutionResponse;
type CancelResponse = ProtoTypes.temporal.api.workflowservice.v1.IRequestCancelWorkflowExecutionResponse;
const Enums = temporal.api.enums.v1;

/** `describe()`'s result: the decoded execution info plus the raw response. */
export type WorkflowExecutionDescription = Omit<WorkflowExecutionInfo, 'raw'> & {
  raw: DescribeResponse;
  staticSummary?: string;
  staticDetails?: string;
};

/**
 * A handle to a workflow execution. `runId` undefined means "the latest run of `workflowId`".
 *
 * @example
 * ```ts
 * const handle = client.workflow.getHandle('order-7');
 * await handle.signal(approve, 'alice');
 * const status = await handle.query(statusQuery);
 * const total = await handle.executeUpdate(addItem, { args: ['book'] });
 * console.log(await handle.result());
 * ```
 */
export interface WorkflowHandle<T extends Workflow = Workflow> {
  readonly workflowId: string;
  readonly runId?: string;
  /** The run id that `start` created; operations fail if the latest run is not in its chain. */
  readonly firstExecutionRunId?: string;
  /** Waits for the result, following continue-as-new and retries unless `followRuns` is false. */
  result(): Promise<Awaited<ReturnType<T>>>;
  signal<Args extends unknown[] = []>(def: SignalDefinition<Args> | string, ...args: Args): Promise<void>;
  query<Ret, Args extends unknown[] = []>(def: QueryDefinition<Ret, Args> | string, ...args: Args): Promise<Ret>;
  executeUpdate<Ret, Args extends unknown[] = []>(
    def: UpdateDefinition<Ret, Args> | string,
    options?: WorkflowUpdateOptions & { args?: Args },
  ): Promise<Ret>;
  startUpdate<Ret, Args extends unknown[] = []>(
    def: UpdateDefinition<Ret, Args> | string,
    options: WorkflowUpdateOptions & { args?: Args; waitForStage: 'ACCEPTED' },
  ): Promise<WorkflowUpdateHandle<Ret>>;
  getUpdateHandle<Ret>(updateId: string, workflowId?: string, options?: { workflowRunId?: string }): WorkflowUpdateHandle<Ret>;
  describe(): Promise<WorkflowExecutionDescription>;
  cancel(): Promise<CancelResponse>;
  terminate(reason?: string): Promise<TerminateResponse>;
  /** Every event of the run's history (all pages). */
  fetchHistory(): Promise<History>;
}

/** Options of `WorkflowClient.getHandle`. */
export interface GetWorkflowHandleOptions {
  firstExecutionRunId?: string;
  /** Follow continue-as-new, retries and cron runs in `result()` (default true). */
  followRuns?: boolean;
}

function nameOf(def: { name: string } | string, kind: string): string {
  const name = typeof def === 'string' ? def : def?.name;
  if (typeof name !== 'string' || name.length === 0) throw new TypeError(`${kind} name must be a non-empty string`);
  return name;
}

const REJECT_CONDITION = {
  NONE: Enums.QueryRejectCondition.QUERY_REJECT_CONDITION_NONE,
  NOT_OPEN: Enums.QueryRejectCondition.QUERY_REJECT_CONDITION_NOT_OPEN,
  NOT_COMPLETED_CLEANLY: Enums.QueryRejectCondition.QUERY_REJECT_CONDITION_NOT_COMPLETED_CLEANLY,
};

const STATUS_NAMES = ['UNSPECIFIED', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED', 'TERMINATED', 'CONTINUED_AS_NEW', 'TIMED_OUT'];

/** The default {@link WorkflowHandle} implementation. */
export class WorkflowHandleImpl<T extends Workflow = Workflow> implements WorkflowHandle<T> {
  private readonly followRuns: boolean;
  /** Set by `signalWithStart`: the run that received the signal. */
  signaledRunId?: string;

  constructor(
    private readonly ctx: HandleContext,
    readonly workflowId: string,
    readonly runId?: string,
    options: GetWorkflowHandleOptions = {},
  ) {
    this.firstExecutionRunId = options.firstExecutionRunId;
    this.followRuns = options.followRuns ?? true;
  }

  readonly firstExecutionRunId?: string;

  private callCtx(call: string): CallContext {
    return { call, namespace: this.ctx.namespace, workflowId: this.workflowId, runId: this.runId };
  }

  private get execution() {
    return { workflowId: this.workflowId, runId: this.runId };
  }

  async result(): Promise<Awaited<ReturnType<T>>> {
    const runId = this.runId ?? this.firstExecutionRunId;
    return waitForResult<Awaited<ReturnType<T>>>(this.ctx, { workflowId: this.workflowId, runId, followRuns: this.followRuns });
  }

  async signal<Args extends unknown[] = []>(def: SignalDefinition<Args> | string, ...args: Args): Promise<void> {
    const signalName = nameOf(def, 'Signal');
    const input = await this.ctx.converter.encodeArgs(args);
    await callService(this.callCtx('SignalWorkflowExecution'), () =>
      this.ctx.connection.workflowService.signalWorkflowExecution({
        namespace: this.ctx.namespace,
        workflowExecution: this.execution,
        signalName,
        input: input ? { payloads: input } : undefined,
        identity: this.ctx.identity,
        requestId: randomUUID(),
      }),
    );
  }

  async query<Ret, Args extends unknown[] = []>(def: QueryDefinition<Ret, Args> | string, ...args: Args): Promise<Ret> {
    const queryType = nameOf(def, 'Query');
    const queryArgs = await this.ctx.converter.encodeArgs(args);
    let response;
    try {
      response = await this.ctx.connection.workflowService.queryWorkflow({
        namespace: this.ctx.namespace,
        execution: this.execution,
        query: { queryType, queryArgs: queryArgs ? { payloads: queryArgs } : undefined },
        queryRejectCondition: REJECT_CONDITION[this.ctx.queryRejectCondition],
      });
    } catch (err) {
      if (isGrpcServiceError(err) && err.code === GrpcStatus.INVALID_ARGUMENT) {
        throw new QueryNotRegisteredError(err.details || err.message, err.code);
      }
      throw toClientError(err, this.callCtx('QueryWorkflow'));
    }
    if (response.queryRejected) {
      const code = response.queryRejected.status ?? 0;
      throw new QueryRejectedError(STATUS_NAMES[code] ?? 'UNKNOWN');
    }
    if (!response.queryResult) throw new TypeError(`QueryWorkflow '${queryType}' returned neither a result nor a rejection`);
    return this.ctx.converter.decodeFirst<Ret>(response.queryResult.payloads);
  }

  async executeUpdate<Ret, Args extends unknown[] = []>(
    def: UpdateDefinition<Ret, Args> | string,
    options: WorkflowUpdateOptions & { args?: Args } = {},
  ): Promise<Ret> {
    const handle = await startUpdate<Ret>(this.ctx, this.updateTarget(), nameOf(def, 'Update'), options, 'COMPLETED');
    return handle.result();
  }

  async startUpdate<Ret, Args extends unknown[] = []>(
    def: UpdateDefinition<Ret, Args> | string,
    options: WorkflowUpdateOptions & { args?: Args; waitForStage: 'ACCEPTED' },
  ): Promise<WorkflowUpdateHandle<Ret>> {
    if (options?.waitForStage !== 'ACCEPTED') throw new TypeError("startUpdate options.waitForStage must be 'ACCEPTED'");
    return startUpdate<Ret>(this.ctx, this.updateTarget(), nameOf(def, 'Update'), options, 'ACCEPTED');
  }

  getUpdateHandle<Ret>(updateId: string, workflowId?: string, options?: { workflowRunId?: string }): WorkflowUpdateHandle<Ret> {
    const target = { workflowId: workflowId ?? this.workflowId, runId: options?.workflowRunId ?? this.runId };
    return makeUpdateHandle<Ret>(this.ctx, target, updateId);
  }

  private updateTarget() {
    return { workflowId: this.workflowId, runId: this.runId, firstExecutionRunId: this.firstExecutionRunId };
  }

  async describe(): Promise<WorkflowExecutionDescription> {
    const raw = await callService(this.callCtx('DescribeWorkflowExecution'), () =>
      this.ctx.connection.workflowService.describeWorkflowExecution({ namespace: this.ctx.namespace, execution: this.execution }),
    );
    const info = await executionInfoFromRaw(raw.workflowExecutionInfo ?? {}, this.ctx.converter);
    const metadata = raw.executionConfig?.userMetadata;
    return {
      ...info,
      raw,
      staticSummary: metadata?.summary ? await this.ctx.converter.decodeFirst<string>([metadata.summary]) : undefined,
      staticDetails: metadata?.details ? await this.ctx.converter.decodeFirst<string>([metadata.details]) : undefined,
    };
  }

  async cancel(): Promise<CancelResponse> {
    return callService(this.callCtx('RequestCancelWorkflowExecution'), () =>
      this.ctx.connection.workflowService.requestCancelWorkflowExecution({
        namespace: this.ctx.namespace,
        workflowExecution: this.execution,
        identity: this.ctx.identity,
        requestId: randomUUID(),
        firstExecutionRunId: this.firstExecutionRunId,
      }),
    );
  }

  async terminate(reason?: string): Promise<TerminateResponse> {
    return callService(this.callCtx('TerminateWorkflowExecution'), () =>
      this.ctx.connection.workflowService.terminateWorkflowExecution({
        namespace: this.ctx.namespace,
        workflowExecution: this.execution,
        reason,
        identity: this.ctx.identity,
        firstExecutionRunId: this.firstExecutionRunId,
      }),
    );
  }

  async fetchHistory(): Promise<History> {
    return fetchAllHistory(this.ctx, this.workflowId, this.runId);
  }
}

/** Every event of one run's history, page by page. */
export async function fetchAllHistory(ctx: HandleContext, workflowId: string, runId: string | undefined): Promise<History> {
  const events: NonNullable<History['events']> = [];
  let nextPageToken: Uint8Array | undefined;
  do {
    const response = await callService({ call: 'GetWorkflowExecutionHistory', namespace: ctx.namespace, workflowId, runId }, () =>
      ctx.connection.workflowService.getWorkflowExecutionHistory({
        namespace: ctx.namespace,
        execution: { workflowId, runId },
        nextPageToken,
        skipArchival: true,
      }),
    );
    events.push(...(response.history?.events ?? []));
    nextPageToken = response.nextPageToken?.length ? response.nextPageToken : undefined;
  } while (nextPageToken);
  return { events };
}
