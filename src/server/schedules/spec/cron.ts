/**
 * Workflow cron schedules (`cron_schedule`): robfig/cron v3 "standard" syntax, which is what
 * Temporal's `common/backoff/cron.go` accepts via `cron.ParseStandard`.
 *
 * - Exactly 5 fields: minute hour day-of-month month day-of-week. No seconds, no year.
 * - Each field: comma-separated items of `*`, `?` (same as `*`), `N`, `A-B`, with an optional
 *   `/step`; `N/step` means `N-max/step`. Month names JAN-DEC and day names SUN-SAT
 *   (three letters, case-insensitive). Day-of-week is 0-6; robfig rejects 7.
 * - Day rule: if either day field starts with `*` or `?` (without a step > 1) both must match;
 *   otherwise a day matches when EITHER day-of-month or day-of-week matches.
 * - Descriptors: `@yearly` `@annually` `@monthly` `@weekly` `@daily` `@midnight` `@hourly`, and
 *   `@every <Go duration>` (rounded down to whole seconds, at least 1 s).
 * - Optional `CRON_TZ=<IANA zone> ` or `TZ=<IANA zone> ` prefix; otherwise UTC.
 */
import { type CalendarMatcher, FieldSet } from './calendar-matcher.js';
import { SECOND_MS, floorToSecond } from './civil.js';
import { InvalidScheduleSpecError, SpecPartError, withContext } from './errors.js';
import { parseGoDuration } from './go-duration.js';
import { localYear, loadZone, nextZonedMatch } from './time-zone.js';

/** A parsed cron expression (robfig/cron "standard" syntax as Temporal accepts it). */
export interface CronSchedule {
  /** The expression as given. */
  readonly source: string;
  /** IANA zone from a `CRON_TZ=`/`TZ=` prefix, or 'UTC'. */
  readonly timezone: string;
  /** For `@every`: the delay in ms (whole seconds, at least 1000); undefined otherwise. */
  readonly everyMs: number | undefined;
  /** For field expressions and the other descriptors; undefined for `@every`. @internal */
  readonly calendar: CalendarMatcher | undefined;
}

interface Bounds {
  readonly field: string;
  readonly min: number;
  readonly max: number;
  readonly names?: Readonly<Record<string, number>>;
}

/** Lower-case names mapped to their position plus `first`. */
const nameMap = (names: readonly string[], first: number): Record<string, number> =>
  Object.fromEntries(names.map((name, i) => [name, i + first]));

