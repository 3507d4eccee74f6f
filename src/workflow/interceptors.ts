/**
 * Workflow interceptors: code that wraps the calls into a workflow (execute, signals, queries,
 * updates) and the calls a workflow makes (activities, timers, child workflows, ...). A module listed
 * in the worker's `workflowInterceptorModules` exports `interceptors()`, returning
 * {@link WorkflowInterceptors}; the first interceptor of a list is the outermost.
 *
 * @module
 */
import type { Payload } from '../common/index.js';
import type { ActivityOptions, LocalActivityOptions } from './activity-options.js';
import type { ChildWorkflowOptionsWithDefaults } from './child-workflow-options.js';
import type { ContinueAsNewOptions } from './continue-as-new.js';
import type { WorkflowActivation, WorkflowCommand } from './runtime/protocol.js';

/** Headers carried with calls (e.g. tracing context). */
export type Headers = Record<string, Payload>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyFunction = (...args: any[]) => any;
type OmitLast<T> = T extends [...infer Rest, unknown] ? Rest : never;
type OmitLastParam<F extends AnyFunction> = (...args: OmitLast<Parameters<F>>) => ReturnType<F>;

/** The `next` function handed to interceptor method `M` of interface `I`. */
export type Next<I, M extends keyof I> = Required<I>[M] extends AnyFunction ? OmitLastParam<Required<I>[M]> : never;

export interface WorkflowExecuteInput {
  readonly args: unknown[];
  readonly headers: Headers;
}

export interface SignalInput {
  readonly signalName: string;
  readonly args: unknown[];
  readonly headers: Headers;
}

export interface QueryInput {
  readonly queryId: string;
  readonly queryName: string;
  readonly args: unknown[];
  readonly headers: Headers;
}

export interface UpdateInput {
  readonly updateId: string;
  readonly name: string;
  readonly args: unknown[];
  readonly headers: Headers;
}

/** Intercepts calls into the workflow. */
export interface WorkflowInboundCallsInterceptor {
  execute?: (input: WorkflowExecuteInput, next: Next<WorkflowInboundCallsInterceptor, 'execute'>) => Promise<unknown>;
  handleSignal?: (input: SignalInput, next: Next<WorkflowInboundCallsInterceptor, 'handleSignal'>) => Promise<void>;
  handleQuery?: (input: QueryInput, next: Next<WorkflowInboundCallsInterceptor, 'handleQuery'>) => Promise<unknown>;
  handleUpdate?: (input: UpdateInput, next: Next<WorkflowInboundCallsInterceptor, 'handleUpdate'>) => Promise<unknown>;
  validateUpdate?: (input: UpdateInput, next: Next<WorkflowInboundCallsInterceptor, 'validateUpdate'>) => void;
}

export interface TimerOptions {
  /** A single-line summary of the timer, shown in UIs. */
  readonly summary?: string;
}

export interface TimerInput {
  readonly durationMs: number;
  readonly seq: number;
  readonly options?: TimerOptions;
}

export interface ActivityInput {
  readonly activityType: string;
  readonly args: unknown[];
  readonly options: ActivityOptions;
  readonly headers: Headers;
  readonly seq: number;
}

export interface LocalActivityInput {
  readonly activityType: string;
  readonly args: unknown[];
  readonly options: LocalActivityOptions;
  readonly headers: Headers;
  readonly seq: number;
  readonly attempt: number;
  readonly originalScheduleTimeMs?: number;
}

export interface StartChildWorkflowExecutionInput {
  readonly workflowType: string;
  readonly options: ChildWorkflowOptionsWithDefaults;
  readonly headers: Headers;
  readonly seq: number;
}

export interface SignalWorkflowInput {
  readonly seq: number;
  readonly signalName: string;
  readonly args: unknown[];
  readonly headers: Headers;
  readonly target:
    | { readonly type: 'external'; readonly workflowExecution: { workflowId: string; runId?: string } }
    | { readonly type: 'child'; readonly childWorkflowId: string };
}

