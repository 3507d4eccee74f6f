// node examples/signals-and-queries/main.js
import { here, runExample } from '../shared.js';

const taskQueue = 'signals-and-queries';
const result = await runExample({ workflowsPath: here(import.meta.url, 'workflows.js'), taskQueue }, async (client) => {
  const handle = await client.workflow.start('cart', { taskQueue, workflowId: 'cart-1' });
  await handle.signal('addItem', 'apple');
  await handle.signal('addItem', 'pear');
  console.log('items so far:', await handle.query('items'));
  await handle.signal('checkout');
  return await handle.result();
});
console.log(result);
