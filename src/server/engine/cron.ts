/** Cron workflows: validation of `cron_schedule` and the backoff until the next run. */
import { invalidArgument } from '../errors.js';
import { InvalidScheduleSpecError, nextCronTime, parseCron } from '../schedules/spec/index.js';

/** Throws INVALID_ARGUMENT naming the problem when the expression is not a valid cron schedule. */
export function validateCronSchedule(expression: string): void {
  try {
    parseCron(expression);
  } catch (error) {
    if (error instanceof InvalidScheduleSpecError) throw invalidArgument(`invalid CronSchedule: ${error.message}`);
    throw error;
  }
}

/** Milliseconds from `now` until the schedule's next fire time (undefined when it never fires again). */
export function cronBackoffMs(expression: string, now: number): number | undefined {
  const next = nextCronTime(parseCron(expression), now);
  return next === undefined ? undefined : Math.max(0, next - now);
}
