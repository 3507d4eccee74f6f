/** Cron workflows: validation of `cron_schedule` and the backoff until the next run. */
import { invalidArgument } from '../errors.js';
import { InvalidScheduleSpecError, nextCronTime, nextCronTimeFrom, parseCron } from '../schedules/spec/index.js';

/** Throws INVALID_ARGUMENT naming the problem when the expression is not a valid cron schedule. */
export function validateCronSchedule(expression: string): void {
  let schedule;
  try {
    schedule = parseCron(expression);
  } catch (error) {
    if (error instanceof InvalidScheduleSpecError) throw invalidArgument(`invalid CronSchedule: ${error.message}`);
    throw error;
  }
  if (nextCronTime(schedule, Date.now()) === undefined) {
    throw invalidArgument(`invalid CronSchedule: "${expression}" never fires`);
  }
}

/**
 * Milliseconds from `now` until the schedule's next fire time after `scheduledMs` (the current run's
 * scheduled start; fire times missed meanwhile are skipped), rounded up to whole seconds; undefined
 * when it never fires again.
 */
export function cronBackoffMs(expression: string, scheduledMs: number, now: number): number | undefined {
  const next = nextCronTimeFrom(parseCron(expression), scheduledMs, now);
  return next === undefined ? undefined : Math.ceil(Math.max(0, next - now) / 1000) * 1000;
}
