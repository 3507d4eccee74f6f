// `duraflow replay` as a child process: histories recorded with duraflow's worker (including one
// saved with `duraflow workflow show -o json`) replay against the workflows that recorded them
// (exit 0, `-o json` parsed); after a non-deterministic change the failing files are named and the
// exit code is 1; usage errors exit 2.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { TestWorkflowEnvironment } from 'duraflow/testing';
import { DefaultLogger, Worker } from 'duraflow/worker';
import { runCli } from '../fixtures/cli/env.js';
import * as activities from '../fixtures/testing/activities.js';
import { changedWorkflowsPath, recordHistories, workflowsPath } from '../fixtures/testing/record-histories.js';

const T = { timeout: 60_000 };

/** Runs an `order` workflow and saves its history with `duraflow workflow show -o json` to `file`. */
async function recordWithCliShow(file) {
  const env = await TestWorkflowEnvironment.createLocal({ server: { log: { level: 'error' } } });
  try {
    const taskQueue = `cli-replay-${randomUUID()}`;
    const workflowId = `shown-${randomUUID()}`;
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowsPath, activities, logger: new DefaultLogger('WARN') });
    await worker.runUntil(env.client.workflow.execute('order', { taskQueue, workflowId, args: ['lamp'] }));
    const shown = await runCli(['workflow', 'show', '-w', workflowId, '-o', 'json', '--address', env.address]);
    assert.equal(shown.code, 0, shown.stderr);
    writeFileSync(file, shown.stdout);
  } finally {
    await env.teardown();
  }
}

/** The one stderr line of a failed command, without its "Error: " prefix. */
function errorLine(result) {
  const lines = result.stderr.split('\n').filter(Boolean);
  assert.equal(lines.length, 1, `expected one line on stderr, got: ${result.stderr}`);
  assert.match(lines[0], /^Error: /);
  return lines[0].slice('Error: '.length);
}

describe('duraflow replay (CLI)', () => {
  let tmp;
  let dir;
  let shownFile;
  let recorded;
  before(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'duraflow-cli-replay-'));
    dir = join(tmp, 'histories');
    recorded = await recordHistories(dir);
    mkdirSync(join(tmp, 'shown'));
    shownFile = join(tmp, 'shown', 'order-shown.json');
    await recordWithCliShow(shownFile);
  });
  after(() => tmp && rmSync(tmp, { recursive: true, force: true }));

  it('-o json: a folder and a file replay cleanly; one entry per file, exit 0', T, async () => {
    const r = await runCli(['replay', dir, shownFile, '--workflows', workflowsPath, '-o', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const results = JSON.parse(r.stdout);
    assert.deepEqual(results, [
      { file: recorded.files.c, workflowId: 'greet-c', ok: true },
      { file: recorded.files.a, workflowId: 'order-a', ok: true },
      { file: recorded.files.b, workflowId: recorded.ids.b, ok: true },
      { file: shownFile, workflowId: 'order-shown', ok: true },
    ]);
  });

  it('table: a progress line per file and a summary (not a terminal)', T, async () => {
    const r = await runCli(['replay', dir, '--workflows', workflowsPath]);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.deepEqual(lines, [
      `ok      ${recorded.files.c} (workflow greet-c)`,
      `ok      ${recorded.files.a} (workflow order-a)`,
      `ok      ${recorded.files.b} (workflow ${recorded.ids.b})`,
      'Replayed 3 histories: 3 passed, 0 failed',
    ]);
    assert.doesNotMatch(r.stdout, /\r/);
  });

  it('after a non-deterministic change: exit 1, the failing files named with the error (-o json)', T, async () => {
    const r = await runCli(['replay', dir, shownFile, '--workflows', changedWorkflowsPath, '-o', 'json']);
    assert.equal(r.code, 1);
    assert.equal(errorLine(r), '3 of 4 histories failed to replay');
    const results = JSON.parse(r.stdout);
    assert.deepEqual(results.map((x) => [x.file, x.ok]), [
      [recorded.files.c, true],
      [recorded.files.a, false],
      [recorded.files.b, false],
      [shownFile, false],
    ]);
    assert.equal(results[0].error, undefined);
    for (const failed of results.slice(1)) {
      assert.match(failed.error, /Nondeterminism at event \d+ .*ScheduleActivityTask.*StartTimer/, failed.error);
    }
  });

  it('after a non-deterministic change: table lines name each failing file with its error', T, async () => {
    const r = await runCli(['replay', recorded.files.a, recorded.files.c, '--workflows', changedWorkflowsPath]);
    assert.equal(r.code, 1);
    assert.equal(errorLine(r), '1 of 2 histories failed to replay');
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 3);
    assert.match(lines[0], new RegExp(`^FAILED  ${recorded.files.a} \\(workflow order-a\\): Nondeterminism`));
    assert.equal(lines[1], `ok      ${recorded.files.c} (workflow greet-c)`);
    assert.equal(lines[2], 'Replayed 2 histories: 1 passed, 1 failed');
  });

  it('reports an unreadable history file as a failure of that file', T, async () => {
    const broken = join(tmp, 'broken.json');
    writeFileSync(broken, '{"events": [');
    const r = await runCli(['replay', broken, recorded.files.c, '--workflows', workflowsPath, '-o', 'json']);
    assert.equal(r.code, 1);
    const results = JSON.parse(r.stdout);
    assert.equal(results[0].ok, false);
    assert.match(results[0].error, /broken\.json: not JSON/);
    assert.equal(results[1].ok, true);
  });

  it('usage errors exit 2 with one line; --help prints the usage', T, async () => {
    const noWorkflows = await runCli(['replay', dir]);
    assert.equal(noWorkflows.code, 2);
    assert.match(errorLine(noWorkflows), /exactly one of --workflows PATH or --workflow-bundle FILE/);
    const noFiles = await runCli(['replay', '--workflows', workflowsPath]);
    assert.equal(noFiles.code, 2);
    assert.match(errorLine(noFiles), /at least one history file or folder/);
    const badFlag = await runCli(['replay', dir, '--workflows', workflowsPath, '--frobnicate']);
    assert.equal(badFlag.code, 2);
    assert.match(errorLine(badFlag), /unknown flag --frobnicate/);
    const missing = await runCli(['replay', join(tmp, 'nope'), '--workflows', workflowsPath]);
    assert.equal(missing.code, 1);
    assert.match(errorLine(missing), /Cannot read history path .*nope/);
    const badWorkflows = await runCli(['replay', dir, '--workflows', join(tmp, 'no-such-workflows.js'), '-o', 'json']);
    assert.equal(badWorkflows.code, 1);
    assert.equal(badWorkflows.stdout, '', 'no partial JSON when the workflow code cannot be loaded');
    assert.match(errorLine(badWorkflows), /no-such-workflows\.js/);
    const help = await runCli(['replay', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^duraflow replay: /);
    assert.match(help.stdout, /--workflows PATH/);
    const top = await runCli(['help']);
    assert.match(top.stdout, /replay <history files or folders\.\.\.> --workflows PATH/);
  });
});
