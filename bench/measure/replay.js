// (4) Replay: generated histories of N sequential activities replayed by each SDK's
// `Worker.runReplayHistories`, each run in a fresh process (bench/replay-child.js).
import { fork } from 'node:child_process';
import { summarize } from '../lib/stats.js';
import { workerExecArgv } from '../lib/worker-process.js';
import { sdkOrder } from './throughput.js';

const CHILD = new URL('../replay-child.js', import.meta.url).pathname;

/** Runs one replay process and resolves with its results (see replay-child.js). */
function replayInChild(sdk, sizes) {
  return new Promise((resolve, reject) => {
    const child = fork(CHILD, [JSON.stringify({ sdk, sizes })], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: workerExecArgv(sdk) });
    let outcome;
    child.on('message', (message) => (outcome = message));
    child.on('exit', (code) => {
      if (outcome?.type === 'done') resolve(outcome.results);
      else reject(new Error(`${sdk} replay failed (exit ${code}): ${outcome?.error ?? 'no result'}`));
    });
  });
}

export const replay = {
  name: 'replay',
  title: '4. Replay',
  plan: (quick) => ({
    runs: quick ? 1 : 5,
    sizes: quick
      ? [{ activities: 100, copies: 3 }, { activities: 1000, copies: 1 }]
      : [{ activities: 100, copies: 10 }, { activities: 1000, copies: 2 }, { activities: 8000, copies: 1 }],
  }),
  method: (p) =>
    'Histories of a workflow running N activities in sequence (bench/generate-history.js: 6 events per activity plus 5) are generated, ' +
    'encoded, and decoded by each SDK\'s own protobuf copy as History messages (what `handle.fetchHistory()` returns). ' +
    `Each run is a fresh process that bundles the workflows, then calls \`Worker.runReplayHistories\` once with a 2-activity warm-up history followed by ` +
    `${p.sizes.map((s) => `${s.copies}× ${s.activities * 6 + 5} events`).join(', ')}; the time of each history is measured between consecutive results ` +
    '(so bundling and replay-worker setup are excluded). Per run: events/s = events replayed / time; histories/s and µs per event follow.',
  async run(ctx, p) {
    const perSdk = { duraflow: [], official: [] };
    for (let r = 0; r < p.runs; r++) {
      for (const sdk of sdkOrder(r)) {
        const results = await replayInChild(sdk, p.sizes);
        perSdk[sdk].push(results);
        ctx.log(`replay ${sdk} run ${r + 1}: ${results.map((s) => `${s.events} events ${Math.round(s.events / (mean(s.ms) / 1000))} events/s`).join(', ')}`);
      }
    }
    const rows = [];
    p.sizes.forEach((size, i) => {
      const events = perSdk.duraflow[0]?.[i]?.events ?? size.activities * 6 + 5;
      const figure = (sdk, f) => summarize(perSdk[sdk].map((run) => f(mean(run[i].ms))));
      rows.push(
        { label: `${events} events: events/s`, better: 'higher', aim: events > 5000 && events < 7000 ? 10 : undefined, duraflow: figure('duraflow', (ms) => events / (ms / 1000)), official: figure('official', (ms) => events / (ms / 1000)) },
        { label: `${events} events: histories/s`, better: 'higher', duraflow: figure('duraflow', (ms) => 1000 / ms), official: figure('official', (ms) => 1000 / ms) },
        { label: `${events} events: µs per event`, better: 'lower', duraflow: figure('duraflow', (ms) => (ms * 1000) / events), official: figure('official', (ms) => (ms * 1000) / events) },
      );
    });
    return { rows, notes: growthNotes(rows) };
  },
};

function mean(values) {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** How the cost per event changes from the shortest to the longest history, per SDK. */
function growthNotes(rows) {
  const perEvent = rows.filter((r) => r.label.endsWith('µs per event'));
  if (perEvent.length < 2) return [];
  const first = perEvent[0];
  const last = perEvent[perEvent.length - 1];
  const range = `${first.label.split(':')[0]} → ${last.label.split(':')[0]}`;
  return ['duraflow', 'official'].map((sdk) => {
    const growth = last[sdk].median / first[sdk].median;
    return `${sdk}: cost per event ×${growth.toFixed(2)} from ${range} (1.00 = linear in history length).`;
  });
}
