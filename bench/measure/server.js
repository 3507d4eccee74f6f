// (7) The dev server alone: workflow starts per second (no worker), and completed one-activity
// workflows per second with duraflow's worker (in its own process), in memory and with a file DB.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runWorkflows, startServer, uid } from '../lib/load.js';
import { summarize } from '../lib/stats.js';
import { WorkerProcess } from '../lib/worker-process.js';

const STORES = ['memory', 'file'];

/** A fresh server on `store`; returns it with a cleanup that also removes the DB file. */
async function freshServer(store) {
  if (store === 'memory') return await startServer();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'duraflow-bench-db-'));
  const env = await startServer({ dbFilename: path.join(dir, 'bench.db') });
  return {
    ...env,
    async stop() {
      await env.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function measureOnce(ctx, store, p) {
  const env = await freshServer(store);
  try {
    const starts = await runWorkflows(env.client, { workflowType: 'oneActivity', taskQueue: uid('no-worker'), count: p.starts, concurrency: p.concurrency, awaitResult: false });
    const taskQueue = uid('server-bench');
    const worker = await WorkerProcess.start({ sdk: 'duraflow', address: env.address, taskQueue });
    try {
      await runWorkflows(env.client, { workflowType: 'oneActivity', taskQueue, count: p.warmup, concurrency: 10, expected: (i) => i });
      const completed = await runWorkflows(env.client, { workflowType: 'oneActivity', taskQueue, count: p.completed, concurrency: p.concurrency, expected: (i) => i });
      return { startsPerSecond: p.starts / starts.seconds, completedPerSecond: p.completed / completed.seconds };
    } finally {
      await worker.stop();
    }
  } finally {
    await env.stop();
  }
}

export const server = {
  name: 'server',
  title: '7. The dev server alone',
  plan: (quick) => ({ runs: quick ? 1 : 5, starts: quick ? 200 : 1000, completed: quick ? 100 : 500, warmup: quick ? 10 : 50, concurrency: quick ? 20 : 50 }),
  method: (p) =>
    `Per run and store, a fresh embedded server (in memory, or on a SQLite file in os.tmpdir()). ` +
    `Starts/s: ${p.concurrency} concurrent starters (duraflow's client, in the server's process) start ${p.starts} workflows on a task queue nobody polls. ` +
    `Completed/s: duraflow's worker in its own process, after ${p.warmup} warm-up workflows, and ${p.concurrency} starters executing ${p.completed} one-activity workflows. ` +
    'There is no official counterpart: the official SDK has no embedded server (its dev server is the Temporal CLI\'s Go binary).',
  async run(ctx, p) {
    const samples = Object.fromEntries(STORES.map((s) => [s, { startsPerSecond: [], completedPerSecond: [] }]));
    for (let r = 0; r < p.runs; r++) {
      for (const store of STORES) {
        const result = await measureOnce(ctx, store, p);
        samples[store].startsPerSecond.push(result.startsPerSecond);
        samples[store].completedPerSecond.push(result.completedPerSecond);
        ctx.log(`server ${store} run ${r + 1}: ${result.startsPerSecond.toFixed(0)} starts/s, ${result.completedPerSecond.toFixed(1)} completed/s`);
      }
    }
    const none = summarize([]);
    return {
      rows: STORES.flatMap((store) => [
        { label: `${store} DB: workflow starts/s`, better: 'higher', duraflow: summarize(samples[store].startsPerSecond), official: none },
        { label: `${store} DB: completed one-activity workflows/s`, better: 'higher', duraflow: summarize(samples[store].completedPerSecond), official: none },
      ]),
    };
  },
};
