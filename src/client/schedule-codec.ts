/**
 * Schedule options ↔ `temporal.api.schedule.v1` messages: validation and defaults, spec, action,
 * policies, state, and the decoding of descriptions and recent / running actions.
 */
import { compilePriority, decodePriority } from '../common/priority.js';
import {
  compileRetryPolicy,
  decodeSearchAttributes,
  decodeTypedSearchAttributes,
  decompileRetryPolicy,
  encodeUnifiedSearchAttributes,
  msOptionalToTs,
  msToNumber,
  msToTs,
  optionalDateToTs,
  optionalTsToDate,
  optionalTsToMs,
  requiredTsToDate,
  type Duration,
} from '../common/index.js';
import { int64, temporal, type ProtoTypes } from '../proto/index.js';
import type { ClientDataConverter } from './data-conversion.js';
import type { Headers } from './interceptors.js';
import { decodeCalendarSpecs, encodeCalendarSpecs } from './schedule-calendar.js';
import {
  ScheduleOverlapPolicy,
  type Backfill,
  type CompiledScheduleAction,
  type CompiledScheduleOptions,
  type CompiledScheduleUpdateOptions,
  type ScheduleDescriptionAction,
  type ScheduleExecutionResult,
  type ScheduleExecutionStartWorkflowActionResult,
  type ScheduleOptions,
  type ScheduleOptionsAction,
  type ScheduleSpec,
  type ScheduleSpecDescription,
  type ScheduleUpdateOptions,
} from './schedule-types.js';
import { encodeUserMetadata, workflowTypeName } from './workflow-options.js';

type IScheduleSpec = ProtoTypes.temporal.api.schedule.v1.IScheduleSpec;
type IScheduleAction = ProtoTypes.temporal.api.schedule.v1.IScheduleAction;
type ISchedulePolicies = ProtoTypes.temporal.api.schedule.v1.ISchedulePolicies;
type IScheduleState = ProtoTypes.temporal.api.schedule.v1.IScheduleState;
type IScheduleActionResult = ProtoTypes.temporal.api.schedule.v1.IScheduleActionResult;
type IBackfillRequest = ProtoTypes.temporal.api.schedule.v1.IBackfillRequest;
type IWorkflowExecution = ProtoTypes.temporal.api.common.v1.IWorkflowExecution;
const OverlapEnum = temporal.api.enums.v1.ScheduleOverlapPolicy;

/** Overlap policy name → `temporal.api.enums.v1.ScheduleOverlapPolicy`; throws on an unknown name. */
export function encodeScheduleOverlapPolicy(policy: ScheduleOverlapPolicy): number {
  if (policy === undefined) return 0;
  const value = (OverlapEnum as unknown as Record<string, number>)[`SCHEDULE_OVERLAP_POLICY_${String(policy)}`];
  if (typeof policy !== 'string' || !(policy in ScheduleOverlapPolicy) || value === undefined) {
    throw new TypeError(`overlap policy must be one of ${Object.keys(ScheduleOverlapPolicy).filter((k) => k !== 'UNSPECIFIED').join(', ')}; got ${String(policy)}`);
  }
  return value;
}

/** `temporal.api.enums.v1.ScheduleOverlapPolicy` → name (undefined for UNSPECIFIED / unknown). */
export function decodeScheduleOverlapPolicy(value: number | null | undefined): ScheduleOverlapPolicy {
  const name = value ? (OverlapEnum as unknown as Record<number, string>)[value] : undefined;
  const short = name?.replace(/^SCHEDULE_OVERLAP_POLICY_/, '');
  return short && short in ScheduleOverlapPolicy ? (short as ScheduleOverlapPolicy) : undefined;
}

function checkDuration(value: Duration | undefined, field: string): void {
  if (value === undefined) return;
  try {
    msToNumber(value);
  } catch (err) {
    throw new TypeError(`${field} is not a valid Duration: ${(err as Error).message}`);
  }
}

function checkDate(value: unknown, field: string): void {
  if (value !== undefined && !(value instanceof Date && !Number.isNaN(value.getTime()))) throw new TypeError(`${field} must be a valid Date`);
}

function checkSpec(spec: ScheduleSpec | undefined, structure: string): void {
  if (typeof spec !== 'object' || spec === null) throw new TypeError(`${structure}.spec is required`);
  for (const key of ['calendars', 'intervals', 'cronExpressions', 'skip'] as const) {
    if (spec[key] !== undefined && !Array.isArray(spec[key])) throw new TypeError(`${structure}.spec.${key} must be an array`);
  }
  spec.intervals?.forEach((interval, i) => {
    if (interval?.every === undefined) throw new TypeError(`${structure}.spec.intervals[${i}].every is required`);
    checkDuration(interval.every, `${structure}.spec.intervals[${i}].every`);
    checkDuration(interval.offset, `${structure}.spec.intervals[${i}].offset`);
  });
  spec.cronExpressions?.forEach((cron, i) => {
    if (typeof cron !== 'string' || cron.trim() === '') throw new TypeError(`${structure}.spec.cronExpressions[${i}] must be a non-empty string`);
  });
  checkDate(spec.startAt, `${structure}.spec.startAt`);
  checkDate(spec.endAt, `${structure}.spec.endAt`);
  checkDuration(spec.jitter, `${structure}.spec.jitter`);
}

