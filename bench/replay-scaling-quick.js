// Quick check of replay cost vs history length on duraflow's worker (the full side-by-side
// benchmark is bench/run.js). Usage: node bench/replay-scaling-quick.js
import { Worker } from 'duraflow/worker';
import { sequenceHistory } from './generate-history.js';

const workflowsPath = new URL('../test/fixtures/worker/workflows.js', import.meta.url).pathname;
for (const activities of [100, 1000, 8000]) {
  const history = sequenceHistory(activities);
  const started = performance.now();
  await Worker.runReplayHistory({ workflowsPath }, history);
  const ms = performance.now() - started;
  const events = history.events.length;
  console.log(`${events} events: ${ms.toFixed(0)} ms, ${Math.round((events / ms) * 1000)} events/s`);
}
