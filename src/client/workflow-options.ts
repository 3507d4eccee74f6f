/** Options of `WorkflowClient.start` and friends, their validation and their wire form. */
import { optionNamesProblem } from '../common/closest-name.js';
import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '../common/workflow-id-policies.js';
import { randomUUID } from 'node:crypto';
import {
  compilePriority,
  compileRetryPolicy,
  encodeUnifiedSearchAttributes,
  msOptionalToTs,
  type Duration,
  type Priority,
  type ProtoDuration,
  type RetryPolicy,
  type SearchAttributePair,
  type SearchAttributes,
  type TypedSearchAttributes,
} from '../common/index.js';
import { temporal, type ProtoTypes } from '../proto/index.js';
import type { ClientDataConverter } from './data-conversion.js';
import type { SignalDefinition, Workflow } from '../common/definitions.js';
import type { WorkflowStartInput } from './interceptors.js';

type StartRequest = ProtoTypes.temporal.api.workflowservice.v1.IStartWorkflowExecutionRequest;
const Enums = temporal.api.enums.v1;

/** Options to start a workflow execution. */
export interface WorkflowOptions {
  /** Business-level id; required and unique among running workflows of the namespace. */
  workflowId: string;
  /** The task queue the workflow's worker polls; required. */
  taskQueue: string;
  workflowIdReusePolicy?: WorkflowIdReusePolicy;
  workflowIdConflictPolicy?: WorkflowIdConflictPolicy;
  workflowExecutionTimeout?: Duration;
  workflowRunTimeout?: Duration;
  workflowTaskTimeout?: Duration;
  retry?: RetryPolicy;
  cronSchedule?: string;
  memo?: Record<string, unknown>;
  /** @deprecated Use {@link typedSearchAttributes}. */
  searchAttributes?: SearchAttributes;
  typedSearchAttributes?: SearchAttributePair[] | TypedSearchAttributes;
  startDelay?: Duration;
  /** A single-line summary shown in UIs (stored as user metadata). */
  staticSummary?: string;
  /** Longer details shown in UIs (stored as user metadata). */
  staticDetails?: string;
  /** Whether the handle's `result()` follows continue-as-new, retries and cron runs. @default true */
  followRuns?: boolean;
  /**
   * How the server orders the workflow's tasks among others on their queue; its activities and
   * children inherit it unless they set their own. @default the server's (priority key 3 of 5)
   */
  priority?: Priority;
  /**
   * Accepted so that official code carries over: duraflow's client does not ask for eager workflow
   * start, so the workflow starts as usual (`eagerlyStarted` is false).
   */
  requestEagerStart?: boolean;
}

/** Every name {@link WorkflowOptions} (with `args`) may have; the compiler checks the list is complete. */
const KNOWN_OPTIONS: Record<keyof WorkflowOptions | 'args', true> = {
  workflowId: true, taskQueue: true, workflowIdReusePolicy: true, workflowIdConflictPolicy: true, workflowExecutionTimeout: true,
  workflowRunTimeout: true, workflowTaskTimeout: true, retry: true, cronSchedule: true, memo: true, searchAttributes: true,
  typedSearchAttributes: true, startDelay: true, staticSummary: true, staticDetails: true, followRuns: true, priority: true,
  requestEagerStart: true, args: true,
};

/** Official workflow options duraflow does not support, and why. */
const UNSUPPORTED_OPTIONS: Record<string, string> = {
  versioningOverride: 'Worker Versioning is not supported by duraflow yet',
  typeInfo: 'typed payload conversion is not supported by duraflow yet',
};

/**
 * {@link WorkflowOptions} as interceptors see them: validated, timeouts as protobuf Durations and
 * `args` always an array.
 */
export type CompiledWorkflowOptions = Omit<
  WorkflowOptions,
  'workflowExecutionTimeout' | 'workflowRunTimeout' | 'workflowTaskTimeout' | 'startDelay'
> & {
  workflowExecutionTimeout?: ProtoDuration;
  workflowRunTimeout?: ProtoDuration;
  workflowTaskTimeout?: ProtoDuration;
  startDelay?: ProtoDuration;
  args: unknown[];
};

