/** Connection options: {@link ConnectionOptions} → {@link compileConnectionOptions} → {@link CompiledConnectionOptions}. */
import {
  credentials as grpcCredentials,
  InterceptingCall,
  type CallCredentials,
  type ChannelCredentials,
  type ChannelOptions,
  type Interceptor,
} from '@grpc/grpc-js';
import ms, { type StringValue } from 'ms';
import type { MetricMeter } from '../common/metrics.js';
import { TemporalMeter } from '../common/temporal-meter.js';
import { defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from './grpc-retry.js';
import { makeClientMetricsInterceptor } from './metrics-interceptor.js';

/** TLS settings; `true` means TLS with the system's root certificates. */
export interface TLSConfig {
  /** Overrides the server name checked against the certificate (and sent as SNI / authority). */
  serverNameOverride?: string;
  /** PEM root CA to trust instead of the system roots. */
  serverRootCACertificate?: Uint8Array;
  /** Client certificate and key (PEM) for mutual TLS. */
  clientCertPair?: { crt: Uint8Array; key: Uint8Array };
}

export interface ConnectionOptions {
  /** `host:port` of the server. @default 'localhost:7233' */
  address?: string;
  /** TLS; turned on implicitly when an `apiKey` is given. @default false */
  tls?: TLSConfig | boolean | null;
  /** Sent as `authorization: Bearer <apiKey>` on every call; a function is called per call. */
  apiKey?: string | (() => string);
  /** gRPC metadata sent on every call (Buffer values for `-bin` keys). @default {} */
  metadata?: Record<string, string | Buffer>;
  /** How long {@link Connection.connect} waits for the server. @default '10 seconds' */
  connectTimeout?: number | StringValue;
  /** Extra grpc-js channel options (merged over the defaults: 30 s keepalive, 128 MiB messages). */
  channelArgs?: ChannelOptions;
  /** grpc-js interceptors. @default automatic retries of transient failures; `[]` disables them */
  interceptors?: Interceptor[];
  /** Extra call credentials (combined with the TLS channel credentials). */
  callCredentials?: CallCredentials[];
  /**
   * Records the official client metrics (`temporal_request`, `temporal_request_failure`,
   * `temporal_request_latency` and the `long_request` forms) on this meter; a worker's connection
   * gets `Runtime.instance().temporalMeter`. @default none
   */
  metrics?: MetricMeter | TemporalMeter;
}

export interface CompiledConnectionOptions {
  readonly address: string;
  readonly credentials: ChannelCredentials;
  /** Whether the channel uses TLS, and whether it presents a client certificate (mutual TLS). */
  readonly tls: { enabled: boolean; clientCertificate: boolean };
  readonly apiKey: string | (() => string) | undefined;
  readonly metadata: Readonly<Record<string, string | Buffer>>;
  readonly connectTimeoutMs: number;
  readonly channelArgs: ChannelOptions;
  readonly interceptors: Interceptor[];
  /**
   * Per-call interceptors of the connection check: the default retry interceptor is left out so
   * the check sees (and reports) each failure; `undefined` keeps the channel's interceptors.
   */
  readonly connectCheckInterceptors: Interceptor[] | undefined;
  /** The `client-version` sent with `client-name: temporal-typescript` (the official API version we mirror). */
  readonly clientVersion: string;
  /** Where client metrics go; `undefined` when none are recorded. */
  readonly metrics: TemporalMeter | undefined;
}

export const LOCAL_TARGET = 'localhost:7233';
/** The official SDK version whose API and wire behaviour duraflow's client mirrors. */
export const TEMPORAL_CLIENT_VERSION = '1.24.0';

const DEFAULT_CHANNEL_ARGS: ChannelOptions = {
  'grpc.keepalive_permit_without_calls': 1,
  'grpc.keepalive_time_ms': 30_000,
  'grpc.keepalive_timeout_ms': 15_000,
  'grpc.max_receive_message_length': 128 * 1024 * 1024,
};

function durationMs(value: number | StringValue | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = typeof value === 'number' ? value : ms(value);
  if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0) throw new TypeError(`${name} must be a positive duration, got ${JSON.stringify(value)}`);
  return n;
}

