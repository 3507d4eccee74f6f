// Updates, signals and upserts on duraflow's worker, driven by duraflow's client against the dev
// server: validators, acceptance, rejection and completion, allHandlersFinished, the unfinished
// handler warnings (WARN_AND_ABANDON vs ABANDON, worded as the official SDK's), update-with-start,
// buffered signals, typed and legacy upsertSearchAttributes and upsertMemo.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { WithStartWorkflowOperation } from 'duraflow/client';
import { startEnv } from '../fixtures/worker-api/env.js';
import { T, uid } from '../fixtures/worker-api/helpers.js';
import { messageScenarios } from '../fixtures/worker-api/scenarios-messages.js';

describe('updates, signals and upserts on our worker', () => {
  let env;
  before(async () => {
    env = await startEnv();
  });
  after(async () => {
    await env?.stop();
  });

  for (const [name, scenario] of Object.entries(messageScenarios)) {
    it(name, T, async () => {
      const withStart = (type, options) => new WithStartWorkflowOperation(type, options);
      await scenario({ client: env.client, taskQueue: env.taskQueue, withStart });
    });
  }

  /** Runs `unfinished` with `policy`, leaving an update and a signal handler running; returns its warnings. */
  async function unfinishedWarnings(policy) {
    const handle = await env.client.workflow.start('unfinished', { taskQueue: env.taskQueue, workflowId: uid('unfinished'), args: [policy] });
    const update = await handle.startUpdate('add', { args: [1], updateId: 'stuck', waitForStage: 'ACCEPTED' });
    await handle.signal('childSignal', 'x');
    await handle.signal('proceed');
    assert.equal(await handle.result(), 'done');
    await assert.rejects(update.result(), 'the update never completes: the client gets an error');
    return env.logs.filter((e) => e.level === 'WARN' && e.meta?.workflowId === handle.workflowId).map((e) => e.message);
  }

  it('warns about handlers still running when the workflow finishes (WARN_AND_ABANDON)', T, async () => {
    const warnings = await unfinishedWarnings('WARN_AND_ABANDON');
    assert.equal(warnings.length, 2, JSON.stringify(warnings));
    const [updateWarning, signalWarning] = warnings;
    assert.ok(updateWarning.startsWith('[TMPRL1102] Workflow finished while an update handler was still running. This may have interrupted work that the update handler was doing,'), updateWarning);
    assert.ok(updateWarning.includes('`await workflow.condition(workflow.allHandlersFinished)`'), updateWarning);
    assert.ok(updateWarning.endsWith('The following updates were unfinished (and warnings were not disabled for their handler): [{"name":"add","id":"stuck"}]'), updateWarning);
    assert.ok(signalWarning.startsWith('[TMPRL1102] Workflow finished while a signal handler was still running.'), signalWarning);
    assert.ok(signalWarning.endsWith('The following signals were unfinished (and warnings were not disabled for their handler): [{"name":"childSignal","count":1}]'), signalWarning);
  });

  it('does not warn for handlers with unfinishedPolicy ABANDON', T, async () => {
    assert.deepEqual(await unfinishedWarnings('ABANDON'), []);
  });
});
