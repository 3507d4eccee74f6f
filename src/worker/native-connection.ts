/**
 * `NativeConnection` for code migrating from `@temporalio/worker`: in duraflow the worker uses the
 * same pure-TypeScript gRPC connection as the client (no native addon), so this is that class.
 */
import { Connection } from '../client/connection.js';
import type { ConnectionOptions } from '../client/connection-options.js';

/**
 * The worker's connection to the server: the client's {@link Connection}, under the official worker's name.
 *
 * @example
 * ```ts
 * import { NativeConnection } from 'duraflow/worker';
 * const connection = await NativeConnection.connect({ address: 'localhost:7233' });
 * ```
 */
export const NativeConnection = Connection;
export type NativeConnection = Connection;

/** Options of {@link NativeConnection.connect}: address, TLS, API key, metadata. */
export type NativeConnectionOptions = ConnectionOptions;
