// Platform failures: a worker keeps running across a dev-server restart on a file database (polls
// back off and resume, in-flight workflows and activities complete), and a worker killed with
// SIGKILL mid-activity is replaced by a new worker that completes the workflow (the activity is
// retried per its policy). Public subpaths only.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, describe, it } from 'node:test';
import { Client, Connection } from 'duraflow/client';
import { DevServer } from 'duraflow/server';
import { DefaultLogger, Worker } from 'duraflow/worker';
import * as activities from '../fixtures/worker/activities.js';

const workflowsPath = new URL('../fixtures/worker/workflows.js', import.meta.url).pathname;
const runWorkerScript = new URL('../fixtures/worker/run-worker.js', import.meta.url).pathname;
const uid = (prefix) => `${prefix}-${randomUUID()}`;

describe('worker resilience', () => {
  const dir = mkdtempSync(join(tmpdir(), 'duraflow-resilience-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps running across a dev-server restart on a file database', async () => {
    const dbFilename = join(dir, 'restart.db');
    let server = await DevServer.start({ port: 0, dbFilename, logLevel: 'error' });
    const port = server.port;
    const connection = await Connection.connect({ address: server.address });
    const client = new Client({ connection });
    const taskQueue = uid('restart');
    const worker = await Worker.create({ connection, taskQueue, workflowsPath, activities, logger: new DefaultLogger('ERROR') });
    const running = worker.run();
    try {
      const handles = await Promise.all(
        Array.from({ length: 5 }, () => client.workflow.start('steps', { taskQueue, workflowId: uid('steps'), args: [20] })),
      );
      await new Promise((r) => setTimeout(r, 150));
      await server.stop();
      await new Promise((r) => setTimeout(r, 500));
      server = await DevServer.start({ port, dbFilename, logLevel: 'error' });
      const results = await Promise.all(handles.map((h) => h.result()));
      assert.deepEqual(results, Array(5).fill(210)); // sum of i + 1 for i < 20
      assert.equal(worker.getState(), 'RUNNING');
    } finally {
      worker.shutdown();
      await running;
      await connection.close();
      await server.stop();
    }
  });

  it('replaces a worker killed with SIGKILL mid-activity; the activity is retried', async () => {
    const server = await DevServer.start({ port: 0, logLevel: 'error' });
    const connection = await Connection.connect({ address: server.address });
    const client = new Client({ connection });
    const taskQueue = uid('killed');
    const child = spawn(process.execPath, [runWorkerScript, server.address, taskQueue], { stdio: ['ignore', 'pipe', 'inherit'] });
    const lines = createInterface({ input: child.stdout });
    const seen = (text) => new Promise((resolve) => lines.on('line', (line) => line === text && resolve()));
    const exited = new Promise((resolve) => child.on('exit', resolve));
    let worker;
    let running;
    try {
      await seen('READY');
      const stalling = seen('STALLING');
      const handle = await client.workflow.start('killedMidActivity', { taskQueue, workflowId: uid('killed') });
      await stalling;
      child.kill('SIGKILL');
      await exited;
      worker = await Worker.create({ connection, taskQueue, workflowsPath, activities, logger: new DefaultLogger('ERROR') });
      running = worker.run();
      assert.equal(await handle.result(), 'completed on attempt 2');
    } finally {
      child.kill('SIGKILL');
      worker?.shutdown();
      await running;
      await connection.close();
      await server.stop();
    }
  });
});