function validateAddress(address: string): string {
  if (!/^(\[[0-9a-fA-F:.]+\]|[^\s:/]+):\d{1,5}$/.test(address) && !/^(dns|unix|ipv4|ipv6):/.test(address)) {
    throw new TypeError(`address must be "host:port", got ${JSON.stringify(address)}`);
  }
  return address;
}

function channelCredentials(tls: TLSConfig | boolean | null | undefined, callCredentials: CallCredentials[]): ChannelCredentials {
  if (!tls) {
    if (callCredentials.length > 0) throw new TypeError('callCredentials need TLS: set tls');
    return grpcCredentials.createInsecure();
  }
  const config = tls === true ? {} : tls;
  const pair = config.clientCertPair;
  if (pair && (!pair.crt || !pair.key)) throw new TypeError('tls.clientCertPair needs both crt and key');
  let creds = grpcCredentials.createSsl(
    config.serverRootCACertificate ? Buffer.from(config.serverRootCACertificate) : null,
    pair ? Buffer.from(pair.key) : null,
    pair ? Buffer.from(pair.crt) : null,
  );
  for (const c of callCredentials) creds = creds.compose(c);
  return creds;
}

/** Applies defaults and validates, with messages naming the bad option. */
export function compileConnectionOptions(o: ConnectionOptions = {}): CompiledConnectionOptions {
  if (typeof o !== 'object' || o === null) throw new TypeError(`ConnectionOptions must be an object, got ${o === null ? 'null' : typeof o}`);
  const apiKey = o.apiKey;
  if (apiKey !== undefined && typeof apiKey !== 'function' && (typeof apiKey !== 'string' || apiKey === '')) {
    throw new TypeError('apiKey must be a non-empty string or a function returning one');
  }
  const tls = o.tls ?? (apiKey !== undefined ? true : undefined);
  const override = typeof tls === 'object' && tls ? tls.serverNameOverride : undefined;
  const metrics = compileMetrics(o.metrics);
  const interceptors = o.interceptors ?? [makeGrpcRetryInterceptor(defaultGrpcRetryOptions())];
  return {
    address: validateAddress(o.address ?? LOCAL_TARGET),
    credentials: channelCredentials(tls, o.callCredentials ?? []),
    tls: { enabled: Boolean(tls), clientCertificate: typeof tls === 'object' && tls !== null && tls.clientCertPair !== undefined },
    apiKey,
    metadata: checkMetadata(o.metadata ?? {}, 'metadata'),
    connectTimeoutMs: durationMs(o.connectTimeout, 'connectTimeout', 10_000),
    channelArgs: {
      ...DEFAULT_CHANNEL_ARGS,
      ...(override ? { 'grpc.ssl_target_name_override': override, 'grpc.default_authority': override } : {}),
      ...(o.channelArgs ?? {}),
    },
    interceptors: metrics ? [...interceptors, makeClientMetricsInterceptor(metrics)] : interceptors,
    connectCheckInterceptors: o.interceptors === undefined ? [(options, nextCall) => new InterceptingCall(nextCall(options))] : undefined,
    clientVersion: TEMPORAL_CLIENT_VERSION,
    metrics,
  };
}

function compileMetrics(metrics: MetricMeter | TemporalMeter | undefined): TemporalMeter | undefined {
  if (metrics === undefined) return undefined;
  if (!(metrics instanceof TemporalMeter) && typeof (metrics as Partial<MetricMeter>).createCounter !== 'function') {
    throw new TypeError('metrics must be a MetricMeter (or a TemporalMeter)');
  }
  const meter = TemporalMeter.from(metrics);
  return meter.enabled ? meter : undefined;
}

/**
 * Checks gRPC metadata as grpc-js will when a call is made: a `-bin` key takes a Buffer, any other
 * key a string. Returns a copy.
 */
export function checkMetadata<M extends Record<string, string | Buffer>>(metadata: M, where: string): M {
  if (typeof metadata !== 'object' || metadata === null) throw new TypeError(`${where} must be an object of gRPC metadata`);
  for (const [key, value] of Object.entries(metadata)) {
    const binary = key.endsWith('-bin');
    if (binary ? !Buffer.isBuffer(value) : typeof value !== 'string') {
      throw new TypeError(`${where}: gRPC metadata key ${key} needs a ${binary ? 'Buffer' : 'string'} value (keys ending in -bin carry bytes)`);
    }
  }
  return { ...metadata };
}
