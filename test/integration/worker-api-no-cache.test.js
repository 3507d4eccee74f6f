// Every workflow-API scenario (children, external handles, continue-as-new, updates, signals,
// upserts) again, on workers that cache no run: each workflow task replays the run's whole history
// through the state machines before running its new part.
import { after, before, describe, it } from 'node:test';
import { WithStartWorkflowOperation } from 'duraflow/client';
import { startEnv, startWorker } from '../fixtures/worker-api/env.js';
import { T } from '../fixtures/worker-api/helpers.js';
import { canScenarios } from '../fixtures/worker-api/scenarios-can.js';
import { childScenarios } from '../fixtures/worker-api/scenarios-children.js';
import { messageScenarios } from '../fixtures/worker-api/scenarios-messages.js';

describe('the workflow API on workers with maxCachedWorkflows: 0', () => {
  let env;
  let other;
  before(async () => {
    env = await startEnv({ maxCachedWorkflows: 0 });
    other = await startWorker(env.connection, { maxCachedWorkflows: 0 });
  });
  after(async () => {
    await other?.stop();
    await env?.stop();
  });

  const withStart = (type, options) => new WithStartWorkflowOperation(type, options);
  for (const [name, scenario] of Object.entries({ ...childScenarios, ...canScenarios, ...messageScenarios })) {
    it(name, T, async () => {
      await scenario({ client: env.client, taskQueue: env.taskQueue, otherTaskQueue: other.taskQueue, withStart });
    });
  }
});
