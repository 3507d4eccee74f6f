/**
 * A gRPC connection to a Temporal server (or duraflow's dev server): TLS / mTLS, API keys, metadata,
 * per-call deadlines and abort signals, and retries of transient failures.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { Client as GrpcClient, Metadata, status, type ClientUnaryCall, type Interceptor, type ServiceError } from '@grpc/grpc-js';
import { grpc, temporal, toBuffer, type ProtoTypes } from '../proto/index.js';
import {
  checkMetadata,
  compileConnectionOptions,
  type CompiledConnectionOptions,
  type ConnectionOptions,
} from './connection-options.js';
import { ConnectionError } from './errors.js';
import { isRetryableError } from './grpc-retry.js';
import { RPC_METRIC_LABELS, rpcMetricLabels, type RpcMetricLabels } from './metrics-interceptor.js';

type WorkflowService = ProtoTypes.temporal.api.workflowservice.v1.WorkflowService;
type OperatorService = ProtoTypes.temporal.api.operatorservice.v1.OperatorService;
type TestService = ProtoTypes.temporal.api.testservice.v1.TestService;
type HealthService = ProtoTypes.grpc.health.v1.Health;

/** What `withDeadline` / `withMetadata` / `withAbortSignal` / `withApiKey` set for the calls made inside them. */
export interface CallContext {
  deadline?: number;
  metadata?: GrpcMetadata;
  abortSignal?: AbortSignal;
  /** The API key for the call, in place of the connection's. */
  apiKey?: string;
  /** Per-call grpc-js interceptors replacing the channel's (the connection check). */
  interceptors?: Interceptor[];
  /** Tags of the call's client metrics (set only when metrics are recorded). */
  metricLabels?: RpcMetricLabels;
}

const WORKFLOW_SERVICE = 'temporal.api.workflowservice.v1.WorkflowService';

/** gRPC metadata: string values, or Buffer values for keys ending in `-bin` (the official client's `Metadata`). */
export type GrpcMetadata = Record<string, string | Buffer>;

type RpcImpl = (method: { name: string }, request: Uint8Array, callback: (error: Error | null, response?: Uint8Array) => void) => void;

/**
 * A client connection to the Temporal gRPC API. Create with {@link Connection.connect} (checks the
 * server answers) or {@link Connection.lazy} (connects on first use).
 *
 * @example
 * ```ts
 * import { Connection } from 'duraflow/client';
 * const connection = await Connection.connect({ address: 'localhost:7233' });
 * const info = await connection.workflowService.getSystemInfo({});
 * await connection.close();
 * ```
 */
export class Connection {
  /** The raw WorkflowService (protobufjs RPC stubs over grpc-js). */
  readonly workflowService: WorkflowService;
  readonly operatorService: OperatorService;
  readonly testService: TestService;
  /**
   * The standard gRPC health check (`Check` only; `Watch` streams, which these stubs cannot).
   *
   * @example
   * ```ts
   * const { status } = await connection.healthService.check({}); // 1 = SERVING
   * ```
   */
  readonly healthService: HealthService;
  private workerService: WorkflowService | undefined;
  private readonly context = new AsyncLocalStorage<CallContext>();
  /** Added to the context of the next call started (see {@link callWith}). */
  private nextCall: CallContext | undefined;
  private readonly grpc: GrpcClient;
  private apiKey: string | (() => string) | undefined;
  private connected: Promise<void> | undefined;

  private constructor(readonly options: CompiledConnectionOptions) {
    this.apiKey = options.apiKey;
    this.grpc = new GrpcClient(options.address, options.credentials, {
      ...options.channelArgs,
      interceptors: options.interceptors,
    });
    const v1 = temporal.api;
    this.workflowService = this.labelled(v1.workflowservice.v1.WorkflowService.create(this.rpcImpl(WORKFLOW_SERVICE)));
    this.operatorService = this.labelled(v1.operatorservice.v1.OperatorService.create(this.rpcImpl('temporal.api.operatorservice.v1.OperatorService')));
    this.testService = this.labelled(v1.testservice.v1.TestService.create(this.rpcImpl('temporal.api.testservice.v1.TestService')));
    this.healthService = this.labelled(grpc.health.v1.Health.create(this.rpcImpl('grpc.health.v1.Health')));
  }

  /** A connection that connects on first use. */
  static lazy(options: ConnectionOptions = {}): Connection {
    return new Connection(compileConnectionOptions(options));
  }

  /** Connects and checks that the server answers (GetSystemInfo) within `connectTimeout`. */
  static async connect(options: ConnectionOptions = {}): Promise<Connection> {
    const connection = Connection.lazy(options);
    try {
      await connection.ensureConnected();
    } catch (error) {
      connection.grpc.close();
      throw error;
    }
    return connection;
  }

