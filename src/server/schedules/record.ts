/** A schedule as the dev server stores it: the Schedule message plus the scheduler's own state. */
import { temporal, type ProtoTypes } from '../../proto/index.js';

export type ISchedule = ProtoTypes.temporal.api.schedule.v1.ISchedule;
const { Schedule } = temporal.api.schedule.v1;

export interface ScheduleActionRecord {
  nominal: number;
  actual: number;
  workflowId: string;
  runId: string;
}

export interface BufferedStart {
  nominal: number;
  actual: number;
  overlapPolicy: number;
}

/** A backfill still being taken: the spec times after `afterMs` up to `endMs`. */
export interface OngoingBackfill {
  afterMs: number;
  endMs: number;
  overlapPolicy: number;
}

export interface ScheduleRecord {
  namespace: string;
  scheduleId: string;
  /** base64 temporal.api.schedule.v1.Schedule */
  schedule: string;
  /** base64 Memo / SearchAttributes of the schedule itself */
  memo: string | undefined;
  searchAttributes: string | undefined;
  createTime: number;
  updateTime: number;
  conflictToken: number;
  /** Nominal times up to here have been processed. */
  lastProcessedTime: number;
  actionCount: number;
  missedCatchupWindow: number;
  overlapSkipped: number;
  bufferDropped: number;
  buffer: BufferedStart[];
  recentActions: ScheduleActionRecord[];
  /** Workflows this schedule started that may still run. */
  running: { workflowId: string; runId: string }[];
  /** Backfills not taken in full yet, oldest first (absent in records stored before backfills were chunked). */
  backfills?: OngoingBackfill[];
}

export function decodeSchedule(r: ScheduleRecord): ISchedule {
  return Schedule.decode(Buffer.from(r.schedule, 'base64'));
}

export function encodeSchedule(s: ISchedule): string {
  return Buffer.from(Schedule.encode(s).finish()).toString('base64');
}

/** Timer rows of a schedule use this pseudo run id (they belong to no workflow run). */
export const scheduleTimerRunId = (scheduleId: string): string => `schedule\u0000${scheduleId}`;
export const SCHEDULE_TIMER = 'schedule';
