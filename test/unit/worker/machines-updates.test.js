// Workflow updates in the history state machines: requests from poll messages (validator runs),
// acceptance / rejection / completion as protocol messages plus PROTOCOL_MESSAGE commands, and
// replay from WorkflowExecutionUpdateAccepted / Completed (validator skipped, nothing sent).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WorkflowRunMachine } from '../../../dist/worker/workflow/run-machine.js';
import { replayTask } from '../../../dist/worker/workflow/replay-task.js';
import { HistoryBuilder, CommandType, kinds, messageBody, payload, runTask, updateMessage, valueOf } from './helpers/history-builder.js';

const newMachine = () => new WorkflowRunMachine({ namespace: 'default', taskQueue: 'q', workflowId: 'wf-1', runId: 'run-1', workflowType: 'wf' });
const accept = (id) => ({ kind: 'updateResponse', protocolInstanceId: id, accepted: true });
const completeUpdate = (id, value) => ({ kind: 'updateResponse', protocolInstanceId: id, completed: payload(value) });
const has = (a, kind) => a.jobs.some((j) => j.kind === kind);

describe('updates, live', () => {
  it('delivers a request with the first task, validator on; acceptance and outcome become messages and commands', () => {
    const h = new HistoryBuilder();
    h.started();
    const scheduled = h.wftScheduled();
    const started = h.wftStarted(scheduled);
    const m = newMachine();
    m.addWorkflowTask({ events: h.events, messages: [updateMessage('u1', scheduled, 'setValue', [42])], startedEventId: started });
    const [a] = runTask(m, () => [accept('u1'), completeUpdate('u1', 'ok'), { kind: 'startTimer', seq: 1, startToFireTimeoutMs: 1000 }]);
    assert.deepEqual(kinds(a), ['initializeWorkflow', 'doUpdate']);
    const job = a.jobs[1];
    assert.equal(job.id, 'u1');
    assert.equal(job.protocolInstanceId, 'u1');
    assert.equal(job.name, 'setValue');
    assert.deepEqual(job.input.map(valueOf), [42]);
    assert.equal(job.identity, 'client@host');
    assert.equal(job.runValidator, true);

    const response = m.takeTaskResponse();
    assert.deepEqual(response.commands.map((c) => c.commandType), [
      CommandType.COMMAND_TYPE_PROTOCOL_MESSAGE,
      CommandType.COMMAND_TYPE_PROTOCOL_MESSAGE,
      CommandType.COMMAND_TYPE_START_TIMER,
    ]);
    assert.deepEqual(response.commands.slice(0, 2).map((c) => c.protocolMessageCommandAttributes.messageId), ['u1/request/accept', 'u1/request/complete']);
    assert.deepEqual(response.messages.map((msg) => [msg.id, msg.protocolInstanceId]), [['u1/request/accept', 'u1'], ['u1/request/complete', 'u1']]);
    const acceptance = messageBody(response.messages[0]);
    assert.equal(acceptance.type, 'Acceptance');
    assert.equal(acceptance.body.acceptedRequestMessageId, 'u1/request');
    assert.equal(Number(acceptance.body.acceptedRequestSequencingEventId), scheduled);
    assert.equal(acceptance.body.acceptedRequest.input.name, 'setValue');
    const outcome = messageBody(response.messages[1]);
    assert.equal(outcome.type, 'Response');
    assert.equal(outcome.body.meta.updateId, 'u1');
    assert.deepEqual(outcome.body.outcome.success.payloads.map(valueOf), ['ok']);

    // The server records the commands' events; the cached run matches them in its next task.
    h.wftCompleted(scheduled, started);
    const acc = h.updateAccepted('u1', scheduled, 'setValue', [42]);
    h.updateCompleted('u1', acc, 'ok');
    const ts = h.timerStarted(1, 1000);
    h.timerFired(ts, 1);
    const next = h.task();
    m.addWorkflowTask({ events: h.events, messages: [], startedEventId: next, previousStartedEventId: started });
    assert.deepEqual(kinds(m.nextActivation()), ['fireTimer']);
  });

  it('a rejection is a message without a command, with the failure and the request', () => {
    const h = new HistoryBuilder();
    h.started();
    const first = h.task();
    const m = newMachine();
    m.addWorkflowTask({ events: h.events, messages: [], startedEventId: first });
    runTask(m, () => [{ kind: 'startTimer', seq: 1, startToFireTimeoutMs: 1000 }]);
    m.takeTaskResponse();
    h.wftCompleted();
    h.timerStarted(1, 1000);
    const scheduled = h.wftScheduled();
    const started = h.wftStarted(scheduled);
    m.addWorkflowTask({ events: h.events, messages: [updateMessage('u2', scheduled)], startedEventId: started, previousStartedEventId: first });
    const acts = runTask(m, () => [{ kind: 'updateResponse', protocolInstanceId: 'u2', rejected: { message: 'invalid value' } }]);
    assert.deepEqual(acts.map(kinds), [['doUpdate']]);
    assert.equal(acts[0].isReplaying, false);
    const response = m.takeTaskResponse();
    assert.deepEqual(response.commands, []);
    assert.equal(response.messages.length, 1);
    const rejection = messageBody(response.messages[0]);
    assert.equal(response.messages[0].id, 'u2/request/reject');
    assert.equal(rejection.type, 'Rejection');
    assert.equal(rejection.body.rejectedRequestMessageId, 'u2/request');
    assert.equal(Number(rejection.body.rejectedRequestSequencingEventId), scheduled);
    assert.equal(rejection.body.failure.message, 'invalid value');
    assert.equal(rejection.body.rejectedRequest.meta.updateId, 'u2');
  });

  it('a handler failure after acceptance is the outcome\'s failure', () => {
    const h = new HistoryBuilder();
    h.started();
    const scheduled = h.wftScheduled();
    const started = h.wftStarted(scheduled);
    const m = newMachine();
    m.addWorkflowTask({ events: h.events, messages: [updateMessage('u3', scheduled)], startedEventId: started });
    runTask(m, () => [accept('u3'), { kind: 'updateResponse', protocolInstanceId: 'u3', failed: { message: 'handler threw' } }]);
    const { messages } = m.takeTaskResponse();
    assert.equal(messageBody(messages[1]).body.outcome.failure.message, 'handler threw');
  });

  it('an admitted update event of a new task runs the validator', () => {
    const h = new HistoryBuilder();
    h.started();
    h.fullTask();
    h.timerStarted(1, 1000);
    h.updateAdmitted('u4');
    const last = h.task();
    const m = newMachine();
    m.addWorkflowTask({ events: h.events, messages: [], startedEventId: last });
    const acts = runTask(m, (a) => (has(a, 'initializeWorkflow') ? [{ kind: 'startTimer', seq: 1, startToFireTimeoutMs: 1000 }] : [accept('u4')]));
    assert.deepEqual(acts.map(kinds), [['initializeWorkflow'], ['doUpdate']]);
    assert.equal(acts[1].jobs[0].runValidator, true);
    assert.equal(m.takeTaskResponse().messages[0].id, 'u4/request/accept');
  });

  it('rejects responses to unknown updates and protocol messages it cannot read', () => {
    const h = new HistoryBuilder();
    h.started();
    const m = newMachine();
    m.addWorkflowTask({ events: h.events, messages: [], startedEventId: h.task() });
    m.nextActivation();
    assert.throws(() => m.completeActivation({ commands: [accept('nope')], sinkCalls: [] }), /update nope, which it was never asked to run/);
    const bad = { id: 'x', protocolInstanceId: 'x', eventId: 1, body: { type_url: 'type.googleapis.com/other.Type', value: new Uint8Array() } };
    const h2 = new HistoryBuilder();
    h2.started();
    assert.throws(() => newMachine().addWorkflowTask({ events: h2.events, messages: [bad], startedEventId: h2.task() }), {
      name: 'InvalidHistoryError',
      message: /only temporal\.api\.update\.v1\.Request is understood/,
    });
  });
});

