/**
 * The client of a time-skipping test environment: the ordinary {@link Client}, except that waiting
 * for a workflow's result (`handle.result()`, `client.workflow.result()`, `client.workflow.execute()`)
 * lets the test server skip time, as `@temporalio/testing`'s `TimeSkippingWorkflowClient` does.
 *
 * @module
 */
import {
  Client,
  WorkflowClient,
  type ClientOptions,
  type GetWorkflowHandleOptions,
  type WithWorkflowArgs,
  type Workflow,
  type WorkflowClientOptions,
  type WorkflowHandle,
  type WorkflowHandleWithSignaledRunId,
  type WorkflowHandleWithStartDetails,
  type WorkflowSignalWithStartOptions,
  type WorkflowStartOptions,
} from '../client/index.js';
import { timeSkippingGate, type TimeSkippingGate } from './time-skipping-gate.js';

/**
 * A {@link WorkflowClient} whose handles release the test server's time-skipping lock while they
 * wait for a result, so timers fire as soon as nothing else is in flight.
 *
 * @example
 * ```ts
 * const workflow = new TimeSkippingWorkflowClient({ connection: env.connection });
 * const handle = await workflow.start('reminder', { taskQueue: 'q', workflowId: 'r-1', args: ['30 days'] });
 * await handle.result(); // 30 days of server time, milliseconds of wall time
 * ```
 */
export class TimeSkippingWorkflowClient extends WorkflowClient {
  protected readonly gate: TimeSkippingGate;

  constructor(options: WorkflowClientOptions) {
    super(options);
    if (!options.connection?.testService) throw new TypeError('TimeSkippingWorkflowClient needs a connection with a testService');
    this.gate = timeSkippingGate(options.connection);
  }

  override async start<T extends Workflow>(workflowTypeOrFunc: string | T, options: WorkflowStartOptions<T>): Promise<WorkflowHandleWithStartDetails<T>> {
    return this.skippingResult(await super.start(workflowTypeOrFunc, options));
  }

  override async signalWithStart<T extends Workflow, SignalArgs extends unknown[] = []>(
    workflowTypeOrFunc: string | T,
    options: WithWorkflowArgs<T, WorkflowSignalWithStartOptions<SignalArgs>>,
  ): Promise<WorkflowHandleWithSignaledRunId<T>> {
    return this.skippingResult(await super.signalWithStart(workflowTypeOrFunc, options));
  }

  override getHandle<T extends Workflow>(workflowId: string, runId?: string, options?: GetWorkflowHandleOptions): WorkflowHandle<T> {
    return this.skippingResult(super.getHandle<T>(workflowId, runId, options));
  }

  /** `handle.result()` wrapped so that time skips while it waits. (`execute` and `result` go through the handles.) */
  private skippingResult<H extends { result(): Promise<unknown> }>(handle: H): H {
    const result = handle.result.bind(handle);
    Object.defineProperty(handle, 'result', {
      value: () => this.gate.run(result),
      writable: true,
      configurable: true,
      enumerable: false,
    });
    return handle;
  }
}

/**
 * A {@link Client} whose `workflow` is a {@link TimeSkippingWorkflowClient}.
 *
 * @example
 * ```ts
 * const client = new TimeSkippingClient({ connection: env.connection });
 * await client.workflow.execute('reminder', { taskQueue: 'q', workflowId: 'r-2', args: ['1 year'] });
 * ```
 */
export class TimeSkippingClient extends Client {
  constructor(options: ClientOptions) {
    super(options);
    const workflow = new TimeSkippingWorkflowClient({
      connection: options.connection,
      namespace: this.namespace,
      dataConverter: options.dataConverter,
      identity: options.identity,
      queryRejectCondition: options.workflow?.queryRejectCondition,
      interceptors: options.interceptors?.workflow,
    });
    Object.defineProperty(this, 'workflow', { value: workflow, writable: false, enumerable: true, configurable: false });
  }
}
