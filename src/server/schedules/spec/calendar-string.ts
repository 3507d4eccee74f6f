/**
 * Temporal's string forms, compiled to structured calendars: `CalendarSpec` fields and
 * schedule `cron_string`s (which differ from workflow cron: 5-7 fields, day-of-month AND
 * day-of-week, name prefixes, 7 = Sunday, no `?`, `@every` becomes an interval).
 */
import { SpecPartError } from './errors.js';
import { parseGoDuration } from './go-duration.js';
import type { CalendarSpec, IntervalSpec, Range, StructuredCalendar } from './types.js';

/** Years a calendar may name (Temporal's minCalendarYear / maxCalendarYear). */
export const MIN_CALENDAR_YEAR = 2000;
export const MAX_CALENDAR_YEAR = 2100;

type Mode = 'int' | 'year' | 'month' | 'dow';
type CalendarField = Exclude<keyof CalendarSpec, 'comment'>;

interface FieldDef {
  readonly key: CalendarField;
  readonly def: string;
  readonly min: number;
  readonly max: number;
  readonly mode: Mode;
}

/** The fields with their defaults and bounds, in CalendarSpec order. */
export const CALENDAR_FIELDS: readonly FieldDef[] = [
  { key: 'second', def: '0', min: 0, max: 59, mode: 'int' },
  { key: 'minute', def: '0', min: 0, max: 59, mode: 'int' },
  { key: 'hour', def: '0', min: 0, max: 23, mode: 'int' },
  { key: 'dayOfMonth', def: '*', min: 1, max: 31, mode: 'int' },
  { key: 'month', def: '*', min: 1, max: 12, mode: 'month' },
  { key: 'year', def: '*', min: MIN_CALENDAR_YEAR, max: MAX_CALENDAR_YEAR, mode: 'year' },
  { key: 'dayOfWeek', def: '*', min: 0, max: 7, mode: 'dow' },
];

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const DAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

/** A number, or a month (≥ 3 letters) / day (≥ 2 letters) name prefix, checked against [min, max]. */
function parseValue(token: string, f: FieldDef, min: number): number {
  const lower = token.toLowerCase();
  const names = f.mode === 'month' ? MONTHS : f.mode === 'dow' ? DAYS : undefined;
  const minLength = f.mode === 'month' ? 3 : 2;
  const named = names !== undefined && lower.length >= minLength ? names.findIndex((n) => n.startsWith(lower)) : -1;
  let value: number;
  if (named >= 0) value = f.mode === 'month' ? named + 1 : named;
  else if (/^[+-]?\d+$/.test(token)) value = Number(token);
  else throw new SpecPartError(`"${token}" is not a number${names ? ' or name' : ''}`);
  if (value < min || value > f.max) throw new SpecPartError(`${value} is out of range ${min}-${f.max}`);
  return value;
}

/** Splits `x/y` into the range part and a positive step. */
function splitStep(part: string): { range: string; step: number | undefined } {
  const pieces = part.split('/');
  if (pieces.length > 2) throw new SpecPartError(`"${part}" has more than one '/'`);
  const [range = '', stepText] = pieces;
  if (stepText === undefined) return { range, step: undefined };
  if (!/^[+-]?\d+$/.test(stepText) || Number(stepText) < 1) {
    throw new SpecPartError(`step "${stepText}" in "${part}" must be a positive integer`);
  }
  return { range, step: Number(stepText) };
}

/** One comma-separated item as cleaned ranges (day-of-week 7 folded into 0). */
function parseItem(part: string, f: FieldDef): Range[] {
  const { range, step = 1 } = splitStep(part);
  let [start, end] = [f.min, f.max];
  if (range !== '*') {
    const dash = range.split('-');
    if (dash.length > 2) throw new SpecPartError(`"${part}" has more than one '-'`);
    const [low = '', high] = dash;
    start = parseValue(low, f, f.min);
    if (high !== undefined) {
      end = parseValue(high, f, f.min);
      if (end < start) throw new SpecPartError(`range "${range}" has its end before its start`);
    } else if (!part.includes('/')) end = start;
  }
  if (f.mode !== 'dow' || end !== 7) return [{ start, end, step }];
  if (step === 1 && start <= 1) return [{ start: 0, end: 6, step: 1 }];
  const sunday: Range[] = (7 - start) % step === 0 ? [{ start: 0, end: 0, step: 1 }] : [];
  return start === 7 ? sunday : [...sunday, { start, end: 6, step }];
}

