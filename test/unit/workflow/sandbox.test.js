// src/workflow runs inside the SES sandbox: it imports only src/common, touches no host global when
// loaded, and runs a workflow end to end inside a locked-down Compartment. The lockdown happens in a
// child process (test/fixtures/workflows/ses-child.js) so this test process is not hardened.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const distDir = fileURLToPath(new URL('../../../dist/workflow/', import.meta.url));
const childScript = fileURLToPath(new URL('../../fixtures/workflows/ses-child.js', import.meta.url));

function jsFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return jsFiles(path);
    return name.endsWith('.js') ? [path] : [];
  });
}

describe('import rule', () => {
  it('compiled workflow modules import only relative files inside workflow/ and common/', () => {
    const files = jsFiles(distDir);
    assert.ok(files.length > 20);
    for (const file of files) {
      const source = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
      for (const [, spec] of source.matchAll(/(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]/g)) {
        assert.ok(spec.startsWith('./') || spec.startsWith('../'), `${file} imports ${spec}`);
        const target = join(file, '..', spec);
        assert.ok(target.startsWith(distDir) || target.includes(`${join('dist', 'common')}`), `${file} imports ${spec} outside workflow/ and common/`);
      }
      assert.doesNotMatch(source, /\bimport\(/, `${file} uses a dynamic import`);
      assert.doesNotMatch(source, /\brequire\(/, `${file} uses require`);
      assert.doesNotMatch(source, /(?<![\w'"`])(?:Buffer|process|setTimeout|setImmediate|queueMicrotask)\s*[.(]/, `${file} uses a host global`);
    }
  });
});

describe('inside a locked-down SES Compartment', () => {
  it('loads with no endowments, runs a workflow, and follows scopes across awaits with AsyncLocalStorage', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [childScript], { timeout: 60_000 });
    const report = JSON.parse(stdout);
    assert.equal(report.error, undefined);
    assert.deepEqual(report.exports, [
      'activate',
      'commandStack',
      'concludeActivation',
      'createRun',
      'dispose',
      'handleUnhandledRejection',
      'tryUnblockConditions',
    ]);
    const [first, second, third] = report.greeter;
    assert.deepEqual(first, ['startTimer#1']);
    assert.deepEqual(second, ['scheduleActivity#1']);
    assert.deepEqual(third[0].result.greeting, 'Hi Ada');
    assert.equal(third[0].result.workflowId, 'sandboxed');
    // uuid4 drew from the Math.random the host endowed (0, 0.1, 0.2, 0.3).
    assert.equal(third[0].result.id, '00000000-1999-4999-b333-33334ccccccc');
    assert.match(report.commandStack, /at greeter \(workflow-bundle\.js:\d+:\d+\)/);
    assert.deepEqual(report.withAls, [['startTimer#1', 'startTimer#2'], ['startTimer#3'], ['cancelTimer#3', { kind: 'completeWorkflowExecution', result: 'cancelled' }]]);
    assert.deepEqual(report.withoutAls[2], []);
  });
});
