/** Schedule RPCs: Create / Describe / Update / Patch / Delete / List and ListScheduleMatchingTimes. */
import { validatePriority } from '../engine/priority.js';
import { int64, msFromTs, tsFromMs, type ProtoTypes } from '../../proto/index.js';
import { alreadyExists, failedPrecondition, invalidArgument, notFound } from '../errors.js';
import type { Engine } from '../engine/engine.js';
import { memoCodec, searchAttributesCodec } from '../engine/codec.js';
import type { Tx } from '../engine/tx.js';
import type {
  ICreateScheduleRequest,
  IDeleteScheduleRequest,
  IDescribeScheduleRequest,
  IListScheduleMatchingTimesRequest,
  IListSchedulesRequest,
  ICountSchedulesRequest,
  ICountSchedulesResponse,
  IPatchScheduleRequest,
  IUpdateScheduleRequest,
} from '../engine/proto-types.js';
import { InvalidScheduleSpecError, canonicalSpec, nextScheduleTime, scheduleTimesBetween } from './spec/index.js';
import { decodeSchedule, encodeSchedule, scheduleTimerRunId, type ISchedule, type ScheduleRecord } from './record.js';
import { act, armSchedule, compiledSpecOf, runScheduler, takeBackfills } from './scheduler.js';
import { specFromProto, specToProto } from './spec-proto.js';

type ISchedulePatch = ProtoTypes.temporal.api.schedule.v1.ISchedulePatch;
type IScheduleInfo = ProtoTypes.temporal.api.schedule.v1.IScheduleInfo;

const FUTURE_TIMES = 10;

function validateSchedule(schedule: ISchedule | null | undefined): ISchedule {
  const a = schedule?.action?.startWorkflow;
  if (!schedule || !a) throw invalidArgument('Schedule.action.startWorkflow is not set on request.');
  if (!a.workflowId) throw invalidArgument('Schedule.action.startWorkflow.workflowId is not set.');
  if (!a.workflowType?.name) throw invalidArgument('Schedule.action.startWorkflow.workflowType is not set.');
  if (!a.taskQueue?.name) throw invalidArgument('Schedule.action.startWorkflow.taskQueue is not set.');
  validatePriority(a.priority);
  try {
    compiledSpecOf(schedule);
  } catch (error) {
    if (error instanceof InvalidScheduleSpecError) throw invalidArgument(`invalid schedule spec: ${error.message}`);
    throw error;
  }
  return schedule;
}

function load(tx: Tx, namespace: string, scheduleId: string | null | undefined): ScheduleRecord {
  if (!scheduleId) throw invalidArgument('ScheduleId is not set on request.');
  const json = tx.store.getSchedule(namespace, scheduleId);
  if (!json) throw notFound(`schedule "${scheduleId}" not found`);
  return JSON.parse(json) as ScheduleRecord;
}

function save(tx: Tx, r: ScheduleRecord): void {
  tx.store.putSchedule(r.namespace, r.scheduleId, JSON.stringify(r));
}

const token = (r: ScheduleRecord): Buffer => Buffer.from(String(r.conflictToken));

/** Applies a patch: trigger now, backfills, pause / unpause. */
function applyPatch(tx: Tx, r: ScheduleRecord, patch: ISchedulePatch | null | undefined): void {
  if (!patch) return;
  const schedule = decodeSchedule(r);
  if (patch.pause) schedule.state = { ...schedule.state, paused: true, notes: patch.pause };
  if (patch.unpause) {
    schedule.state = { ...schedule.state, paused: false, notes: patch.unpause };
    r.lastProcessedTime = Math.max(r.lastProcessedTime, tx.now);
  }
  r.schedule = encodeSchedule(schedule);
  if (patch.triggerImmediately) {
    const at = msFromTs(patch.triggerImmediately.scheduledTime) ?? tx.now;
    act(tx, r, schedule, at, tx.now, patch.triggerImmediately.overlapPolicy || schedule.policies?.overlapPolicy || 0);
  }
  for (const b of patch.backfillRequest ?? []) {
    const start = msFromTs(b.startTime);
    const end = msFromTs(b.endTime);
    if (start === undefined || end === undefined || end < start) throw invalidArgument('BackfillRequest needs startTime ≤ endTime.');
    const overlapPolicy = b.overlapPolicy || schedule.policies?.overlapPolicy || 0;
    (r.backfills ??= []).push({ afterMs: start - 1, endMs: end, overlapPolicy });
  }
  // The first times of a backfill are taken now, in this request; a long one goes on a tick at a time.
  if ((r.backfills?.length ?? 0) > 0) takeBackfills(tx, r, decodeSchedule(r), compiledSpecOf(schedule));
}

