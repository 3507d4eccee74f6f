// duraflow/testing's replayHistoriesFromDirectory: histories recorded with duraflow's worker (as
// historyToJSON JSON, { workflowId, history } JSON and binary protobuf) replay against the same
// workflow code; after a non-deterministic change the failure names the files; unreadable and
// missing histories are reported.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { HistoryReplayFailedError, listHistoryFiles, replayHistoriesFromDirectory } from 'duraflow/testing';
import { bundleWorkflowCode, DefaultLogger } from 'duraflow/worker';
import { changedWorkflowsPath, recordHistories, workflowsPath } from '../fixtures/testing/record-histories.js';

const T = { timeout: 60_000 };
const logger = new DefaultLogger('WARN');

describe('replayHistoriesFromDirectory', () => {
  let tmp;
  let dir;
  let recorded;
  before(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'duraflow-replay-'));
    dir = join(tmp, 'histories');
    recorded = await recordHistories(dir);
  });
  after(() => tmp && rmSync(tmp, { recursive: true, force: true }));

  it('lists the .json and .bin files of a folder, in name order', async () => {
    const files = await listHistoryFiles([dir]);
    assert.deepEqual(files, [recorded.files.c, recorded.files.a, recorded.files.b]);
  });

  it('replays every history against the workflows that recorded them', T, async () => {
    const seen = [];
    const summary = await replayHistoriesFromDirectory({ workflowsPath, directory: dir, logger, onResult: (r) => seen.push(r.file) });
    assert.equal(summary.ok, true);
    assert.deepEqual(summary.failures, []);
    assert.deepEqual(
      summary.results.map((r) => [r.file, r.workflowId, r.ok]),
      [
        [recorded.files.c, 'greet-c', true],
        [recorded.files.a, 'order-a', true],
        [recorded.files.b, recorded.ids.b, true],
      ],
    );
    assert.ok(summary.results.every((r) => typeof r.runId === 'string' && r.runId.length > 0));
    assert.deepEqual(seen, summary.results.map((r) => r.file));
  });

  it('accepts a prebuilt workflow bundle', T, async () => {
    const workflowBundle = await bundleWorkflowCode({ workflowsPath, logger });
    const summary = await replayHistoriesFromDirectory({ workflowBundle, directory: dir });
    assert.equal(summary.results.length, 3);
    assert.equal(summary.ok, true);
  });

  it('fails after a non-deterministic change, naming each file that no longer replays', T, async () => {
    const error = await replayHistoriesFromDirectory({ workflowsPath: changedWorkflowsPath, directory: dir, logger }).then(
      () => assert.fail('expected the replay to fail'),
      (e) => e,
    );
    assert.ok(error instanceof HistoryReplayFailedError, String(error));
    assert.match(error.message, /^2 of 3 histories failed to replay:/);
    assert.ok(error.message.includes(recorded.files.a), error.message);
    assert.ok(error.message.includes(recorded.files.b), error.message);
    assert.ok(!error.message.includes(recorded.files.c), 'the unchanged greet history is not named');
    const failures = error.summary.failures;
    assert.deepEqual(failures.map((f) => f.file), [recorded.files.a, recorded.files.b]);
    for (const f of failures) assert.equal(f.error.name, 'DeterminismViolationError', f.error.stack);
  });

  it('returns the summary instead of throwing with throwOnFailure: false', T, async () => {
    const summary = await replayHistoriesFromDirectory({ workflowsPath: changedWorkflowsPath, directory: dir, logger, throwOnFailure: false });
    assert.equal(summary.ok, false);
    assert.deepEqual(summary.results.map((r) => r.ok), [true, false, false]);
  });

  it('reports unreadable files as failures and an empty folder as an error', T, async () => {
    const bad = join(tmp, 'bad');
    mkdirSync(bad);
    writeFileSync(join(bad, 'broken.json'), '{ "events": [');
    writeFileSync(join(bad, 'not-history.json'), '{ "hello": "world" }');
    const error = await replayHistoriesFromDirectory({ workflowsPath, directory: bad, logger }).catch((e) => e);
    assert.ok(error instanceof HistoryReplayFailedError, String(error));
    assert.match(error.message, /broken\.json.*not JSON/);
    assert.match(error.message, /not-history\.json.*events/);
    const empty = join(tmp, 'empty');
    mkdirSync(empty);
    await assert.rejects(replayHistoriesFromDirectory({ workflowsPath, directory: empty }), /No history files \(\.json, \.bin\) in .*empty/);
    await assert.rejects(replayHistoriesFromDirectory({ workflowsPath, directory: join(tmp, 'missing') }), /Cannot read history path .*missing/);
    await assert.rejects(replayHistoriesFromDirectory({ directory: dir }), /exactly one of workflowsPath or workflowBundle/);
  });
});
