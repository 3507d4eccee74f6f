// Rendering results: a plain-text table for the terminal and BENCHMARKS.md.
import { advantage, formatNumber, formatSummary } from './stats.js';
import { machineMarkdown } from './machine.js';

/** The cells of one row: figure, duraflow, official, advantage, aim, met. */
function cells(row) {
  const x = advantage(row.duraflow, row.official, row.better);
  const aim = row.aim ? `≥ ×${row.aim}` : '';
  const met = row.aim && Number.isFinite(x) ? (x >= row.aim ? 'yes' : 'no') : '';
  return [row.label, formatSummary(row.duraflow), formatSummary(row.official), Number.isFinite(x) ? `×${formatNumber(x)}` : '–', aim, met];
}

const HEADER = ['Figure', 'duraflow', 'official', 'duraflow advantage', 'aim', 'met'];

/** Terminal table of every section's rows. */
export function textTable(sections) {
  const lines = [];
  for (const section of sections) {
    lines.push('', `${section.title}${section.mode === 'quick' ? '  [quick]' : ''}`);
    const rows = [HEADER, ...section.rows.map(cells)];
    const widths = HEADER.map((_, c) => Math.max(...rows.map((r) => r[c].length)));
    for (const r of rows) lines.push(r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '));
    for (const note of section.notes ?? []) lines.push(`  note: ${note}`);
  }
  return lines.join('\n');
}

/** A Markdown table of `rows`; `section` (a title per row) adds a first column. */
function markdownTable(rows, sectionOf) {
  const escape = (s) => s.replace(/\|/g, '\\|');
  const header = sectionOf ? ['Measurement', ...HEADER] : HEADER;
  const line = (row) => (sectionOf ? [sectionOf(row), ...cells(row)] : cells(row));
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map((_, c) => (c < header.length - HEADER.length + 1 ? ' --- ' : ' ---: ')).join('|')}|`,
    ...rows.map((row) => `| ${line(row).map(escape).join(' | ')} |`),
  ].join('\n');
}

const INTRO = `Side-by-side benchmarks of duraflow and the official Temporal TypeScript SDK (\`@temporalio/*\`), measured in the same run,
on the same embedded duraflow dev server, on the same machine, by \`npm run bench\` (bench/run.js). Every figure is the median of
the runs with the minimum and maximum in parentheses: \`median (min–max)\`. "duraflow advantage" is the ratio of the medians
oriented so that above ×1 means duraflow is better (for lower-is-better figures it is official ÷ duraflow). "aim" is the goal
from issue 8; aims are not asserted anywhere.`;

const GENERAL_METHOD = `- The benchmark process hosts the dev server (in memory unless noted) and drives load with duraflow's client.
- Every worker runs in its own child process (bench/worker-child.js) with the SDK's default options, so its CPU, startup and memory are
  its own; both SDKs run identical workflow bodies (bench/fixtures/body.js, built once from \`duraflow/workflow\` and once from
  \`@temporalio/workflow\`) and the same activity (bench/fixtures/activities.js).
- Runs alternate between the SDKs (duraflow first on even runs, official first on odd runs).
- A full run takes roughly 20–25 minutes on a 2-core machine: most of it goes to the memory measurement (10,000
  cached workflows per SDK per run, ~2 min per run) and to the official SDK's replay of the 48,005-event history
  (over a minute per run). \`--runs 3\` shortens it to about 15 minutes (fewer runs than the issue asks for).
- \`npm run bench -- --quick\` is a smoke test (small N, one run); \`--only <name>[,<name>]\` runs some measurements and merges them into
  the previous results (bench/results/last-run.json). Names: throughput, latency, startup, replay, memory, install, server.`;

/** BENCHMARKS.md from the merged results. */
export function benchmarksMarkdown({ machine, sections, notes, totalSeconds, quickRun }) {
  const quick = sections.some((s) => s.mode === 'quick');
  const out = ['# Benchmarks: duraflow vs the official Temporal TypeScript SDK', ''];
  if (quick) {
    out.push('> **Quick smoke run on a loaded machine — rerun `npm run bench` for real numbers.** Sections marked [quick] used small N and a',
      '> single run while other work shared the CPU; their figures show the shape of the comparison, not its size.', '');
  }
  out.push(INTRO, '', '## Machine', '', machineMarkdown(machine), '');
  if (!quick) {
    out.push('Every section was measured in full mode; each says when, with how many runs and how long it took (sections can come from separate `--only` invocations).', '');
  } else if (totalSeconds) {
    out.push(`The last complete invocation (${quickRun ? '`--quick`' : 'full'}) took ${(totalSeconds / 60).toFixed(1)} min.`, '');
  }
  const sectionOf = new Map(sections.flatMap((s) => s.rows.map((r) => [r, s.title.replace(/^\d+\.\s*/, '')])));
  out.push('## Method', '', GENERAL_METHOD, '', '## Summary', '', 'The figures that have an aim; every section below has more.', '');
  out.push(markdownTable(sections.flatMap((s) => s.rows.filter((r) => r.aim)), (row) => sectionOf.get(row)), '');
  out.push('Where duraflow falls short of an aim, [Where the time goes](#where-the-time-goes) says why and what to change.', '');
  for (const section of sections) {
    out.push(`## ${section.title}${section.mode === 'quick' ? ' [quick]' : ''}`, '');
    out.push(`Measured ${section.date} (${section.mode} mode, ${section.runs} run${section.runs === 1 ? '' : 's'}, ${Math.round(section.seconds)} s).`, '');
    out.push(section.method, '', markdownTable(section.rows), '');
    for (const note of section.notes ?? []) out.push(`- ${note}`);
    if (section.notes?.length) out.push('');
  }
  out.push('## Where the time goes', '', notes.trim(), '');
  return out.join('\n');
}
