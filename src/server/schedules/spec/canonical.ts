/**
 * Canonicalization and validation of schedule specs, as Temporal does on create/update:
 * `calendar` and `cron_string` become `structured_calendar` (and `interval` / `timezone_name`),
 * `exclude_calendar` becomes `exclude_structured_calendar`, ranges are cleaned
 * (end ≥ start, step ≥ 1), then calendars and intervals are validated.
 */
import {
  CALENDAR_FIELDS,
  MAX_CALENDAR_YEAR,
  MIN_CALENDAR_YEAR,
  calendarToStructured,
  parseCronString,
} from './calendar-string.js';
import { InvalidScheduleSpecError, SpecPartError, withContext } from './errors.js';
import { loadZone } from './time-zone.js';
import type { IntervalSpec, Range, ScheduleSpecInput, StructuredCalendar } from './types.js';

const PREFIX = 'invalid schedule spec';
const MAX_COMMENT_BYTES = 200;

type RangeField = Exclude<keyof StructuredCalendar, 'comment'>;

/** Validation bounds of structured calendars (day-of-week is 0-6 here; 7 only in strings). */
const STRUCTURED_BOUNDS: Record<RangeField, readonly [number, number]> = {
  second: [0, 59],
  minute: [0, 59],
  hour: [0, 23],
  dayOfMonth: [1, 31],
  month: [1, 12],
  year: [MIN_CALENDAR_YEAR, MAX_CALENDAR_YEAR],
  dayOfWeek: [0, 6],
};

/** A range with the proto defaults applied (Temporal's CleanSpec). */
function cleanRange(r: Range): Range {
  const start = r.start ?? 0;
  const end = r.end === undefined || r.end === null || r.end < start ? start : r.end;
  return { start, end, step: r.step === undefined || r.step === null || r.step === 0 ? 1 : r.step };
}

/** A structured calendar with every field present and every range cleaned. */
function cleanCalendar(cal: StructuredCalendar): StructuredCalendar {
  const out: StructuredCalendar = {};
  for (const f of CALENDAR_FIELDS) out[f.key] = (cal[f.key] ?? []).map(cleanRange);
  if (cal.comment) out.comment = cal.comment;
  return out;
}

/** Checks ranges against the field bounds (on the raw ranges, as Temporal does). */
function validateCalendar(cal: StructuredCalendar): void {
  for (const f of CALENDAR_FIELDS) {
    const [min, max] = STRUCTURED_BOUNDS[f.key];
    for (const r of cal[f.key] ?? []) {
      const { start = 0, end = 0, step = 0 } = r;
      if (![start, end, step].every(Number.isInteger)) throw new SpecPartError(`${f.key}: range values must be integers`);
      if (start < min || start > max) throw new SpecPartError(`${f.key}: start ${start} is out of range ${min}-${max}`);
      if (end !== 0 && (end < start || end > max)) {
        throw new SpecPartError(`${f.key}: end ${end} is before start ${start} or out of range ${min}-${max}`);
      }
      if (step < 0) throw new SpecPartError(`${f.key}: step ${step} is negative`);
    }
  }
  if (new TextEncoder().encode(cal.comment ?? '').length > MAX_COMMENT_BYTES) {
    throw new SpecPartError(`comment is longer than ${MAX_COMMENT_BYTES} bytes`);
  }
}

/** Interval ≥ 1 s, 0 ≤ phase < interval. */
function validateInterval(iv: IntervalSpec): void {
  const phase = iv.phaseMs ?? 0;
  if (!Number.isFinite(iv.intervalMs) || iv.intervalMs < 1000) throw new SpecPartError(`interval ${iv.intervalMs}ms is shorter than 1s`);
  if (!Number.isFinite(phase) || phase < 0) throw new SpecPartError(`phase ${phase}ms is negative`);
  if (phase >= iv.intervalMs) throw new SpecPartError(`phase ${phase}ms is not less than the interval ${iv.intervalMs}ms`);
}

/** Compiles the cron strings; all must agree on their `TZ=` (present or not). */
function compileCronStrings(crons: readonly string[], calendars: StructuredCalendar[], intervals: IntervalSpec[]): string | undefined {
  let cronTimezone: string | undefined;
  crons.forEach((cron, i) => {
    const parsed = withContext(`${PREFIX}: cronString[${i}] "${cron}"`, () => parseCronString(cron));
    if (cronTimezone !== undefined && parsed.timezone !== cronTimezone) {
      throw new InvalidScheduleSpecError(`${PREFIX}: cron strings have conflicting time zones "${cronTimezone}" and "${parsed.timezone}"`);
    }
    cronTimezone = parsed.timezone;
    if (parsed.calendar) calendars.push(parsed.calendar);
    if (parsed.interval) intervals.push(parsed.interval);
  });
  return cronTimezone;
}

/** The spec's zone: `timezoneName`, or the cron strings' `TZ=` when that is unset. */
function resolveTimezone(input: ScheduleSpecInput, cronTimezone: string | undefined): string {
  const own = input.timezoneName ?? '';
  if (cronTimezone === undefined || cronTimezone === '') return own;
  if (own !== '' && own !== cronTimezone) {
    throw new InvalidScheduleSpecError(`${PREFIX}: cron time zone "${cronTimezone}" conflicts with timezoneName "${own}"`);
  }
  return cronTimezone;
}

/**
 * Human/canonical form of the spec for DescribeSchedule (cron strings converted to structured
 * calendars, as Temporal does). Validates the spec.
 * @throws InvalidScheduleSpecError naming the bad field.
 */
export function canonicalSpec(input: ScheduleSpecInput): ScheduleSpecInput {
  const calendars = (input.structuredCalendar ?? []).map((c) => ({ ...c }));
  (input.calendar ?? []).forEach((cal, i) => {
    calendars.push(withContext(`${PREFIX}: calendar[${i}]`, () => calendarToStructured(cal)));
  });
  const excludes = (input.excludeStructuredCalendar ?? []).map((c) => ({ ...c }));
  (input.excludeCalendar ?? []).forEach((cal, i) => {
    excludes.push(withContext(`${PREFIX}: excludeCalendar[${i}]`, () => calendarToStructured(cal)));
  });
  const intervals = (input.interval ?? []).map((iv) => ({ ...iv }));
  const timezone = resolveTimezone(input, compileCronStrings(input.cronString ?? [], calendars, intervals));
  calendars.forEach((cal, i) => withContext(`${PREFIX}: structuredCalendar[${i}]`, () => validateCalendar(cal)));
  intervals.forEach((iv, i) => withContext(`${PREFIX}: interval[${i}]`, () => validateInterval(iv)));
  withContext(`${PREFIX}: timezoneName`, () => loadZone(timezone));
  const out: ScheduleSpecInput = {
    structuredCalendar: calendars.map(cleanCalendar),
    interval: intervals,
    excludeStructuredCalendar: excludes.map(cleanCalendar),
  };
  if (input.startTimeMs !== undefined && input.startTimeMs !== null) out.startTimeMs = input.startTimeMs;
  if (input.endTimeMs !== undefined && input.endTimeMs !== null) out.endTimeMs = input.endTimeMs;
  if (input.jitterMs !== undefined && input.jitterMs !== null) out.jitterMs = input.jitterMs;
  if (timezone !== '') out.timezoneName = timezone;
  return out;
}
