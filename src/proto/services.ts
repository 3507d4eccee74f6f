import type { ServiceDefinition, MethodDefinition } from '@grpc/grpc-js';
import root from '@temporalio/proto';
import type { Method, Service, Type } from 'protobufjs';

/** What we know of one RPC method, beside its grpc-js definition. */
export interface MethodInfo {
  readonly name: string;
  readonly requestType: Type;
  readonly responseType: Type;
  readonly requestStream: boolean;
  readonly responseStream: boolean;
}

const protoRoot = root as unknown as { lookupService(path: string): Service; lookupType(path: string): Type };

/**
 * Builds a grpc-js service definition for a protobufjs service. Requests and responses are
 * protobufjs messages (or plain objects of the same shape when encoding); method keys are the
 * proto method names (`StartWorkflowExecution`), as grpc-js servers and clients expect.
 */
export function serviceDefinition(fullName: string): ServiceDefinition {
  const service = protoRoot.lookupService(fullName);
  const definition: Record<string, MethodDefinition<unknown, unknown>> = {};
  for (const method of Object.values(service.methods) as Method[]) {
    const requestType = protoRoot.lookupType(method.requestType);
    const responseType = protoRoot.lookupType(method.responseType);
    definition[method.name] = {
      path: `/${fullName}/${method.name}`,
      requestStream: Boolean(method.requestStream),
      responseStream: Boolean(method.responseStream),
      requestSerialize: (value: unknown) => Buffer.from(requestType.encode(value as object).finish()),
      requestDeserialize: (bytes: Buffer) => requestType.decode(bytes),
      responseSerialize: (value: unknown) => Buffer.from(responseType.encode(value as object).finish()),
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
