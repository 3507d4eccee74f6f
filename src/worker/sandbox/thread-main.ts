/**
 * Entry of a sandbox thread (a `worker_threads` Worker). It hardens its own realm with `lockdown()`
 * (the main thread never is) as soon as it starts, then waits for its scripts (the first message):
 * it evaluates the workflow runtime script once, holds the workflow bundle as one string, and serves
 * requests one at a time: activations (creating a run's Compartment on
 * `initializeWorkflow`), command stacks and disposal. Unhandled promise rejections are attributed to the run whose activation is in progress.
 *
 * Errors are sent as `{ name, message, stack }` and never passed to `util.inspect`, which prints
 * `{}` for errors under SES's override taming.
 *
 * @module
 */
import type {} from 'ses';
import { parentPort, workerData } from 'node:worker_threads';
import type { WorkflowActivation } from '../../workflow/runtime/protocol.js';
import { LEXICAL_GLOBALS } from './sandbox-globals.js';
import { CAPTURE_ORIGIN_GLOBAL, SDK_MODULES_GLOBAL } from '../../workflow/runtime/protocol.js';
import { evaluateBundle, evaluateRuntime, failureFromError, SandboxRun, type SandboxThreadContext } from './sandbox-run.js';
import { makeCaptureOrigin, makeThreadGlobals, makeThreadIntrinsics, type ThreadIntrinsics } from './run-globals.js';
import { isReplayingActivation, ReplayPoller } from './replay-polling.js';
import { runScriptWithCodeCache } from './script-code-cache.js';
import { describeThrown, serializeError } from './serialized-error.js';
import type { ActivateResult, ReplayOutcome, ReplayRequest, ThreadData, ThreadMessage, ThreadRequest, ThreadScripts } from './thread-messages.js';

// The platform's own Error and Date, before lockdown() replaces the globals with SES's tamed constructors.
const FeralError = Error;
const FeralDate = Date;

if (parentPort === null) throw new Error('thread-main.js must run in a worker thread');
const { port, ses: sesLocation } = workerData as ThreadData;

// SES's single-file build loads faster than its ES modules (~25 ms per thread), and faster still with
// its compiled code cached (script-code-cache.ts); it defines lockdown, Compartment and harden.
const ses = runScriptWithCodeCache(sesLocation);

function post(message: ThreadMessage): void {
  port.postMessage(message);
}

const runs = new Map<string, SandboxRun>();
let activeRun: SandboxRun | undefined;

/** What the thread prepares before it has the scripts: lockdown and the globals every run shares. */
interface Boot {
  intrinsics: ThreadIntrinsics;
  globals: Record<string, unknown>;
}

/** Locks the thread down and builds the shared globals (needs neither script, so it runs while they are being prepared). */
function boot(): Boot {
  lockdown({
    errorTaming: 'unsafe',
    overrideTaming: 'moderate',
    consoleTaming: 'safe',
    stackFiltering: 'concise',
    errorTrapping: 'none',
    unhandledRejectionTrapping: 'none',
  });
  const intrinsics = makeThreadIntrinsics(FeralDate);
  const globals = makeThreadGlobals(intrinsics);
  const names = new Set([...Object.getOwnPropertyNames(new Compartment({ __options__: true }).globalThis), ...Object.keys(globals)]);
  const missing = LEXICAL_GLOBALS.filter((name) => !names.has(name));
  if (missing.length > 0) throw new Error(`The sandbox lacks globals the bundle wrapper binds: ${missing.join(', ')}`);
  return { intrinsics, globals };
}

/** Evaluates the runtime script, and the bundle once on trial. */
function load({ intrinsics, globals }: Boot, { code, runtimeCode }: ThreadScripts): SandboxThreadContext {
  const runtime = evaluateRuntime(runtimeCode, { ...globals, [CAPTURE_ORIGIN_GLOBAL]: makeCaptureOrigin(FeralError) });
  const runGlobals = { ...globals, [SDK_MODULES_GLOBAL]: runtime.modules };
  // Fails fast on a broken bundle and warms V8's compilation cache for this exact string (as no run: the idle clock, console off).
  evaluateBundle(code, runGlobals);
  return { intrinsics, runtime, runGlobals };
}

