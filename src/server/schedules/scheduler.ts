/**
 * The scheduler: turns a schedule's spec into workflow starts, applying the overlap policy, the
 * catch-up window, pause and the remaining-actions limit. Runs inside engine transactions, driven
 * by one durable timer per schedule (and woken when a workflow it started closes).
 */
import { status } from '@grpc/grpc-js';
import { int64, msFromDuration, temporal, type ProtoTypes } from '../../proto/index.js';
import { RpcError } from '../errors.js';
import { jsonPayload } from '../engine/codec.js';
import { requestCancelRun, terminateRun } from '../engine/lifecycle.js';
import { startWorkflow } from '../engine/start.js';
import type { Tx } from '../engine/tx.js';
import { compileScheduleSpec, nextScheduleTime, scheduleTimesBetween, type CompiledScheduleSpec } from './spec/index.js';
import {
  decodeSchedule,
  type BufferedStart,
  type OngoingBackfill,
  encodeSchedule,
  SCHEDULE_TIMER,
  scheduleTimerRunId,
  type ISchedule,
  type ScheduleRecord,
} from './record.js';
import { specFromProto } from './spec-proto.js';

const Overlap = temporal.api.enums.v1.ScheduleOverlapPolicy;
const DEFAULT_CATCHUP_MS = 365 * 24 * 3600 * 1000;
const MIN_CATCHUP_MS = 10_000;
const RECENT_ACTIONS = 10;
/** At most this many spec times are processed per tick (a long outage catches up over several ticks). */
const MAX_TIMES_PER_TICK = 1000;
/**
 * Backfilled times taken per tick: a backfill of many times goes on in later ticks, one a second, so
 * no single transaction holds the server for long. (Temporal's scheduler takes 10 per iteration.)
 */
const BACKFILL_TIMES_PER_TICK = 500;
const BACKFILL_TICK_MS = 1000;
/** Buffered starts beyond this are dropped (bufferDropped); backfills wait while half of it is used. As Temporal's MaxBufferSize. */
const MAX_BUFFER = 1000;

export const compiledSpecOf = (schedule: ISchedule): CompiledScheduleSpec => compileScheduleSpec(specFromProto(schedule.spec));

function catchupWindowMs(schedule: ISchedule): number {
  const ms = msFromDuration(schedule.policies?.catchupWindow) ?? 0;
  return ms === 0 ? DEFAULT_CATCHUP_MS : Math.max(ms, MIN_CATCHUP_MS);
}

/** Processes every spec time that came due, drains the buffer, and re-arms the schedule's timer. */
export function runScheduler(tx: Tx, r: ScheduleRecord): void {
  const schedule = decodeSchedule(r);
  const spec = compiledSpecOf(schedule);
  refreshRunning(tx, r);
  drainBuffer(tx, r, schedule);
  takeBackfills(tx, r, schedule, spec);
  for (let i = 0; i < MAX_TIMES_PER_TICK; i++) {
    const next = nextScheduleTime(spec, r.lastProcessedTime, r.scheduleId);
    if (!next || next.actualMs > tx.now) break;
    r.lastProcessedTime = next.nominalMs;
    if (schedule.state?.paused) continue;
    if (tx.now - next.actualMs > catchupWindowMs(schedule)) {
      r.missedCatchupWindow++;
      continue;
    }
    act(tx, r, schedule, next.nominalMs, next.actualMs, schedule.policies?.overlapPolicy ?? 0);
  }
  armSchedule(tx, r, spec);
}

/**
 * Takes the times of ongoing backfills, oldest backfill first, up to {@link BACKFILL_TIMES_PER_TICK}
 * and while the buffer is less than half full; what is left waits for a later tick.
 */
export function takeBackfills(tx: Tx, r: ScheduleRecord, schedule: ISchedule, spec: CompiledScheduleSpec): void {
  const backfills = (r.backfills ??= []);
  let budget = BACKFILL_TIMES_PER_TICK;
  while (budget > 0 && backfillsCanGoOn(r)) {
    const b = backfills[0] as OngoingBackfill;
    const times = scheduleTimesBetween(spec, b.afterMs, b.endMs, r.scheduleId, budget);
    for (const t of times) {
      act(tx, r, schedule, t.nominalMs, tx.now, b.overlapPolicy);
      b.afterMs = t.actualMs;
    }
    budget -= times.length;
    if (budget > 0) backfills.shift(); // it had fewer times left than the budget: done
  }
}

/** Some backfill is not taken in full and the buffer is less than half full. */
function backfillsCanGoOn(r: ScheduleRecord): boolean {
  return (r.backfills?.length ?? 0) > 0 && r.buffer.length < MAX_BUFFER / 2;
}

/** Arms the timer for the schedule's next spec time, or for the next backfill tick if that is sooner. */
export function armSchedule(tx: Tx, r: ScheduleRecord, spec: CompiledScheduleSpec): void {
  tx.store.deleteTimersOfRun(r.namespace, scheduleTimerRunId(r.scheduleId));
  let at = nextScheduleTime(spec, r.lastProcessedTime, r.scheduleId)?.actualMs ?? Number.POSITIVE_INFINITY;
  if (backfillsCanGoOn(r)) at = Math.min(at, tx.now + BACKFILL_TICK_MS);
  if (at === Number.POSITIVE_INFINITY) return;
  tx.store.insertTimer(Math.max(at, tx.now), r.namespace, scheduleTimerRunId(r.scheduleId), SCHEDULE_TIMER, {});
  tx.effects.timersChanged = true;
}

