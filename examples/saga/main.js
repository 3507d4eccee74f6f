// node examples/saga/main.js
import { here, runExample } from '../shared.js';
import * as activities from './activities.js';

const taskQueue = 'saga';
const outcome = await runExample({ workflowsPath: here(import.meta.url, 'workflows.js'), activities, taskQueue }, async (client) => {
  try {
    return await client.workflow.execute('bookTrip', { taskQueue, workflowId: 'trip-1', args: [{ to: 'Lisbon', failCar: true }] });
  } catch (err) {
    return `failed: ${err.cause?.message}`;
  }
});
console.log(outcome);
console.log('steps:', activities.log.join(' → '));
