/**
 * The web UI's JSON API: `POST /api/v1/{service}/{Method}` with a ProtoJSON request, answered with
 * the ProtoJSON response of the same handler the gRPC server runs (one implementation, the same
 * validation and errors). Only the calls the UI makes are open: reads, and the workflow and schedule
 * operations a person starts from the UI.
 *
 * @module
 */
import { Metadata, status } from '@grpc/grpc-js';
import { messageFromProtoJson, messageToProtoJson, type ReflectedType } from '../../common/index.js';
import { operatorServiceDefinition, temporal, workflowServiceDefinition } from '../../proto/index.js';
import type { CallContext, Handler } from '../grpc/call.js';
import { RpcError, invalidArgument } from '../errors.js';

/** The methods the UI may call, per service. */
const OPEN_METHODS = {
  workflow: new Set([
    'GetSystemInfo',
    'GetClusterInfo',
    'ListNamespaces',
    'DescribeNamespace',
    'ListWorkflowExecutions',
    'CountWorkflowExecutions',
    'DescribeWorkflowExecution',
    'GetWorkflowExecutionHistory',
    'GetWorkflowExecutionHistoryReverse',
    'QueryWorkflow',
    'DescribeTaskQueue',
    'ListSchedules',
    'DescribeSchedule',
    'RequestCancelWorkflowExecution',
    'TerminateWorkflowExecution',
    'SignalWorkflowExecution',
    'DeleteWorkflowExecution',
    'ResetWorkflowExecution',
    'PauseActivity',
    'UnpauseActivity',
    'ResetActivity',
    'PatchSchedule',
    'DeleteSchedule',
  ]),
  operator: new Set(['ListSearchAttributes']),
} as const;

export type UiService = keyof typeof OPEN_METHODS;

/** How long a UI call may run (a query waits for a worker at most this long). */
const CALL_TIMEOUT_MS = 30_000;

const SERVICES = {
  workflow: { definition: workflowServiceDefinition, types: temporal.api.workflowservice.v1 as unknown as Record<string, ReflectedType> },
  operator: { definition: operatorServiceDefinition, types: temporal.api.operatorservice.v1 as unknown as Record<string, ReflectedType> },
};

/** What a UI call answers: an HTTP status and a JSON body. */
export interface UiApiResult {
  readonly httpStatus: number;
  readonly body: unknown;
}

/** The HTTP status for a gRPC status, as grpc-gateway maps them. */
const HTTP_STATUS: Partial<Record<number, number>> = {
  [status.INVALID_ARGUMENT]: 400,
  [status.FAILED_PRECONDITION]: 400,
  [status.OUT_OF_RANGE]: 400,
  [status.UNAUTHENTICATED]: 401,
  [status.PERMISSION_DENIED]: 403,
  [status.NOT_FOUND]: 404,
  [status.ALREADY_EXISTS]: 409,
  [status.ABORTED]: 409,
  [status.RESOURCE_EXHAUSTED]: 429,
  [status.UNIMPLEMENTED]: 501,
  [status.UNAVAILABLE]: 503,
  [status.DEADLINE_EXCEEDED]: 504,
};

/**
 * Runs one UI call against the gRPC handler tables.
 *
 * @example
 * ```ts
 * const api = new UiApi({ workflow: workflowHandlers, operator: operatorHandlers }, toError);
 * await api.call('workflow', 'ListNamespaces', {}, signal); // { httpStatus: 200, body: { namespaces: [...] } }
 * ```
 */
export class UiApi {
  constructor(
    private readonly handlers: Readonly<Record<UiService, Readonly<Record<string, unknown>>>>,
    /** Maps a thrown error to its gRPC status and message (the gRPC layer's mapping). */
    private readonly toError: (error: unknown, method: string) => { code?: number; details?: string },
  ) {}

  /** Whether `service/method` is open to the UI. */
  isOpen(service: string, method: string): service is UiService {
    return Object.hasOwn(OPEN_METHODS, service) && OPEN_METHODS[service as UiService].has(method);
  }

  async call(service: UiService, method: string, json: unknown, signal: AbortSignal): Promise<UiApiResult> {
    try {
      return { httpStatus: 200, body: await this.invoke(service, method, json, signal) };
    } catch (error) {
      const { code = status.UNKNOWN, details = '' } = this.toError(error, method);
      return { httpStatus: HTTP_STATUS[code] ?? 500, body: { code: status[code] ?? String(code), message: details } };
    }
  }

  private async invoke(service: UiService, method: string, json: unknown, signal: AbortSignal): Promise<unknown> {
    const { definition, types } = SERVICES[service];
    const rpc = definition[method];
    const handler = this.handlers[service][method] as Handler | undefined;
    const requestType = types[`${method}Request`];
    const responseType = types[`${method}Response`];
    if (!rpc || !handler || !requestType || !responseType) throw new RpcError(status.UNIMPLEMENTED, `${method} is not available`);
    let request: unknown;
    try {
      // Through the wire form, so the handler gets exactly what a gRPC call would hand it.
      request = rpc.requestDeserialize(Buffer.from(requestType.encode(messageFromProtoJson(requestType, json ?? {})).finish()));
    } catch (error) {
      throw invalidArgument(`the ${method} request is not valid: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (method === 'GetWorkflowExecutionHistory') (request as { waitNewEvent?: boolean }).waitNewEvent = false;
    const ctx: CallContext = { deadline: Date.now() + CALL_TIMEOUT_MS, signal, metadata: new Metadata() };
    const response = (await (handler as (r: unknown, c: CallContext) => unknown)(request, ctx)) ?? {};
    return messageToProtoJson(responseType, rpc.responseDeserialize(rpc.responseSerialize(response)) as object);
  }
}
