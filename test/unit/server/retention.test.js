// Namespace retention on the engine (fake clock): a closed run is deleted with its history and
// visibility row once the retention period has passed since it closed; open runs stay; a large
// backlog is deleted a bounded batch at a time; finished batch jobs go the same way.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { startWorkflow } from '../../../dist/server/engine/start.js';
import { terminateRun } from '../../../dist/server/engine/lifecycle.js';
import { RetentionSweeper } from '../../../dist/server/engine/retention.js';
import { DEFAULT_RETENTION_MS } from '../../../dist/server/engine/namespaces.js';
import { BatchStore } from '../../../dist/server/batch/batch-store.js';
import { NS, T0, TQ, createTestEngine } from './helpers/engine-harness.js';

const HOUR = 3_600_000;
const engines = [];

function setup() {
  const clock = { now: T0 };
  const engine = createTestEngine(() => clock.now);
  engines.push(engine);
  const start = (workflowId) =>
    engine.write((tx) => startWorkflow(tx, NS, { workflowId, workflowType: { name: 'W' }, taskQueue: { name: TQ }, requestId: workflowId })).runId;
  const close = (runId) => engine.write((tx) => terminateRun(tx.loadRun(NS, runId), 'done', undefined, 'test'));
  const exists = (runId) => engine.store.getExecutionState(NS, runId) !== undefined;
  const visible = () => engine.store.db.prepare(`SELECT count(*) AS n FROM visibility`).get().n;
  const events = (runId) => engine.store.readEvents(NS, runId, 1).length;
  return { clock, engine, start, close, exists, visible, events, sweeper: new RetentionSweeper(engine) };
}

describe('retention', () => {
  afterEach(() => {
    for (const engine of engines.splice(0)) engine.stop();
  });

  it('deletes a closed run once the retention period has passed since it closed; open runs stay', () => {
    const { clock, start, close, exists, visible, events, sweeper } = setup();
    const early = start('early');
    close(early);
    clock.now += 2 * HOUR;
    const late = start('late');
    close(late);
    const open = start('open');
    assert.equal(visible(), 3);

    clock.now = T0 + DEFAULT_RETENTION_MS;
    assert.deepEqual(sweeper.sweep(), { deleted: 0, more: false }, 'exactly at the retention period: kept');
    clock.now += 1;
    assert.deepEqual(sweeper.sweep(), { deleted: 1, more: false });
    assert.equal(exists(early), false);
    assert.equal(events(early), 0, 'its history is gone too');
    assert.ok(exists(late) && exists(open));

    clock.now += 2 * HOUR;
    assert.equal(sweeper.sweep().deleted, 1);
    assert.equal(exists(late), false);
    clock.now += 365 * 24 * HOUR;
    assert.equal(sweeper.sweep().deleted, 0, 'an open run is never deleted');
    assert.ok(exists(open));
    assert.equal(visible(), 1);
  });

  it('follows each namespace\'s own retention', () => {
    const { clock, engine, start, close, exists, sweeper } = setup();
    engine.store.updateNamespace({ ...engine.store.getNamespace(NS), retentionMs: HOUR });
    const run = start('short');
    close(run);
    clock.now += HOUR + 1;
    assert.equal(sweeper.sweep().deleted, 1);
    assert.equal(exists(run), false);
  });

  it('deletes finished batch jobs past retention too; running ones stay', () => {
    const { clock, engine } = setup();
    const jobs = new BatchStore(engine.store.db);
    const sweeper = new RetentionSweeper(engine, undefined, [(namespace, closedBefore) => jobs.deleteClosedBefore(namespace, closedBefore)]);
    const job = (jobId, state, closeTime) => ({ namespace: NS, jobId, kind: 'terminate', state, startTime: T0, closeTime, total: 0, complete: 0, failure: 0, cursor: 0, identity: '', reason: '', query: '', executions: [], opsPerSecond: 50 });
    jobs.put(job('old', 'completed', T0));
    jobs.put(job('recent', 'failed', T0 + DEFAULT_RETENTION_MS));
    jobs.put(job('running', 'running', undefined));
    clock.now = T0 + DEFAULT_RETENTION_MS + 1;
    sweeper.sweep();
    assert.deepEqual(['old', 'recent', 'running'].map((id) => jobs.get(NS, id)?.jobId), [undefined, 'recent', 'running']);
  });

  it('deletes a large backlog a bounded number of batches per call', () => {
    const { clock, start, close, visible, sweeper } = setup();
    for (let i = 0; i < 450; i++) close(start(`wf-${i}`));
    clock.now += DEFAULT_RETENTION_MS + 1;
    assert.deepEqual(sweeper.sweep(1), { deleted: 200, more: true });
    assert.equal(visible(), 250);
    assert.deepEqual(sweeper.sweep(), { deleted: 250, more: false });
    assert.equal(visible(), 0);
  });
});
