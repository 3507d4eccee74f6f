// Workflow interceptors on duraflow's worker (`interceptors: { workflowModules: [path] }`), driven by
// duraflow's client against the dev server: inbound (execute, handleSignal, handleQuery,
// handleUpdate, validateUpdate), outbound (scheduleActivity, startTimer, startChildWorkflowExecution,
// signalWorkflow, continueAsNew, getLogAttributes) and internals (activate, concludeActivation);
// headers set by outbound interceptors are recorded in history.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fixturePath, startEnv } from '../fixtures/worker-api/env.js';
import { eventsOf, jsonOf, ofType, summarize, T, uid, waitFor } from '../fixtures/worker-api/helpers.js';

describe('workflow interceptors on our worker', () => {
  let env;
  before(async () => {
    env = await startEnv({
      workflowsPath: fixturePath('interceptor-workflows.js'),
      interceptors: { workflowModules: [fixturePath('interceptors.js')] },
    });
  });
  after(async () => {
    await env?.stop();
  });

  it('intercepts calls in, calls out and the runtime; outbound headers reach history', T, async () => {
    const handle = await env.client.workflow.start('intercepted', { taskQueue: env.taskQueue, workflowId: uid('intercepted'), args: [1] });
    const queried = await waitFor('the child to complete', async () => {
      const answer = await handle.query('calls');
      return answer.result.calls.some((c) => c.startsWith('outbound.signalWorkflow')) && ofType(await eventsOf(handle), 'CHILD_WORKFLOW_EXECUTION_COMPLETED').length > 0 && answer;
    });
    assert.equal(queried.via, 'handleQuery', 'the query interceptor wrapped the answer');
    assert.equal(await handle.executeUpdate('double', { args: [4] }), 8);
    await assert.rejects(handle.executeUpdate('double', { args: [13] }), (err) => /13 is rejected by the interceptor/.test(err.cause?.message));
    await assert.rejects(handle.executeUpdate('double', { args: ['x'] }), (err) => /not a number/.test(err.cause?.message));
    await handle.signal('childSignal', 'shout');
    assert.equal((await handle.query('calls')).result.signalled, 'SHOUT', 'the signal interceptor changed the argument');
    await handle.signal('proceed');
    const { calls: secondRun } = await handle.result();
    assert.deepEqual(secondRun.slice(0, 2), ['internals.activate:initializeWorkflow', 'inbound.execute:continueAsNew']);

    // The first run's calls, as the query answered them while it ran.
    const calls = queried.result.calls;
    const expectedInOrder = [
      'internals.activate:initializeWorkflow',
      'inbound.execute:-',
      'outbound.scheduleActivity:echo',
      'internals.concludeActivation:scheduleActivity',
      'internals.activate:resolveActivity',
      'outbound.startTimer:10',
      'internals.concludeActivation:startTimer',
      'internals.activate:fireTimer',
      'outbound.startChildWorkflowExecution:interceptedChild',
      'internals.concludeActivation:startChildWorkflowExecution',
      'internals.activate:resolveChildWorkflowExecutionStart',
      'outbound.signalWorkflow:childSignal',
    ];
    assert.deepEqual(calls.slice(0, expectedInOrder.length), expectedInOrder, JSON.stringify(calls));

    const events = await eventsOf(env.client.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId));
    const header = (attrs) => jsonOf(attrs.header.fields.traced);
    const [scheduled] = ofType(events, 'ACTIVITY_TASK_SCHEDULED');
    assert.equal(header(scheduled.activityTaskScheduledEventAttributes), 'scheduleActivity', summarize(events));
    const [initiated] = ofType(events, 'START_CHILD_WORKFLOW_EXECUTION_INITIATED');
    assert.equal(header(initiated.startChildWorkflowExecutionInitiatedEventAttributes), 'startChildWorkflowExecution');
    const [signalled] = ofType(events, 'SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED');
    assert.equal(header(signalled.signalExternalWorkflowExecutionInitiatedEventAttributes), 'signalWorkflow');
    const [continued] = ofType(events, 'WORKFLOW_EXECUTION_CONTINUED_AS_NEW');
    assert.equal(header(continued.workflowExecutionContinuedAsNewEventAttributes), 'continueAsNew');
    const childId = initiated.startChildWorkflowExecutionInitiatedEventAttributes.workflowId;
    const [childStarted] = await eventsOf(env.client.workflow.getHandle(childId));
    assert.equal(header(childStarted.workflowExecutionStartedEventAttributes), 'startChildWorkflowExecution');
    const childEvents = await eventsOf(env.client.workflow.getHandle(childId));
    const [childSignal] = ofType(childEvents, 'WORKFLOW_EXECUTION_SIGNALED');
    assert.equal(header(childSignal.workflowExecutionSignaledEventAttributes), 'signalWorkflow');

    const entry = env.logs.find((e) => e.message === 'intercepted log');
    assert.ok(entry, 'the workflow log entry reached the worker logger');
    assert.equal(entry.meta.interceptedBy, 'getLogAttributes');
    assert.equal(entry.meta.workflowId, handle.workflowId);
  });
});
