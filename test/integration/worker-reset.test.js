// A reset run on duraflow's worker: ResetWorkflowExecution to the first workflow task starts a new
// run that duraflow's worker runs from the reset point, with the signals reapplied; the old run is
// terminated by the resetter. Public subpaths only.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { DefaultLogger, Worker } from 'duraflow/worker';
import * as activities from '../fixtures/worker/activities.js';
import { devServerSuite } from './helpers/dev-server-suite.js';

const workflowsPath = new URL('../fixtures/worker/workflows.js', import.meta.url).pathname;

describe('reset: duraflow worker', () => {
  const suite = devServerSuite();

  it('runs the new run from the reset point with the reapplied signals', async () => {
    const { client, connection } = suite;
    const taskQueue = `reset-${randomUUID()}`;
    const worker = await Worker.create({ connection, taskQueue, workflowsPath, activities, logger: new DefaultLogger('WARN') });
    await worker.runUntil(async () => {
      const handle = await client.workflow.start('order', { taskQueue, workflowId: `order-${randomUUID()}` });
      await handle.signal('addItem', 'pen');
      await handle.signal('approve');
      assert.deepEqual(await handle.result(), { status: 'approved', items: ['pen'], discount: 0 });
      const history = await handle.fetchHistory();
      const firstCompleted = history.events.find((e) => e.eventType === 7); // the first WorkflowTaskCompleted (signals may come before it)
      const { runId } = await client.workflowService.resetWorkflowExecution({
        namespace: 'default',
        workflowExecution: { workflowId: handle.workflowId },
        reason: 'try again',
        workflowTaskFinishEventId: firstCompleted.eventId,
        requestId: randomUUID(),
      });
      const reset = client.workflow.getHandle(handle.workflowId, runId);
      assert.deepEqual(await reset.result(), { status: 'approved', items: ['pen'], discount: 0 });
      const described = await client.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId).describe();
      assert.equal(described.status.name, 'COMPLETED', 'the old run had closed before the reset: left as it was');
    });
  });
});
