// Child workflows and external workflow handles on duraflow's worker, driven by duraflow's client
// against the dev server: every ChildWorkflowOptions field, parent close policies, cancellation
// types, the deterministic default id, ChildWorkflowHandle.signal/result/firstExecutionRunId,
// ChildWorkflowFailure, WorkflowExecutionAlreadyStartedError, getExternalWorkflowHandle.
import { after, before, describe, it } from 'node:test';
import { startEnv } from '../fixtures/worker-api/env.js';
import { T } from '../fixtures/worker-api/helpers.js';
import { childScenarios } from '../fixtures/worker-api/scenarios-children.js';

describe('child and external workflows on our worker', () => {
  let env;
  before(async () => {
    env = await startEnv();
  });
  after(async () => {
    await env?.stop();
  });

  for (const [name, scenario] of Object.entries(childScenarios)) {
    it(name, T, async () => {
      await scenario({ client: env.client, taskQueue: env.taskQueue });
    });
  }
});