function futureTimes(r: ScheduleRecord, schedule: ISchedule): number[] {
  const spec = compiledSpecOf(schedule);
  const out: number[] = [];
  let after = r.lastProcessedTime;
  while (out.length < FUTURE_TIMES) {
    const next = nextScheduleTime(spec, after, r.scheduleId);
    if (!next) break;
    out.push(next.actualMs);
    after = next.nominalMs;
  }
  return out;
}

function info(tx: Tx, r: ScheduleRecord, schedule: ISchedule): IScheduleInfo {
  const running = r.running.filter((w) => tx.loadRun(r.namespace, w.runId)?.isOpen === true);
  return {
    actionCount: int64(r.actionCount),
    missedCatchupWindow: int64(r.missedCatchupWindow),
    overlapSkipped: int64(r.overlapSkipped),
    bufferDropped: int64(r.bufferDropped),
    bufferSize: int64(r.buffer.length),
    runningWorkflows: running,
    recentActions: r.recentActions.map((a) => ({
      scheduleTime: tsFromMs(a.nominal),
      actualTime: tsFromMs(a.actual),
      startWorkflowResult: { workflowId: a.workflowId, runId: a.runId },
      startWorkflowStatus: tx.loadRun(r.namespace, a.runId)?.state.status,
    })),
    futureActionTimes: schedule.state?.paused ? [] : futureTimes(r, schedule).map(tsFromMs),
    createTime: tsFromMs(r.createTime),
    updateTime: tsFromMs(r.updateTime),
  };
}

/** The schedule as described: its spec in canonical form (cron strings become calendars). */
function described(schedule: ISchedule): ISchedule {
  return { ...schedule, spec: specToProto(canonicalSpec(specFromProto(schedule.spec))) };
}

