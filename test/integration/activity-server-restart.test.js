// duraflow's ActivityWorker survives a dev-server restart: an activity running across the restart
// still reports its result, and polling resumes so that new activities run afterwards.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Connection } from '../../dist/client/index.js';
import { startActivityEnv, uid, waitFor } from '../fixtures/activity/env.js';

const T = { timeout: 90_000 };
const started = new Map();
const releases = new Map();

const activities = {
  async echo(value) {
    return value;
  },
  async waitForRelease(key) {
    started.set(key, true);
    await new Promise((resolve) => releases.set(key, resolve));
    return `released ${key}`;
  },
};

describe('ActivityWorker with the dev server: server restart', () => {
  let env;
  let dir;
  let runError;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'duraflow-activity-restart-'));
    env = await startActivityEnv({ activities, serverOptions: { dbFilename: join(dir, 'dev.db'), longPollMs: 2000 } });
    env.main.running.catch((err) => {
      runError = err;
    });
  });
  after(async () => {
    await env?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('keeps working across a restart of the server', T, async () => {
    const before = await env.start('callActivity', ['echo', ['before restart']]);
    assert.deepEqual(await before.result(), { ok: true, result: 'before restart' });

    const inFlight = await env.start('callActivity', ['waitForRelease', ['during'], { startToCloseTimeout: '60s' }]);
    await waitFor('the activity to start', () => started.get('during'));
    await env.restartServer(500);
    releases.get('during')();
    assert.deepEqual(await inFlight.result(), { ok: true, result: 'released during' });

    const afterRestart = await env.start('callActivity', ['echo', ['after restart']]);
    assert.deepEqual(await afterRestart.result(), { ok: true, result: 'after restart' });
    assert.equal(runError, undefined, 'the worker did not stop');
    assert.equal(env.main.worker.isShuttingDown, false);
  });

  it('backs off and keeps polling when polls fail with UNAVAILABLE (no gRPC-level retries)', T, async () => {
    const bare = await Connection.connect({ address: env.server.address, interceptors: [] });
    try {
      const taskQueue = uid('bare-tq');
      const worker = env.startActivityWorker({ connection: bare, taskQueue });
      let failed;
      worker.running.catch((err) => {
        failed = err;
      });
      const logged = env.logEntries.length;
      await env.restartServer(1500);
      const warnings = env.logEntries.slice(logged).filter((e) => e.level === 'WARN' && /Activity task poll failed \(UNAVAILABLE\)/.test(e.message));
      assert.ok(warnings.length > 0, 'poll failures were logged');
      const handle = await env.start('callActivity', ['echo', ['after outage'], { taskQueue }]);
      assert.deepEqual(await handle.result(), { ok: true, result: 'after outage' });
      assert.equal(failed, undefined);
      await worker.worker.shutdown();
    } finally {
      await bare.close();
    }
  });
});
