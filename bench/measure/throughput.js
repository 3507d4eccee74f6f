// (1) End-to-end throughput and (2) start→result latency: both SDKs' workers, each in its own
// process, polling the shared embedded server, driven by duraflow's client from the benchmark process.
import { runWorkflows, uid } from '../lib/load.js';
import { SDKS } from '../lib/sdks.js';
import { percentile, summarize } from '../lib/stats.js';
import { WorkerProcess } from '../lib/worker-process.js';

const VARIANTS = [
  { workflowType: 'oneActivity', label: '1 activity', expected: (i) => i },
  { workflowType: 'tenActivities', label: '10 activities', expected: (i) => i + 9 },
];

/** Both SDKs' workers on fresh task queues of the shared server, warmed up. */
async function startWorkers(ctx, warmup) {
  const workers = {};
  for (const sdk of SDKS) {
    const taskQueue = uid(`bench-${sdk}`);
    workers[sdk] = { taskQueue, process: await WorkerProcess.start({ sdk, address: ctx.env.address, taskQueue }) };
    await runWorkflows(ctx.env.client, { workflowType: 'oneActivity', taskQueue, count: warmup, concurrency: 10, expected: (i) => i });
  }
  return workers;
}

/** Runs `fn` with every worker but `sdk`'s paused, so that only the measured worker uses the CPU. */
async function alone(workers, sdk, fn) {
  const others = Object.entries(workers).filter(([name]) => name !== sdk).map(([, w]) => w.process);
  for (const other of others) other.pause();
  try {
    return await fn();
  } finally {
    for (const other of others) other.resume();
  }
}

async function stopWorkers(workers) {
  for (const { process } of Object.values(workers)) await process.stop();
}

/** CPU time (user + system, ms) used by a worker process and by this process between start and stop. */
async function cpuMeter(worker) {
  const before = { worker: (await worker.request('status')).cpuMs, server: process.cpuUsage() };
  return {
    async stop() {
      const server = process.cpuUsage(before.server);
      return { workerMs: (await worker.request('status')).cpuMs - before.worker, serverMs: (server.user + server.system) / 1000 };
    },
  };
}

/** SDK order for run `r`: alternating, so neither always runs on the warmer (or more loaded) server. */
export function sdkOrder(r) {
  return Math.abs(r) % 2 === 0 ? SDKS : [...SDKS].reverse();
}

export const throughput = {
  name: 'throughput',
  title: '1. End-to-end throughput',
  plan: (quick) => ({ runs: quick ? 1 : 5, warmupRounds: quick ? 0 : 1, counts: { oneActivity: quick ? 100 : 500, tenActivities: quick ? 20 : 100 }, concurrency: quick ? 20 : 50, warmup: quick ? 20 : 50 }),
  method: (p) =>
    `Each worker runs in its own process with default options; the benchmark process hosts the server and ${p.concurrency} concurrent starters ` +
    `(duraflow's client), each executing workflows one after another (start, then wait for the result). ` +
    `${p.counts.oneActivity} one-activity workflows, or ${p.counts.tenActivities} ten-activity workflows, per run; ` +
    (p.warmupRounds > 0
      ? `each worker first runs ${p.warmupRounds === 1 ? 'one unmeasured round' : `${p.warmupRounds} unmeasured rounds`} of the same load, so the runs measure a steady state (V8 is still optimizing the server's and the workers' JavaScript during the first few hundred workflows; startup is section 3); `
      : '') +
    `figure = workflows completed per second from the first start to the last result. ` +
    'CPU per workflow = CPU time (user + system, all threads) of the worker process, and of the benchmark process (server and client), during the batch, divided by the workflows. ' +
    "While one worker is measured the other's process is paused (SIGSTOP), so an idle worker's occasional CPU does not disturb it.",
  async run(ctx, p) {
    const workers = await startWorkers(ctx, p.warmup);
    const perSdk = () => ({ rate: [], workerCpu: [], serverCpu: [] });
    const samples = Object.fromEntries(VARIANTS.map((v) => [v.workflowType, { duraflow: perSdk(), official: perSdk() }]));
    try {
      for (let r = -p.warmupRounds; r < p.runs; r++) {
        for (const variant of VARIANTS) {
          for (const sdk of sdkOrder(r)) {
            const count = p.counts[variant.workflowType];
            const { seconds, workerMs, serverMs } = await alone(workers, sdk, async () => {
              const cpu = await cpuMeter(workers[sdk].process);
              const { seconds } = await runWorkflows(ctx.env.client, { ...variant, taskQueue: workers[sdk].taskQueue, count, concurrency: p.concurrency });
              return { seconds, ...(await cpu.stop()) };
            });
            if (r < 0) {
              ctx.log(`throughput ${variant.label} ${sdk} warm-up: ${(count / seconds).toFixed(1)} workflows/s (not measured)`);
              continue;
            }
            const s = samples[variant.workflowType][sdk];
            s.rate.push(count / seconds);
            s.workerCpu.push(workerMs / count);
            s.serverCpu.push(serverMs / count);
            ctx.log(`throughput ${variant.label} ${sdk} run ${r + 1}: ${(count / seconds).toFixed(1)} workflows/s; CPU per workflow: worker ${(workerMs / count).toFixed(2)} ms, server+client ${(serverMs / count).toFixed(2)} ms`);
          }
        }
      }
    } finally {
      await stopWorkers(workers);
    }
    const row = (v, key, label, better, aim) => ({ label, better, aim, duraflow: summarize(samples[v.workflowType].duraflow[key]), official: summarize(samples[v.workflowType].official[key]) });
    return {
      rows: VARIANTS.flatMap((v) => [
        row(v, 'rate', `${v.label}: workflows/s (${p.concurrency} starters)`, 'higher', 2),
        row(v, 'workerCpu', `${v.label}: worker process CPU per workflow (ms)`, 'lower'),
        row(v, 'serverCpu', `${v.label}: server+client process CPU per workflow (ms)`, 'lower'),
      ]),
    };
  },
};

export const latency = {
  name: 'latency',
  title: '2. Start→result latency',
  plan: (quick) => ({ runs: quick ? 1 : 5, count: quick ? 30 : 200, warmup: quick ? 10 : 50 }),
  method: (p) =>
    `One starter executes ${p.count} one-activity workflows one after another per run (an unloaded system); ` +
    `latency = client.workflow.execute() from call to result, so it includes the start RPC, the workflow task, the activity task, ` +
    `the second workflow task and the result long poll. p50 and p99 per run; median (min–max) over runs.`,
  async run(ctx, p) {
    const workers = await startWorkers(ctx, p.warmup);
    const samples = { p50: { duraflow: [], official: [] }, p99: { duraflow: [], official: [] } };
    try {
      for (let r = 0; r < p.runs; r++) {
        for (const sdk of sdkOrder(r)) {
          const { latencies } = await alone(workers, sdk, () =>
            runWorkflows(ctx.env.client, { workflowType: 'oneActivity', taskQueue: workers[sdk].taskQueue, count: p.count, concurrency: 1, expected: (i) => i }),
          );
          samples.p50[sdk].push(percentile(latencies, 50));
          samples.p99[sdk].push(percentile(latencies, 99));
          ctx.log(`latency ${sdk} run ${r + 1}: p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms`);
        }
      }
    } finally {
      await stopWorkers(workers);
    }
    return {
      rows: ['p50', 'p99'].map((q) => ({
        label: `one-activity workflow, ${q} (ms)`,
        better: 'lower',
        duraflow: summarize(samples[q].duraflow),
        official: summarize(samples[q].official),
      })),
    };
  },
};
