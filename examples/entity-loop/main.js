// node examples/entity-loop/main.js
import { here, runExample } from '../shared.js';

const taskQueue = 'entity-loop';
const result = await runExample({ workflowsPath: here(import.meta.url, 'workflows.js'), taskQueue }, async (client) => {
  const handle = await client.workflow.start('account', { taskQueue, workflowId: 'account-42' });
  for (let i = 1; i <= 12; i++) {
    // Signals go to the latest run of the chain (no run id on the handle).
    await client.workflow.getHandle('account-42').signal('deposit', i);
  }
  await new Promise((resolve) => setTimeout(resolve, 300));
  console.log('balance:', await client.workflow.getHandle('account-42').query('balance'));
  await client.workflow.getHandle('account-42').signal('close');
  return await handle.result(); // follows the continue-as-new chain to the last run
});
console.log(result);
