/**
 * Read-only workflow commands: `list`, `count`, `describe`, `show` (the event history, `--follow`
 * to keep printing new events until the workflow closes) and `result`.
 *
 * JSON output follows `temporal … -o json`: `list` prints an array of WorkflowExecutionInfo
 * (`-o jsonl`: one per line), `describe` the DescribeWorkflowExecution response, `show` the history
 * as `{"events": [...]}` with payloads left encoded so replayers can read it (with `--follow`, once
 * the workflow has closed; `-o jsonl` prints each event as it arrives instead). In table format
 * `--follow` goes on into the next run after a continue-as-new; JSON output stays with one run.
 *
 * @example
 * ```sh
 * duraflow workflow list --query "ExecutionStatus = 'Running'"
 * duraflow workflow show --workflow-id order-1 --follow
 * ```
 */
import type { WorkflowExecutionDescription } from '../client/index.js';
import { temporal } from '../proto/index.js';
import { withClient, type ClientContext } from './client-flags.js';
import type { CommandArgs, CommandDef, FlagDefs } from './command.js';
import { formatTime } from './output.js';
import { protoJson } from './payloads.js';
import { parseCount, pascalName } from './values.js';
import { checkOutcome } from './workflow-start.js';
import { EventTablePrinter, eventJson, historyEvents } from './workflow-history.js';
import { closeEventOfRun, isCloseEvent, outcomeOf, printResults, waitForCloseEvent, type HistoryEvent } from './workflow-outcome.js';

const ExecutionInfo = temporal.api.workflow.v1.WorkflowExecutionInfo;
const DescribeResponse = temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;

/** `--workflow-id` (required) and `--run-id`. */
export const WORKFLOW_REF_FLAGS: FlagDefs = {
  'workflow-id': { kind: 'value', short: 'w', arg: 'ID', required: true, description: 'Workflow ID' },
  'run-id': { kind: 'value', short: 'r', arg: 'ID', description: 'Run ID (default: the latest run)' },
};

/** The workflow execution named by `--workflow-id` / `--run-id`. */
export function workflowRef(args: CommandArgs): { workflowId: string; runId?: string } {
  return { workflowId: args.values['workflow-id'] ?? '', runId: args.values['run-id'] };
}

const QUERY_FLAG: FlagDefs = {
  query: { kind: 'value', short: 'q', arg: 'QUERY', description: `Visibility query, e.g. "WorkflowType = 'greet' AND ExecutionStatus = 'Running'"` },
};

async function list(args: CommandArgs): Promise<void> {
  const limit = args.values.limit === undefined ? undefined : parseCount(args.values.limit, 'limit') || undefined;
  const pageSize = args.values['page-size'] === undefined ? undefined : parseCount(args.values['page-size'], 'page-size');
  await withClient(args, async (client, ctx) => {
    const rows: Record<string, unknown>[] = [];
    if (ctx.printer.json) ctx.printer.startList();
    for await (const info of client.workflow.list({ query: args.values.query, pageSize: pageSize || undefined })) {
      if (limit !== undefined && rows.length >= limit) break;
      rows.push({ Status: pascalName(info.status.name), WorkflowId: info.workflowId, Type: info.type, StartTime: formatTime(info.startTime) });
      if (ctx.printer.json) ctx.printer.listItem(protoJson(ExecutionInfo, info.raw, { shorthand: true }));
    }
    if (ctx.printer.json) ctx.printer.endList();
    else ctx.printer.table(rows, ['Status', 'WorkflowId', 'Type', 'StartTime']);
  });
}

async function count(args: CommandArgs): Promise<void> {
  await withClient(args, async (client, ctx) => {
    const result = await client.workflow.count(args.values.query);
    if (ctx.printer.json) {
      ctx.printer.document(result);
      return;
    }
    ctx.printer.line(`Total: ${result.count}`);
    for (const group of result.groups) ctx.printer.line(`  Group total: ${group.count}, values: ${JSON.stringify(group.groupValues)}`);
  });
}

function printPendingActivities(ctx: ClientContext, raw: WorkflowExecutionDescription['raw']): void {
  const pending = raw.pendingActivities ?? [];
  ctx.printer.line();
  ctx.printer.line(`Pending Activities: ${pending.length}`);
  const State = temporal.api.enums.v1.PendingActivityState as unknown as Record<number, string>;
  const rows = pending.map((a) => ({
    ActivityId: a.activityId,
    Type: a.activityType?.name,
    State: pascalName((State[a.state ?? 0] ?? '').replace(/^PENDING_ACTIVITY_STATE_/, '')),
    Attempt: a.attempt,
    LastFailure: a.lastFailure?.message ?? '',
  }));
  if (rows.length > 0) ctx.printer.table(rows, ['ActivityId', 'Type', 'State', 'Attempt', 'LastFailure']);
  ctx.printer.line(`Pending Child Workflows: ${(raw.pendingChildren ?? []).length}`);
}

