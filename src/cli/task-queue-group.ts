/**
 * `duraflow task-queue describe`: the workers that polled a task queue recently (the server forgets
 * one five minutes after its last poll) and the queue's backlog, task rates and dispatch rate limit,
 * per task type.
 *
 * @example
 * ```sh
 * duraflow task-queue describe --task-queue orders
 * duraflow task-queue describe -t orders --task-queue-type activity -o json
 * ```
 */
import { msFromDuration, msFromTs, temporal } from '../proto/index.js';
import { CLIENT_FLAGS, withClient } from './client-flags.js';
import type { CommandArgs, CommandDef, CommandGroup } from './command.js';
import { formatTime, type Printer } from './output.js';
import { serviceCall } from './rpc.js';

const { TaskQueueType } = temporal.api.enums.v1;
const TYPES = { workflow: TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW, activity: TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY } as const;
type TypeName = keyof typeof TYPES;

interface QueueTypeReport {
  taskQueueType: TypeName;
  pollers: Array<{ identity: string; lastAccessTime: Date | undefined; ratePerSecond: number }>;
  stats: { approximateBacklogCount: number; approximateBacklogAgeMs: number; tasksAddRate: number; tasksDispatchRate: number };
  /** The dispatch rate limit in force and who set it: `api` (task queue config), `worker` or `system` (none). */
  rateLimit: { requestsPerSecond: number; source: string };
}

const RATE_LIMIT_SOURCES: Record<number, string> = { 1: 'api', 2: 'worker', 3: 'system' };

async function describe(args: CommandArgs): Promise<void> {
  const taskQueue = args.values['task-queue'] ?? '';
  const types = (args.lists['task-queue-type'] ?? ['workflow', 'activity']) as TypeName[];
  await withClient(args, async (client, ctx) => {
    const reports: QueueTypeReport[] = [];
    for (const type of types) {
      const request = { namespace: ctx.namespace, taskQueue: { name: taskQueue }, taskQueueType: TYPES[type], reportStats: true };
      const r = await serviceCall('DescribeTaskQueue', ctx.namespace, () => client.workflowService.describeTaskQueue(request));
      reports.push({
        taskQueueType: type,
        pollers: r.pollers.map((p) => ({
          identity: p.identity ?? '',
          lastAccessTime: p.lastAccessTime ? new Date(msFromTs(p.lastAccessTime) ?? 0) : undefined,
          ratePerSecond: p.ratePerSecond ?? 0,
        })),
        stats: {
          approximateBacklogCount: Number(r.stats?.approximateBacklogCount ?? 0),
          approximateBacklogAgeMs: msFromDuration(r.stats?.approximateBacklogAge) ?? 0,
          tasksAddRate: r.stats?.tasksAddRate ?? 0,
          tasksDispatchRate: r.stats?.tasksDispatchRate ?? 0,
        },
        rateLimit: {
          requestsPerSecond: r.effectiveRateLimit?.requestsPerSecond ?? 0,
          source: RATE_LIMIT_SOURCES[r.effectiveRateLimit?.rateLimitSource ?? 0] ?? 'unspecified',
        },
      });
    }
    if (ctx.printer.json) return ctx.printer.document({ taskQueue, types: reports });
    printTables(ctx.printer, reports);
  });
}

function printTables(printer: Printer, reports: readonly QueueTypeReport[]): void {
  const rate = (n: number): string => (Math.round(n * 100) / 100).toString();
  printer.line('Pollers:');
  const pollers = reports.flatMap((r) =>
    r.pollers.map((p) => ({ Type: r.taskQueueType, Identity: p.identity, LastAccessTime: formatTime(p.lastAccessTime), RatePerSecond: rate(p.ratePerSecond) })),
  );
  if (pollers.length === 0) printer.line('  (none in the last 5 minutes)');
  else printer.table(pollers, ['Type', 'Identity', 'LastAccessTime', 'RatePerSecond']);
  printer.line('Tasks:');
  printer.table(
    reports.map((r) => ({
      Type: r.taskQueueType,
      Backlog: String(r.stats.approximateBacklogCount),
      BacklogAge: `${(r.stats.approximateBacklogAgeMs / 1000).toFixed(1)}s`,
      AddedPerSecond: rate(r.stats.tasksAddRate),
      DispatchedPerSecond: rate(r.stats.tasksDispatchRate),
      RateLimit: `${rate(r.rateLimit.requestsPerSecond)} (${r.rateLimit.source})`,
    })),
    ['Type', 'Backlog', 'BacklogAge', 'AddedPerSecond', 'DispatchedPerSecond', 'RateLimit'],
  );
}

const TASK_QUEUE_DESCRIBE: CommandDef = {
  name: 'describe',
  summary: 'Show the workers polling a task queue, and its backlog and task rates',
  examples: ['duraflow task-queue describe --task-queue orders', 'duraflow task-queue describe -t orders --task-queue-type activity -o json'],
  flags: {
    'task-queue': { kind: 'value', short: 't', arg: 'NAME', required: true, description: 'Task queue' },
    'task-queue-type': {
      kind: 'list',
      arg: 'TYPE',
      choices: ['workflow', 'activity'],
      description: 'workflow or activity (repeatable; default: both)',
    },
  },
  run: describe,
};

export const TASK_QUEUE_GROUP: CommandGroup = {
  name: 'task-queue',
  summary: 'Inspect task queues',
  commands: [TASK_QUEUE_DESCRIBE],
  sharedFlags: CLIENT_FLAGS,
  sharedFlagsTitle: 'Connection and output flags',
};