describe('updates, replay', () => {
  it('recreates the request from UpdateAccepted (validator off), sends nothing, matches the recorded events', () => {
    const h = new HistoryBuilder();
    h.started();
    h.fullTask();
    const t = h.timerStarted(1, 1000);
    const s = h.wftScheduled();
    const st = h.wftStarted(s);
    h.wftCompleted(s, st, { coreUsedFlags: [1, 2, 3] });
    const acc = h.updateAccepted('u5', s, 'setValue', [7]);
    h.timerFired(t, 1);
    h.fullTask();
    h.updateCompleted('u5', acc, 'later');
    h.completed('done');
    const m = newMachine();
    m.addWorkflowTask(replayTask(h.events));
    const acts = runTask(m, (a) => {
      if (has(a, 'initializeWorkflow')) return [{ kind: 'startTimer', seq: 1, startToFireTimeoutMs: 1000 }];
      if (has(a, 'doUpdate')) return [accept('u5')];
      return [completeUpdate('u5', 'later'), { kind: 'completeWorkflowExecution', result: payload('done') }];
    });
    assert.deepEqual(acts.map(kinds), [['initializeWorkflow'], ['doUpdate'], ['fireTimer']]);
    assert.equal(acts[1].jobs[0].runValidator, false);
    assert.deepEqual(acts[1].jobs[0].input.map(valueOf), [7]);
    assert.equal(acts[1].historyLength, st, 'the update runs in the task it was sequenced in');
    const response = m.takeTaskResponse();
    assert.deepEqual(response.messages, [], 'nothing is sent while replaying');
  });

  it('an update the code does not accept where history accepted it is a nondeterminism', () => {
    const h = new HistoryBuilder();
    h.started();
    const s = h.wftScheduled();
    const st = h.wftStarted(s);
    h.wftCompleted(s, st);
    h.updateAccepted('u6', s);
    h.completed('done');
    const m = newMachine();
    m.addWorkflowTask(replayTask(h.events));
    m.nextActivation();
    assert.throws(() => m.completeActivation({ commands: [{ kind: 'completeWorkflowExecution', result: payload(1) }], sinkCalls: [] }), {
      name: 'NondeterminismError',
      message: /event 5 \(EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED\): history expects ProtocolMessage\(acceptance of update u6\) but the workflow code produced CompleteWorkflowExecution\(\)/,
    });
  });
});
