import type { ServiceDefinition, MethodDefinition } from '@grpc/grpc-js';
import type { Method, Type } from 'protobufjs';
import { root } from './root.js';
import { encodeWithHistory, historyFieldId } from './encoded-history.js';

/** What we know of one RPC method, beside its grpc-js definition. */
export interface MethodInfo {
  readonly name: string;
  readonly requestType: Type;
  readonly responseType: Type;
  readonly requestStream: boolean;
  readonly responseStream: boolean;
}

/** The bytes as a Buffer, without a copy (protobufjs gives a Buffer already when it runs on Node). */
export function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Builds a grpc-js service definition for a protobufjs service. Requests and responses are
 * protobufjs messages (or plain objects of the same shape when encoding); method keys are the
 * proto method names (`StartWorkflowExecution`), as grpc-js servers and clients expect. A response
 * whose `history` is an `EncodedHistory` is serialized with its event bytes spliced in.
 */
export function serviceDefinition(fullName: string): ServiceDefinition {
  const service = root.lookupService(fullName);
  const definition: Record<string, MethodDefinition<unknown, unknown>> = {};
  for (const method of Object.values(service.methods) as Method[]) {
    // Resolved relative to the service's package, as protoc does (a lookup from the root would
    // search every package for the first type of that simple name).
    method.resolve();
    const requestType = method.resolvedRequestType as Type;
    const responseType = method.resolvedResponseType as Type;
    const historyField = historyFieldId(responseType);
    definition[method.name] = {
      path: `/${fullName}/${method.name}`,
      requestStream: Boolean(method.requestStream),
      responseStream: Boolean(method.responseStream),
      requestSerialize: (value: unknown) => toBuffer(requestType.encode(value as object).finish()),
      requestDeserialize: (bytes: Buffer) => requestType.decode(bytes),
      responseSerialize:
        historyField === undefined
          ? (value: unknown) => toBuffer(responseType.encode(value as object).finish())
          : (value: unknown) => toBuffer(encodeWithHistory(responseType, historyField, value as object)),
      responseDeserialize: (bytes: Buffer) => responseType.decode(bytes),
      originalName: method.name,
    };
  }
  return definition;
}

/** temporal.api.workflowservice.v1.WorkflowService */
export const workflowServiceDefinition: ServiceDefinition = serviceDefinition(
  'temporal.api.workflowservice.v1.WorkflowService',
);
/** temporal.api.operatorservice.v1.OperatorService */
export const operatorServiceDefinition: ServiceDefinition = serviceDefinition(
  'temporal.api.operatorservice.v1.OperatorService',
);
/** temporal.api.testservice.v1.TestService (time skipping) */
export const testServiceDefinition: ServiceDefinition = serviceDefinition('temporal.api.testservice.v1.TestService');
/** grpc.health.v1.Health: the standard gRPC health check (`Check`; `Watch` streams). */
export const healthServiceDefinition: ServiceDefinition = serviceDefinition('grpc.health.v1.Health');
