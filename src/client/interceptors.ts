/**
 * Client interceptors: hooks around every outbound workflow (and schedule) call, composed in order.
 * Each hook receives the call's input and `next`, and may change the input (arguments, headers),
 * the output, or skip `next` entirely. Names and shapes match `@temporalio/client`.
 */
import type { Payload } from '../common/index.js';
import type { ProtoTypes } from '../proto/index.js';
import type { CompiledScheduleOptions } from './schedule-types.js';
import type { CompiledWorkflowOptions } from './workflow-options.js';
import type { WorkflowUpdateOptions } from './update-handle.js';

type Outcome = ProtoTypes.temporal.api.update.v1.IOutcome;
type DescribeResponse = ProtoTypes.temporal.api.workflowservice.v1.IDescribeWorkflowExecutionResponse;
type TerminateResponse = ProtoTypes.temporal.api.workflowservice.v1.ITerminateWorkflowExecutionResponse;
type CancelResponse = ProtoTypes.temporal.api.workflowservice.v1.IRequestCancelWorkflowExecutionResponse;

/** Headers sent with a call (Temporal `header.fields`): header name → payload. */
export type Headers = Record<string, Payload>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyFunc = (...args: any[]) => any;
type WithoutLast<T extends unknown[]> = T extends [...infer Rest, unknown] ? Rest : never;

/** The `next` function an interceptor method `FN` of interface `IF` receives (its own signature minus `next`). */
export type Next<IF, FN extends keyof IF> =
  Required<IF>[FN] extends AnyFunc ? (...args: WithoutLast<Parameters<Required<IF>[FN]>>) => ReturnType<Required<IF>[FN]> : never;

/** Identifies a workflow execution; `runId` undefined means the latest run. */
export interface WorkflowExecution {
  workflowId: string;
  runId?: string;
}

/** Input of {@link WorkflowClientInterceptor.startWithDetails} (and the legacy `start`). */
export interface WorkflowStartInput {
  readonly workflowType: string;
  readonly headers: Headers;
  readonly options: CompiledWorkflowOptions;
}

/** Output of {@link WorkflowClientInterceptor.startWithDetails}. */
export interface WorkflowStartOutput {
  readonly runId: string;
  readonly eagerlyStarted: boolean;
}

/** Input of {@link WorkflowClientInterceptor.startUpdate}. */
export interface WorkflowStartUpdateInput {
  readonly updateName: string;
  readonly args: unknown[];
  readonly workflowExecution: WorkflowExecution;
  readonly firstExecutionRunId?: string;
  readonly headers: Headers;
  readonly options: WorkflowUpdateOptions;
}

/** Output of {@link WorkflowClientInterceptor.startUpdate}. */
export interface WorkflowStartUpdateOutput {
  readonly updateId: string;
  readonly workflowRunId: string;
  readonly outcome?: Outcome;
}

/** Input of {@link WorkflowClientInterceptor.startUpdateWithStart}. */
export interface WorkflowStartUpdateWithStartInput {
  readonly workflowType: string;
  readonly workflowStartOptions: CompiledWorkflowOptions;
  readonly workflowStartHeaders: Headers;
  readonly updateName: string;
  readonly updateArgs: unknown[];
  readonly updateOptions: WorkflowUpdateOptions;
  readonly updateHeaders: Headers;
}

/** Output of {@link WorkflowClientInterceptor.startUpdateWithStart}. */
export interface WorkflowStartUpdateWithStartOutput {
  readonly workflowExecution: Required<WorkflowExecution>;
  readonly updateId: string;
  readonly updateOutcome?: Outcome;
}

/** Input of {@link WorkflowClientInterceptor.signal}. */
export interface WorkflowSignalInput {
  readonly signalName: string;
  readonly args: unknown[];
  readonly workflowExecution: WorkflowExecution;
  readonly headers: Headers;
}

/** Input of {@link WorkflowClientInterceptor.signalWithStart}. */
export interface WorkflowSignalWithStartInput {
  readonly workflowType: string;
  readonly signalName: string;
  readonly signalArgs: unknown[];
  readonly headers: Headers;
  readonly options: CompiledWorkflowOptions;
}

