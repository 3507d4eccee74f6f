/** WorkflowClient: start, signal-with-start, get handles to, list and count workflow executions. */
import { arrayFromPayloads, defaultPayloadConverter, int64ToNumber, type DataConverter } from '../common/index.js';
import type { UpdateDefinition, Workflow, WorkflowResultType } from '../common/definitions.js';
import type { Connection } from './connection.js';
import { ClientDataConverter } from './data-conversion.js';
import { QueryRejectCondition, type HandleContext } from './handle-context.js';
import { defaultIdentity } from './identity.js';
import {
  composeInterceptors,
  validateWorkflowInterceptors,
  workflowInterceptorsFor,
  type WorkflowClientInterceptor,
  type WorkflowClientInterceptors,
  type WorkflowSignalWithStartInput,
  type WorkflowStartInput,
} from './interceptors.js';
import {
  executionInfoFromRaw,
  type AsyncWorkflowListIterable,
  type CountWorkflowExecution,
  type HistoryAndWorkflowId,
  type ListOptions,
  type WorkflowExecutionInfo,
} from './list.js';
import type { WorkflowUpdateHandle } from './update-handle.js';
import { runUpdateWithStart, type WorkflowUpdateWithStartOptions } from './update-with-start.js';
import { signalWithStartHandler, startWorkflowHandler } from './workflow-calls.js';
import { callService } from './workflow-client-errors.js';
import { fetchAllHistory, WorkflowHandleImpl, type GetWorkflowHandleOptions, type WorkflowHandle } from './workflow-handle.js';
import {
  compileWorkflowOptions,
  validateWorkflowOptions,
  workflowTypeName,
  type WithWorkflowArgs,
  type WorkflowSignalWithStartOptions,
  type WorkflowStartOptions,
} from './workflow-options.js';

/** Options of {@link WorkflowClient} (and of `Client`). */
export interface WorkflowClientOptions {
  connection: Connection;
  /** Defaults to `'default'`. */
  namespace?: string;
  dataConverter?: DataConverter;
  /** Sent with state-changing calls; defaults to `<pid>@<hostname>`. */
  identity?: string;
  /** When queries are rejected instead of answered; defaults to `'NONE'`. */
  queryRejectCondition?: QueryRejectCondition;
  /**
   * Interceptors of every workflow call, outermost first: an array, or (deprecated) `{ calls: [factory] }`.
   * @default []
   */
  interceptors?: WorkflowClientInterceptors | WorkflowClientInterceptor[];
}

/** The handle `start` returns: `runId` is unset so operations target the latest run of the chain. */
export type WorkflowHandleWithFirstExecutionRunId<T extends Workflow = Workflow> = WorkflowHandle<T> & {
  readonly firstExecutionRunId: string;
};

/** The handle `start` returns, with whether the server started the workflow eagerly. */
export type WorkflowHandleWithStartDetails<T extends Workflow = Workflow> = WorkflowHandleWithFirstExecutionRunId<T> & {
  readonly eagerlyStarted: boolean;
};

/** The handle `signalWithStart` returns. */
export type WorkflowHandleWithSignaledRunId<T extends Workflow = Workflow> = WorkflowHandle<T> & {
  readonly signaledRunId: string;
};

function signalNameOf(signal: unknown): string {
  const name = typeof signal === 'string' ? signal : (signal as { name?: unknown } | undefined)?.name;
  if (typeof name !== 'string' || name.length === 0) {
    throw new TypeError('WorkflowSignalWithStartOptions.signal is required (a signal definition or name)');
  }
  return name;
}

/**
 * Starts workflow executions and creates handles to them.
 *
 * @example
 * ```ts
 * import { Connection, WorkflowClient } from 'duraflow/client';
 * const client = new WorkflowClient({ connection: await Connection.connect() });
 * const handle = await client.start('greet', { taskQueue: 'main', workflowId: 'greet-1', args: ['Ada'] });
 * console.log(await handle.result());
 * ```
 */
export class WorkflowClient {
  readonly connection: Connection;
  readonly namespace: string;
  private readonly ctx: HandleContext;
  private readonly interceptorsOption: WorkflowClientInterceptors | WorkflowClientInterceptor[] | undefined;

  constructor(options: WorkflowClientOptions) {
    if (!options?.connection) throw new TypeError('WorkflowClientOptions.connection is required');
    this.connection = options.connection;
    this.namespace = options.namespace ?? 'default';
    const queryRejectCondition = options.queryRejectCondition ?? QueryRejectCondition.NONE;
    if (!(queryRejectCondition in QueryRejectCondition)) {
      throw new TypeError(`queryRejectCondition must be one of NONE, NOT_OPEN, NOT_COMPLETED_CLEANLY; got ${String(queryRejectCondition)}`);
    }
    validateWorkflowInterceptors(options.interceptors);
    this.interceptorsOption = options.interceptors;
    this.ctx = {
      connection: this.connection,
      namespace: this.namespace,
      identity: options.identity ?? defaultIdentity(),
      converter: new ClientDataConverter(options.dataConverter),
      queryRejectCondition,
    };
  }

