// The bundle itself: wrapper and sourceURL, external source map with absolute sources, comments that
// SES would reject are gone, content-hash caching (memory and disk), pre-built bundles and options.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { buildWorkflowRuntime, bundleWorkflowCode, loadWorkflowBundle, SourceMap, isWrappedBundle } from '../../../dist/worker/bundler/index.js';
import { LEXICAL_GLOBALS, WorkflowSandbox } from '../../../dist/worker/sandbox/index.js';
import { markLine, startActivation, resultOf } from '../../fixtures/sandbox/activations.js';

const fixture = (name) => fileURLToPath(new URL(`../../fixtures/bundler/${name}`, import.meta.url));
const fakeRuntime = fileURLToPath(new URL('../../fixtures/sandbox/fake-runtime.js', import.meta.url));
const bundlerModule = pathToFileURL(fileURLToPath(new URL('../../../dist/worker/bundler/index.js', import.meta.url))).href;

/** A logger that remembers messages. */
function recordingLogger() {
  const messages = [];
  const log = (level) => (message) => messages.push(`${level}: ${message}`);
  return { messages, debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

describe('bundle output', () => {
  let bundle;
  before(async () => {
    bundle = await bundleWorkflowCode({ workflowsPath: fixture('workflows-ok.ts'), runtimeModulePath: fakeRuntime, cache: false });
  });

  it('is wrapped with the lexical globals and ends with a sourceURL that the source map names', () => {
    assert.equal(isWrappedBundle(bundle.code), true);
    const firstLine = bundle.code.slice(0, bundle.code.indexOf('\n'));
    assert.ok(firstLine.includes(`(function(${LEXICAL_GLOBALS.join(',')}){`), firstLine.slice(0, 200));
    const sourceUrl = /\/\/# sourceURL=(workflow-bundle-[0-9a-f]{12}\.js)\n$/.exec(bundle.code)?.[1];
    assert.ok(sourceUrl, bundle.code.slice(-100));
    const map = JSON.parse(bundle.sourceMap);
    assert.equal(map.version, 3);
    assert.equal(map.file, sourceUrl);
    assert.ok(map.sources.includes(fixture('workflows-ok.ts')), JSON.stringify(map.sources));
    assert.ok(map.sources.includes(fixture('lib/zod-like.js')));
    assert.ok(map.sourcesContent.length === map.sources.length);
    assert.doesNotMatch(bundle.code, /sourceMappingURL/);
  });

  it('maps generated positions back to the original lines (wrapper line accounted for)', () => {
    const map = SourceMap.parse(bundle.sourceMap);
    const lines = bundle.code.split('\n');
    const lineIndex = lines.findIndex((l) => l.includes('from greet fixture'));
    assert.ok(lineIndex > 0);
    const column = lines[lineIndex].indexOf('throw new Error("from greet fixture")');
    const original = map.originalPositionFor(lineIndex + 1, column + 1);
    assert.equal(original.source, fixture('workflows-ok.ts'));
    assert.equal(original.line, markLine('fails', fixture('workflows-ok.ts')));
  });

  it('strips comments SES would reject (a zod-style comment mentioning import() still loads in the sandbox)', async () => {
    assert.doesNotMatch(bundle.code, /import\s*\(/);
    const sandbox = await WorkflowSandbox.create({ runtime: await buildWorkflowRuntime(fakeRuntime), bundle, threads: 1 });
    try {
      assert.equal(resultOf(await sandbox.activate(startActivation('zod-1', 'greet', ['zod']))), 'ZOD! (schema)');
    } finally {
      await sandbox.close();
    }
  });
});

describe('bundle cache', () => {
  let dir;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'duraflow-bundler-test-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('returns the cached bundle while inputs are unchanged, and rebuilds when one changes', async () => {
    const workflowsPath = path.join(dir, 'workflows.ts');
    await writeFile(path.join(dir, 'helper.ts'), "export const word = 'one';\n");
    await writeFile(workflowsPath, "import { word } from './helper.js';\nexport async function say(): Promise<string> { return word; }\n");
    const logger = recordingLogger();
    const options = { workflowsPath, runtimeModulePath: fakeRuntime, logger };
    const first = await bundleWorkflowCode(options);
    const second = await bundleWorkflowCode(options);
    assert.deepEqual(second, first);
    assert.deepEqual(logger.messages.map((m) => m.split(':')[0]), ['info', 'debug']);
    assert.match(logger.messages[1], /reused from cache/);

    await writeFile(path.join(dir, 'helper.ts'), "export const word = 'two';\n");
    const third = await bundleWorkflowCode(options);
    assert.match(logger.messages[2], /^info: Workflow bundle created/);
    assert.match(third.code, /"two"/);
    assert.notEqual(third.code, first.code);

    const other = await bundleWorkflowCode({ ...options, ignoreModules: ['fs'] });
    assert.match(logger.messages[3], /^info: Workflow bundle created/, 'different options, different cache entry');
    assert.ok(other.code.length > 0);
  });

  it("'disk' mode lets another process reuse the bundle", async () => {
    const workflowsPath = path.join(dir, 'disk-workflows.ts');
    await writeFile(workflowsPath, `export async function unique(): Promise<string> { return '${Math.random()}'; }\n`);
    const script = `
      const { bundleWorkflowCode } = await import(${JSON.stringify(bundlerModule)});
      const messages = [];
      const logger = { debug: (m) => messages.push(m), info: (m) => messages.push(m), warn: (m) => messages.push(m), error: (m) => messages.push(m) };
      const b = await bundleWorkflowCode({ workflowsPath: ${JSON.stringify(workflowsPath)}, runtimeModulePath: ${JSON.stringify(fakeRuntime)}, cache: 'disk', logger });
      console.log(JSON.stringify({ messages, length: b.code.length }));`;
    const run = async () => JSON.parse((await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script])).stdout);
    const first = await run();
    const second = await run();
    assert.match(first.messages[0], /Workflow bundle created/);
    assert.match(second.messages[0], /reused from cache/);
    assert.equal(second.length, first.length);
  });
});

