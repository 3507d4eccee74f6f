/**
 * Conversion of query literals to the SQL parameter values they are compared with, per attribute
 * kind, and the tokenization used by Text matching.
 *
 * @module
 */
import type { Literal } from './ast.js';
import { InvalidVisibilityQueryError } from './errors.js';
import type { ResolvedAttribute } from './search-attributes.js';
import { nanosTextToMillis, parseDurationMillis, parseRfc3339Millis } from './time-values.js';

/**
 * `temporal.api.enums.v1.WorkflowExecutionStatus` names accepted by `ExecutionStatus` (case-sensitive)
 * and their enum values, as stored in the `status` column.
 */
export const EXECUTION_STATUS_VALUES: ReadonlyMap<string, number> = new Map([
  ['Running', 1],
  ['Completed', 2],
  ['Failed', 3],
  ['Canceled', 4],
  ['Terminated', 5],
  ['ContinuedAsNew', 6],
  ['TimedOut', 7],
]);

/**
 * The status name of a `WorkflowExecutionStatus` enum value (e.g. for `GROUP BY ExecutionStatus`
 * group values, which Temporal reports as Keyword payloads holding the name).
 *
 * @returns undefined for values outside 1..7.
 */
export function executionStatusName(status: number): string | undefined {
  for (const [name, value] of EXECUTION_STATUS_VALUES) if (value === status) return name;
  return undefined;
}

/**
 * Characters that separate tokens in Text values: ASCII whitespace and ASCII punctuation. Any other
 * character (letters, digits, non-ASCII) is part of a token. The compiler replaces the same set in
 * SQL, so both sides tokenize alike.
 */
export const TEXT_SEPARATOR_CODES: readonly number[] = [
  9, 10, 11, 12, 13, 32,
  ...range(33, 47), ...range(58, 64), ...range(91, 96), ...range(123, 126),
];

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

const SEPARATORS = new Set(TEXT_SEPARATOR_CODES.map((code) => String.fromCharCode(code)));

/**
 * Splits a Text value into lower-cased tokens the way the compiled SQL does: split on ASCII
 * whitespace and punctuation; only ASCII letters are case-folded (as SQLite's `lower()` does).
 */
export function textTokens(value: string): string[] {
  const tokens: string[] = [];
  let current = '';
  for (const c of value) {
    if (SEPARATORS.has(c)) {
      if (current !== '') tokens.push(current);
      current = '';
    } else {
      current += c >= 'A' && c <= 'Z' ? c.toLowerCase() : c;
    }
  }
  if (current !== '') tokens.push(current);
  return tokens;
}

function describeLiteral(literal: Literal): string {
  if (literal.kind === 'string') return `'${literal.value}'`;
  return literal.kind === 'number' ? literal.text : String(literal.value);
}

function invalid(attr: ResolvedAttribute, literal: Literal, expected: string): InvalidVisibilityQueryError {
  return new InvalidVisibilityQueryError(
    `invalid value ${describeLiteral(literal)} for ${attr.type} attribute '${attr.name}'`,
    literal.position,
    `expected ${expected}`,
  );
}

/**
 * Converts a literal to the value the attribute's column or JSON value is compared with.
 *
 * - Keyword, KeywordList, Text: a quoted string.
 * - Int: an integer; Double: any number; Bool: `true`/`false` (compared as 1/0).
 * - Datetime: an RFC 3339 string or epoch nanoseconds, converted to epoch milliseconds.
 * - ExecutionStatus: a status name (`'Running'`) or the enum integer.
 * - ExecutionDuration: a duration string (`'5s'`) or integer nanoseconds, converted to milliseconds.
 *
 * @throws InvalidVisibilityQueryError when the literal does not fit the attribute.
 */
export function toSqlValue(attr: ResolvedAttribute, literal: Literal): string | number {
  switch (attr.kind) {
    case 'Keyword':
    case 'KeywordList':
    case 'Text':
      if (literal.kind !== 'string') throw invalid(attr, literal, 'a quoted string');
      return literal.value;
    case 'Int': {
      const value = literal.kind === 'number' && /^-?\d+$/.test(literal.text) ? Number(literal.text) : Number.NaN;
      if (!Number.isSafeInteger(value)) throw invalid(attr, literal, 'an integer');
      return value;
    }
    case 'Double': {
      const value = literal.kind === 'number' ? Number(literal.text) : Number.NaN;
      if (!Number.isFinite(value)) throw invalid(attr, literal, 'a number');
      return value;
    }
    case 'Bool':
      if (literal.kind !== 'bool') throw invalid(attr, literal, 'true or false');
      return literal.value ? 1 : 0;
    case 'Datetime':
      return datetimeValue(attr, literal);
    case 'ExecutionStatus':
      return statusValue(attr, literal);
    case 'ExecutionDuration':
      return durationValue(attr, literal);
  }
}

function datetimeValue(attr: ResolvedAttribute, literal: Literal): number {
  const millis =
    literal.kind === 'string' ? parseRfc3339Millis(literal.value) : literal.kind === 'number' ? nanosTextToMillis(literal.text) : undefined;
  if (millis === undefined) {
    throw invalid(attr, literal, "an RFC 3339 timestamp such as '2024-01-01T00:00:00Z' or an integer of epoch nanoseconds");
  }
  return millis;
}

function statusValue(attr: ResolvedAttribute, literal: Literal): number {
  if (literal.kind === 'string') {
    const status = EXECUTION_STATUS_VALUES.get(literal.value);
    if (status !== undefined) return status;
  } else if (literal.kind === 'number' && /^\d+$/.test(literal.text)) {
    const status = Number(literal.text);
    if (status >= 1 && status <= EXECUTION_STATUS_VALUES.size) return status;
  }
  throw invalid(attr, literal, `one of ${[...EXECUTION_STATUS_VALUES.keys()].map((name) => `'${name}'`).join(', ')} or an integer from 1 to 7`);
}

function durationValue(attr: ResolvedAttribute, literal: Literal): number {
  const millis =
    literal.kind === 'string' ? parseDurationMillis(literal.value) : literal.kind === 'number' ? nanosTextToMillis(literal.text) : undefined;
  if (millis === undefined || millis < 0) {
    throw invalid(attr, literal, "a duration such as '5s', '1h30m' or '100ms', or an integer of nanoseconds");
  }
  return millis;
}
