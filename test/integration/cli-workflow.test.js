// `duraflow workflow …` run as a child process against the dev server, with the official worker
// running test/fixtures/cli/workflows.js: every command with `-o json` (parsed and checked), the
// table output of list / describe / show / execute, `show --follow`, and the error exits.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DefaultLogger, Worker } from '@temporalio/worker';
import { startCliEnv, uid } from '../fixtures/cli/env.js';

const T = { timeout: 60_000 };

/** The one stderr line of a failed command, without its "Error: " prefix. */
function errorLine(result) {
  const lines = result.stderr.split('\n').filter(Boolean);
  assert.equal(lines.length, 1, `expected one line on stderr, got: ${result.stderr}`);
  assert.match(lines[0], /^Error: /);
  return lines[0].slice('Error: '.length);
}

describe('duraflow workflow (CLI)', () => {
  let env;
  let tq;
  let tmp;
  before(async () => {
    env = await startCliEnv({ searchAttributes: { CustomerId: 'Keyword' } });
    tq = env.taskQueue;
    tmp = mkdtempSync(join(tmpdir(), 'duraflow-cli-'));
  });
  after(async () => {
    await env?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('start -o json prints the execution; result -o json waits for and decodes the result', T, async () => {
    const workflowId = uid('greet');
    const started = await env.json('workflow', 'start', '--type', 'greet', '--task-queue', tq, '--workflow-id', workflowId, '--input', '"Ada"');
    assert.equal(started.workflowId, workflowId);
    assert.match(started.runId, /^[0-9a-f-]{36}$/);
    assert.deepEqual({ type: started.type, namespace: started.namespace, taskQueue: started.taskQueue }, { type: 'greet', namespace: 'default', taskQueue: tq });
    const result = await env.json('workflow', 'result', '-w', workflowId);
    assert.equal(result.status, 'COMPLETED');
    assert.equal(result.result, 'Hello, ADA!');
    assert.equal(result.runId, started.runId);
    assert.equal(result.closeEvent.eventType, 'EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED');
  });

  it('execute: repeated --input become the arguments; --input-file reads JSON files', T, async () => {
    const out = await env.json('workflow', 'execute', '--type', 'echoArgs', '-t', tq, '-i', '1', '-i', '{"a":[2,3]}', '-i', '"s"', '-i', 'null');
    assert.equal(out.status, 'COMPLETED');
    assert.deepEqual(out.result, [1, { a: [2, 3] }, 's', null]);
    assert.equal(typeof out.durationMillis, 'number');
    const file = join(tmp, 'arg.json');
    writeFileSync(file, '{"from": "file"}');
    const fromFile = await env.json('workflow', 'execute', '--type', 'echoArgs', '-t', tq, '--input-file', file);
    assert.deepEqual(fromFile.result, [{ from: 'file' }]);
  });

  it('execute (table) shows the running execution, one line per event with decoded payloads, and the result', T, async () => {
    const workflowId = uid('exec');
    const r = await env.cli(['workflow', 'execute', '--type', 'greet', '-t', tq, '-w', workflowId, '-i', '"Bob"']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Running execution:\n {2}WorkflowId {2}\S+\n/);
    assert.match(r.stdout, new RegExp(`WorkflowId  ${workflowId}`));
    assert.match(r.stdout, /Progress:/);
    assert.match(r.stdout, /\n\s+1 {2}\S+Z {2}WorkflowExecutionStarted\s+workflowType=greet .*input=\["Bob"\]/);
    assert.match(r.stdout, /ActivityTaskScheduled\s+activityId=1 activityType=shout .*input=\["Bob"\]/);
    assert.match(r.stdout, /ActivityTaskCompleted\s+result=\["BOB"\]/);
    assert.match(r.stdout, /Results:\n(.*\n)* {2}Status {3}COMPLETED\n {2}Result {3}"Hello, BOB!"/);
    assert.doesNotMatch(r.stdout, /EVENT_TYPE_/);
  });

  it('list: -o json is an array of executions, -o jsonl one per line, table has aligned columns', T, async () => {
    const ids = [uid('list-a'), uid('list-b')];
    for (const id of ids) await env.client.workflow.execute('greet', { taskQueue: tq, workflowId: id, args: ['L'] });
    const query = `WorkflowId = '${ids[0]}' OR WorkflowId = '${ids[1]}'`;
    const array = await env.json('workflow', 'list', '--query', query);
    assert.ok(Array.isArray(array));
    assert.deepEqual(array.map((e) => e.execution.workflowId).sort(), [...ids].sort());
    assert.equal(array[0].type.name, 'greet');
    assert.equal(array[0].status, 'WORKFLOW_EXECUTION_STATUS_COMPLETED');
    assert.equal(array[0].taskQueue, tq);

    const jsonl = await env.cli(['workflow', 'list', '-q', query, '-o', 'jsonl', '--limit', '1']);
    assert.equal(jsonl.code, 0, jsonl.stderr);
    const lines = jsonl.stdout.trim().split('\n');
    assert.equal(lines.length, 1);
    assert.ok(ids.includes(JSON.parse(lines[0]).execution.workflowId));

    const table = await env.cli(['workflow', 'list', '-q', query]);
    assert.equal(table.code, 0, table.stderr);
    const [header, ...rows] = table.stdout.trimEnd().split('\n');
    assert.match(header, /^ {2}Status {5}WorkflowId +Type {3}StartTime$/);
    assert.equal(rows.length, 2);
    for (const row of rows) {
      assert.match(row, /^ {2}Completed {2}list-/);
      assert.equal(row.indexOf('greet'), header.indexOf('Type'), 'Type column aligned');
      assert.match(row.slice(header.indexOf('StartTime')), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    }
  });

  it('start with --memo and --search-attribute; list --query finds it by the attribute', T, async () => {
    const id = uid('attrs');
    const customer = uid('customer');
    await env.json('workflow', 'start', '--type', 'collector', '-t', tq, '-w', id, '--memo', 'owner={"team":"qa"}', '--search-attribute', `CustomerId="${customer}"`);
    const found = await env.json('workflow', 'list', '--query', `CustomerId = '${customer}'`);
    assert.deepEqual(found.map((e) => e.execution.workflowId), [id]);
    assert.deepEqual(found[0].memo.fields, { owner: { team: 'qa' } });
    assert.deepEqual(found[0].searchAttributes.indexedFields.CustomerId, [customer], 'encoded as the TypeScript SDK encodes untyped attributes');
    await env.client.workflow.getHandle(id).terminate();
    const bad = await env.cli(['workflow', 'start', '--type', 'collector', '-t', tq, '--memo', 'no-equals-sign']);
    assert.equal(bad.code, 2);
    assert.equal(errorLine(bad), '--memo must be KEY=JSON, got "no-equals-sign"');
  });

  it('start with --priority-key, --fairness-key and --fairness-weight; describe shows the priority', T, async () => {
    const id = uid('priority');
    await env.json('workflow', 'start', '--type', 'collector', '-t', tq, '-w', id, '--priority-key', '2', '--fairness-key', 'tenant-a', '--fairness-weight', '2.5');
    const described = await env.json('workflow', 'describe', '--workflow-id', id);
    assert.deepEqual(described.workflowExecutionInfo.priority, { priorityKey: 2, fairnessKey: 'tenant-a', fairnessWeight: 2.5 });
    await env.client.workflow.getHandle(id).terminate();
    const bad = await env.cli(['workflow', 'start', '--type', 'collector', '-t', tq, '--fairness-weight', '-1']);
    assert.equal(bad.code, 2);
    assert.equal(errorLine(bad), '--fairness-weight must be a positive number; got "-1"');
  });

  it('count -o json counts matching executions, also grouped by status', T, async () => {
    const id = uid('count');
    await env.client.workflow.execute('greet', { taskQueue: tq, workflowId: id, args: ['C'] });
    const one = await env.json('workflow', 'count', '--query', `WorkflowId = '${id}'`);
    assert.deepEqual(one, { count: 1, groups: [] });
    const grouped = await env.json('workflow', 'count', '-q', `WorkflowId = '${id}' GROUP BY ExecutionStatus`);
    assert.equal(grouped.count, 1);
    assert.deepEqual(grouped.groups, [{ count: 1, groupValues: ['Completed'] }]);
    const table = await env.cli(['workflow', 'count', '-q', `WorkflowId = '${id}'`]);
    assert.equal(table.stdout, 'Total: 1\n');
  });

  it('describe: -o json is the DescribeWorkflowExecution response (+ result); table is key/value', T, async () => {
    const id = uid('describe');
    await env.client.workflow.execute('greet', { taskQueue: tq, workflowId: id, args: ['D'], memo: { owner: 'qa' } });
    const json = await env.json('workflow', 'describe', '--workflow-id', id);
    assert.equal(json.workflowExecutionInfo.execution.workflowId, id);
    assert.equal(json.workflowExecutionInfo.status, 'WORKFLOW_EXECUTION_STATUS_COMPLETED');
    assert.deepEqual(json.workflowExecutionInfo.memo.fields, { owner: 'qa' });
    assert.equal(json.result, 'Hello, D!');
    assert.equal(json.closeEvent.eventType, 'EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED');

    const table = await env.cli(['workflow', 'describe', '-w', id]);
    assert.equal(table.code, 0, table.stderr);
    const lines = table.stdout.split('\n');
    assert.equal(lines[0], 'Execution Info:');
    const infoLines = lines.slice(1, lines.indexOf(''));
    const card = Object.fromEntries(infoLines.map((l) => l.trim().split(/\s{2,}/)));
    assert.equal(card.WorkflowId, id);
    assert.equal(card.Type, 'greet');
    assert.equal(card.TaskQueue, tq);
    assert.equal(card.Status, 'Completed');
    assert.equal(card.Memo, '{"owner":"qa"}');
    assert.match(table.stdout, /\nResults:\n {2}Status {2}COMPLETED\n {2}Result {2}"Hello, D!"\n$/);
    const valueColumn = lines[1].indexOf(id);
    assert.equal(lines[2].indexOf(card.RunId), valueColumn, 'values aligned');
  });

  it('show -o json prints {events} with payloads encoded, and the official replayer accepts it', T, async () => {
    const id = uid('show');
    await env.client.workflow.execute('greet', { taskQueue: tq, workflowId: id, args: ['S'] });
    const history = await env.json('workflow', 'show', '-w', id);
    const types = history.events.map((e) => e.eventType);
    assert.equal(types[0], 'EVENT_TYPE_WORKFLOW_EXECUTION_STARTED');
    assert.equal(types.at(-1), 'EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED');
    assert.ok(types.includes('EVENT_TYPE_ACTIVITY_TASK_COMPLETED'));
    const input = history.events[0].workflowExecutionStartedEventAttributes.input.payloads[0];
    assert.equal(Buffer.from(input.metadata.encoding, 'base64').toString(), 'json/plain');
    assert.equal(Buffer.from(input.data, 'base64').toString(), '"S"');
    await Worker.runReplayHistory({ workflowBundle: env.workflowBundle, replayName: 'cli-show', logger: new DefaultLogger('ERROR') }, history, id);
  });

  it('show (table): one event per line, type without EVENT_TYPE_, payloads decoded', T, async () => {
    const id = uid('show-table');
    await env.client.workflow.execute('greet', { taskQueue: tq, workflowId: id, args: ['T'] });
    const r = await env.cli(['workflow', 'show', '--workflow-id', id]);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(lines[0], 'Progress:');
    assert.match(lines[1], /^\s+ID {2}Time\s+Type\s+Details$/);
    const events = lines.slice(2);
    assert.equal(events.length, 11);
    events.forEach((line, i) => assert.match(line, new RegExp(`^\\s+${i + 1}  \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ  [A-Z][A-Za-z]+`)));
    assert.match(events[0], /WorkflowExecutionStarted\s+workflowType=greet taskQueue=\S+ input=\["T"\]/);
    assert.match(events.at(-1), /WorkflowExecutionCompleted\s+result=\["Hello, T!"\]$/);
    assert.doesNotMatch(r.stdout, /EVENT_TYPE_|anNvbi9wbGFpbg/);
  });

  it('show --follow -o jsonl prints events as they happen until the workflow closes', T, async () => {
    const id = uid('follow');
    await env.client.workflow.start('collector', { taskQueue: tq, workflowId: id, args: [] });
    const handle = env.client.workflow.getHandle(id);
    let sent;
    const run = env.cli(['workflow', 'show', '-w', id, '--follow', '-o', 'jsonl'], {
      onStdout: (out) => {
        // Send the signals only once the first workflow task has been printed: the command is following.
        if (!sent && out.includes('EVENT_TYPE_WORKFLOW_TASK_COMPLETED')) sent = handle.signal('add', 'late').then(() => handle.signal('finish'));
      },
    });
    const r = await run;
    await sent;
    assert.equal(r.code, 0, r.stderr);
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    const types = events.map((e) => e.eventType);
    assert.equal(types.filter((t) => t === 'EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED').length, 2);
    assert.equal(types.at(-1), 'EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED');
    assert.deepEqual(events.map((e) => Number(e.eventId)), events.map((_, i) => i + 1));
  });

  it('show --follow (table) ends with the results; -o json prints one document once closed', T, async () => {
    const id = uid('follow-table');
    await env.client.workflow.start('collector', { taskQueue: tq, workflowId: id, args: [['x']] });
    const handle = env.client.workflow.getHandle(id);
    let sent;
    const onStdout = (out) => {
      if (!sent && out.includes('WorkflowTaskCompleted')) sent = handle.signal('finish');
    };
    const r = await env.cli(['workflow', 'show', '-w', id, '-f'], { onStdout });
    await sent;
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /WorkflowExecutionSignaled\s+signalName=finish/);
    assert.match(r.stdout, /WorkflowExecutionCompleted\s+result=\[\["x"\]\]\n\nResults:\n {2}Status {2}COMPLETED\n {2}Result {2}\["x"\]\n$/);
    const doc = await env.json('workflow', 'show', '-w', id, '--follow');
    assert.equal(doc.events.at(-1).eventType, 'EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED');
  });

  it('signal, query and update (-o json), update start, and a rejected update', T, async () => {
    const id = uid('collector');
    await env.json('workflow', 'start', '--type', 'collector', '-t', tq, '-w', id, '-i', '["a"]');
    const signaled = await env.json('workflow', 'signal', '-w', id, '--name', 'add', '-i', '"b"');
    assert.deepEqual(signaled, { workflowId: id, signalName: 'add' });
    const query = await env.json('workflow', 'query', '-w', id, '--name', 'items');
    assert.deepEqual(query, { queryResult: [['a', 'b']] });
    const prefixed = await env.json('workflow', 'query', '-w', id, '--type', 'items', '--input', '">"');
    assert.deepEqual(prefixed.queryResult, [['>a', '>b']]);
    const update = await env.json('workflow', 'update', '-w', id, '--name', 'addItem', '-i', '"c"', '--update-id', 'u-1');
    assert.deepEqual(update, { name: 'addItem', updateId: 'u-1', result: 3 });
    const again = await env.json('workflow', 'update', 'execute', '-w', id, '--name', 'addItem', '-i', '"c"', '--update-id', 'u-1');
    assert.equal(again.result, 3, 'same update id: the earlier update, not a new one');
    const accepted = await env.json('workflow', 'update', 'start', '-w', id, '--name', 'addItem', '-i', '"d"', '--wait-for-stage', 'accepted');
    assert.equal(accepted.name, 'addItem');
    assert.match(accepted.updateId, /^[0-9a-f-]{36}$/);
    const rejected = await env.cli(['workflow', 'update', '-w', id, '--name', 'addItem', '-i', '5']);
    assert.equal(rejected.code, 1);
    assert.match(errorLine(rejected), /^unable to update workflow: .*addItem takes a string, got number/);

    const table = await env.cli(['workflow', 'query', '-w', id, '--name', 'items']);
    assert.equal(table.stdout, 'Query result:\n  QueryResult  ["a","b","c","d"]\n');
    await env.json('workflow', 'signal', '-w', id, '--name', 'finish');
    const result = await env.json('workflow', 'result', '-w', id);
    assert.deepEqual(result.result, ['a', 'b', 'c', 'd']);
  });

  it('cancel and terminate (-o json); result then exits non-zero with the status', T, async () => {
    const cancelId = uid('cancel');
    const terminateId = uid('terminate');
    await env.client.workflow.start('collector', { taskQueue: tq, workflowId: cancelId, args: [] });
    await env.client.workflow.start('collector', { taskQueue: tq, workflowId: terminateId, args: [] });
    assert.deepEqual(await env.json('workflow', 'cancel', '-w', cancelId), { workflowId: cancelId, cancelRequested: true });
    const cancelled = await env.cli(['workflow', 'result', '-w', cancelId, '-o', 'json']);
    assert.equal(cancelled.code, 1);
    assert.equal(JSON.parse(cancelled.stdout).status, 'CANCELED');
    assert.equal(errorLine(cancelled), 'workflow canceled');

    const terminated = await env.json('workflow', 'terminate', '-w', terminateId, '--reason', 'duplicate');
    assert.deepEqual(terminated, { workflowId: terminateId, terminated: true, reason: 'duplicate' });
    const described = await env.json('workflow', 'describe', '-w', terminateId);
    assert.equal(described.workflowExecutionInfo.status, 'WORKFLOW_EXECUTION_STATUS_TERMINATED');
    const table = await env.cli(['workflow', 'result', '-w', terminateId]);
    assert.equal(table.code, 1);
    assert.equal(table.stdout, 'Results:\n  Status  TERMINATED\n  Reason  duplicate\n');
    assert.equal(errorLine(table), 'workflow terminated');
  });

  it('delete: a running workflow is terminated and removed with its history', T, async () => {
    const id = uid('delete');
    await env.client.workflow.start('collector', { taskQueue: tq, workflowId: id, args: [] });
    assert.deepEqual(await env.json('workflow', 'delete', '-w', id), { workflowId: id, deleted: true });
    const gone = await env.cli(['workflow', 'describe', '-w', id]);
    assert.equal(gone.code, 1);
    assert.equal(errorLine(gone), `workflow not found: ${id}`);
    const table = await env.cli(['workflow', 'delete', '-w', id]);
    assert.equal(table.code, 1);
    assert.equal(errorLine(table), `workflow not found: ${id}`);
  });

  it('a failed workflow: execute prints the failure and exits 1 with one line', T, async () => {
    const r = await env.cli(['workflow', 'execute', '--type', 'failing', '-t', tq, '-i', '"x"', '-o', 'json']);
    assert.equal(r.code, 1);
    const out = JSON.parse(r.stdout);
    assert.equal(out.status, 'FAILED');
    assert.equal(out.failure.message, 'rejected: x');
    assert.equal(out.failure.applicationFailureInfo.type, 'OrderError');
    assert.equal(errorLine(r), 'workflow failed: rejected: x [OrderError]');
  });

  it('continue-as-new: execute and result follow the chain to the last run', T, async () => {
    const id = uid('countdown');
    const out = await env.json('workflow', 'execute', '--type', 'countdown', '-t', tq, '-w', id, '-i', '2');
    assert.equal(out.result, 'liftoff');
    const result = await env.json('workflow', 'result', '-w', id, '--run-id', out.runId);
    assert.equal(result.result, 'liftoff');
    assert.notEqual(result.runId, out.runId, 'the result is that of the last run');
    const table = await env.cli(['workflow', 'execute', '--type', 'countdown', '-t', tq, '-i', '1']);
    assert.equal(table.code, 0, table.stderr);
    assert.equal(table.stdout.match(/WorkflowExecutionStarted/g).length, 2, 'events of both runs');
  });

  it('errors: unknown workflow → exit 1 and one line naming it', T, async () => {
    const id = uid('missing');
    for (const command of [['describe'], ['show'], ['result'], ['signal', '--name', 'x'], ['query', '--name', 'x'], ['cancel'], ['terminate'], ['delete']]) {
      const r = await env.cli(['workflow', ...command, '--workflow-id', id]);
      assert.equal(r.code, 1, `${command[0]}: ${r.stderr}`);
      assert.equal(errorLine(r), `workflow not found: ${id}`, command[0]);
      assert.equal(r.stdout, '');
    }
    const started = uid('dup');
    await env.json('workflow', 'start', '--type', 'collector', '-t', tq, '-w', started);
    const dup = await env.cli(['workflow', 'start', '--type', 'collector', '-t', tq, '-w', started]);
    assert.equal(dup.code, 1);
    assert.match(errorLine(dup), new RegExp(`already started.*${started}`, 'i'));
    await env.client.workflow.getHandle(started).terminate();
  });

  it('terminate/signal --query start a batch on the server; batch describe, list and terminate follow it', T, async () => {
    const ids = [uid('batch-a'), uid('batch-b')];
    for (const id of ids) await env.client.workflow.start('collector', { taskQueue: tq, workflowId: id, args: [] });
    const query = `WorkflowId = '${ids[0]}' OR WorkflowId = '${ids[1]}'`;
    const unconfirmed = await env.cli(['workflow', 'terminate', '--query', query]);
    assert.equal(unconfirmed.code, 2);
    assert.equal(errorLine(unconfirmed), '--query would terminate 2 workflows matching the query: add --yes to go ahead');
    const both = await env.cli(['workflow', 'terminate', '--query', query, '-w', ids[0]]);
    assert.equal(errorLine(both), 'give exactly one of --workflow-id and --query');

    const signalled = await env.json('workflow', 'signal', '--query', query, '--name', 'add', '-i', '"x"', '--yes');
    const waitDone = async (jobId) => {
      for (let i = 0; i < 100; i++) {
        const d = await env.json('batch', 'describe', '--job-id', jobId);
        if (d.state === 'BATCH_OPERATION_STATE_COMPLETED') return d;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.fail(`batch ${jobId} did not complete`);
    };
    assert.equal((await waitDone(signalled.jobId)).completeOperationCount, '2');
    const { jobId } = await env.json('workflow', 'terminate', '--query', query, '--yes', '--reason', 'cleanup');
    const done = await waitDone(jobId);
    assert.deepEqual([done.operationType, done.reason, done.totalOperationCount], ['BATCH_OPERATION_TYPE_TERMINATE', 'cleanup', '2']);
    for (const id of ids) {
      const d = await env.json('workflow', 'describe', '-w', id);
      assert.equal(d.workflowExecutionInfo.status, 'WORKFLOW_EXECUTION_STATUS_TERMINATED');
    }
    const listed = await env.json('batch', 'list');
    assert.ok(listed.some((j) => j.JobId === jobId && j.State === 'COMPLETED'));
    const card = await env.cli(['batch', 'describe', '-j', jobId]);
    assert.match(card.stdout, /State\s+COMPLETED\n/);
    const stop = await env.cli(['batch', 'terminate', '-j', jobId, '--reason', 'late']);
    assert.equal(stop.code, 1);
    assert.match(errorLine(stop), /already finished/);
  });

  it('reset --type FirstWorkflowTask: a new run from the first task, the signals reapplied; --event-id checked by the server', T, async () => {
    const id = uid('reset');
    const handle = await env.client.workflow.start('collector', { taskQueue: tq, workflowId: id, args: [] });
    await handle.signal('add', 'x');
    await handle.signal('add', 'y');
    const out = await env.json('workflow', 'reset', '-w', id, '--type', 'FirstWorkflowTask', '--reason', 'again');
    assert.equal(out.workflowId, id);
    assert.notEqual(out.runId, handle.firstExecutionRunId);
    assert.ok(out.resetToEventId >= 4, 'the first WorkflowTaskCompleted (after any signals that came before it)');
    const old = await env.json('workflow', 'describe', '-w', id, '--run-id', handle.firstExecutionRunId);
    assert.equal(old.workflowExecutionInfo.status, 'WORKFLOW_EXECUTION_STATUS_TERMINATED');
    await env.json('workflow', 'signal', '-w', id, '--name', 'finish');
    const result = await env.json('workflow', 'result', '-w', id);
    assert.deepEqual(result.result, ['x', 'y'], 'the reset run got both signals again');
    const bad = await env.cli(['workflow', 'reset', '-w', id, '--event-id', '2']); // WorkflowExecutionStarted: no task there
    assert.equal(bad.code, 1);
    assert.match(errorLine(bad), /Can only reset workflow to event ID in range/);
    const usage = await env.cli(['workflow', 'reset', '-w', id]);
    assert.equal(errorLine(usage), 'give exactly one of --event-id and --type');
  });

  it('activity pause / unpause / reset: an operator holds and releases a pending activity', T, async () => {
    const service = env.client.workflowService;
    const queue = uid('nobody');
    const handle = await env.client.workflow.start('collector', { taskQueue: queue, workflowId: uid('act'), args: [] });
    const task = await service.pollWorkflowTaskQueue({ namespace: 'default', taskQueue: { name: queue }, identity: 'test' });
    await service.respondWorkflowTaskCompleted({
      namespace: 'default',
      taskToken: task.taskToken,
      identity: 'test',
      commands: [{ commandType: 1, scheduleActivityTaskCommandAttributes: { activityId: 'a1', activityType: { name: 'charge' }, taskQueue: { name: queue }, startToCloseTimeout: { seconds: 60 } } }],
    });
    const activity = async () => (await service.describeWorkflowExecution({ namespace: 'default', execution: { workflowId: handle.workflowId } })).pendingActivities[0];
    const paused = await env.json('activity', 'pause', '-w', handle.workflowId, '--activity-id', 'a1', '--reason', 'provider down');
    assert.deepEqual(paused, { workflowId: handle.workflowId, activityId: 'a1', done: true });
    assert.equal((await activity()).paused, true);
    assert.equal((await activity()).pauseInfo.manual.reason, 'provider down');
    const table = await env.cli(['activity', 'unpause', '-w', handle.workflowId, '--activity-type', 'charge', '--reset-attempts']);
    assert.equal(table.stdout, 'Activity unpaused\n');
    assert.equal((await activity()).paused, false);
    await env.json('activity', 'reset', '-w', handle.workflowId, '--match-all');
    assert.equal((await activity()).attempt, 1);
    const both = await env.cli(['activity', 'pause', '-w', handle.workflowId, '--activity-id', 'a1', '--activity-type', 'charge']);
    assert.equal(both.code, 2);
    assert.equal(errorLine(both), 'give exactly one of --activity-id, --activity-type');
    const missing = await env.cli(['activity', 'pause', '-w', handle.workflowId, '--activity-id', 'nope']);
    assert.equal(missing.code, 1);
    assert.match(errorLine(missing), /activity not found/);
    await handle.terminate();
  });

  it('task-queue describe: the worker polling the queue, and the backlog per task type', T, async () => {
    const out = await env.json('task-queue', 'describe', '-t', tq);
    assert.equal(out.taskQueue, tq);
    assert.deepEqual(out.types.map((t) => t.taskQueueType), ['workflow', 'activity']);
    for (const type of out.types) {
      assert.ok(type.pollers.length >= 1, `${type.taskQueueType}: the worker polls it`);
      assert.equal(typeof type.pollers[0].identity, 'string');
      assert.equal(type.stats.approximateBacklogCount, 0);
      assert.deepEqual(type.rateLimit, { requestsPerSecond: 100000, source: 'system' }, 'no limit set');
    }
    const table = await env.cli(['task-queue', 'describe', '-t', tq, '--task-queue-type', 'ACTIVITY']);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /^Pollers:\n {2}Type {6}Identity/);
    assert.match(table.stdout, /\n {2}activity {2}\S+/);
    assert.doesNotMatch(table.stdout, /\n {2}workflow /);
    assert.match(table.stdout, /Tasks:\n {2}Type .*Backlog .*BacklogAge .*AddedPerSecond .*DispatchedPerSecond .*RateLimit\n {2}activity {2}0 .*100000 \(system\)/);
    const unused = await env.cli(['task-queue', 'describe', '-t', uid('unused')]);
    assert.match(unused.stdout, /Pollers:\n {2}\(none in the last 5 minutes\)/);
    const bad = await env.cli(['task-queue', 'describe', '-t', tq, '--task-queue-type', 'nexus']);
    assert.equal(bad.code, 2);
    assert.equal(errorLine(bad), '--task-queue-type must be one of workflow, activity; got "nexus"');
  });

  it('usage errors exit 2 naming the flag', T, async () => {
    const cases = [
      [['workflow', 'describe'], /^missing required flag --workflow-id for "duraflow workflow describe"$/],
      [['workflow', 'start', '--task-queue', 'q'], /^missing required flag --type/],
      [['workflow', 'list', '--bogus', '1'], /^unknown flag --bogus for "duraflow workflow list"/],
      [['workflow', 'start', '--type', 'x', '-t', 'q', '--input', '{oops'], /^--input must be JSON/],
      [['workflow', 'start', '--type', 'x', '-t', 'q', '--run-timeout', 'soon'], /^--run-timeout must be a duration/],
      [['workflow', 'list', '-o', 'xml'], /^--output must be one of table, text, json, jsonl; got "xml"$/],
      [['workflow', 'frobnicate'], /^unknown command "duraflow workflow frobnicate"/],
      [['workflow', 'describe', '-w', 'x', 'extra'], /^unexpected argument "extra"/],
      [['workflow', 'query', '-w', 'x', '--name', 'q', '--reject-condition', 'sometimes'], /^--reject-condition must be one of NotOpen, NotCompletedCleanly/],
    ];
    for (const [args, expected] of cases) {
      const r = await env.cli(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(errorLine(r), expected);
    }
  });

  it('--help on the group and on every command', T, async () => {
    const group = await env.cli(['workflow', '--help']);
    assert.equal(group.code, 0);
    for (const name of ['start', 'execute', 'list', 'count', 'describe', 'show', 'signal', 'query', 'update', 'cancel', 'terminate', 'result']) {
      assert.match(group.stdout, new RegExp(`\\n  ${name} `), name);
      const help = await env.cli(['workflow', ...name.split(' '), '--help']);
      assert.equal(help.code, 0, name);
      assert.match(help.stdout, new RegExp(`^duraflow workflow ${name}: `));
      assert.match(help.stdout, /--address HOST:PORT/);
      assert.match(help.stdout, /--output, -o FORMAT/);
    }
    const show = await env.cli(['workflow', 'show', '-h']);
    assert.match(show.stdout, /--follow, -f\s+Keep printing new events until the workflow closes/);
    const top = await env.cli(['--help']);
    assert.match(top.stdout, /workflow <command>/);
    assert.match(top.stdout, /schedule <command>/);
  });
});
