/**
 * `duraflow activity pause|unpause|reset`: an operator's hold on a workflow's pending activities, as
 * `temporal activity …` does it. A paused activity gets no new attempt (a running one is told at its
 * next heartbeat); unpausing dispatches it; resetting starts it over at attempt 1.
 *
 * @example
 * ```sh
 * duraflow activity pause --workflow-id order-1 --activity-id 1 --reason "payment provider down"
 * duraflow activity unpause --workflow-id order-1 --activity-type charge --reset-attempts
 * duraflow activity reset --workflow-id order-1 --activity-id 1 --keep-paused
 * ```
 */
import { randomUUID } from 'node:crypto';
import { durationFromMs } from '../proto/index.js';
import { CLIENT_FLAGS, withClient } from './client-flags.js';
import type { CommandArgs, CommandDef, CommandGroup, FlagDefs } from './command.js';
import { CliError } from './flags.js';
import { parseDuration } from './values.js';
import type { Client } from '../client/index.js';
import { serviceCall } from './rpc.js';

const TARGET_FLAGS: FlagDefs = {
  'workflow-id': { kind: 'value', short: 'w', arg: 'ID', required: true, description: 'Workflow ID' },
  'run-id': { kind: 'value', short: 'r', arg: 'ID', description: 'Run ID (default: the latest run)' },
  'activity-id': { kind: 'value', short: 'a', arg: 'ID', description: 'The activity (or --activity-type)' },
  'activity-type': { kind: 'value', arg: 'TYPE', description: 'Every pending activity of this type' },
};

/** The request fields naming the workflow and its activities (`matchAll` when `all` allows it). */
function target(args: CommandArgs, all?: 'matchAll' | 'unpauseAll') {
  const id = args.values['activity-id'];
  const type = args.values['activity-type'];
  const every = all !== undefined && args.bools['match-all'] === true;
  if ([id !== undefined, type !== undefined, every].filter(Boolean).length !== 1) {
    throw new CliError(`give exactly one of --activity-id, --activity-type${all ? ' and --match-all' : ''}`);
  }
  const execution = { workflowId: args.values['workflow-id'] ?? '', runId: args.values['run-id'] ?? '' };
  return { execution, id, type, ...(every && all ? { [all]: true } : {}) };
}

type Service = Client['workflowService'];

/** Runs one operator call and prints `message` (table) or the target with `done: true` (JSON). */
function operate(args: CommandArgs, call: string, message: string, send: (service: Service, namespace: string, identity: string) => Promise<unknown>): Promise<void> {
  return withClient(args, async (client, ctx) => {
    // (No workflow target: a NOT_FOUND here may be the activity's, and the server's message says which.)
    await serviceCall(call, ctx.namespace, () => send(client.workflowService, ctx.namespace, ctx.identity ?? 'duraflow-cli'));
    if (ctx.printer.json) ctx.printer.document({ workflowId: args.values['workflow-id'], activityId: args.values['activity-id'], activityType: args.values['activity-type'], done: true });
    else ctx.printer.line(message);
  });
}

const jitter = (args: CommandArgs) => (args.values.jitter === undefined ? undefined : durationFromMs(parseDuration(args.values.jitter, 'jitter')));

const PAUSE: CommandDef = {
  name: 'pause',
  summary: 'Pause activities: no new attempts until unpaused (a running one hears of it at its next heartbeat)',
  examples: ['duraflow activity pause -w order-1 --activity-id 1 --reason "payment provider down"'],
  flags: { ...TARGET_FLAGS, reason: { kind: 'value', arg: 'TEXT', description: 'Why' } },
  run: (args) =>
    operate(args, 'PauseActivity', 'Activity paused', (service, namespace, identity) =>
      service.pauseActivity({ namespace, ...target(args), identity, reason: args.values.reason ?? '', requestId: randomUUID() })),
};

/** What unpause and reset share: how the activity is dispatched again. */
const REDISPATCH_FLAGS: FlagDefs = {
  'reset-heartbeats': { kind: 'bool', description: 'Forget the heartbeat details' },
  jitter: { kind: 'value', arg: 'DURATION', description: 'Dispatch at a random time within this' },
};

const UNPAUSE: CommandDef = {
  name: 'unpause',
  summary: 'Unpause activities: a waiting one is dispatched at once (or after --jitter)',
  examples: ['duraflow activity unpause -w order-1 --activity-type charge --reset-attempts'],
  flags: {
    ...TARGET_FLAGS,
    'match-all': { kind: 'bool', description: 'Every paused activity of the workflow' },
    'reset-attempts': { kind: 'bool', description: 'Start over at attempt 1' },
    ...REDISPATCH_FLAGS,
  },
  run: (args) =>
    operate(args, 'UnpauseActivity', 'Activity unpaused', (service, namespace, identity) =>
      service.unpauseActivity({
        namespace,
        ...target(args, 'unpauseAll'),
        identity,
        resetAttempts: args.bools['reset-attempts'] === true,
        resetHeartbeat: args.bools['reset-heartbeats'] === true,
        jitter: jitter(args),
      })),
};

const RESET: CommandDef = {
  name: 'reset',
  summary: 'Reset activities to attempt 1 (a running one hears of it at its next heartbeat)',
  examples: ['duraflow activity reset -w order-1 --activity-id 1 --keep-paused'],
  flags: {
    ...TARGET_FLAGS,
    'match-all': { kind: 'bool', description: 'Every pending activity of the workflow' },
    'keep-paused': { kind: 'bool', description: 'Leave a paused activity paused' },
    ...REDISPATCH_FLAGS,
  },
  run: (args) =>
    operate(args, 'ResetActivity', 'Activity reset', (service, namespace, identity) =>
      service.resetActivity({
        namespace,
        ...target(args, 'matchAll'),
        identity,
        keepPaused: args.bools['keep-paused'] === true,
        resetHeartbeat: args.bools['reset-heartbeats'] === true,
        jitter: jitter(args),
      })),
};

export const ACTIVITY_GROUP: CommandGroup = {
  name: 'activity',
  summary: 'Pause, unpause and reset a workflow\'s pending activities',
  commands: [PAUSE, UNPAUSE, RESET],
  sharedFlags: CLIENT_FLAGS,
  sharedFlagsTitle: 'Connection and output flags',
};
