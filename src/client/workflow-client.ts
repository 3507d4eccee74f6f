/** WorkflowClient: start, signal-with-start, get handles to, list and count workflow executions. */
import os from 'node:os';
import { arrayFromPayloads, int64ToNumber, type DataConverter } from '../common/index.js';
import type { Connection } from './connection.js';
import { ClientDataConverter, loadDataConverter } from './data-conversion.js';
import type { Workflow, WorkflowResultType } from '../common/definitions.js';
import { QueryRejectCondition, type HandleContext } from './handle-context.js';
import {
  executionInfoFromRaw,
  type AsyncWorkflowListIterable,
  type CountWorkflowExecution,
  type HistoryAndWorkflowId,
  type ListOptions,
  type WorkflowExecutionInfo,
} from './list.js';
import { callService } from './workflow-client-errors.js';
import { fetchAllHistory, WorkflowHandleImpl, type GetWorkflowHandleOptions, type WorkflowHandle } from './workflow-handle.js';
import {
  compileStartRequest,
  validateWorkflowOptions,
  workflowTypeName,
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
}

/** The handle `start` returns: `runId` is unset so operations target the latest run of the chain. */
export type WorkflowHandleWithFirstExecutionRunId<T extends Workflow = Workflow> = WorkflowHandle<T> & {
  readonly firstExecutionRunId: string;
};

/** The handle `signalWithStart` returns. */
export type WorkflowHandleWithSignaledRunId<T extends Workflow = Workflow> = WorkflowHandle<T> & {
  readonly signaledRunId: string;
};

/** Default client identity: `<pid>@<hostname>`. */
export function defaultIdentity(): string {
  return `${process.pid}@${os.hostname()}`;
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

  constructor(options: WorkflowClientOptions) {
    if (!options?.connection) throw new TypeError('WorkflowClientOptions.connection is required');
    this.connection = options.connection;
    this.namespace = options.namespace ?? 'default';
    const queryRejectCondition = options.queryRejectCondition ?? QueryRejectCondition.NONE;
    if (!(queryRejectCondition in QueryRejectCondition)) {
      throw new TypeError(`queryRejectCondition must be one of NONE, NOT_OPEN, NOT_COMPLETED_CLEANLY; got ${String(queryRejectCondition)}`);
    }
    this.ctx = {
      connection: this.connection,
      namespace: this.namespace,
      identity: options.identity ?? defaultIdentity(),
      converter: new ClientDataConverter(loadDataConverter(options.dataConverter)),
      queryRejectCondition,
    };
  }

  /** The raw WorkflowService of the connection. */
  get workflowService(): Connection['workflowService'] {
    return this.connection.workflowService;
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
  ): Promise<WorkflowHandleWithFirstExecutionRunId<T>> {
    const workflowType = workflowTypeName(workflowTypeOrFunc);
    validateWorkflowOptions(options);
    const request = await compileStartRequest(this.namespace, this.ctx.identity, workflowType, options, this.ctx.converter);
    const response = await callService(
      { call: 'StartWorkflowExecution', namespace: this.namespace, workflowId: options.workflowId, workflowType },
      () => this.connection.workflowService.startWorkflowExecution(request),
    );
    const handle = new WorkflowHandleImpl<T>(this.ctx, options.workflowId, undefined, { firstExecutionRunId: response.runId });
    return handle as WorkflowHandleWithFirstExecutionRunId<T>;
  }

  /** Starts a workflow execution and waits for its result. */
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
  async signalWithStart<T extends Workflow, SignalArgs extends unknown[] = unknown[]>(
    workflowTypeOrFunc: string | T,
    options: WorkflowSignalWithStartOptions<SignalArgs>,
  ): Promise<WorkflowHandleWithSignaledRunId<T>> {
    const workflowType = workflowTypeName(workflowTypeOrFunc);
    validateWorkflowOptions(options);
    const signalName = typeof options.signal === 'string' ? options.signal : options.signal?.name;
    if (typeof signalName !== 'string' || signalName.length === 0) {
      throw new TypeError('WorkflowSignalWithStartOptions.signal is required (a signal definition or name)');
    }
    const request = await compileStartRequest(this.namespace, this.ctx.identity, workflowType, options, this.ctx.converter);
    const signalInput = await this.ctx.converter.encodeArgs(options.signalArgs);
    const response = await callService(
      { call: 'SignalWithStartWorkflowExecution', namespace: this.namespace, workflowId: options.workflowId, workflowType },
      () =>
        this.connection.workflowService.signalWithStartWorkflowExecution({
          ...request,
          signalName,
          signalInput: signalInput ? { payloads: signalInput } : undefined,
        }),
    );
    const handle = new WorkflowHandleImpl<T>(this.ctx, options.workflowId);
    handle.signaledRunId = response.runId ?? '';
    return handle as WorkflowHandleWithSignaledRunId<T>;
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
    return new WorkflowHandleImpl<T>(this.ctx, workflowId, runId, options);
  }

  /** Waits for the result of a workflow execution, following its runs. */
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
    if (options.pageSize !== undefined && !(Number.isInteger(options.pageSize) && options.pageSize > 0)) {
      throw new TypeError('ListOptions.pageSize must be a positive integer');
    }
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
    const response = await callService({ call: 'CountWorkflowExecutions', namespace: this.namespace }, () =>
      this.connection.workflowService.countWorkflowExecutions({ namespace: this.namespace, query }),
    );
    const converter = this.ctx.converter.loaded.payloadConverter;
    return {
      count: int64ToNumber(response.count),
      groups: (response.groups ?? []).map((group) => ({
        count: int64ToNumber(group.count),
        groupValues: arrayFromPayloads(converter, group.groupValues),
      })),
    };
  }
}