const MINUTE: Bounds = { field: 'minute', min: 0, max: 59 };
const HOUR: Bounds = { field: 'hour', min: 0, max: 23 };
const DOM: Bounds = { field: 'day-of-month', min: 1, max: 31 };
const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH: Bounds = { field: 'month', min: 1, max: 12, names: nameMap(MONTH_NAMES, 1) };
const DOW: Bounds = { field: 'day-of-week', min: 0, max: 6, names: nameMap(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'], 0) };

const DESCRIPTORS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

/** Parses a non-negative decimal integer (Go `strconv.Atoi`, negatives rejected) or a field name. */
function parseValue(token: string, b: Bounds): number {
  const named = b.names !== undefined && Object.hasOwn(b.names, token.toLowerCase()) ? b.names[token.toLowerCase()] : undefined;
  if (named !== undefined) return named;
  if (!/^[+-]?\d+$/.test(token)) {
    throw new SpecPartError(`${b.field} "${token}" is not a number${b.names ? ' or name' : ''}`);
  }
  const value = Number(token);
  if (value < 0) throw new SpecPartError(`${b.field} ${token} is negative`);
  return value;
}

/** One comma-separated item of a field: its values, and whether it is a bare `*`/`?`. */
function parseItem(item: string, b: Bounds): { values: number[]; star: boolean } {
  const slash = item.split('/');
  if (slash.length > 2) throw new SpecPartError(`${b.field} "${item}" has more than one '/'`);
  const [range = '', stepText] = slash;
  const dash = range.split('-');
  if (dash.length > 2) throw new SpecPartError(`${b.field} "${item}" has more than one '-'`);
  const [low = '', high] = dash;
  const isStar = low === '*' || low === '?';
  if (isStar && high !== undefined) throw new SpecPartError(`${b.field} "${item}" mixes '${low}' with a range`);
  let start = isStar ? b.min : parseValue(low, b);
  let end = isStar ? b.max : high === undefined ? start : parseValue(high, b);
  let step = 1;
  if (stepText !== undefined) {
    if (!/^\+?\d+$/.test(stepText) || Number(stepText) === 0) {
      throw new SpecPartError(`${b.field} step "${stepText}" must be a positive integer`);
    }
    step = Number(stepText);
    if (high === undefined) end = b.max;
  }
  for (const v of [start, end]) {
    if (v < b.min || v > b.max) throw new SpecPartError(`${b.field} ${v} is out of range ${b.min}-${b.max}`);
  }
  if (start > end) throw new SpecPartError(`${b.field} range ${start}-${end} has its start after its end`);
  const values: number[] = [];
  for (; start <= end; start += step) values.push(start);
  return { values, star: isStar && step === 1 };
}

/** Parses one field: its allowed values and whether it counts as `*` for the day rule. */
function parseField(text: string, b: Bounds): { set: FieldSet; star: boolean } {
  const values: number[] = [];
  let star = false;
  for (const item of text.split(',')) {
    if (item === '') throw new SpecPartError(`${b.field} "${text}" has an empty list item`);
    const parsed = parseItem(item, b);
    values.push(...parsed.values);
    star ||= parsed.star;
  }
  return { set: new FieldSet(b.min, b.max, values), star };
}

/** Compiles the five standard fields. */
function parseFields(spec: string): CalendarMatcher {
  const fields = spec.split(/\s+/).filter((f) => f !== '');
  if (fields.length !== 5) {
    throw new SpecPartError(`expected exactly 5 fields (minute hour day-of-month month day-of-week), found ${fields.length}`);
  }
  const [minute = '', hour = '', dom = '', month = '', dow = ''] = fields;
  const dayOfMonth = parseField(dom, DOM);
  const dayOfWeek = parseField(dow, DOW);
  return {
    second: new FieldSet(0, 59, [0]),
    minute: parseField(minute, MINUTE).set,
    hour: parseField(hour, HOUR).set,
    dayOfMonth: dayOfMonth.set,
    month: parseField(month, MONTH).set,
    dayOfWeek: dayOfWeek.set,
    years: undefined,
    dayRule: dayOfMonth.star || dayOfWeek.star ? 'and' : 'or',
  };
}

/** Splits off a `CRON_TZ=`/`TZ=` prefix. */
function splitTimezone(spec: string): { timezone: string; rest: string } {
  if (!spec.startsWith('TZ=') && !spec.startsWith('CRON_TZ=')) return { timezone: 'UTC', rest: spec };
  const space = spec.search(/\s/);
  if (space < 0) throw new SpecPartError('time zone prefix is not followed by a schedule');
  const name = spec.slice(spec.indexOf('=') + 1, space);
  return { timezone: loadZone(name).name === 'UTC' ? 'UTC' : name, rest: spec.slice(space).trim() };
}

/** `@every <duration>`: robfig rounds down to whole seconds and uses at least one second. */
function parseEvery(spec: string): number {
  const text = spec.slice('@every'.length).trim();
  if (!/^@every\s/.test(spec) || text === '') throw new SpecPartError('@every needs a duration, e.g. "@every 1h30m"');
  const ms = parseGoDuration(text);
  return Math.max(SECOND_MS, floorToSecond(ms));
}

/**
 * Parses a workflow cron expression.
 * @throws InvalidScheduleSpecError naming the bad field or token.
 */
export function parseCron(expression: string): CronSchedule {
  return withContext(`invalid cron expression "${expression}"`, () => {
    const trimmed = expression.trim();
    if (trimmed === '') throw new SpecPartError('empty expression');
    const { timezone, rest } = splitTimezone(trimmed);
    if (rest.startsWith('@every')) {
      return { source: expression, timezone, everyMs: parseEvery(rest), calendar: undefined };
    }
    if (rest.startsWith('@')) {
      const fields = Object.hasOwn(DESCRIPTORS, rest) ? DESCRIPTORS[rest] : undefined;
      if (fields === undefined) throw new SpecPartError(`unknown descriptor "${rest}"`);
      return { source: expression, timezone, everyMs: undefined, calendar: parseFields(fields) };
    }
    return { source: expression, timezone, everyMs: undefined, calendar: parseFields(rest) };
  });
}

/**
 * The first fire time strictly after `afterMs` (epoch ms; evaluated in UTC unless the
 * expression has `CRON_TZ=`/`TZ=`), or undefined if none within robfig's horizon (the end of
 * the fifth year after `afterMs`). Fire times are whole seconds.
 *
 * `@every d` returns `afterMs` rounded down to a whole second plus `d` (robfig's
 * ConstantDelaySchedule); to anchor it on a run's start as Temporal does, use
 * {@link nextCronTimeFrom}.
 */
export function nextCronTime(schedule: CronSchedule, afterMs: number): number | undefined {
  if (schedule.everyMs !== undefined) return floorToSecond(afterMs) + schedule.everyMs;
  if (schedule.calendar === undefined) throw new InvalidScheduleSpecError(`cron schedule "${schedule.source}" is not compiled`);
  const zone = loadZone(schedule.timezone);
  const maxYear = localYear(zone, floorToSecond(afterMs) + SECOND_MS) + 5;
  return nextZonedMatch(schedule.calendar, zone, afterMs, maxYear);
}

/**
 * The next cron run's start time as Temporal computes it for a workflow whose current run was
 * scheduled at `scheduledMs` (`GetBackoffForNextSchedule`): `scheduledMs` itself if it is still
 * in the future, else the first fire time after `scheduledMs` that is not before `nowMs`.
 * For `@every d` that is `scheduledMs + n·d`. The backoff Temporal records is this minus
 * `nowMs`, rounded up to a whole second.
 */
export function nextCronTimeFrom(schedule: CronSchedule, scheduledMs: number, nowMs: number): number | undefined {
  if (nowMs < scheduledMs) return scheduledMs;
  if (schedule.everyMs !== undefined) {
    const first = floorToSecond(scheduledMs) + schedule.everyMs;
    if (first >= nowMs) return first;
    return first + Math.ceil((nowMs - first) / schedule.everyMs) * schedule.everyMs;
  }
  return nextCronTime(schedule, Math.max(scheduledMs, nowMs - 1));
}
