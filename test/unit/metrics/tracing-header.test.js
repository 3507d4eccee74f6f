// The trace context travels in the `_tracer-data` Temporal header exactly as
// @temporalio/interceptors-opentelemetry writes it (a json/plain payload of a W3C carrier): our
// main-thread and in-sandbox writers produce the same bytes as the official package, and each side
// reads what the other wrote. The in-sandbox tracer links spans parent → child and exports them
// through the `exporter` sink, marked as replaying when the run replays.
import assert from 'node:assert/strict';
import { AsyncLocalStorage } from 'node:async_hooks';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import * as otel from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { extractContextFromHeaders, headersWithContext, TRACE_HEADER } from '../../../dist/interceptors-opentelemetry/index.js';
import {
  extractFromHeaders,
  formatTraceParent,
  headersWith,
  parseTraceParent,
  WorkflowTracer,
} from '../../../dist/interceptors-opentelemetry/workflow/index.js';
import { setActivator } from '../../../dist/workflow/runtime/current.js';
import { ContinueAsNew } from '../../../dist/workflow/continue-as-new.js';

const require = createRequire(import.meta.url);
const official = require('@temporalio/interceptors-opentelemetry/lib/instrumentation');

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const SPAN_ID = 'b7ad6b7169203331';
const text = (bytes) => Buffer.from(bytes).toString('utf8');

function plain(payload) {
  return { metadata: Object.fromEntries(Object.entries(payload.metadata).map(([k, v]) => [k, text(v)])), data: text(payload.data) };
}

describe('the _tracer-data header', () => {
  const contextManager = new AsyncLocalStorageContextManager();
  before(() => {
    otel.context.setGlobalContextManager(contextManager.enable());
    otel.propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  });
  after(() => {
    otel.propagation.disable();
    otel.context.disable();
  });

  const spanContext = { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: otel.TraceFlags.SAMPLED, traceState: otel.createTraceState('vendor=a1,other=b2') };
  const active = () => otel.trace.setSpanContext(otel.ROOT_CONTEXT, spanContext);

  it('is written byte for byte as the official interceptors write it', () => {
    const theirs = otel.context.with(active(), () => official.headersWithContext({}))[TRACE_HEADER];
    const ours = otel.context.with(active(), () => headersWithContext({}))[TRACE_HEADER];
    const sandbox = headersWith({}, { spanContext: { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 1, traceState: 'vendor=a1,other=b2' } })[TRACE_HEADER];
    const expected = {
      metadata: { encoding: 'json/plain' },
      data: JSON.stringify({ traceparent: `00-${TRACE_ID}-${SPAN_ID}-01`, tracestate: 'vendor=a1,other=b2' }),
    };
    assert.deepEqual(plain(theirs), expected);
    assert.deepEqual(plain(ours), expected);
    assert.deepEqual(plain(sandbox), expected);
  });

  it('is read back by both sides whichever wrote it', () => {
    const theirs = otel.context.with(active(), () => official.headersWithContext({}));
    const sandboxWritten = headersWith({}, { spanContext: { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 0 } });
    const inSandbox = extractFromHeaders(theirs);
    assert.deepEqual(inSandbox, { spanContext: { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 1, isRemote: true, traceState: 'vendor=a1,other=b2' } });
    for (const read of [official.extractContextFromHeaders, extractContextFromHeaders]) {
      const extracted = otel.trace.getSpanContext(read(sandboxWritten));
      assert.equal(extracted.traceId, TRACE_ID);
      assert.equal(extracted.spanId, SPAN_ID);
      assert.equal(extracted.traceFlags, 0);
      assert.equal(extracted.isRemote, true);
    }
    assert.equal(extractFromHeaders({}), undefined);
    assert.equal(extractContextFromHeaders({}), undefined);
  });
});

describe('traceparent parsing', () => {
  it('accepts valid values and rejects what the W3C propagator rejects', () => {
    assert.deepEqual(parseTraceParent(`00-${TRACE_ID}-${SPAN_ID}-01`), { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 1, isRemote: true });
    assert.equal(parseTraceParent(`01-${TRACE_ID}-${SPAN_ID}-01-extra`)?.spanId, SPAN_ID);
    for (const bad of [`ff-${TRACE_ID}-${SPAN_ID}-01`, `00-${TRACE_ID}-${SPAN_ID}-01-x`, `00-${'0'.repeat(32)}-${SPAN_ID}-01`, `00-${TRACE_ID}-${'0'.repeat(16)}-01`, 'junk', undefined]) {
      assert.equal(parseTraceParent(bad), undefined, String(bad));
    }
    assert.equal(formatTraceParent({ traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 1 }), `00-${TRACE_ID}-${SPAN_ID}-01`);
  });
});