export interface ContinueAsNewInput {
  readonly args: unknown[];
  readonly headers: Headers;
  readonly options: ContinueAsNewOptions & { workflowType: string; taskQueue: string };
}

export type GetLogAttributesInput = Record<string, unknown>;

/** Intercepts calls the workflow makes. */
export interface WorkflowOutboundCallsInterceptor {
  startTimer?: (input: TimerInput, next: Next<WorkflowOutboundCallsInterceptor, 'startTimer'>) => Promise<void>;
  scheduleActivity?: (
    input: ActivityInput,
    next: Next<WorkflowOutboundCallsInterceptor, 'scheduleActivity'>
  ) => Promise<unknown>;
  scheduleLocalActivity?: (
    input: LocalActivityInput,
    next: Next<WorkflowOutboundCallsInterceptor, 'scheduleLocalActivity'>
  ) => Promise<unknown>;
  startChildWorkflowExecution?: (
    input: StartChildWorkflowExecutionInput,
    next: Next<WorkflowOutboundCallsInterceptor, 'startChildWorkflowExecution'>
  ) => Promise<[Promise<string>, Promise<unknown>]>;
  signalWorkflow?: (input: SignalWorkflowInput, next: Next<WorkflowOutboundCallsInterceptor, 'signalWorkflow'>) => Promise<void>;
  continueAsNew?: (input: ContinueAsNewInput, next: Next<WorkflowOutboundCallsInterceptor, 'continueAsNew'>) => Promise<never>;
  getLogAttributes?: (
    input: GetLogAttributesInput,
    next: Next<WorkflowOutboundCallsInterceptor, 'getLogAttributes'>
  ) => Record<string, unknown>;
}

export interface ActivateInput {
  /** The activation being applied (jobs in the order the runtime applies them). */
  readonly activation: WorkflowActivation;
  /** Always 0: duraflow applies an activation's jobs as one batch. */
  readonly batchIndex: number;
}

export interface ConcludeActivationInput {
  commands: WorkflowCommand[];
}

/** Intercepts the runtime itself. */
export interface WorkflowInternalsInterceptor {
  /** Wraps applying an activation's jobs (the first activation included: interceptors exist before its jobs run). */
  activate?: (input: ActivateInput, next: Next<WorkflowInternalsInterceptor, 'activate'>) => void;
  concludeActivation?: (
    input: ConcludeActivationInput,
    next: Next<WorkflowInternalsInterceptor, 'concludeActivation'>
  ) => ConcludeActivationInput;
  dispose?: (input: Record<string, never>, next: Next<WorkflowInternalsInterceptor, 'dispose'>) => void;
}

/** The interceptors one module contributes. */
export interface WorkflowInterceptors {
  inbound?: WorkflowInboundCallsInterceptor[];
  outbound?: WorkflowOutboundCallsInterceptor[];
  internals?: WorkflowInternalsInterceptor[];
}

/** What a workflow interceptor module exports as `interceptors`. */
export type WorkflowInterceptorsFactory = () => WorkflowInterceptors;

/**
 * Wraps `next` in every interceptor of the list that implements `method`, the first one outermost.
 *
 * @example
 * ```ts
 * const execute = composeInterceptors(inbound, 'execute', (input) => workflow(...input.args));
 * ```
 */
export function composeInterceptors<I, M extends keyof I>(interceptors: readonly I[], method: M, next: Next<I, M>): Next<I, M> {
  let composed = next as AnyFunction;
  for (let i = interceptors.length - 1; i >= 0; --i) {
    const fn = interceptors[i]?.[method] as AnyFunction | undefined;
    if (fn === undefined) continue;
    const inner = composed;
    const interceptor = interceptors[i];
    composed = (input: unknown) => fn.call(interceptor, input, inner);
  }
  return composed as Next<I, M>;
}
