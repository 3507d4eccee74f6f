/**
 * The duraflow client: a gRPC connection to a Temporal server (Temporal Cluster, Temporal Cloud or
 * duraflow's dev server). The workflow, schedule and async-completion clients build on it.
 *
 * @example
 * ```ts
 * import { Connection } from 'duraflow/client';
 * const connection = await Connection.connect({ address: 'localhost:7233' });
 * console.log((await connection.workflowService.getSystemInfo({})).serverVersion);
 * await connection.close();
 * ```
 * @module
 */
export { Connection } from './connection.js';
export {
  compileConnectionOptions,
  LOCAL_TARGET,
  TEMPORAL_CLIENT_VERSION,
  type ConnectionOptions,
  type CompiledConnectionOptions,
  type TLSConfig,
} from './connection-options.js';
export { defaultGrpcRetryOptions, isRetryableError, makeGrpcRetryInterceptor, type BackoffOptions, type GrpcRetryOptions } from './grpc-retry.js';
export { ConnectionError } from './errors.js';
