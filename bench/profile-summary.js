// Summarizes V8 .cpuprofile files (from `node --cpu-prof`): self time by function and by
// package/folder, to find where a worker spends its time. Not a benchmark itself.
// Usage: node bench/profile-summary.js <file.cpuprofile>… [--top N]
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '25' } } });
const top = Number(values.top);

/** The package (or duraflow folder) a script URL belongs to. */
function area(url) {
  if (!url) return '(native/vm)';
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  const dist = /\/dist\/([^/]+)\/(?:([^/]+)\/)?/.exec(url);
  if (dist) return `duraflow/${dist[1]}${dist[2] && !dist[2].includes('.') ? `/${dist[2]}` : ''}`;
  if (url.startsWith('node:')) return 'node:internal';
  return url.replace(/^.*\//, '');
}

function summarize(profile) {
  const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const deltas = profile.timeDeltas;
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (deltas[i] ?? 0)));
  const byFunction = new Map();
  const byArea = new Map();
  let total = 0;
  for (const [id, us] of self) {
    const { callFrame } = byNode.get(id);
    total += us;
    const fn = `${callFrame.functionName || '(anonymous)'} ${callFrame.url ? `${callFrame.url.replace(/^.*\/(node_modules|dist|bench)\//, '$1/')}:${callFrame.lineNumber + 1}` : ''}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
    const a = ['(idle)', '(program)', '(garbage collector)'].includes(callFrame.functionName) ? callFrame.functionName : area(callFrame.url);
    byArea.set(a, (byArea.get(a) ?? 0) + us);
  }
  return { total, byFunction, byArea };
}

function print(title, map, total, n) {
  console.log(`  ${title}`);
  for (const [key, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, n)) {
    console.log(`    ${(us / 1000).toFixed(0).padStart(7)} ms ${((us / total) * 100).toFixed(1).padStart(5)}%  ${key}`);
  }
}

for (const file of positionals) {
  const { total, byFunction, byArea } = summarize(JSON.parse(await readFile(file, 'utf8')));
  console.log(`${file}: ${(total / 1000).toFixed(0)} ms sampled`);
  print('by package / folder (self time)', byArea, total, top);
  print('by function (self time)', byFunction, total, top);
}
