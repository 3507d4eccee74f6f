/**
 * `duraflow schedule create`: a schedule that starts a workflow on calendars, intervals and cron
 * expressions, with the flags of `temporal schedule create`.
 *
 * @example
 * ```sh
 * duraflow schedule create --schedule-id nightly --cron "0 2 * * *" --type report --task-queue reports
 * duraflow schedule create -s every-5m --interval 5m --type sync --task-queue main --overlap-policy BufferOne
 * ```
 */
import type { ScheduleOptions, ScheduleSpec } from '../client/index.js';
import { withClient } from './client-flags.js';
import type { CommandArgs, CommandDef, FlagDefs } from './command.js';
import { readKeyValues } from './payloads.js';
import { parseCalendar, parseInterval, parseOverlapPolicy } from './schedule-spec.js';
import { parseCount, parseDuration, parseTimestamp } from './values.js';
import { WORKFLOW_ACTION_FLAGS, workflowActionOptions } from './workflow-start.js';

/** `--schedule-id` / `-s`, required by every schedule command. */
export const SCHEDULE_ID_FLAG: FlagDefs = {
  'schedule-id': { kind: 'value', short: 's', arg: 'ID', required: true, description: 'Schedule ID' },
};

/** `--overlap-policy`. */
export const OVERLAP_FLAG: FlagDefs = {
  'overlap-policy': {
    kind: 'value',
    arg: 'POLICY',
    description: 'When a run is still going: Skip (default), BufferOne, BufferAll, CancelOther, TerminateOther, AllowAll',
  },
};

const SPEC_FLAGS: FlagDefs = {
  calendar: { kind: 'list', arg: 'JSON', description: `Calendar spec, e.g. '{"dayOfWeek":"Fri","hour":"17","minute":"5"}'` },
  cron: { kind: 'list', arg: 'CRON', description: 'Cron expression, e.g. "30 12 * * Fri" or "@daily"' },
  interval: { kind: 'list', arg: 'DURATION', description: 'Interval, e.g. 90m, or 6h/5h with a phase offset' },
  'start-time': { kind: 'value', arg: 'TIME', description: 'Take no action before this time (RFC 3339)' },
  'end-time': { kind: 'value', arg: 'TIME', description: 'Take no action after this time (RFC 3339)' },
  jitter: { kind: 'value', arg: 'DURATION', description: 'Delay each action by a random amount up to this' },
  'time-zone': { kind: 'value', arg: 'TZ', description: 'Time zone of calendars and cron expressions (default UTC)' },
  'catchup-window': { kind: 'value', arg: 'DURATION', description: 'How late a missed action may still be taken' },
  'pause-on-failure': { kind: 'bool', description: 'Pause the schedule when a started workflow fails' },
  paused: { kind: 'bool', description: 'Create the schedule paused' },
  notes: { kind: 'value', arg: 'TEXT', description: 'Initial notes of the schedule' },
  'remaining-actions': { kind: 'value', arg: 'N', description: 'Take at most N actions (default: unlimited)' },
  'schedule-memo': { kind: 'list', arg: 'KEY=JSON', description: 'A memo entry of the schedule itself' },
};

function optional<T>(args: CommandArgs, flag: string, parse: (text: string, flag: string) => T): T | undefined {
  const text = args.values[flag];
  return text === undefined ? undefined : parse(text, flag);
}

function scheduleSpec(args: CommandArgs): ScheduleSpec {
  return {
    calendars: args.lists.calendar?.map(parseCalendar),
    intervals: args.lists.interval?.map((text) => parseInterval(text, 'interval')),
    cronExpressions: args.lists.cron,
    startAt: optional(args, 'start-time', parseTimestamp),
    endAt: optional(args, 'end-time', parseTimestamp),
    jitter: optional(args, 'jitter', parseDuration),
    timezone: args.values['time-zone'],
  };
}

/** The options of `ScheduleClient.create` from the flags. */
export function scheduleOptions(args: CommandArgs): ScheduleOptions {
  const { workflowType, workflowId: _random, ...action } = workflowActionOptions(args);
  const remaining = optional(args, 'remaining-actions', parseCount);
  return {
    scheduleId: args.values['schedule-id'] ?? '',
    spec: scheduleSpec(args),
    action: { ...action, type: 'startWorkflow', workflowType, workflowId: args.values['workflow-id'] },
    policies: {
      overlap: parseOverlapPolicy(args.values['overlap-policy']),
      catchupWindow: optional(args, 'catchup-window', parseDuration),
      pauseOnFailure: args.bools['pause-on-failure'],
    },
    state: { paused: args.bools.paused, note: args.values.notes, remainingActions: remaining || undefined },
    memo: readKeyValues(args.lists['schedule-memo'], 'schedule-memo'),
  };
}

async function create(args: CommandArgs): Promise<void> {
  const options = scheduleOptions(args);
  await withClient(args, async (client, ctx) => {
    await client.schedule.create(options);
    if (ctx.printer.json) ctx.printer.document({ scheduleId: options.scheduleId, namespace: ctx.namespace });
    else ctx.printer.line('Schedule created');
  });
}

export const SCHEDULE_CREATE: CommandDef = {
  name: 'create',
  summary: 'Create a schedule that starts a workflow at the times you give',
  examples: [
    'duraflow schedule create --schedule-id nightly --cron "0 2 * * *" --type report --task-queue reports',
    `duraflow schedule create -s friday --calendar '{"dayOfWeek":"Fri","hour":"17"}' --type report --task-queue reports`,
    'duraflow schedule create -s every-5m --interval 5m --type sync --task-queue main --workflow-id sync',
  ],
  flags: {
    ...SCHEDULE_ID_FLAG,
    ...SPEC_FLAGS,
    ...OVERLAP_FLAG,
    ...WORKFLOW_ACTION_FLAGS,
    'workflow-id': { kind: 'value', short: 'w', arg: 'ID', description: 'Workflow ID of the started workflows (default <schedule-id>-workflow)' },
  },
  run: create,
};
