// node examples/schedule/main.js
import { here, runExample } from '../shared.js';
import * as activities from './activities.js';

const taskQueue = 'schedule';
const summary = await runExample({ workflowsPath: here(import.meta.url, 'workflows.js'), activities, taskQueue }, async (client) => {
  const handle = await client.schedule.create({
    scheduleId: 'reports',
    spec: { intervals: [{ every: '1 second' }] }, // e.g. { calendars: [{ hour: 9 }] } for 09:00 daily
    action: { type: 'startWorkflow', workflowType: 'dailyReport', taskQueue },
  });
  await handle.trigger(); // one run right now, as well
  while (activities.reports.length < 3) await new Promise((resolve) => setTimeout(resolve, 100));
  await handle.pause('enough for the demo');
  const description = await handle.describe();
  await handle.delete();
  return { runs: activities.reports.length, paused: description.state.paused };
});
console.log(summary);