function checkAction(action: ScheduleOptionsAction | undefined, structure: string): void {
  if (typeof action !== 'object' || action === null) throw new TypeError(`${structure}.action is required`);
  if (action.type !== 'startWorkflow') throw new TypeError(`${structure}.action.type must be 'startWorkflow'`);
  if (typeof action.taskQueue !== 'string' || !action.taskQueue) throw new TypeError(`Missing ${structure}.action.taskQueue for 'startWorkflow' action`);
  if (!action.workflowType) throw new TypeError(`Missing ${structure}.action.workflowType for 'startWorkflow' action`);
  if (action.args !== undefined && !Array.isArray(action.args)) throw new TypeError(`${structure}.action.args must be an array`);
  if (action.workflowId !== undefined && (typeof action.workflowId !== 'string' || !action.workflowId)) {
    throw new TypeError(`${structure}.action.workflowId must be a non-empty string`);
  }
}

function checkState(state: ScheduleOptions['state'], structure: string): void {
  const remaining = state?.remainingActions;
  if (remaining !== undefined && !(Number.isInteger(remaining) && remaining >= 0)) {
    throw new TypeError(`${structure}.state.remainingActions must be a non-negative integer`);
  }
  state?.backfill?.forEach((b, i) => {
    checkDate(b?.start, `${structure}.state.backfill[${i}].start`);
    checkDate(b?.end, `${structure}.state.backfill[${i}].end`);
  });
}

function compileAction(scheduleId: string, action: ScheduleOptionsAction): CompiledScheduleAction {
  return {
    ...action,
    workflowType: workflowTypeName(action.workflowType),
    workflowId: action.workflowId ?? `${scheduleId}-workflow`,
    args: [...(action.args ?? [])],
  };
}

/** Validates create options and applies the action's defaults; throws a TypeError naming the problem. */
export function compileScheduleOptions(options: ScheduleOptions): CompiledScheduleOptions {
  if (typeof options !== 'object' || options === null) throw new TypeError('ScheduleOptions are required');
  if (typeof options.scheduleId !== 'string' || !options.scheduleId) throw new TypeError('Missing ScheduleOptions.scheduleId');
  checkSpec(options.spec, 'ScheduleOptions');
  checkAction(options.action, 'ScheduleOptions');
  checkState(options.state, 'ScheduleOptions');
  checkDuration(options.policies?.catchupWindow, 'ScheduleOptions.policies.catchupWindow');
  if (options.policies?.overlap !== undefined) encodeScheduleOverlapPolicy(options.policies.overlap);
  return { ...options, action: compileAction(options.scheduleId, options.action) };
}

/** Validates what an update function returned and applies the action's defaults. */
export function compileScheduleUpdateOptions(scheduleId: string, options: ScheduleUpdateOptions): CompiledScheduleUpdateOptions {
  if (typeof options !== 'object' || options === null) throw new TypeError('The schedule update function must return ScheduleUpdateOptions');
  checkSpec(options.spec, 'ScheduleUpdateOptions');
  checkAction(options.action, 'ScheduleUpdateOptions');
  checkState(options.state, 'ScheduleUpdateOptions');
  checkDuration(options.policies?.catchupWindow, 'ScheduleUpdateOptions.policies.catchupWindow');
  if (options.policies?.overlap !== undefined) encodeScheduleOverlapPolicy(options.policies.overlap);
  return { ...options, action: compileAction(scheduleId, options.action) };
}

export function encodeScheduleSpec(spec: ScheduleSpec): IScheduleSpec {
  return {
    structuredCalendar: encodeCalendarSpecs(spec.calendars),
    interval: spec.intervals?.map((i) => ({ interval: msToTs(i.every), phase: msOptionalToTs(i.offset) })),
    cronString: spec.cronExpressions,
    excludeStructuredCalendar: encodeCalendarSpecs(spec.skip),
    startTime: optionalDateToTs(spec.startAt),
    endTime: optionalDateToTs(spec.endAt),
    jitter: msOptionalToTs(spec.jitter),
    timezoneName: spec.timezone,
  };
}

export function decodeScheduleSpec(pb: IScheduleSpec): ScheduleSpecDescription {
  return {
    calendars: decodeCalendarSpecs(pb.structuredCalendar),
    intervals: (pb.interval ?? []).map((i) => ({ every: optionalTsToMs(i.interval) ?? 0, offset: optionalTsToMs(i.phase) ?? 0 })),
    skip: decodeCalendarSpecs(pb.excludeStructuredCalendar),
    startAt: optionalTsToDate(pb.startTime),
    endAt: optionalTsToDate(pb.endTime),
    jitter: optionalTsToMs(pb.jitter),
    timezone: pb.timezoneName || undefined,
  };
}

