// Uses of duraflow/client that must NOT type-check: every `@ts-expect-error` line below is an
// error, and tsc fails ("Unused '@ts-expect-error' directive") if one of them stops being one.
import { Client, WithStartWorkflowOperation, type WorkflowClientInterceptor, type WorkflowHandle } from 'duraflow/client';
import { addSignal, addUpdate, countQuery, itemsQuery, noArgs, order } from './workflows.js';

declare const client: Client;
declare const handle: WorkflowHandle<typeof order>;
const base = { taskQueue: 'q', workflowId: 'w' };

export async function wrongStarts(): Promise<void> {
  // @ts-expect-error args are required: order takes an id
  await client.workflow.start(order, base);
  // @ts-expect-error the id is a number
  await client.workflow.start(order, { ...base, args: ['1'] });
  // @ts-expect-error too many arguments
  await client.workflow.start(order, { ...base, args: [1, 'note', 3] });
  // @ts-expect-error noArgs takes none
  await client.workflow.start(noArgs, { ...base, args: [1] });
  // @ts-expect-error workflowId is required
  await client.workflow.start(noArgs, { taskQueue: 'q' });
  // @ts-expect-error unknown id reuse policy
  await client.workflow.start(noArgs, { ...base, workflowIdReusePolicy: 'SOMETIMES' });
  // @ts-expect-error the result is { total: number }
  const wrongResult: string = await handle.result();
  // @ts-expect-error execute's result type follows the workflow
  const wrongExecute: number = await client.workflow.execute(noArgs, base);
  void [wrongResult, wrongExecute];
}

export async function wrongHandlers(): Promise<void> {
  // @ts-expect-error add takes (string, number)
  await handle.signal(addSignal, 1, 1);
  // @ts-expect-error add's arguments are required
  await handle.signal(addSignal);
  // @ts-expect-error items takes a number
  await handle.query(itemsQuery, 'three');
  // @ts-expect-error count returns a number
  const wrongCount: string = await handle.query(countQuery);
  // @ts-expect-error addItem takes a string
  await handle.executeUpdate(addUpdate, { args: [1] });
  // @ts-expect-error addItem returns a number
  const wrongTotal: string = await handle.executeUpdate(addUpdate, { args: ['x'] });
  // @ts-expect-error startUpdate needs waitForStage: 'ACCEPTED'
  await handle.startUpdate(addUpdate, { args: ['x'] });
  void [wrongCount, wrongTotal];
}

export async function wrongWithStart(): Promise<void> {
  // @ts-expect-error signalArgs must match the signal's arguments
  await client.workflow.signalWithStart(noArgs, { ...base, signal: addSignal, signalArgs: [1, 'x'] });
  // @ts-expect-error workflowIdConflictPolicy is mandatory for update-with-start
  const op = new WithStartWorkflowOperation(order, { ...base, args: [1] });
  // @ts-expect-error the update's argument is a string
  await client.workflow.executeUpdateWithStart(addUpdate, { args: [2], startWorkflowOperation: op });
  // @ts-expect-error startWorkflowOperation is required
  await client.workflow.executeUpdateWithStart(addUpdate, { args: ['x'] });
}

export async function wrongSchedules(): Promise<void> {
  await client.schedule.create({
    scheduleId: 's',
    // @ts-expect-error not a day of the week
    spec: { calendars: [{ dayOfWeek: 'MONDAYY' }] },
    action: { type: 'startWorkflow', workflowType: noArgs, taskQueue: 'q' },
  });
  await client.schedule.create({
    scheduleId: 's',
    spec: {},
    // @ts-expect-error order's action needs its args
    action: { type: 'startWorkflow', workflowType: order, taskQueue: 'q' },
  });
  // @ts-expect-error unknown overlap policy
  await client.schedule.getHandle('s').trigger('SOMETIMES');
}

export function wrongInterceptor(): WorkflowClientInterceptor {
  return {
    // @ts-expect-error signal hooks resolve to void, not a number
    async signal(input, next): Promise<number> {
      await next(input);
      return 1;
    },
  };
}
