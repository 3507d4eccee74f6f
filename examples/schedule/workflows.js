import { proxyActivities, workflowInfo } from 'duraflow/workflow';

const { report } = proxyActivities({ startToCloseTimeout: '10 seconds' });

/** Started by the schedule on every tick. */
export async function dailyReport() {
  return await report(workflowInfo().workflowId);
}
