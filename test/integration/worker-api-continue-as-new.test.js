// Continue-as-new on duraflow's worker, driven by duraflow's client against the dev server:
// continueAsNew and makeContinueAsNewFunc (arguments, another type and task queue, memo, search
// attributes, timeouts), result() following the chain, and workflowInfo()'s historyLength,
// historySize and continueAsNewSuggested.
import { after, before, describe, it } from 'node:test';
import { startEnv, startWorker } from '../fixtures/worker-api/env.js';
import { T } from '../fixtures/worker-api/helpers.js';
import { canScenarios } from '../fixtures/worker-api/scenarios-can.js';

describe('continue-as-new on our worker', () => {
  let env;
  let other;
  before(async () => {
    env = await startEnv();
    other = await startWorker(env.connection);
  });
  after(async () => {
    await other?.stop();
    await env?.stop();
  });

  for (const [name, scenario] of Object.entries(canScenarios)) {
    it(name, T, async () => {
      await scenario({ client: env.client, taskQueue: env.taskQueue, otherTaskQueue: other.taskQueue });
    });
  }
});