function refreshRunning(tx: Tx, r: ScheduleRecord): void {
  r.running = r.running.filter((w) => tx.loadRun(r.namespace, w.runId)?.isOpen === true);
}

function drainBuffer(tx: Tx, r: ScheduleRecord, schedule: ISchedule): void {
  while (r.buffer.length > 0 && r.running.length === 0) {
    const b = r.buffer.shift();
    if (b) start(tx, r, schedule, b.nominal, b.actual, true);
  }
}

/** One action time under an overlap policy. */
export function act(tx: Tx, r: ScheduleRecord, schedule: ISchedule, nominal: number, actual: number, policy: number): void {
  const state = schedule.state;
  if (state?.limitedActions && Number(state.remainingActions ?? 0) <= 0) return;
  const overlap = policy || Overlap.SCHEDULE_OVERLAP_POLICY_SKIP;
  // ALLOW_ALL neither looks at running workflows nor tracks its own (as Temporal's scheduler):
  // refreshing them for every action of a large backfill would load every run started so far.
  const allowAll = overlap === Overlap.SCHEDULE_OVERLAP_POLICY_ALLOW_ALL;
  if (!allowAll) refreshRunning(tx, r);
  if (!allowAll && r.running.length > 0) {
    switch (overlap) {
      case Overlap.SCHEDULE_OVERLAP_POLICY_SKIP:
        r.overlapSkipped++;
        return;
      case Overlap.SCHEDULE_OVERLAP_POLICY_BUFFER_ONE:
        if (r.buffer.length >= 1) r.bufferDropped++;
        else r.buffer.push({ nominal, actual, overlapPolicy: overlap });
        return;
      case Overlap.SCHEDULE_OVERLAP_POLICY_BUFFER_ALL:
        buffer(r, { nominal, actual, overlapPolicy: overlap });
        return;
      case Overlap.SCHEDULE_OVERLAP_POLICY_CANCEL_OTHER:
        for (const w of r.running) {
          const run = tx.loadRun(r.namespace, w.runId);
          if (run?.isOpen) requestCancelRun(run, 'canceled by schedule overlap policy CANCEL_OTHER', '');
        }
        buffer(r, { nominal, actual, overlapPolicy: overlap });
        return;
      case Overlap.SCHEDULE_OVERLAP_POLICY_TERMINATE_OTHER:
        for (const w of r.running) {
          const run = tx.loadRun(r.namespace, w.runId);
          if (run?.isOpen) terminateRun(run, 'terminated by schedule overlap policy TERMINATE_OTHER', undefined, '');
        }
        r.running = [];
        break;
      default:
        break;
    }
  }
  start(tx, r, schedule, nominal, actual, !allowAll);
}

/** Buffers a start, or counts it as dropped when the buffer is full. */
function buffer(r: ScheduleRecord, start: BufferedStart): void {
  if (r.buffer.length >= MAX_BUFFER) r.bufferDropped++;
  else r.buffer.push(start);
}

/** `<workflowId>-<nominal time, RFC 3339, second precision>`, as Temporal names scheduled runs. */
export function scheduledWorkflowId(base: string, nominal: number): string {
  return `${base}-${new Date(nominal).toISOString().replace(/\.\d{3}Z$/, 'Z')}`;
}

/** Starts the scheduled workflow; `tracked` adds it to the running workflows overlap policies look at. */
function start(tx: Tx, r: ScheduleRecord, schedule: ISchedule, nominal: number, actual: number, tracked: boolean): void {
  const a = schedule.action?.startWorkflow;
  if (!a) return;
  const workflowId = schedule.policies?.keepOriginalWorkflowId ? (a.workflowId ?? '') : scheduledWorkflowId(a.workflowId ?? '', nominal);
  const searchAttributes = {
    indexedFields: {
      ...(a.searchAttributes?.indexedFields ?? {}),
      TemporalScheduledStartTime: typed(new Date(nominal).toISOString(), 'Datetime'),
      TemporalScheduledById: typed(r.scheduleId, 'Keyword'),
    },
  };
  let runId: string;
  try {
    runId = startWorkflow(tx, r.namespace, {
      ...a,
      workflowId,
      searchAttributes,
      requestId: `${r.scheduleId}:${nominal}`,
      identity: 'temporal-scheduler',
    }).runId;
  } catch (error) {
    if (error instanceof RpcError && error.code === status.ALREADY_EXISTS) {
      r.overlapSkipped++;
      return;
    }
    throw error;
  }
  r.actionCount++;
  if (schedule.state?.limitedActions) {
    schedule.state.remainingActions = int64(Number(schedule.state.remainingActions ?? 0) - 1);
    r.schedule = encodeSchedule(schedule);
  }
  if (tracked) r.running.push({ workflowId, runId });
  r.recentActions = [...r.recentActions, { nominal, actual, workflowId, runId }].slice(-RECENT_ACTIONS);
}

function typed(value: unknown, type: string): ProtoTypes.temporal.api.common.v1.IPayload {
  const p = jsonPayload(value);
  return { metadata: { ...p.metadata, type: Buffer.from(type) }, data: p.data };
}
