/**
 * Go `time.ParseDuration` syntax ("1h30m", "10s", "1.5h", "-2m", "0"), as used by robfig's
 * `@every`, plus the `d` (24h) unit that Temporal's schedule `@every` also accepts.
 */
import { SpecPartError } from './errors.js';

const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  'µs': 1e-3, // U+00B5 micro sign
  'μs': 1e-3, // U+03BC Greek mu
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

const TERM = /^(\d*)(?:\.(\d*))?([^\d.]*)/;

/**
 * Parses a Go duration into (possibly fractional) milliseconds.
 * @param allowDays - also accept the unit `d` (24 hours), as Temporal's schedules do.
 * @throws SpecPartError naming the problem.
 */
export function parseGoDuration(text: string, allowDays = false): number {
  let rest = text;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    sign = rest.startsWith('-') ? -1 : 1;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') throw new SpecPartError(`invalid duration "${text}"`);
  let total = 0;
  while (rest !== '') {
    const match = TERM.exec(rest);
    const [whole, int = '', frac, unit = ''] = match ?? [];
    if (whole === undefined || (int === '' && (frac === undefined || frac === ''))) {
      throw new SpecPartError(`invalid duration "${text}"`);
    }
    if (unit === '') throw new SpecPartError(`missing unit in duration "${text}"`);
    const unitMs = unit === 'd' && allowDays ? 86_400_000 : Object.hasOwn(UNIT_MS, unit) ? UNIT_MS[unit] : undefined;
    if (unitMs === undefined) throw new SpecPartError(`unknown unit "${unit}" in duration "${text}"`);
    total += Number(`${int === '' ? '0' : int}.${frac ?? ''}0`) * unitMs;
    rest = rest.slice(whole.length);
  }
  return sign * total;
}
