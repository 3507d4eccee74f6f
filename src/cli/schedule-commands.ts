/**
 * Schedule commands other than `create`: `list`, `describe`, `pause`, `unpause` (and `toggle`, the
 * `temporal` CLI's spelling of both), `trigger`, `backfill` and `delete`.
 *
 * JSON output follows `temporal schedule … -o json`: `list` prints an array of ListSchedules entries
 * (`-o jsonl`: one per line) and `describe` the DescribeSchedule response, payloads left encoded.
 * The commands that change a schedule print a small JSON acknowledgement (the `temporal` CLI prints
 * nothing for them in JSON mode).
 *
 * @example
 * ```sh
 * duraflow schedule describe --schedule-id nightly
 * duraflow schedule backfill -s nightly --start-time 2024-05-01T00:00:00Z --end-time 2024-05-02T00:00:00Z
 * ```
 */
import type { CalendarSpecDescription, Range, ScheduleDescription, ScheduleHandle } from '../client/index.js';
import { temporal } from '../proto/index.js';
import { withClient } from './client-flags.js';
import type { CommandArgs, CommandDef } from './command.js';
import { CliError } from './flags.js';
import { formatTime } from './output.js';
import { protoJson } from './payloads.js';
import { OVERLAP_FLAG, SCHEDULE_ID_FLAG } from './schedule-create.js';
import { parseOverlapPolicy } from './schedule-spec.js';
import { parseTimestamp } from './values.js';

const ListEntry = temporal.api.schedule.v1.ScheduleListEntry;
const DescribeResponse = temporal.api.workflowservice.v1.DescribeScheduleResponse;

const QUERY_FLAG = { query: { kind: 'value', short: 'q', arg: 'QUERY', description: 'Visibility query over the schedules' } } as const;
const REASON_FLAG = { reason: { kind: 'value', arg: 'TEXT', description: 'Recorded as the schedule\'s notes (default "(no reason provided)")' } } as const;

const scheduleId = (args: CommandArgs): string => args.values['schedule-id'] ?? '';

