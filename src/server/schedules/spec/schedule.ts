/**
 * Compiled schedule specs and their action times, following Temporal's scheduler
 * (`service/worker/scheduler/spec.go`): the union of calendars and intervals, minus
 * exclusions, within [startTime, endTime], never past the year 2100, with deterministic jitter.
 */
import { type CalendarMatcher, FieldSet } from './calendar-matcher.js';
import { MAX_CALENDAR_YEAR } from './calendar-string.js';
import { canonicalSpec } from './canonical.js';
import { SECOND_MS, utcYear } from './civil.js';
import { type Zone, loadZone, matchesInZone, nextZonedMatch } from './time-zone.js';
import type { Range, ScheduleSpecInput, StructuredCalendar } from './types.js';

/** An interval in whole seconds. */
interface CompiledInterval {
  readonly intervalSec: number;
  readonly phaseSec: number;
}

/** A validated, compiled ScheduleSpec. Build with {@link compileScheduleSpec}. */
export interface CompiledScheduleSpec {
  /** The canonical form (what DescribeSchedule shows); same as {@link canonicalSpec}. */
  readonly canonical: ScheduleSpecInput;
  /** The zone calendars are evaluated in ('UTC' when unset). */
  readonly timezone: string;
  /** @internal */
  readonly zone: Zone;
  /** @internal */
  readonly calendars: readonly CalendarMatcher[];
  /** @internal */
  readonly excludes: readonly CalendarMatcher[];
  /** @internal */
  readonly intervals: readonly CompiledInterval[];
  readonly startMs: number | undefined;
  readonly endMs: number | undefined;
  readonly jitterMs: number;
}

/** A scheduled action time: nominal (unjittered) and actual (nominal + jitter). */
export interface ScheduleTime {
  nominalMs: number;
  actualMs: number;
}

/**
 * How many excluded candidates one lookup may skip before giving up (returning undefined).
 * Covers a per-second spec excluded for 11 days; Temporal warns at 86 400.
 */
export const MAX_EXCLUDED_CANDIDATES = 1_000_000;

/** Values of a (possibly unvalidated) range within [lo, hi], without iterating outside it. */
function* valuesWithin(r: Range, lo: number, hi: number): Generator<number> {
  const start = r.start ?? 0;
  const end = r.end === undefined || r.end < start ? start : r.end;
  const step = r.step === undefined || r.step <= 0 ? 1 : r.step;
  const first = start >= lo ? start : start + Math.ceil((lo - start) / step) * step;
  for (let v = first; v <= Math.min(end, hi); v += step) yield v;
}

const fieldSet = (ranges: readonly Range[] | undefined, min: number, max: number): FieldSet =>
  new FieldSet(min, max, (ranges ?? []).flatMap((r) => [...valuesWithin(r, min, max)]));

/** Compiles a structured calendar (no ranges = nothing, except year: no ranges = every year). */
function compileCalendar(cal: StructuredCalendar): CalendarMatcher {
  const years = cal.year ?? [];
  return {
    second: fieldSet(cal.second, 0, 59),
    minute: fieldSet(cal.minute, 0, 59),
    hour: fieldSet(cal.hour, 0, 23),
    dayOfMonth: fieldSet(cal.dayOfMonth, 1, 31),
    month: fieldSet(cal.month, 1, 12),
    dayOfWeek: fieldSet(cal.dayOfWeek, 0, 6),
    years: years.length === 0 ? undefined : [...new Set(years.flatMap((r) => [...valuesWithin(r, 0, 9999)]))].sort((a, b) => a - b),
    dayRule: 'and',
  };
}

/**
 * Validates and compiles a spec.
 * @throws InvalidScheduleSpecError naming the bad field.
 */
