// Engine: workflow and activity timeout normalization (pure functions of dist/server/engine/timeouts.js).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RpcError } from '../../../dist/server/errors.js';
import {
  DEFAULT_WORKFLOW_TASK_TIMEOUT_MS,
  MAX_WORKFLOW_TASK_TIMEOUT_MS,
  normalizeActivityTimeouts,
  normalizeWorkflowTimeouts,
} from '../../../dist/server/engine/timeouts.js';

const INVALID_ARGUMENT = 3;
const S = 1000;
const MIN = 60 * S;

const activity = (over = {}) => ({ scheduleToCloseMs: 0, scheduleToStartMs: 0, startToCloseMs: 0, heartbeatMs: 0, ...over });

function rejects(fn, message) {
  assert.throws(fn, (err) => {
    assert.ok(err instanceof RpcError, String(err));
    assert.equal(err.code, INVALID_ARGUMENT);
    assert.equal(err.message, message);
    return true;
  });
}

describe('normalizeWorkflowTimeouts', () => {
  it('defaults the task timeout to 10 s and leaves execution/run infinite', () => {
    assert.equal(DEFAULT_WORKFLOW_TASK_TIMEOUT_MS, 10 * S);
    assert.deepEqual(normalizeWorkflowTimeouts(0, 0, 0), { executionTimeoutMs: 0, runTimeoutMs: 0, taskTimeoutMs: 10 * S });
  });

  it('caps the task timeout at 120 s', () => {
    assert.equal(MAX_WORKFLOW_TASK_TIMEOUT_MS, 120 * S);
    assert.equal(normalizeWorkflowTimeouts(0, 0, 5 * MIN).taskTimeoutMs, 120 * S);
    assert.equal(normalizeWorkflowTimeouts(0, 0, 30 * S).taskTimeoutMs, 30 * S);
  });

  it('run timeout = min(run, execution), or execution when run is 0', () => {
    assert.equal(normalizeWorkflowTimeouts(10 * MIN, 0, 0).runTimeoutMs, 10 * MIN);
    assert.equal(normalizeWorkflowTimeouts(10 * MIN, 20 * MIN, 0).runTimeoutMs, 10 * MIN);
    assert.equal(normalizeWorkflowTimeouts(10 * MIN, 5 * MIN, 0).runTimeoutMs, 5 * MIN);
    assert.equal(normalizeWorkflowTimeouts(0, 5 * MIN, 0).runTimeoutMs, 5 * MIN, 'execution 0 = infinite');
    assert.equal(normalizeWorkflowTimeouts(10 * MIN, 5 * MIN, 0).executionTimeoutMs, 10 * MIN);
  });

  it('caps the task timeout by the run timeout', () => {
    assert.equal(normalizeWorkflowTimeouts(0, 4 * S, 0).taskTimeoutMs, 4 * S);
    assert.equal(normalizeWorkflowTimeouts(3 * S, 0, 60 * S).taskTimeoutMs, 3 * S);
    assert.equal(normalizeWorkflowTimeouts(0, 60 * S, 20 * S).taskTimeoutMs, 20 * S);
  });

  it('rejects negative timeouts', () => {
    rejects(() => normalizeWorkflowTimeouts(-1, 0, 0), 'Invalid WorkflowExecutionTimeout.');
    rejects(() => normalizeWorkflowTimeouts(0, -1, 0), 'Invalid WorkflowRunTimeout.');
    rejects(() => normalizeWorkflowTimeouts(0, 0, -1), 'Invalid WorkflowTaskTimeout.');
  });
});

describe('normalizeActivityTimeouts', () => {
  it('schedule-to-close only: fills schedule-to-start and start-to-close with it', () => {
    assert.deepEqual(normalizeActivityTimeouts(activity({ scheduleToCloseMs: 30 * S }), 0, 'a'), {
      scheduleToCloseMs: 30 * S,
      scheduleToStartMs: 30 * S,
      startToCloseMs: 30 * S,
      heartbeatMs: 0,
    });
  });

  it('schedule-to-close caps the other set timeouts', () => {
    assert.deepEqual(
      normalizeActivityTimeouts(activity({ scheduleToCloseMs: 30 * S, scheduleToStartMs: MIN, startToCloseMs: 10 * S }), 0, 'a'),
      { scheduleToCloseMs: 30 * S, scheduleToStartMs: 30 * S, startToCloseMs: 10 * S, heartbeatMs: 0 },
    );
  });

  it('start-to-close only: schedule-to-close and schedule-to-start become the run timeout', () => {
    assert.deepEqual(normalizeActivityTimeouts(activity({ startToCloseMs: 10 * S }), 5 * MIN, 'a'), {
      scheduleToCloseMs: 5 * MIN,
      scheduleToStartMs: 5 * MIN,
      startToCloseMs: 10 * S,
      heartbeatMs: 0,
    });
    assert.deepEqual(normalizeActivityTimeouts(activity({ startToCloseMs: 10 * S }), 0, 'a'), {
      scheduleToCloseMs: 0,
      scheduleToStartMs: 0,
      startToCloseMs: 10 * S,
      heartbeatMs: 0,
    }, 'an infinite run leaves them infinite');
    assert.equal(
      normalizeActivityTimeouts(activity({ startToCloseMs: 10 * S, scheduleToStartMs: 5 * S }), 5 * MIN, 'a').scheduleToStartMs,
      5 * S,
      'a set schedule-to-start is kept',
    );
  });

  it('neither schedule-to-close nor start-to-close: INVALID_ARGUMENT naming the activity', () => {
    const message = 'A valid StartToClose or ScheduleToCloseTimeout is not set on ScheduleActivityTaskCommand. ActivityId=act-7';
    rejects(() => normalizeActivityTimeouts(activity(), 0, 'act-7'), message);
    rejects(() => normalizeActivityTimeouts(activity({ scheduleToStartMs: S, heartbeatMs: S }), MIN, 'act-7'), message);
  });

  it('rejects negative timeouts', () => {
    rejects(
      () => normalizeActivityTimeouts(activity({ startToCloseMs: S, heartbeatMs: -1 }), 0, 'a1'),
      'Invalid ScheduleActivityTaskCommandAttributes: a timeout is negative. ActivityId=a1',
    );
  });

  it('caps the heartbeat timeout at start-to-close', () => {
    assert.equal(normalizeActivityTimeouts(activity({ startToCloseMs: 10 * S, heartbeatMs: MIN }), 0, 'a').heartbeatMs, 10 * S);
    assert.equal(normalizeActivityTimeouts(activity({ startToCloseMs: 10 * S, heartbeatMs: 2 * S }), 0, 'a').heartbeatMs, 2 * S);
    assert.equal(normalizeActivityTimeouts(activity({ scheduleToCloseMs: 5 * S, heartbeatMs: MIN }), 0, 'a').heartbeatMs, 5 * S);
  });

  it('caps every timeout by the run timeout', () => {
    assert.deepEqual(
      normalizeActivityTimeouts(activity({ scheduleToCloseMs: 10 * MIN, startToCloseMs: 5 * MIN, heartbeatMs: 3 * MIN }), MIN, 'a'),
      { scheduleToCloseMs: MIN, scheduleToStartMs: MIN, startToCloseMs: MIN, heartbeatMs: MIN },
    );
    assert.deepEqual(normalizeActivityTimeouts(activity({ startToCloseMs: 10 * MIN }), MIN, 'a'), {
      scheduleToCloseMs: MIN,
      scheduleToStartMs: MIN,
      startToCloseMs: MIN,
      heartbeatMs: 0,
    });
  });
});