describe('options and pre-built bundles', () => {
  it('validates options with messages naming the option', async () => {
    await assert.rejects(bundleWorkflowCode({}), /Option 'workflowsPath' must be a non-empty string/);
    await assert.rejects(bundleWorkflowCode({ workflowsPath: fixture('nope.ts') }), /workflowsPath does not exist: .*nope\.ts/);
    await assert.rejects(bundleWorkflowCode({ workflowsPath: fixture('workflows-ok.ts'), cache: 'always' }), /Option 'cache' must be 'memory', 'disk' or false/);
    await assert.rejects(bundleWorkflowCode({ workflowsPath: fixture('workflows-ok.ts'), ignoreModules: 'fs' }), /'ignoreModules' must be an array of strings/);
    await assert.rejects(bundleWorkflowCode({ workflowsPath: fixture('workflows-ok.ts'), logger: {} }), /'logger' must have debug, info, warn and error/);
    await assert.rejects(
      bundleWorkflowCode({ workflowsPath: fixture('workflows-ok.ts'), runtimeModulePath: fixture('no-runtime.js') }),
      /The workflow runtime module is missing at .*no-runtime\.js/
    );
  });

  it('loadWorkflowBundle loads code and source map from strings or files, and refuses foreign code', async () => {
    const built = await bundleWorkflowCode({ workflowsPath: fixture('workflows-ok.ts'), runtimeModulePath: fakeRuntime });
    assert.deepEqual(await loadWorkflowBundle({ code: built.code, sourceMap: built.sourceMap }), built);
    assert.deepEqual(await loadWorkflowBundle({ code: built.code }), { code: built.code });
    const dir = await mkdtemp(path.join(tmpdir(), 'duraflow-bundle-file-'));
    try {
      const codePath = path.join(dir, 'workflow-bundle.js');
      await writeFile(codePath, built.code);
      assert.deepEqual(await loadWorkflowBundle({ codePath }), { code: built.code });
      await writeFile(`${codePath}.map`, built.sourceMap);
      assert.deepEqual(await loadWorkflowBundle({ codePath }), built);
      assert.equal((await loadWorkflowBundle({ codePath, sourceMapPath: `${codePath}.map` })).sourceMap, await readFile(`${codePath}.map`, 'utf8'));
      await assert.rejects(loadWorkflowBundle({ codePath: path.join(dir, 'missing.js') }), /Cannot read the workflow bundle at .*missing\.js/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    await assert.rejects(loadWorkflowBundle({ code: 'var __TEMPORAL__ = {};' }), /not a duraflow workflow bundle/);
    await assert.rejects(loadWorkflowBundle({ code: built.code, sourceMap: '{"version":2}' }), /source map is not valid/);
    await assert.rejects(loadWorkflowBundle(null), /workflowBundle must be \{ code \} or \{ codePath \}/);
  });
});
