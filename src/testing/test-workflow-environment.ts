/**
 * {@link TestWorkflowEnvironment}: a server, a connection and a client for workflow tests — the
 * embedded dev server in this process (real time or time skipping), or an existing server.
 *
 * @module
 */
import { longDelay } from '../activity/long-timeout.js';
import { Client, Connection, type AsyncCompletionClient, type WorkflowClient } from '../client/index.js';
import { msToNumber, msToTs, tsToMs, type Duration } from '../common/index.js';
import { DevServer } from '../server/index.js';
import {
  compileTestServerOptions,
  type ClientOptionsForTestEnv,
  type ExistingServerConnectionOptions,
  type ExistingServerTestWorkflowEnvironmentOptions,
  type LocalTestWorkflowEnvironmentOptions,
  type TestServerConfig,
  type TimeSkippingTestWorkflowEnvironmentOptions,
} from './environment-options.js';
import { TimeSkippingClient } from './time-skipping-client.js';
import { timeSkippingGate } from './time-skipping-gate.js';

/** How an environment was set up (what {@link TestWorkflowEnvironment}'s constructor receives). */
interface EnvironmentParts {
  server: DevServer | undefined;
  connection: Connection;
  namespace: string;
  address: string;
  supportsTimeSkipping: boolean;
  client: ClientOptionsForTestEnv | undefined;
  connectionOptions: ExistingServerConnectionOptions;
}

/**
 * An environment for workflow integration tests: a server, a {@link Connection} to it, and a
 * {@link Client}. Create one with {@link createLocal}, {@link createTimeSkipping} or
 * {@link createFromExistingServer}; give `env.nativeConnection` (the same connection) to your
 * `Worker`; call {@link teardown} when done.
 *
 * The local and time-skipping environments run duraflow's embedded dev server in this process on a
 * free port, with an in-memory database: nothing is downloaded or launched, and each environment has
 * its own server and clock, so environments in one process never share time.
 *
 * @example
 * ```ts
 * import { TestWorkflowEnvironment } from 'duraflow/testing';
 * import { Worker } from 'duraflow/worker';
 *
 * const env = await TestWorkflowEnvironment.createTimeSkipping();
 * const worker = await Worker.create({ connection: env.nativeConnection, taskQueue: 'test', workflowsPath, activities });
 * const result = await worker.runUntil(
 *   env.client.workflow.execute('reminder', { taskQueue: 'test', workflowId: 'r-1', args: ['30 days'] }),
 * );
 * await env.teardown();
 * ```
 */
export class TestWorkflowEnvironment {
  /** The namespace the client uses (and the environment's server created). */
  readonly namespace: string;
  /** The connection to the server. */
  readonly connection: Connection;
  /**
   * The connection to give to workers: duraflow's worker uses the client's {@link Connection}, so
   * this is {@link connection} (the name is `@temporalio/testing`'s).
   */
  readonly nativeConnection: Connection;
  /** A client of {@link namespace}; in a time-skipping environment, one whose result waits skip time. */
  readonly client: Client;
  /** `host:port` of the server. */
  readonly address: string;
  /** Whether the server skips time ({@link createTimeSkipping}). */
  readonly supportsTimeSkipping: boolean;
  /** The connection options given to {@link createFromExistingServer} (`{}` otherwise). */
  readonly connectionOptions: ExistingServerConnectionOptions;
  /** The embedded server this environment started and stops on {@link teardown}; `undefined` for an existing server. */
  readonly server: DevServer | undefined;
  private tornDown: Promise<void> | undefined;

  protected constructor(parts: EnvironmentParts) {
    this.server = parts.server;
    this.connection = parts.connection;
    this.nativeConnection = parts.connection;
    this.namespace = parts.namespace;
    this.address = parts.address;
    this.supportsTimeSkipping = parts.supportsTimeSkipping;
    this.connectionOptions = parts.connectionOptions;
    const clientOptions = { ...parts.client, connection: parts.connection, namespace: parts.namespace };
    this.client = parts.supportsTimeSkipping ? new TimeSkippingClient(clientOptions) : new Client(clientOptions);
  }

  /**
   * Starts the embedded dev server in this process (free port, in-memory database) and connects to
   * it. Time is real: {@link sleep} waits and {@link currentTimeMs} is the system time.
   *
   * @example
   * ```ts
   * const env = await TestWorkflowEnvironment.createLocal({
   *   server: { namespace: 'orders', searchAttributes: { CustomerId: 'Keyword' } },
   * });
   * ```
   */
  static async createLocal(options: LocalTestWorkflowEnvironmentOptions = {}): Promise<TestWorkflowEnvironment> {
    checkOptions(options, 'createLocal');
    return this.startEmbedded(options.server, options.client, false);
  }

