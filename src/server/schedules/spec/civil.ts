/**
 * Proleptic-Gregorian civil-time arithmetic on plain numbers (no `Date`, no time zones).
 *
 * A "wall" value is a civil date-time encoded as milliseconds as if it were UTC: the
 * local clock reading of an instant in some zone is `instantMs + offsetMs`.
 */

/** Milliseconds in one second / minute / hour / day. */
export const SECOND_MS = 1000;
export const MINUTE_MS = 60 * SECOND_MS;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/** A civil date-time with second resolution; month 1-12, day 1-31. */
export interface Civil {
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
  s: number;
}

/** True for Gregorian leap years. */
export function isLeapYear(y: number): boolean {
  return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Number of days in month `mo` (1-12) of year `y`. */
export function daysInMonth(y: number, mo: number): number {
  if (mo === 2 && isLeapYear(y)) return 29;
  return MONTH_DAYS[mo - 1] ?? 31;
}

/** Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm, valid for all years). */
export function daysFromCivil(y: number, mo: number, d: number): number {
  const yy = mo <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const mp = (mo + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The civil date of a day count since 1970-01-01. */
export function civilFromDays(days: number): { y: number; mo: number; d: number } {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const mo = mp < 10 ? mp + 3 : mp - 9;
  return { y: yoe + era * 400 + (mo <= 2 ? 1 : 0), mo, d };
}

/** Day of week (0 = Sunday … 6 = Saturday) of a civil date. */
export function weekday(y: number, mo: number, d: number): number {
  const days = daysFromCivil(y, mo, d);
  return (((days + 4) % 7) + 7) % 7;
}

/** Splits a wall value (truncated to whole seconds) into civil fields. */
export function civilFromWall(wallMs: number): Civil {
  const days = Math.floor(wallMs / DAY_MS);
  const secOfDay = Math.floor((wallMs - days * DAY_MS) / SECOND_MS);
  const { y, mo, d } = civilFromDays(days);
  return { y, mo, d, h: Math.floor(secOfDay / 3600), mi: Math.floor(secOfDay / 60) % 60, s: secOfDay % 60 };
}

/** Encodes civil fields as a wall value. */
export function wallFromCivil(c: Civil): number {
  return daysFromCivil(c.y, c.mo, c.d) * DAY_MS + c.h * HOUR_MS + c.mi * MINUTE_MS + c.s * SECOND_MS;
}

/** Rounds down to a whole second (toward negative infinity). */
export function floorToSecond(ms: number): number {
  return Math.floor(ms / SECOND_MS) * SECOND_MS;
}

/** The UTC calendar year of an instant. */
export function utcYear(ms: number): number {
  return civilFromDays(Math.floor(ms / DAY_MS)).y;
}
