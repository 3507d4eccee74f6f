// Uses of duraflow/client that must type-check: typed starts, results, signals, queries, updates,
// update-with-start, schedules, interceptors and async completion.
import {
  Client,
  Connection,
  WithStartWorkflowOperation,
  type ScheduleDescription,
  type WorkflowClientInterceptor,
  type WorkflowHandle,
  type WorkflowUpdateHandle,
} from 'duraflow/client';
import { addSignal, addUpdate, countQuery, itemsQuery, noArgs, optionalOnly, order, pingSignal } from './workflows.js';

declare const client: Client;
const base = { taskQueue: 'q', workflowId: 'w' };

export async function typedWorkflows(): Promise<void> {
  const handle = await client.workflow.start(order, { ...base, args: [1] });
  const result: { total: number } = await handle.result();
  const runId: string = handle.firstExecutionRunId;
  const eager: boolean = handle.eagerlyStarted;
  const executed: number = (await client.workflow.execute(order, { ...base, args: [1, 'note'] })).total;
  const text: string = await client.workflow.execute(noArgs, base);
  await client.workflow.start(optionalOnly, base);
  await client.workflow.start(optionalOnly, { ...base, args: [true] });
  const byName = await client.workflow.start('anyWorkflow', base);
  await client.workflow.start('anyWorkflow', { ...base, args: [1, 'two', { three: 3 }] });
  const untyped: unknown = await byName.result();
  const later: { total: number } = await client.workflow.result<typeof order>('w');
  const got: WorkflowHandle<typeof order> = client.workflow.getHandle<typeof order>('w');
  void [result, runId, eager, executed, text, untyped, later, got];
}

export async function typedHandlers(handle: WorkflowHandle<typeof order>): Promise<void> {
  await handle.signal(addSignal, 'apple', 2);
  await handle.signal(pingSignal);
  await handle.signal('byName', 1, 'x');
  const items: string[] = await handle.query(itemsQuery, 3);
  const count: number = await handle.query(countQuery);
  const total: number = await handle.executeUpdate(addUpdate, { args: ['pear'] });
  const updateHandle: WorkflowUpdateHandle<number> = await handle.startUpdate(addUpdate, { args: ['fig'], waitForStage: 'ACCEPTED' });
  const later: number = await updateHandle.result();
  await handle.signal(addSignal, 'x', 1);
  void [items, count, total, later];
}

export async function withStart(): Promise<void> {
  await client.workflow.signalWithStart(order, { ...base, args: [1], signal: addSignal, signalArgs: ['kiwi', 1] });
  await client.workflow.signalWithStart(noArgs, { ...base, signal: pingSignal });
  const op = new WithStartWorkflowOperation(order, { ...base, args: [1], workflowIdConflictPolicy: 'USE_EXISTING' });
  const total: number = await client.workflow.executeUpdateWithStart(addUpdate, { args: ['plum'], startWorkflowOperation: op });
  const started: WorkflowHandle<typeof order> = await op.workflowHandle();
  const op2 = new WithStartWorkflowOperation(noArgs, { ...base, workflowIdConflictPolicy: 'FAIL' });
  const accepted = await client.workflow.startUpdateWithStart(addUpdate, { args: ['x'], waitForStage: 'ACCEPTED', startWorkflowOperation: op2 });
  const fromHandle: number = await accepted.result();
  void [total, started, fromHandle];
}

export async function schedules(): Promise<void> {
  const handle = await client.schedule.create({
    scheduleId: 's',
    spec: {
      calendars: [{ dayOfWeek: ['MONDAY', { start: 'WEDNESDAY', end: 'FRIDAY' }], hour: { start: 9, end: 17 }, month: '*' }],
      intervals: [{ every: '15 minutes', offset: 60_000 }],
      cronExpressions: ['0 12 * * *'],
      startAt: new Date(),
      jitter: '1s',
      timezone: 'Europe/Paris',
    },
    action: { type: 'startWorkflow', workflowType: order, args: [1], taskQueue: 'q' },
    policies: { overlap: 'BUFFER_ONE', catchupWindow: '1 hour', pauseOnFailure: true },
    state: { paused: true, note: 'n', remainingActions: 3, triggerImmediately: true, backfill: [{ start: new Date(), end: new Date() }] },
  });
  const d: ScheduleDescription = await handle.describe();
  await handle.update((previous) => ({ ...previous, state: { paused: false } }));
  await handle.trigger('ALLOW_ALL');
  await handle.backfill([{ start: new Date(0), end: new Date(1), overlap: 'SKIP' }]);
  for await (const s of client.schedule.list({ query: 'x' })) void s.scheduleId;
  void d.info.numActionsTaken;
}

export async function interceptorsAndActivities(): Promise<void> {
  const tracing: WorkflowClientInterceptor = {
    async startWithDetails(input, next) {
      return next({ ...input, headers: { ...input.headers } });
    },
    async query(input, next) {
      return next(input);
    },
  };
  const c = new Client({ connection: Connection.lazy(), interceptors: { workflow: [tracing], schedule: [] } });
  await c.activity.complete(new Uint8Array([1]), { ok: true });
  await c.activity.heartbeat({ workflowId: 'w', activityId: 'a' }, 50);
  await c.activity.fail({ workflowId: 'w', runId: 'r', activityId: 'a' }, new Error('x'));
  await c.activity.reportCancellation(new Uint8Array([1]));
}
