// node examples/child-workflows/main.js
import { here, runExample } from '../shared.js';

const taskQueue = 'child-workflows';
const lines = [{ sku: 'apple', qty: 2 }, { sku: 'pear', qty: 1 }, { sku: 'fig', qty: 5 }];
const result = await runExample({ workflowsPath: here(import.meta.url, 'workflows.js'), taskQueue }, (client) =>
  client.workflow.execute('processOrder', { taskQueue, workflowId: 'order-1', args: [lines] }),
);
console.log(result);
