// Worker options of sticky execution: defaults, validation, the poll split between the normal and
// the sticky queue, and the task-slot minimum when caching.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileWorkerOptions, splitWorkflowTaskPolls } from '../../../dist/worker/worker-options.js';

const base = { taskQueue: 'q', workflowsPath: '/w.js' };

describe('sticky worker options', () => {
  it('defaults: ratio 0.2 and a 10 s sticky schedule-to-start timeout', () => {
    const o = compileWorkerOptions(base);
    assert.equal(o.nonStickyToStickyPollRatio, 0.2);
    assert.equal(o.stickyQueueScheduleToStartTimeoutMs, 10_000);
  });

  it('takes ms-style durations and numbers of milliseconds', () => {
    assert.equal(compileWorkerOptions({ ...base, stickyQueueScheduleToStartTimeout: '1.5s' }).stickyQueueScheduleToStartTimeoutMs, 1_500);
    assert.equal(compileWorkerOptions({ ...base, stickyQueueScheduleToStartTimeout: 250 }).stickyQueueScheduleToStartTimeoutMs, 250);
    assert.equal(compileWorkerOptions({ ...base, nonStickyToStickyPollRatio: 0.5 }).nonStickyToStickyPollRatio, 0.5);
  });

  it('rejects a ratio outside 0..1 and a bad duration, naming the option', () => {
    for (const bad of [-0.1, 1.5, Number.NaN, '0.2']) {
      assert.throws(() => compileWorkerOptions({ ...base, nonStickyToStickyPollRatio: bad }), /nonStickyToStickyPollRatio/);
    }
    assert.throws(() => compileWorkerOptions({ ...base, stickyQueueScheduleToStartTimeout: 'soonish' }), /stickyQueueScheduleToStartTimeout/);
  });

  it('with caching, at least 2 workflow task slots (a sticky and a normal poll); without, as given', () => {
    assert.equal(compileWorkerOptions({ ...base, maxCachedWorkflows: 1 }).maxConcurrentWorkflowTaskExecutions, 2);
    assert.equal(compileWorkerOptions({ ...base, maxCachedWorkflows: 5, maxConcurrentWorkflowTaskExecutions: 1 }).maxConcurrentWorkflowTaskExecutions, 2);
    assert.equal(compileWorkerOptions({ ...base, maxCachedWorkflows: 0, maxConcurrentWorkflowTaskExecutions: 1 }).maxConcurrentWorkflowTaskExecutions, 1);
    assert.equal(compileWorkerOptions({ ...base, maxCachedWorkflows: 3 }).maxConcurrentWorkflowTaskExecutions, 3);
  });
});

describe('splitWorkflowTaskPolls', () => {
  it('gives the normal queue floor(polls × ratio), at least 1, and the sticky queue the rest, at least 1', () => {
    assert.deepEqual(splitWorkflowTaskPolls(10, 0.2), { normal: 2, sticky: 8 });
    assert.deepEqual(splitWorkflowTaskPolls(5, 0.2), { normal: 1, sticky: 4 });
    assert.deepEqual(splitWorkflowTaskPolls(2, 0.2), { normal: 1, sticky: 1 });
    assert.deepEqual(splitWorkflowTaskPolls(1, 0.2), { normal: 1, sticky: 1 }, 'one poll still means one of each');
    assert.deepEqual(splitWorkflowTaskPolls(10, 0), { normal: 1, sticky: 9 });
    assert.deepEqual(splitWorkflowTaskPolls(10, 1), { normal: 10, sticky: 1 });
  });
});
