/**
 * Schedule option and description types, named and shaped as in `@temporalio/client`: a schedule
 * has a spec (when), an action (start a workflow), policies (overlap, catch-up, pause on failure)
 * and a state (paused, note, remaining actions).
 */
import type {
  Duration,
  SearchAttributePair,
  SearchAttributes,
  TypedSearchAttributes,
} from '../common/index.js';
import type { Workflow } from '../common/definitions.js';
import type { ProtoTypes } from '../proto/index.js';
import type { WorkflowStartOptions } from './workflow-options.js';

type Replace<T, U> = Omit<T, keyof U> & U;

/** What happens when an action is due while the previous one's workflow is still running. */
export const ScheduleOverlapPolicy = {
  /** Don't start the new workflow. */
  SKIP: 'SKIP',
  /** Start it once the running one closes; keep at most one waiting. */
  BUFFER_ONE: 'BUFFER_ONE',
  /** Start them one after another as each closes. */
  BUFFER_ALL: 'BUFFER_ALL',
  /** Cancel the running workflow, then start the new one. */
  CANCEL_OTHER: 'CANCEL_OTHER',
  /** Terminate the running workflow, then start the new one. */
  TERMINATE_OTHER: 'TERMINATE_OTHER',
  /** Start the new workflow regardless. */
  ALLOW_ALL: 'ALLOW_ALL',
  /** Use the server's default (SKIP). */
  UNSPECIFIED: undefined,
} as const;
export type ScheduleOverlapPolicy = (typeof ScheduleOverlapPolicy)[keyof typeof ScheduleOverlapPolicy];

/** Month names, January first. */
export const MONTHS = [
  'JANUARY',
  'FEBRUARY',
  'MARCH',
  'APRIL',
  'MAY',
  'JUNE',
  'JULY',
  'AUGUST',
  'SEPTEMBER',
  'OCTOBER',
  'NOVEMBER',
  'DECEMBER',
] as const;
export type Month = (typeof MONTHS)[number];

/** Day names, Sunday first (Sunday is 0 on the wire). */
export const DAYS_OF_WEEK = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'] as const;
export type DayOfWeek = (typeof DAYS_OF_WEEK)[number];

/** An inclusive range of values with a step. */
export interface Range<Unit> {
  start: Unit;
  end: Unit;
  step: number;
}

/** A single value, or a range whose `end` (default `start`) and `step` (default 1) may be left out. */
export type LooseRange<Unit> = Range<Unit> | { start: Unit; end?: Unit; step?: never } | Unit;

/**
 * Calendar times matching every field. Unset `second`, `minute`, `hour` mean 0; unset
 * `dayOfMonth`, `month`, `dayOfWeek`, `year` mean every; `'*'` means every.
 */
export interface CalendarSpec {
  second?: LooseRange<number> | LooseRange<number>[] | '*';
  minute?: LooseRange<number> | LooseRange<number>[] | '*';
  hour?: LooseRange<number> | LooseRange<number>[] | '*';
  dayOfMonth?: LooseRange<number> | LooseRange<number>[] | '*';
  month?: LooseRange<Month> | LooseRange<Month>[] | '*';
  year?: LooseRange<number> | LooseRange<number>[] | '*';
  dayOfWeek?: LooseRange<DayOfWeek> | LooseRange<DayOfWeek>[] | '*';
  comment?: string;
}

/** A {@link CalendarSpec} as the server describes it: every field a list of full ranges. */
export interface CalendarSpecDescription {
  second: Range<number>[];
  minute: Range<number>[];
  hour: Range<number>[];
  dayOfMonth: Range<number>[];
  month: Range<Month>[];
  year: Range<number>[];
  dayOfWeek: Range<DayOfWeek>[];
  comment?: string;
}

/** Every `every` since the epoch, shifted by `offset`. */
export interface IntervalSpec {
  every: Duration;
  offset?: Duration;
}

/** An {@link IntervalSpec} as described by the server, in milliseconds. */
export interface IntervalSpecDescription {
  every: number;
  offset: number;
}

/** When a schedule's actions are due: the union of calendars, intervals and cron expressions, minus `skip`. */
export interface ScheduleSpec {
  calendars?: CalendarSpec[];
  intervals?: IntervalSpec[];
  /** Cron strings (`'0 12 * * MON-FRI'`, with optional seconds / year fields); the server turns them into calendars. */
  cronExpressions?: string[];
  /** Calendar times on which no action is taken. */
  skip?: CalendarSpec[];
  startAt?: Date;
  endAt?: Date;
  /** Each action is delayed by a random amount up to this. */
  jitter?: Duration;
  /** IANA time zone name for calendars and cron expressions. @default 'UTC' */
  timezone?: string;
}

/** A {@link ScheduleSpec} as described by the server (cron expressions appear as calendars). */
export type ScheduleSpecDescription = Omit<ScheduleSpec, 'calendars' | 'intervals' | 'cronExpressions' | 'skip' | 'jitter'> & {
  calendars?: CalendarSpecDescription[];
  intervals?: IntervalSpecDescription[];
  skip?: CalendarSpecDescription[];
  jitter?: number;
};

/** The action of a schedule: start a workflow. `workflowId` defaults to `<scheduleId>-workflow`. */
export type ScheduleOptionsStartWorkflowAction<W extends Workflow> = {
  type: 'startWorkflow';
  workflowType: string | W;
} & Pick<
  WorkflowStartOptions<W>,
  | 'taskQueue'
  | 'args'
  | 'memo'
  | 'searchAttributes'
  | 'typedSearchAttributes'
  | 'retry'
  | 'workflowExecutionTimeout'
  | 'workflowRunTimeout'
  | 'workflowTaskTimeout'
  | 'staticSummary'
  | 'staticDetails'
  | 'priority'
