// Built-in queries on duraflow's worker, driven by duraflow's client against the dev server:
// `__stack_trace` lists the workflow's pending awaits (timer, activity, condition, child start and
// child result) as source-mapped user frames, `__enhanced_stack_trace` gives the same as structured
// locations (SDK frames marked internal), and `__temporal_workflow_metadata` describes the
// registered handlers.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { Context } from 'duraflow/activity';
import * as activities from '../fixtures/worker-api/activities.js';
import { fixturePath, startEnv } from '../fixtures/worker-api/env.js';
import { eventsOf, ofType, T, uid, waitFor } from '../fixtures/worker-api/helpers.js';

const workflowsPath = fixturePath('stack-workflows.js');
/** The 1-based line of the fixture marked `// STACK: <label>`. */
function lineOf(label) {
  const index = readFileSync(workflowsPath, 'utf8').split('\n').findIndex((line) => line.endsWith(`// STACK: ${label}`));
  assert.ok(index >= 0, `no line marked ${label}`);
  return index + 1;
}

describe('built-in queries on our worker', () => {
  let env;
  let handle;
  before(async () => {
    env = await startEnv({ workflowsPath, activities: { ...activities, waitForCancel: activities.makeWaitForCancel(Context) } });
    handle = await env.client.workflow.start('stuck', { taskQueue: env.taskQueue, workflowId: uid('stuck') });
    await waitFor('the child to start', async () => ofType(await eventsOf(handle), 'CHILD_WORKFLOW_EXECUTION_STARTED').length > 0);
    await waitFor('the child result to be awaited', async () => ofType(await eventsOf(handle), 'WORKFLOW_TASK_COMPLETED').length >= 2);
  });
  after(async () => {
    await handle?.terminate().catch(() => undefined);
    await env?.stop();
  });

  it('__stack_trace: each pending await, as the user frames of where it was made', T, async () => {
    const trace = await handle.query('__stack_trace');
    const stacks = trace.split('\n\n');
    const tops = stacks.map((stack) => stack.split('\n')[0].trim());
    const at = (fn, label) => new RegExp(`^at ${fn} \\(${workflowsPath.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:${lineOf(label)}:\\d+\\)$`);
    const expected = [
      ['waitOnTimer', 'timer'],
      ['waitOnActivity', 'activity'],
      ['waitOnCondition', 'condition'],
      ['waitOnChild', 'child result'],
    ];
    assert.equal(stacks.length, expected.length, trace);
    for (const [fn, label] of expected) assert.ok(tops.some((top) => at(fn, label).test(top)), `${fn} at the "${label}" line in:\n${trace}`);
    for (const stack of stacks) {
      assert.match(stack, /at (async )?stuck \(.*stack-workflows\.js:\d+:\d+\)/, 'the caller is there too');
      assert.doesNotMatch(stack, /workflow-bundle|\/src\/workflow\/|\/dist\/workflow\//, 'no bundle positions, no SDK frames');
    }
  });

  it('__enhanced_stack_trace: the same stacks as locations, SDK frames marked internal', T, async () => {
    const trace = await handle.query('__enhanced_stack_trace');
    assert.equal(trace.sdk.name, 'duraflow');
    assert.match(trace.sdk.version, /^\d+\.\d+\.\d+/);
    assert.deepEqual(trace.sources, {});
    assert.equal(trace.stacks.length, 4);
    for (const { locations } of trace.stacks) {
      const user = locations.filter((l) => !l.internal_code);
      assert.ok(locations.some((l) => l.internal_code), 'the SDK call is there, marked internal');
      assert.equal(user[0].file_path, workflowsPath);
      assert.ok(user.every((l) => Number.isInteger(l.line) && Number.isInteger(l.column) && l.file_path === workflowsPath));
    }
    const lines = trace.stacks.map(({ locations }) => locations.find((l) => !l.internal_code).line).sort((a, b) => a - b);
    assert.deepEqual(lines, [lineOf('timer'), lineOf('activity'), lineOf('condition'), lineOf('child result')].sort((a, b) => a - b));
  });

  it('__temporal_workflow_metadata: the handlers with their descriptions', T, async () => {
    const metadata = await handle.query('__temporal_workflow_metadata');
    assert.deepEqual(metadata, {
      definition: {
        type: 'stuck',
        queryDefinitions: [
          { name: '__stack_trace', description: 'Returns a sensible stack trace.' },
          { name: '__enhanced_stack_trace', description: 'Returns a stack trace annotated with source information.' },
          { name: '__temporal_workflow_metadata', description: 'Returns metadata associated with this workflow.' },
          { name: 'peek', description: 'Whether proceed was signalled' },
        ],
        signalDefinitions: [{ name: 'proceed', description: 'Unblocks the condition' }],
        updateDefinitions: [{ name: 'poke', description: 'Answers poked' }],
      },
      currentDetails: 'waiting in four places',
    });
  });

  it('the workflow proceeds once signalled', T, async () => {
    await handle.signal('proceed');
    assert.equal(await handle.result(), 'unblocked');
  });
});
