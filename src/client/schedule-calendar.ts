/**
 * Calendar specs ↔ `temporal.api.schedule.v1.StructuredCalendarSpec`: each field is a list of
 * `{ start, end, step }` ranges of numbers (months 1-12, days of week 0-6 from Sunday).
 */
import type { ProtoTypes } from '../proto/index.js';
import {
  DAYS_OF_WEEK,
  MONTHS,
  type CalendarSpec,
  type CalendarSpecDescription,
  type LooseRange,
  type Range,
} from './schedule-types.js';

type IRange = ProtoTypes.temporal.api.schedule.v1.IRange;
type IStructuredCalendarSpec = ProtoTypes.temporal.api.schedule.v1.IStructuredCalendarSpec;

/** How one calendar field is encoded: value ↔ number, the default when unset, and what `'*'` means. */
interface FieldCoder<Unit> {
  name: string;
  toNumber(value: Unit): number | undefined;
  fromNumber(n: number): Unit | undefined;
  unset: IRange[];
  every: IRange[];
}

const between = (lo: number, hi: number) => (x: unknown) => (typeof x === 'number' && Number.isInteger(x) && x >= lo && x <= hi ? x : undefined);
const zero: IRange[] = [{ start: 0, end: 0, step: 0 }];

function numberField(name: string, lo: number, hi: number, unset: 'zero' | 'every'): FieldCoder<number> {
  const every = [{ start: lo, end: hi, step: 1 }];
  return { name, toNumber: between(lo, hi), fromNumber: (n) => n, unset: unset === 'zero' ? zero : every, every };
}

const SECOND = numberField('second', 0, 59, 'zero');
const MINUTE = numberField('minute', 0, 59, 'zero');
const HOUR = numberField('hour', 0, 23, 'zero');
const DAY_OF_MONTH = numberField('dayOfMonth', 1, 31, 'every');
/** Years: `'*'` and unset are encoded as no range at all. */
const YEAR: FieldCoder<number> = {
  name: 'year',
  toNumber: (x) => (typeof x === 'number' && Number.isInteger(x) ? x : undefined),
  fromNumber: (n) => n,
  unset: [],
  every: [],
};
const MONTH: FieldCoder<(typeof MONTHS)[number]> = {
  name: 'month',
  toNumber: (m) => (MONTHS.indexOf(m) >= 0 ? MONTHS.indexOf(m) + 1 : undefined),
  fromNumber: (n) => MONTHS[n - 1],
  unset: [{ start: 1, end: 12, step: 1 }],
  every: [{ start: 1, end: 12, step: 1 }],
};
const DAY_OF_WEEK: FieldCoder<(typeof DAYS_OF_WEEK)[number]> = {
  name: 'dayOfWeek',
  toNumber: (d) => (DAYS_OF_WEEK.indexOf(d) >= 0 ? DAYS_OF_WEEK.indexOf(d) : undefined),
  fromNumber: (n) => DAYS_OF_WEEK[n],
  unset: [{ start: 0, end: 6, step: 1 }],
  every: [{ start: 0, end: 6, step: 1 }],
};

function encodeField<Unit>(coder: FieldCoder<Unit>, input: LooseRange<Unit> | LooseRange<Unit>[] | '*' | undefined): IRange[] {
  if (input === undefined) return coder.unset;
  if (input === '*') return coder.every;
  return (Array.isArray(input) ? input : [input]).map((item) => {
    if (typeof item === 'object' && item !== null && 'start' in item) {
      const range = item as { start: Unit; end?: Unit; step?: number };
      const start = coder.toNumber(range.start);
      const end = range.end === undefined ? start : coder.toNumber(range.end);
      if (start !== undefined && end !== undefined) {
        return { start, end, step: typeof range.step === 'number' && range.step > 0 ? range.step : 1 };
      }
    } else {
      const value = coder.toNumber(item as Unit);
      if (value !== undefined) return { start: value, end: value, step: 1 };
    }
    throw new TypeError(`Invalid CalendarSpec.${coder.name}: ${JSON.stringify(item)}`);
  });
}

function decodeField<Unit>(coder: FieldCoder<Unit>, input: IRange[] | null | undefined): Range<Unit>[] {
  return (input ?? []).map((pb) => {
    const startNumber = pb.start ?? 0;
    const start = coder.fromNumber(startNumber);
    if (start === undefined) throw new RangeError(`Invalid CalendarSpec.${coder.name} from the server: ${startNumber} is out of bounds`);
    const end = (pb.end ?? 0) > startNumber ? (coder.fromNumber(pb.end ?? 0) ?? start) : start;
    return { start, end, step: (pb.step ?? 0) > 0 ? (pb.step as number) : 1 };
  });
}

/** Calendar specs → structured calendar specs; throws a TypeError naming an invalid field. */
export function encodeCalendarSpecs(specs: CalendarSpec[] | undefined): IStructuredCalendarSpec[] | undefined {
  if (specs === undefined) return undefined;
  if (!Array.isArray(specs)) throw new TypeError('ScheduleSpec calendars / skip must be arrays of CalendarSpec');
  return specs.map((spec) => ({
    second: encodeField(SECOND, spec.second),
    minute: encodeField(MINUTE, spec.minute),
    hour: encodeField(HOUR, spec.hour),
    dayOfMonth: encodeField(DAY_OF_MONTH, spec.dayOfMonth),
    month: encodeField(MONTH, spec.month),
    year: encodeField(YEAR, spec.year),
    dayOfWeek: encodeField(DAY_OF_WEEK, spec.dayOfWeek),
    comment: spec.comment,
  }));
}

/** Structured calendar specs from the server → calendar spec descriptions. */
export function decodeCalendarSpecs(specs: IStructuredCalendarSpec[] | null | undefined): CalendarSpecDescription[] {
  return (specs ?? []).map((pb) => ({
    second: decodeField(SECOND, pb.second),
    minute: decodeField(MINUTE, pb.minute),
    hour: decodeField(HOUR, pb.hour),
    dayOfMonth: decodeField(DAY_OF_MONTH, pb.dayOfMonth),
    month: decodeField(MONTH, pb.month),
    year: decodeField(YEAR, pb.year),
    dayOfWeek: decodeField(DAY_OF_WEEK, pb.dayOfWeek),
    comment: pb.comment ?? undefined,
  }));
}
