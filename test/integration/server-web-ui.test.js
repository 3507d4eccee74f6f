// The dev server's web UI over HTTP: the page and its script are served with a strict content
// security policy; the JSON API answers through the gRPC handlers (same results, same errors mapped
// to HTTP statuses), only for the calls the UI makes, only to same-machine JSON requests, and with
// the server's API key when it has one.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { DevServer } from 'duraflow/server';
import { startServer } from './helpers/rpc.js';
import { NAMESPACE, startWorkflow, uid } from './helpers/workflows.js';

/** POSTs a UI API call; resolves with `{ status, body }`. */
async function api(baseUrl, method, body, { service = 'workflow', headers = {} } = {}) {
  const r = await fetch(new URL(`/api/v1/${service}/${method}`, baseUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body ?? {}),
  });
  return { status: r.status, body: await r.json() };
}

describe('dev server: web UI', () => {
  let env;
  let url;
  before(async () => {
    env = await startServer({ uiPort: 0 });
    url = env.server.uiUrl;
  });
  after(async () => {
    await env?.stop();
  });

  it('serves the page, its script and style; the page forbids framing and foreign scripts', async () => {
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await fetch(url);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type'), /^text\/html/);
    assert.match(page.headers.get('content-security-policy'), /default-src 'self'/);
    assert.equal(page.headers.get('x-frame-options'), 'DENY');
    assert.match(await page.text(), /<script src="\/app\.js" defer><\/script>/);
    const script = await fetch(new URL('/app.js', url));
    assert.match(script.headers.get('content-type'), /^text\/javascript/);
    const source = await script.text();
    assert.doesNotThrow(() => new Function(source), 'the script parses');
    assert.doesNotMatch(source, /innerHTML/, 'the page never parses server data as HTML');
    assert.equal((await fetch(new URL('/app.css', url))).status, 200);
    assert.equal((await fetch(new URL('/nothing-here', url))).status, 404);
  });

  it('answers the UI calls with ProtoJSON from the same handlers as gRPC', async () => {
    const wf = await startWorkflow(env);
    const list = await api(url, 'ListWorkflowExecutions', { namespace: NAMESPACE, query: `WorkflowId = '${wf.workflowId}'` });
    assert.equal(list.status, 200);
    assert.equal(list.body.executions.length, 1);
    const [e] = list.body.executions;
    assert.deepEqual(e.execution, { workflowId: wf.workflowId, runId: wf.runId });
    assert.equal(e.status, 'WORKFLOW_EXECUTION_STATUS_RUNNING');
    const started = Date.now();
    const history = await api(url, 'GetWorkflowExecutionHistory', { namespace: NAMESPACE, execution: { workflowId: wf.workflowId }, waitNewEvent: true });
    assert.ok(Date.now() - started < 5000, 'the UI never long-polls history');
    assert.deepEqual(history.body.history.events.map((ev) => ev.eventType), ['EVENT_TYPE_WORKFLOW_EXECUTION_STARTED', 'EVENT_TYPE_WORKFLOW_TASK_SCHEDULED']);
    assert.equal(history.body.history.events[0].eventId, '1', 'int64 as a string, as ProtoJSON has it');

    const terminated = await api(url, 'TerminateWorkflowExecution', { namespace: NAMESPACE, workflowExecution: { workflowId: wf.workflowId }, reason: 'from the UI' });
    assert.deepEqual(terminated, { status: 200, body: {} });
    const described = await api(url, 'DescribeWorkflowExecution', { namespace: NAMESPACE, execution: { workflowId: wf.workflowId } });
    assert.equal(described.body.workflowExecutionInfo.status, 'WORKFLOW_EXECUTION_STATUS_TERMINATED');
    const attributes = await api(url, 'ListSearchAttributes', { namespace: NAMESPACE }, { service: 'operator' });
    assert.equal(attributes.body.systemAttributes.WorkflowId, 'INDEXED_VALUE_TYPE_KEYWORD');
  });

  it('maps gRPC errors to HTTP statuses with the code and message', async () => {
    assert.deepEqual(await api(url, 'DescribeWorkflowExecution', { namespace: NAMESPACE, execution: { workflowId: uid('none') } }).then((r) => [r.status, r.body.code]), [404, 'NOT_FOUND']);
    const missing = await api(url, 'DescribeWorkflowExecution', { namespace: NAMESPACE, execution: {} });
    assert.deepEqual([missing.status, missing.body.code], [400, 'INVALID_ARGUMENT']);
    assert.match(missing.body.message, /WorkflowId is not set/);
    const badField = await api(url, 'ListWorkflowExecutions', { namespace: NAMESPACE, pageSize: 'many' });
    assert.deepEqual([badField.status, badField.body.code], [400, 'INVALID_ARGUMENT']);
    assert.match(badField.body.message, /ListWorkflowExecutions request is not valid/);
    const badJson = await api(url, 'ListNamespaces', '{nope');
    assert.deepEqual([badJson.status, badJson.body.code], [400, 'INVALID_ARGUMENT']);
  });

  it('opens only the calls the UI makes, only to JSON POSTs addressed to this machine', async () => {
    const poll = await api(url, 'PollWorkflowTaskQueue', { namespace: NAMESPACE, taskQueue: { name: 'x' } });
    assert.deepEqual([poll.status, poll.body.code], [404, 'NOT_FOUND']);
    const form = await fetch(new URL('/api/v1/workflow/TerminateWorkflowExecution', url), { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' });
    assert.equal(form.status, 415, 'a cross-site form post (a "simple" request) is refused');
    assert.equal((await fetch(new URL('/api/v1/workflow/ListNamespaces', url))).status, 405);
    const port = new URL(url).port;
    const { request } = await import('node:http');
    const rebound = await new Promise((resolve, reject) => {
      request({ host: '127.0.0.1', port, path: '/', headers: { host: `attacker.example:${port}` } }, (res) => {
        res.resume();
        resolve(res.statusCode);
      }).on('error', reject).end();
    });
    assert.equal(rebound, 403, 'a request for another host name (DNS rebinding) is refused');
  });

  it('needs the API key when the server has one; no UI without uiPort', async () => {
    const secured = await DevServer.start({ port: 0, uiPort: 0, apiKey: 'sesame' });
    try {
      const without = await api(secured.uiUrl, 'ListNamespaces', {});
      assert.deepEqual([without.status, without.body.code], [401, 'UNAUTHENTICATED']);
      const withKey = await api(secured.uiUrl, 'ListNamespaces', {}, { headers: { authorization: 'Bearer sesame' } });
      assert.equal(withKey.status, 200);
    } finally {
      await secured.stop();
    }
    assert.equal(env.server.uiUrl !== undefined, true);
    const headless = await DevServer.start({ port: 0 });
    assert.equal(headless.uiUrl, undefined);
    await headless.stop();
    await assert.rejects(DevServer.start({ port: 0, uiPort: 70_000 }), /uiPort must be an integer 0-65535, got 70000/);
    await assert.rejects(DevServer.start({ port: 0, uiIp: '0.0.0.0' }), /uiIp needs uiPort/);
  });

  it('a taken UI port fails the start, naming it', async () => {
    const port = Number(new URL(url).port);
    await assert.rejects(DevServer.start({ port: 0, uiPort: port }), /Could not listen for the web UI on 127\.0\.0\.1:\d+/);
  });

  it('start-dev serves the UI on the gRPC port + 1000, and starts without it when that port is taken', async () => {
    // A gRPC port whose + 1000 is the (taken) UI port of the server above.
    const taken = Number(new URL(url).port);
    const grpcPort = taken - 1000;
    if (grpcPort < 1024) return; // (the OS handed out a low port: nothing to check here)
    const child = spawn(process.execPath, [BIN, 'server', 'start-dev', '--port', String(grpcPort), '--output', 'json', '--log-level', 'error'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const [ready, stderr] = await readyLine(child);
      if (ready === undefined && /EADDRINUSE/.test(stderr) && !/web UI/.test(stderr)) return; // the gRPC port itself was taken
      assert.ok(ready, `no ready line; stderr: ${stderr}`);
      assert.equal(ready.uiUrl, null);
      assert.match(stderr, /warning: Could not listen for the web UI on 127\.0\.0\.1:\d+.*starting without the web UI/);
    } finally {
      child.kill('SIGTERM');
    }
  });
});

const BIN = new URL('../../bin/duraflow.js', import.meta.url).pathname;

/** The JSON ready line of a start-dev child (undefined if it exits first) and its stderr so far. */
function readyLine(child) {
  return new Promise((resolve) => {
    let out = '';
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.stdout.on('data', (d) => {
      out += d;
      const line = out.split('\n')[0];
      if (out.includes('\n')) resolve([JSON.parse(line), err]);
    });
    child.once('exit', () => resolve([undefined, err]));
  });
}
