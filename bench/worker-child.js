// A benchmark worker process: starts one SDK's worker (bundling its workflows first) and answers
// the parent over IPC. Not run by hand; bench/lib/worker-process.js forks it with a JSON config:
// { sdk, address, taskQueue, maxCachedWorkflows? }.
//
// Messages to the parent: { type: 'running', marks } once `worker.run()` was called, where marks
// are wall-clock times (ms) of: module start, SDK imported, bundle built, worker created, run called.
// Requests from the parent ({ id, type }) get { id, ...reply }: 'status' (cache and in-flight
// counts, CPU time of the whole process so far), 'memory' (see lib/heap.js; also heap snapshots with
// BENCH_HEAP_SNAPSHOT_DIR) and 'stop' (graceful shutdown, then exit).
import { loadSdk } from './lib/sdks.js';
import { measureProcessMemory, writeHeapSnapshots } from './lib/heap.js';

const marks = { start: Date.now() };
// BENCH_HEAP_SNAPSHOT_DIR: every 'memory' request also writes heap snapshots of every isolate there
// (<sdk>-memory-<n>-main.heapsnapshot, <sdk>-memory-<n>-thread-<t>.heapsnapshot), for bench/heap-summary.js.
const snapshotDir = process.env.BENCH_HEAP_SNAPSHOT_DIR;
let memoryRequests = 0;
const config = JSON.parse(process.argv[2] ?? '{}');

async function main() {
  const sdk = await loadSdk(config.sdk);
  marks.imported = Date.now();
  const workflowBundle = await sdk.bundle();
  marks.bundled = Date.now();
  const worker = await sdk.createWorker({ ...config, workflowBundle });
  marks.created = Date.now();
  const running = worker.run();
  marks.running = Date.now();
  running.then(
    () => process.exit(0),
    (error) => {
      console.error(`[${config.sdk} worker] failed:`, error);
      process.exit(1);
    },
  );
  process.on('message', (request) => void answer(worker, request));
  process.send({ type: 'running', marks });
}

async function answer(worker, { id, type }) {
  try {
    if (type === 'status') {
      const status = worker.status();
      const { user, system } = process.cpuUsage();
      process.send({ id, cached: status.numCachedWorkflows, inFlight: status.numInFlightWorkflowActivations, cpuMs: (user + system) / 1000 });
    } else if (type === 'memory') {
      const memory = await measureProcessMemory();
      if (snapshotDir) await writeHeapSnapshots(snapshotDir, `${config.sdk}-memory-${++memoryRequests}`);
      process.send({ id, ...memory });
    } else if (type === 'stop') {
      process.send({ id });
      worker.shutdown();
    } else {
      process.send({ id, error: `unknown request ${type}` });
    }
  } catch (error) {
    process.send({ id, error: String(error?.stack ?? error) });
  }
}

// The parent going away (IPC closed) ends this process too.
process.on('disconnect', () => process.exit(0));
main().catch((error) => {
  console.error(`[${config.sdk} worker] could not start:`, error);
  process.exit(1);
});
