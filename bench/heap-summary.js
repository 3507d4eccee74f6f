// Compares two V8 heap snapshots of the same isolate (e.g. from BENCH_HEAP_SNAPSHOT_DIR, see
// bench/worker-child.js): what grew, grouped by kind and constructor or function name, optionally
// per item (`--per N`: the number of workflow runs added between the two). Not a benchmark itself.
// Usage: node bench/heap-summary.js <before.heapsnapshot> <after.heapsnapshot> [--per N] [--top N]
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { per: { type: 'string', default: '1' }, top: { type: 'string', default: '40' } },
});
if (positionals.length !== 2) {
  console.error('usage: node bench/heap-summary.js <before.heapsnapshot> <after.heapsnapshot> [--per N] [--top N]');
  process.exit(2);
}
const per = Number(values.per);
const top = Number(values.top);

/** Node kinds whose name says what they are (for strings and numbers the name is the value). */
const NAMED = new Set(['object', 'closure', 'hidden', 'array', 'native', 'synthetic', 'code', 'object shape']);

/** Map from group key to `{ count, size }` for one snapshot. */
async function groups(path) {
  const snapshot = JSON.parse(await readFile(path, 'utf8'));
  const { node_fields: fields, node_types: types } = snapshot.snapshot.meta;
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const kinds = types[typeAt];
  const locations = closureLocations(snapshot, width);
  const result = new Map();
  const { nodes, strings } = snapshot;
  for (let i = 0; i < nodes.length; i += width) {
    const kind = kinds[nodes[i + typeAt]];
    let key = kind;
    if (NAMED.has(kind)) key += ` ${strings[nodes[i + nameAt]] || '(anonymous)'}`;
    if (kind === 'closure') key += locations.get(i / width) ?? '';
    const entry = result.get(key) ?? { count: 0, size: 0 };
    entry.count += 1;
    entry.size += nodes[i + sizeAt];
    result.set(key, entry);
  }
  return result;
}

/** ` @script:line` of each closure node (by node index), from the snapshot's locations. */
function closureLocations(snapshot, width) {
  const result = new Map();
  const fields = snapshot.snapshot.meta.location_fields ?? [];
  const step = fields.length;
  const locations = snapshot.locations ?? [];
  const objectAt = fields.indexOf('object_index');
  const scriptAt = fields.indexOf('script_id');
  const lineAt = fields.indexOf('line');
  for (let i = 0; i + step <= locations.length; i += step) {
    result.set(locations[i + objectAt] / width, ` @${locations[i + scriptAt]}:${locations[i + lineAt] + 1}`);
  }
  return result;
}

const [before, after] = await Promise.all(positionals.map(groups));
const rows = [];
let total = 0;
for (const [key, now] of after) {
  const then = before.get(key) ?? { count: 0, size: 0 };
  const size = now.size - then.size;
  total += size;
  if (size !== 0) rows.push({ key, count: (now.count - then.count) / per, size: size / per });
}
for (const [key, then] of before) if (!after.has(key)) total -= then.size;
rows.sort((a, b) => b.size - a.size);
console.log(`total growth: ${(total / per).toFixed(0)} bytes${per === 1 ? '' : ` per item (÷ ${per})`}`);
console.log('bytes      count   kind name');
for (const row of rows.slice(0, top)) {
  console.log(`${row.size.toFixed(0).padStart(8)} ${row.count.toFixed(2).padStart(8)}   ${row.key}`);
}