  /** The raw WorkflowService of the connection. */
  get workflowService(): Connection['workflowService'] {
    return this.connection.workflowService;
  }

  private interceptorsFor(workflowId: string, runId?: string): WorkflowClientInterceptor[] {
    return workflowInterceptorsFor(this.interceptorsOption, workflowId, runId);
  }

  /**
   * Starts a workflow execution; the handle's `firstExecutionRunId` is the run that was started.
   *
   * @example
   * ```ts
   * const handle = await client.workflow.start(order, { taskQueue: 'orders', workflowId: 'order-7', args: [7] });
   * ```
   */
  async start<T extends Workflow>(
    workflowTypeOrFunc: string | T,
    options: WorkflowStartOptions<T>,
  ): Promise<WorkflowHandleWithStartDetails<T>> {
    const workflowType = workflowTypeName(workflowTypeOrFunc);
    const compiled = compileWorkflowOptions(options);
    const interceptors = this.interceptorsFor(compiled.workflowId);
    const fn = composeInterceptors(interceptors, 'startWithDetails', (input: WorkflowStartInput) => startWorkflowHandler(this.ctx, input));
    const output = await fn({ workflowType, options: compiled, headers: {} });
    const handle = new WorkflowHandleImpl<T>(this.ctx, compiled.workflowId, undefined, {
      firstExecutionRunId: output.runId,
      followRuns: compiled.followRuns,
      interceptors,
    });
    return Object.assign(handle, { eagerlyStarted: output.eagerlyStarted }) as unknown as WorkflowHandleWithStartDetails<T>;
  }

  /**
   * Starts a workflow execution and waits for its result (following continue-as-new, retries and
   * cron runs unless `followRuns: false`).
   *
   * @example
   * ```ts
   * const total = await client.workflow.execute(order, { taskQueue: 'orders', workflowId: 'order-8', args: [8] });
   * ```
   */
  async execute<T extends Workflow>(workflowTypeOrFunc: string | T, options: WorkflowStartOptions<T>): Promise<WorkflowResultType<T>> {
    const handle = await this.start(workflowTypeOrFunc, options);
    return handle.result();
  }

  /**
   * Signals a workflow execution, starting it first if it is not running.
   *
   * @example
   * ```ts
   * await client.workflow.signalWithStart('counter', { taskQueue: 'q', workflowId: 'c', signal: 'add', signalArgs: [1] });
   * ```
   */
  async signalWithStart<T extends Workflow, SignalArgs extends unknown[] = []>(
    workflowTypeOrFunc: string | T,
    options: WithWorkflowArgs<T, WorkflowSignalWithStartOptions<SignalArgs>>,
  ): Promise<WorkflowHandleWithSignaledRunId<T>> {
    const workflowType = workflowTypeName(workflowTypeOrFunc);
    validateWorkflowOptions(options);
    const { signal, signalArgs, ...startOptions } = options as WorkflowSignalWithStartOptions<unknown[]> & { args?: unknown[] };
    const signalName = signalNameOf(signal);
    if (signalArgs !== undefined && !Array.isArray(signalArgs)) throw new TypeError('WorkflowSignalWithStartOptions.signalArgs must be an array');
    const compiled = compileWorkflowOptions(startOptions);
    const interceptors = this.interceptorsFor(compiled.workflowId);
    const fn = composeInterceptors(interceptors, 'signalWithStart', (input: WorkflowSignalWithStartInput) =>
      signalWithStartHandler(this.ctx, input),
    );
    const runId = await fn({ workflowType, signalName, signalArgs: signalArgs ?? [], options: compiled, headers: {} });
    const handle = new WorkflowHandleImpl<T>(this.ctx, compiled.workflowId, undefined, {
      runIdForResult: runId,
      followRuns: compiled.followRuns,
      interceptors,
    });
    handle.signaledRunId = runId;
    return handle as WorkflowHandleWithSignaledRunId<T>;
  }

  /**
   * Starts a workflow (or, with conflict policy `USE_EXISTING`, uses the running one), sends it an
   * update and waits for the update's result. The workflow handle is `startWorkflowOperation.workflowHandle()`.
   *
   * @example
   * ```ts
   * const startWorkflowOperation = new WithStartWorkflowOperation(cart, {
   *   workflowId: 'cart-42', taskQueue: 'shop', args: [], workflowIdConflictPolicy: 'USE_EXISTING',
   * });
   * const count = await client.workflow.executeUpdateWithStart(addItem, { args: ['book'], startWorkflowOperation });
   * ```
   */
  async executeUpdateWithStart<T extends Workflow, Ret, Args extends unknown[]>(
    updateDef: UpdateDefinition<Ret, Args> | string,
    options: WorkflowUpdateWithStartOptions<T, Args>,
  ): Promise<Ret> {
    const handle = await runUpdateWithStart<Ret>(this.ctx, (id) => this.interceptorsFor(id), updateDef, options, 'COMPLETED');
    return handle.result();
  }

