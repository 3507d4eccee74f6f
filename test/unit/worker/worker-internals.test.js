// Worker internals without a server: option validation and defaults, the LRU run cache, payload
// codecs over activations and completions, task slots, and nondeterminism source lines.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileWorkerOptions, defaultMaxCachedWorkflows } from '../../../dist/worker/worker-options.js';
import { WorkflowCache } from '../../../dist/worker/workflow-cache.js';
import { decodeActivation, encodeCompletion } from '../../../dist/worker/activation-codec.js';
import { lastWorkflowTaskStarted, userFrame } from '../../../dist/worker/workflow-task-errors.js';

const noop = async () => undefined;

describe('compileWorkerOptions', () => {
  it('fills in the documented defaults', () => {
    const o = compileWorkerOptions({ taskQueue: 'q', activities: { noop } });
    assert.equal(o.namespace, 'default');
    assert.equal(o.maxConcurrentActivityTaskExecutions, 100);
    assert.equal(o.maxConcurrentWorkflowTaskExecutions, Math.min(40, o.maxCachedWorkflows));
    assert.equal(o.maxCachedWorkflows, defaultMaxCachedWorkflows());
    assert.equal(o.shutdownGraceTimeMs, 0);
    assert.equal(o.activationTimeoutMs, 5000);
    assert.equal(o.defaultHeartbeatThrottleIntervalMs, 30_000);
    assert.equal(o.maxHeartbeatThrottleIntervalMs, 60_000);
    assert.match(o.identity, /^\d+@/);
    assert.equal(o.hasWorkflows, false);
    assert.ok(o.ownsConnection);
  });

  it('clamps workflow task slots to the cache size and parses durations', () => {
    const o = compileWorkerOptions({ taskQueue: 'q', workflowsPath: '/x.js', maxCachedWorkflows: 3, shutdownGraceTime: '2s', debugMode: true });
    assert.equal(o.maxConcurrentWorkflowTaskExecutions, 3);
    assert.equal(o.shutdownGraceTimeMs, 2000);
    assert.equal(o.activationTimeoutMs, 0);
  });

  it('rejects bad options with messages that name the option', () => {
    assert.throws(() => compileWorkerOptions({ activities: { noop } }), /taskQueue/);
    assert.throws(() => compileWorkerOptions({ taskQueue: 'q' }), /workflows .* or activities/);
    assert.throws(() => compileWorkerOptions({ taskQueue: 'q', workflowsPath: '/a', workflowBundle: { code: '' } }), /either workflowsPath or workflowBundle/);
    assert.throws(() => compileWorkerOptions({ taskQueue: 'q', activities: { notAFunction: 42 } }), /'activities' holds no functions \(notAFunction: number\), and there are no workflows/);
    assert.throws(() => compileWorkerOptions({ taskQueue: 'q', activities: { noop }, identity: 5 }), /'identity' must be a non-empty string, got 5/);
    assert.throws(() => compileWorkerOptions({ taskQueue: 'q', activities: { noop }, interceptors: 5 }), /'interceptors' must be an object/);
    assert.throws(() => compileWorkerOptions({ taskQueue: 'q', activities: { noop }, interceptors: { workflowModules: 'x.js' } }), /'interceptors\.workflowModules' must be an array of module paths/);
    assert.throws(() => compileWorkerOptions({ taskQueue: 'q', activities: { noop }, stickyQueueScheduleToStartTimeout: -1 }), /'stickyQueueScheduleToStartTimeout' must not be negative/);
    assert.throws(() => compileWorkerOptions({ taskQueue: 'q', activities: { noop }, maxCachedWorkflows: -1 }), /maxCachedWorkflows/);
    assert.throws(() => compileWorkerOptions({ taskQueue: 'q', activities: { noop }, shutdownGraceTime: 'soon' }), /shutdownGraceTime/);
  });
});

