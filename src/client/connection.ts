/**
 * A gRPC connection to a Temporal server (or duraflow's dev server): TLS / mTLS, API keys, metadata,
 * per-call deadlines and abort signals, and retries of transient failures.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { Client as GrpcClient, Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { temporal, type ProtoTypes } from '../proto/index.js';
import {
  compileConnectionOptions,
  type CompiledConnectionOptions,
  type ConnectionOptions,
} from './connection-options.js';
import { ConnectionError } from './errors.js';

type WorkflowService = ProtoTypes.temporal.api.workflowservice.v1.WorkflowService;
type OperatorService = ProtoTypes.temporal.api.operatorservice.v1.OperatorService;
type TestService = ProtoTypes.temporal.api.testservice.v1.TestService;

/** What `withDeadline` / `withMetadata` / `withAbortSignal` set for the calls made inside them. */
interface CallContext {
  deadline?: number;
  metadata?: Record<string, string>;
  abortSignal?: AbortSignal;
}

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
  private readonly context = new AsyncLocalStorage<CallContext>();
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
    this.workflowService = v1.workflowservice.v1.WorkflowService.create(this.rpcImpl('temporal.api.workflowservice.v1.WorkflowService'));
    this.operatorService = v1.operatorservice.v1.OperatorService.create(this.rpcImpl('temporal.api.operatorservice.v1.OperatorService'));
    this.testService = v1.testservice.v1.TestService.create(this.rpcImpl('temporal.api.testservice.v1.TestService'));
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

  /** Resolves once the server has answered GetSystemInfo (at most one check per connection). */
  ensureConnected(): Promise<void> {
    this.connected ??= this.withDeadline(Date.now() + this.options.connectTimeoutMs, async () => {
      try {
        await this.workflowService.getSystemInfo({});
      } catch (error) {
        this.connected = undefined;
        const e = error as ServiceError;
        if (e.code === status.UNIMPLEMENTED) return;
        throw new ConnectionError(`Failed to connect to ${this.options.address}: ${e.details ?? e.message}`, { cause: error });
      }
    });
    return this.connected;
  }

  /** Runs `fn` with every call it makes bounded by `deadline` (a Date or epoch ms). */
  withDeadline<T>(deadline: number | Date, fn: () => Promise<T>): Promise<T> {
    const ms = deadline instanceof Date ? deadline.getTime() : deadline;
    return this.context.run({ ...this.context.getStore(), deadline: ms }, fn);
  }

  /** Runs `fn` with extra gRPC metadata on every call it makes. */
  withMetadata<T>(metadata: Record<string, string>, fn: () => Promise<T>): Promise<T> {
    const current = this.context.getStore();
    return this.context.run({ ...current, metadata: { ...current?.metadata, ...metadata } }, fn);
  }

  /** Runs `fn` with every call it makes cancelled when `signal` aborts. */
  withAbortSignal<T>(signal: AbortSignal, fn: () => Promise<T>): Promise<T> {
    return this.context.run({ ...this.context.getStore(), abortSignal: signal }, fn);
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
    const key = typeof this.apiKey === 'function' ? this.apiKey() : this.apiKey;
    if (key) md.set('authorization', `Bearer ${key}`);
    md.set('client-name', 'temporal-typescript');
    md.set('client-version', this.options.clientVersion);
    return md;
  }

  private rpcImpl(service: string): RpcImpl {
    return (method, request, callback) => {
      const ctx = this.context.getStore();
      if (ctx?.abortSignal?.aborted) {
        callback(abortError(ctx.abortSignal));
        return;
      }
      const call = this.grpc.makeUnaryRequest(
        `/${service}/${method.name}`,
        (arg: Uint8Array) => Buffer.from(arg),
        (arg: Buffer) => arg,
        request,
        this.metadataFor(ctx),
        ctx?.deadline !== undefined ? { deadline: ctx.deadline } : {},
        (error, response) => {
          ctx?.abortSignal?.removeEventListener('abort', onAbort);
          callback(error ?? null, response);
        },
      );
      const onAbort = (): void => call.cancel();
      ctx?.abortSignal?.addEventListener('abort', onAbort, { once: true });
    };
  }
}

function abortError(signal: AbortSignal): ServiceError {
  const error = new Error(`call aborted: ${String(signal.reason ?? 'AbortSignal')}`) as ServiceError;
  Object.assign(error, { code: status.CANCELLED, details: 'aborted', metadata: new Metadata() });
  return error;
}
