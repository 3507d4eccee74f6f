// (5) Memory per cached workflow: each SDK's worker in its own process holds N runs blocked on a
// signal in its cache; RSS and V8 heap (all isolates) are measured inside that process.
import { runWorkflows, startServer, uid } from '../lib/load.js';
import { summarize } from '../lib/stats.js';
import { WorkerProcess } from '../lib/worker-process.js';
import { sdkOrder } from './throughput.js';

const MiB = 1024 * 1024;
const WARMUP = 10;

/** One worker process: idle memory after a warm-up, then memory with each count of cached runs. */
async function measureOnce(env, sdk, counts, concurrency) {
  const taskQueue = uid(`memory-${sdk}`);
  const worker = await WorkerProcess.start({ sdk, address: env.address, taskQueue, maxCachedWorkflows: Math.max(...counts) + WARMUP + 50 });
  try {
    await runWorkflows(env.client, { workflowType: 'oneActivity', taskQueue, count: WARMUP, concurrency: WARMUP, expected: (i) => i });
    // Completed runs leave the cache: the idle worker holds none.
    await worker.waitForCached(0, { exact: true });
    const baseline = await worker.request('memory');
    const points = [];
    let started = 0;
    for (const count of counts) {
      await runWorkflows(env.client, { workflowType: 'waitForRelease', taskQueue, count: count - started, concurrency, awaitResult: false });
      started = count;
      await worker.waitForCached(count);
      points.push({ count, ...(await worker.request('memory')) });
    }
    return { baseline, points };
  } finally {
    await worker.stop({ force: true });
  }
}

export const memory = {
  name: 'memory',
  title: '5. Memory per cached workflow',
  plan: (quick) => ({ runs: quick ? 1 : 5, counts: quick ? [200] : [1000, 10000], concurrency: quick ? 20 : 50 }),
  method: (p) =>
    `Per run, a fresh in-memory server and, per SDK, a fresh worker process (default options, except maxCachedWorkflows above ${Math.max(...p.counts)}). ` +
    `After ${WARMUP} one-activity workflows (warm-up), the idle worker is measured; then workflows that wait for a signal are started ` +
    `until ${p.counts.join(' and then ')} of them are in the worker's cache (its getStatus()), and the worker is measured again. ` +
    'A measurement garbage-collects every V8 isolate of the worker process (main thread and the worker threads that run workflow code, through the inspector) ' +
    'and takes the process RSS and the sum of the isolates\' used heap. Per cached workflow = (with N cached − idle) / N.',
  async run(ctx, p) {
    const runs = { duraflow: [], official: [] };
    for (let r = 0; r < p.runs; r++) {
      const env = await startServer();
      try {
        for (const sdk of sdkOrder(r)) {
          const result = await measureOnce(env, sdk, p.counts, p.concurrency);
          runs[sdk].push(result);
          ctx.log(`memory ${sdk} run ${r + 1}: idle RSS ${(result.baseline.rss / MiB).toFixed(0)} MiB; ` + result.points.map((pt) => `${pt.count} cached: RSS ${(pt.rss / MiB).toFixed(0)} MiB, heap ${(pt.heapUsed / MiB).toFixed(0)} MiB`).join('; '));
        }
      } finally {
        await env.stop();
      }
    }
    const figure = (sdk, f) => summarize(runs[sdk].map(f));
    const row = (label, better, f, aim) => ({ label, better, aim, duraflow: figure('duraflow', f), official: figure('official', f) });
    const rows = [row('idle worker RSS after warm-up (MiB)', 'lower', (run) => run.baseline.rss / MiB, 2)];
    p.counts.forEach((count, i) => {
      rows.push(
        row(`${count} cached: RSS per workflow (KiB)`, 'lower', (run) => (run.points[i].rss - run.baseline.rss) / count / 1024, 4),
        row(`${count} cached: heap per workflow (KiB)`, 'lower', (run) => (run.points[i].heapUsed - run.baseline.heapUsed) / count / 1024, 4),
        row(`${count} cached:   of which main thread (KiB)`, 'lower', (run) => (run.points[i].mainHeapUsed - run.baseline.mainHeapUsed) / count / 1024),
        row(`${count} cached: worker RSS (MiB)`, 'lower', (run) => run.points[i].rss / MiB, 2),
      );
    });
    return { rows };
  },
};
