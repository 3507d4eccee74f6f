/**
 * `duraflow workflow reset`: a new run of the workflow from one of its workflow tasks (the run's
 * history up to it, that task failed, later signals reapplied), as `temporal workflow reset` starts
 * it. The point is `--event-id` (a WorkflowTaskCompleted, -Failed or -TimedOut event, or a
 * WorkflowTaskStarted's id + 1) or `--type FirstWorkflowTask|LastWorkflowTask`.
 *
 * @example
 * ```sh
 * duraflow workflow reset --workflow-id order-1 --type LastWorkflowTask --reason "fixed the bug"
 * duraflow workflow reset -w order-1 --event-id 4 -o json
 * ```
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '../client/index.js';
import { int64, longToNumber, temporal } from '../proto/index.js';
import { defaultReason } from './batch-commands.js';
import { withClient } from './client-flags.js';
import type { CommandArgs, CommandDef } from './command.js';
import { CliError } from './flags.js';
import { parseCount } from './values.js';
import { WORKFLOW_REF_FLAGS, workflowRef } from './workflow-inspect.js';
import { serviceCall } from './rpc.js';

const { EventType, ResetReapplyType } = temporal.api.enums.v1;
const TASK_ENDS = new Set<number>([
  EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
  EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED,
  EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT,
]);

/** The event id of the first or last workflow task's end in the run's history. */
async function taskEndEventId(client: Client, ref: { workflowId: string; runId?: string }, which: 'FirstWorkflowTask' | 'LastWorkflowTask'): Promise<number> {
  const history = await client.workflow.getHandle(ref.workflowId, ref.runId).fetchHistory();
  const ends = (history.events ?? []).filter((e) => TASK_ENDS.has(e.eventType ?? 0)).map((e) => longToNumber(e.eventId ?? 0));
  const id = which === 'FirstWorkflowTask' ? ends[0] : ends.at(-1);
  if (id === undefined) throw new CliError(`the workflow has no finished workflow task to reset to`);
  return id;
}

async function reset(args: CommandArgs): Promise<void> {
  const ref = workflowRef(args);
  const type = args.values.type as 'FirstWorkflowTask' | 'LastWorkflowTask' | undefined;
  const eventId = args.values['event-id'];
  if ((type === undefined) === (eventId === undefined)) throw new CliError('give exactly one of --event-id and --type');
  const reason = args.values.reason ?? defaultReason();
  await withClient(args, async (client, ctx) => {
    const finish = eventId !== undefined ? parseCount(eventId, 'event-id') : await taskEndEventId(client, ref, type ?? 'LastWorkflowTask');
    const request = {
      namespace: ctx.namespace,
      workflowExecution: { workflowId: ref.workflowId, runId: ref.runId ?? '' },
      reason,
      workflowTaskFinishEventId: int64(finish),
      requestId: randomUUID(),
      resetReapplyType: args.bools['no-reapply'] === true ? ResetReapplyType.RESET_REAPPLY_TYPE_NONE : ResetReapplyType.RESET_REAPPLY_TYPE_SIGNAL,
    };
    const { runId } = await serviceCall('ResetWorkflowExecution', ctx.namespace, () => client.workflowService.resetWorkflowExecution(request), ref);
    if (ctx.printer.json) ctx.printer.document({ workflowId: ref.workflowId, runId, resetToEventId: finish });
    else ctx.printer.line(`Reset to event ${finish}: new run ${runId}`);
  });
}

export const WORKFLOW_RESET: CommandDef = {
  name: 'reset',
  summary: 'Start a new run of a workflow from one of its workflow tasks (terminating the current run)',
  examples: ['duraflow workflow reset --workflow-id order-1 --type LastWorkflowTask --reason "fixed the bug"', 'duraflow workflow reset -w order-1 --event-id 4'],
  flags: {
    ...WORKFLOW_REF_FLAGS,
    'event-id': { kind: 'value', short: 'e', arg: 'ID', description: 'The WorkflowTaskCompleted (or -Failed, -TimedOut) event to reset to' },
    type: { kind: 'value', short: 't', arg: 'TYPE', choices: ['FirstWorkflowTask', 'LastWorkflowTask'], description: 'Reset to the first or last workflow task' },
    reason: { kind: 'value', arg: 'TEXT', description: 'Why (default: "Requested from CLI by <user>")' },
    'no-reapply': { kind: 'bool', description: 'Do not reapply the signals received after the reset point' },
  },
  run: reset,
};