async function activate(code: string, context: SandboxThreadContext, activation: WorkflowActivation): Promise<ActivateResult> {
  const runId = activation.runId;
  const init = activation.jobs.find((job) => job.kind === 'initializeWorkflow');
  if (init !== undefined) {
    const previous = runs.get(runId);
    runs.delete(runId);
    if (previous !== undefined) disposeQuietly(previous);
    try {
      runs.set(runId, new SandboxRun(runId, code, context, init, activation));
    } catch (error) {
      const failure = failureFromError(error, 'The workflow bundle failed to load: ');
      return { completion: { runId, failed: { failure } }, alive: false };
    }
  }
  const run = runs.get(runId);
  if (run === undefined) throw new Error(`Run ${runId} is not in this sandbox thread`);
  activeRun = run;
  try {
    return { completion: await run.activate(activation), alive: true };
  } finally {
    activeRun = undefined;
  }
}

function disposeQuietly(run: SandboxRun): void {
  try {
    run.dispose();
  } catch (error) {
    post({ type: 'log', level: 'warn', message: `Disposing the run failed: ${serializeError(error).message}`, runId: run.runId });
  }
}

/** Replays a whole history here (thread-replay.ts, loaded on the first replay). */
async function replay(code: string, context: SandboxThreadContext, request: ReplayRequest): Promise<ReplayOutcome> {
  const { replayHistory } = await import('./thread-replay.js');
  return replayHistory(request, {
    activate: async (activation) => (await activate(code, context, activation)).completion,
    commandStack: (runId, index) => runs.get(runId)?.commandStack(index),
  });
}

async function handle(code: string, context: SandboxThreadContext, request: ThreadRequest): Promise<unknown> {
  switch (request.type) {
    case 'activate':
      return activate(code, context, request.activation);
    case 'replay':
      return replay(code, context, request);
    case 'commandStack':
      return runs.get(request.runId)?.commandStack(request.index);
    case 'discard':
      return undefined;
  }
}

/** Drops evicted runs (`runtime.dispose()`, then the Compartment is unreachable). */
function discard(runIds: readonly string[]): void {
  for (const runId of runIds) {
    const run = runs.get(runId);
    runs.delete(runId);
    if (run !== undefined) disposeQuietly(run);
  }
}

/** Posts the result; a completion that cannot be cloned becomes a failed completion. */
function reply(request: ThreadRequest, value: unknown): void {
  try {
    post({ type: 'result', id: request.id, ok: true, value });
  } catch (error) {
    if (request.type !== 'activate') throw error;
    const failure = failureFromError(error, 'The activation completion cannot leave the sandbox (it must be plain data): ');
    const result: ActivateResult = { completion: { runId: request.activation.runId, failed: { failure } }, alive: true };
    post({ type: 'result', id: request.id, ok: true, value: result });
  }
}

function main(): void {
  let booted: Boot;
  try {
    booted = boot();
  } catch (error) {
    post({ type: 'startFailed', error: serializeError(error) });
    return;
  }
  // The first message carries the scripts; requests follow once the thread has said it is ready.
  port.once('message', (scripts: ThreadScripts) => {
    let context: SandboxThreadContext;
    try {
      context = load(booted, scripts);
    } catch (error) {
      post({ type: 'startFailed', error: serializeError(error) });
      return;
    }
    serve(scripts.code, context);
  });
}

/** Answers requests, one at a time, until the thread is terminated. */
function serve(code: string, context: SandboxThreadContext): void {
  process.on('unhandledRejection', (reason) => {
    if (activeRun !== undefined) activeRun.reportUnhandledRejection(reason);
    else post({ type: 'log', level: 'warn', message: `Unhandled promise rejection outside any activation: ${describeThrown(serializeError(reason).message)}` });
  });
  let queue: Promise<void> = Promise.resolve();
  let pending = 0;
  const onRequest = (request: ThreadRequest): void => {
    pending++;
    queue = queue.then(async () => {
      try {
        if (request.discard !== undefined) discard(request.discard);
        reply(request, await handle(code, context, request));
      } catch (error) {
        post({ type: 'result', id: request.id, ok: false, error: serializeError(error) });
      }
      // After a replaying activation the next one usually follows at once (see replay-polling.ts).
      if (--pending === 0 && isReplayingActivation(request)) setImmediate(pollForRequest);
    });
  };
  const poller = new ReplayPoller();
  const pollForRequest = (): void => void poller.poll(port, () => pending > 0, (request) => onRequest(request as ThreadRequest));
  port.on('message', onRequest);
  post({ type: 'ready' });
  void ses.saveCodeCache();
}

main();