describe('WorkflowTracer (in-sandbox spans)', () => {
  let activator;
  before(() => {
    globalThis.AsyncLocalStorage = AsyncLocalStorage;
    activator = {
      info: { workflowId: 'w', runId: 'r', workflowType: 'wf', namespace: 'default', taskQueue: 'q', unsafe: { isReplayingHistoryEvents: false } },
      sinkCalls: [],
    };
    setActivator(activator);
  });
  after(() => {
    setActivator(undefined);
    delete globalThis.AsyncLocalStorage;
  });

  it('continues the header trace, nests child spans across awaits, and exports each span through the exporter sink', async () => {
    const tracer = new WorkflowTracer();
    const parent = extractFromHeaders(headersWith({}, { spanContext: { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 1 } }));
    let activityHeaders;
    await tracer.instrument({
      spanName: 'RunWorkflow:wf',
      context: parent,
      fn: async () => {
        await Promise.resolve();
        await tracer.instrument({
          spanName: 'StartActivity:act',
          fn: async () => {
            activityHeaders = headersWith({}, tracer.active());
          },
        });
      },
    });
    const spans = activator.sinkCalls.map((c) => {
      assert.equal(c.ifaceName, 'exporter');
      assert.equal(c.fnName, 'export');
      return c.args[0][0];
    });
    assert.deepEqual(spans.map((s) => s.name), ['StartActivity:act', 'RunWorkflow:wf']);
    const [start, run] = spans;
    assert.equal(run.spanContext.traceId, TRACE_ID);
    assert.equal(run.parentSpanId, SPAN_ID);
    assert.equal(start.spanContext.traceId, TRACE_ID);
    assert.equal(start.parentSpanId, run.spanContext.spanId);
    assert.deepEqual(run.status, { code: 1 });
    assert.equal(extractFromHeaders(activityHeaders).spanContext.spanId, start.spanContext.spanId);
  });

  it('marks failures (but not ContinueAsNew), and records calls made while replaying as replaying', async () => {
    activator.sinkCalls.length = 0;
    const tracer = new WorkflowTracer();
    await assert.rejects(tracer.instrument({ spanName: 'A', fn: async () => { throw new Error('boom'); } }), /boom/);
    const can = new ContinueAsNew({ workflowType: 'wf', arguments: [], headers: {}, taskQueue: 'q' });
    await assert.rejects(tracer.instrument({ spanName: 'B', acceptableErrors: (e) => e instanceof ContinueAsNew, fn: async () => { throw can; } }));
    activator.info.unsafe.isReplayingHistoryEvents = true;
    tracer.instrument({ spanName: 'C', fn: () => 1 });
    activator.info.unsafe.isReplayingHistoryEvents = false;
    const [a, b, c] = activator.sinkCalls;
    const spanA = a.args[0][0];
    assert.equal(spanA.status.code, 2);
    assert.equal(spanA.status.message, 'boom');
    assert.equal(spanA.events[0].name, 'exception');
    assert.equal(b.args[0][0].status.code, 1);
    assert.equal(a.isReplaying, false);
    assert.equal(c.isReplaying, true, 'the worker drops exporter calls recorded during replay');
    assert.notEqual(spanA.spanContext.traceId, b.args[0][0].spanContext.traceId, 'roots start new traces');
  });

  it('does not export spans of an unsampled parent, but still propagates their context', async () => {
    activator.sinkCalls.length = 0;
    const tracer = new WorkflowTracer();
    const parent = { spanContext: { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 0 } };
    let headers;
    await tracer.instrument({ spanName: 'X', context: parent, fn: async () => { headers = headersWith({}, tracer.active()); } });
    assert.equal(activator.sinkCalls.length, 0);
    assert.match(JSON.parse(text(headers[TRACE_HEADER].data)).traceparent, new RegExp(`^00-${TRACE_ID}-[0-9a-f]{16}-00$`));
  });
});
