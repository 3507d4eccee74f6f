/** ScheduleClient: create, list and get handles to schedules; ScheduleHandle: describe, update, pause, ... */
import { randomUUID } from 'node:crypto';
import { status as GrpcStatus } from '@grpc/grpc-js';
import {
  decodeSearchAttributes,
  decodeTypedSearchAttributes,
  encodeUnifiedSearchAttributes,
  int64ToNumber,
  markErrorClass,
  optionalTsToDate,
  optionalTsToMs,
  requiredTsToDate,
  tsToDate,
  type DataConverter,
} from '../common/index.js';
import type { Workflow } from '../common/definitions.js';
import type { ProtoTypes } from '../proto/index.js';
import type { Connection } from './connection.js';
import { ClientDataConverter } from './data-conversion.js';
import { composeInterceptors, type CreateScheduleInput, type CreateScheduleOutput, type Headers, type ScheduleClientInterceptor } from './interceptors.js';
import {
  compileScheduleOptions,
  compileScheduleUpdateOptions,
  decodeRecentActions,
  decodeRunningActions,
  decodeScheduleAction,
  decodeScheduleOverlapPolicy,
  decodeScheduleSpec,
  encodeBackfills,
  encodeScheduleAction,
  encodeScheduleOverlapPolicy,
  encodeSchedulePolicies,
  encodeScheduleSpec,
  encodeScheduleState,
} from './schedule-codec.js';
import {
  ScheduleOverlapPolicy,
  type Backfill,
  type ListScheduleOptions,
  type ScheduleDescription,
  type ScheduleOptions,
  type ScheduleOptionsStartWorkflowAction,
  type ScheduleSummary,
  type ScheduleUpdateOptions,
} from './schedule-types.js';
import { defaultIdentity } from './identity.js';
import { isGrpcServiceError, ServiceError, toClientError } from './workflow-client-errors.js';

type ISchedulePatch = ProtoTypes.temporal.api.schedule.v1.ISchedulePatch;
type IDescribeScheduleResponse = ProtoTypes.temporal.api.workflowservice.v1.IDescribeScheduleResponse;

/** `create` found a schedule with the same id that has not been deleted. */
export class ScheduleAlreadyRunning extends Error {
  constructor(
    message: string,
    readonly scheduleId: string,
  ) {
    super(message);
  }
}
markErrorClass(ScheduleAlreadyRunning, 'ScheduleAlreadyRunning');

/** The server does not know the schedule: a wrong id, or it was deleted. */
export class ScheduleNotFoundError extends Error {
  constructor(
    message: string,
    readonly scheduleId: string,
  ) {
    super(message);
  }
}
markErrorClass(ScheduleNotFoundError, 'ScheduleNotFoundError');

/** Options of {@link ScheduleClient} (and the schedule part of `Client`). */
export interface ScheduleClientOptions {
  connection: Connection;
  /** @default 'default' */
  namespace?: string;
  dataConverter?: DataConverter;
  /** @default `<pid>@<hostname>` */
  identity?: string;
  /** @default [] */
  interceptors?: ScheduleClientInterceptor[];
}

/**
 * A handle to one schedule; no call is made until a method is used.
 *
 * @example
 * ```ts
 * const handle = client.schedule.getHandle('nightly-report');
 * await handle.pause('maintenance');
 * await handle.trigger();
 * console.log((await handle.describe()).info.numActionsTaken);
 * ```
 */
export interface ScheduleHandle {
  readonly scheduleId: string;
  readonly client: ScheduleClient;
  describe(): Promise<ScheduleDescription>;
  /** Describes the schedule, passes the description to `updateFn` and sends back what it returns. */
  update<W extends Workflow = Workflow>(
    updateFn: (previous: ScheduleDescription) => ScheduleUpdateOptions<ScheduleOptionsStartWorkflowAction<W>>,
  ): Promise<void>;
  delete(): Promise<void>;
  /** Takes an action now. @param overlap defaults to `'ALLOW_ALL'` */
  trigger(overlap?: ScheduleOverlapPolicy): Promise<void>;
  /** Takes the actions of past time ranges now. */
  backfill(options: Backfill | Backfill[]): Promise<void>;
  /** @param note defaults to `'Paused via TypeScript SDK'` */
  pause(note?: string): Promise<void>;
  /** @param note defaults to `'Unpaused via TypeScript SDK'` */
  unpause(note?: string): Promise<void>;
}

const INVALID_SPEC = /^invalid schedule spec: /i;

