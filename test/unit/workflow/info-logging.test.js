// Workflow runtime: workflowInfo, uuid4 (same output as the official SDK for the same Math.random
// stream), log and sink calls (replay-aware), commandStack, interceptors, custom converters, and the
// API outside a workflow.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { ApplicationFailure, JsonPayloadConverter } from '../../../dist/common/index.js';
import * as api from '../../../dist/workflow/index.js';
import * as wf from '../../fixtures/workflows/basic.js';
import * as interceptorModule from '../../fixtures/workflows/interceptors.js';
import { commandsOf, failure, jobs, payload, resultOf, Run, runtime, START_TIME_MS, value } from './helpers/harness.js';

const require = createRequire(import.meta.url);
const { alea } = require('@temporalio/workflow/lib/alea.js');
const { uuid4FromRandom: officialUuid4FromRandom } = require('@temporalio/workflow/lib/random-helpers.js');

describe('workflowInfo', () => {
  it('reports every field of the initializeWorkflow job, decoded', async () => {
    const run = new Run(wf);
    const info = resultOf(
      await run.start('infoSnapshot', {
        workflowId: 'order-7',
        namespace: 'ns',
        taskQueue: 'orders',
        attempt: 3,
        firstExecutionRunId: 'run-0',
        continuedFromExecutionRunId: 'run-prev',
        parent: { namespace: 'ns', workflowId: 'parent-wf', runId: 'parent-run' },
        root: { namespace: 'ns', workflowId: 'root-wf', runId: 'root-run' },
        cronSchedule: '@hourly',
        cronScheduleToScheduleIntervalMs: 3_600_000,
        workflowExecutionTimeoutMs: 86_400_000,
        workflowExecutionExpirationTimeMs: START_TIME_MS + 86_400_000,
        workflowRunTimeoutMs: 3_600_000,
        workflowTaskTimeoutMs: 10_000,
        retryPolicy: { initialInterval: { seconds: 1, nanos: 0 }, backoffCoefficient: 2, maximumAttempts: 5 },
        memo: { customer: payload('Ada') },
        searchAttributes: { CustomKeywordField: payload(['gold']) },
        lastCompletionResult: [payload({ previous: true })],
        continuedFailure: failure(ApplicationFailure.create({ message: 'last time' })),
        priority: { priorityKey: 2, fairnessKey: 'tenant-a' },
      })
    );
    assert.deepEqual(
      { ...info, now: undefined },
      {
        workflowId: 'order-7',
        runId: 'run-1',
        workflowType: 'infoSnapshot',
        taskQueue: 'orders',
        namespace: 'ns',
        attempt: 3,
        firstExecutionRunId: 'run-0',
        originalExecutionRunId: 'run-1',
        continuedFromExecutionRunId: 'run-prev',
        parent: { namespace: 'ns', workflowId: 'parent-wf', runId: 'parent-run' },
        root: { workflowId: 'root-wf', runId: 'root-run' },
        startTime: new Date(START_TIME_MS).toISOString(),
        runStartTime: new Date(START_TIME_MS).toISOString(),
        executionTimeoutMs: 86_400_000,
        executionExpirationTime: new Date(START_TIME_MS + 86_400_000).toISOString(),
        runTimeoutMs: 3_600_000,
        taskTimeoutMs: 10_000,
        retryPolicy: { initialInterval: 1000, backoffCoefficient: 2, maximumAttempts: 5 },
        cronSchedule: '@hourly',
        cronScheduleToScheduleInterval: 3_600_000,
        priority: { priorityKey: 2, fairnessKey: 'tenant-a' },
        searchAttributes: { CustomKeywordField: ['gold'] },
        typedSearchAttributes: [],
        memo: { customer: 'Ada' },
        lastResult: { previous: true },
        lastFailure: { name: 'ApplicationFailure', message: 'last time' },
        historyLength: 6,
        historySize: 600,
        continueAsNewSuggested: false,
        unsafe: { isReplaying: false, isReplayingHistoryEvents: false, now: 'number' },
        now: undefined,
      }
    );
  });

  it('history length and continueAsNewSuggested follow each activation', async () => {
    const run = new Run(wf);
    await run.start('historyInfo', {}, [], { historyLength: 3 });
    const result = resultOf(await run.activate([jobs.fireTimer(1)], { historyLength: 8, continueAsNewSuggested: true }));
    assert.deepEqual(result, { first: 3, second: 8, suggested: true });
  });

  it('the workflow function is called without a `this`', async () => {
    const run = new Run(wf);
    assert.equal(resultOf(await run.start('thisInsideWorkflow')), true);
  });
});

