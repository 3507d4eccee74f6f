// The worker's rewriting of the built-in stack trace queries' answers: source-mapped, SDK frames
// dropped (__stack_trace) or marked internal (__enhanced_stack_trace), identical stacks merged.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { defaultPayloadConverter } from '../../../dist/common/index.js';
import { SourceMap } from '../../../dist/worker/bundler/index.js';
import { enhancedStackTrace, isSdkFrame, mapStackTraceAnswers, userStackTrace } from '../../../dist/worker/sandbox/stack-trace-answers.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const sdkFile = `${root}src/workflow/timers.ts`;
// Generated line 1: column 1 comes from the SDK's timers.ts 1:1, column 11 from /app/workflows.ts 6:3.
const map = [SourceMap.parse(JSON.stringify({ version: 3, file: 'workflow-bundle-x.js', sources: [sdkFile, '/app/workflows.ts'], names: [], mappings: 'AAAA,UCKE' }))];
const raw = '  at sleep (workflow-bundle-x.js:1:1)\n  at wait (workflow-bundle-x.js:1:11)';

describe('stack trace answers', () => {
  it('__stack_trace keeps the mapped user frames and merges identical stacks', () => {
    assert.equal(userStackTrace(`${raw}\n\n${raw}`, map), '  at wait (/app/workflows.ts:6:3)');
    assert.equal(userStackTrace('  at sleep (workflow-bundle-x.js:1:1)', map), '', 'a stack of SDK frames only disappears');
    assert.equal(isSdkFrame(`    at sleep (${sdkFile}:1:1)`), true);
    assert.equal(isSdkFrame('    at wait (/app/workflows.ts:6:3)'), false);
  });

  it('__enhanced_stack_trace maps locations, marks SDK frames internal and names the SDK', () => {
    const located = (line, column, name) => ({ file_path: 'workflow-bundle-x.js', line, column, function_name: name, internal_code: false });
    const answer = enhancedStackTrace({ sdk: { name: 'duraflow', version: '' }, stacks: [{ locations: [located(1, 1, 'sleep'), located(1, 11, 'wait')] }], sources: {} }, map);
    assert.equal(answer.sdk.name, 'duraflow');
    assert.match(answer.sdk.version, /^\d+\.\d+\.\d+/);
    assert.deepEqual(answer.stacks, [
      {
        locations: [
          { file_path: sdkFile, line: 1, column: 1, function_name: 'sleep', internal_code: true },
          { file_path: '/app/workflows.ts', line: 6, column: 3, function_name: 'wait', internal_code: false },
        ],
      },
    ]);
  });

  it('with showStackTraceSources, carries the content of the user files named (from the source map), never the SDK\'s', () => {
    const withContent = [SourceMap.parse(JSON.stringify({
      version: 3,
      file: 'workflow-bundle-x.js',
      sources: [sdkFile, '/app/workflows.ts'],
      sourcesContent: ['export function sleep() {}', 'export async function wait() {\n  await sleep(1);\n}'],
      names: [],
      mappings: 'AAAA,UCKE',
    }))];
    const located = (line, column) => ({ file_path: 'workflow-bundle-x.js', line, column, internal_code: false });
    const answer = { sdk: {}, stacks: [{ locations: [located(1, 1), located(1, 11)] }], sources: {} };
    assert.deepEqual(enhancedStackTrace(answer, withContent, true).sources, {
      '/app/workflows.ts': [{ line_offset: 0, content: 'export async function wait() {\n  await sleep(1);\n}' }],
    });
    assert.deepEqual(enhancedStackTrace(answer, withContent).sources, {}, 'off by default');
    assert.deepEqual(enhancedStackTrace(answer, map, true).sources, {}, 'a map without sourcesContent has none to give');
  });

  it('rewrites only the answers of stack trace queries, and only json/plain ones', () => {
    const activation = { jobs: [
      { kind: 'queryWorkflow', queryId: 'a', queryType: '__stack_trace' },
      { kind: 'queryWorkflow', queryId: 'b', queryType: 'other' },
      { kind: 'queryWorkflow', queryId: 'c', queryType: '__stack_trace' },
    ] };
    const binary = { metadata: { encoding: new TextEncoder().encode('binary/plain') }, data: new TextEncoder().encode(raw) };
    const completion = { runId: 'r', successful: { sinkCalls: [], commands: [
      { kind: 'respondToQuery', queryId: 'a', result: defaultPayloadConverter.toPayload(raw) },
      { kind: 'respondToQuery', queryId: 'b', result: defaultPayloadConverter.toPayload(raw) },
      { kind: 'respondToQuery', queryId: 'c', result: binary },
    ] } };
    mapStackTraceAnswers(activation, completion, map);
    const [a, b, c] = completion.successful.commands.map((command) => command.result);
    assert.equal(defaultPayloadConverter.fromPayload(a), '  at wait (/app/workflows.ts:6:3)');
    assert.equal(defaultPayloadConverter.fromPayload(b), raw);
    assert.equal(new TextDecoder().decode(c.data), raw);
  });
});
