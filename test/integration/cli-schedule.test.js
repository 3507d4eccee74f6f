// `duraflow schedule …` run as a child process against the dev server, with the official worker
// running the scheduled workflows: every command with `-o json`, the table output of list and
// describe, and the error exits.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startCliEnv, uid } from '../fixtures/cli/env.js';

const T = { timeout: 60_000 };

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

function errorLine(result) {
  const lines = result.stderr.split('\n').filter(Boolean);
  assert.equal(lines.length, 1, `expected one line on stderr, got: ${result.stderr}`);
  return lines[0].replace(/^Error: /, '');
}

describe('duraflow schedule (CLI)', () => {
  let env;
  let tq;
  before(async () => {
    env = await startCliEnv();
    tq = env.taskQueue;
  });
  after(async () => {
    await env?.stop();
  });

  it('create with intervals, calendars and cron; describe -o json shows them; describe table is key/value', T, async () => {
    const id = uid('sched');
    const created = await env.json(
      'schedule', 'create', '--schedule-id', id,
      '--interval', '1h/5m',
      '--calendar', '{"dayOfWeek":"Mon-Fri","hour":"9,17","minute":"*/30"}',
      '--cron', '0 12 * * *',
      '--type', 'greet', '--task-queue', tq, '--input', '"Sched"', '--workflow-id', `${id}-wf`,
      '--overlap-policy', 'BufferOne', '--paused', '--notes', 'created by test', '--remaining-actions', '5',
    );
    assert.deepEqual(created, { scheduleId: id, namespace: 'default' });

    const json = await env.json('schedule', 'describe', '-s', id);
    const { spec, action, policies, state } = json.schedule;
    assert.deepEqual(spec.interval, [{ interval: '3600s', phase: '300s' }]);
    assert.equal(spec.structuredCalendar.length, 2);
    assert.deepEqual(spec.structuredCalendar[0].dayOfWeek, [{ start: 1, end: 5, step: 1 }]);
    assert.deepEqual(spec.structuredCalendar[0].hour, [{ start: 9, end: 9, step: 1 }, { start: 17, end: 17, step: 1 }]);
    assert.equal(action.startWorkflow.workflowType.name, 'greet');
    assert.equal(action.startWorkflow.workflowId, `${id}-wf`);
    assert.equal(action.startWorkflow.taskQueue.name, tq);
    assert.equal(Buffer.from(action.startWorkflow.input.payloads[0].data, 'base64').toString(), '"Sched"');
    assert.equal(policies.overlapPolicy, 'SCHEDULE_OVERLAP_POLICY_BUFFER_ONE');
    assert.deepEqual(state, { notes: 'created by test', paused: true, limitedActions: true, remainingActions: '5' });

    const table = await env.cli(['schedule', 'describe', '--schedule-id', id]);
    assert.equal(table.code, 0, table.stderr);
    const card = Object.fromEntries(table.stdout.trimEnd().split('\n').map((l) => l.split(/\s{2,}/)));
    assert.equal(card.ScheduleId, id);
    assert.equal(card.WorkflowType, 'greet');
    assert.equal(card.TaskQueue, tq);
    assert.equal(card.Spec, 'minute=0-59/30 hour=9,17 dayOfWeek=MONDAY-FRIDAY; hour=12; every 1h offset 5m');
    assert.equal(card.OverlapPolicy, 'BUFFER_ONE');
    assert.equal(card.Paused, 'true');
    assert.equal(card.Notes, 'created by test');
    assert.equal(card.RemainingActions, '5');
    await env.json('schedule', 'delete', '-s', id);
  });

  it('list: -o json is an array of schedules; the table has one aligned row per schedule', T, async () => {
    const ids = [uid('list-a'), uid('list-b')];
    for (const id of ids) await env.json('schedule', 'create', '-s', id, '--interval', '1h', '--type', 'greet', '-t', tq, '--paused', '--notes', 'listed');
    const array = await env.json('schedule', 'list');
    const mine = array.filter((s) => ids.includes(s.scheduleId));
    assert.equal(mine.length, 2);
    assert.equal(mine[0].info.workflowType.name, 'greet');
    assert.equal(mine[0].info.paused, true);

    const jsonl = await env.cli(['schedule', 'list', '-o', 'jsonl']);
    const lines = jsonl.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(lines.map((s) => s.scheduleId).filter((s) => ids.includes(s)).sort(), [...ids].sort());

    const table = await env.cli(['schedule', 'list']);
    const [header, ...rows] = table.stdout.trimEnd().split('\n');
    assert.match(header, /^ {2}ScheduleId\s+WorkflowType {2}Paused {2}Notes\s+NextRunTime\s+LastRunTime$/);
    for (const id of ids) {
      const row = rows.find((r) => r.includes(id));
      assert.ok(row, id);
      assert.equal(row.indexOf('greet'), header.indexOf('WorkflowType'));
      assert.equal(row.indexOf('true'), header.indexOf('Paused'));
      assert.equal(row.indexOf('listed'), header.indexOf('Notes'));
    }
    for (const id of ids) await env.json('schedule', 'delete', '-s', id);
  });

  it('pause, unpause and toggle (-o json) change the state and notes', T, async () => {
    const id = uid('toggle');
    await env.json('schedule', 'create', '-s', id, '--interval', '1h', '--type', 'greet', '-t', tq);
    assert.deepEqual(await env.json('schedule', 'pause', '-s', id, '--reason', 'maintenance'), { scheduleId: id, paused: true, note: 'maintenance' });
    let state = (await env.json('schedule', 'describe', '-s', id)).schedule.state;
    assert.deepEqual(state, { notes: 'maintenance', paused: true });
    assert.deepEqual(await env.json('schedule', 'unpause', '-s', id), { scheduleId: id, paused: false, note: '(no reason provided)' });
    state = (await env.json('schedule', 'describe', '-s', id)).schedule.state;
    assert.equal(state.paused, undefined, 'not paused (false is left out of ProtoJSON)');
    await env.json('schedule', 'toggle', '-s', id, '--pause', '--reason', 'again');
    assert.equal((await env.json('schedule', 'describe', '-s', id)).schedule.state.paused, true);
    const table = await env.cli(['schedule', 'unpause', '-s', id]);
    assert.equal(table.stdout, 'Schedule unpaused\n');
    await env.json('schedule', 'delete', '-s', id);
  });

  it('trigger (-o json) starts the workflow now', T, async () => {
    const id = uid('trigger');
    await env.json('schedule', 'create', '-s', id, '--interval', '1h', '--type', 'greet', '-t', tq, '-i', '"Now"', '--paused');
    assert.deepEqual(await env.json('schedule', 'trigger', '-s', id, '--overlap-policy', 'AllowAll'), { scheduleId: id, triggered: true, overlapPolicy: 'ALLOW_ALL' });
    const started = await waitFor('the triggered action', async () => (await env.client.schedule.getHandle(id).describe()).info.recentActions[0]);
    assert.equal(await env.client.workflow.result(started.action.workflow.workflowId), 'Hello, NOW!');
    await env.json('schedule', 'delete', '-s', id);
  });

  it('backfill (-o json) takes the actions of a past range', T, async () => {
    const id = uid('backfill');
    await env.json('schedule', 'create', '-s', id, '--interval', '1h', '--type', 'greet', '-t', tq, '-i', '"Past"');
    const ack = await env.json('schedule', 'backfill', '-s', id, '--start-time', '2024-05-01T00:00:00Z', '--end-time', '2024-05-01T03:00:00Z', '--overlap-policy', 'AllowAll');
    assert.deepEqual(ack, { scheduleId: id, backfill: { startTime: '2024-05-01T00:00:00.000Z', endTime: '2024-05-01T03:00:00.000Z', overlapPolicy: 'ALLOW_ALL' } });
    const actions = await waitFor('three backfilled actions', async () => {
      const { recentActions } = (await env.client.schedule.getHandle(id).describe()).info;
      return recentActions.length >= 3 && recentActions;
    });
    assert.deepEqual(actions.map((a) => a.scheduledAt.toISOString()).slice(0, 3), ['2024-05-01T00:00:00.000Z', '2024-05-01T01:00:00.000Z', '2024-05-01T02:00:00.000Z']);
    await env.json('schedule', 'delete', '-s', id);
  });

  it('delete (-o json); then the schedule is not found (exit 1, one line)', T, async () => {
    const id = uid('delete');
    await env.json('schedule', 'create', '-s', id, '--cron', '@daily', '--type', 'greet', '-t', tq);
    assert.deepEqual(await env.json('schedule', 'delete', '--schedule-id', id), { scheduleId: id, deleted: true });
    for (const command of ['describe', 'delete', 'pause', 'trigger']) {
      const r = await env.cli(['schedule', command, '-s', id]);
      assert.equal(r.code, 1, command);
      assert.equal(errorLine(r), `schedule not found: ${id}`, command);
    }
  });

  it('errors: an existing id (exit 1); bad flags and values (exit 2, naming the flag)', T, async () => {
    const id = uid('dup');
    await env.json('schedule', 'create', '-s', id, '--interval', '1h', '--type', 'greet', '-t', tq, '--paused');
    const dup = await env.cli(['schedule', 'create', '-s', id, '--interval', '1h', '--type', 'greet', '-t', tq]);
    assert.equal(dup.code, 1);
    assert.equal(errorLine(dup), `schedule already exists: ${id}`);
    await env.json('schedule', 'delete', '-s', id);

    const base = ['--type', 'greet', '-t', tq];
    const cases = [
      [['schedule', 'create', '--interval', '1h', ...base], /^missing required flag --schedule-id/],
      [['schedule', 'create', '-s', 'x', '--interval', 'hourly', ...base], /^--interval must be a duration/],
      [['schedule', 'create', '-s', 'x', '--calendar', '{"weekday":"Mon"}', ...base], /^--calendar: unknown field "weekday"/],
      [['schedule', 'create', '-s', 'x', '--calendar', '{"hour":"25"}', ...base], /^--calendar: hour value "25" is not in 0-23/],
      [['schedule', 'create', '-s', 'x', '--interval', '1h', '--overlap-policy', 'Sometimes', ...base], /^--overlap-policy must be one of Skip, BufferOne, BufferAll, CancelOther, TerminateOther, AllowAll/],
      [['schedule', 'backfill', '-s', 'x', '--start-time', '2024-05-02T00:00:00Z'], /^missing required flag --end-time/],
      [['schedule', 'backfill', '-s', 'x', '--start-time', 'yesterday', '--end-time', '2024-05-02T00:00:00Z'], /^--start-time must be an RFC 3339 timestamp/],
      [['schedule', 'backfill', '-s', 'x', '--start-time', '2024-05-02T00:00:00Z', '--end-time', '2024-05-01T00:00:00Z'], /^--end-time is before --start-time$/],
      [['schedule', 'toggle', '-s', 'x'], /^give exactly one of --pause and --unpause$/],
    ];
    for (const [args, expected] of cases) {
      const r = await env.cli(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(errorLine(r), expected);
    }
  });

  it('--help on the group and on every command', T, async () => {
    const group = await env.cli(['schedule', '--help']);
    assert.equal(group.code, 0);
    for (const name of ['create', 'list', 'describe', 'pause', 'unpause', 'trigger', 'backfill', 'delete']) {
      assert.match(group.stdout, new RegExp(`\\n  ${name} `), name);
      const help = await env.cli(['schedule', name, '--help']);
      assert.equal(help.code, 0, name);
      assert.match(help.stdout, new RegExp(`^duraflow schedule ${name}: `));
    }
    const create = await env.cli(['schedule', 'create', '--help']);
    for (const flag of ['--schedule-id, -s ID', '--calendar JSON', '--cron CRON', '--interval DURATION', '--overlap-policy POLICY', '--type NAME', '--task-queue, -t QUEUE']) {
      assert.ok(create.stdout.includes(flag), flag);
    }
  });
});
