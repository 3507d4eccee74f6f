// The dev server under hostile requests, run as its own process (`duraflow server start-dev`): a crash
// shows as an exited process and a blocked event loop as a missed deadline, instead of taking the
// test process down or hanging it. The first cases are requests that once ended or froze the server;
// the last sends seeded random requests and expects a gRPC status for each and a server that still
// answers afterwards.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { call, expectRpcError, status, statusName, workflowServiceClient } from './helpers/rpc.js';
import { randomRequests } from './helpers/random-requests.js';
import { NAMESPACE, enums, num, startRequest, uid } from './helpers/workflows.js';

const BIN = new URL('../../bin/duraflow.js', import.meta.url).pathname;

/** Starts `duraflow server start-dev` on a free port; resolves once it printed its address. */
async function startServerProcess() {
  const child = spawn(process.execPath, [BIN, 'server', 'start-dev', '--port', '0', '--headless', '--output', 'json', '--log-level', 'error'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = once(child, 'exit');
  const ready = once(createInterface({ input: child.stdout }), 'line');
  const first = await Promise.race([ready, exited.then(([code, signal]) => assert.fail(`the server exited (${code ?? signal}) before it was ready: ${stderr}`))]);
  const { address } = JSON.parse(first[0]);
  return { child, address, stderr: () => stderr, exitCode: () => child.exitCode ?? child.signalCode };
}

describe('dev server: hostile input, server in its own process', () => {
  let server;
  let client;
  /** Calls the server; every call has a deadline, so a frozen server fails the call, not the run. */
  const rpc = (method, request, deadlineMs = 5_000) => call(client, method, request, { deadlineMs });

  /** The server process is alive and answers a plain call within 5 s. */
  async function assertAnswering() {
    assert.equal(server.exitCode(), null, `the server process ended: ${server.stderr()}`);
    const namespace = await rpc('DescribeNamespace', { namespace: NAMESPACE });
    assert.equal(namespace.namespaceInfo.name, NAMESPACE);
  }

  before(async () => {
    server = await startServerProcess();
    client = workflowServiceClient(server.address);
  });
  after(async () => {
    client?.close();
    if (server && server.exitCode() === null) {
      server.child.kill('SIGTERM');
      await once(server.child, 'exit');
    }
  });

  it('an error message quoting a character outside the BMP is sent whole', async () => {
    // The query tokenizer quoted half of the emoji (a lone surrogate); grpc-js's encodeURI of the
    // status message threw on it, outside any handler, and the process ended.
    await expectRpcError(rpc('CountWorkflowExecutions', { namespace: NAMESPACE, query: '\u{1F642}' }), status.INVALID_ARGUMENT, /unexpected character '\u{1F642}'/u);
    await expectRpcError(rpc('ListWorkflowExecutions', { namespace: NAMESPACE, query: 'WorkflowId = \u{1F642}' }), status.INVALID_ARGUMENT, /'\u{1F642}'/u);
    await assertAnswering();
  });

  it('a poll that calls a normal task queue sticky gets its task with full history', async () => {
    // The task row is on the run's normal queue; "moving it to the normal queue" gave it back to the
    // same poll, forever, in one synchronous loop that froze the server.
    const request = startRequest({ taskQueue: { name: uid('sticky-named-normal') } });
    await rpc('StartWorkflowExecution', request);
    const task = await rpc('PollWorkflowTaskQueue', {
      namespace: NAMESPACE,
      taskQueue: { name: request.taskQueue.name, kind: enums.TaskQueueKind.TASK_QUEUE_KIND_STICKY },
      identity: 'hostile-test',
    });
    assert.equal(task.workflowExecution.workflowId, request.workflowId);
    assert.deepEqual(task.history.events.map((e) => num(e.eventId)), [1, 2, 3]);
    await assertAnswering();
  });

  it('answers 600 seeded random requests with a gRPC status each and keeps answering', async () => {
    const { requests, observe } = randomRequests(20261206, { workflowIds: [uid('r'), uid('r'), uid('r')], taskQueues: [uid('rq'), uid('rq')] });
    const unexpected = [];
    const codes = new Map();
    let sent = 0;
    for (const [method, request, deadlineMs] of requests) {
      if (++sent > 600) break;
      try {
        observe(method, await rpc(method, request, deadlineMs));
        codes.set('OK', (codes.get('OK') ?? 0) + 1);
      } catch (error) {
        const name = statusName(error.code);
        codes.set(name, (codes.get(name) ?? 0) + 1);
        // INTERNAL is what a Temporal server answers to a request it cannot decode (a string that is
        // not UTF-8); anything else INTERNAL or UNKNOWN is a handler that threw.
        const undecodable = error.code === status.INTERNAL && /deserializ/i.test(error.details);
        if ((error.code === status.INTERNAL && !undecodable) || error.code === status.UNKNOWN) {
          unexpected.push(`${method} → ${name}: ${error.details}`);
        }
        if (server.exitCode() !== null) break;
      }
    }
    await assertAnswering();
    assert.deepEqual(unexpected, [], `handlers that threw (status counts: ${JSON.stringify(Object.fromEntries(codes))})`);
    assert.ok((codes.get('OK') ?? 0) > 100, `expected many requests to succeed: ${JSON.stringify(Object.fromEntries(codes))}`);
  });
});
