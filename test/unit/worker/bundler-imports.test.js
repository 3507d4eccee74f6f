// What workflow code may import: duraflow/workflow|common resolve to this package (one instance
// shared with the runtime), type-only imports are dropped, and everything else that cannot run in
// the sandbox is refused in one error with import chains — unless listed in ignoreModules.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { buildWorkflowRuntime, bundleWorkflowCode, WorkflowBundleError } from '../../../dist/worker/bundler/index.js';
import { evaluateBundle } from '../../fixtures/bundler/evaluate.js';

const fixture = (name) => fileURLToPath(new URL(`../../fixtures/bundler/${name}`, import.meta.url));
const fakeRuntime = fixture('../sandbox/fake-runtime.js');
const relative = (name) => path.relative(process.cwd(), fixture(name)).split(path.sep).join('/');

describe('bundler import rules', () => {
  it('resolves duraflow/common to the module instance of the runtime script; type-only imports are dropped', async () => {
    const { code } = await bundleWorkflowCode({ workflowsPath: fixture('workflows-ok.ts'), runtimeModulePath: fixture('shared-runtime.js'), cache: false });
    const exports = evaluateBundle(code, (await buildWorkflowRuntime(fixture('shared-runtime.js'))).code);
    assert.equal(typeof exports.workflows.greet, 'function');
    assert.equal(exports.workflows.userApplicationFailure, exports.runtime.runtimeApplicationFailure);
    assert.equal(exports.workflows.userApplicationFailure.name, 'ApplicationFailure');
    assert.equal(exports.workflows.commonNamespace, exports.modules['common/index.js'], 'import * as common gives the shared module itself');
    assert.equal(await exports.workflows.greet('hi'), 'HI! (schema)');
    assert.equal(exports.interceptorModules.length, 0);
    assert.equal(exports.payloadConverterModule, undefined);
    assert.doesNotMatch(code, /@temporalio\/client|duraflow\/client/);
  });

  it('wires interceptor and converter modules into the entry exports, in order', async () => {
    const { code } = await bundleWorkflowCode({
      workflowsPath: fixture('workflows-ok.ts'),
      runtimeModulePath: fakeRuntime,
      workflowInterceptorModules: [fixture('lib/shout.ts'), fixture('lib/zod-like.js')],
      payloadConverterPath: fixture('lib/shout.ts'),
      failureConverterPath: fixture('lib/zod-like.js'),
      cache: false,
    });
    const exports = evaluateBundle(code, (await buildWorkflowRuntime(fakeRuntime)).code);
    assert.deepEqual([...exports.interceptorModules].map((m) => Object.keys(m)), [['shout'], ['describeSchema']]);
    assert.equal(typeof exports.payloadConverterModule.shout, 'function');
    assert.equal(typeof exports.failureConverterModule.describeSchema, 'function');
  });

  it('refuses built-ins, non-workflow duraflow subpaths and @temporalio/* in one error with import chains', async () => {
    const error = await bundleWorkflowCode({ workflowsPath: fixture('workflows-bad.ts'), runtimeModulePath: fakeRuntime, cache: false }).then(
      () => assert.fail('bundling should fail'),
      (e) => e
    );
    assert.ok(error instanceof WorkflowBundleError, String(error));
    const bad = relative('workflows-bad.ts');
    const lines = error.message.split('\n');
    assert.ok(
      lines.includes(
        `Workflow code may not import node:fs (${bad} → ${relative('lib/files.ts')} → ${relative('lib/fs-helpers.ts')} → node:fs): workflows run in a deterministic sandbox; move this into an activity.`
      ),
      error.message
    );
    assert.ok(lines.some((l) => l.startsWith(`Workflow code may not import crypto (${bad} → crypto): workflows run in a deterministic sandbox`)), error.message);
    assert.ok(lines.some((l) => l.startsWith(`Workflow code may not import duraflow/client (${bad} → duraflow/client):`) && l.includes('import type')), error.message);
    assert.ok(lines.some((l) => l.startsWith(`Workflow code may not import @temporalio/workflow (${bad} → @temporalio/workflow): this is the official SDK; import from duraflow/workflow instead.`)), error.message);
    assert.ok(!error.message.includes('@temporalio/activity'), 'the type-only import is not reported');
    assert.deepEqual(error.disallowedImports.map((i) => i.specifier).sort(), ['@temporalio/workflow', 'crypto', 'duraflow/client', 'node:fs']);
    assert.match(lines.at(-1), /ignoreModules/);
  });

  it('ignoreModules replaces modules (with or without node:, and their subpaths) by a stub that throws when used', async () => {
    const { code } = await bundleWorkflowCode({
      workflowsPath: fixture('workflows-ignored.ts'),
      runtimeModulePath: fakeRuntime,
      ignoreModules: ['fs', 'node:os', 'path'],
      cache: false,
    });
    const { workflows } = evaluateBundle(code, (await buildWorkflowRuntime(fakeRuntime)).code);
    assert.equal(await workflows.doesNotUseThem(), 'fine');
    const stubError = (name, used) => new RegExp(`Module '${name}' is replaced by a stub in the workflow bundle \\(bundler option ignoreModules\\).*'${used}'`);
    await assert.rejects(workflows.usesNamedImport(), stubError('fs', 'readFileSync'));
    await assert.rejects(workflows.usesNamespace(), stubError('node:os', 'hostname'));
    await assert.rejects(workflows.usesDefault(), stubError('path', 'join'));
    await assert.rejects(workflows.usesSubpath(), stubError('fs/promises', 'readFile'));
  });

  it('without ignoreModules the same code is refused', async () => {
    await assert.rejects(
      bundleWorkflowCode({ workflowsPath: fixture('workflows-ignored.ts'), runtimeModulePath: fakeRuntime, cache: false }),
      /Workflow code may not import fs \(.*workflows-ignored\.ts → fs\)/
    );
  });

  it('refuses a name duraflow/workflow or duraflow/common does not export, naming the importing file and line', async () => {
    const error = await bundleWorkflowCode({ workflowsPath: fixture('workflows-bad-name.ts'), cache: false }).then(
      () => assert.fail('bundling should fail'),
      (e) => e,
    );
    assert.ok(error instanceof WorkflowBundleError);
    assert.match(error.message, /^Workflow bundle failed:\n  duraflow's workflow module has no export named 'noSuchThing', 'alsoMissing' \(imported in .*workflows-bad-name\.ts:3\)$/);
  });

  it('reports esbuild errors (a missing module) as a WorkflowBundleError naming the file', async () => {
    const error = await bundleWorkflowCode({ workflowsPath: fixture('../sandbox/missing-import.ts'), runtimeModulePath: fakeRuntime, cache: false }).then(
      () => assert.fail('bundling should fail'),
      (e) => e
    );
    assert.ok(error instanceof WorkflowBundleError);
    assert.match(error.message, /^Workflow bundle failed:\n.*missing-import\.ts:\d+:\d+: Could not resolve "\.\/does-not-exist\.js"/);
  });
});
