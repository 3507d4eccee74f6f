/**
 * `NativeConnection` for code migrating from `@temporalio/worker`: in duraflow the worker uses the
 * same pure-TypeScript gRPC connection as the client (no native addon). The one difference from
 * `Connection`: its calls are recorded in the installed {@link Runtime}'s metrics by default, as the
 * official worker's connection records them in Core's.
 */
import { Connection } from '../client/connection.js';
import type { ConnectionOptions } from '../client/connection-options.js';
import { Runtime } from './metrics/index.js';

/** Options of {@link NativeConnection.connect}: address, TLS, API key, metadata. */
export type NativeConnectionOptions = ConnectionOptions;

/** The worker's connection to the server: a {@link Connection}. */
export type NativeConnection = Connection;

function withRuntimeMetrics(options: NativeConnectionOptions): NativeConnectionOptions {
  const meter = Runtime.instance().temporalMeter;
  return meter.enabled && options.metrics === undefined ? { ...options, metrics: meter } : options;
}

/**
 * Creates worker connections.
 *
 * @example
 * ```ts
 * import { NativeConnection } from 'duraflow/worker';
 * const connection = await NativeConnection.connect({ address: 'localhost:7233' });
 * ```
 */
export const NativeConnection = {
  /** Connects and checks the server answers (see {@link Connection.connect}). */
  connect(options: NativeConnectionOptions = {}): Promise<Connection> {
    return Connection.connect(withRuntimeMetrics(options));
  },
  /** A connection that connects on first use (see {@link Connection.lazy}). */
  lazy(options: NativeConnectionOptions = {}): Connection {
    return Connection.lazy(withRuntimeMetrics(options));
  },
};