  /**
   * Resolves once the server has answered GetSystemInfo (at most one successful check per
   * connection). Transient failures are retried until `connectTimeout`; the error then names the
   * last failure (e.g. a TLS handshake error) rather than only the timeout.
   */
  ensureConnected(): Promise<void> {
    this.connected ??= this.checkConnection().catch((error: unknown) => {
      this.connected = undefined;
      throw error;
    });
    return this.connected;
  }

  private async checkConnection(): Promise<void> {
    const { address, connectTimeoutMs } = this.options;
    const deadline = Date.now() + connectTimeoutMs;
    const ctx: CallContext = { deadline, interceptors: this.options.connectCheckInterceptors };
    let last: ServiceError | undefined;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.callWith(ctx, () => this.workflowService.getSystemInfo({}));
        return;
      } catch (error) {
        const e = error as ServiceError;
        if (e.code === status.UNIMPLEMENTED) return;
        const timedOut = e.code === status.DEADLINE_EXCEEDED || Date.now() >= deadline;
        if (!timedOut && isRetryableError(e)) {
          last = e;
          await new Promise((resolve) => setTimeout(resolve, Math.min(100 * 1.7 ** attempt, 1000, Math.max(0, deadline - Date.now()))));
          continue;
        }
        const reason = timedOut && last ? `no answer within ${connectTimeoutMs} ms; last error: ${describeGrpcError(last)}` : describeGrpcError(e);
        throw new ConnectionError(`Failed to connect to ${address}: ${reason}${connectionHint(this.options, last ?? e)}`, { cause: error });
      }
    }
  }

  /** Runs `fn` with every call it makes bounded by `deadline` (a Date or epoch ms). */
  withDeadline<T>(deadline: number | Date, fn: () => Promise<T>): Promise<T> {
    const ms = deadline instanceof Date ? deadline.getTime() : deadline;
    return this.context.run({ ...this.context.getStore(), deadline: ms }, fn);
  }

  /**
   * Runs `fn` with extra gRPC metadata on every call it makes (Buffer values for `-bin` keys).
   *
   * @example
   * ```ts
   * await connection.withMetadata({ 'x-tenant': 'acme' }, () => client.workflow.start(order, { taskQueue, workflowId }));
   * ```
   */
  withMetadata<T>(metadata: GrpcMetadata, fn: () => Promise<T>): Promise<T> {
    checkMetadata(metadata, 'withMetadata');
    const current = this.context.getStore();
    return this.context.run({ ...current, metadata: { ...current?.metadata, ...metadata } }, fn);
  }

  /** Runs `fn` with every call it makes cancelled when `signal` aborts. */
  withAbortSignal<T>(signal: AbortSignal, fn: () => Promise<T>): Promise<T> {
    return this.context.run({ ...this.context.getStore(), abortSignal: signal }, fn);
  }

  /**
   * Runs `fn` with every call it makes sending `apiKey` instead of the connection's API key.
   *
   * @example
   * ```ts
   * await connection.withApiKey(tenantKey, () => client.workflow.start(order, { taskQueue, workflowId }));
   * ```
   */
  withApiKey<T>(apiKey: string, fn: () => Promise<T>): Promise<T> {
    if (typeof apiKey !== 'string' || apiKey === '') throw new TypeError('withApiKey: apiKey must be a non-empty string');
    return this.context.run({ ...this.context.getStore(), apiKey }, fn);
  }

  /**
   * Runs `fn`, which must start exactly one call before it returns (e.g. `() => service.method(req)`),
   * with `ctx` added to that call's context. Unlike the `with*` methods it needs no AsyncLocalStorage:
   * once one of those has run, Node tracks a context through every promise and async operation of the
   * process (measured: ≈15 % more CPU per gRPC call).
   * @internal
   */
  callWith<T>(ctx: CallContext, fn: () => Promise<T>): Promise<T> {
    this.nextCall = ctx;
    try {
      return fn();
    } finally {
      this.nextCall = undefined;
    }
  }

  /**
   * The WorkflowService for the calls a worker makes on its own (polls, task completions,
   * heartbeats): the same calls, context and metrics, but a failed call's error does not carry the
   * stack of its caller. grpc-js captures that stack as every call starts (≈10–15 % of a unary call's
   * client CPU, measured), and for these calls it would only ever name the worker's own loop.
   * @internal
   */
  get workerWorkflowService(): WorkflowService {
    this.workerService ??= this.labelled(temporal.api.workflowservice.v1.WorkflowService.create(this.rpcImpl(WORKFLOW_SERVICE, false)));
    return this.workerService;
  }

  /** Replaces the API key sent as `authorization: Bearer <key>`. */
  setApiKey(apiKey: string | (() => string)): void {
    this.apiKey = apiKey;
  }

  /** Closes the channel; calls in flight fail. */
  async close(): Promise<void> {
    this.grpc.close();
  }

  private metadataFor(ctx: CallContext | undefined): Metadata {
    const md = new Metadata();
    for (const [k, v] of Object.entries({ ...this.options.metadata, ...ctx?.metadata })) md.set(k, v);
    const key = ctx?.apiKey ?? (typeof this.apiKey === 'function' ? this.apiKey() : this.apiKey);
    if (key) md.set('authorization', `Bearer ${key}`);
    md.set('client-name', 'temporal-typescript');
    md.set('client-version', this.options.clientVersion);
    return md;
  }

  /**
   * With client metrics on, wraps a service so each call runs with its metric tags (namespace, task
   * queue, long poll) in the call context; the metrics interceptor reads them from the call options.
   */
  private labelled<S extends object>(service: S): S {
    if (this.options.metrics === undefined) return service;
    return new Proxy(service, {
      get: (target, key, receiver) => {
        const value = Reflect.get(target, key, receiver) as unknown;
        if (typeof value !== 'function' || typeof key !== 'string' || key === 'constructor' || !/^[a-z]/.test(key)) return value;
        const operation = key.charAt(0).toUpperCase() + key.slice(1);
        return (request: unknown, ...rest: unknown[]) => {
          const metricLabels = rpcMetricLabels(operation, request);
          return this.context.run({ ...this.context.getStore(), metricLabels }, () => (value as (...a: unknown[]) => unknown).call(target, request, ...rest));
        };
      },
    });
  }

  /** Calls of `service`; with `callerStack` false, grpc-js's errors leave out the caller's stack. */
  private rpcImpl(service: string, callerStack = true): RpcImpl {
    return (method, request, callback) => {
      const next = this.nextCall;
      this.nextCall = undefined;
      const ctx = next === undefined ? this.context.getStore() : { ...this.context.getStore(), ...next };
      if (ctx?.abortSignal?.aborted) {
        callback(abortError(ctx.abortSignal));
        return;
      }
      const start = (): ClientUnaryCall => this.grpc.makeUnaryRequest(
        `/${service}/${method.name}`,
        toBuffer,
        (arg: Buffer) => arg,
        request,
        this.metadataFor(ctx),
        {
          ...(ctx?.deadline !== undefined ? { deadline: ctx.deadline } : {}),
          ...(ctx?.interceptors ? { interceptors: ctx.interceptors } : {}),
          ...(ctx?.metricLabels ? { [RPC_METRIC_LABELS]: ctx.metricLabels } : {}),
        },
        (error, response) => {
          ctx?.abortSignal?.removeEventListener('abort', onAbort);
          callback(error ?? null, response);
        },
      );
      const call = callerStack ? start() : withoutStackCapture(start);
      const onAbort = (): void => call.cancel();
      ctx?.abortSignal?.addEventListener('abort', onAbort, { once: true });
    };
  }
}