/**
 * Creates, lists and manages schedules: workflows started on a calendar, cron or interval.
 *
 * @example
 * ```ts
 * const handle = await client.schedule.create({
 *   scheduleId: 'nightly-report',
 *   spec: { calendars: [{ hour: 2 }] },
 *   action: { type: 'startWorkflow', workflowType: report, args: ['daily'], taskQueue: 'reports' },
 * });
 * for await (const s of client.schedule.list()) console.log(s.scheduleId);
 * ```
 */
export class ScheduleClient {
  readonly connection: Connection;
  readonly namespace: string;
  readonly identity: string;
  /** @internal */
  readonly converter: ClientDataConverter;
  private readonly interceptors: ScheduleClientInterceptor[];

  constructor(options: ScheduleClientOptions) {
    if (!options?.connection) throw new TypeError('ScheduleClientOptions.connection is required');
    if (options.interceptors !== undefined && !Array.isArray(options.interceptors)) {
      throw new TypeError('interceptors.schedule must be an array of interceptors');
    }
    this.connection = options.connection;
    this.namespace = options.namespace ?? 'default';
    this.identity = options.identity ?? defaultIdentity();
    this.converter = new ClientDataConverter(options.dataConverter);
    this.interceptors = options.interceptors ?? [];
  }

  /** The raw WorkflowService of the connection (schedule RPCs are part of it). */
  get workflowService(): Connection['workflowService'] {
    return this.connection.workflowService;
  }

  /**
   * Creates a schedule; throws {@link ScheduleAlreadyRunning} if one with the id exists.
   *
   * @example
   * ```ts
   * await client.schedule.create({ scheduleId: 's', spec: { intervals: [{ every: '1h' }] }, action: { type: 'startWorkflow', workflowType: 'sync', taskQueue: 'q' } });
   * ```
   */
  async create<W extends Workflow = Workflow>(options: ScheduleOptions<ScheduleOptionsStartWorkflowAction<W>>): Promise<ScheduleHandle> {
    const compiled = compileScheduleOptions(options as ScheduleOptions);
    const create = composeInterceptors(this.interceptors, 'create', (input: CreateScheduleInput) => this.createHandler(input));
    await create({ options: compiled, headers: {} });
    return this.getHandle(compiled.scheduleId);
  }

  private async createHandler({ options: o, headers }: CreateScheduleInput): Promise<CreateScheduleOutput> {
    const hasSearchAttributes = o.searchAttributes !== undefined || o.typedSearchAttributes !== undefined;
    const memo = await this.converter.encodeMap(o.memo);
    const request = {
      namespace: this.namespace,
      identity: this.identity,
      requestId: randomUUID(),
      scheduleId: o.scheduleId,
      schedule: {
        spec: encodeScheduleSpec(o.spec),
        action: await encodeScheduleAction(this.converter, o.action, headers),
        policies: encodeSchedulePolicies(o.policies),
        state: encodeScheduleState(o.state),
      },
      memo: memo ? { fields: memo } : undefined,
      searchAttributes: hasSearchAttributes ? { indexedFields: encodeUnifiedSearchAttributes(o.searchAttributes, o.typedSearchAttributes) } : undefined,
      initialPatch: {
        triggerImmediately: o.state?.triggerImmediately ? { overlapPolicy: encodeScheduleOverlapPolicy('ALLOW_ALL') } : undefined,
        backfillRequest: o.state?.backfill ? encodeBackfills(o.state.backfill) : undefined,
      },
    };
    try {
      const response = await this.connection.workflowService.createSchedule(request);
      return { conflictToken: response.conflictToken ?? new Uint8Array() };
    } catch (err) {
      if (isGrpcServiceError(err) && err.code === GrpcStatus.ALREADY_EXISTS) {
        throw new ScheduleAlreadyRunning(`Schedule '${o.scheduleId}' already exists and is running`, o.scheduleId);
      }
      throw this.toError(err, 'CreateSchedule', o.scheduleId);
    }
  }

  /**
   * Iterates over the namespace's schedules, fetching pages as you go.
   *
   * @example
   * ```ts
   * for await (const { scheduleId, state } of client.schedule.list()) console.log(scheduleId, state.paused);
   * ```
   */
  list(options: ListScheduleOptions = {}): AsyncIterable<ScheduleSummary> {
    if (typeof options !== 'object' || options === null) throw new TypeError('ListScheduleOptions must be an object');
    if (options.pageSize !== undefined && !(Number.isInteger(options.pageSize) && options.pageSize > 0)) {
      throw new TypeError('ListScheduleOptions.pageSize must be a positive integer');
    }
    return { [Symbol.asyncIterator]: () => this.listPages(options)[Symbol.asyncIterator]() };
  }

