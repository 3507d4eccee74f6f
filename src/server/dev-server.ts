import { Server, ServerCredentials } from '@grpc/grpc-js';
import { operatorServiceDefinition, testServiceDefinition, workflowServiceDefinition } from '../proto/index.js';
import { Engine } from './engine/engine.js';
import { ensureNamespace } from './engine/namespaces.js';
import { unary } from './grpc/call.js';
import { workflowServiceHandlers } from './grpc/workflow-service.js';
import { operatorServiceHandlers } from './grpc/operator-service.js';
import { createLogger, type Logger } from './logger.js';
import { compileDevServerOptions, type CompiledDevServerOptions, type DevServerOptions } from './options.js';
import { Store } from './store/store.js';
import { SCHEDULE_TIMER } from './schedules/record.js';
import { onScheduleTimer } from './schedules/schedule-api.js';
import { SkippingClock } from './time-skipping/skipping-clock.js';
import { TimeSkipper } from './time-skipping/time-skipper.js';
import { testServiceHandlers } from './time-skipping/test-service.js';

/** The version this server reports in GetSystemInfo. */
export const SERVER_VERSION = '1.29.0-duraflow';
const MAX_MESSAGE_BYTES = 128 * 1024 * 1024;

/**
 * The embedded Temporal dev server: the Temporal gRPC API over a SQLite store.
 *
 * @example
 * ```ts
 * import { DevServer } from 'duraflow/server';
 * const server = await DevServer.start({ port: 0 });
 * console.log(server.address); // 127.0.0.1:54321
 * await server.stop();
 * ```
 */
export class DevServer {
  private constructor(
    readonly options: CompiledDevServerOptions,
    private readonly grpcServer: Server,
    private readonly store: Store,
    private readonly engine: Engine,
    /** The port actually bound. */
    readonly port: number,
  ) {}

  /** `host:port` to give clients and workers. */
  get address(): string {
    return `${this.options.ip}:${this.port}`;
  }

  /** Opens the store, creates namespaces, re-arms persisted timers and starts listening. */
  static async start(options: DevServerOptions = {}): Promise<DevServer> {
    const compiled = compileDevServerOptions(options);
    const log = createLogger(compiled.logLevel, compiled.logFormat);
    const store = new Store(compiled.dbFilename);
    try {
      provisionNamespaces(store, compiled);
      const clock = compiled.timeSkipping ? new SkippingClock() : compiled.clock;
      const engine = new Engine(store, clock, log);
      engine.onOwnerlessTimer(SCHEDULE_TIMER, onScheduleTimer);
      const server = grpcServer(engine, compiled, log);
      const port = await bind(server, `${compiled.ip}:${compiled.port}`, compiled.tls);
      engine.armTimers();
      log.info(`duraflow dev server listening on ${compiled.ip}:${port}`);
      return new DevServer(compiled, server, store, engine, port);
    } catch (error) {
      store.close();
      throw error;
    }
  }

  /** Ends long polls, stops accepting calls, and closes the store. */
  async stop(): Promise<void> {
    this.engine.stop();
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => {
        this.grpcServer.forceShutdown();
        resolve();
      }, 2000);
      this.grpcServer.tryShutdown(() => {
        clearTimeout(force);
        resolve();
      });
    });
    this.store.close();
  }
}

/** Creates the configured namespaces and registers the configured search attributes in each. */
function provisionNamespaces(store: Store, o: CompiledDevServerOptions): void {
  store.transaction(() => {
    for (const name of o.namespaces) {
      ensureNamespace(store, name);
      const known = new Set(store.listSearchAttributes(name).map((a) => a.name));
      for (const [sa, type] of Object.entries(o.searchAttributes)) {
        if (!known.has(sa)) store.addSearchAttribute(name, sa, type);
      }
    }
  });
}

/** The gRPC server with WorkflowService, OperatorService and (time skipping) TestService. */
function grpcServer(engine: Engine, o: CompiledDevServerOptions, log: Logger): Server {
  const server = new Server({
    'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
    'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
  });
  const handlers = workflowServiceHandlers(engine, { longPollMs: o.longPollMs, serverVersion: SERVER_VERSION });
  server.addService(workflowServiceDefinition, bindHandlers(handlers, log, o.apiKey));
  server.addService(operatorServiceDefinition, bindHandlers(operatorServiceHandlers(engine), log, o.apiKey));
  if (engine.clock instanceof SkippingClock) {
    const store = engine.store;
    const skipper = new TimeSkipper(engine.clock, o.timeSkipping?.startLocked ?? true, () => store.nextTimerAt(), () => engine.fireDueTimers());
    for (const key of engine.busyRunKeys()) skipper.setBusy(key, true);
    engine.skipper = skipper;
    server.addService(testServiceDefinition, bindHandlers(testServiceHandlers(skipper), log, o.apiKey));
  }
  return server;
}

function bindHandlers(handlers: Record<string, unknown>, log: Logger, apiKey: string | undefined): Record<string, ReturnType<typeof unary>> {
  const out: Record<string, ReturnType<typeof unary>> = {};
  for (const [name, fn] of Object.entries(handlers)) out[name] = unary(name, fn as never, log, apiKey);
  return out;
}

function credentials(tls: CompiledDevServerOptions['tls']): ServerCredentials {
  if (!tls) return ServerCredentials.createInsecure();
  return ServerCredentials.createSsl(tls.clientCa ?? null, [{ private_key: tls.key, cert_chain: tls.cert }], Boolean(tls.clientCa));
}

function bind(server: Server, address: string, tls: CompiledDevServerOptions['tls']): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(address, credentials(tls), (error, port) => (error ? reject(error) : resolve(port)));
  });
}