/** `5400000` → `1h30m`. */
export function durationText(ms: number): string {
  if (ms === 0) return '0s';
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s ? `${s}s` : ''}`;
}

function rangesText(ranges: readonly Range<number | string>[]): string {
  return ranges.map((r) => `${r.start}${r.end !== r.start ? `-${r.end}` : ''}${r.step > 1 ? `/${r.step}` : ''}`).join(',');
}

/** A calendar as `hour=3 minute=30 dayOfWeek=FRIDAY`: the fields that are not at their default. */
function calendarText(cal: CalendarSpecDescription): string {
  const full: Record<string, string> = { dayOfMonth: '1-31', month: 'JANUARY-DECEMBER', dayOfWeek: 'SUNDAY-SATURDAY', year: '' };
  const fields = ['second', 'minute', 'hour', 'dayOfMonth', 'month', 'dayOfWeek', 'year'] as const;
  const parts = fields.flatMap((f) => {
    const text = rangesText(cal[f] as Range<number | string>[]);
    const isDefault = f in full ? text === full[f] || text === '' : text === '0';
    return isDefault ? [] : [`${f}=${text}`];
  });
  return `${parts.join(' ') || 'every day at 00:00:00'}${cal.comment ? ` # ${cal.comment}` : ''}`;
}

function specText(spec: ScheduleDescription['spec']): string[] {
  const intervals = (spec.intervals ?? []).map((i) => `every ${durationText(i.every)}${i.offset ? ` offset ${durationText(i.offset)}` : ''}`);
  return [...(spec.calendars ?? []).map(calendarText), ...intervals];
}

async function list(args: CommandArgs): Promise<void> {
  await withClient(args, async (client, ctx) => {
    const rows: Record<string, unknown>[] = [];
    if (ctx.printer.json) ctx.printer.startList();
    let nextPageToken: Uint8Array | undefined;
    do {
      const page = await client.workflowService.listSchedules({ namespace: ctx.namespace, query: args.values.query, nextPageToken });
      for (const entry of page.schedules ?? []) {
        if (ctx.printer.json) ctx.printer.listItem(protoJson(ListEntry, entry, { shorthand: false }));
        const info = entry.info;
        const next = info?.futureActionTimes?.[0];
        const last = info?.recentActions?.[info.recentActions.length - 1]?.scheduleTime;
        const time = (ts: typeof next | null): string => (ts ? formatTime(new Date(Number(ts.seconds ?? 0) * 1000)) : '');
        rows.push({ ScheduleId: entry.scheduleId, WorkflowType: info?.workflowType?.name, Paused: info?.paused === true, Notes: info?.notes, NextRunTime: time(next), LastRunTime: time(last) });
      }
      nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
    } while (nextPageToken);
    if (ctx.printer.json) ctx.printer.endList();
    else ctx.printer.table(rows, ['ScheduleId', 'WorkflowType', 'Paused', 'Notes', 'NextRunTime', 'LastRunTime']);
  });
}

function describeCard(d: ScheduleDescription): Record<string, unknown> {
  const last = d.info.recentActions[d.info.recentActions.length - 1];
  return {
    ScheduleId: d.scheduleId,
    WorkflowType: d.action.workflowType,
    WorkflowId: d.action.workflowId,
    TaskQueue: d.action.taskQueue,
    Spec: specText(d.spec).join('; '),
    TimeZone: d.spec.timezone,
    StartAt: formatTime(d.spec.startAt),
    EndAt: formatTime(d.spec.endAt),
    OverlapPolicy: d.policies.overlap,
    CatchupWindow: durationText(d.policies.catchupWindow),
    PauseOnFailure: d.policies.pauseOnFailure,
    Paused: d.state.paused,
    Notes: d.state.note,
    RemainingActions: d.state.remainingActions,
    NextRunTime: formatTime(d.info.nextActionTimes[0]),
    LastRunTime: formatTime(last?.scheduledAt),
    RunningWorkflows: d.info.runningActions.map((a) => a.workflow.workflowId).join(', '),
    CreatedAt: formatTime(d.info.createdAt),
    LastUpdateAt: formatTime(d.info.lastUpdatedAt),
    ActionCounts: `total ${d.info.numActionsTaken}, missed catch-up window ${d.info.numActionsMissedCatchupWindow}, skipped (overlap) ${d.info.numActionsSkippedOverlap}`,
  };
}

async function describe(args: CommandArgs): Promise<void> {
  await withClient(args, async (client, ctx) => {
    const description = await client.schedule.getHandle(scheduleId(args)).describe();
    if (ctx.printer.json) ctx.printer.document(protoJson(DescribeResponse, description.raw, { shorthand: false }));
    else ctx.printer.card(describeCard(description), '');
  });
}

/** Runs a change on one schedule and prints `message` (table) or `{ scheduleId, ...ack }` (JSON). */
function change(args: CommandArgs, message: string, ack: Record<string, unknown>, fn: (handle: ScheduleHandle) => Promise<void>): Promise<void> {
  return withClient(args, async (client, ctx) => {
    await fn(client.schedule.getHandle(scheduleId(args)));
    if (ctx.printer.json) ctx.printer.document({ scheduleId: scheduleId(args), ...ack });
    else ctx.printer.line(message);
  });
}

const DEFAULT_REASON = '(no reason provided)';

async function pauseOrUnpause(args: CommandArgs, pause: boolean): Promise<void> {
  const note = args.values.reason ?? DEFAULT_REASON;
  const message = pause ? 'Schedule paused' : 'Schedule unpaused';
  await change(args, message, { paused: pause, note }, (h) => (pause ? h.pause(note) : h.unpause(note)));
}

async function toggle(args: CommandArgs): Promise<void> {
  const pause = args.bools.pause === true;
  if (pause === (args.bools.unpause === true)) throw new CliError('give exactly one of --pause and --unpause');
  await pauseOrUnpause(args, pause);
}

async function trigger(args: CommandArgs): Promise<void> {
  const overlap = parseOverlapPolicy(args.values['overlap-policy'] ?? 'Skip');
  await change(args, 'Schedule triggered', { triggered: true, overlapPolicy: overlap }, (h) => h.trigger(overlap));
}

async function backfill(args: CommandArgs): Promise<void> {
  const start = parseTimestamp(args.values['start-time'] ?? '', 'start-time');
  const end = parseTimestamp(args.values['end-time'] ?? '', 'end-time');
  if (end.getTime() < start.getTime()) throw new CliError('--end-time is before --start-time');
  const overlap = parseOverlapPolicy(args.values['overlap-policy']);
  const ack = { backfill: { startTime: start, endTime: end, overlapPolicy: overlap } };
  await change(args, 'Backfill request sent', ack, (h) => h.backfill({ start, end, overlap }));
}

export const SCHEDULE_LIST: CommandDef = {
  name: 'list',
  summary: 'List the schedules of the namespace',
  examples: ['duraflow schedule list', 'duraflow schedule list -o json'],
  flags: QUERY_FLAG,
  run: list,
};

export const SCHEDULE_DESCRIBE: CommandDef = {
  name: 'describe',
  summary: 'Show a schedule: spec, action, policies, state and recent and next actions',
  examples: ['duraflow schedule describe --schedule-id nightly'],
  flags: SCHEDULE_ID_FLAG,
  run: describe,
};

export const SCHEDULE_PAUSE: CommandDef = {
  name: 'pause',
  summary: 'Pause a schedule',
  examples: ['duraflow schedule pause --schedule-id nightly --reason "maintenance"'],
  flags: { ...SCHEDULE_ID_FLAG, ...REASON_FLAG },
  run: (args) => pauseOrUnpause(args, true),
};

export const SCHEDULE_UNPAUSE: CommandDef = {
  name: 'unpause',
  summary: 'Unpause a schedule',
  examples: ['duraflow schedule unpause --schedule-id nightly'],
  flags: { ...SCHEDULE_ID_FLAG, ...REASON_FLAG },
  run: (args) => pauseOrUnpause(args, false),
};

export const SCHEDULE_TOGGLE: CommandDef = {
  name: 'toggle',
  summary: 'Pause or unpause a schedule (--pause | --unpause), as "temporal schedule toggle"',
  examples: ['duraflow schedule toggle --schedule-id nightly --pause --reason "maintenance"'],
  flags: {
    ...SCHEDULE_ID_FLAG,
    ...REASON_FLAG,
    pause: { kind: 'bool', description: 'Pause the schedule' },
    unpause: { kind: 'bool', description: 'Unpause the schedule' },
  },
  hidden: true,
  run: toggle,
};

export const SCHEDULE_TRIGGER: CommandDef = {
  name: 'trigger',
  summary: "Take the schedule's action now",
  examples: ['duraflow schedule trigger --schedule-id nightly --overlap-policy AllowAll'],
  flags: { ...SCHEDULE_ID_FLAG, ...OVERLAP_FLAG },
  run: trigger,
};

export const SCHEDULE_BACKFILL: CommandDef = {
  name: 'backfill',
  summary: 'Take the actions the schedule would have taken in a past time range',
  examples: ['duraflow schedule backfill -s nightly --start-time 2024-05-01T00:00:00Z --end-time 2024-05-08T00:00:00Z --overlap-policy BufferAll'],
  flags: {
    ...SCHEDULE_ID_FLAG,
    'start-time': { kind: 'value', arg: 'TIME', required: true, description: 'Start of the range (RFC 3339)' },
    'end-time': { kind: 'value', arg: 'TIME', required: true, description: 'End of the range (RFC 3339)' },
    'overlap-policy': { kind: 'value', arg: 'POLICY', description: "Overlap policy of the backfilled actions (default: the schedule's)" },
  },
  run: backfill,
};

export const SCHEDULE_DELETE: CommandDef = {
  name: 'delete',
  summary: 'Delete a schedule (workflows it started keep running)',
  examples: ['duraflow schedule delete --schedule-id nightly'],
  flags: SCHEDULE_ID_FLAG,
  run: (args) => change(args, 'Schedule deleted', { deleted: true }, (h) => h.delete()),
};