  private async *listPages(options: ListScheduleOptions): AsyncGenerator<ScheduleSummary> {
    let nextPageToken: Uint8Array | undefined;
    do {
      let response;
      try {
        response = await this.connection.workflowService.listSchedules({
          namespace: this.namespace,
          maximumPageSize: options.pageSize,
          query: options.query,
          nextPageToken,
        });
      } catch (err) {
        throw this.toError(err, 'ListSchedules');
      }
      for (const raw of response.schedules ?? []) {
        yield {
          scheduleId: raw.scheduleId ?? '',
          spec: decodeScheduleSpec(raw.info?.spec ?? {}),
          action: raw.info?.workflowType?.name ? { type: 'startWorkflow', workflowType: raw.info.workflowType.name } : undefined,
          memo: await this.converter.decodeMap(raw.memo?.fields),
          searchAttributes: decodeSearchAttributes(raw.searchAttributes?.indexedFields),
          typedSearchAttributes: decodeTypedSearchAttributes(raw.searchAttributes?.indexedFields),
          state: { paused: raw.info?.paused === true, note: raw.info?.notes || undefined },
          info: { recentActions: decodeRecentActions(raw.info?.recentActions), nextActionTimes: (raw.info?.futureActionTimes ?? []).map(tsToDate) },
        };
      }
      nextPageToken = response.nextPageToken?.length ? response.nextPageToken : undefined;
    } while (nextPageToken);
  }

  /**
   * A handle to a schedule; the id is not checked until a method is called.
   *
   * @example
   * ```ts
   * await client.schedule.getHandle('nightly-report').delete();
   * ```
   */
  getHandle(scheduleId: string): ScheduleHandle {
    if (typeof scheduleId !== 'string' || scheduleId.length === 0) throw new TypeError('scheduleId must be a non-empty string');
    return new ScheduleHandleImpl(this, scheduleId);
  }

  /** @internal DescribeSchedule. */
  async describeRaw(scheduleId: string): Promise<IDescribeScheduleResponse> {
    try {
      return await this.connection.workflowService.describeSchedule({ namespace: this.namespace, scheduleId });
    } catch (err) {
      throw this.toError(err, 'DescribeSchedule', scheduleId);
    }
  }

  /** @internal UpdateSchedule with the given options; `headers` are kept from the current action. */
  async updateRaw(scheduleId: string, options: ScheduleUpdateOptions, headers: Headers): Promise<void> {
    const o = compileScheduleUpdateOptions(scheduleId, options);
    const hasSearchAttributes = o.searchAttributes !== undefined || o.typedSearchAttributes !== undefined;
    const request = {
      namespace: this.namespace,
      scheduleId,
      schedule: {
        spec: encodeScheduleSpec(o.spec),
        action: await encodeScheduleAction(this.converter, o.action, headers),
        policies: encodeSchedulePolicies(o.policies),
        state: encodeScheduleState(o.state),
      },
      identity: this.identity,
      requestId: randomUUID(),
      searchAttributes: hasSearchAttributes ? { indexedFields: encodeUnifiedSearchAttributes(o.searchAttributes, o.typedSearchAttributes) } : undefined,
    };
    try {
      await this.connection.workflowService.updateSchedule(request);
    } catch (err) {
      throw this.toError(err, 'UpdateSchedule', scheduleId);
    }
  }

  /** @internal PatchSchedule. */
  async patch(scheduleId: string, patch: ISchedulePatch): Promise<void> {
    try {
      await this.connection.workflowService.patchSchedule({ namespace: this.namespace, scheduleId, identity: this.identity, requestId: randomUUID(), patch });
    } catch (err) {
      throw this.toError(err, 'PatchSchedule', scheduleId);
    }
  }

  /** @internal DeleteSchedule. */
  async deleteRaw(scheduleId: string): Promise<void> {
    try {
      await this.connection.workflowService.deleteSchedule({ namespace: this.namespace, scheduleId, identity: this.identity });
    } catch (err) {
      throw this.toError(err, 'DeleteSchedule', scheduleId);
    }
  }

  /** NOT_FOUND → ScheduleNotFoundError; an invalid spec → TypeError; otherwise as the workflow client maps errors. */
  private toError(err: unknown, call: string, scheduleId?: string): Error {
    if (isGrpcServiceError(err) && err.code === GrpcStatus.NOT_FOUND && scheduleId !== undefined) {
      const mapped = toClientError(err, { call, namespace: this.namespace });
      if (mapped instanceof ServiceError) return new ScheduleNotFoundError(err.details || `Schedule '${scheduleId}' not found`, scheduleId);
      return mapped;
    }
    if (isGrpcServiceError(err) && err.code === GrpcStatus.INVALID_ARGUMENT && INVALID_SPEC.test(err.details ?? '')) {
      return new TypeError(`Invalid schedule spec: ${err.details.replace(INVALID_SPEC, '')}`, { cause: err });
    }
    return toClientError(err, { call, namespace: this.namespace });
  }
}

