/**
 * Thrown when a cron expression or a schedule spec is malformed or out of range. The message
 * names the offending field or token, e.g.
 * `invalid cron expression "61 * * * *": minute 61 is out of range 0-59`.
 */
export class InvalidScheduleSpecError extends Error {
  override readonly name = 'InvalidScheduleSpecError';
}

/**
 * A problem found while parsing one part of a spec, before the caller adds context (which
 * expression, which field). Internal: always re-thrown as {@link InvalidScheduleSpecError}.
 */
export class SpecPartError extends Error {
  override readonly name = 'SpecPartError';
}

/** Runs `fn`, re-throwing a {@link SpecPartError} as an {@link InvalidScheduleSpecError} prefixed with `context`. */
export function withContext<T>(context: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof SpecPartError) throw new InvalidScheduleSpecError(`${context}: ${error.message}`);
    throw error;
  }
}
