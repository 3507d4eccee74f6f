import { hostname } from 'node:os';
import { Server, ServerCredentials } from '@grpc/grpc-js';
import { healthServiceDefinition, operatorServiceDefinition, testServiceDefinition, workflowServiceDefinition } from '../proto/index.js';
import { Engine } from './engine/engine.js';
import { RetentionSweeper } from './engine/retention.js';
import { BatchRunner } from './batch/batch-runner.js';
import { UiApi, type UiService } from './http/ui-api.js';
import { UiServer } from './http/ui-server.js';
import { ensureNamespace } from './engine/namespaces.js';
import { toServiceError, unary, type RpcObserver } from './grpc/call.js';
import { workflowServiceHandlers } from './grpc/workflow-service.js';
import { HealthService } from './grpc/health-service.js';
import { operatorServiceHandlers } from './grpc/operator-service.js';
import { createLogger, type Logger } from './logger.js';
import { MetricsEndpoint } from './metrics/metrics-endpoint.js';
import { queueStateSource } from './metrics/queue-state.js';
import { DevServerMetrics } from './metrics/server-metrics.js';
import { compileDevServerOptions, type CompiledDevServerOptions, type DevServerOptions } from './options.js';
import { Store } from './store/store.js';
import { SCHEDULE_TIMER } from './schedules/record.js';
import { onScheduleTimer } from './schedules/schedule-api.js';
import { STICKY_TIMEOUT_TIMER } from './engine/sticky.js';
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
    private readonly parts: Attachments,
  ) {}

  /** The port of the Prometheus metrics endpoint (see `metricsPort`), if enabled. */
  get metricsPort(): number | undefined {
    return this.parts.metrics?.port;
  }

  /** The web UI's address (`http://ip:port/`), if enabled (see `uiPort`). */
  get uiUrl(): string | undefined {
    const ui = this.parts.ui;
    return ui && `http://${hostForUrl(this.options.ui?.ip ?? this.options.ip)}:${ui.port}/`;
  }

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
      const engine = new Engine(store, clock, log, { eagerActivities: compiled.eagerActivities });
      engine.onOwnerlessTimer(SCHEDULE_TIMER, onScheduleTimer);
      const metrics = compiled.metricsPort === undefined ? undefined : instrument(store, engine);
      const batches = new BatchRunner(engine);
      const handlers = {
        workflow: workflowServiceHandlers(engine, { longPollMs: compiled.longPollMs, serverVersion: SERVER_VERSION, hostName: hostname(), batches }),
        operator: operatorServiceHandlers(engine),
      };
      const { server, health } = grpcServer(engine, compiled, log, handlers, metrics && ((m, ms, code) => metrics.rpc(m, ms, code)));
      const port = await bind(server, `${compiled.ip}:${compiled.port}`, compiled.tls);
      const parts = await startAttachments(server, compiled, log, handlers, metrics);
      engine.armTimers();
      // Closed runs (and finished batch jobs) go once their namespace's retention has passed; skipped time never deletes them.
      const forgetBatchJobs = (namespace: string, closedBefore: number): void => void batches.jobs.deleteClosedBefore(namespace, closedBefore);
      const retention = clock instanceof SkippingClock ? undefined : new RetentionSweeper(engine, undefined, [forgetBatchJobs]);
      Object.assign(parts, { health, batches, retention });
      retention?.start();
      batches.start();
      const dev = new DevServer(compiled, server, store, engine, port, parts);
      log.info(`duraflow dev server listening on ${compiled.ip}:${port}${parts.metrics ? ` (metrics on port ${parts.metrics.port})` : ''}${dev.uiUrl ? ` (web UI at ${dev.uiUrl})` : ''}`);
      return dev;
    } catch (error) {
      store.close();
      throw error;
    }
  }

  /** Ends long polls, stops accepting calls, and closes the store. */
  async stop(): Promise<void> {
    this.parts.health?.shutdown();
    this.parts.retention?.stop();
    this.parts.batches?.stop();
    this.engine.stop();
    await this.parts.metrics?.close();
    await this.parts.ui?.close();
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

/** Records RPCs, transactions and queue state for the metrics endpoint. */
function instrument(store: Store, engine: Engine): DevServerMetrics {
  const metrics = new DevServerMetrics();
  store.onTransaction = (ms, committed) => metrics.transaction(ms, committed);
  metrics.watchQueues(queueStateSource(store, engine.waiters));
  return metrics;
}

/** What runs beside the gRPC server, each optional. */
interface Attachments {
  metrics?: MetricsEndpoint;
  ui?: UiServer;
  retention?: RetentionSweeper;
  batches?: BatchRunner;
  health?: HealthService;
}

/** The gRPC handler tables, shared by the gRPC server and the web UI's API. */
type HandlerTables = Record<UiService, Record<string, unknown>>;

/** Starts the metrics endpoint and the web UI (as configured); if one cannot listen, everything started stops. */
async function startAttachments(
  server: Server,
  o: CompiledDevServerOptions,
  log: Logger,
  handlers: HandlerTables,
  metrics: DevServerMetrics | undefined,
): Promise<Attachments> {
  const parts: Attachments = {};
  try {
    if (metrics) parts.metrics = await MetricsEndpoint.listen(o.ip, o.metricsPort ?? 0, () => metrics.registry.render());
    if (o.ui) {
      const api = new UiApi(handlers, (error, method) => toServiceError(error, method, log));
      parts.ui = await UiServer.listen(o.ui.ip, o.ui.port, api, { apiKey: o.apiKey });
    }
    return parts;
  } catch (error) {
    await parts.metrics?.close();
    server.forceShutdown();
    throw error;
  }
}

/** An IP address as the host of a URL (IPv6 in brackets). */
function hostForUrl(ip: string): string {
  return ip.includes(':') ? `[${ip}]` : ip;
}

/** The gRPC server with WorkflowService, OperatorService, the health service and (time skipping) TestService. */
function grpcServer(
  engine: Engine,
  o: CompiledDevServerOptions,
  log: Logger,
  handlers: HandlerTables,
  observe?: RpcObserver,
): { server: Server; health: HealthService } {
  const server = new Server({
    'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
    'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
  });
  server.addService(workflowServiceDefinition, bindHandlers(handlers.workflow, log, o.apiKey, observe));
  server.addService(operatorServiceDefinition, bindHandlers(handlers.operator, log, o.apiKey, observe));
  // Unauthenticated, as load balancers and orchestrators probe it.
  const health = new HealthService(['temporal.api.workflowservice.v1.WorkflowService', 'temporal.api.operatorservice.v1.OperatorService']);
  server.addService(healthServiceDefinition, health.handlers());
  if (engine.clock instanceof SkippingClock) {
    const store = engine.store;
    // Sticky schedule-to-start timeouts are about worker liveness, not workflow time: never skip to one.
    const nextSkipTarget = (): number | undefined => store.nextTimerAt(STICKY_TIMEOUT_TIMER);
    const skipper = new TimeSkipper(engine.clock, o.timeSkipping?.startLocked ?? true, nextSkipTarget, () => engine.fireDueTimers());
    for (const key of engine.busyRunKeys()) skipper.setBusy(key, true);
    engine.skipper = skipper;
    server.addService(testServiceDefinition, bindHandlers(testServiceHandlers(skipper), log, o.apiKey, observe));
  }
  return { server, health };
}

function bindHandlers(
  handlers: Record<string, unknown>,
  log: Logger,
  apiKey: string | undefined,
  observe?: RpcObserver,
): Record<string, ReturnType<typeof unary>> {
  const out: Record<string, ReturnType<typeof unary>> = {};
  for (const [name, fn] of Object.entries(handlers)) out[name] = unary(name, fn as never, log, apiKey, observe);
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
