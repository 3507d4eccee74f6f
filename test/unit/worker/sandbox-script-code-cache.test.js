// The sandbox threads' on-disk V8 code cache for SES's script: where it is (code-cache-location.ts,
// main thread) and its use (script-code-cache.ts, in the thread). Every run is in a fresh thread:
// within one isolate V8 reuses its own compilation of a source and does not even look at the cached data.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import { cachedScriptLocation, compileCacheDir } from '../../../dist/worker/sandbox/code-cache-location.js';

const root = mkdtempSync(path.join(tmpdir(), 'duraflow-code-cache-test-'));
after(() => rmSync(root, { recursive: true, force: true }));
const MODULE = new URL('../../../dist/worker/sandbox/script-code-cache.js', import.meta.url).href;
const SES = createRequire(import.meta.url).resolve('ses');

/** Runs `file` in a fresh thread with the cache `env` names, then saves it; what the run saw. */
function runInThread(file, env, { lockdown = false } = {}) {
  const location = cachedScriptLocation(file, env);
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    import(${JSON.stringify(MODULE)}).then(async ({ runScriptWithCodeCache }) => {
      const run = runScriptWithCodeCache(workerData.location);
      ${lockdown ? "lockdown({ errorTaming: 'unsafe' });" : ''}
      await run.saveCodeCache();
      parentPort.postMessage({ cacheUsed: run.cacheUsed, ran: globalThis.__ran === true || typeof Compartment === 'function' });
    });`;
  return new Promise((resolve, reject) => {
    const worker = new Worker(code, { eval: true, workerData: { location } });
    worker.once('message', (message) => void worker.terminate().then(() => resolve(message)));
    worker.once('error', reject);
  });
}

let scripts = 0;
/** A fresh script file (so its own cache entry) that marks that it ran. */
function scriptFile() {
  const file = path.join(root, `script-${++scripts}.js`);
  const functions = Array.from({ length: 50 }, (_, i) => `function f${i}(x) { return x * ${i}; }`).join('\n');
  writeFileSync(file, `globalThis.__ran = true;\n${functions}\nf1(${scripts});\n`);
  return file;
}

const envFor = (name) => ({ dir: path.join(root, name), env: { DURAFLOW_COMPILE_CACHE: path.join(root, name) } });

describe('script code cache', () => {
  it('names its directory from the environment, and can be turned off', () => {
    assert.equal(compileCacheDir({ DURAFLOW_COMPILE_CACHE: '/some/dir' }), '/some/dir');
    assert.equal(compileCacheDir({ DURAFLOW_COMPILE_CACHE: '/some/dir', DURAFLOW_DISABLE_COMPILE_CACHE: '1' }), undefined);
    assert.equal(compileCacheDir({ DURAFLOW_DISABLE_COMPILE_CACHE: '0' }), path.join(tmpdir(), `duraflow-compile-cache-${process.getuid?.() ?? 'user'}`));
  });

  it('names the cache file after the script contents', () => {
    const { dir, env } = envFor('names');
    const a = cachedScriptLocation(scriptFile(), env);
    const b = cachedScriptLocation(scriptFile(), env);
    assert.equal(path.dirname(a.cacheFile), dir);
    assert.match(path.basename(a.cacheFile), /^script-\d+\.js-[0-9a-f]{24}\.v8$/);
    assert.notEqual(path.basename(a.cacheFile).split('-').at(-1), path.basename(b.cacheFile).split('-').at(-1));
    assert.deepEqual(cachedScriptLocation(a.file, { DURAFLOW_DISABLE_COMPILE_CACHE: '1' }), { file: a.file });
  });

  it('compiles and saves on the first run, uses the cache on the next', async () => {
    const { dir, env } = envFor('fresh');
    const file = scriptFile();
    assert.deepEqual(await runInThread(file, env), { cacheUsed: false, ran: true });
    const entries = readdirSync(dir);
    assert.equal(entries.length, 1);
    assert.match(entries[0], /^script-\d+\.js-[0-9a-f]{24}\.v8$/);
    assert.deepEqual(await runInThread(file, env), { cacheUsed: true, ran: true });
    assert.deepEqual(readdirSync(dir), entries);
  });

  it('compiles as usual when V8 rejects the cached data, and replaces it', async () => {
    const { dir, env } = envFor('rejected');
    const file = scriptFile();
    await runInThread(file, env);
    const [entry] = readdirSync(dir);
    writeFileSync(path.join(dir, entry), 'not a code cache');
    assert.deepEqual(await runInThread(file, env), { cacheUsed: false, ran: true });
    assert.deepEqual(await runInThread(file, env), { cacheUsed: true, ran: true });
  });

  it('stays away from a directory others may write to', { skip: process.getuid === undefined }, async () => {
    const { dir, env } = envFor('shared');
    const file = scriptFile();
    await runInThread(file, env);
    assert.equal(readdirSync(dir).length, 1);
    chmodSync(dir, 0o777);
    assert.deepEqual(await runInThread(file, env), { cacheUsed: false, ran: true });
    rmSync(path.join(dir, readdirSync(dir)[0]));
    await runInThread(file, env);
    assert.deepEqual(readdirSync(dir), []);
  });

  it('writes nothing when turned off', async () => {
    const { dir, env } = envFor('off');
    assert.deepEqual(await runInThread(scriptFile(), { ...env, DURAFLOW_DISABLE_COMPILE_CACHE: '1' }), { cacheUsed: false, ran: true });
    assert.equal(existsSync(dir), false);
  });

  it('caches SES, compiled up to lockdown, for the next sandbox thread', async () => {
    const { dir, env } = envFor('ses');
    assert.deepEqual(await runInThread(SES, env, { lockdown: true }), { cacheUsed: false, ran: true });
    assert.deepEqual(await runInThread(SES, env, { lockdown: true }), { cacheUsed: true, ran: true });
    assert.equal(readdirSync(dir).filter((name) => name.startsWith('ses.cjs-')).length, 1);
  });
});