describe('WorkflowCache', () => {
  it('evicts the least recently used idle run', () => {
    const busy = new Set();
    const cache = new WorkflowCache(2, (v) => busy.has(v));
    assert.deepEqual(cache.set('a', 'A'), []);
    assert.deepEqual(cache.set('b', 'B'), []);
    cache.get('a');
    assert.deepEqual(cache.set('c', 'C'), [['b', 'B']]);
    busy.add('A');
    assert.deepEqual(cache.set('d', 'D'), [['c', 'C']], 'a busy run is skipped');
    busy.add('D');
    assert.deepEqual(cache.set('e', 'E'), [], 'every other run is busy: the cache overflows');
    assert.equal(cache.size, 3);
  });
});

describe('activation codecs', () => {
  const codec = {
    encode: async (payloads) => payloads.map((p) => ({ metadata: { encoding: new TextEncoder().encode('binary/x') }, data: Uint8Array.from([...p.data].reverse()) })),
    decode: async (payloads) => payloads.map((p) => ({ metadata: { encoding: new TextEncoder().encode('json/plain') }, data: Uint8Array.from([...p.data].reverse()) })),
  };
  const payload = (text) => ({ metadata: { encoding: new TextEncoder().encode('json/plain') }, data: new TextEncoder().encode(text) });
  const text = (p) => new TextDecoder().decode(p.data);

  it('passes values through untouched without codecs', async () => {
    const activation = { runId: 'r', jobs: [] };
    assert.equal(await decodeActivation([], activation), activation);
  });

  it('decodes job payloads but not search attributes', async () => {
    const activation = {
      runId: 'r',
      jobs: [
        { kind: 'signalWorkflow', signalName: 's', input: [payload('"ab"')], headers: { h: payload('1') }, identity: 'i' },
        { kind: 'resolveActivity', seq: 1, isLocal: false, result: { status: 'completed', result: payload('"xy"') } },
        { kind: 'initializeWorkflow', arguments: [payload('12')], searchAttributes: { k: payload('"k"') }, memo: {}, headers: {} },
      ],
    };
    const decoded = await decodeActivation([codec], activation);
    assert.equal(text(decoded.jobs[0].input[0]), '"ba"');
    assert.equal(text(decoded.jobs[0].headers.h), '1');
    assert.equal(text(decoded.jobs[1].result.result), '"yx"');
    assert.equal(text(decoded.jobs[2].arguments[0]), '21');
    assert.equal(text(decoded.jobs[2].searchAttributes.k), '"k"', 'search attributes are left alone');
    assert.equal(text(activation.jobs[0].input[0]), '"ab"', 'the input is not modified');
  });

  it('encodes command payloads and failures', async () => {
    const completion = {
      runId: 'r',
      successful: {
        sinkCalls: [],
        commands: [
          { kind: 'scheduleActivity', seq: 1, arguments: [payload('"ab"')], headers: {} },
          { kind: 'completeWorkflowExecution', result: payload('"cd"') },
          { kind: 'failWorkflowExecution', failure: { message: 'm', applicationFailureInfo: { details: { payloads: [payload('"ef"')] } } } },
        ],
      },
    };
    const encoded = await encodeCompletion([codec], completion);
    const [schedule, complete, fail] = encoded.successful.commands;
    assert.equal(text(schedule.arguments[0]), '"ba"');
    assert.equal(text(complete.result), '"dc"');
    assert.equal(text(fail.failure.applicationFailureInfo.details.payloads[0]), '"fe"');
  });
});

describe('nondeterminism helpers', () => {
  it('picks the first user frame of a command stack', () => {
    const runtime = new URL('../../../dist/workflow/runtime/activator.js', import.meta.url).pathname;
    const stack = `Error\n    at pushCommand (${runtime}:10:5)\n    at pipeline (/app/src/workflows.ts:12:9)\n    at run (/app/src/other.ts:1:1)`;
    assert.equal(userFrame(stack), 'pipeline (/app/src/workflows.ts:12:9)');
  });

  it('finds the last workflow task started event', () => {
    const events = [{ eventType: 1, eventId: 1 }, { eventType: 6, eventId: 3 }, { eventType: 7, eventId: 4 }, { eventType: 6, eventId: 7 }];
    assert.equal(lastWorkflowTaskStarted(events), 7);
  });
});
