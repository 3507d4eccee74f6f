// node examples/cancellation-and-heartbeating/main.js
import { here, runExample } from '../shared.js';
import * as activities from './activities.js';

const taskQueue = 'cancellation';
const outcome = await runExample({ workflowsPath: here(import.meta.url, 'workflows.js'), activities, taskQueue }, async (client) => {
  const handle = await client.workflow.start('backup', { taskQueue, workflowId: 'backup-1' });
  await new Promise((resolve) => setTimeout(resolve, 1000));
  await handle.cancel();
  try {
    await handle.result();
    return 'finished';
  } catch (err) {
    return `cancelled (${err.cause?.name})`;
  }
});
console.log(outcome, { copiedBeforeCancel: activities.progress.copied > 0, cleanedUp: activities.progress.cleanedUp });