export function compileScheduleSpec(input: ScheduleSpecInput): CompiledScheduleSpec {
  const canonical = canonicalSpec(input);
  const zone = loadZone(canonical.timezoneName);
  return {
    canonical,
    timezone: zone.name,
    zone,
    calendars: (canonical.structuredCalendar ?? []).map(compileCalendar),
    excludes: (canonical.excludeStructuredCalendar ?? []).map(compileCalendar),
    intervals: (canonical.interval ?? []).map((iv) => ({
      intervalSec: Math.max(1, Math.trunc(iv.intervalMs / SECOND_MS)),
      phaseSec: Math.max(0, Math.trunc((iv.phaseMs ?? 0) / SECOND_MS)),
    })),
    startMs: canonical.startTimeMs,
    endMs: canonical.endTimeMs,
    jitterMs: Math.max(0, canonical.jitterMs ?? 0),
  };
}

/** The first calendar or interval time strictly after `afterMs`, ignoring exclusions and bounds. */
function rawNextTime(spec: CompiledScheduleSpec, afterMs: number): number | undefined {
  let best: number | undefined;
  for (const cal of spec.calendars) {
    const t = nextZonedMatch(cal, spec.zone, afterMs, MAX_CALENDAR_YEAR);
    if (t !== undefined && (best === undefined || t < best)) best = t;
  }
  const afterSec = Math.floor(afterMs / SECOND_MS);
  for (const { intervalSec, phaseSec } of spec.intervals) {
    const t = ((Math.floor((afterSec - phaseSec) / intervalSec) + 1) * intervalSec + phaseSec) * SECOND_MS;
    if (best === undefined || t < best) best = t;
  }
  return best;
}

const excluded = (spec: CompiledScheduleSpec, t: number): boolean => spec.excludes.some((ex) => matchesInZone(ex, spec.zone, t));

/** FNV-1a over the seed and the nominal time, finished with an avalanche mix: 32 well-spread bits. */
function hash32(seed: string, nominalMs: number): number {
  const text = `${nominalMs}\u0000${seed}`;
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Jitter in [0, min(jitter, next nominal − nominal)), whole ms, from (seed, nominal). */
function jitterFor(spec: CompiledScheduleSpec, nominalMs: number, seed: string): number {
  if (spec.jitterMs <= 0) return 0;
  const following = rawNextTime(spec, nominalMs);
  const limit = Math.floor(following === undefined ? spec.jitterMs : Math.min(spec.jitterMs, following - nominalMs));
  const maxMs = Math.min(Math.max(limit, 0), 0xffffffff);
  return Number((BigInt(hash32(seed, nominalMs)) * BigInt(maxMs)) >> 32n);
}

/**
 * Next action time strictly after afterMs: nominal (unjittered) and actual (nominal +
 * deterministic jitter in [0, jitter) derived from `seed` and the nominal time), or undefined
 * when none (past endTime, past 2100, or more than {@link MAX_EXCLUDED_CANDIDATES} excluded
 * candidates in a row). Times have whole-second resolution.
 */
export function nextScheduleTime(spec: CompiledScheduleSpec, afterMs: number, seed: string): ScheduleTime | undefined {
  let after = spec.startMs === undefined ? afterMs : Math.max(afterMs, spec.startMs - 1);
  for (let skipped = 0; skipped <= MAX_EXCLUDED_CANDIDATES; skipped++) {
    const nominal = rawNextTime(spec, after);
    if (nominal === undefined || (spec.endMs !== undefined && nominal > spec.endMs) || utcYear(nominal) > MAX_CALENDAR_YEAR) {
      return undefined;
    }
    if (!excluded(spec, nominal)) return { nominalMs: nominal, actualMs: nominal + jitterFor(spec, nominal, seed) };
    after = nominal;
  }
  return undefined;
}

/**
 * All action times whose actual time is in (startMs, endMs], capped at `limit` entries (for
 * ListScheduleMatchingTimes and backfills). Like Temporal, each lookup continues after the
 * previous *actual* time. Default limit 1000 (Temporal's ListScheduleMatchingTimes cap).
 */
export function scheduleTimesBetween(spec: CompiledScheduleSpec, startMs: number, endMs: number, seed: string, limit = 1000): ScheduleTime[] {
  const out: ScheduleTime[] = [];
  let after = startMs;
  while (out.length < limit) {
    const next = nextScheduleTime(spec, after, seed);
    if (next === undefined || next.actualMs > endMs) break;
    out.push(next);
    after = next.actualMs;
  }
  return out;
}
