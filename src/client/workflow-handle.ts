/** WorkflowHandle: the client-side handle to one workflow execution (or chain of runs). */
import type { ProtoTypes } from '../proto/index.js';
import type { QueryDefinition, SignalDefinition, UpdateDefinition, Workflow } from '../common/definitions.js';
import type { HandleContext } from './handle-context.js';
import { composeInterceptors, type Next, type WorkflowClientInterceptor, type WorkflowExecution } from './interceptors.js';
import { executionInfoFromRaw, type WorkflowExecutionInfo } from './list.js';
import {
  makeUpdateHandle,
  startUpdate,
  type WorkflowUpdateHandle,
  type WorkflowUpdateOptions,
  type WorkflowUpdateStage,
} from './update-handle.js';
import { callService } from './workflow-client-errors.js';
import {
  cancelHandler,
  describeHandler,
  queryHandler,
  REJECT_CONDITION,
  signalHandler,
  terminateHandler,
} from './workflow-calls.js';
import { waitForResult } from './workflow-result.js';

type History = ProtoTypes.temporal.api.history.v1.IHistory;
type DescribeResponse = ProtoTypes.temporal.api.workflowservice.v1.IDescribeWorkflowExecutionResponse;
type TerminateResponse = ProtoTypes.temporal.api.workflowservice.v1.ITerminateWorkflowExecutionResponse;
type CancelResponse = ProtoTypes.temporal.api.workflowservice.v1.IRequestCancelWorkflowExecutionResponse;

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

/** How a handle was made: the run its `result()` starts from and the interceptors of its calls. */
export interface WorkflowHandleSetup extends GetWorkflowHandleOptions {
  /** The run `result()` starts from when `runId` is unset (the started or signaled run). */
  runIdForResult?: string;
  interceptors?: readonly WorkflowClientInterceptor[];
}

function nameOf(def: { name: string } | string, kind: string): string {
  const name = typeof def === 'string' ? def : def?.name;
  if (typeof name !== 'string' || name.length === 0) throw new TypeError(`${kind} name must be a non-empty string`);
  return name;
}

function checkUpdateOptions(options: unknown, method: string): WorkflowUpdateOptions & { args?: unknown[] } {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null) throw new TypeError(`${method} options must be an object`);
  const o = options as { args?: unknown; updateId?: unknown };
  if (o.args !== undefined && !Array.isArray(o.args)) throw new TypeError(`${method} options.args must be an array`);
  if (o.updateId !== undefined && (typeof o.updateId !== 'string' || o.updateId === '')) {
    throw new TypeError(`${method} options.updateId must be a non-empty string`);
  }
  return options as WorkflowUpdateOptions & { args?: unknown[] };
}

/** The default {@link WorkflowHandle} implementation: every call runs through the client interceptors. */
export class WorkflowHandleImpl<T extends Workflow = Workflow> implements WorkflowHandle<T> {
  readonly firstExecutionRunId?: string;
  /** Set by `signalWithStart`: the run that received the signal. */
  signaledRunId?: string;
  private readonly followRuns: boolean;
  private readonly runIdForResult?: string;
  private readonly interceptors: readonly WorkflowClientInterceptor[];

  constructor(
    private readonly ctx: HandleContext,
    readonly workflowId: string,
    readonly runId?: string,
    setup: WorkflowHandleSetup = {},
  ) {
    this.firstExecutionRunId = setup.firstExecutionRunId;
    this.followRuns = setup.followRuns ?? true;
    this.runIdForResult = runId ?? setup.runIdForResult ?? setup.firstExecutionRunId;
    this.interceptors = setup.interceptors ?? [];
  }

  private get execution(): WorkflowExecution {
    return this.runId === undefined ? { workflowId: this.workflowId } : { workflowId: this.workflowId, runId: this.runId };
  }

  private chain<M extends keyof WorkflowClientInterceptor>(method: M, next: Next<WorkflowClientInterceptor, M>) {
    return composeInterceptors(this.interceptors, method, next);
  }

