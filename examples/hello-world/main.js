// node examples/hello-world/main.js
import { here, runExample } from '../shared.js';
import * as activities from './activities.js';

const result = await runExample({ workflowsPath: here(import.meta.url, 'workflows.js'), activities, taskQueue: 'hello-world' }, (client) =>
  client.workflow.execute('hello', { taskQueue: 'hello-world', workflowId: 'hello-1', args: ['Temporal'] }),
);
console.log(result);