/** Input of {@link WorkflowClientInterceptor.query}. */
export interface WorkflowQueryInput {
  readonly queryType: string;
  readonly args: unknown[];
  readonly workflowExecution: WorkflowExecution;
  /** `temporal.api.enums.v1.QueryRejectCondition` value. */
  readonly queryRejectCondition?: number;
  readonly headers: Headers;
}

/** Input of {@link WorkflowClientInterceptor.terminate}. */
export interface WorkflowTerminateInput {
  readonly workflowExecution: WorkflowExecution;
  readonly reason?: string;
  readonly details?: unknown[];
  readonly firstExecutionRunId?: string;
}

/** Input of {@link WorkflowClientInterceptor.cancel}. */
export interface WorkflowCancelInput {
  readonly workflowExecution: WorkflowExecution;
  readonly firstExecutionRunId?: string;
}

/** Input of {@link WorkflowClientInterceptor.describe}. */
export interface WorkflowDescribeInput {
  readonly workflowExecution: WorkflowExecution;
}

/**
 * Hooks around the {@link WorkflowClient}'s outbound calls; implement any subset. Each receives the
 * call's input and `next` (the rest of the chain) and returns what `next` returns (or its own value).
 *
 * @example
 * ```ts
 * const tracing: WorkflowClientInterceptor = {
 *   async startWithDetails(input, next) {
 *     const traceId = defaultPayloadConverter.toPayload(newTraceId());
 *     return next({ ...input, headers: { ...input.headers, traceId } });
 *   },
 * };
 * const client = new Client({ connection, interceptors: { workflow: [tracing] } });
 * ```
 */
export interface WorkflowClientInterceptor {
  /** @deprecated Use {@link startWithDetails}; a `start` hook is adapted to it (returns the run id). */
  start?: (input: WorkflowStartInput, next: Next<this, 'start'>) => Promise<string>;
  /** StartWorkflowExecution. */
  startWithDetails?: (input: WorkflowStartInput, next: Next<this, 'startWithDetails'>) => Promise<WorkflowStartOutput>;
  /** UpdateWorkflowExecution (`startUpdate` and `executeUpdate`). */
  startUpdate?: (input: WorkflowStartUpdateInput, next: Next<this, 'startUpdate'>) => Promise<WorkflowStartUpdateOutput>;
  /** ExecuteMultiOperation (`startUpdateWithStart` and `executeUpdateWithStart`). */
  startUpdateWithStart?: (
    input: WorkflowStartUpdateWithStartInput,
    next: Next<this, 'startUpdateWithStart'>,
  ) => Promise<WorkflowStartUpdateWithStartOutput>;
  /** SignalWorkflowExecution. */
  signal?: (input: WorkflowSignalInput, next: Next<this, 'signal'>) => Promise<void>;
  /** SignalWithStartWorkflowExecution; resolves with the signaled run id. */
  signalWithStart?: (input: WorkflowSignalWithStartInput, next: Next<this, 'signalWithStart'>) => Promise<string>;
  /** QueryWorkflow; resolves with the decoded query result. */
  query?: (input: WorkflowQueryInput, next: Next<this, 'query'>) => Promise<unknown>;
  /** TerminateWorkflowExecution. */
  terminate?: (input: WorkflowTerminateInput, next: Next<this, 'terminate'>) => Promise<TerminateResponse>;
  /** RequestCancelWorkflowExecution. */
  cancel?: (input: WorkflowCancelInput, next: Next<this, 'cancel'>) => Promise<CancelResponse>;
  /** DescribeWorkflowExecution; resolves with the raw response (decoded afterwards). */
  describe?: (input: WorkflowDescribeInput, next: Next<this, 'describe'>) => Promise<DescribeResponse>;
}

/** What a legacy interceptor factory receives. @deprecated Define interceptors directly. */
export interface WorkflowClientCallsInterceptorFactoryInput {
  workflowId: string;
  runId?: string;
}

/** A legacy factory making an interceptor per workflow. @deprecated Define interceptors directly. */
export type WorkflowClientCallsInterceptorFactory = (input: WorkflowClientCallsInterceptorFactoryInput) => WorkflowClientInterceptor;

