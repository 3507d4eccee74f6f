// OpenTelemetry tracing end to end: a trace started by a client (duraflow's interceptor, or the
// official @temporalio/client with @temporalio/interceptors-opentelemetry) continues in duraflow's
// worker — RunWorkflow (exported from the sandbox through the `exporter` sink), StartActivity, then
// RunActivity — with the right parent/child links, and a worker without a cache (which replays the
// history on every task) exports no duplicate spans.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import * as otel from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { Resource } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { Client as OfficialClient, Connection as OfficialConnection } from '@temporalio/client';
import { OpenTelemetryWorkflowClientInterceptor as OfficialClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import { Client, Connection } from 'duraflow/client';
import {
  makeWorkflowExporter,
  OpenTelemetryWorkflowClientInterceptor,
  openTelemetryActivityInterceptors,
  workflowInterceptorsPath,
} from 'duraflow/interceptors-opentelemetry';
import { DevServer } from 'duraflow/server';
import { DefaultLogger, Worker } from 'duraflow/worker';
import * as activities from '../fixtures/observability/activities.js';

const workflowsPath = new URL('../fixtures/observability/workflows.js', import.meta.url).pathname;
const uid = (prefix) => `${prefix}-${randomUUID()}`;
const T = { timeout: 90_000 };

/** Checks the client → workflow → activity tree of one tracedWorkflow run and returns its spans by name. */
function assertTrace(spans, startSpanName) {
  const byName = (name) => spans.filter((s) => s.name === name);
  const [start] = byName(startSpanName);
  assert.ok(start, `a ${startSpanName} span in ${spans.map((s) => s.name).join(', ')}`);
  const traceId = start.spanContext().traceId;
  const inTrace = spans.filter((s) => s.spanContext().traceId === traceId);
  const run = byName('RunWorkflow:tracedWorkflow');
  assert.equal(run.length, 1, 'exactly one RunWorkflow span (none from replays)');
  const startActivities = byName('StartActivity:greet');
  const runActivities = byName('RunActivity:greet');
  assert.equal(startActivities.length, 2, 'one StartActivity span per activity (none from replays)');
  assert.equal(runActivities.length, 2);
  assert.equal(inTrace.length, spans.length, 'every span is in the client trace');
  assert.equal(run[0].parentSpanId, start.spanContext().spanId);
  for (const s of startActivities) assert.equal(s.parentSpanId, run[0].spanContext().spanId);
  const startIds = new Set(startActivities.map((s) => s.spanContext().spanId));
  for (const s of runActivities) assert.ok(startIds.has(s.parentSpanId), 'RunActivity is a child of a StartActivity');
  assert.equal(run[0].attributes.workflowType, 'tracedWorkflow', 'workflow spans carry the workflow info');
  assert.equal(run[0].status.code, otel.SpanStatusCode.OK);
}

describe('tracing client → workflow → activity', () => {
  let server;
  let connection;
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider();
  provider.addSpanProcessor(new SimpleSpanProcessor(exporter));

  before(async () => {
    otel.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    otel.propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    otel.trace.setGlobalTracerProvider(provider);
    server = await DevServer.start({ port: 0, logLevel: 'error' });
    connection = await Connection.connect({ address: server.address });
  });
  after(async () => {
    await connection?.close();
    await server?.stop();
    otel.trace.disable();
    otel.propagation.disable();
    otel.context.disable();
  });

  async function runTraced(start) {
    exporter.reset();
    const taskQueue = uid('traced');
    const worker = await Worker.create({
      connection,
      taskQueue,
      workflowsPath,
      activities,
      maxCachedWorkflows: 0,
      logger: new DefaultLogger('WARN'),
      interceptors: { workflowModules: [workflowInterceptorsPath], activity: [openTelemetryActivityInterceptors()] },
      sinks: { exporter: makeWorkflowExporter(new SimpleSpanProcessor(exporter), new Resource({ 'service.name': 'worker' })) },
    });
    const result = await worker.runUntil(() => start(taskQueue));
    assert.deepEqual(result, ['Hello, Ada!', 'Hello, Ada again!']);
    return exporter.getFinishedSpans();
  }

  it('continues a trace started by duraflow’s client interceptor', T, async () => {
    const client = new Client({ connection, interceptors: { workflow: [new OpenTelemetryWorkflowClientInterceptor()] } });
    const spans = await runTraced((taskQueue) => client.workflow.execute('tracedWorkflow', { taskQueue, workflowId: uid('wf'), args: ['Ada'] }));
    assertTrace(spans, 'StartWorkflow:tracedWorkflow');
  });

  it('continues a trace started by the official client’s OpenTelemetry interceptor', T, async () => {
    const officialConnection = await OfficialConnection.connect({ address: server.address });
    try {
      const client = new OfficialClient({ connection: officialConnection, interceptors: { workflow: [new OfficialClientInterceptor()] } });
      const spans = await runTraced((taskQueue) => client.workflow.execute('tracedWorkflow', { taskQueue, workflowId: uid('wf'), args: ['Ada'] }));
      assertTrace(spans, 'StartWorkflow:tracedWorkflow');
    } finally {
      await officialConnection.close();
    }
  });
});
