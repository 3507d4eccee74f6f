// Conformance with the official Temporal Core (the state machines inside @temporalio/core-bridge,
// which the official TypeScript worker runs): each history below is replayed by Core's replay worker
// and by our WorkflowRunMachine, completing every activation with the same scripted commands, and the
// activations (jobs and their order, replaying flag, history length, workflow time, randomness seed)
// and whether a nondeterminism is reported must be the same. Where we report a nondeterminism earlier
// than Core (commands history lacks), only the outcome is compared.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Long from 'long';
import { replayWithCore, replayWithOurs } from './helpers/core-oracle.js';
import { cancelledActivityHistory, HistoryBuilder, payload } from './helpers/history-builder.js';

const id = (n) => Long.fromNumber(n);
const has = (a, kind) => a.jobs.some((j) => j.kind === kind);
const done = { kind: 'completeWorkflowExecution', result: payload('done') };
const timer = (seq, ms = 1000) => ({ kind: 'startTimer', seq, startToFireTimeoutMs: ms });
const activity = (seq, type, cancellationType = 'TRY_CANCEL') => ({
  kind: 'scheduleActivity',
  seq,
  activityId: String(seq),
  activityType: type,
  taskQueue: 'q',
  arguments: [],
  headers: {},
  startToCloseTimeoutMs: 10_000,
  cancellationType,
  doNotEagerlyExecute: false,
});
const localActivity = (seq, cancellationType = 'TRY_CANCEL') => ({
  kind: 'scheduleLocalActivity',
  seq,
  activityId: String(seq),
  activityType: 'la',
  attempt: 1,
  arguments: [],
  headers: {},
  startToCloseTimeoutMs: 10_000,
  localRetryThresholdMs: 60_000,
  cancellationType,
});
const child = (cancellationType) => ({
  kind: 'startChildWorkflowExecution',
  seq: 1,
  namespace: 'default',
  workflowId: 'child-1',
  workflowType: 'childWf',
  taskQueue: 'q',
  input: [],
  parentClosePolicy: 'TERMINATE',
  headers: {},
  cancellationType,
});

