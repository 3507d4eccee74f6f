// node examples/timers/main.js
import { here, runExample } from '../shared.js';
import * as activities from './activities.js';

const taskQueue = 'timers';
const result = await runExample({ workflowsPath: here(import.meta.url, 'workflows.js'), activities, taskQueue }, async (client) => {
  const handle = await client.workflow.start('invoiceReminders', { taskQueue, workflowId: 'invoice-7', args: ['INV-7', 300, 5] });
  await new Promise((resolve) => setTimeout(resolve, 800)); // two reminders go out meanwhile
  await handle.signal('paid');
  return await handle.result();
});
console.log(result, { reminders: activities.sent.length });
