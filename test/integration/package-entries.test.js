// The package's entry points (dist/bundled/, see scripts/bundle-entries.js): every `exports` subpath
// resolves to its bundled file, a class has one identity whichever subpath exports it, and code that
// finds files next to its original module (the proto descriptor, the sandbox thread, the workflow
// runtime) still finds them. Workers started through `duraflow/worker` (the sandbox thread) are covered
// by every other integration test.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
const subpaths = Object.keys(pkg.exports).filter((key) => pkg.exports[key].default !== undefined);

describe('package entry points', () => {
  it('every subpath resolves to its bundled file and loads', async () => {
    const require = createRequire(import.meta.url);
    for (const subpath of subpaths) {
      const specifier = `duraflow/${subpath.slice(2)}`;
      assert.match(import.meta.resolve(specifier), /\/dist\/bundled\/[a-z-]+\.js$/, specifier);
      const exported = await import(specifier);
      assert.ok(Object.keys(exported).length > 0, `${specifier} exports nothing`);
      assert.throws(() => require.resolve(`duraflow/${subpath.slice(2)}/index.js`), /ERR_PACKAGE_PATH_NOT_EXPORTED|not defined by "exports"/);
    }
  });

  it('a class exported by several subpaths is one class', async () => {
    const [common, client, activity, workflow] = await Promise.all(
      ['common', 'client', 'activity', 'workflow'].map((name) => import(`duraflow/${name}`)),
    );
    for (const other of [client, activity, workflow]) {
      assert.equal(other.ApplicationFailure, common.ApplicationFailure);
      assert.equal(other.CancelledFailure, common.CancelledFailure);
    }
    assert.equal(client.ActivityFailure, common.ActivityFailure);
    assert.equal(workflow.defaultPayloadConverter, common.defaultPayloadConverter);
  });

  it('bundled code finds the files next to its original modules', async () => {
    const { temporal } = await import('duraflow/proto');
    assert.equal(typeof temporal.api.workflowservice.v1.StartWorkflowExecutionRequest.encode, 'function');
    // Built from the reduced descriptor next to dist/proto/root.js, not from the full package it falls back to.
    const loaded = Object.keys(createRequire(import.meta.url).cache);
    assert.ok(!loaded.some((file) => file.includes('@temporalio/proto/protos/')), 'the full @temporalio/proto root was loaded');
    // Needs dist/workflow and dist/common, found from the bundler's own original location.
    const { bundleWorkflowCode } = await import('duraflow/worker');
    const workflowsPath = fileURLToPath(new URL('../fixtures/workflows/sandbox.js', import.meta.url));
    const bundle = await bundleWorkflowCode({ workflowsPath, cache: false });
    assert.match(bundle.code, /greeter/);
  });

  it('the CLI runs from its bundled entry', async () => {
    const bin = fileURLToPath(new URL('../../bin/duraflow.js', import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, [bin, '--help']);
    assert.match(stdout, /server start-dev/);
    // `--help` of the server prints its flags (it used to be ignored, and the server started).
    const serverHelp = await promisify(execFile)(process.execPath, [bin, 'server', 'start-dev', '--help'], { timeout: 30_000 });
    assert.match(serverHelp.stdout, /^duraflow server start-dev: /);
    assert.match(serverHelp.stdout, /--db-filename, -f FILE/);
  });
});