/**
 * `T` plus the workflow arguments: `args` is required when workflow `W` takes at least one
 * (non-optional) parameter, optional otherwise.
 */
export type WithWorkflowArgs<W extends Workflow, T> = T &
  (Parameters<W> extends [unknown, ...unknown[]]
    ? { args: Parameters<W> | Readonly<Parameters<W>> }
    : { args?: Parameters<W> | Readonly<Parameters<W>> });

/** Options of `start`/`execute`: {@link WorkflowOptions} plus the workflow arguments. */
export type WorkflowStartOptions<T extends Workflow = Workflow> = WithWorkflowArgs<T, WorkflowOptions>;

/** Options of `signalWithStart`: start options plus the signal and its arguments (required when it takes some). */
export type WorkflowSignalWithStartOptions<SignalArgs extends unknown[] = []> = WorkflowOptions & {
  signal: SignalDefinition<SignalArgs> | string;
} & (SignalArgs extends [unknown, ...unknown[]] ? { signalArgs: SignalArgs } : { signalArgs?: SignalArgs });

const REUSE: Record<WorkflowIdReusePolicy, number> = {
  ALLOW_DUPLICATE: Enums.WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE,
  ALLOW_DUPLICATE_FAILED_ONLY: Enums.WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE_FAILED_ONLY,
  REJECT_DUPLICATE: Enums.WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
  TERMINATE_IF_RUNNING: Enums.WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_TERMINATE_IF_RUNNING,
};
const CONFLICT: Record<WorkflowIdConflictPolicy, number> = {
  FAIL: Enums.WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_FAIL,
  USE_EXISTING: Enums.WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
  TERMINATE_EXISTING: Enums.WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_TERMINATE_EXISTING,
};

function requireString(value: unknown, field: string): void {
  if (typeof value !== 'string' || value.length === 0) {
    throw new TypeError(`WorkflowOptions.${field} is required and must be a non-empty string`);
  }
}

function checkEnum(value: unknown, allowed: Record<string, unknown>, field: string): void {
  if (value !== undefined && !(typeof value === 'string' && value in allowed)) {
    throw new TypeError(`WorkflowOptions.${field} must be one of ${Object.keys(allowed).join(', ')}; got ${String(value)}`);
  }
}

/** Throws a TypeError naming the first invalid option; called before any RPC. */
export function validateWorkflowOptions(options: unknown): asserts options is WorkflowOptions & { args?: unknown[] } {
  if (typeof options !== 'object' || options === null) throw new TypeError('WorkflowOptions are required');
  const o = options as Record<string, unknown>;
  requireString(o.workflowId, 'workflowId');
  requireString(o.taskQueue, 'taskQueue');
  if (o.args !== undefined && !Array.isArray(o.args)) throw new TypeError('WorkflowOptions.args must be an array');
  checkEnum(o.workflowIdReusePolicy, REUSE, 'workflowIdReusePolicy');
  checkEnum(o.workflowIdConflictPolicy, CONFLICT, 'workflowIdConflictPolicy');
  if (o.memo !== undefined && (typeof o.memo !== 'object' || o.memo === null)) {
    throw new TypeError('WorkflowOptions.memo must be an object');
  }
  if (o.priority !== undefined) {
    try {
      compilePriority(o.priority as Priority);
    } catch (err) {
      throw new TypeError(`WorkflowOptions.priority is not valid: ${(err as Error).message}`);
    }
  }
  for (const field of ['workflowExecutionTimeout', 'workflowRunTimeout', 'workflowTaskTimeout', 'startDelay']) {
    try {
      msOptionalToTs(o[field] as Duration | undefined);
    } catch (err) {
      throw new TypeError(`WorkflowOptions.${field} is not a valid Duration: ${(err as Error).message}`);
    }
  }
}

/** The workflow type name of a workflow function or name. */
export function workflowTypeName(workflowTypeOrFunc: string | Workflow): string {
  if (typeof workflowTypeOrFunc === 'string' && workflowTypeOrFunc.length > 0) return workflowTypeOrFunc;
  if (typeof workflowTypeOrFunc === 'function' && workflowTypeOrFunc.name) return workflowTypeOrFunc.name;
  throw new TypeError('Workflow type must be a non-empty string or a named workflow function');
}

