/**
 * Pure (no I/O) cron and schedule-spec library for the dev server.
 *
 * - Workflow `cron_schedule`: {@link parseCron} / {@link nextCronTime} / {@link nextCronTimeFrom}
 *   (robfig/cron v3 standard syntax, as Temporal's history service uses).
 * - Schedules: {@link compileScheduleSpec} / {@link nextScheduleTime} /
 *   {@link scheduleTimesBetween} / {@link canonicalSpec} (Temporal's scheduler semantics).
 *
 * All times are epoch milliseconds with whole-second resolution; zones are IANA names
 * resolved with `Intl`.
 *
 * @example
 * ```ts
 * const spec = compileScheduleSpec({ cronString: ['CRON_TZ=Europe/Paris 0 9 * * MON-FRI'], jitterMs: 60_000 });
 * const next = nextScheduleTime(spec, Date.now(), `${namespaceId}-${scheduleId}`);
 * // next?.nominalMs: 09:00 Paris on the next weekday; next?.actualMs: up to a minute later.
 * ```
 * @module
 */
export { InvalidScheduleSpecError } from './errors.js';
export { type CronSchedule, nextCronTime, nextCronTimeFrom, parseCron } from './cron.js';
export { canonicalSpec } from './canonical.js';
export {
  type CompiledScheduleSpec,
  MAX_EXCLUDED_CANDIDATES,
  type ScheduleTime,
  compileScheduleSpec,
  nextScheduleTime,
  scheduleTimesBetween,
} from './schedule.js';
export type { CalendarSpec, IntervalSpec, Range, ScheduleSpecInput, StructuredCalendar } from './types.js';
