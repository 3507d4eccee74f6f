// A replay benchmark process: replays generated histories with one SDK's
// `Worker.runReplayHistories` and reports how long each took. Forked by bench/measure/replay.js with
// a JSON config { sdk, sizes: [{ activities, copies }] }; replies { type: 'done', results } where
// results[i] = { activities, events, ms: [per copy] }, or { type: 'error', error }.
import { sequenceHistoryBinary } from './generate-history.js';
import { loadSdk } from './lib/sdks.js';

const config = JSON.parse(process.argv[2] ?? '{}');

async function main() {
  const sdk = await loadSdk(config.sdk);
  const workflowBundle = await sdk.bundle();
  // Histories are built and decoded by the SDK's own protobuf copy before timing starts.
  const warmup = { workflowId: 'warmup', history: sdk.historyFromBinary(sequenceHistoryBinary(2)) };
  const items = [warmup];
  const results = config.sizes.map(({ activities, copies }) => {
    const binary = sequenceHistoryBinary(activities);
    const history = sdk.historyFromBinary(binary);
    for (let c = 0; c < copies; c++) items.push({ workflowId: `seq-${activities}-${c}`, history });
    return { activities, events: history.events.length, ms: [] };
  });
  const bySize = new Map(results.map((r) => [r.activities, r]));
  let last = performance.now();
  for await (const result of sdk.replayHistories(workflowBundle, items)) {
    const now = performance.now();
    if (result.error) throw new Error(`replay of ${result.workflowId} failed: ${result.error.message}`, { cause: result.error });
    const size = Number(/^seq-(\d+)-/.exec(result.workflowId)?.[1]);
    bySize.get(size)?.ms.push(now - last);
    last = performance.now();
  }
  await new Promise((resolve) => process.send({ type: 'done', results }, resolve));
}

// The parent going away (IPC closed) ends this process too.
process.on('disconnect', () => process.exit(0));
main().then(
  () => process.exit(0),
  (error) => {
    process.send({ type: 'error', error: String(error?.stack ?? error) }, () => process.exit(1));
  },
);