/** The schedule's start-workflow action, with `headers` as the started workflows' header. */
export async function encodeScheduleAction(converter: ClientDataConverter, action: CompiledScheduleAction, headers: Headers): Promise<IScheduleAction> {
  const memo = await converter.encodeMap(action.memo);
  const hasSearchAttributes = action.searchAttributes !== undefined || action.typedSearchAttributes !== undefined;
  return {
    startWorkflow: {
      workflowId: action.workflowId,
      workflowType: { name: action.workflowType },
      input: { payloads: (await converter.encodeArgs(action.args)) ?? [] },
      taskQueue: { kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL, name: action.taskQueue },
      workflowExecutionTimeout: msOptionalToTs(action.workflowExecutionTimeout),
      workflowRunTimeout: msOptionalToTs(action.workflowRunTimeout),
      workflowTaskTimeout: msOptionalToTs(action.workflowTaskTimeout),
      retryPolicy: action.retry ? compileRetryPolicy(action.retry) : undefined,
      memo: memo ? { fields: memo } : undefined,
      searchAttributes: hasSearchAttributes
        ? { indexedFields: encodeUnifiedSearchAttributes(action.searchAttributes, action.typedSearchAttributes) }
        : undefined,
      header: { fields: headers },
      userMetadata: await encodeUserMetadata(converter, action.staticSummary, action.staticDetails),
      priority: action.priority && compilePriority(action.priority),
    },
  };
}

export async function decodeScheduleAction(converter: ClientDataConverter, pb: IScheduleAction): Promise<ScheduleDescriptionAction> {
  const a = pb.startWorkflow;
  if (!a) throw new TypeError('Unsupported schedule action (only startWorkflow is supported)');
  const metadata = a.userMetadata;
  return {
    type: 'startWorkflow',
    workflowId: a.workflowId ?? '',
    workflowType: a.workflowType?.name ?? '',
    taskQueue: a.taskQueue?.name ?? '',
    args: await converter.decodeAll(a.input?.payloads),
    memo: await converter.decodeMap(a.memo?.fields),
    retry: decompileRetryPolicy(a.retryPolicy),
    searchAttributes: decodeSearchAttributes(a.searchAttributes?.indexedFields),
    typedSearchAttributes: decodeTypedSearchAttributes(a.searchAttributes?.indexedFields),
    workflowExecutionTimeout: optionalTsToMs(a.workflowExecutionTimeout),
    workflowRunTimeout: optionalTsToMs(a.workflowRunTimeout),
    workflowTaskTimeout: optionalTsToMs(a.workflowTaskTimeout),
    staticSummary: metadata?.summary ? await converter.decodeFirst<string>([metadata.summary]) : undefined,
    staticDetails: metadata?.details ? await converter.decodeFirst<string>([metadata.details]) : undefined,
    priority: decodePriority(a.priority),
  };
}

export function encodeSchedulePolicies(policies: ScheduleOptions['policies']): ISchedulePolicies {
  return {
    catchupWindow: msOptionalToTs(policies?.catchupWindow),
    overlapPolicy: policies?.overlap ? encodeScheduleOverlapPolicy(policies.overlap) : undefined,
    pauseOnFailure: policies?.pauseOnFailure,
  };
}

export function encodeScheduleState(state: ScheduleUpdateOptions['state'] | undefined): IScheduleState {
  return {
    paused: state?.paused,
    notes: state?.note,
    limitedActions: state?.remainingActions !== undefined,
    remainingActions: state?.remainingActions ? int64(state.remainingActions) : undefined,
  };
}

export function encodeBackfills(backfills: Backfill[]): IBackfillRequest[] {
  return backfills.map((b) => ({
    startTime: optionalDateToTs(b.start),
    endTime: optionalDateToTs(b.end),
    overlapPolicy: b.overlap ? encodeScheduleOverlapPolicy(b.overlap) : undefined,
  }));
}

export function decodeRunningActions(pb: IWorkflowExecution[] | null | undefined): ScheduleExecutionStartWorkflowActionResult[] {
  return (pb ?? []).map((x) => ({ type: 'startWorkflow', workflow: { workflowId: x.workflowId ?? '', firstExecutionRunId: x.runId ?? '' } }));
}

export function decodeRecentActions(pb: IScheduleActionResult[] | null | undefined): ScheduleExecutionResult[] {
  return (pb ?? []).map((r) => {
    const started = r.startWorkflowResult;
    if (!started) throw new TypeError('Unsupported schedule action result (only startWorkflow is supported)');
    return {
      scheduledAt: requiredTsToDate(r.scheduleTime, 'scheduleTime'),
      takenAt: requiredTsToDate(r.actualTime, 'actualTime'),
      action: { type: 'startWorkflow', workflow: { workflowId: started.workflowId ?? '', firstExecutionRunId: started.runId ?? '' } },
    };
  });
}
