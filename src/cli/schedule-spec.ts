/**
 * Schedule specs from `temporal schedule create` flags: `--interval 45m` / `6h/5h` (every / offset),
 * `--calendar '{"dayOfWeek":"Fri","hour":"3","minute":"30"}'` (the string form of the Temporal
 * CalendarSpec: each field a comma list of `*`, values, `a-b` ranges and `/step`s), `--cron`
 * strings (passed to the server as they are) and `--overlap-policy` names.
 *
 * @example
 * ```ts
 * parseInterval('6h/5h', 'interval');   // { every: 21_600_000, offset: 18_000_000 }
 * parseCalendar('{"dayOfWeek":"Mon-Fri","hour":"9"}');
 * ```
 */
import { DAYS_OF_WEEK, MONTHS, ScheduleOverlapPolicy, type CalendarSpec, type IntervalSpec, type LooseRange } from '../client/index.js';
import { CliError } from './flags.js';
import { parseJson } from './payloads.js';
import { parseDuration, parseEnum } from './values.js';

/** `45m` → every 45 minutes; `6h/5h` → every 6 hours, 5 hours after each multiple. */
export function parseInterval(text: string, flag: string): IntervalSpec {
  const parts = text.split('/');
  const [every = '', offset] = parts;
  if (parts.length > 2 || every === '') throw new CliError(`--${flag} must be DURATION or DURATION/OFFSET (e.g. 45m, 6h/5h); got "${text}"`);
  return { every: parseDuration(every, flag), offset: offset === undefined ? undefined : parseDuration(offset, flag) };
}

const OVERLAP_POLICIES = Object.values(ScheduleOverlapPolicy).filter((p): p is NonNullable<typeof p> => p !== undefined);

/** `Skip`, `BufferOne`, … (or SKIP, BUFFER_ONE, …) as the client's overlap policy. */
export function parseOverlapPolicy(text: string | undefined): ScheduleOverlapPolicy {
  return parseEnum(text, OVERLAP_POLICIES, 'overlap-policy');
}

interface FieldKind {
  readonly field: string;
  readonly min: number;
  readonly max: number;
  /** Names accepted for values (full names or their first three letters), index + min = value. */
  readonly names?: readonly string[];
}

const NUMERIC: Record<string, FieldKind> = {
  second: { field: 'second', min: 0, max: 59 },
  minute: { field: 'minute', min: 0, max: 59 },
  hour: { field: 'hour', min: 0, max: 23 },
  dayOfMonth: { field: 'dayOfMonth', min: 1, max: 31 },
  year: { field: 'year', min: 1970, max: 9999 },
};
const MONTH: FieldKind = { field: 'month', min: 1, max: 12, names: MONTHS };
const DAY_OF_WEEK: FieldKind = { field: 'dayOfWeek', min: 0, max: 6, names: DAYS_OF_WEEK };

function valueOf(token: string, kind: FieldKind): number {
  const upper = token.toUpperCase();
  const named = kind.names?.findIndex((n) => n === upper || n.slice(0, 3) === upper) ?? -1;
  if (named >= 0) return named + kind.min;
  const n = Number(token);
  if (!/^\d+$/.test(token) || n < kind.min || n > kind.max + (kind === DAY_OF_WEEK ? 1 : 0)) {
    throw new CliError(`--calendar: ${kind.field} value "${token}" is not in ${kind.min}-${kind.max}${kind.names ? ' or a name' : ''}`);
  }
  return kind === DAY_OF_WEEK && n === 7 ? 0 : n;
}

/** One comma-separated item: `*`, `*\/2`, `5`, `1-5`, `1-31/2`, `10/5`, `Mon-Fri`. */
function rangeOf(item: string, kind: FieldKind): { start: number; end: number; step: number } {
  const [span = '', stepText] = item.split('/');
  const step = stepText === undefined ? 1 : Number(stepText);
  if (!Number.isInteger(step) || step < 1) throw new CliError(`--calendar: ${kind.field} step in "${item}" must be a positive integer`);
  if (span === '*') return { start: kind.min, end: kind.max, step };
  const [from = '', to] = span.split('-');
  const start = valueOf(from, kind);
  const end = to !== undefined ? valueOf(to, kind) : stepText !== undefined ? kind.max : start;
  if (end < start) throw new CliError(`--calendar: ${kind.field} range "${item}" ends before it starts`);
  return { start, end, step };
}

type Named<T extends string> = { start: T; end: T; step: number };

function namedRange<T extends string>(r: { start: number; end: number; step: number }, names: readonly T[], min: number): Named<T> {
  return { start: names[r.start - min] as T, end: names[r.end - min] as T, step: r.step };
}

function parseField(value: unknown, kind: FieldKind): Array<{ start: number; end: number; step: number }> | '*' {
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string' || text.trim() === '') throw new CliError(`--calendar: ${kind.field} must be a string such as "5", "1-5" or "*"`);
  if (text.trim() === '*') return '*';
  return text.split(',').map((item) => rangeOf(item.trim(), kind));
}

const FIELDS = new Set(['second', 'minute', 'hour', 'dayOfMonth', 'month', 'year', 'dayOfWeek', 'comment']);

/** A `--calendar` JSON value as the client's CalendarSpec. */
export function parseCalendar(text: string): CalendarSpec {
  const json = parseJson(text, 'calendar');
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new CliError('--calendar must be a JSON object such as {"hour":"3","minute":"30"}');
  const spec: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(json as Record<string, unknown>)) {
    if (!FIELDS.has(key)) throw new CliError(`--calendar: unknown field "${key}"; fields are ${[...FIELDS].join(', ')}`);
    if (key === 'comment') {
      spec['comment'] = String(value);
      continue;
    }
    const kind = key === 'month' ? MONTH : key === 'dayOfWeek' ? DAY_OF_WEEK : (NUMERIC[key] as FieldKind);
    const ranges = parseField(value, kind);
    if (ranges === '*') spec[key] = '*';
    else if (kind.names) spec[key] = ranges.map((r) => namedRange(r, kind.names as readonly string[], kind.min));
    else spec[key] = ranges as LooseRange<number>[];
  }
  return spec as CalendarSpec;
}