describe('uuid4', () => {
  it('gives the official SDK output for the same Math.random stream (the host seeds Math.random)', async () => {
    const run = new Run(wf);
    const originalRandom = Math.random;
    Math.random = alea([7, 8, 9]);
    let ours;
    try {
      ours = resultOf(await run.start('makeUuids', { args: [5] }));
    } finally {
      Math.random = originalRandom;
    }
    const stream = alea([7, 8, 9]);
    const theirs = Array.from({ length: 5 }, () => officialUuid4FromRandom(stream));
    assert.deepEqual(ours, theirs);
    assert.match(ours[0], /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('matches known vectors at the edges of the random range', () => {
    const constant = (x) => () => x;
    assert.equal(api.uuid4.length, 0);
    for (const r of [0, 0.5, 0.999999999, 0.123456789]) {
      const ours = officialUuid4FromRandom(constant(r));
      const original = Math.random;
      Math.random = constant(r);
      try {
        assert.equal(api.uuid4(), ours);
      } finally {
        Math.random = original;
      }
    }
  });

  it('the default child workflow id is drawn from the same stream', async () => {
    const run = new Run(wf);
    const originalRandom = Math.random;
    Math.random = alea(['child']);
    let command;
    try {
      [command] = commandsOf(await run.start('childWithDefaultId'));
    } finally {
      Math.random = originalRandom;
    }
    assert.equal(command.workflowId, officialUuid4FromRandom(alea(['child'])));
  });
});

describe('log and sinks', () => {
  it('log is a __temporal_logger sink call with the workflow attributes; custom sinks are proxied', async () => {
    const run = new Run(wf);
    const { sinkCalls } = (await run.start('logsAndSinks')).successful;
    const info = { workflowId: 'wf-id', runId: 'run-1', workflowType: 'logsAndSinks', namespace: 'default', taskQueue: 'tq' };
    assert.deepEqual(sinkCalls, [
      {
        ifaceName: '__temporal_logger',
        fnName: 'debug',
        args: ['Workflow started', { sdkComponent: 'worker', namespace: 'default', taskQueue: 'tq', workflowId: 'wf-id', runId: 'run-1', workflowType: 'logsAndSinks' }],
        isReplaying: false,
        workflowInfo: info,
      },
      {
        ifaceName: '__temporal_logger',
        fnName: 'info',
        args: ['hello', { sdkComponent: 'workflow', namespace: 'default', taskQueue: 'tq', workflowId: 'wf-id', runId: 'run-1', workflowType: 'logsAndSinks', extra: 1 }],
        isReplaying: false,
        workflowInfo: info,
      },
      { ifaceName: 'metrics', fnName: 'increment', args: ['starts', 1], isReplaying: false, workflowInfo: info },
    ]);
  });

  it('while replaying, log calls are not recorded; other sink calls are, flagged as replaying', async () => {
    const run = new Run(wf);
    const first = (await run.start('logsAndSinks', {}, [], { isReplaying: true })).successful.sinkCalls;
    assert.deepEqual(first.map((c) => [c.ifaceName, c.isReplaying]), [['metrics', true]]);
    const live = (await run.activate([jobs.fireTimer(1)])).successful.sinkCalls;
    assert.deepEqual(live.map((c) => [c.fnName, c.args[0]]), [['warn', 'after sleep'], ['debug', 'Workflow completed']]);
  });
});

describe('commandStack', () => {
  it('returns the stack of the workflow code that issued each command of the last activation', async () => {
    const run = new Run(wf);
    await run.start('greetViaActivity', { args: ['x'] });
    const stack = runtime.commandStack('run-1', 0);
    assert.match(stack, /greetViaActivity .*fixtures\/workflows\/basic\.js:\d+:\d+/);
    assert.equal(runtime.commandStack('run-1', 1), undefined);
  });

  it('follows the reordering of the terminal command', async () => {
    const { commandAfterReturn } = await import('../../fixtures/workflows/cancellation.js');
    const run = new Run({ commandAfterReturn });
    await run.start('commandAfterReturn');
    assert.match(runtime.commandStack('run-1', 0), /fixtures\/workflows\/cancellation\.js/);
    assert.doesNotMatch(runtime.commandStack('run-1', 1), /cancellation\.js/);
  });
});

describe('interceptors and custom converters', () => {
  it('inbound and outbound interceptors from interceptor modules wrap the calls', async () => {
    const run = new Run(wf, { interceptorModules: [interceptorModule] });
    const [cmd] = commandsOf(await run.start('echoThroughActivity', { args: ['a'] }));
    assert.deepEqual(cmd.arguments.map(value), ['in(a)']);
    assert.equal(value(cmd.headers.traced), 'yes');
    assert.equal(resultOf(await run.activate([jobs.activityCompleted(1, 'r')])), 'out(r)');
  });

  it('signal interceptors and getLogAttributes apply', async () => {
    const run = new Run(wf, { interceptorModules: [interceptorModule] });
    const completion = await run.start('collectsSignals', {}, [jobs.signal('note', 1)]);
    assert.equal(resultOf(completion), 'out(1,intercepted)');
    assert.equal(completion.successful.sinkCalls[0].args[1].tenant, 'acme');
  });

  it('uses payloadConverterModule.payloadConverter for arguments and results', async () => {
    const json = new JsonPayloadConverter();
    const upper = {
      toPayload: (v) => json.toPayload(typeof v === 'string' ? v.toUpperCase() : v),
      fromPayload: (p) => json.fromPayload(p),
    };
    const run = new Run(wf, { payloadConverterModule: { payloadConverter: upper } });
    assert.equal(resultOf(await run.start('returnsArgs', { args: [] })).args.length, 0);
    const run2 = new Run({ shout: async () => 'quiet' }, { payloadConverterModule: { payloadConverter: upper } });
    assert.equal(resultOf(await run2.start('shout')), 'QUIET');
  });
});

describe('outside a workflow', () => {
  it('workflow APIs throw IllegalStateError naming the call', async () => {
    runtime.dispose('run-1');
    assert.equal(api.inWorkflowContext(), false);
    assert.throws(() => api.sleep(1), { name: 'IllegalStateError', message: 'Workflow.sleep(...) may only be used from a Workflow Execution.' });
    assert.throws(() => api.workflowInfo(), /Workflow\.workflowInfo\(\.\.\.\) may only be used from a Workflow Execution/);
    assert.throws(() => api.log.info('x'), /may only be used from workflow context/);
    assert.throws(() => api.setHandler(api.defineSignal('s'), () => undefined), /Workflow\.setHandler/);
    assert.throws(() => api.patched('p'), /Workflow\.patch/);
    assert.throws(() => new api.CancellationScope(), /may only be used from a Workflow Execution/);
    await assert.rejects(api.condition(() => true), /Workflow\.condition/);
  });

  it('definitions and proxies can be created at module load', () => {
    assert.deepEqual(api.defineSignal('s'), { type: 'signal', name: 's' });
    const proxy = api.proxyActivities({ startToCloseTimeout: 1000 });
    assert.equal(typeof proxy.anything, 'function');
    assert.throws(() => proxy.anything(), /Workflow\.scheduleActivity/);
  });

  it('dispose releases the run', async () => {
    const run = new Run(wf);
    await run.start('greetViaActivity', { args: ['x'] });
    assert.ok(runtime.commandStack('run-1', 0));
    runtime.dispose('run-1');
    assert.equal(runtime.commandStack('run-1', 0), undefined);
    assert.throws(() => runtime.activate({ runId: 'run-1', jobs: [] }), /no run run-1 \(call createRun first\)/);
  });
});
