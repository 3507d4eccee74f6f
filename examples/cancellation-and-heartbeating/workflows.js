import { CancellationScope, isCancellation, proxyActivities } from 'duraflow/workflow';

const { copyFiles } = proxyActivities({ startToCloseTimeout: '1 minute', heartbeatTimeout: '2 seconds' });
const { cleanup } = proxyActivities({ startToCloseTimeout: '10 seconds' });

/** A long, heartbeating activity; when the workflow is cancelled, it stops and cleanup still runs. */
export async function backup() {
  try {
    return await copyFiles(1000);
  } catch (err) {
    if (isCancellation(err)) await CancellationScope.nonCancellable(() => cleanup());
    throw err;
  }
}
