// The sandbox thread's entry: `npm run build` bundles thread-main and its imports into one CommonJS
// file; threads start from it only while its recorded inputs are unchanged, else from the ES module.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { bundleIsCurrent, threadEntry } from '../../../dist/worker/sandbox/thread-bundle.js';

const sandboxDir = fileURLToPath(new URL('../../../dist/worker/sandbox/', import.meta.url));
const bundle = path.join(sandboxDir, 'thread-main.cjs');

describe('sandbox thread bundle', () => {
  const scratch = mkdtempSync(path.join(tmpdir(), 'duraflow-thread-bundle-'));
  after(() => rmSync(scratch, { recursive: true, force: true }));

  /** A copy of the bundle, its sidecar and its inputs, laid out as in dist. */
  function copyOfBundle(name) {
    const root = path.join(scratch, name);
    const dir = path.join(root, 'worker', 'sandbox');
    const { inputs } = JSON.parse(readFileSync(`${bundle}.inputs.json`, 'utf8'));
    for (const file of ['thread-main.cjs', 'thread-main.cjs.inputs.json', ...inputs]) {
      cpSync(path.resolve(sandboxDir, file), path.resolve(dir, file), { recursive: true });
    }
    return { copy: path.join(dir, 'thread-main.cjs'), dir, inputs };
  }

  it('the build wrote a current bundle, and threads start from it', () => {
    assert.ok(bundleIsCurrent(bundle), 'npm run build writes dist/worker/sandbox/thread-main.cjs');
    assert.equal(threadEntry().href, new URL('thread-main.cjs', `file://${sandboxDir}`).href);
  });

  it('a bundle whose inputs changed since it was built, or without its sidecar, is not current', () => {
    const { copy, dir, inputs } = copyOfBundle('changed');
    assert.ok(inputs.includes('alea.js') && inputs.includes('../../workflow/runtime/protocol.js'), JSON.stringify(inputs));
    assert.ok(bundleIsCurrent(copy));
    writeFileSync(path.join(dir, 'alea.js'), `${readFileSync(path.join(dir, 'alea.js'), 'utf8')}\n// edited\n`);
    assert.equal(bundleIsCurrent(copy), false);

    const second = copyOfBundle('no-sidecar');
    unlinkSync(`${second.copy}.inputs.json`);
    assert.equal(bundleIsCurrent(second.copy), false);
    assert.equal(bundleIsCurrent(path.join(scratch, 'nowhere', 'thread-main.cjs')), false);
  });
});
