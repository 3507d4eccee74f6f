/** Cron workflows: validation of `cron_schedule` and the backoff until the next run. */
import { status } from '@grpc/grpc-js';
import { RpcError } from '../errors.js';

/** Cron schedules arrive with the schedule-spec library; until then they are refused clearly. */
export function validateCronSchedule(expression: string): void {
  throw new RpcError(status.UNIMPLEMENTED, `cron schedules are not supported by this dev server yet (got "${expression}")`);
}

/** Milliseconds until the schedule's next fire time (undefined when it never fires again). */
export function cronBackoffMs(_expression: string, _now: number, _runStartTime: number): number | undefined {
  return undefined;
}
