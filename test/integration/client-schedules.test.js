// duraflow's ScheduleClient against the dev server's schedules, with the official worker running
// the scheduled workflows: create, describe, list, update, pause/unpause, trigger, backfill,
// delete, interceptors, and the error paths.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client, Connection, ScheduleAlreadyRunning, ScheduleNotFoundError } from 'duraflow/client';
import { defaultPayloadConverter, defineSearchAttributeKey, SearchAttributeType } from 'duraflow/common';
import proto from '@temporalio/proto';
import { startEnv, uid } from '../fixtures/client/env.js';

const T = { timeout: 30_000 };
const EventType = proto.temporal.api.enums.v1.EventType;
const customerId = defineSearchAttributeKey('CustomerId', SearchAttributeType.KEYWORD);

/** Polls `fn` until it returns a truthy value (bounded, so a broken schedule fails the test). */
async function waitFor(what, fn, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('duraflow client: schedules', () => {
  let env;
  let client;
  const greetAction = (extra = {}) => ({ type: 'startWorkflow', workflowType: 'greet', args: ['Sched'], taskQueue: env.taskQueue, ...extra });

  before(async () => {
    env = await startEnv();
    client = env.client;
  });
  after(async () => {
    await env?.stop();
  });

  it('create → describe (spec, action, policies, state, memo, search attributes) → runs → list', T, async () => {
    const scheduleId = uid('sched');
    const handle = await client.schedule.create({
      scheduleId,
      spec: { intervals: [{ every: '1s' }], jitter: 0 },
      action: greetAction({ memo: { purpose: 'test' }, staticSummary: 'scheduled greeting' }),
      policies: { overlap: 'ALLOW_ALL', catchupWindow: '1 minute', pauseOnFailure: true },
      memo: { owner: 'team-a' },
      typedSearchAttributes: [{ key: customerId, value: 'sched-customer' }],
    });
    assert.equal(handle.scheduleId, scheduleId);
    const d = await handle.describe();
    assert.equal(d.scheduleId, scheduleId);
    assert.deepEqual(d.spec.intervals, [{ every: 1000, offset: 0 }]);
    assert.equal(d.action.type, 'startWorkflow');
    assert.equal(d.action.workflowType, 'greet');
    assert.equal(d.action.workflowId, `${scheduleId}-workflow`);
    assert.equal(d.action.taskQueue, env.taskQueue);
    assert.deepEqual(d.action.args, ['Sched']);
    assert.deepEqual(d.action.memo, { purpose: 'test' });
    assert.equal(d.action.staticSummary, 'scheduled greeting');
    assert.deepEqual(d.policies, { overlap: 'ALLOW_ALL', catchupWindow: 60_000, pauseOnFailure: true });
    assert.equal(d.state.paused, false);
    assert.equal(d.state.remainingActions, undefined);
    assert.deepEqual(d.memo, { owner: 'team-a' });
    assert.equal(d.typedSearchAttributes.get(customerId), 'sched-customer');
    assert.ok(d.info.createdAt instanceof Date);
    assert.ok(d.info.nextActionTimes.length > 0 && d.info.nextActionTimes.every((t) => t instanceof Date));

    const ran = await waitFor('a scheduled run', async () => (await handle.describe()).info.recentActions[0]);
    assert.ok(ran.scheduledAt instanceof Date && ran.takenAt instanceof Date);
    const run = client.workflow.getHandle(ran.action.workflow.workflowId, ran.action.workflow.firstExecutionRunId);
    assert.equal(await run.result(), 'Hello, Sched!');

    const listed = [];
    for await (const s of client.schedule.list({ pageSize: 1 })) listed.push(s);
    const summary = listed.find((s) => s.scheduleId === scheduleId);
    assert.ok(summary, 'the schedule is listed');
    assert.deepEqual(summary.action, { type: 'startWorkflow', workflowType: 'greet' });
    assert.equal(summary.state.paused, false);
    assert.deepEqual(summary.memo, { owner: 'team-a' });
    assert.deepEqual(summary.spec.intervals, [{ every: 1000, offset: 0 }]);
    await handle.delete();
  });

  it('pause and unpause with notes; trigger while paused; backfill past ranges; delete', T, async () => {
    const scheduleId = uid('sched-ops');
    const handle = await client.schedule.create({
      scheduleId,
      spec: { intervals: [{ every: '1 hour' }] },
      action: greetAction({ workflowId: `${scheduleId}-run` }),
      state: { paused: true, note: 'created paused' },
    });
    let d = await handle.describe();
    assert.deepEqual([d.state.paused, d.state.note, d.info.numActionsTaken], [true, 'created paused', 0]);

    await handle.trigger();
    d = await waitFor('the triggered action', async () => ((await handle.describe()).info.numActionsTaken === 1 ? handle.describe() : undefined));
    assert.match(d.info.recentActions[0].action.workflow.workflowId, new RegExp(`^${scheduleId}-run-`));

    // Five whole hours in the past: the inclusive range [start, end] holds three interval times.
    const end = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3 * 3_600_000);
    const start = new Date(end.getTime() - 2 * 3_600_000);
    await handle.backfill({ start, end, overlap: 'ALLOW_ALL' });
    assert.equal((await handle.describe()).info.numActionsTaken, 4);

    await handle.unpause('back to work');
    d = await handle.describe();
    assert.deepEqual([d.state.paused, d.state.note], [false, 'back to work']);
    await handle.pause();
    d = await handle.describe();
    assert.deepEqual([d.state.paused, d.state.note], [true, 'Paused via TypeScript SDK']);

    await handle.delete();
    await assert.rejects(handle.describe(), (err) => {
      assert.ok(err instanceof ScheduleNotFoundError, String(err));
      assert.equal(err.scheduleId, scheduleId);
      return true;
    });
    await assert.rejects(handle.pause(), ScheduleNotFoundError);
  });

  it('update(fn) replaces spec, action and state from the previous description', T, async () => {
    const scheduleId = uid('sched-update');
    const handle = await client.schedule.create({
      scheduleId,
      spec: { intervals: [{ every: '1 hour' }] },
      action: greetAction(),
      state: { paused: true },
    });
    await handle.update((previous) => ({
      ...previous,
      spec: {
        calendars: [{ hour: 12, minute: [0, 30], dayOfWeek: ['MONDAY', { start: 'WEDNESDAY', end: 'FRIDAY' }], comment: 'lunch' }],
        timezone: 'Europe/Paris',
      },
      action: { ...previous.action, args: ['Updated'] },
      state: { paused: true, note: 'updated', remainingActions: 3 },
    }));
    const d = await handle.describe();
    assert.deepEqual(d.action.args, ['Updated']);
    assert.deepEqual(d.state, { paused: true, note: 'updated', remainingActions: 3 });
    assert.equal(d.spec.timezone, 'Europe/Paris');
    assert.equal(d.spec.intervals.length, 0);
    const [calendar] = d.spec.calendars;
    assert.deepEqual(calendar.hour, [{ start: 12, end: 12, step: 1 }]);
    assert.deepEqual(calendar.minute, [
      { start: 0, end: 0, step: 1 },
      { start: 30, end: 30, step: 1 },
    ]);
    assert.deepEqual(calendar.second, [{ start: 0, end: 0, step: 1 }]);
    assert.deepEqual(calendar.dayOfWeek, [
      { start: 'MONDAY', end: 'MONDAY', step: 1 },
      { start: 'WEDNESDAY', end: 'FRIDAY', step: 1 },
    ]);
    assert.deepEqual(calendar.month, [{ start: 'JANUARY', end: 'DECEMBER', step: 1 }]);
    assert.equal(calendar.comment, 'lunch');
    // Every next action time is a weekday at 12:00 or 12:30 Paris time.
    for (const t of d.info.nextActionTimes) {
      const parts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', weekday: 'long', hour: '2-digit', minute: '2-digit' }).format(t);
      assert.match(parts, /^(Monday|Wednesday|Thursday|Friday) (12:00|12:30)$/);
    }
    await handle.delete();
  });

  it('a schedule interceptor can add headers that reach the scheduled workflows', T, async () => {
    const seen = [];
    const intercepted = env.makeClient({
      interceptors: {
        schedule: [
          {
            async create(input, next) {
              seen.push(input.options.scheduleId);
              return next({ ...input, headers: { ...input.headers, tenant: defaultPayloadConverter.toPayload('acme') } });
            },
          },
        ],
      },
    });
    const scheduleId = uid('sched-hdr');
    const handle = await intercepted.schedule.create({
      scheduleId,
      spec: { intervals: [{ every: '1 hour' }] },
      action: greetAction(),
      state: { paused: true, triggerImmediately: true },
    });
    assert.deepEqual(seen, [scheduleId]);
    const ran = await waitFor('the immediate action', async () => (await handle.describe()).info.recentActions[0]);
    const run = client.workflow.getHandle(ran.action.workflow.workflowId);
    await run.result();
    const started = (await run.fetchHistory()).events.find((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED);
    const tenant = started.workflowExecutionStartedEventAttributes.header.fields.tenant;
    assert.equal(defaultPayloadConverter.fromPayload(tenant), 'acme');
    // update keeps the headers of the current action.
    await handle.update((previous) => ({ ...previous, state: { paused: true } }));
    const raw = (await handle.describe()).raw.schedule.action.startWorkflow.header.fields;
    assert.equal(defaultPayloadConverter.fromPayload(raw.tenant), 'acme');
    await handle.delete();
  });

  it('duplicate id → ScheduleAlreadyRunning; an invalid spec → TypeError; unknown id → ScheduleNotFoundError', T, async () => {
    const scheduleId = uid('sched-dup');
    const options = { scheduleId, spec: { intervals: [{ every: '1 hour' }] }, action: greetAction(), state: { paused: true } };
    const handle = await client.schedule.create(options);
    await assert.rejects(client.schedule.create(options), (err) => {
      assert.ok(err instanceof ScheduleAlreadyRunning, String(err));
      assert.equal(err.scheduleId, scheduleId);
      assert.match(err.message, /already exists/);
      return true;
    });
    await handle.delete();
    await assert.rejects(
      client.schedule.create({ ...options, scheduleId: uid('sched-bad'), spec: { cronExpressions: ['not a cron'] } }),
      (err) => err instanceof TypeError && /Invalid schedule spec/i.test(err.message),
    );
    await assert.rejects(client.schedule.getHandle(uid('missing')).describe(), ScheduleNotFoundError);
  });
});

describe('duraflow client: schedule argument validation (before any RPC)', () => {
  const client = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1', interceptors: [] }) });
  const action = { type: 'startWorkflow', workflowType: 'greet', taskQueue: 'q' };

  it('names the missing or invalid option', async () => {
    await assert.rejects(client.schedule.create({ spec: {}, action }), /Missing ScheduleOptions\.scheduleId/);
    await assert.rejects(client.schedule.create({ scheduleId: 's', action }), /ScheduleOptions\.spec is required/);
    await assert.rejects(client.schedule.create({ scheduleId: 's', spec: {}, action: { ...action, taskQueue: '' } }), /Missing ScheduleOptions\.action\.taskQueue/);
    await assert.rejects(client.schedule.create({ scheduleId: 's', spec: {}, action: { ...action, workflowType: undefined } }), /Missing ScheduleOptions\.action\.workflowType/);
    await assert.rejects(client.schedule.create({ scheduleId: 's', spec: { intervals: [{}] }, action }), /spec\.intervals\[0\]\.every is required/);
    await assert.rejects(client.schedule.create({ scheduleId: 's', spec: { intervals: [{ every: 'often' }] }, action }), /not a valid Duration/);
    await assert.rejects(client.schedule.create({ scheduleId: 's', spec: { startAt: 'today' }, action }), /spec\.startAt must be a valid Date/);
    await assert.rejects(
      client.schedule.create({ scheduleId: 's', spec: { calendars: [{ hour: 25 }] }, action }),
      /Invalid CalendarSpec\.hour: 25/,
    );
    await assert.rejects(
      client.schedule.create({ scheduleId: 's', spec: { calendars: [{ month: 'SMARCH' }] }, action }),
      /Invalid CalendarSpec\.month: "SMARCH"/,
    );
    await assert.rejects(client.schedule.create({ scheduleId: 's', spec: {}, action, policies: { overlap: 'SOMETIMES' } }), /overlap policy must be one of SKIP/);
    await assert.rejects(client.schedule.create({ scheduleId: 's', spec: {}, action, state: { remainingActions: -1 } }), /remainingActions must be a non-negative integer/);
    assert.throws(() => client.schedule.getHandle(''), /scheduleId must be a non-empty string/);
    assert.throws(() => client.schedule.list({ pageSize: 0 }), /pageSize must be a positive integer/);
    await assert.rejects(client.schedule.getHandle('s').backfill({ start: new Date(2), end: new Date(1) }), /end is before its start/);
    await assert.rejects(client.schedule.getHandle('s').trigger('NEVER'), /overlap policy must be one of/);
    await assert.rejects(client.schedule.getHandle('s').update('not a function'), /takes a function/);
  });
});