> & { workflowId?: string };

export type ScheduleOptionsAction = ScheduleOptionsStartWorkflowAction<Workflow>;

/** A range of past times to take actions for now. */
export interface Backfill {
  start: Date;
  end: Date;
  /** @default the schedule's overlap policy */
  overlap?: ScheduleOverlapPolicy;
}

/** Options of `ScheduleClient.create`. */
export interface ScheduleOptions<A extends ScheduleOptionsAction = ScheduleOptionsAction> {
  scheduleId: string;
  spec: ScheduleSpec;
  action: A;
  policies?: {
    /** @default 'SKIP' */
    overlap?: ScheduleOverlapPolicy;
    /** How late an action may still be taken after downtime. @default '1 year' (server default) */
    catchupWindow?: Duration;
    /** Pause the schedule when a started workflow fails or times out. @default false */
    pauseOnFailure?: boolean;
  };
  memo?: Record<string, unknown>;
  /** @deprecated Use {@link typedSearchAttributes}. */
  searchAttributes?: SearchAttributes;
  typedSearchAttributes?: SearchAttributePair[] | TypedSearchAttributes;
  state?: {
    paused?: boolean;
    note?: string;
    /** Take at most this many actions, then stop. @default unlimited */
    remainingActions?: number;
    /** Take one action right after creation. */
    triggerImmediately?: boolean;
    /** Take actions for these past ranges right after creation. */
    backfill?: Backfill[];
  };
}

/** The action with its defaults applied: workflow type as a name, `workflowId` and `args` set. */
export type CompiledScheduleAction = Replace<
  ScheduleOptionsAction,
  { workflowType: string; workflowId: string; args: unknown[] }
>;

/** {@link ScheduleOptions} as interceptors see them. */
export type CompiledScheduleOptions = Replace<ScheduleOptions, { action: CompiledScheduleAction }>;

/** What `handle.update(fn)`'s `fn` returns: the new schedule (its id and memo cannot change). */
export type ScheduleUpdateOptions<A extends ScheduleOptionsAction = ScheduleOptionsAction> = Replace<
  Omit<ScheduleOptions, 'scheduleId' | 'memo'>,
  { action: A; state: Omit<NonNullable<ScheduleOptions['state']>, 'triggerImmediately' | 'backfill'> }
>;

export type CompiledScheduleUpdateOptions = Replace<ScheduleUpdateOptions, { action: CompiledScheduleAction }>;

/** A started workflow of a schedule. */
export interface ScheduleExecutionStartWorkflowActionResult {
  type: 'startWorkflow';
  workflow: { workflowId: string; firstExecutionRunId: string };
}
export type ScheduleExecutionActionResult = ScheduleExecutionStartWorkflowActionResult;

/** One action a schedule took. */
export interface ScheduleExecutionResult {
  scheduledAt: Date;
  takenAt: Date;
  action: ScheduleExecutionActionResult;
}

/** The action as `list` reports it. */
export interface ScheduleSummaryStartWorkflowAction {
  type: 'startWorkflow';
  workflowType: string;
}

/** The action as `describe` reports it; usable as is in create / update options. */
export type ScheduleDescriptionStartWorkflowAction = ScheduleSummaryStartWorkflowAction &
  Pick<
    WorkflowStartOptions<Workflow>,
    | 'taskQueue'
    | 'workflowId'
    | 'args'
    | 'memo'
    | 'searchAttributes'
    | 'typedSearchAttributes'
    | 'retry'
    | 'workflowExecutionTimeout'
    | 'workflowRunTimeout'
    | 'workflowTaskTimeout'
    | 'staticSummary'
    | 'staticDetails'
    | 'priority'
  >;
export type ScheduleDescriptionAction = ScheduleDescriptionStartWorkflowAction;

/** One schedule as `ScheduleClient.list` yields it. */
export interface ScheduleSummary {
  scheduleId: string;
  spec?: ScheduleSpecDescription;
  action?: ScheduleSummaryStartWorkflowAction;
  memo?: Record<string, unknown>;
  /** @deprecated Use {@link typedSearchAttributes}. */
  searchAttributes?: SearchAttributes;
  typedSearchAttributes?: TypedSearchAttributes;
  state: { paused: boolean; note?: string };
  info: { recentActions: ScheduleExecutionResult[]; nextActionTimes: Date[] };
}

/** A schedule as `ScheduleHandle.describe` returns it (usable as a template for create / update). */
export type ScheduleDescription = {
  scheduleId: string;
  spec: ScheduleSpecDescription;
  action: ScheduleDescriptionAction;
  policies: { overlap: ScheduleOverlapPolicy; catchupWindow: number; pauseOnFailure: boolean };
  memo?: Record<string, unknown>;
  /** @deprecated Use {@link typedSearchAttributes}. */
  searchAttributes: SearchAttributes;
  typedSearchAttributes: TypedSearchAttributes;
  state: { paused: boolean; note?: string; remainingActions?: number };
  info: {
    recentActions: ScheduleExecutionResult[];
    nextActionTimes: Date[];
    numActionsTaken: number;
    numActionsMissedCatchupWindow: number;
    numActionsSkippedOverlap: number;
    createdAt: Date;
    lastUpdatedAt: Date | undefined;
    runningActions: ScheduleExecutionActionResult[];
  };
  raw: ProtoTypes.temporal.api.workflowservice.v1.IDescribeScheduleResponse;
};

/** Options of `ScheduleClient.list`. */
export interface ListScheduleOptions {
  /** Schedules fetched per ListSchedules call. @default 1000 (server default) */
  pageSize?: number;
  /** A visibility query over the schedules' search attributes. */
  query?: string;
}