class ScheduleHandleImpl implements ScheduleHandle {
  constructor(
    readonly client: ScheduleClient,
    readonly scheduleId: string,
  ) {}

  async describe(): Promise<ScheduleDescription> {
    const raw = await this.client.describeRaw(this.scheduleId);
    const schedule = raw.schedule;
    if (!schedule?.spec || !schedule.action) throw new Error(`Received an invalid description of schedule '${this.scheduleId}' from the server`);
    const converter = this.client.converter;
    const info = raw.info;
    return {
      scheduleId: this.scheduleId,
      spec: decodeScheduleSpec(schedule.spec),
      action: await decodeScheduleAction(converter, schedule.action),
      memo: await converter.decodeMap(raw.memo?.fields),
      searchAttributes: decodeSearchAttributes(raw.searchAttributes?.indexedFields),
      typedSearchAttributes: decodeTypedSearchAttributes(raw.searchAttributes?.indexedFields),
      policies: {
        overlap: decodeScheduleOverlapPolicy(schedule.policies?.overlapPolicy) ?? ScheduleOverlapPolicy.SKIP,
        catchupWindow: optionalTsToMs(schedule.policies?.catchupWindow) ?? 60_000,
        pauseOnFailure: schedule.policies?.pauseOnFailure === true,
      },
      state: {
        paused: schedule.state?.paused === true,
        note: schedule.state?.notes || undefined,
        remainingActions: schedule.state?.limitedActions ? int64ToNumber(schedule.state.remainingActions) : undefined,
      },
      info: {
        recentActions: decodeRecentActions(info?.recentActions),
        nextActionTimes: (info?.futureActionTimes ?? []).map(tsToDate),
        createdAt: requiredTsToDate(info?.createTime, 'createTime'),
        lastUpdatedAt: optionalTsToDate(info?.updateTime),
        runningActions: decodeRunningActions(info?.runningWorkflows),
        numActionsMissedCatchupWindow: int64ToNumber(info?.missedCatchupWindow),
        numActionsSkippedOverlap: int64ToNumber(info?.overlapSkipped),
        numActionsTaken: int64ToNumber(info?.actionCount),
      },
      raw,
    };
  }

  async update<W extends Workflow = Workflow>(
    updateFn: (previous: ScheduleDescription) => ScheduleUpdateOptions<ScheduleOptionsStartWorkflowAction<W>>,
  ): Promise<void> {
    if (typeof updateFn !== 'function') throw new TypeError('ScheduleHandle.update takes a function (previous description → new options)');
    const current = await this.describe();
    const headers = (current.raw.schedule?.action?.startWorkflow?.header?.fields ?? {}) as Headers;
    await this.client.updateRaw(this.scheduleId, updateFn(current) as ScheduleUpdateOptions, headers);
  }

  async delete(): Promise<void> {
    await this.client.deleteRaw(this.scheduleId);
  }

  async trigger(overlap?: ScheduleOverlapPolicy): Promise<void> {
    const overlapPolicy = encodeScheduleOverlapPolicy(overlap ?? ScheduleOverlapPolicy.ALLOW_ALL);
    await this.client.patch(this.scheduleId, { triggerImmediately: { overlapPolicy } });
  }

  async backfill(options: Backfill | Backfill[]): Promise<void> {
    const backfills = Array.isArray(options) ? options : [options];
    backfills.forEach((b, i) => {
      if (!(b?.start instanceof Date) || !(b.end instanceof Date)) throw new TypeError(`backfill[${i}] needs start and end Dates`);
      if (b.end.getTime() < b.start.getTime()) throw new TypeError(`backfill[${i}].end is before its start`);
    });
    await this.client.patch(this.scheduleId, { backfillRequest: encodeBackfills(backfills) });
  }

  async pause(note?: string): Promise<void> {
    if (note !== undefined && typeof note !== 'string') throw new TypeError('pause note must be a string');
    await this.client.patch(this.scheduleId, { pause: note ?? 'Paused via TypeScript SDK' });
  }

  async unpause(note?: string): Promise<void> {
    if (note !== undefined && typeof note !== 'string') throw new TypeError('unpause note must be a string');
    await this.client.patch(this.scheduleId, { unpause: note ?? 'Unpaused via TypeScript SDK' });
  }
}
