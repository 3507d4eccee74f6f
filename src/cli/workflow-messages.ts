/**
 * Messages to a running workflow: `signal`, `query`, `update` (send and wait for the result; also
 * spelled `update execute`) and `update start` (wait until accepted), with the flags of the
 * `temporal` CLI (`--name`, `--input`, `--update-id`, `--reject-condition`).
 *
 * @example
 * ```sh
 * duraflow workflow signal --workflow-id cart-1 --name add --input '"book"'
 * duraflow workflow signal --query "WorkflowType = 'cart'" --name flush --yes   # a batch on the server
 * duraflow workflow query --workflow-id cart-1 --name items -o json
 * duraflow workflow update --workflow-id cart-1 --name addItem --input '"pen"'
 * ```
 */
import { randomUUID } from 'node:crypto';
import { QueryRejectCondition, WorkflowUpdateFailedError } from '../client/index.js';
import { defaultPayloadConverter, toPayloads } from '../common/index.js';
import { BATCH_TARGET_FLAGS, defaultReason, isBatch, startBatch } from './batch-commands.js';
import { withClient } from './client-flags.js';
import type { CommandArgs, CommandDef, FlagDefs } from './command.js';
import { INPUT_FLAGS, readInputs } from './payloads.js';
import { parseEnum } from './values.js';
import { WORKFLOW_REF_FLAGS, workflowRef } from './workflow-inspect.js';

const NAME_FLAG = (what: string): FlagDefs => ({
  name: { kind: 'value', arg: 'NAME', required: true, aliases: ['type'], description: `${what} name` },
});

async function signal(args: CommandArgs): Promise<void> {
  const name = args.values.name ?? '';
  const inputs = readInputs(args);
  if (isBatch(args)) {
    return startBatch(args, 'signal', args.values.reason ?? defaultReason(), (identity) => ({
      signalOperation: { signal: name, input: { payloads: toPayloads(defaultPayloadConverter, ...inputs) }, identity },
    }));
  }
  const ref = workflowRef(args);
  await withClient(args, async (client, ctx) => {
    await client.workflow.getHandle(ref.workflowId, ref.runId).signal(name, ...inputs);
    if (ctx.printer.json) ctx.printer.document({ workflowId: ref.workflowId, runId: ref.runId, signalName: name });
    else ctx.printer.line('Signal workflow succeeded');
  });
}

async function query(args: CommandArgs): Promise<void> {
  const ref = workflowRef(args);
  const name = args.values.name ?? '';
  const inputs = readInputs(args);
  const reject = parseEnum(args.values['reject-condition'], ['NOT_OPEN', 'NOT_COMPLETED_CLEANLY'] as const, 'reject-condition');
  const options = { workflow: { queryRejectCondition: reject ?? QueryRejectCondition.NONE } };
  await withClient(
    args,
    async (client, ctx) => {
      const value = await client.workflow.getHandle(ref.workflowId, ref.runId).query(name, ...inputs);
      if (ctx.printer.json) {
        ctx.printer.document({ queryResult: [value ?? null] });
        return;
      }
      ctx.printer.line('Query result:');
      ctx.printer.card({ QueryResult: JSON.stringify(value ?? null) });
    },
    options,
  );
}

/** Sends the update; with `waitForAccepted`, returns once the workflow accepted it, without its result. */
async function sendUpdate(args: CommandArgs, waitForAccepted: boolean): Promise<void> {
  const ref = workflowRef(args);
  const name = args.values.name ?? '';
  const inputs = readInputs(args);
  const updateId = args.values['update-id'] ?? randomUUID();
  await withClient(args, async (client, ctx) => {
    const handle = client.workflow.getHandle(ref.workflowId, ref.runId, { firstExecutionRunId: args.values['first-execution-run-id'] });
    let output: { name: string; updateId: string; result?: unknown };
    try {
      if (waitForAccepted) {
        await handle.startUpdate(name, { args: inputs, updateId, waitForStage: 'ACCEPTED' });
        output = { name, updateId };
      } else {
        const result = await handle.executeUpdate(name, { args: inputs, updateId });
        output = { name, updateId, result: result ?? null };
      }
    } catch (error) {
      if (error instanceof WorkflowUpdateFailedError) throw new Error(`unable to update workflow: ${error.message}`, { cause: error });
      throw error;
    }
    if (ctx.printer.json) {
      ctx.printer.document(output);
      return;
    }
    ctx.printer.line(waitForAccepted ? 'Update accepted:' : 'Update result:');
    ctx.printer.card({ Name: output.name, UpdateId: output.updateId, Result: waitForAccepted ? undefined : JSON.stringify(output.result) });
  });
}

const UPDATE_FLAGS: FlagDefs = {
  ...WORKFLOW_REF_FLAGS,
  ...NAME_FLAG('Update handler'),
  ...INPUT_FLAGS,
  'update-id': { kind: 'value', arg: 'ID', description: 'Update ID (default: a random UUID); reusing one returns the earlier update' },
  'first-execution-run-id': { kind: 'value', arg: 'ID', description: 'Send to the latest run of the chain started by this run' },
};

export const WORKFLOW_SIGNAL: CommandDef = {
  name: 'signal',
  summary: 'Send a signal to a workflow execution',
  examples: [`duraflow workflow signal --workflow-id cart-1 --name add --input '"book"'`, `duraflow workflow signal --query "WorkflowType = 'cart'" --name flush --yes`],
  flags: { ...BATCH_TARGET_FLAGS, ...NAME_FLAG('Signal'), ...INPUT_FLAGS },
  run: signal,
};

export const WORKFLOW_QUERY: CommandDef = {
  name: 'query',
  summary: 'Query a workflow execution and show the answer',
  examples: ['duraflow workflow query --workflow-id cart-1 --name items'],
  flags: {
    ...WORKFLOW_REF_FLAGS,
    ...NAME_FLAG('Query'),
    ...INPUT_FLAGS,
    'reject-condition': { kind: 'value', arg: 'CONDITION', description: 'Reject the query when the workflow is: not_open, not_completed_cleanly' },
  },
  run: query,
};

export const WORKFLOW_UPDATE: CommandDef = {
  name: 'update',
  summary: 'Send an update to a workflow execution and wait for its result',
  examples: [`duraflow workflow update --workflow-id cart-1 --name addItem --input '"pen"'`],
  flags: UPDATE_FLAGS,
  run: (args) => sendUpdate(args, false),
};

/** `update execute`: the `temporal workflow update execute` spelling of `update`. */
export const WORKFLOW_UPDATE_EXECUTE: CommandDef = { ...WORKFLOW_UPDATE, name: 'update execute', hidden: true };

export const WORKFLOW_UPDATE_START: CommandDef = {
  name: 'update start',
  summary: 'Send an update and wait only until the workflow accepts it; prints the update ID',
  examples: [`duraflow workflow update start --workflow-id cart-1 --name addItem --input '"pen"'`],
  flags: {
    ...UPDATE_FLAGS,
    'wait-for-stage': { kind: 'value', arg: 'STAGE', choices: ['accepted'], description: 'Stage to wait for: accepted (the only one, and the default)' },
  },
  run: (args) => sendUpdate(args, true),
};