/** Runs `fn` with V8 capturing no stack frames for the errors it creates (the limit is restored after). */
function withoutStackCapture<T>(fn: () => T): T {
  const limit = Error.stackTraceLimit;
  try {
    Error.stackTraceLimit = 0;
  } catch {
    return fn(); // `Error` frozen by the application: capture as usual
  }
  try {
    return fn();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** `UNAVAILABLE: <details>`, without grpc-js's generic prefix, timestamps and empty notes. */
function describeGrpcError(e: ServiceError): string {
  const details = (e.details || e.message || '')
    .replace(/^No connection established\. Last error: /, '')
    .replace(/^Error: /, '')
    .replace(/\s*\(\d{4}-\d\d-\d\dT[\d:.]+Z\)/, '')
    .replace(/\.?\s*Resolution note:\s*$/, '')
    .trim();
  return `${status[e.code] ?? e.code}: ${details}`;
}

/** A hint for the usual causes of a failed connection check, from how TLS is configured. */
function connectionHint(options: CompiledConnectionOptions, e: ServiceError): string {
  const details = e.details ?? '';
  if (e.code !== status.UNAVAILABLE) return '';
  if (/certificate required/i.test(details)) return ' (the server requires a client certificate: set tls.clientCertPair)';
  if (/verify|self[- ]signed|certificate/i.test(details)) return ' (the server certificate is not trusted: check tls.serverRootCACertificate and tls.serverNameOverride)';
  if (!options.tls.enabled) return ' (is the server expecting TLS? set tls)';
  if (options.tls.clientCertificate) return ' (the server may have rejected the client certificate, or it does not speak TLS)';
  return '';
}

function abortError(signal: AbortSignal): ServiceError {
  const error = new Error(`call aborted: ${String(signal.reason ?? 'AbortSignal')}`) as ServiceError;
  Object.assign(error, { code: status.CANCELLED, details: 'aborted', metadata: new Metadata() });
  return error;
}
