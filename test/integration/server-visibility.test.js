// ListWorkflowExecutions / CountWorkflowExecutions: the visibility query language over the system
// fields, boolean structure, paging, and COUNT ... GROUP BY ExecutionStatus.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer } from './helpers/rpc.js';
import {
  completeWorkflowCommand,
  ExecutionStatus,
  failWorkflowCommand,
  NAMESPACE,
  num,
  runWorkflowTask,
  sleep,
  startWorkflow,
  terminate,
  uid,
} from './helpers/workflows.js';

describe('dev server: List/CountWorkflowExecutions', () => {
  let env;
  /** name → { workflowId, runId } */
  const wf = {};
  let typeA;
  let typeB;
  let typeC;
  let q1;
  let q2;
  let splitTime;

  before(async () => {
    env = await startServer({ longPollMs: 500 });
    const tag = uid('vis');
    [typeA, typeB, typeC, q1, q2] = ['TypeA', 'TypeB', 'TypeC', 'q1', 'q2'].map((s) => `${tag}-${s}`);
    const start = async (name, type, queue) => {
      wf[name] = await startWorkflow(env, { workflowId: `${tag}-${name}`, workflowType: { name: type }, taskQueue: { name: queue } });
      await sleep(5);
    };
    // A running, B completed, C terminated, E failed; D running and started after splitTime.
    await start('A', typeA, q1);
    await start('B', typeA, q2);
    await start('C', typeB, q1);
    await start('E', typeC, q1);
    await sleep(20);
    splitTime = new Date();
    await sleep(20);
    await start('D', typeB, q2);
    // Close B, C, E in that order (close times increase).
    await runWorkflowTask(env, q2, [completeWorkflowCommand()]);
    await sleep(5);
    await terminate(env, { workflowId: wf.C.workflowId });
    await sleep(5);
    // q1 has the tasks of A and E pending; answer each by its workflow id.
    for (let i = 0; i < 2; i++) {
      const task = await env.call('PollWorkflowTaskQueue', { namespace: NAMESPACE, taskQueue: { name: q1 } });
      const commands = task.workflowExecution.workflowId === wf.E.workflowId ? [failWorkflowCommand()] : [];
      await env.call('RespondWorkflowTaskCompleted', { namespace: NAMESPACE, taskToken: task.taskToken, commands });
    }
  });
  after(async () => {
    await env?.stop();
  });

  /** Every execution a query lists (following pages), as fixture names. */
  async function listNames(query, pageSize) {
    const byRun = new Map(Object.entries(wf).map(([name, w]) => [w.runId, name]));
    const names = [];
    let nextPageToken;
    let pages = 0;
    do {
      const r = await env.call('ListWorkflowExecutions', { namespace: NAMESPACE, query, pageSize, nextPageToken });
      for (const e of r.executions) names.push(byRun.get(e.execution.runId) ?? e.execution.workflowId);
      nextPageToken = r.nextPageToken;
      assert.ok(++pages < 50, 'paging terminates');
    } while (nextPageToken && nextPageToken.length > 0);
    return names;
  }

  async function count(query) {
    return num((await env.call('CountWorkflowExecutions', { namespace: NAMESPACE, query })).count);
  }

  /** Asserts the query lists exactly `expected` (any order) and counts as many. */
  async function expectQuery(query, expected) {
    assert.deepEqual((await listNames(query)).sort(), [...expected].sort(), `list: ${query}`);
    assert.equal(await count(query), expected.length, `count: ${query}`);
  }

  it('the fixture is in the expected states', async () => {
    const statusOf = async (name) =>
      (await env.call('DescribeWorkflowExecution', { namespace: NAMESPACE, execution: { workflowId: wf[name].workflowId } }))
        .workflowExecutionInfo.status;
    assert.equal(await statusOf('A'), ExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
    assert.equal(await statusOf('B'), ExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED);
    assert.equal(await statusOf('C'), ExecutionStatus.WORKFLOW_EXECUTION_STATUS_TERMINATED);
    assert.equal(await statusOf('D'), ExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
    assert.equal(await statusOf('E'), ExecutionStatus.WORKFLOW_EXECUTION_STATUS_FAILED);
  });

  it('an empty query lists everything', async () => {
    await expectQuery('', ['A', 'B', 'C', 'D', 'E']);
  });

  it('WorkflowId, WorkflowType and TaskQueue', async () => {
    await expectQuery(`WorkflowId = '${wf.C.workflowId}'`, ['C']);
    await expectQuery(`WorkflowId != '${wf.C.workflowId}'`, ['A', 'B', 'D', 'E']);
    await expectQuery(`WorkflowId IN ('${wf.A.workflowId}', '${wf.D.workflowId}')`, ['A', 'D']);
    await expectQuery(`WorkflowType = '${typeA}'`, ['A', 'B']);
    await expectQuery(`\`WorkflowType\` = '${typeB}'`, ['C', 'D']);
    await expectQuery(`TaskQueue = '${q1}'`, ['A', 'C', 'E']);
    await expectQuery(`TaskQueue = '${q2}'`, ['B', 'D']);
    await expectQuery(`WorkflowType = 'no-such-type'`, []);
  });

  it('ExecutionStatus by name and by enum number', async () => {
    await expectQuery(`ExecutionStatus = 'Running'`, ['A', 'D']);
    await expectQuery(`ExecutionStatus = 'Completed'`, ['B']);
    await expectQuery(`ExecutionStatus = 'Terminated'`, ['C']);
    await expectQuery(`ExecutionStatus = 'Failed'`, ['E']);
    await expectQuery(`ExecutionStatus = ${ExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING}`, ['A', 'D']);
    await expectQuery(`ExecutionStatus != 'Running'`, ['B', 'C', 'E']);
  });

  it('StartTime ranges (RFC 3339)', async () => {
    const split = splitTime.toISOString();
    await expectQuery(`StartTime > '${split}'`, ['D']);
    await expectQuery(`StartTime < '${split}'`, ['A', 'B', 'C', 'E']);
    const early = new Date(splitTime.getTime() - 60_000).toISOString();
    await expectQuery(`StartTime BETWEEN '${early}' AND '${split}'`, ['A', 'B', 'C', 'E']);
    await expectQuery(`StartTime >= '${early}' AND StartTime <= '${new Date(Date.now() + 60_000).toISOString()}'`, ['A', 'B', 'C', 'D', 'E']);
  });

  it('AND / OR / parentheses, with AND binding tighter than OR', async () => {
    await expectQuery(`WorkflowType = '${typeA}' AND (TaskQueue = '${q1}' OR ExecutionStatus = 'Completed')`, ['A', 'B']);
    await expectQuery(`(WorkflowType = '${typeB}' OR WorkflowType = '${typeC}') AND ExecutionStatus != 'Running'`, ['C', 'E']);
    await expectQuery(`WorkflowType = '${typeC}' OR WorkflowType = '${typeA}' AND ExecutionStatus = 'Running'`, ['A', 'E']);
    await expectQuery(`(WorkflowType = '${typeC}' OR WorkflowType = '${typeA}') AND ExecutionStatus = 'Running'`, ['A']);
    await expectQuery(`TaskQueue = '${q1}' AND ExecutionStatus = 'Running' AND WorkflowType = '${typeA}'`, ['A']);
  });

  it('pageSize 1 pages through every execution once, running first, then by close time descending', async () => {
    const names = await listNames('', 1);
    assert.deepEqual(names, ['D', 'A', 'E', 'C', 'B']);
    const filtered = await listNames(`TaskQueue = '${q1}'`, 1);
    assert.deepEqual(filtered, ['A', 'E', 'C']);
  });

  it('the listed execution info carries type, task queue, status and times', async () => {
    const r = await env.call('ListWorkflowExecutions', { namespace: NAMESPACE, query: `WorkflowId = '${wf.B.workflowId}'` });
    assert.equal(r.executions.length, 1);
    const e = r.executions[0];
    assert.equal(e.type.name, typeA);
    assert.equal(e.taskQueue, q2);
    assert.equal(e.status, ExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED);
    assert.ok(e.startTime && e.closeTime, 'start and close times are set');
    assert.ok(num(e.historyLength) >= 5);
  });

  it('CountWorkflowExecutions with GROUP BY ExecutionStatus returns one group per status', async () => {
    const r = await env.call('CountWorkflowExecutions', { namespace: NAMESPACE, query: 'GROUP BY ExecutionStatus' });
    assert.equal(num(r.count), 5);
    const groups = Object.fromEntries(
      r.groups.map((g) => {
        assert.equal(g.groupValues.length, 1);
        return [JSON.parse(Buffer.from(g.groupValues[0].data).toString()), num(g.count)];
      }),
    );
    assert.deepEqual(groups, { Running: 2, Completed: 1, Terminated: 1, Failed: 1 });

    const filtered = await env.call('CountWorkflowExecutions', {
      namespace: NAMESPACE,
      query: `TaskQueue = '${q1}' GROUP BY ExecutionStatus`,
    });
    assert.equal(num(filtered.count), 3);
    assert.equal(filtered.groups.reduce((sum, g) => sum + num(g.count), 0), 3);
  });

  it('paging does not skip an unchanged execution when an earlier-listed one closes between pages', async () => {
    const tag = uid('page');
    const type = `${tag}-T`;
    const started = [];
    for (const name of ['Z', 'Y', 'X']) {
      started.push(await startWorkflow(env, { workflowId: `${tag}-${name}`, workflowType: { name: type } }));
      await sleep(5);
    }
    const query = `WorkflowType = '${type}'`;
    const seen = [];
    let r = await env.call('ListWorkflowExecutions', { namespace: NAMESPACE, query, pageSize: 1 });
    seen.push(...r.executions.map((e) => e.execution.workflowId));
    assert.deepEqual(seen, [`${tag}-X`], 'newest running first');
    // X closes: it moves behind the running ones. Y and Z did not change and must still be listed.
    await terminate(env, { workflowId: `${tag}-X` });
    while (r.nextPageToken && r.nextPageToken.length > 0) {
      r = await env.call('ListWorkflowExecutions', { namespace: NAMESPACE, query, pageSize: 1, nextPageToken: r.nextPageToken });
      seen.push(...r.executions.map((e) => e.execution.workflowId));
      assert.ok(seen.length < 10);
    }
    assert.ok(seen.includes(`${tag}-Y`), `Y was skipped: ${seen.join(', ')}`);
    assert.ok(seen.includes(`${tag}-Z`), `Z was skipped: ${seen.join(', ')}`);
    for (const wf of started.slice(0, 2)) await terminate(env, { workflowId: wf.workflowId });
  });
});
