/**
 * `duraflow workflow start` and `duraflow workflow execute`: start a workflow execution from the
 * command line (and, for `execute`, follow its history and print its result), with the flags of
 * `temporal workflow start` / `execute`.
 *
 * @example
 * ```sh
 * duraflow workflow start --type greet --task-queue main --workflow-id greet-1 --input '"Ada"'
 * duraflow workflow execute --type greet --task-queue main --input '"Ada"' -o json
 * ```
 */
import { randomUUID } from 'node:crypto';
import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy, type Client, type Priority, type WorkflowStartOptions } from '../client/index.js';
import { withClient, type ClientContext } from './client-flags.js';
import type { CommandArgs, CommandDef, FlagDefs } from './command.js';
import { WorkflowOutcomeError } from './errors.js';
import { CliError } from './flags.js';
import { INPUT_FLAGS, readInputs, readKeyValues } from './payloads.js';
import { parseCount, parseDuration, parseEnum } from './values.js';
import { EventTablePrinter, historyEvents } from './workflow-history.js';
import { failureText, isCloseEvent, outcomeOf, printResults, waitForCloseEvent, type HistoryEvent, type Outcome } from './workflow-outcome.js';

/** The flags that describe the workflow to start (shared with `schedule create`). */
export const WORKFLOW_ACTION_FLAGS: FlagDefs = {
  'workflow-id': { kind: 'value', short: 'w', arg: 'ID', description: 'Workflow ID (default: a random UUID)' },
  type: { kind: 'value', arg: 'NAME', required: true, aliases: ['workflow-type'], description: 'Workflow type name' },
  'task-queue': { kind: 'value', short: 't', arg: 'QUEUE', required: true, description: 'Task queue the workflow runs on' },
  ...INPUT_FLAGS,
  'run-timeout': { kind: 'value', arg: 'DURATION', description: 'Fail a run that lasts longer than this' },
  'execution-timeout': { kind: 'value', arg: 'DURATION', description: 'Fail the execution (all runs) if it lasts longer than this' },
  'task-timeout': { kind: 'value', arg: 'DURATION', description: 'Workflow task start-to-close timeout (default 10s)' },
  memo: { kind: 'list', arg: 'KEY=JSON', description: 'A memo entry' },
  'search-attribute': { kind: 'list', arg: 'KEY=JSON', description: 'A search attribute of the workflow' },
  'static-summary': { kind: 'value', arg: 'TEXT', description: 'One-line summary shown in UIs' },
  'static-details': { kind: 'value', arg: 'TEXT', description: 'Longer details shown in UIs' },
  'priority-key': { kind: 'value', arg: 'KEY', description: 'Priority key: 1 (dispatched first) to 5 (last); the server treats unset as 3' },
  'fairness-key': { kind: 'value', arg: 'KEY', description: 'Fairness bucket among tasks of the same priority' },
  'fairness-weight': { kind: 'value', arg: 'WEIGHT', description: 'Weight of the fairness bucket' },
};

const START_ONLY_FLAGS: FlagDefs = {
  'id-reuse-policy': {
    kind: 'value',
    arg: 'POLICY',
    description: 'When a closed workflow has the same ID: AllowDuplicate, AllowDuplicateFailedOnly, RejectDuplicate, TerminateIfRunning',
  },
  'id-conflict-policy': { kind: 'value', arg: 'POLICY', description: 'When a running workflow has the same ID: Fail, UseExisting, TerminateExisting' },
  'fail-existing': { kind: 'bool', description: 'Fail if the workflow is already running (the default)' },
  'start-delay': { kind: 'value', arg: 'DURATION', description: 'Wait this long before the first workflow task' },
  cron: { kind: 'value', arg: 'CRON', description: 'Cron schedule of the workflow (deprecated in favour of schedules)' },
};

const durationOf = (args: CommandArgs, flag: string): number | undefined => {
  const text = args.values[flag];
  return text === undefined ? undefined : parseDuration(text, flag);
};

/** Search attributes given as KEY=JSON, each value as a list as the untyped form requires. */
function searchAttributesOf(args: CommandArgs): Record<string, unknown[]> | undefined {
  const entries = readKeyValues(args.lists['search-attribute'], 'search-attribute');
  if (!entries) return undefined;
  return Object.fromEntries(Object.entries(entries).map(([k, v]) => [k, Array.isArray(v) ? v : [v]]));
}

/** The action part of the start options: what `schedule create` needs as well. */
export function workflowActionOptions(args: CommandArgs): WorkflowStartOptions & { workflowType: string } {
  return {
    workflowType: args.values.type ?? '',
    workflowId: args.values['workflow-id'] ?? randomUUID(),
    taskQueue: args.values['task-queue'] ?? '',
    args: readInputs(args),
    workflowRunTimeout: durationOf(args, 'run-timeout'),
    workflowExecutionTimeout: durationOf(args, 'execution-timeout'),
    workflowTaskTimeout: durationOf(args, 'task-timeout'),
    memo: readKeyValues(args.lists.memo, 'memo'),
    searchAttributes: searchAttributesOf(args) as WorkflowStartOptions['searchAttributes'],
    staticSummary: args.values['static-summary'],
    staticDetails: args.values['static-details'],
    priority: priorityOf(args),
  };
}