  async result(): Promise<Awaited<ReturnType<T>>> {
    const target = { workflowId: this.workflowId, runId: this.runIdForResult, followRuns: this.followRuns };
    return waitForResult<Awaited<ReturnType<T>>>(this.ctx, target);
  }

  async signal<Args extends unknown[] = []>(def: SignalDefinition<Args> | string, ...args: Args): Promise<void> {
    const signalName = nameOf(def, 'Signal');
    const fn = this.chain('signal', (input) => signalHandler(this.ctx, input));
    await fn({ signalName, args, workflowExecution: this.execution, headers: {} });
  }

  async query<Ret, Args extends unknown[] = []>(def: QueryDefinition<Ret, Args> | string, ...args: Args): Promise<Ret> {
    const queryType = nameOf(def, 'Query');
    const fn = this.chain('query', (input) => queryHandler(this.ctx, input));
    const queryRejectCondition = REJECT_CONDITION[this.ctx.queryRejectCondition];
    return (await fn({ queryType, args, workflowExecution: this.execution, queryRejectCondition, headers: {} })) as Ret;
  }

  async executeUpdate<Ret, Args extends unknown[] = []>(
    def: UpdateDefinition<Ret, Args> | string,
    options?: WorkflowUpdateOptions & { args?: Args },
  ): Promise<Ret> {
    const handle = await this.runUpdate<Ret>(def, checkUpdateOptions(options, 'executeUpdate'), 'COMPLETED');
    return handle.result();
  }

  async startUpdate<Ret, Args extends unknown[] = []>(
    def: UpdateDefinition<Ret, Args> | string,
    options: WorkflowUpdateOptions & { args?: Args; waitForStage: 'ACCEPTED' },
  ): Promise<WorkflowUpdateHandle<Ret>> {
    if (options?.waitForStage !== 'ACCEPTED') throw new TypeError("startUpdate options.waitForStage must be 'ACCEPTED'");
    return this.runUpdate<Ret>(def, checkUpdateOptions(options, 'startUpdate'), 'ACCEPTED');
  }

  private runUpdate<Ret>(
    def: { name: string } | string,
    options: WorkflowUpdateOptions & { args?: unknown[]; waitForStage?: string },
    stage: WorkflowUpdateStage,
  ): Promise<WorkflowUpdateHandle<Ret>> {
    const updateName = nameOf(def, 'Update');
    const { args, waitForStage: _stage, ...updateOptions } = options;
    const input = {
      updateName,
      args: args ?? [],
      workflowExecution: this.execution,
      firstExecutionRunId: this.firstExecutionRunId,
      headers: {},
      options: updateOptions,
    };
    return startUpdate<Ret>(this.ctx, this.interceptors, input, stage);
  }

  getUpdateHandle<Ret>(updateId: string, workflowId?: string, options?: { workflowRunId?: string }): WorkflowUpdateHandle<Ret> {
    if (typeof updateId !== 'string' || updateId.length === 0) throw new TypeError('updateId must be a non-empty string');
    const target = { workflowId: workflowId ?? this.workflowId, runId: options?.workflowRunId ?? this.runId };
    return makeUpdateHandle<Ret>(this.ctx, target, updateId);
  }

  async describe(): Promise<WorkflowExecutionDescription> {
    const raw = await this.chain('describe', (input) => describeHandler(this.ctx, input))({ workflowExecution: this.execution });
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
    const fn = this.chain('cancel', (input) => cancelHandler(this.ctx, input));
    return fn({ workflowExecution: this.execution, firstExecutionRunId: this.firstExecutionRunId });
  }

  async terminate(reason?: string): Promise<TerminateResponse> {
    if (reason !== undefined && typeof reason !== 'string') throw new TypeError('terminate reason must be a string');
    const fn = this.chain('terminate', (input) => terminateHandler(this.ctx, input));
    return fn({ workflowExecution: this.execution, reason, firstExecutionRunId: this.firstExecutionRunId });
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
