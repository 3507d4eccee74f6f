// duraflow behind the small interface the benchmark drives both SDKs through (see sdk-official.js).
import { DefaultLogger, NativeConnection, Worker, bundleWorkflowCode } from 'duraflow/worker';
import { temporal } from 'duraflow/proto';
import * as activities from '../fixtures/activities.js';

export const label = 'duraflow';
const workflowsPath = new URL('../fixtures/ours.js', import.meta.url).pathname;
const logger = new DefaultLogger('ERROR');

/** Builds the workflow bundle from scratch (no bundle cache). */
export async function bundle() {
  return await bundleWorkflowCode({ workflowsPath, cache: false });
}

/** A worker polling `taskQueue` on the server at `address`, with default options except the cache size. */
export async function createWorker({ address, taskQueue, workflowBundle, maxCachedWorkflows }) {
  const connection = await NativeConnection.connect({ address });
  const worker = await Worker.create({ connection, taskQueue, workflowBundle, activities, logger, ...(maxCachedWorkflows ? { maxCachedWorkflows } : {}) });
  return {
    run: () => worker.run(),
    shutdown: () => worker.shutdown(),
    status: () => worker.getStatus(),
    close: () => connection.close(),
  };
}

/** `Worker.runReplayHistories` over `items` ({ workflowId, history }). */
export function replayHistories(workflowBundle, items) {
  return Worker.runReplayHistories({ workflowBundle, logger }, items);
}

/** A History message decoded from protobuf bytes (what `handle.fetchHistory()` returns). */
export function historyFromBinary(bytes) {
  return temporal.api.history.v1.History.decode(bytes);
}