export function scheduleHandlers(engine: Engine, ns: (name: string | null | undefined) => string) {
  return {
    CreateSchedule: (req: ICreateScheduleRequest) => {
      const namespace = ns(req.namespace);
      const schedule = validateSchedule(req.schedule);
      return engine.write((tx) => {
        if (!req.scheduleId) throw invalidArgument('ScheduleId is not set on request.');
        if (tx.store.getSchedule(namespace, req.scheduleId)) throw alreadyExists(`schedule "${req.scheduleId}" is already registered`);
        const r: ScheduleRecord = {
          namespace,
          scheduleId: req.scheduleId,
          schedule: encodeSchedule(schedule),
          memo: memoCodec.pack(req.memo),
          searchAttributes: searchAttributesCodec.pack(req.searchAttributes),
          createTime: tx.now,
          updateTime: tx.now,
          conflictToken: 1,
          lastProcessedTime: tx.now,
          actionCount: 0,
          missedCatchupWindow: 0,
          overlapSkipped: 0,
          bufferDropped: 0,
          buffer: [],
          recentActions: [],
          running: [],
          backfills: [],
        };
        applyPatch(tx, r, req.initialPatch);
        armSchedule(tx, r, compiledSpecOf(decodeSchedule(r)));
        save(tx, r);
        return { conflictToken: token(r) };
      });
    },
    DescribeSchedule: (req: IDescribeScheduleRequest) => {
      const namespace = ns(req.namespace);
      return engine.read((tx) => {
        const r = load(tx, namespace, req.scheduleId);
        const schedule = decodeSchedule(r);
        return {
          schedule: described(schedule),
          info: info(tx, r, schedule),
          memo: memoCodec.unpack(r.memo),
          searchAttributes: searchAttributesCodec.unpack(r.searchAttributes),
          conflictToken: token(r),
        };
      });
    },
    UpdateSchedule: (req: IUpdateScheduleRequest) => {
      const namespace = ns(req.namespace);
      const schedule = validateSchedule(req.schedule);
      engine.write((tx) => {
        const r = load(tx, namespace, req.scheduleId);
        if (req.conflictToken && req.conflictToken.length > 0 && Buffer.from(req.conflictToken).toString() !== String(r.conflictToken)) {
          throw failedPrecondition('mismatched conflict token: the schedule changed since it was described');
        }
        r.schedule = encodeSchedule(schedule);
        if (req.searchAttributes) r.searchAttributes = searchAttributesCodec.pack(req.searchAttributes);
        if (req.memo) r.memo = memoCodec.pack(req.memo);
        r.updateTime = tx.now;
        r.conflictToken++;
        r.lastProcessedTime = Math.max(r.lastProcessedTime, tx.now);
        armSchedule(tx, r, compiledSpecOf(schedule));
        save(tx, r);
      });
      return {};
    },
    PatchSchedule: (req: IPatchScheduleRequest) => {
      const namespace = ns(req.namespace);
      engine.write((tx) => {
        const r = load(tx, namespace, req.scheduleId);
        applyPatch(tx, r, req.patch);
        r.updateTime = tx.now;
        r.conflictToken++;
        armSchedule(tx, r, compiledSpecOf(decodeSchedule(r)));
        save(tx, r);
      });
      return {};
    },
    DeleteSchedule: (req: IDeleteScheduleRequest) => {
      const namespace = ns(req.namespace);
      engine.write((tx) => {
        const r = load(tx, namespace, req.scheduleId);
        tx.store.deleteSchedule(namespace, r.scheduleId);
        tx.store.deleteTimersOfRun(namespace, scheduleTimerRunId(r.scheduleId));
      });
      return {};
    },
    CountSchedules: (req: ICountSchedulesRequest): ICountSchedulesResponse => {
      const namespace = ns(req.namespace);
      if (req.query) throw invalidArgument('CountSchedules does not support a query on the duraflow dev server; count all and filter.');
      return { count: int64(engine.read((tx) => tx.store.countSchedules(namespace))) };
    },
    ListSchedules: (req: IListSchedulesRequest) => {
      const namespace = ns(req.namespace);
      if (req.query) throw invalidArgument('ListSchedules does not support a query on the duraflow dev server; list all and filter.');
      const pageSize = req.maximumPageSize && req.maximumPageSize > 0 ? Math.min(req.maximumPageSize, 1000) : 100;
      const after = req.nextPageToken?.length ? Buffer.from(req.nextPageToken).toString() : '';
      return engine.read((tx) => {
        const rows = tx.store.listSchedules(namespace, after, pageSize + 1).map((j) => JSON.parse(j) as ScheduleRecord);
        const page = rows.slice(0, pageSize);
        return {
          schedules: page.map((r) => {
            const schedule = decodeSchedule(r);
            const i = info(tx, r, schedule);
            return {
              scheduleId: r.scheduleId,
              memo: memoCodec.unpack(r.memo),
              searchAttributes: searchAttributesCodec.unpack(r.searchAttributes),
              info: {
                spec: described(schedule).spec,
                workflowType: schedule.action?.startWorkflow?.workflowType,
                notes: schedule.state?.notes ?? '',
                paused: Boolean(schedule.state?.paused),
                recentActions: i.recentActions,
                futureActionTimes: i.futureActionTimes,
              },
            };
          }),
          nextPageToken: rows.length > pageSize ? Buffer.from(page[page.length - 1]?.scheduleId ?? '') : undefined,
        };
      });
    },
    ListScheduleMatchingTimes: (req: IListScheduleMatchingTimesRequest) => {
      const namespace = ns(req.namespace);
      const start = msFromTs(req.startTime);
      const end = msFromTs(req.endTime);
      if (start === undefined || end === undefined || end < start) throw invalidArgument('StartTime and EndTime must be set, with StartTime ≤ EndTime.');
      return engine.read((tx) => {
        const r = load(tx, namespace, req.scheduleId);
        const times = scheduleTimesBetween(compiledSpecOf(decodeSchedule(r)), start - 1, end, r.scheduleId, 1000);
        return { startTime: times.map((t) => tsFromMs(t.actualMs)) };
      });
    },
  };
}

/** The durable timer of a schedule fired: process it. */
export function onScheduleTimer(tx: Tx, namespace: string, pseudoRunId: string): void {
  const scheduleId = pseudoRunId.slice(pseudoRunId.indexOf('\u0000') + 1);
  const json = tx.store.getSchedule(namespace, scheduleId);
  if (!json) return;
  const r = JSON.parse(json) as ScheduleRecord;
  runScheduler(tx, r);
  save(tx, r);
}
