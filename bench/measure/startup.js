// (3) Worker startup: from spawning a fresh worker process to the worker's first workflow task
// poll reaching the server, bundling included.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { uid } from '../lib/load.js';
import { summarize } from '../lib/stats.js';
import { WorkerProcess } from '../lib/worker-process.js';
import { sdkOrder } from './throughput.js';

const PHASES = [
  ['boot', 'Node boot and bench script', 'spawnedAt', 'start'],
  ['import', 'import the SDK', 'start', 'imported'],
  ['bundle', 'bundle the workflows', 'imported', 'bundled'],
  ['create', 'Worker.create', 'bundled', 'created'],
  ['poll', 'run() → first poll', 'running', 'firstPoll'],
];

/** Milliseconds since the epoch of a protobuf Timestamp. */
function timestampMs(ts) {
  return Number(ts.seconds) * 1000 + Math.floor((ts.nanos ?? 0) / 1e6);
}

/**
 * When the server handed out the first workflow task of `handle`'s run: a workflow is started before
 * the worker exists, so the first poll is answered at once and its WorkflowTaskStarted event time is
 * the moment that poll arrived.
 */
async function firstPollTime(handle) {
  const history = await handle.fetchHistory();
  const started = history.events.find((e) => e.workflowTaskStartedEventAttributes);
  if (!started) throw new Error('no WorkflowTaskStarted event in the startup workflow');
  return timestampMs(started.eventTime);
}

async function measureOnce(ctx, sdk, env = {}) {
  const taskQueue = uid(`startup-${sdk}`);
  const handle = await ctx.env.client.workflow.start('oneActivity', { taskQueue, workflowId: uid('startup'), args: [1] });
  const worker = await WorkerProcess.start({ sdk, address: ctx.env.address, taskQueue }, { env });
  try {
    await handle.result();
    const marks = { ...worker.marks, spawnedAt: worker.spawnedAt, firstPoll: await firstPollTime(handle) };
    if (marks.firstPoll < marks.running) throw new Error(`${sdk}: first poll at ${marks.firstPoll} precedes run() at ${marks.running}; clocks disagree`);
    return marks;
  } finally {
    await worker.stop();
  }
}

export const startup = {
  name: 'startup',
  title: '3. Worker startup',
  plan: (quick) => ({ runs: quick ? 1 : 5 }),
  method: () =>
    'A workflow is started on a fresh task queue, then a fresh worker process is spawned (`child_process.fork`). ' +
    'The child imports the SDK, bundles the workflows from source (`bundleWorkflowCode`, no bundle cache), `Worker.create`s and `run()`s. ' +
    'The first workflow-task poll is answered at once (a task is waiting), so the server-recorded time of the WorkflowTaskStarted event is the arrival of the first poll. ' +
    'Figure = that time minus the wall-clock time just before the spawn (same machine clock). The phases come from wall-clock marks the child reports. ' +
    "duraflow's sandbox threads keep SES's compiled code in an on-disk cache that the first start on a machine (per Node version) writes: " +
    'the main figures are with that cache present (one unmeasured start fills it first); the row "first start on a machine" is the same start with an empty cache directory each time.',
  async run(ctx, p) {
    const samples = { duraflow: [], official: [], duraflowCold: [] };
    const cacheRoot = mkdtempSync(path.join(tmpdir(), 'duraflow-bench-code-cache-'));
    const warm = { DURAFLOW_COMPILE_CACHE: path.join(cacheRoot, 'warm') };
    try {
      await measureOnce(ctx, 'duraflow', warm);
      for (let r = 0; r < p.runs; r++) {
        for (const sdk of sdkOrder(r)) {
          const marks = await measureOnce(ctx, sdk, sdk === 'duraflow' ? warm : {});
          samples[sdk].push(marks);
          ctx.log(`startup ${sdk} run ${r + 1}: ${marks.firstPoll - marks.spawnedAt} ms to first poll`);
        }
        const cold = await measureOnce(ctx, 'duraflow', { DURAFLOW_COMPILE_CACHE: path.join(cacheRoot, `cold-${r}`) });
        samples.duraflowCold.push(cold);
        ctx.log(`startup duraflow (empty code cache) run ${r + 1}: ${cold.firstPoll - cold.spawnedAt} ms to first poll`);
      }
    } finally {
      rmSync(cacheRoot, { recursive: true, force: true });
    }
    const figure = (sdk, from, to) => summarize(samples[sdk].map((m) => m[to] - m[from]));
    return {
      rows: [
        { label: 'process start → first poll (ms)', better: 'lower', aim: 20, duraflow: figure('duraflow', 'spawnedAt', 'firstPoll'), official: figure('official', 'spawnedAt', 'firstPoll') },
        { label: '  first start on a machine (ms)', better: 'lower', duraflow: figure('duraflowCold', 'spawnedAt', 'firstPoll'), official: figure('official', 'spawnedAt', 'firstPoll') },
        ...PHASES.map(([, label, from, to]) => ({ label: `  phase: ${label} (ms)`, better: 'lower', duraflow: figure('duraflow', from, to), official: figure('official', from, to) })),
      ],
    };
  },
};