/**
 * Validates `options` and compiles them for interceptors and the wire: timeouts become protobuf
 * Durations, `args` an array. Throws a TypeError naming the first invalid option.
 *
 * @example
 * ```ts
 * const compiled = compileWorkflowOptions({ workflowId: 'w', taskQueue: 'q', workflowRunTimeout: '1m' });
 * compiled.workflowRunTimeout; // { seconds: Long(60), nanos: 0 }
 * ```
 */
export function compileWorkflowOptions(options: WorkflowOptions & { args?: readonly unknown[] }): CompiledWorkflowOptions {
  validateWorkflowOptions(options);
  const problem = optionNamesProblem(options, KNOWN_OPTIONS, UNSUPPORTED_OPTIONS, (name) => `WorkflowOptions '${name}'`);
  if (problem !== undefined) throw new TypeError(problem);
  const { workflowExecutionTimeout, workflowRunTimeout, workflowTaskTimeout, startDelay, args, requestEagerStart: _eager, ...rest } = options;
  return {
    ...rest,
    workflowExecutionTimeout: msOptionalToTs(workflowExecutionTimeout),
    workflowRunTimeout: msOptionalToTs(workflowRunTimeout),
    workflowTaskTimeout: msOptionalToTs(workflowTaskTimeout),
    startDelay: msOptionalToTs(startDelay),
    args: [...(args ?? [])],
  };
}

/** Encodes a static summary / details pair as user metadata (absent when both are). */
export async function encodeUserMetadata(
  converter: ClientDataConverter,
  staticSummary: string | undefined,
  staticDetails: string | undefined,
): Promise<StartRequest['userMetadata'] | undefined> {
  if (staticSummary === undefined && staticDetails === undefined) return undefined;
  const [summary] = (await converter.encodeArgs(staticSummary === undefined ? [] : [staticSummary])) ?? [];
  const [details] = (await converter.encodeArgs(staticDetails === undefined ? [] : [staticDetails])) ?? [];
  return { summary, details };
}

/** What every start-like request carries: namespace, identity and the data converter. */
export interface StartRequestContext {
  namespace: string;
  identity: string;
  converter: ClientDataConverter;
}

/** The fields shared by StartWorkflowExecution, SignalWithStart and the start operation of update-with-start. */
export async function compileStartRequest(ctx: StartRequestContext, input: WorkflowStartInput): Promise<StartRequest> {
  const { options, workflowType, headers } = input;
  const payloads = await ctx.converter.encodeArgs(options.args);
  const memo = await ctx.converter.encodeMap(options.memo);
  const hasSearchAttributes = options.searchAttributes !== undefined || options.typedSearchAttributes !== undefined;
  return {
    namespace: ctx.namespace,
    identity: ctx.identity,
    requestId: randomUUID(),
    workflowId: options.workflowId,
    workflowType: { name: workflowType },
    taskQueue: { name: options.taskQueue, kind: Enums.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
    input: { payloads: payloads ?? [] },
    workflowIdReusePolicy: options.workflowIdReusePolicy ? REUSE[options.workflowIdReusePolicy] : undefined,
    workflowIdConflictPolicy: options.workflowIdConflictPolicy ? CONFLICT[options.workflowIdConflictPolicy] : undefined,
    workflowExecutionTimeout: options.workflowExecutionTimeout,
    workflowRunTimeout: options.workflowRunTimeout,
    workflowTaskTimeout: options.workflowTaskTimeout,
    workflowStartDelay: options.startDelay,
    retryPolicy: options.retry ? compileRetryPolicy(options.retry) : undefined,
    memo: memo ? { fields: memo } : undefined,
    searchAttributes: hasSearchAttributes
      ? { indexedFields: encodeUnifiedSearchAttributes(options.searchAttributes, options.typedSearchAttributes) }
      : undefined,
    cronSchedule: options.cronSchedule,
    header: { fields: headers },
    userMetadata: await encodeUserMetadata(ctx.converter, options.staticSummary, options.staticDetails),
    priority: options.priority && compilePriority(options.priority),
  };
}

export { WorkflowIdConflictPolicy, WorkflowIdReusePolicy };
