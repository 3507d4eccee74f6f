/**
 * The embedded Temporal dev server: the real Temporal gRPC API (WorkflowService) over SQLite.
 * Workers and clients — duraflow's or the official Temporal SDK's — talk to it over gRPC only.
 *
 * @example
 * ```ts
 * import { DevServer } from 'duraflow/server';
 * const server = await DevServer.start({ port: 0, dbFilename: 'dev.db' });
 * // point clients at server.address
 * await server.stop();
 * ```
 * @module
 */
export { DevServer, SERVER_VERSION } from './dev-server.js';
export { compileDevServerOptions, type DevServerOptions, type CompiledDevServerOptions } from './options.js';
export type { Clock } from './clock.js';
export type { LogLevel, LogFormat } from './logger.js';