/** The legacy form of the workflow interceptors option. @deprecated Pass an array of interceptors. */
export interface WorkflowClientInterceptors {
  calls?: WorkflowClientCallsInterceptorFactory[];
}

/** Input of {@link ScheduleClientInterceptor.create}. */
export interface CreateScheduleInput {
  readonly headers: Headers;
  readonly options: CompiledScheduleOptions;
}

/** Output of {@link ScheduleClientInterceptor.create}. */
export interface CreateScheduleOutput {
  readonly conflictToken: Uint8Array;
}

/** Hooks around the {@link ScheduleClient}'s outbound calls. */
export interface ScheduleClientInterceptor {
  /** CreateSchedule; headers reach the scheduled workflows' start requests. */
  create?: (input: CreateScheduleInput, next: Next<this, 'create'>) => Promise<CreateScheduleOutput>;
}

/** Interceptors of every sub-client of a `Client`. */
export interface ClientInterceptors {
  /** An array of interceptors, or (deprecated) `{ calls: [factory] }`. */
  workflow?: WorkflowClientInterceptors | WorkflowClientInterceptor[];
  schedule?: ScheduleClientInterceptor[];
}

/**
 * Composes the `method` hooks of `interceptors` around `next`: calling the result calls the first
 * interceptor's hook, whose `next` calls the second's, and so on, ending with `next`.
 *
 * @example
 * ```ts
 * const signal = composeInterceptors(interceptors, 'signal', sendSignal);
 * await signal({ signalName: 'go', args: [], workflowExecution: { workflowId }, headers: {} });
 * ```
 */
export function composeInterceptors<I, M extends keyof I>(interceptors: readonly I[], method: M, next: Next<I, M>): Next<I, M> {
  if (!Array.isArray(interceptors)) throw new TypeError('interceptors must be an array');
  let composed = next as AnyFunc;
  for (let i = interceptors.length - 1; i >= 0; i--) {
    const hook = interceptors[i]?.[method];
    if (hook === undefined) continue;
    if (typeof hook !== 'function') throw new TypeError(`Interceptor #${i} has a '${String(method)}' that is not a function`);
    const rest = composed;
    composed = (input: unknown) => (hook as AnyFunc).call(interceptors[i], input, rest);
  }
  return composed as Next<I, M>;
}

/** Adapts a legacy `start` hook (returning a run id) to `startWithDetails`. */
function adaptLegacyStart(i: WorkflowClientInterceptor): WorkflowClientInterceptor {
  const legacy = i.start;
  if (i.startWithDetails || !legacy) return i;
  return {
    ...i,
    async startWithDetails(input, next) {
      let downstream: WorkflowStartOutput | undefined;
      const runId = await legacy.call(i, input, async (changed: WorkflowStartInput) => {
        downstream = await next(changed);
        return downstream.runId;
      });
      return { eagerlyStarted: downstream?.eagerlyStarted ?? false, runId };
    },
  };
}

/**
 * The interceptors that apply to calls about `workflowId`: the array as given, or (legacy form)
 * one interceptor per factory. Validates the option's shape.
 */
export function workflowInterceptorsFor(
  option: WorkflowClientInterceptors | WorkflowClientInterceptor[] | undefined,
  workflowId: string,
  runId?: string,
): WorkflowClientInterceptor[] {
  if (option === undefined) return [];
  const list = Array.isArray(option) ? option : (option.calls ?? []).map((factory) => factory({ workflowId, runId }));
  return list.map(adaptLegacyStart);
}

/** Throws a TypeError unless `option` is a valid `interceptors.workflow` value. */
export function validateWorkflowInterceptors(option: unknown): void {
  if (option === undefined) return;
  if (Array.isArray(option)) {
    option.forEach((i, n) => {
      if (typeof i !== 'object' || i === null) throw new TypeError(`interceptors.workflow[${n}] must be an interceptor object`);
    });
    return;
  }
  const calls = (option as WorkflowClientInterceptors | null)?.calls;
  if (typeof option !== 'object' || option === null || (calls !== undefined && !calls.every((f) => typeof f === 'function'))) {
    throw new TypeError('interceptors.workflow must be an array of interceptors (or { calls: [factory, ...] })');
  }
}
