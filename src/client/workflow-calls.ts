/**
 * The last link of each workflow interceptor chain: the RPC itself. Each handler turns an
 * interceptor input (with the headers interceptors added) into a WorkflowService request.
 */
import { randomUUID } from 'node:crypto';
import { status as GrpcStatus } from '@grpc/grpc-js';
import { temporal, type ProtoTypes } from '../proto/index.js';
import type { HandleContext } from './handle-context.js';
import type {
  WorkflowCancelInput,
  WorkflowDescribeInput,
  WorkflowQueryInput,
  WorkflowSignalInput,
  WorkflowSignalWithStartInput,
  WorkflowStartInput,
  WorkflowStartOutput,
  WorkflowTerminateInput,
} from './interceptors.js';
import {
  callService,
  isGrpcServiceError,
  QueryNotRegisteredError,
  QueryRejectedError,
  toClientError,
} from './workflow-client-errors.js';
import { compileStartRequest } from './workflow-options.js';

type DescribeResponse = ProtoTypes.temporal.api.workflowservice.v1.IDescribeWorkflowExecutionResponse;
type TerminateResponse = ProtoTypes.temporal.api.workflowservice.v1.ITerminateWorkflowExecutionResponse;
type CancelResponse = ProtoTypes.temporal.api.workflowservice.v1.IRequestCancelWorkflowExecutionResponse;
const Enums = temporal.api.enums.v1;

const STATUS_NAMES = ['UNSPECIFIED', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED', 'TERMINATED', 'CONTINUED_AS_NEW', 'TIMED_OUT'];

/** `temporal.api.enums.v1.QueryRejectCondition` of a client option value. */
export const REJECT_CONDITION = {
  NONE: Enums.QueryRejectCondition.QUERY_REJECT_CONDITION_NONE,
  NOT_OPEN: Enums.QueryRejectCondition.QUERY_REJECT_CONDITION_NOT_OPEN,
  NOT_COMPLETED_CLEANLY: Enums.QueryRejectCondition.QUERY_REJECT_CONDITION_NOT_COMPLETED_CLEANLY,
} as const;

/** StartWorkflowExecution. */
export async function startWorkflowHandler(ctx: HandleContext, input: WorkflowStartInput): Promise<WorkflowStartOutput> {
  const request = await compileStartRequest(ctx, input);
  const { workflowId } = input.options;
  const response = await callService(
    { call: 'StartWorkflowExecution', namespace: ctx.namespace, workflowId, workflowType: input.workflowType },
    () => ctx.connection.workflowService.startWorkflowExecution(request),
  );
  return { runId: response.runId ?? '', eagerlyStarted: response.eagerWorkflowTask != null };
}

/** SignalWithStartWorkflowExecution; resolves with the signaled run id. */
export async function signalWithStartHandler(ctx: HandleContext, input: WorkflowSignalWithStartInput): Promise<string> {
  const request = await compileStartRequest(ctx, input);
  const signalInput = await ctx.converter.encodeArgs(input.signalArgs);
  const { workflowId } = input.options;
  const response = await callService(
    { call: 'SignalWithStartWorkflowExecution', namespace: ctx.namespace, workflowId, workflowType: input.workflowType },
    () =>
      ctx.connection.workflowService.signalWithStartWorkflowExecution({
        ...request,
        signalName: input.signalName,
        signalInput: { payloads: signalInput ?? [] },
      }),
  );
  return response.runId ?? '';
}

/** SignalWorkflowExecution. */
export async function signalHandler(ctx: HandleContext, input: WorkflowSignalInput): Promise<void> {
  const payloads = await ctx.converter.encodeArgs(input.args);
  const { workflowId, runId } = input.workflowExecution;
  await callService({ call: 'SignalWorkflowExecution', namespace: ctx.namespace, workflowId, runId }, () =>
    ctx.connection.workflowService.signalWorkflowExecution({
      namespace: ctx.namespace,
      workflowExecution: input.workflowExecution,
      signalName: input.signalName,
      input: { payloads: payloads ?? [] },
      header: { fields: input.headers },
      identity: ctx.identity,
      requestId: randomUUID(),
    }),
  );
}

/** QueryWorkflow; a rejected query throws QueryRejectedError, an unknown one QueryNotRegisteredError. */
export async function queryHandler(ctx: HandleContext, input: WorkflowQueryInput): Promise<unknown> {
  const queryArgs = await ctx.converter.encodeArgs(input.args);
  const { workflowId, runId } = input.workflowExecution;
  let response;
  try {
    response = await ctx.connection.workflowService.queryWorkflow({
      namespace: ctx.namespace,
      execution: input.workflowExecution,
      query: { queryType: input.queryType, queryArgs: { payloads: queryArgs ?? [] }, header: { fields: input.headers } },
      queryRejectCondition: input.queryRejectCondition,
    });
  } catch (err) {
    if (isGrpcServiceError(err) && err.code === GrpcStatus.INVALID_ARGUMENT) {
      throw new QueryNotRegisteredError(err.details || err.message, err.code);
    }
    throw toClientError(err, { call: 'QueryWorkflow', namespace: ctx.namespace, workflowId, runId });
  }
  if (response.queryRejected) {
    throw new QueryRejectedError(STATUS_NAMES[response.queryRejected.status ?? 0] ?? 'UNKNOWN');
  }
  if (!response.queryResult) throw new TypeError(`QueryWorkflow '${input.queryType}' returned neither a result nor a rejection`);
  return ctx.converter.decodeFirst(response.queryResult.payloads);
}

/** TerminateWorkflowExecution. */
export async function terminateHandler(ctx: HandleContext, input: WorkflowTerminateInput): Promise<TerminateResponse> {
  const details = input.details === undefined ? undefined : await ctx.converter.encodeArgs(input.details);
  const { workflowId, runId } = input.workflowExecution;
  return callService({ call: 'TerminateWorkflowExecution', namespace: ctx.namespace, workflowId, runId }, () =>
    ctx.connection.workflowService.terminateWorkflowExecution({
      namespace: ctx.namespace,
      workflowExecution: input.workflowExecution,
      reason: input.reason,
      details: details ? { payloads: details } : undefined,
      identity: ctx.identity,
      firstExecutionRunId: input.firstExecutionRunId,
    }),
  );
}

/** RequestCancelWorkflowExecution. */
export async function cancelHandler(ctx: HandleContext, input: WorkflowCancelInput): Promise<CancelResponse> {
  const { workflowId, runId } = input.workflowExecution;
  return callService({ call: 'RequestCancelWorkflowExecution', namespace: ctx.namespace, workflowId, runId }, () =>
    ctx.connection.workflowService.requestCancelWorkflowExecution({
      namespace: ctx.namespace,
      workflowExecution: input.workflowExecution,
      identity: ctx.identity,
      requestId: randomUUID(),
      firstExecutionRunId: input.firstExecutionRunId,
    }),
  );
}

/** DescribeWorkflowExecution (the raw response). */
export async function describeHandler(ctx: HandleContext, input: WorkflowDescribeInput): Promise<DescribeResponse> {
  const { workflowId, runId } = input.workflowExecution;
  return callService({ call: 'DescribeWorkflowExecution', namespace: ctx.namespace, workflowId, runId }, () =>
    ctx.connection.workflowService.describeWorkflowExecution({ namespace: ctx.namespace, execution: input.workflowExecution }),
  );
}
