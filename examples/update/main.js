// node examples/update/main.js
import { here, runExample } from '../shared.js';

const taskQueue = 'update';
const result = await runExample({ workflowsPath: here(import.meta.url, 'workflows.js'), taskQueue }, async (client) => {
  const handle = await client.workflow.start('venue', { taskQueue, workflowId: 'venue-1', args: [2] });
  console.log('Ada gets seat', await handle.executeUpdate('reserve', { args: ['Ada'] }));
  console.log('Grace gets seat', await handle.executeUpdate('reserve', { args: ['Grace'] }));
  try {
    await handle.executeUpdate('reserve', { args: ['Linus'] });
  } catch (err) {
    console.log('Linus was rejected:', err.cause?.message);
  }
  await handle.signal('close');
  return await handle.result();
});
console.log(result);
