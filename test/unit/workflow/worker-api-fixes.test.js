// Workflow runtime fixes made while proving the workflow API end to end: the internals
// interceptors' `activate` (and `dispose`), and the unfinished-handler warnings worded as the
// official SDK's.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as api from '../../../dist/workflow/index.js';
import { commandsOf, jobs, Run, runtime, value } from './helpers/harness.js';

/** An interceptors module recording what the internals interceptors saw into `seen`. */
function recordingModule(seen) {
  return {
    interceptors: () => ({
      internals: [
        {
          activate(input, next) {
            seen.push(['activate', input.batchIndex, input.activation.jobs.map((j) => j.kind)]);
            next(input);
          },
          concludeActivation(input, next) {
            seen.push(['conclude', input.commands.map((c) => c.kind)]);
            return next(input);
          },
          dispose(input, next) {
            seen.push(['dispose']);
            next(input);
          },
        },
      ],
    }),
  };
}

const workflows = {
  async sleeper() {
    api.setHandler(api.defineQuery('q'), () => 'answer');
    await api.sleep(10);
    return 'woke';
  },
};

describe('internals interceptors', () => {
  it('activate wraps every activation, the first and query activations included; dispose runs on eviction', async () => {
    const seen = [];
    const run = new Run(workflows, { interceptorModules: [recordingModule(seen)] });
    assert.deepEqual(commandsOf(await run.start('sleeper')).map((c) => c.kind), ['startTimer']);
    await run.activate([jobs.query('q1', 'q')]);
    assert.deepEqual(commandsOf(await run.activate([jobs.fireTimer(1)])).map((c) => c.kind), ['completeWorkflowExecution']);
    runtime.dispose('run-1');
    assert.deepEqual(seen, [
      ['activate', 0, ['initializeWorkflow']],
      ['conclude', ['startTimer']],
      ['activate', 0, ['queryWorkflow']],
      ['conclude', ['respondToQuery']],
      ['activate', 0, ['fireTimer']],
      ['conclude', ['completeWorkflowExecution']],
      ['dispose'],
    ]);
  });

  it('an activate interceptor that throws fails the workflow task', async () => {
    const module = { interceptors: () => ({ internals: [{ activate: () => { throw new Error('activate broke'); } }] }) };
    const run = new Run(workflows, { interceptorModules: [module] });
    const completion = await run.start('sleeper');
    assert.match(completion.failed?.failure?.message ?? '', /activate broke/);
  });
});

describe('unfinished handler warnings', () => {
  const wf = {
    async leaves() {
      api.setHandler(api.defineUpdate('u'), () => api.condition(() => false));
      api.setHandler(api.defineSignal('s'), () => api.condition(() => false));
      await api.sleep(1);
      return 'done';
    },
  };

  it('use the official TMPRL1102 wording, listing updates by name and id and signals by name and count', async () => {
    const run = new Run(wf);
    await run.start('leaves', {}, [jobs.update('up-1', 'u'), jobs.signal('s'), jobs.signal('s')]);
    const completion = await run.activate([jobs.fireTimer(1)]);
    const warnings = completion.successful.sinkCalls.filter((c) => c.fnName === 'warn').map((c) => c.args[0]);
    assert.equal(warnings.length, 2);
    assert.match(warnings[0], /^\[TMPRL1102\] Workflow finished while an update handler was still running\. This may have interrupted work that the update handler was doing, and the client that sent the update will receive a 'workflow execution already completed' RPCError instead of the update result\./);
    assert.match(warnings[0], /unfinishedPolicy: HandlerUnfinishedPolicy\.ABANDON\}\);`\. The following updates were unfinished \(and warnings were not disabled for their handler\): \[\{"name":"u","id":"up-1"\}\]$/);
    assert.match(warnings[1], /^\[TMPRL1102\] Workflow finished while a signal handler was still running\. This may have interrupted work that the signal handler was doing\./);
    assert.match(warnings[1], /\[\{"name":"s","count":2\}\]$/);
  });
});

describe('built-in queries', () => {
  const answer = async (run, queryType) => {
    const [cmd] = commandsOf(await run.activate([jobs.query(`q-${queryType}`, queryType)]));
    return cmd.result;
  };

  it('answer with the default payload converter, whatever converter the workflow uses', async () => {
    const shouting = { toPayload: () => ({ metadata: { encoding: new TextEncoder().encode('shout') }, data: new Uint8Array([1]) }), fromPayload: () => 'SHOUT' };
    const run = new Run(workflows, { payloadConverterModule: { payloadConverter: shouting } });
    await run.start('sleeper');
    for (const type of ['__stack_trace', '__enhanced_stack_trace', '__temporal_workflow_metadata']) {
      const payload = await answer(run, type);
      assert.equal(new TextDecoder().decode(payload.metadata.encoding), 'json/plain', type);
    }
    const metadata = value(await answer(run, '__temporal_workflow_metadata'));
    assert.deepEqual(metadata.definition.queryDefinitions.map((d) => d.name), ['__stack_trace', '__enhanced_stack_trace', '__temporal_workflow_metadata', 'q']);
    assert.match(value(await answer(run, '__stack_trace')), /at Object\.sleeper|at sleeper/);
  });

  it('show where a child result is awaited once result() was called, and structured locations', async () => {
    const wf = {
      async parent() {
        const child = await api.startChild('kid', { workflowId: 'kid-1' });
        return await awaitsTheResult(child);
      },
    };
    async function awaitsTheResult(child) {
      return await child.result();
    }
    const run = new Run(wf);
    await run.start('parent');
    assert.match(value(await answer(run, '__stack_trace')), /^\s*at (Object\.)?parent /m, 'before result(): where the child was started');
    await run.activate([jobs.childStarted(1)]);
    const trace = value(await answer(run, '__stack_trace'));
    assert.match(trace, /at awaitsTheResult /, trace);
    const enhanced = value(await answer(run, '__enhanced_stack_trace'));
    assert.equal(enhanced.stacks.length, 1);
    const names = enhanced.stacks[0].locations.map((l) => l.function_name);
    assert.ok(names.includes('awaitsTheResult'), JSON.stringify(names));
    assert.ok(enhanced.stacks[0].locations.every((l) => Number.isInteger(l.line) && l.internal_code === false && typeof l.file_path === 'string'));
  });
});
