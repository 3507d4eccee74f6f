/** Client: the entry point holding the per-service clients over one connection. */
import type { DataConverter } from '../common/index.js';
import type { Connection } from './connection.js';
import type { QueryRejectCondition } from './handle-context.js';
import { WorkflowClient } from './workflow-client.js';

/** Options of {@link Client}. */
export interface ClientOptions {
  connection: Connection;
  /** Defaults to `'default'`. */
  namespace?: string;
  dataConverter?: DataConverter;
  /** Defaults to `<pid>@<hostname>`. */
  identity?: string;
  /** Options of the workflow client. */
  workflow?: { queryRejectCondition?: QueryRejectCondition };
}

/**
 * A client for a Temporal namespace; `client.workflow` starts and manages workflow executions.
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

  constructor(options: ClientOptions) {
    if (!options?.connection) throw new TypeError('ClientOptions.connection is required');
    this.connection = options.connection;
    this.namespace = options.namespace ?? 'default';
    this.workflow = new WorkflowClient({
      connection: options.connection,
      namespace: this.namespace,
      dataConverter: options.dataConverter,
      identity: options.identity,
      queryRejectCondition: options.workflow?.queryRejectCondition,
    });
  }

  /** The raw WorkflowService of the connection. */
  get workflowService(): Connection['workflowService'] {
    return this.connection.workflowService;
  }
}
