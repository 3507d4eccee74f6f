// (6) Install footprint: a fresh app that installs only duraflow (from `npm pack` of this repo)
// and one that installs only the official client, worker, workflow and activity packages (the
// version of this repo's devDependencies). Installs are cached under os.tmpdir(), keyed by the
// tarball's hash and the official version, so reruns only measure.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { lstat, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const REPO = new URL('../..', import.meta.url).pathname;
const CACHE = path.join(os.tmpdir(), 'duraflow-bench-installs');
const MiB = 1024 * 1024;

async function npm(args, cwd) {
  return await run('npm', args, { cwd, maxBuffer: 64 * MiB, env: { ...process.env, npm_config_loglevel: 'error', npm_config_fund: 'false', npm_config_audit: 'false', npm_config_update_notifier: 'false' } });
}

/** Packs this repo (its prepack script builds dist/ from scratch) and returns the tarball path and its hash. */
async function packDuraflow() {
  const dir = path.join(CACHE, 'tarballs');
  await mkdir(dir, { recursive: true });
  const { stdout } = await npm(['pack', '--json', '--pack-destination', dir], REPO);
  // The build's own output comes first; npm's JSON array starts at the beginning of a line.
  const [{ filename }] = JSON.parse(stdout.slice(stdout.startsWith('[') ? 0 : stdout.lastIndexOf('\n[') + 1));
  const tarball = path.join(dir, filename);
  const hash = createHash('sha256').update(await readFile(tarball)).digest('hex').slice(0, 16);
  return { tarball, hash };
}

/** Installs `specs` into a fresh app under the cache (unless already there); returns the app dir and install time. */
async function installApp(name, specs, log) {
  const app = path.join(CACHE, name);
  const marker = path.join(app, '.installed.json');
  if (existsSync(marker)) return { app, ...JSON.parse(await readFile(marker, 'utf8')), cached: true };
  await rm(app, { recursive: true, force: true });
  await mkdir(app, { recursive: true });
  await writeFile(path.join(app, 'package.json'), JSON.stringify({ name: `bench-${name}`, version: '1.0.0', private: true, type: 'module' }, null, 2));
  log(`install: npm install ${specs.map((s) => path.basename(s)).join(' ')} in ${app} (cached for later runs)`);
  const started = performance.now();
  await npm(['install', '--no-audit', '--no-fund', '--ignore-scripts', ...specs], app);
  const installSeconds = (performance.now() - started) / 1000;
  await writeFile(marker, JSON.stringify({ installSeconds, specs }));
  return { app, installSeconds, cached: false };
}

/** Packages (directories with a package.json under node_modules, nested ones included) and bytes. */
async function footprint(nodeModules) {
  let packages = 0;
  let bytes = 0;
  const walk = async (dir, isModulesDir) => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      const stat = await lstat(full);
      bytes += stat.size;
      if (!entry.isDirectory()) continue;
      if (isModulesDir && entry.name.startsWith('@')) {
        await walk(full, true);
        continue;
      }
      if (isModulesDir && entry.name !== '.bin' && existsSync(path.join(full, 'package.json'))) packages++;
      await walk(full, entry.name === 'node_modules');
    }
  };
  await walk(nodeModules, true);
  const { stdout } = await run('du', ['-sk', nodeModules]);
  return { packages, bytes, diskBytes: Number(stdout.split(/\s/)[0]) * 1024 };
}

function officialVersion() {
  const require = createRequire(import.meta.url);
  return require('@temporalio/worker/package.json').version;
}

export const install = {
  name: 'install',
  title: '6. Install footprint',
  plan: () => ({ runs: 1 }),
  method: () =>
    `\`npm pack\` of this repo (its prepack script builds dist/ from scratch), then \`npm install --ignore-scripts <tarball>\` into a fresh app; and \`npm install --ignore-scripts @temporalio/client @temporalio/worker @temporalio/workflow @temporalio/activity\` (version ${officialVersion()}, as in devDependencies) into another. ` +
    'Install scripts are skipped so the figure does not depend on network access to GitHub or a C++ toolchain: the only script that adds files is better-sqlite3\'s ' +
    '(duraflow\'s dev-server store), which downloads a ~2 MB prebuilt binary or compiles one; the official native bridge and esbuild ship their binaries inside packages. ' +
    'Packages = directories with a package.json under node_modules (nested included); size = sum of file sizes (apparent) and `du -sk` (disk). ' +
    `The installs are deterministic, so each is measured once and cached under ${CACHE}; install time is shown when the install ran in this benchmark run.`,
  async run(ctx) {
    const { tarball, hash } = await packDuraflow();
    const version = officialVersion();
    const ours = await installApp(`duraflow-${hash}`, [tarball], ctx.log);
    const theirs = await installApp(`official-${version}`, ['client', 'worker', 'workflow', 'activity'].map((p) => `@temporalio/${p}@${version}`), ctx.log);
    const a = await footprint(path.join(ours.app, 'node_modules'));
    const b = await footprint(path.join(theirs.app, 'node_modules'));
    const one = (value) => ({ median: value, min: value, max: value, n: 1, samples: [value] });
    const rows = [
      { label: 'node_modules size, apparent (MB)', better: 'lower', aim: 10, duraflow: one(a.bytes / 1e6), official: one(b.bytes / 1e6) },
      { label: 'node_modules size, on disk (MB)', better: 'lower', aim: 10, duraflow: one(a.diskBytes / 1e6), official: one(b.diskBytes / 1e6) },
      { label: 'packages', better: 'lower', duraflow: one(a.packages), official: one(b.packages) },
    ];
    if (!ours.cached && !theirs.cached) rows.push({ label: 'npm install time (s; npm\'s download cache as it was)', better: 'lower', duraflow: one(ours.installSeconds), official: one(theirs.installSeconds) });
    ctx.log(`install: duraflow ${(a.bytes / 1e6).toFixed(1)} MB in ${a.packages} packages; official ${(b.bytes / 1e6).toFixed(1)} MB in ${b.packages} packages`);
    return { rows, notes: [`duraflow tarball: ${path.basename(tarball)} (sha256 ${hash}…).`] };
  },
};
