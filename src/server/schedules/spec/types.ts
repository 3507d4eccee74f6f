/**
 * Plain (proto-free) forms of `temporal.api.schedule.v1` spec messages. Durations and
 * timestamps are epoch / duration milliseconds.
 */

/**
 * A set of integers, as `temporal.api.schedule.v1.Range`: `start..end` by `step`, inclusive.
 * `end` missing or below `start` means `end = start`; `step` missing or 0 means 1.
 */
export interface Range {
  start: number;
  end?: number;
  step?: number;
}

/**
 * `StructuredCalendarSpec`: a time matches when one range of every field matches
 * (day-of-month AND day-of-week). As in the proto, a field with no ranges matches nothing,
 * except `year`, where no ranges means every year.
 */
export interface StructuredCalendar {
  /** 0-59 */
  second?: Range[];
  /** 0-59 */
  minute?: Range[];
  /** 0-23 */
  hour?: Range[];
  /** 1-31 */
  dayOfMonth?: Range[];
  /** 1-12 */
  month?: Range[];
  /** 2000-2100 */
  year?: Range[];
  /** 0-6, 0 = Sunday */
  dayOfWeek?: Range[];
  /** Free-form, at most 200 bytes. */
  comment?: string;
}

/**
 * The legacy string form (`CalendarSpec`). Each field is a comma-separated list of `*`, `x`,
 * `x-z`, `x/y` (x to max by y), `x-z/y` or `* /y`; month names (≥ 3 letters) and day names
 * (≥ 2 letters) are accepted; day-of-week 7 is Sunday. Empty fields take the defaults
 * second/minute/hour `0`, everything else `*`.
 */
export interface CalendarSpec {
  second?: string;
  minute?: string;
  hour?: string;
  dayOfMonth?: string;
  month?: string;
  year?: string;
  dayOfWeek?: string;
  comment?: string;
}

/** `IntervalSpec`: every `epoch + phase + n·interval` (both truncated to whole seconds). */
export interface IntervalSpec {
  intervalMs: number;
  phaseMs?: number;
}

/** A Temporal ScheduleSpec in plain form (converted by the server from temporal.api.schedule.v1.ScheduleSpec). */
export interface ScheduleSpecInput {
  structuredCalendar?: StructuredCalendar[];
  /** 5, 6 (… year) or 7 (second … year) fields, `@hourly`-style shorthands, `@every d[/phase]`, optional `CRON_TZ=`/`TZ=` prefix and `# comment`. */
  cronString?: string[];
  calendar?: CalendarSpec[];
  interval?: IntervalSpec[];
  excludeStructuredCalendar?: StructuredCalendar[];
  /** Deprecated in the proto; still honoured. */
  excludeCalendar?: CalendarSpec[];
  /** Inclusive lower bound for action times. */
  startTimeMs?: number;
  /** Inclusive upper bound for action times. */
  endTimeMs?: number;
  /** Each action time is delayed by a deterministic amount in [0, jitter). */
  jitterMs?: number;
  /** IANA name; '' or undefined = UTC. */
  timezoneName?: string;
}