/** Parses one CalendarSpec field string into cleaned ranges. */
function parseFieldString(text: string | undefined, f: FieldDef): Range[] {
  const s = (text ?? '').trim() || f.def;
  if (s === '*' && f.mode === 'year') return []; // every year
  return s.split(',').flatMap((part) => parseItem(part.trim(), f));
}

/** Compiles a string-form CalendarSpec; errors are prefixed with the field name. */
export function calendarToStructured(cal: CalendarSpec): StructuredCalendar {
  const out: StructuredCalendar = {};
  for (const f of CALENDAR_FIELDS) {
    try {
      out[f.key] = parseFieldString(cal[f.key], f);
    } catch (error) {
      if (error instanceof SpecPartError) throw new SpecPartError(`${f.key}: ${error.message}`);
      throw error;
    }
  }
  if (cal.comment) out.comment = cal.comment;
  return out;
}

const SHORTHANDS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

/** A parsed schedule cron string: a calendar or an interval, and its `TZ=` zone ('' if none). */
export interface ParsedCronString {
  readonly calendar?: StructuredCalendar;
  readonly interval?: IntervalSpec;
  readonly timezone: string;
}

/** `@every <interval>[/<phase>]`, durations in Go syntax plus `d`. */
function parseEveryInterval(text: string): IntervalSpec {
  const space = text.indexOf(' ');
  if (space < 0 || text.slice(space).trim() === '') throw new SpecPartError('@every needs an interval, e.g. "@every 1h" or "@every 1d/3h"');
  const [interval = '', phase] = text.slice(space).trim().split('/', 2);
  const out: IntervalSpec = { intervalMs: parseGoDuration(interval, true) };
  if (phase !== undefined) out.phaseMs = parseGoDuration(phase, true);
  return out;
}

/** Assigns 5, 6 or 7 whitespace-separated fields to CalendarSpec fields. */
function fieldsToCalendar(text: string, comment: string): CalendarSpec {
  const f = text.split(/\s+/).filter((x) => x !== '');
  const cal: CalendarSpec = comment ? { comment } : {};
  if (f.length === 5) [cal.minute, cal.hour, cal.dayOfMonth, cal.month, cal.dayOfWeek] = f;
  else if (f.length === 6) [cal.minute, cal.hour, cal.dayOfMonth, cal.month, cal.dayOfWeek, cal.year] = f;
  else if (f.length === 7) [cal.second, cal.minute, cal.hour, cal.dayOfMonth, cal.month, cal.dayOfWeek, cal.year] = f;
  else throw new SpecPartError(`expected 5, 6 or 7 fields, found ${f.length}`);
  return cal;
}

/**
 * Parses a schedule `cron_string`. As in Temporal, a `TZ=` prefix on an `@every` string is
 * dropped (intervals are zone-independent), so its timezone is ''.
 */
export function parseCronString(text: string): ParsedCronString {
  let c = text.trim();
  let timezone = '';
  if (c.startsWith('TZ=') || c.startsWith('CRON_TZ=')) {
    const space = c.indexOf(' ');
    if (space < 0) throw new SpecPartError('time zone prefix is not followed by a schedule');
    timezone = c.slice(c.indexOf('=') + 1, space);
    c = c.slice(space + 1);
  }
  const hash = c.indexOf('#');
  const comment = hash < 0 ? '' : c.slice(hash + 1).trim();
  c = (hash < 0 ? c : c.slice(0, hash)).trim();
  if (c.startsWith('@every')) return { interval: parseEveryInterval(c), timezone: '' };
  const fields = Object.hasOwn(SHORTHANDS, c) ? (SHORTHANDS[c] ?? c) : c;
  return { calendar: calendarToStructured(fieldsToCalendar(fields, comment)), timezone };
}
