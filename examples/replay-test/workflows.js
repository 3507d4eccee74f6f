import { proxyActivities, sleep } from 'duraflow/workflow';

const { charge } = proxyActivities({ startToCloseTimeout: '10 seconds' });

export async function subscription(months) {
  let total = 0;
  for (let i = 0; i < months; i++) {
    total += await charge(10);
    await sleep(10);
  }
  return total;
}
