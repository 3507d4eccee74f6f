// The source-map decoder (checked against Node's own SourceMap on a real bundle and the runtime script) and mapStackTrace.
import assert from 'node:assert/strict';
import { SourceMap as NodeSourceMap } from 'node:module';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { buildWorkflowRuntime, bundleWorkflowCode, mapStackTrace, SourceMap } from '../../../dist/worker/bundler/index.js';

const fixture = (name) => fileURLToPath(new URL(`../../fixtures/${name}`, import.meta.url));

/** A tiny deterministic PRNG for sampling positions. */
function sampler(seed) {
  let state = seed;
  return (limit) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state % limit;
  };
}

/** Compares ours with Node's SourceMap at 3000 sampled positions of `script`; returns how many were mapped. */
function compareSamples(script) {
  const ours = SourceMap.parse(script.sourceMap);
  const reference = new NodeSourceMap(JSON.parse(script.sourceMap));
  const lines = script.code.split('\n');
  const next = sampler(7);
  let compared = 0;
  for (let i = 0; i < 3000; i++) {
    const line = next(lines.length);
    const column = next(Math.max(lines[line].length, 1));
    const expected = reference.findEntry(line, column);
    if (expected.generatedLine !== line || expected.originalSource === undefined) continue;
    const actual = ours.originalPositionFor(line + 1, column + 1);
    assert.ok(actual, `position ${line + 1}:${column + 1}`);
    assert.equal(actual.line, expected.originalLine + 1, `line at ${line + 1}:${column + 1}`);
    assert.equal(actual.column, expected.originalColumn + 1, `column at ${line + 1}:${column + 1}`);
    assert.ok(expected.originalSource.endsWith(actual.source.split('/').pop()), `${expected.originalSource} vs ${actual.source}`);
    compared++;
  }
  return compared;
}

describe('SourceMap', () => {
  it('decodes like Node’s SourceMap on a real bundle and on the runtime script (sampled positions)', async () => {
    const bundle = await bundleWorkflowCode({
      workflowsPath: fixture('sandbox/workflows.ts'),
      runtimeModulePath: fixture('sandbox/fake-runtime.js'),
      cache: false,
    });
    let compared = 0;
    for (const script of [bundle, await buildWorkflowRuntime()]) compared += compareSamples(script);
    assert.ok(compared > 1000, `compared ${compared} positions`);
  });

  it('handles negative deltas, multi-digit VLQs, names, sourceRoot and unmapped positions', () => {
    // Line 1: col 0 → a.js 1:1; col 4 → a.js 1:2 name 0. Line 2: col 0 → b.js 100:0 (delta +99 lines, -1 col). Line 3: empty.
    const map = SourceMap.parse(
      JSON.stringify({ version: 3, file: 'out.js', sourceRoot: '/src', sources: ['a.js', 'b.js'], names: ['foo'], mappings: 'AAAA,IAACA;ACmGD;' })
    );
    assert.deepEqual(map.originalPositionFor(1, 1), { source: '/src/a.js', line: 1, column: 1 });
    assert.deepEqual(map.originalPositionFor(1, 3), { source: '/src/a.js', line: 1, column: 1 });
    assert.deepEqual(map.originalPositionFor(1, 9), { source: '/src/a.js', line: 1, column: 2, name: 'foo' });
    assert.deepEqual(map.originalPositionFor(2, 1), { source: '/src/b.js', line: 100, column: 1 });
    assert.equal(map.originalPositionFor(3, 1), undefined);
    assert.equal(map.originalPositionFor(40, 1), undefined);
  });

  it('rejects what is not a version-3 source map', () => {
    assert.throws(() => SourceMap.parse('not json'), /not valid JSON/);
    assert.throws(() => SourceMap.parse('{"version":2,"sources":[],"mappings":""}'), /Not a version-3 source map/);
    assert.throws(() => SourceMap.parse('{"version":3,"sources":["a"],"mappings":"A!"}').originalPositionFor(1, 1), /Invalid character/);
  });
});

describe('mapStackTrace', () => {
  const map = JSON.stringify({ version: 3, file: 'workflow-bundle-abc.js', sources: ['/app/wf.ts'], names: [], mappings: ';AAAA,UAEE;AACA' });

  it('rewrites frames in the bundle and leaves everything else', () => {
    const stack = [
      'Error: boom',
      '    at validate (workflow-bundle-abc.js:2:12)',
      '    at workflow-bundle-abc.js:3:1',
      '    at async run (workflow-bundle-abc.js:2:1)',
      '    at host (file:///srv/worker.js:10:5)',
      '    at other (other-bundle.js:2:12)',
      '    at nowhere (workflow-bundle-abc.js:1:1)',
    ].join('\n');
    assert.equal(
      mapStackTrace(stack, map),
      [
        'Error: boom',
        '    at validate (/app/wf.ts:3:3)',
        '    at /app/wf.ts:4:3',
        '    at async run (/app/wf.ts:1:1)',
        '    at host (file:///srv/worker.js:10:5)',
        '    at other (other-bundle.js:2:12)',
        '    at nowhere (workflow-bundle-abc.js:1:1)',
      ].join('\n')
    );
  });

  it('accepts a parsed SourceMap and validates its arguments', () => {
    assert.equal(mapStackTrace('    at f (workflow-bundle-abc.js:2:1)', SourceMap.parse(map)), '    at f (/app/wf.ts:1:1)');
    assert.throws(() => mapStackTrace(undefined, map), /stack must be a string/);
    assert.throws(() => mapStackTrace('x', 42), /sourceMap must be/);
  });
});
