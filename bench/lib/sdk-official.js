// The official @temporalio SDK behind the benchmark's interface (see sdk-ours.js). Importing this
// module installs the official Runtime with a quiet logger.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { DefaultLogger, NativeConnection, Runtime, Worker, bundleWorkflowCode } from '@temporalio/worker';
import * as activities from '../fixtures/activities.js';

export const label = 'official';
const workflowsPath = new URL('../fixtures/official.js', import.meta.url).pathname;
const level = process.env.BENCH_OFFICIAL_LOG_LEVEL ?? 'ERROR';
Runtime.install({ logger: new DefaultLogger(level), telemetryOptions: { logging: { filter: { core: level, other: level } } } });

/** Builds the workflow bundle (webpack, as `Worker.create({ workflowsPath })` does). */
export async function bundle() {
  return await bundleWorkflowCode({ workflowsPath, logger: new DefaultLogger(level) });
}

/** A worker polling `taskQueue` on the server at `address`, with default options except the cache size. */
export async function createWorker({ address, taskQueue, workflowBundle, maxCachedWorkflows }) {
  const connection = await NativeConnection.connect({ address });
  const worker = await Worker.create({ connection, taskQueue, workflowBundle, activities, ...(maxCachedWorkflows ? { maxCachedWorkflows } : {}) });
  return {
    run: () => worker.run(),
    shutdown: () => worker.shutdown(),
    status: () => worker.getStatus(),
    close: () => connection.close(),
  };
}

/** `Worker.runReplayHistories` over `items` ({ workflowId, history }). */
export function replayHistories(workflowBundle, items) {
  return Worker.runReplayHistories({ workflowBundle }, items);
}

// Histories must come from the protobuf copy the official worker itself loads (see official-sdk.md §7).
const workerRequire = createRequire(fileURLToPath(import.meta.resolve('@temporalio/worker')));
const { History } = workerRequire('@temporalio/proto').temporal.api.history.v1;

/** A History message decoded from protobuf bytes by the official worker's own protobuf copy. */
export function historyFromBinary(bytes) {
  return History.decode(bytes);
}
