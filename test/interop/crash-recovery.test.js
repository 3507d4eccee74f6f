// Crash recovery: duraflow's dev server, persisted to a SQLite file, is SIGKILLed while official
// SDK workflows are mid-run (timers and activities pending), then restarted on the same file and
// port. The official worker keeps running across the restart (it retries UNAVAILABLE); every
// workflow must complete with the right result and a clean history (no duplicated events).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import * as activities from '../fixtures/interop/activities.js';
import {
  assertContiguousEventIds,
  bundle,
  DURAFLOW_BIN,
  eventsOfType,
  eventTypeName,
  historyEvents,
  installQuietRuntime,
  summarizeHistory,
  uid,
  waitFor,
} from './helpers.js';

const WORKFLOWS = 10;
const TIMER_MS = 1500;
const SLOW_ACTIVITY_MS = 1000;

async function freePort() {
  return await new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** A dev server child process whose output is kept for diagnostics. */
function startServer(port, dbFile) {
  const child = spawn(
    process.execPath,
    [DURAFLOW_BIN, 'server', 'start-dev', '--port', String(port), '--ip', '127.0.0.1', '--db-filename', dbFile, '--headless'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const output = [];
  child.stdout.on('data', (d) => output.push(d.toString()));
  child.stderr.on('data', (d) => output.push(d.toString()));
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return { child, output, exited };
}

/** Ready = the official client can connect and GetSystemInfo answers. */
async function connectWhenReady(address, server) {
  let exitedEarly;
  server.exited.then((e) => {
    exitedEarly = e;
  });
  return await waitFor(
    `the dev server at ${address} to answer`,
    async () => {
      if (exitedEarly) {
        throw Object.assign(
          new Error(`server exited early (${JSON.stringify(exitedEarly)}): ${server.output.join('')}`),
          { fatal: true },
        );
      }
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.workflowService.getSystemInfo({});
        return connection;
      } catch (err) {
        await connection.close();
        throw err;
      }
    },
    { timeoutMs: 20_000, intervalMs: 100 },
  );
}

async function stopServer(server) {
  if (!server || server.child.exitCode !== null || server.child.signalCode !== null) return;
  server.child.kill('SIGTERM');
  const done = await Promise.race([server.exited, delay(5000, undefined, { ref: false }).then(() => undefined)]);
  if (!done) {
    server.child.kill('SIGKILL');
    await server.exited;
  }
}

describe('interop: crash recovery of the persisted dev server', () => {
  let dir;
  let port;
  let address;
  let server;
  let connection;
  let nativeConnection;
  let worker;
  let workerRun;
  let workerError;
  let workflowBundle;

  before(async () => {
    installQuietRuntime();
    dir = await mkdtemp(path.join(tmpdir(), 'duraflow-crash-'));
    port = await freePort();
    address = `127.0.0.1:${port}`;
    workflowBundle = await bundle('workflows.js');
    server = startServer(port, path.join(dir, 'dev.db'));
    connection = await connectWhenReady(address, server);
  });

  after(async () => {
    if (worker && worker.getState() === 'RUNNING') worker.shutdown();
    await workerRun;
    await nativeConnection?.close().catch(() => {});
    await connection?.close().catch(() => {});
    await stopServer(server);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('19. SIGKILL mid-run, restart on the same file and port: every workflow completes, histories are clean', { timeout: 180_000 }, async (t) => {
    const taskQueue = uid('tq-crash');
    nativeConnection = await NativeConnection.connect({ address });
    worker = await Worker.create({ connection: nativeConnection, namespace: 'default', taskQueue, workflowBundle, activities });
    workerRun = worker.run().catch((err) => {
      workerError = err;
    });

    let client = new Client({ connection, namespace: 'default' });
    const handles = [];
    for (let i = 0; i < WORKFLOWS; i++) {
      handles.push(
        await client.workflow.start('crashSurvivor', {
          taskQueue,
          workflowId: uid(`crash-${i}`),
          // Odd-numbered workflows have slow activities, so the crash also catches some of
          // them with an activity in flight on the worker.
          args: [i, TIMER_MS, i % 2 === 1 ? SLOW_ACTIVITY_MS : 0],
          workflowTaskTimeout: '5s',
        }),
      );
    }
    const runIds = handles.map((h) => h.firstExecutionRunId);

    // Kill once at least half the workflows are waiting on their timer (the fast ones); the slow
    // ones are then typically still running their first activity.
    let closedAtKill;
    let activityPendingAtKill;
    await waitFor('workflows to reach their timer', async () => {
      let withTimer = 0;
      closedAtKill = 0;
      activityPendingAtKill = 0;
      for (const h of handles) {
        const events = await historyEvents(h);
        if (eventsOfType(events, 'TIMER_STARTED').length > 0) withTimer++;
        if (eventsOfType(events, 'WORKFLOW_EXECUTION_COMPLETED').length > 0) closedAtKill++;
        const scheduled = eventsOfType(events, 'ACTIVITY_TASK_SCHEDULED').length;
        if (scheduled > eventsOfType(events, 'ACTIVITY_TASK_COMPLETED').length) activityPendingAtKill++;
      }
      return withTimer >= WORKFLOWS / 2;
    });
    server.child.kill('SIGKILL');
    const exit = await server.exited;
    assert.equal(exit.signal, 'SIGKILL');
    assert.ok(closedAtKill < WORKFLOWS, 'every workflow had already completed before the crash');
    t.diagnostic(
      `at the crash: ${closedAtKill} of ${WORKFLOWS} workflows had completed, ${activityPendingAtKill} had an activity pending`,
    );
    await connection.close();

    // Restart on the same file and port while the worker keeps polling.
    await delay(300);
    server = startServer(port, path.join(dir, 'dev.db'));
    connection = await connectWhenReady(address, server);
    client = new Client({ connection, namespace: 'default' });

    const results = await Promise.all(
      handles.map((h, i) =>
        Promise.race([
          client.workflow.getHandle(h.workflowId).result(),
          delay(120_000, undefined, { ref: false }).then(() => {
            throw new Error(`workflow ${i} (${h.workflowId}) did not complete within 120 s after the restart`);
          }),
        ]),
      ),
    );
    assert.deepEqual(
      results,
      handles.map((_, i) => `a${i}-b${i}`),
    );
    assert.equal(workerError, undefined, `worker stopped: ${workerError}`);
    assert.equal(worker.getState(), 'RUNNING');

    for (const [i, h] of handles.entries()) {
      const handle = client.workflow.getHandle(h.workflowId);
      const desc = await handle.describe();
      assert.equal(desc.runId, runIds[i], 'the run started before the crash is the one that completed');
      assert.equal(desc.status.name, 'COMPLETED');
      const events = await historyEvents(handle);
      const summary = summarizeHistory(events);
      assertContiguousEventIds(assert, events, h.workflowId);
      assert.equal(eventTypeName(events[0]), 'WORKFLOW_EXECUTION_STARTED', summary);
      assert.equal(eventTypeName(events.at(-1)), 'WORKFLOW_EXECUTION_COMPLETED', summary);
      assert.equal(eventsOfType(events, 'WORKFLOW_EXECUTION_STARTED').length, 1, summary);
      assert.equal(eventsOfType(events, 'WORKFLOW_EXECUTION_COMPLETED').length, 1, summary);
      assert.equal(eventsOfType(events, 'TIMER_STARTED').length, 1, summary);
      assert.equal(eventsOfType(events, 'TIMER_FIRED').length, 1, summary);

      const scheduled = eventsOfType(events, 'ACTIVITY_TASK_SCHEDULED');
      assert.equal(scheduled.length, 2, summary);
      const activityIds = scheduled.map((e) => e.activityTaskScheduledEventAttributes.activityId);
      assert.equal(new Set(activityIds).size, 2, `duplicate activity ids ${activityIds}: ${summary}`);
      const scheduledIds = new Set(scheduled.map((e) => Number(e.eventId)));
      for (const closeType of ['ACTIVITY_TASK_STARTED', 'ACTIVITY_TASK_COMPLETED']) {
        const refs = eventsOfType(events, closeType).map((e) =>
          Number((e.activityTaskStartedEventAttributes ?? e.activityTaskCompletedEventAttributes).scheduledEventId),
        );
        assert.equal(refs.length, 2, `${closeType}: ${summary}`);
        assert.deepEqual(new Set(refs), scheduledIds, `${closeType} references: ${summary}`);
      }

      // Each workflow task is started at most once and closed at most once.
      const wftStartedRefs = eventsOfType(events, 'WORKFLOW_TASK_STARTED').map((e) =>
        Number(e.workflowTaskStartedEventAttributes.scheduledEventId),
      );
      assert.equal(new Set(wftStartedRefs).size, wftStartedRefs.length, `workflow task started twice: ${summary}`);
      const wftClosedRefs = [
        ...eventsOfType(events, 'WORKFLOW_TASK_COMPLETED').map((e) =>
          Number(e.workflowTaskCompletedEventAttributes.scheduledEventId),
        ),
        ...eventsOfType(events, 'WORKFLOW_TASK_FAILED').map((e) =>
          Number(e.workflowTaskFailedEventAttributes.scheduledEventId),
        ),
        ...eventsOfType(events, 'WORKFLOW_TASK_TIMED_OUT').map((e) =>
          Number(e.workflowTaskTimedOutEventAttributes.scheduledEventId),
        ),
      ];
      assert.equal(new Set(wftClosedRefs).size, wftClosedRefs.length, `workflow task closed twice: ${summary}`);
    }
  });
});
