import { proxyActivities } from 'duraflow/workflow';

const { greet } = proxyActivities({ startToCloseTimeout: '10 seconds' });

/** The simplest workflow: one activity. */
export async function hello(name) {
  return await greet(name);
}
