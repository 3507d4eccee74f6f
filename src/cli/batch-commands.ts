/**
 * Batch operations from the command line: `workflow terminate|cancel|signal|delete --query Q` start
 * one on the server (every workflow the visibility query matches), and `duraflow batch
 * describe|list|terminate` follow and stop them, as the `temporal` CLI does.
 *
 * @example
 * ```sh
 * duraflow workflow terminate --query "WorkflowType = 'order' AND ExecutionStatus = 'Running'" --yes
 * duraflow batch describe --job-id 6f1c…
 * ```
 */
import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import { createInterface } from 'node:readline/promises';
import { defaultIdentity } from '../client/identity.js';
import type { Client } from '../client/index.js';
import { msFromTs, temporal } from '../proto/index.js';
import { CLIENT_FLAGS, withClient } from './client-flags.js';
import type { CommandArgs, CommandDef, CommandGroup, FlagDefs } from './command.js';
import { CliError } from './flags.js';
import { formatTime } from './output.js';
import { protoJson } from './payloads.js';
import { parseCount } from './values.js';
import { serviceCall } from './rpc.js';

const { BatchOperationState, BatchOperationType } = temporal.api.enums.v1;
const DescribeResponse = temporal.api.workflowservice.v1.DescribeBatchOperationResponse;

/** The flags that turn a single-workflow command into a batch over a query. */
export const BATCH_TARGET_FLAGS: FlagDefs = {
  'workflow-id': { kind: 'value', short: 'w', arg: 'ID', description: 'Workflow ID (or --query)' },
  'run-id': { kind: 'value', short: 'r', arg: 'ID', description: 'Run ID (default: the latest run)' },
  query: { kind: 'value', short: 'q', arg: 'QUERY', description: 'Every workflow this visibility query matches, as a batch operation on the server' },
  yes: { kind: 'bool', short: 'y', description: 'With --query: do not ask for confirmation (required when not interactive)' },
  rps: { kind: 'value', arg: 'N', description: 'With --query: operations per second (server default 50)' },
  reason: { kind: 'value', arg: 'TEXT', description: 'Why (default: "Requested from CLI by <user>")' },
};

/** The reason recorded when none is given: `Requested from CLI by <user>`. */
export function defaultReason(): string {
  let user = '<unknown-user>';
  try {
    user = userInfo().username || user;
  } catch {
    // No user entry (e.g. an arbitrary uid in a container).
  }
  return `Requested from CLI by ${user}`;
}

/** Whether the command names one workflow (--workflow-id) or a batch (--query); exactly one of them. */
export function isBatch(args: CommandArgs): boolean {
  const byQuery = args.values.query !== undefined;
  if (byQuery === (args.values['workflow-id'] !== undefined)) throw new CliError('give exactly one of --workflow-id and --query');
  if (byQuery && args.values['run-id'] !== undefined) throw new CliError('--run-id names one run: it does not go with --query');
  return byQuery;
}

/**
 * Starts a batch operation over `--query` (after confirming, unless --yes) and prints its job id.
 * `operation` is the request's operation field for the caller's identity, e.g. `{ terminationOperation: { identity } }`.
 */
export async function startBatch(args: CommandArgs, verb: string, reason: string, operation: (identity: string) => object): Promise<void> {
  const query = args.values.query ?? '';
  const rps = args.values.rps === undefined ? undefined : parseCount(args.values.rps, 'rps');
  await withClient(args, async (client, ctx) => {
    if (args.bools.yes !== true && !(await confirmed(client, query, verb))) {
      ctx.printer.line('Nothing done.');
      return;
    }
    const jobId = randomUUID();
    const request = { namespace: ctx.namespace, jobId, reason, visibilityQuery: query, maxOperationsPerSecond: rps, ...operation(ctx.identity ?? defaultIdentity()) };
    await serviceCall('StartBatchOperation', ctx.namespace, () => client.workflowService.startBatchOperation(request));
    if (ctx.printer.json) ctx.printer.document({ jobId });
    else ctx.printer.line(`Started batch for job ID: ${jobId}`);
  });
}

async function confirmed(client: Client, query: string, verb: string): Promise<boolean> {
  const { count } = await client.workflow.count(query);
  const what = `${verb} ${count} workflow${count === 1 ? '' : 's'} matching the query`;
  if (!process.stdin.isTTY) throw new CliError(`--query would ${what}: add --yes to go ahead`);
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(`Start a batch to ${what}? y/N `)).trim());
  } finally {
    rl.close();
  }
}

