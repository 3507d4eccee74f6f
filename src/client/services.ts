/**
 * The raw service classes of `connection.workflowService`, `operatorService`, `testService` and
 * `healthService` (protobufjs RPC services), exported as the official client exports them, to name
 * their types or call `WorkflowService.create(rpcImpl)` directly.
 *
 * @example
 * ```ts
 * import { type WorkflowService } from 'duraflow/client';
 * const service: WorkflowService = connection.workflowService;
 * ```
 * @module
 */
import { grpc, temporal, type ProtoTypes } from '../proto/index.js';

export const WorkflowService = temporal.api.workflowservice.v1.WorkflowService;
export type WorkflowService = ProtoTypes.temporal.api.workflowservice.v1.WorkflowService;
export const OperatorService = temporal.api.operatorservice.v1.OperatorService;
export type OperatorService = ProtoTypes.temporal.api.operatorservice.v1.OperatorService;
export const TestService = temporal.api.testservice.v1.TestService;
export type TestService = ProtoTypes.temporal.api.testservice.v1.TestService;
export const HealthService = grpc.health.v1.Health;
export type HealthService = ProtoTypes.grpc.health.v1.Health;
