/** Client: the entry point holding the per-service clients over one connection. */
import type { DataConverter } from '../common/index.js';
import { AsyncCompletionClient } from './async-completion-client.js';
import type { Connection } from './connection.js';
import type { QueryRejectCondition } from './handle-context.js';
import { defaultIdentity } from './identity.js';
import type { ClientInterceptors } from './interceptors.js';
import { ScheduleClient } from './schedule-client.js';
import { WorkflowClient } from './workflow-client.js';

/** Options of {@link Client}. */
export interface ClientOptions {
  connection: Connection;
  /** @default 'default' */
  namespace?: string;
  /** Payload converter (by module path), failure converter and payload codecs. @default the default converters, no codecs */
  dataConverter?: DataConverter;
  /** @default `<pid>@<hostname>` */
  identity?: string;
  /** Interceptors of the workflow and schedule clients' calls. @default {} */
  interceptors?: ClientInterceptors;
  /** Options of the workflow client. */
  workflow?: { queryRejectCondition?: QueryRejectCondition };
}

/**
 * A client for a Temporal namespace: `client.workflow` starts and manages workflow executions,
 * `client.schedule` manages schedules and `client.activity` completes activities asynchronously.
 *
 * @example
 * ```ts
 * import { Client, Connection } from 'duraflow/client';
 * const client = new Client({ connection: await Connection.connect({ address: 'localhost:7233' }) });
 * const result = await client.workflow.execute('greet', { taskQueue: 'main', workflowId: 'greet-1', args: ['Ada'] });
 * ```
 */
export class Client {
  readonly connection: Connection;
  readonly namespace: string;
  readonly workflow: WorkflowClient;
  readonly schedule: ScheduleClient;
  readonly activity: AsyncCompletionClient;

  constructor(options: ClientOptions) {
    if (!options?.connection) throw new TypeError('ClientOptions.connection is required');
    const interceptors = options.interceptors;
    if (interceptors !== undefined && (typeof interceptors !== 'object' || interceptors === null)) {
      throw new TypeError('ClientOptions.interceptors must be an object: { workflow?: [...], schedule?: [...] }');
    }
    if (options.namespace !== undefined && (typeof options.namespace !== 'string' || options.namespace === '')) {
      throw new TypeError('ClientOptions.namespace must be a non-empty string');
    }
    this.connection = options.connection;
    this.namespace = options.namespace ?? 'default';
    const common = {
      connection: options.connection,
      namespace: this.namespace,
      dataConverter: options.dataConverter,
      identity: options.identity ?? defaultIdentity(),
    };
    this.workflow = new WorkflowClient({
      ...common,
      queryRejectCondition: options.workflow?.queryRejectCondition,
      interceptors: interceptors?.workflow,
    });
    this.schedule = new ScheduleClient({ ...common, interceptors: interceptors?.schedule });
    this.activity = new AsyncCompletionClient(common);
  }

  /** The raw WorkflowService of the connection. */
  get workflowService(): Connection['workflowService'] {
    return this.connection.workflowService;
  }
}
