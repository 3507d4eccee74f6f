import { condition, defineSignal, proxyActivities, setHandler, sleep } from 'duraflow/workflow';

const { notify } = proxyActivities({ startToCloseTimeout: '10 seconds' });
export const paid = defineSignal('paid');

/** Reminds every interval until the invoice is paid (a durable timer survives worker restarts). */
export async function invoiceReminders(invoice, intervalMs, maxReminders) {
  let isPaid = false;
  setHandler(paid, () => void (isPaid = true));
  for (let sent = 0; sent < maxReminders; sent++) {
    if (await condition(() => isPaid, intervalMs)) return `paid after ${sent} reminder(s)`;
    await notify(`invoice ${invoice} is still unpaid`);
  }
  await sleep(intervalMs);
  return isPaid ? `paid after ${maxReminders} reminder(s)` : 'escalated';
}