function jobIdOf(args: CommandArgs): string {
  return args.values['job-id'] ?? '';
}

const name = (values: Record<number, string>, value: number | null | undefined, prefix: string): string =>
  (values[value ?? 0] ?? String(value)).replace(prefix, '');

async function describe(args: CommandArgs): Promise<void> {
  await withClient(args, async (client, ctx) => {
    const d = await serviceCall('DescribeBatchOperation', ctx.namespace, () => client.workflowService.describeBatchOperation({ namespace: ctx.namespace, jobId: jobIdOf(args) }));
    if (ctx.printer.json) return ctx.printer.document(protoJson(DescribeResponse, d, { shorthand: false }));
    ctx.printer.card({
      JobId: d.jobId,
      Type: name(BatchOperationType, d.operationType, 'BATCH_OPERATION_TYPE_'),
      State: name(BatchOperationState, d.state, 'BATCH_OPERATION_STATE_'),
      StartTime: formatTime(d.startTime ? new Date(msFromTs(d.startTime) ?? 0) : undefined),
      CloseTime: formatTime(d.closeTime ? new Date(msFromTs(d.closeTime) ?? 0) : undefined),
      Total: String(d.totalOperationCount ?? 0),
      Complete: String(d.completeOperationCount ?? 0),
      Failure: String(d.failureOperationCount ?? 0),
      Reason: d.reason,
      Query: d.query,
    });
  });
}

async function list(args: CommandArgs): Promise<void> {
  const limit = args.values.limit === undefined ? 100 : parseCount(args.values.limit, 'limit');
  await withClient(args, async (client, ctx) => {
    const r = await serviceCall('ListBatchOperations', ctx.namespace, () => client.workflowService.listBatchOperations({ namespace: ctx.namespace, pageSize: limit }));
    const rows = r.operationInfo.map((o) => ({
      JobId: o.jobId ?? '',
      Type: name(BatchOperationType, o.operationType, 'BATCH_OPERATION_TYPE_'),
      State: name(BatchOperationState, o.state, 'BATCH_OPERATION_STATE_'),
      StartTime: formatTime(o.startTime ? new Date(msFromTs(o.startTime) ?? 0) : undefined),
      CloseTime: formatTime(o.closeTime ? new Date(msFromTs(o.closeTime) ?? 0) : undefined),
    }));
    if (ctx.printer.json) {
      ctx.printer.startList();
      for (const row of rows) ctx.printer.listItem(row);
      ctx.printer.endList();
    } else {
      ctx.printer.table(rows, ['JobId', 'Type', 'State', 'StartTime', 'CloseTime']);
    }
  });
}

async function stop(args: CommandArgs): Promise<void> {
  const reason = args.values.reason ?? '';
  await withClient(args, async (client, ctx) => {
    await serviceCall('StopBatchOperation', ctx.namespace, () =>
      client.workflowService.stopBatchOperation({ namespace: ctx.namespace, jobId: jobIdOf(args), reason, identity: ctx.identity ?? defaultIdentity() }),
    );
    if (ctx.printer.json) ctx.printer.document({ jobId: jobIdOf(args), stopped: true });
    else ctx.printer.line('Batch job stopped');
  });
}

const JOB_ID_FLAG: FlagDefs = { 'job-id': { kind: 'value', short: 'j', arg: 'ID', required: true, description: 'Batch job ID' } };

export const BATCH_GROUP: CommandGroup = {
  name: 'batch',
  summary: 'Follow and stop batch operations (started by workflow terminate|cancel|signal|delete --query)',
  commands: [
    { name: 'describe', summary: 'Show a batch job: state and counts', examples: ['duraflow batch describe --job-id 6f1c…'], flags: JOB_ID_FLAG, run: describe },
    {
      name: 'list',
      summary: 'List batch jobs, newest first',
      examples: ['duraflow batch list'],
      flags: { limit: { kind: 'value', arg: 'N', description: 'At most this many (default 100)' } },
      run: list,
    },
    {
      name: 'terminate',
      summary: 'Stop a running batch job',
      examples: ['duraflow batch terminate --job-id 6f1c… --reason "wrong query"'],
      flags: { ...JOB_ID_FLAG, reason: { kind: 'value', arg: 'TEXT', required: true, description: 'Why' } },
      run: stop,
    },
  ] satisfies CommandDef[],
  sharedFlags: CLIENT_FLAGS,
  sharedFlagsTitle: 'Connection and output flags',
};