async function describe(args: CommandArgs): Promise<void> {
  const ref = workflowRef(args);
  await withClient(args, async (client, ctx) => {
    const description = await client.workflow.getHandle(ref.workflowId, ref.runId).describe();
    const running = description.status.name === 'RUNNING';
    const outcome = running ? undefined : outcomeOf(await closeEventOfRun(client, ctx.namespace, { workflowId: description.workflowId, runId: description.runId }));
    if (ctx.printer.json) {
      const json = protoJson(DescribeResponse, description.raw, { shorthand: true }) as Record<string, unknown>;
      ctx.printer.document(outcome ? { ...json, closeEvent: outcome.closeEvent, result: outcome.result } : json);
      return;
    }
    ctx.printer.line('Execution Info:');
    ctx.printer.card({
      WorkflowId: description.workflowId,
      RunId: description.runId,
      Type: description.type,
      Namespace: ctx.namespace,
      TaskQueue: description.taskQueue,
      Status: pascalName(description.status.name),
      StartTime: formatTime(description.startTime),
      ExecutionTime: formatTime(description.executionTime),
      CloseTime: formatTime(description.closeTime),
      HistoryLength: description.historyLength,
      HistorySize: description.historySize,
      Memo: description.memo && Object.keys(description.memo).length > 0 ? description.memo : undefined,
      SearchAttributes: Object.keys(description.searchAttributes).length > 0 ? description.searchAttributes : undefined,
      ParentWorkflowId: description.parentExecution?.workflowId,
      ParentRunId: description.parentExecution?.runId,
      StaticSummary: description.staticSummary,
      StaticDetails: description.staticDetails,
    });
    if (running) printPendingActivities(ctx, description.raw);
    else if (outcome) {
      ctx.printer.line();
      printResults(ctx.printer, outcome);
    }
  });
}

async function showHistory(args: CommandArgs): Promise<void> {
  const ref = workflowRef(args);
  const follow = args.bools.follow === true;
  await withClient(args, async (client, ctx) => {
    const printer = ctx.printer;
    const events = historyEvents(client, ctx.namespace, ref, { follow, followRuns: !printer.json });
    if (printer.format === 'json') {
      const all: unknown[] = [];
      for await (const event of events) all.push(eventJson(event));
      printer.document({ events: all });
      return;
    }
    if (printer.format === 'jsonl') {
      for await (const event of events) printer.document(eventJson(event));
      return;
    }
    const table = new EventTablePrinter(printer);
    let closeEvent: HistoryEvent | undefined;
    for await (const event of events) {
      table.print(event);
      if (isCloseEvent(event)) closeEvent = event;
    }
    if (closeEvent && follow) {
      printer.line();
      printResults(printer, outcomeOf(closeEvent));
    }
  });
}

async function result(args: CommandArgs): Promise<void> {
  const ref = workflowRef(args);
  await withClient(args, async (client, ctx) => {
    const description = await client.workflow.getHandle(ref.workflowId, ref.runId).describe();
    const closed = await waitForCloseEvent(client, ctx.namespace, { workflowId: description.workflowId, runId: description.runId });
    const outcome = outcomeOf(closed.event);
    if (ctx.printer.json) {
      const { workflowId, type, taskQueue } = description;
      ctx.printer.document({ workflowId, runId: closed.runId ?? description.runId, type, namespace: ctx.namespace, taskQueue, ...outcome });
    } else printResults(ctx.printer, outcome);
    checkOutcome(outcome);
  });
}

export const WORKFLOW_LIST: CommandDef = {
  name: 'list',
  summary: 'List workflow executions (optionally matching a visibility query)',
  examples: [`duraflow workflow list --query "ExecutionStatus = 'Running'"`, 'duraflow workflow list --limit 10 -o jsonl'],
  flags: {
    ...QUERY_FLAG,
    limit: { kind: 'value', arg: 'N', description: 'Show at most N executions (default 0: all)' },
    'page-size': { kind: 'value', arg: 'N', description: 'Executions fetched per call to the server' },
  },
  run: list,
};

export const WORKFLOW_COUNT: CommandDef = {
  name: 'count',
  summary: 'Count workflow executions (optionally matching a visibility query, GROUP BY ExecutionStatus)',
  examples: [`duraflow workflow count --query "WorkflowType = 'greet'"`],
  flags: QUERY_FLAG,
  run: count,
};

export const WORKFLOW_DESCRIBE: CommandDef = {
  name: 'describe',
  summary: 'Show information about a workflow execution',
  examples: ['duraflow workflow describe --workflow-id order-1'],
  flags: WORKFLOW_REF_FLAGS,
  run: describe,
};

export const WORKFLOW_SHOW: CommandDef = {
  name: 'show',
  summary: 'Show the event history of a workflow execution',
  examples: ['duraflow workflow show --workflow-id order-1', 'duraflow workflow show --workflow-id order-1 --follow', 'duraflow workflow show -w order-1 -o json > history.json'],
  flags: {
    ...WORKFLOW_REF_FLAGS,
    follow: { kind: 'bool', short: 'f', description: 'Keep printing new events until the workflow closes' },
  },
  run: showHistory,
};

export const WORKFLOW_RESULT: CommandDef = {
  name: 'result',
  summary: 'Wait for a workflow execution to close and show its result',
  examples: ['duraflow workflow result --workflow-id order-1'],
  flags: WORKFLOW_REF_FLAGS,
  run: result,
};