/** Scenario name → [history builder, script]. */
const SCENARIOS = {
  'timer then completion'() {
    const h = new HistoryBuilder();
    h.started();
    h.tick(20).fullTask();
    const t = h.timerStarted(1, 1000);
    h.tick(1000).timerFired(t, 1);
    h.tick(5).fullTask();
    h.completed('done');
    return [h, (a) => (has(a, 'initializeWorkflow') ? [timer(1)] : [done])];
  },
  'activity completed, failed and timed out'() {
    const h = new HistoryBuilder();
    h.started();
    h.fullTask();
    const [a, b, c] = [h.activityScheduled(1, 'x'), h.activityScheduled(2, 'y'), h.activityScheduled(3, 'z')];
    h.activityCompleted(a, h.activityStarted(a), 1);
    h.activityFailed(b, h.activityStarted(b), 'no');
    h.activityTimedOut(c, h.activityStarted(c));
    h.fullTask();
    h.completed('done');
    return [h, (x) => (has(x, 'initializeWorkflow') ? [activity(1, 'x'), activity(2, 'y'), activity(3, 'z')] : [done])];
  },
  ...Object.fromEntries(
    ['TRY_CANCEL', 'WAIT_CANCELLATION_COMPLETED', 'ABANDON'].map((ct) => [
      `activity cancelled (${ct})`,
      () => {
        const h = cancelledActivityHistory(ct);
        const script = (a) => {
          if (has(a, 'initializeWorkflow')) return [activity(1, 'slow', ct)];
          if (has(a, 'signalWorkflow')) return [{ kind: 'requestCancelActivity', seq: 1 }];
          return has(a, 'resolveActivity') ? [done] : [];
        };
        return [h, script];
      },
    ])
  ),
  'signals, cancel request, failed and timed-out tasks'() {
    const h = new HistoryBuilder();
    h.started();
    h.fullTask();
    const t = h.timerStarted(1, 1000);
    h.signaled('a');
    h.task();
    h.tick(10_000).wftTimedOut();
    h.timerFired(t, 1);
    h.task();
    h.wftFailed();
    h.cancelRequested('bye');
    h.tick(7).fullTask();
    h.completed('done');
    return [h, (a) => (has(a, 'initializeWorkflow') ? [timer(1)] : has(a, 'cancelWorkflow') ? [done] : [])];
  },
  'heartbeat task and a reset'() {
    const h = new HistoryBuilder();
    h.started();
    h.fullTask();
    h.fullTask();
    const t = h.timerStarted(1, 1000);
    h.timerFired(t, 1);
    h.task();
    h.wftFailed(undefined, undefined, 20, 'reset-run');
    h.fullTask();
    h.completed('done');
    return [h, (a) => (has(a, 'initializeWorkflow') ? [timer(1)] : [done])];
  },
  'update accepted, completed later'() {
    const h = new HistoryBuilder();
    h.started();
    h.fullTask();
    const t = h.timerStarted(1, 1000);
    const s = h.wftScheduled();
    h.wftStarted(s);
    h.wftCompleted(s, s + 1, { coreUsedFlags: [1, 2, 3] });
    const acc = h.updateAccepted('u1', s);
    h.timerFired(t, 1);
    h.fullTask();
    h.updateCompleted('u1', acc, 'v');
    h.completed('done');
    const script = (a) => [
      ...(has(a, 'initializeWorkflow') ? [timer(1)] : []),
      ...(has(a, 'doUpdate') ? [{ kind: 'updateResponse', protocolInstanceId: 'u1', accepted: true }] : []),
      ...(has(a, 'fireTimer') ? [{ kind: 'updateResponse', protocolInstanceId: 'u1', completed: payload('v') }, done] : []),
    ];
    return [h, script];
  },
  'patched, deprecated and unpatched code'() {
    const h = new HistoryBuilder();
    h.started();
    h.fullTask();
    h.patchMarker('p1');
    h.upsertChangeVersion(['p1']);
    h.patchMarker('old', true);
    h.upsertChangeVersion(['old', 'p1']);
    const t = h.timerStarted(1, 1000);
    h.timerFired(t, 1);
    h.fullTask();
    h.completed('done');
    return [h, (a) => (has(a, 'initializeWorkflow') ? [{ kind: 'setPatchMarker', patchId: 'p1', deprecated: false }, timer(1)] : [done])];
  },
  'child workflow started, cancelled with TRY_CANCEL'() {
    const h = new HistoryBuilder();
    h.started();
    h.fullTask();
    const init = h.add('EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED', 'startChildWorkflowExecutionInitiatedEventAttributes', { namespace: 'default', workflowId: 'child-1', workflowType: { name: 'childWf' } });
    h.add('EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED', 'childWorkflowExecutionStartedEventAttributes', { initiatedEventId: id(init), workflowExecution: { workflowId: 'child-1', runId: 'cr' } });
    h.fullTask();
    // TRY_CANCEL resolves at once: the workflow completes in the same task that requests the cancellation.
    h.add('EVENT_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED', 'requestCancelExternalWorkflowExecutionInitiatedEventAttributes', { namespace: 'default', workflowExecution: { workflowId: 'child-1', runId: 'cr' }, childWorkflowOnly: true });
    h.completed('done');
    const script = (a) => {
      if (has(a, 'initializeWorkflow')) return [child('TRY_CANCEL')];
      if (has(a, 'resolveChildWorkflowExecutionStart')) return [{ kind: 'cancelChildWorkflowExecution', childWorkflowSeq: 1, reason: 'r' }];
      return has(a, 'resolveChildWorkflowExecution') ? [done] : [];
    };
    return [h, script];
  },
  'local activities from markers, one cancelled'() {
    const h = new HistoryBuilder();
    h.started();
    h.fullTask();
    h.localActivityMarker(1, 'la', 'r1');
    h.signaled('stop');
    h.fullTask();
    h.localActivityMarker(2, 'la', undefined, { failure: { message: 'Activity cancelled', canceledFailureInfo: {} } });
    h.completed('done');
    const script = (a) => {
      if (has(a, 'initializeWorkflow')) return [localActivity(1)];
      const out = [];
      if (a.jobs.some((j) => j.kind === 'resolveActivity' && j.seq === 1)) out.push(localActivity(2));
      if (has(a, 'signalWorkflow')) out.push({ kind: 'requestCancelLocalActivity', seq: 2 });
      if (a.jobs.some((j) => j.kind === 'resolveActivity' && j.seq === 2)) out.push(done);
      return out;
    };
    return [h, script];
  },
  'nondeterminism: timer instead of activity'() {
    const h = new HistoryBuilder();
    h.started();
    h.fullTask();
    const s = h.activityScheduled(1, 'x');
    h.activityCompleted(s, h.activityStarted(s), 1);
    h.fullTask();
    h.completed('done');
    return [h, (a) => (has(a, 'initializeWorkflow') ? [timer(1)] : [done])];
  },
  'nondeterminism: command missing'() {
    const h = new HistoryBuilder();
    h.started();
    h.fullTask();
    h.timerStarted(1, 1000);
    h.completed('done');
    return [h, () => [done]];
  },
  'nondeterminism: extra command (we report it earlier than Core)'() {
    const h = new HistoryBuilder();
    h.started();
    h.fullTask();
    const t = h.timerStarted(1, 1000);
    h.timerFired(t, 1);
    h.fullTask();
    h.completed('done');
    return [h, (a) => (has(a, 'initializeWorkflow') ? [timer(1), timer(2)] : [done]), { outcomeOnly: true }];
  },
};

describe('replay conformance with the official Temporal Core', () => {
  for (const [name, build] of Object.entries(SCENARIOS)) {
    it(name, async () => {
      const [h, script, options] = build();
      const core = await replayWithCore(h.events, script);
      const ours = replayWithOurs(h.events, script);
      assert.equal(Boolean(ours.nondeterminism), Boolean(core.nondeterminism), `core: ${core.nondeterminism}; ours: ${ours.nondeterminism}`);
      if (!options?.outcomeOnly) assert.deepEqual(ours.activations, core.activations);
      assert.ok(core.activations.length > 0);
    });
  }
});