/** `--priority-key`, `--fairness-key` and `--fairness-weight`, if any is given. */
function priorityOf(args: CommandArgs): Priority | undefined {
  const key = args.values['priority-key'];
  const fairnessKey = args.values['fairness-key'];
  const weight = args.values['fairness-weight'];
  if (key === undefined && fairnessKey === undefined && weight === undefined) return undefined;
  const fairnessWeight = weight === undefined ? undefined : Number(weight);
  if (fairnessWeight !== undefined && !(fairnessWeight > 0 && Number.isFinite(fairnessWeight))) {
    throw new CliError(`--fairness-weight must be a positive number; got "${weight}"`);
  }
  return { priorityKey: key === undefined ? undefined : parseCount(key, 'priority-key'), fairnessKey, fairnessWeight };
}

function startOptions(args: CommandArgs): WorkflowStartOptions & { workflowType: string } {
  const reuse = parseEnum(args.values['id-reuse-policy'], Object.values(WorkflowIdReusePolicy), 'id-reuse-policy');
  const conflict = parseEnum(args.values['id-conflict-policy'], Object.values(WorkflowIdConflictPolicy), 'id-conflict-policy');
  return {
    ...workflowActionOptions(args),
    workflowIdReusePolicy: reuse,
    workflowIdConflictPolicy: conflict,
    startDelay: durationOf(args, 'start-delay'),
    cronSchedule: args.values.cron,
  };
}

interface Started {
  workflowId: string;
  runId: string;
  type: string;
  namespace: string;
  taskQueue: string;
}

async function startWorkflow(client: Client, ctx: ClientContext, args: CommandArgs): Promise<Started> {
  const { workflowType, ...options } = startOptions(args);
  const handle = await client.workflow.start(workflowType, options);
  return { workflowId: handle.workflowId, runId: handle.firstExecutionRunId, type: workflowType, namespace: ctx.namespace, taskQueue: options.taskQueue };
}

function printStarted(ctx: ClientContext, started: Started): void {
  ctx.printer.line('Running execution:');
  ctx.printer.card({ WorkflowId: started.workflowId, RunId: started.runId, Type: started.type, Namespace: started.namespace, TaskQueue: started.taskQueue });
}

/** Fails the command (after the outcome was printed) unless the workflow completed. */
export function checkOutcome(outcome: Outcome): void {
  if (outcome.status === 'COMPLETED') return;
  const detail = outcome.failure ? `: ${failureText(outcome.failure)}` : '';
  throw new WorkflowOutcomeError(`workflow ${outcome.status.toLowerCase().replace('_', ' ')}${detail}`);
}

/** Table output of `execute`: events as they happen, following continue-as-new, until the last run closes. */
async function followProgress(client: Client, ctx: ClientContext, started: Started): Promise<HistoryEvent | undefined> {
  ctx.printer.line();
  const table = new EventTablePrinter(ctx.printer);
  let last: HistoryEvent | undefined;
  const target = { workflowId: started.workflowId, runId: started.runId };
  for await (const event of historyEvents(client, ctx.namespace, target, { follow: true, followRuns: true })) {
    table.print(event);
    if (isCloseEvent(event)) last = event;
  }
  ctx.printer.line();
  return last;
}

async function execute(args: CommandArgs): Promise<void> {
  await withClient(args, async (client, ctx) => {
    const startedAt = Date.now();
    const started = await startWorkflow(client, ctx, args);
    let closeEvent: HistoryEvent | undefined;
    if (ctx.printer.json) {
      closeEvent = (await waitForCloseEvent(client, ctx.namespace, started)).event;
    } else {
      printStarted(ctx, started);
      closeEvent = await followProgress(client, ctx, started);
    }
    if (!closeEvent) throw new Error(`history of workflow ${started.workflowId} ended without a close event`);
    const outcome = outcomeOf(closeEvent);
    const durationMillis = Date.now() - startedAt;
    if (ctx.printer.json) ctx.printer.document({ ...started, durationMillis, ...outcome });
    else printResults(ctx.printer, outcome, durationMillis);
    checkOutcome(outcome);
  });
}

export const WORKFLOW_START: CommandDef = {
  name: 'start',
  summary: 'Start a workflow execution; prints its workflow and run IDs',
  examples: [`duraflow workflow start --type greet --task-queue main --workflow-id greet-1 --input '"Ada"'`],
  flags: { ...WORKFLOW_ACTION_FLAGS, ...START_ONLY_FLAGS },
  run: (args) =>
    withClient(args, async (client, ctx) => {
      const started = await startWorkflow(client, ctx, args);
      if (ctx.printer.json) ctx.printer.document(started);
      else printStarted(ctx, started);
    }),
};

export const WORKFLOW_EXECUTE: CommandDef = {
  name: 'execute',
  summary: 'Start a workflow execution, show its progress and wait for its result',
  examples: [`duraflow workflow execute --type greet --task-queue main --input '"Ada"'`],
  flags: { ...WORKFLOW_ACTION_FLAGS, ...START_ONLY_FLAGS },
  run: execute,
};
