/**
 * The Temporal API, loaded from the official `@temporalio/proto` descriptors (the parts duraflow
 * needs, cut at build time; see root.ts), plus grpc-js service
 * definitions and the conversions every duraflow component needs (Timestamp, Duration, Long).
 *
 * Node-only: never loaded inside the workflow sandbox.
 *
 * @example
 * ```ts
 * import { temporal, workflowServiceDefinition } from 'duraflow/proto';
 * const req = temporal.api.workflowservice.v1.GetSystemInfoRequest.create({});
 * ```
 * @module
 */
import type * as P from '@temporalio/proto';
import { root } from './root.js';

/** The `temporal` namespace of the official Temporal API protobuf root. */
export const temporal: typeof P.temporal = root.temporal;
/** The `google` namespace (protobuf well-known types, google.rpc.Status). */
export const google: typeof P.google = root.google;
/** The `grpc` namespace: the standard health check service (`grpc.health.v1`). */
export const grpc: typeof P.grpc = root.grpc;
export type { P as ProtoTypes };
export {
  serviceDefinition,
  workflowServiceDefinition,
  operatorServiceDefinition,
  testServiceDefinition,
  healthServiceDefinition,
  toBuffer,
  type MethodInfo,
} from './services.js';
export { EncodedHistory } from './encoded-history.js';
export { int64, tsFromMs, msFromTs, durationFromMs, msFromDuration, longToNumber } from './time.js';
export { encodeStatusDetails, decodeStatusDetails, toAny, type StatusDetail } from './status-details.js';
