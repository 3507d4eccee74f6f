/**
 * IANA time zones through `Intl.DateTimeFormat`, and zone-aware calendar search.
 *
 * Offsets are sampled once per zone and UTC year (daily, then bisected to the second) and
 * cached, so the search itself does not call `Intl` in its inner loop.
 *
 * DST follows Temporal: calendars match the literal wall clock. A wall time that does not
 * exist (spring forward) never fires; one that occurs twice (fall back) fires twice.
 */
import { type CalendarMatcher, matchesCivil, nextWall } from './calendar-matcher.js';
import { DAY_MS, SECOND_MS, civilFromWall, daysFromCivil, floorToSecond, utcYear } from './civil.js';
import { SpecPartError } from './errors.js';

/** A time zone: UTC offsets of instants, and where they change. */
export interface Zone {
  /** The canonical name ('UTC' for UTC). */
  readonly name: string;
  /** Offset in ms (local wall = instant + offset). */
  offsetAt(instantMs: number): number;
  /** The first offset change in (fromMs, toMs], or undefined. */
  firstTransition(fromMs: number, toMs: number): number | undefined;
}

const UTC_ZONE: Zone = { name: 'UTC', offsetAt: () => 0, firstTransition: () => undefined };

/** Offsets within one UTC year: the offset at its first instant, then each change. */
interface YearOffsets {
  readonly startOffset: number;
  readonly transitions: readonly { readonly at: number; readonly offset: number }[];
}

class IntlZone implements Zone {
  private readonly format: Intl.DateTimeFormat;
  private readonly years = new Map<number, YearOffsets>();

  constructor(readonly name: string) {
    this.format = new Intl.DateTimeFormat('en-US', {
      timeZone: name,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  }

  offsetAt(instantMs: number): number {
    const year = this.yearOffsets(utcYear(instantMs));
    let offset = year.startOffset;
    for (const t of year.transitions) if (t.at <= instantMs) offset = t.offset;
    return offset;
  }

  firstTransition(fromMs: number, toMs: number): number | undefined {
    for (let y = utcYear(fromMs); y <= utcYear(toMs); y++) {
      for (const t of this.yearOffsets(y).transitions) if (t.at > fromMs && t.at <= toMs) return t.at;
    }
    return undefined;
  }

  /** The offset straight from Intl (second precision). */
  private rawOffset(instantMs: number): number {
    const at = floorToSecond(instantMs);
    const parts: Record<string, string> = {};
    for (const p of this.format.formatToParts(at)) parts[p.type] = p.value;
    const year = parts.era === 'BC' ? 1 - Number(parts.year) : Number(parts.year);
    const days = daysFromCivil(year, Number(parts.month), Number(parts.day));
    const wall = days * DAY_MS + ((Number(parts.hour) * 60 + Number(parts.minute)) * 60 + Number(parts.second)) * SECOND_MS;
    return wall - at;
  }

  private yearOffsets(y: number): YearOffsets {
    const cached = this.years.get(y);
    if (cached !== undefined) return cached;
    const start = daysFromCivil(y, 1, 1) * DAY_MS;
    const end = daysFromCivil(y + 1, 1, 1) * DAY_MS;
    const startOffset = this.rawOffset(start);
    // A change exactly at the year boundary is recorded here (the previous year cannot see it).
    const transitions: { at: number; offset: number }[] =
      this.rawOffset(start - SECOND_MS) === startOffset ? [] : [{ at: start, offset: startOffset }];
    let [prevAt, prevOffset] = [start, startOffset];
    for (let at = start + DAY_MS; at <= end; at += DAY_MS) {
      const offset = this.rawOffset(at);
      if (offset !== prevOffset) {
        const change = this.bisect(prevAt, at, prevOffset);
        if (change < end) transitions.push({ at: change, offset: this.rawOffset(change) });
      }
      [prevAt, prevOffset] = [at, offset];
    }
    const result = { startOffset, transitions };
    this.years.set(y, result);
    return result;
  }

  /** The first whole second in (lo, hi] whose offset differs from `loOffset`. */
  private bisect(lo: number, hi: number, loOffset: number): number {
    let [a, b] = [lo, hi];
    while (b - a > SECOND_MS) {
      const mid = floorToSecond(a + (b - a) / 2);
      if (this.rawOffset(mid) === loOffset) a = mid;
      else b = mid;
    }
    return b;
  }
}

const zoneCache = new Map<string, Zone>();

/**
 * Loads an IANA zone; '' or undefined means UTC. Throws {@link SpecPartError} for unknown names.
 */
export function loadZone(name: string | undefined): Zone {
  if (name === undefined || name === '' || name === 'UTC') return UTC_ZONE;
  const cached = zoneCache.get(name);
  if (cached !== undefined) return cached;
  let canonical: string;
  try {
    canonical = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    throw new SpecPartError(`unknown time zone "${name}"`);
  }
  const zone = canonical === 'UTC' ? UTC_ZONE : new IntlZone(canonical);
  zoneCache.set(name, zone);
  return zone;
}

/**
 * The first instant strictly after `afterMs` (second resolution) whose wall-clock reading in
 * `zone` matches `matcher`, looking no further than the end of local year `maxYear`.
 * Works segment by segment between offset changes, so each candidate is exact.
 */
export function nextZonedMatch(matcher: CalendarMatcher, zone: Zone, afterMs: number, maxYear: number): number | undefined {
  let from = floorToSecond(afterMs) + SECOND_MS;
  for (;;) {
    const offset = zone.offsetAt(from);
    const wall = nextWall(matcher, from + offset, maxYear);
    if (wall === undefined) return undefined;
    const candidate = wall - offset;
    const change = zone.firstTransition(from, candidate);
    if (change === undefined) return candidate;
    from = change;
  }
}

/** Whether the wall-clock reading of `instantMs` in `zone` matches `matcher`. */
export function matchesInZone(matcher: CalendarMatcher, zone: Zone, instantMs: number): boolean {
  return matchesCivil(matcher, civilFromWall(instantMs + zone.offsetAt(instantMs)));
}

/** The local calendar year of an instant in `zone`. */
export function localYear(zone: Zone, instantMs: number): number {
  return utcYear(instantMs + zone.offsetAt(instantMs));
}
