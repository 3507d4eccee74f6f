// node examples/replay-test/main.js
// Records a history, then checks code changes against it: the pattern for a CI test that catches
// changes that would break workflows already running in production.
import { Worker } from 'duraflow/worker';
import { here, runExample } from '../shared.js';
import * as activities from './activities.js';

const taskQueue = 'replay-test';
const workflowsPath = here(import.meta.url, 'workflows.js');
const history = await runExample({ workflowsPath, activities, taskQueue }, async (client) => {
  const handle = await client.workflow.start('subscription', { taskQueue, workflowId: 'sub-1', args: [3] });
  await handle.result();
  return await handle.fetchHistory(); // in CI: histories saved as JSON files (`duraflow workflow show -o json`)
});

await Worker.runReplayHistory({ workflowsPath }, history);
console.log(`unchanged code: replay of ${history.events.length} events OK`);

try {
  await Worker.runReplayHistory({ workflowsPath: here(import.meta.url, 'workflows-changed.js') }, history);
  console.log('changed code: replay OK (unexpected)');
} catch (err) {
  console.log(`changed code: ${err.name}\n${err.message}`);
}