  /**
   * Starts the embedded dev server in time-skipping mode (the model of Temporal's test server): the
   * server holds a time-skipping lock, and the environment's client releases it while a test waits
   * for a workflow result, so that, with no workflow task or activity in flight, the server clock
   * jumps straight to the next timer. {@link sleep} skips time too; {@link currentTimeMs} reads the
   * server clock.
   *
   * Time skipping is global to the environment: run tests on one environment one after another, or
   * give each test its own environment (they are cheap, and their clocks are independent).
   *
   * @example
   * ```ts
   * const env = await TestWorkflowEnvironment.createTimeSkipping();
   * await env.sleep('1 day');
   * ```
   */
  static async createTimeSkipping(options: TimeSkippingTestWorkflowEnvironmentOptions = {}): Promise<TestWorkflowEnvironment> {
    checkOptions(options, 'createTimeSkipping');
    return this.startEmbedded(options.server, options.client, true);
  }

  /**
   * Connects to a server that is already running (a dev server, a Temporal Cluster); nothing is
   * started or stopped. Time is real.
   *
   * @example
   * ```ts
   * const env = await TestWorkflowEnvironment.createFromExistingServer({ address: 'localhost:7233', namespace: 'default' });
   * ```
   */
  static async createFromExistingServer(options: ExistingServerTestWorkflowEnvironmentOptions = {}): Promise<TestWorkflowEnvironment> {
    checkOptions(options, 'createFromExistingServer');
    const address = options.address ?? 'localhost:7233';
    const namespace = options.namespace ?? 'default';
    if (typeof namespace !== 'string' || namespace === '') throw new TypeError('createFromExistingServer: namespace must be a non-empty string');
    const { apiKey, metadata, tls } = options.connectionOptions ?? {};
    const connectionOptions: ExistingServerConnectionOptions = { apiKey, metadata, tls };
    const connection = await Connection.connect({ ...connectionOptions, address });
    return new this({ server: undefined, connection, namespace, address, supportsTimeSkipping: false, client: options.client, connectionOptions });
  }

  private static async startEmbedded(
    config: TestServerConfig | undefined,
    client: ClientOptionsForTestEnv | undefined,
    timeSkipping: boolean,
  ): Promise<TestWorkflowEnvironment> {
    const serverOptions = compileTestServerOptions(config, timeSkipping);
    const namespace = serverOptions.namespaces?.[0] ?? 'default';
    const server = await DevServer.start(serverOptions);
    try {
      const connection = await Connection.connect({ address: server.address });
      return new this({ server, connection, namespace, address: server.address, supportsTimeSkipping: timeSkipping, client, connectionOptions: {} });
    } catch (error) {
      await server.stop();
      throw error;
    }
  }

  /** @deprecated Use `client.workflow`. */
  get workflowClient(): WorkflowClient {
    return this.client.workflow;
  }

  /** @deprecated Use `client.activity`. */
  get asyncCompletionClient(): AsyncCompletionClient {
    return this.client.activity;
  }

  /**
   * Waits `duration` of server time. In a time-skipping environment the server may skip ahead (time
   * runs at wall speed only while a workflow task or an activity is in flight), so this usually
   * takes far less wall time; elsewhere it is a plain timer.
   *
   * @example
   * ```ts
   * const before = await env.currentTimeMs();
   * await env.sleep('1 day');
   * (await env.currentTimeMs()) - before; // >= 86_400_000
   * ```
   */
  readonly sleep = async (duration: Duration): Promise<void> => {
    const ms = msToNumber(duration);
    if (!(ms >= 0)) throw new TypeError(`sleep duration must not be negative, got ${String(duration)}`);
    if (!this.supportsTimeSkipping) {
      await longDelay(ms);
      return;
    }
    const testService = this.connection.testService;
    await timeSkippingGate(this.connection).run(() => testService.sleep({ duration: msToTs(ms) }));
  };

  /**
   * The current time of the environment's server, in epoch milliseconds: the (possibly skipped)
   * server clock in a time-skipping environment, the system time otherwise.
   *
   * @example
   * ```ts
   * const now = new Date(await env.currentTimeMs());
   * ```
   */
  async currentTimeMs(): Promise<number> {
    if (!this.supportsTimeSkipping) return Date.now();
    const { time } = await this.connection.testService.getCurrentTime({});
    return tsToMs(time);
  }

  /**
   * Closes the connection and stops the embedded server (if this environment started one). Shut
   * your workers down first. Calling it again returns the same promise.
   *
   * @example
   * ```ts
   * after(() => env.teardown());
   * ```
   */
  teardown(): Promise<void> {
    this.tornDown ??= (async () => {
      await this.connection.close().catch(() => undefined);
      await this.server?.stop();
    })();
    return this.tornDown;
  }
}

function checkOptions(options: unknown, method: string): void {
  if (typeof options !== 'object' || options === null) throw new TypeError(`TestWorkflowEnvironment.${method}: options must be an object`);
}