  /**
   * Like {@link executeUpdateWithStart}, but returns an update handle once the update is accepted.
   *
   * @example
   * ```ts
   * const updateHandle = await client.workflow.startUpdateWithStart(addItem, {
   *   args: ['book'], waitForStage: 'ACCEPTED', startWorkflowOperation,
   * });
   * console.log(await updateHandle.result());
   * ```
   */
  async startUpdateWithStart<T extends Workflow, Ret, Args extends unknown[]>(
    updateDef: UpdateDefinition<Ret, Args> | string,
    options: WorkflowUpdateWithStartOptions<T, Args> & { waitForStage: 'ACCEPTED' },
  ): Promise<WorkflowUpdateHandle<Ret>> {
    if ((options as { waitForStage?: unknown } | undefined)?.waitForStage !== 'ACCEPTED') {
      throw new TypeError("startUpdateWithStart options.waitForStage must be 'ACCEPTED'");
    }
    return runUpdateWithStart<Ret>(this.ctx, (id) => this.interceptorsFor(id), updateDef, options, 'ACCEPTED');
  }

  /**
   * A handle to an existing workflow execution; no call is made until a method is used.
   *
   * @example
   * ```ts
   * const status = await client.workflow.getHandle('order-7').query('status');
   * ```
   */
  getHandle<T extends Workflow>(workflowId: string, runId?: string, options?: GetWorkflowHandleOptions): WorkflowHandle<T> {
    if (typeof workflowId !== 'string' || workflowId.length === 0) throw new TypeError('workflowId must be a non-empty string');
    if (runId !== undefined && (typeof runId !== 'string' || runId.length === 0)) throw new TypeError('runId must be a non-empty string when given');
    return new WorkflowHandleImpl<T>(this.ctx, workflowId, runId, { ...options, interceptors: this.interceptorsFor(workflowId, runId) });
  }

  /**
   * Waits for the result of a workflow execution, following its runs.
   *
   * @example
   * ```ts
   * const total = await client.workflow.result<typeof order>('order-8');
   * ```
   */
  async result<T extends Workflow>(workflowId: string, runId?: string, options?: GetWorkflowHandleOptions): Promise<WorkflowResultType<T>> {
    return this.getHandle<T>(workflowId, runId, options).result();
  }

  /**
   * Lists workflow executions matching a visibility query, fetching pages as you iterate.
   *
   * @example
   * ```ts
   * for await (const wf of client.workflow.list({ query: "ExecutionStatus = 'Running'" })) console.log(wf.workflowId);
   * ```
   */
  list(options: ListOptions = {}): AsyncWorkflowListIterable {
    validateListOptions(options);
    const infos = (): AsyncGenerator<WorkflowExecutionInfo> => this.listPages(options);
    const ctx = this.ctx;
    return {
      [Symbol.asyncIterator]: () => infos()[Symbol.asyncIterator](),
      async *intoHistories(): AsyncGenerator<HistoryAndWorkflowId> {
        for await (const info of infos()) {
          yield { workflowId: info.workflowId, history: await fetchAllHistory(ctx, info.workflowId, info.runId) };
        }
      },
    };
  }

  private async *listPages(options: ListOptions): AsyncGenerator<WorkflowExecutionInfo> {
    let nextPageToken: Uint8Array | undefined;
    do {
      const response = await callService({ call: 'ListWorkflowExecutions', namespace: this.namespace }, () =>
        this.connection.workflowService.listWorkflowExecutions({
          namespace: this.namespace,
          query: options.query,
          pageSize: options.pageSize,
          nextPageToken,
        }),
      );
      for (const raw of response.executions ?? []) yield await executionInfoFromRaw(raw, this.ctx.converter);
      nextPageToken = response.nextPageToken?.length ? response.nextPageToken : undefined;
    } while (nextPageToken);
  }

  /**
   * Counts workflow executions matching a visibility query (optionally `GROUP BY ExecutionStatus`).
   *
   * @example
   * ```ts
   * const { count } = await client.workflow.count("WorkflowType = 'order'");
   * ```
   */
  async count(query?: string): Promise<CountWorkflowExecution> {
    if (query !== undefined && typeof query !== 'string') throw new TypeError(`count's query must be a string, got ${typeof query}`);
    const response = await callService({ call: 'CountWorkflowExecutions', namespace: this.namespace }, () =>
      this.connection.workflowService.countWorkflowExecutions({ namespace: this.namespace, query }),
    );
    const converter = defaultPayloadConverter;
    return {
      count: int64ToNumber(response.count),
      groups: (response.groups ?? []).map((group) => ({
        count: int64ToNumber(group.count),
        groupValues: arrayFromPayloads(converter, group.groupValues),
      })),
    };
  }
}

/** Checks `list()`'s options when it is called, not when its results are first iterated. */
function validateListOptions(options: ListOptions): void {
  if (typeof options !== 'object' || options === null) throw new TypeError(`ListOptions must be an object, got ${options === null ? 'null' : typeof options}`);
  if (options.query !== undefined && typeof options.query !== 'string') throw new TypeError(`ListOptions.query must be a string, got ${typeof options.query}`);
  if (options.pageSize !== undefined && !(Number.isInteger(options.pageSize) && options.pageSize > 0)) {
    throw new TypeError('ListOptions.pageSize must be a positive integer');
  }
}
