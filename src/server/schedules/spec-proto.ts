/** temporal.api.schedule.v1.ScheduleSpec ↔ the spec library's plain input. */
import { durationFromMs, msFromDuration, msFromTs, tsFromMs, type ProtoTypes } from '../../proto/index.js';
import type { CalendarSpec, Range, ScheduleSpecInput, StructuredCalendar } from './spec/index.js';

type IScheduleSpec = ProtoTypes.temporal.api.schedule.v1.IScheduleSpec;
type IStructured = ProtoTypes.temporal.api.schedule.v1.IStructuredCalendarSpec;
type IRange = ProtoTypes.temporal.api.schedule.v1.IRange;

const FIELDS = ['second', 'minute', 'hour', 'dayOfMonth', 'month', 'year', 'dayOfWeek'] as const;

const rangeIn = (r: IRange): Range => ({ start: r.start ?? 0, end: r.end ?? 0, step: r.step ?? 0 });

function structuredIn(c: IStructured): StructuredCalendar {
  const out: StructuredCalendar = { comment: c.comment ?? '' };
  for (const f of FIELDS) {
    const ranges = c[f];
    if (ranges && ranges.length > 0) out[f] = ranges.map(rangeIn);
  }
  return out;
}

function calendarIn(c: ProtoTypes.temporal.api.schedule.v1.ICalendarSpec): CalendarSpec {
  const out: CalendarSpec = {};
  for (const f of [...FIELDS, 'comment'] as const) if (c[f]) out[f] = c[f] as string;
  return out;
}

export function specFromProto(s: IScheduleSpec | null | undefined): ScheduleSpecInput {
  return {
    structuredCalendar: (s?.structuredCalendar ?? []).map(structuredIn),
    cronString: [...(s?.cronString ?? [])],
    calendar: (s?.calendar ?? []).map(calendarIn),
    interval: (s?.interval ?? []).map((i) => ({ intervalMs: msFromDuration(i.interval) ?? 0, phaseMs: msFromDuration(i.phase) ?? 0 })),
    excludeStructuredCalendar: (s?.excludeStructuredCalendar ?? []).map(structuredIn),
    excludeCalendar: (s?.excludeCalendar ?? []).map(calendarIn),
    startTimeMs: msFromTs(s?.startTime),
    endTimeMs: msFromTs(s?.endTime),
    jitterMs: msFromDuration(s?.jitter) ?? 0,
    timezoneName: s?.timezoneName ?? '',
  };
}

function structuredOut(c: StructuredCalendar): IStructured {
  const out: IStructured = { comment: c.comment ?? '' };
  for (const f of FIELDS) {
    const ranges = c[f];
    if (ranges) out[f] = ranges.map((r) => ({ start: r.start, end: r.end ?? r.start, step: r.step ?? 1 }));
  }
  return out;
}

export function specToProto(s: ScheduleSpecInput): IScheduleSpec {
  return {
    structuredCalendar: (s.structuredCalendar ?? []).map(structuredOut),
    cronString: s.cronString ?? [],
    calendar: s.calendar ?? [],
    interval: (s.interval ?? []).map((i) => ({ interval: durationFromMs(i.intervalMs), phase: durationFromMs(i.phaseMs ?? 0) })),
    excludeStructuredCalendar: (s.excludeStructuredCalendar ?? []).map(structuredOut),
    excludeCalendar: s.excludeCalendar ?? [],
    startTime: s.startTimeMs !== undefined ? tsFromMs(s.startTimeMs) : undefined,
    endTime: s.endTimeMs !== undefined ? tsFromMs(s.endTimeMs) : undefined,
    jitter: s.jitterMs ? durationFromMs(s.jitterMs) : undefined,
    timezoneName: s.timezoneName ?? '',
  };
}
