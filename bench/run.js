// `npm run bench`: every measurement for duraflow and the official SDK, side by side; prints a
// table and writes BENCHMARKS.md (and the raw results to bench/results/last-run.json).
//
// Usage: node bench/run.js [--quick] [--only name[,name…]] [--runs N] [--no-write] [--render]
//   --quick     small N and one run per figure: a smoke test, not numbers to quote
//   --only      run only these measurements; the others keep their previous results
//   --runs N    override the number of runs of every measurement
//   --no-write  print only; leave BENCHMARKS.md and the results file alone
//   --render    measure nothing: rewrite BENCHMARKS.md from bench/results/last-run.json and bench/notes.md
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { startServer } from './lib/load.js';
import { describeMachine } from './lib/machine.js';
import { benchmarksMarkdown, textTable } from './lib/report.js';
import { install } from './measure/install.js';
import { memory } from './measure/memory.js';
import { replay } from './measure/replay.js';
import { server } from './measure/server.js';
import { startup } from './measure/startup.js';
import { latency, throughput } from './measure/throughput.js';

/** In report order (the order of issue 8); run order is RUN_ORDER. */
const MEASUREMENTS = [throughput, latency, startup, replay, memory, install, server];
/** Startup first (least disturbed), install last (network and compiling). */
const RUN_ORDER = ['startup', 'throughput', 'latency', 'replay', 'memory', 'server', 'install'];
/** Measurements that use the shared embedded server. */
const SHARED_SERVER = new Set(['throughput', 'latency', 'startup']);

const ROOT = new URL('..', import.meta.url);
const RESULTS = new URL('results/last-run.json', import.meta.url);
const NOTES = new URL('notes.md', import.meta.url);

function parseOptions() {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      runs: { type: 'string' },
      'no-write': { type: 'boolean', default: false },
      render: { type: 'boolean', default: false },
    },
  });
  const names = MEASUREMENTS.map((m) => m.name);
  const only = values.only ? values.only.split(',').map((s) => s.trim()) : names;
  for (const name of only) if (!names.includes(name)) throw new Error(`--only: unknown measurement ${name}; choose from ${names.join(', ')}`);
  const runs = values.runs === undefined ? undefined : Number(values.runs);
  if (runs !== undefined && !(Number.isInteger(runs) && runs > 0)) throw new Error(`--runs must be a positive integer, got ${values.runs}`);
  return { quick: values.quick, only, runs, write: !values['no-write'], render: values.render };
}

/** The results file of earlier runs: `{ machine, totalSeconds, quick, sections }` (empty when absent or unreadable). */
async function loadPrevious() {
  if (!existsSync(RESULTS)) return { sections: {} };
  try {
    return { sections: {}, ...JSON.parse(await readFile(RESULTS, 'utf8')) };
  } catch {
    return { sections: {} };
  }
}

async function writeMarkdown(results) {
  const ordered = MEASUREMENTS.map((m) => results.sections[m.name]).filter(Boolean);
  const notes = existsSync(NOTES) ? await readFile(NOTES, 'utf8') : '';
  await writeFile(new URL('BENCHMARKS.md', ROOT), benchmarksMarkdown({ ...results, sections: ordered, notes }));
}

async function main() {
  const options = parseOptions();
  if (options.render) {
    await writeMarkdown(await loadPrevious());
    console.log('wrote BENCHMARKS.md from bench/results/last-run.json');
    return;
  }
  const machine = describeMachine();
  const log = (message) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${message}`);
  log(`bench: ${options.only.join(', ')}${options.quick ? ' (quick)' : ''} on ${machine.cores} cores, Node ${machine.node}, load ${machine.loadAverage.join(' ')}`);
  const began = performance.now();
  const sections = {};
  let env;
  try {
    for (const name of RUN_ORDER.filter((n) => options.only.includes(n))) {
      const measurement = MEASUREMENTS.find((m) => m.name === name);
      if (SHARED_SERVER.has(name)) env ??= await startServer();
      const plan = measurement.plan(options.quick);
      if (options.runs && name !== 'install') plan.runs = options.runs;
      const started = performance.now();
      log(`${measurement.title}: ${plan.runs} run(s)`);
      const result = await measurement.run({ env, log, quick: options.quick }, plan);
      const seconds = (performance.now() - started) / 1000;
      sections[name] = { name, title: measurement.title, method: measurement.method(plan), mode: options.quick ? 'quick' : 'full', runs: plan.runs, date: new Date().toISOString(), seconds, machine, ...result };
      log(`${measurement.title}: done in ${seconds.toFixed(0)} s`);
    }
  } finally {
    await env?.stop();
  }
  const totalSeconds = (performance.now() - began) / 1000;
  const previous = await loadPrevious();
  const complete = options.only.length === MEASUREMENTS.length;
  const results = {
    machine,
    // The duration of the last invocation that ran everything.
    totalSeconds: complete ? totalSeconds : previous.totalSeconds,
    quickRun: complete ? options.quick : previous.quickRun,
    sections: { ...previous.sections, ...sections },
  };
  console.log(textTable(MEASUREMENTS.map((m) => sections[m.name]).filter(Boolean)));
  log(`total ${(totalSeconds / 60).toFixed(1)} min`);
  if (!options.write) return;
  await mkdir(new URL('.', RESULTS), { recursive: true });
  await writeFile(RESULTS, JSON.stringify(results, null, 2));
  await writeMarkdown(results);
  log('wrote BENCHMARKS.md and bench/results/last-run.json');
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
