import { proxyActivities, sleep } from 'duraflow/workflow';

const { charge } = proxyActivities({ startToCloseTimeout: '10 seconds' });

/** The same workflow after an incompatible change: it now sleeps before the first charge. */
export async function subscription(months) {
  let total = 0;
  for (let i = 0; i < months; i++) {
    await sleep(10);
    total += await charge(10);
  }
  return total;
}
