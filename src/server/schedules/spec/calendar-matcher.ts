/**
 * Field-by-field calendar matching on civil (wall-clock) time: the engine shared by cron
 * expressions and schedule calendars. Time zones are handled one level up (`time-zone.ts`).
 */
import { type Civil, civilFromWall, daysInMonth, wallFromCivil, weekday } from './civil.js';

/** The allowed values of one calendar field, with O(1) "next allowed value ≥ v" lookups. */
export class FieldSet {
  /** `nextTable[v]` is the smallest allowed value ≥ v, or -1. */
  private readonly nextTable: Int16Array;
  /** True when no value is allowed (the field can never match). */
  readonly isEmpty: boolean;

  constructor(
    readonly min: number,
    readonly max: number,
    values: Iterable<number>,
  ) {
    const allowed = new Uint8Array(max + 1);
    for (const v of values) if (v >= min && v <= max) allowed[v] = 1;
    this.nextTable = new Int16Array(max + 2).fill(-1);
    let next = -1;
    for (let v = max; v >= 0; v--) {
      if (allowed[v] === 1 && v >= min) next = v;
      this.nextTable[v] = next;
    }
    this.isEmpty = next === -1;
  }

  /** Whether `v` is allowed. */
  has(v: number): boolean {
    return v >= this.min && v <= this.max && this.nextTable[v] === v;
  }

  /** The smallest allowed value ≥ `v`, or -1 when there is none. */
  next(v: number): number {
    if (v > this.max) return -1;
    return this.nextTable[Math.max(v, 0)] ?? -1;
  }
}

/** How day-of-month and day-of-week combine: Temporal calendars use AND, robfig cron sometimes OR. */
export type DayRule = 'and' | 'or';

/** A compiled calendar: a civil time matches when every field matches (days per {@link DayRule}). */
export interface CalendarMatcher {
  readonly second: FieldSet;
  readonly minute: FieldSet;
  readonly hour: FieldSet;
  readonly dayOfMonth: FieldSet;
  readonly month: FieldSet;
  /** 0 = Sunday … 6 = Saturday. */
  readonly dayOfWeek: FieldSet;
  /** Allowed years in ascending order; undefined means every year. */
  readonly years: readonly number[] | undefined;
  readonly dayRule: DayRule;
}

/** Whether the day (y, mo, d) matches the day-of-month and day-of-week fields. */
function dayMatches(m: CalendarMatcher, y: number, mo: number, d: number): boolean {
  const dom = m.dayOfMonth.has(d);
  if (m.dayRule === 'and' && !dom) return false;
  const dow = m.dayOfWeek.has(weekday(y, mo, d));
  return m.dayRule === 'and' ? dow : dom || dow;
}

/** Whether a civil time matches the calendar. */
export function matchesCivil(m: CalendarMatcher, c: Civil): boolean {
  return (
    (m.years === undefined || m.years.includes(c.y)) &&
    m.month.has(c.mo) &&
    dayMatches(m, c.y, c.mo, c.d) &&
    m.hour.has(c.h) &&
    m.minute.has(c.mi) &&
    m.second.has(c.s)
  );
}

/** True when no civil time can ever match (some field allows nothing). */
export function neverMatches(m: CalendarMatcher): boolean {
  const days = m.dayRule === 'and' ? m.dayOfMonth.isEmpty || m.dayOfWeek.isEmpty : m.dayOfMonth.isEmpty && m.dayOfWeek.isEmpty;
  return days || m.second.isEmpty || m.minute.isEmpty || m.hour.isEmpty || m.month.isEmpty || m.years?.length === 0;
}

/** The first allowed year ≥ y, or undefined. */
function nextYear(m: CalendarMatcher, y: number): number | undefined {
  if (m.years === undefined) return y;
  return m.years.find((allowed) => allowed >= y);
}

/** The first matching day ≥ d in (y, mo), or -1. */
function nextDay(m: CalendarMatcher, y: number, mo: number, d: number): number {
  const last = daysInMonth(y, mo);
  for (let day = d; day <= last; day++) if (dayMatches(m, y, mo, day)) return day;
  return -1;
}

/** Propagates one-step overflows of the fields of `c` (in place). */
function normalize(c: Civil): void {
  if (c.s > 59) [c.s, c.mi] = [0, c.mi + 1];
  if (c.mi > 59) [c.mi, c.h] = [0, c.h + 1];
  if (c.h > 23) [c.h, c.d] = [0, c.d + 1];
  if (c.d > daysInMonth(c.y, c.mo)) [c.d, c.mo] = [1, c.mo + 1];
  if (c.mo > 12) [c.mo, c.y] = [1, c.y + 1];
}

/**
 * The first civil time ≥ `from` (inclusive) that matches, searching no later than the end of
 * `maxYear`. Steps field by field from the outside in, so sparse calendars are cheap.
 */
export function nextCivil(m: CalendarMatcher, from: Civil, maxYear: number): Civil | undefined {
  if (neverMatches(m)) return undefined;
  const c: Civil = { ...from };
  for (;;) {
    normalize(c);
    const y = c.y > maxYear ? undefined : nextYear(m, c.y);
    if (y === undefined || y > maxYear) return undefined;
    if (y !== c.y) Object.assign(c, { y, mo: 1, d: 1, h: 0, mi: 0, s: 0 });
    const mo = m.month.next(c.mo);
    if (mo < 0) {
      Object.assign(c, { y: c.y + 1, mo: 1, d: 1, h: 0, mi: 0, s: 0 });
      continue;
    }
    if (mo !== c.mo) Object.assign(c, { mo, d: 1, h: 0, mi: 0, s: 0 });
    const d = nextDay(m, c.y, c.mo, c.d);
    if (d < 0) {
      Object.assign(c, { mo: c.mo + 1, d: 1, h: 0, mi: 0, s: 0 });
      continue;
    }
    if (d !== c.d) Object.assign(c, { d, h: 0, mi: 0, s: 0 });
    const h = m.hour.next(c.h);
    if (h < 0) {
      Object.assign(c, { d: c.d + 1, h: 0, mi: 0, s: 0 });
      continue;
    }
    if (h !== c.h) Object.assign(c, { h, mi: 0, s: 0 });
    const mi = m.minute.next(c.mi);
    if (mi < 0) {
      Object.assign(c, { h: c.h + 1, mi: 0, s: 0 });
      continue;
    }
    if (mi !== c.mi) Object.assign(c, { mi, s: 0 });
    const s = m.second.next(c.s);
    if (s < 0) {
      Object.assign(c, { mi: c.mi + 1, s: 0 });
      continue;
    }
    return { ...c, s };
  }
}

/** {@link nextCivil} on wall values: the first matching wall time ≥ `wallMs`, or undefined. */
export function nextWall(m: CalendarMatcher, wallMs: number, maxYear: number): number | undefined {
  const found = nextCivil(m, civilFromWall(wallMs), maxYear);
  return found === undefined ? undefined : wallFromCivil(found);
}
