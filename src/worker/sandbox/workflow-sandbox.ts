/**
 * The workflow sandbox host: a pool of locked-down `worker_threads` that run workflow activations.
 * Each thread evaluates the workflow runtime script once; each run gets its own SES Compartment in
 * which the workflow bundle (the user's code) is evaluated (see `thread-main.ts` and `sandbox-run.ts`).
 *
 * @module
 */
import type { EventLoopUtilization } from 'node:perf_hooks';
import { ValueError } from '../../common/index.js';
import type { ProtoFailure } from '../../common/proto-types.js';
import type { ActivationCompletion, InitializeWorkflowJob, WorkflowActivation } from '../../workflow/runtime/protocol.js';
import { mapStackTrace } from '../bundler/map-stack-trace.js';
import { SourceMap } from '../bundler/source-map.js';
import { buildWorkflowRuntime } from '../bundler/workflow-runtime.js';
import { mapCompletionStacks, mapFailureStacks } from './completion-stacks.js';
import { mapStackTraceAnswers } from './stack-trace-answers.js';
import { SandboxClosedError, SandboxRunLostError } from './errors.js';
import { compileWorkflowSandboxOptions, type CompiledScript, type CompiledWorkflowSandboxOptions, type WorkflowSandboxOptions } from './sandbox-options.js';
import { SandboxThread, type SandboxScripts } from './sandbox-thread.js';
import type { ActivateResult, ReplayOutcome, ReplayRequest } from './thread-messages.js';

/** Where a run lives and what identifies it in messages. */
interface RunRecord {
  thread: SandboxThread;
  workflowType: string;
  workflowId: string;
}

/** Event-loop utilization over a growth window from which a thread counts as saturated. */
const SATURATED = 0.8;

/** Runs remembered as lost (so their next activation says so) until they are replayed or disposed. */
const LOST_RUNS_LIMIT = 10_000;

/** duraflow's runtime script (built once per process), with its source map parsed once. */
let defaultRuntime: Promise<{ code: string; sourceMap: SourceMap | undefined }> | undefined;
function parsedRuntime(): Promise<{ code: string; sourceMap: SourceMap | undefined }> {
  defaultRuntime ??= buildWorkflowRuntime().then((script) => ({ code: script.code, sourceMap: SourceMap.parse(script.sourceMap) }));
  defaultRuntime.catch(() => (defaultRuntime = undefined));
  return defaultRuntime;
}

function formatDuration(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : ms > 1000 ? `${(ms / 1000).toFixed(1)}s` : `${ms}ms`;
}

function validateActivation(activation: WorkflowActivation): void {
  if (typeof activation !== 'object' || activation === null) throw new ValueError('activate: the activation must be an object');
  if (typeof activation.runId !== 'string' || activation.runId === '') throw new ValueError('activate: activation.runId must be a non-empty string');
  if (typeof activation.timestampMs !== 'number' || !Number.isFinite(activation.timestampMs)) {
    throw new ValueError(`activate: activation.timestampMs must be a finite number, got ${String(activation.timestampMs)}`);
  }
  if (!Array.isArray(activation.jobs)) throw new ValueError('activate: activation.jobs must be an array');
}

/**
 * Runs workflow activations in SES-sandboxed threads.
 *
 * - `create()` sets `process.env.TZ = 'UTC'` (before any thread starts, so workflow code sees UTC
 *   whatever the machine's time zone), starts the threads (each calls `lockdown()` once and holds
 *   the bundle) and waits until they are ready.
 * - A run's first activation (with `initializeWorkflow`) places it on the thread with the fewest
 *   runs and creates its Compartment there; its later activations go to the same thread.
 * - An activation that exceeds `activationTimeoutMs` completes as failed ("Potential deadlock
 *   detected …", with the stuck code's stack when it could be read), and its thread is restarted.
 *   Every run that lived there is lost: its next activation rejects with {@link SandboxRunLostError}
 *   until it is replayed from history (an activation with `initializeWorkflow`) or disposed.
 * - Failure stack traces in completions, and {@link commandStack}, are mapped to the user's sources.
 *
 * @example
 * ```ts
 * const sandbox = await WorkflowSandbox.create({ bundle: await bundleWorkflowCode({ workflowsPath }) });
 * const completion = await sandbox.activate(firstActivation); // with an initializeWorkflow job
 * await sandbox.dispose(firstActivation.runId);
 * await sandbox.close();
 * ```
 */
export class WorkflowSandbox {
  private readonly slots: (SandboxThread | undefined)[] = [];
  private readonly runs = new Map<string, RunRecord>();
  private readonly lostRuns = new Map<string, string>();
  private closed = false;
  /** The bundle's and the runtime script's source maps (set once both are there). */
  private sourceMaps: readonly SourceMap[] = [];
  /** What every thread of this sandbox evaluates. */
  private readonly scripts: Promise<SandboxScripts>;
  /** Where the current growth window began, and each alive thread's event-loop reading then (see {@link saturated}). */
  private growthWindow = { start: performance.now(), readings: new Map<SandboxThread, EventLoopUtilization>() };

  private constructor(
    private readonly options: CompiledWorkflowSandboxOptions,
    runtime: Promise<CompiledScript>,
  ) {
    this.scripts = Promise.all([options.bundle, runtime]).then(([bundle, script]) => {
      this.sourceMaps = [bundle.sourceMap, script.sourceMap].filter((map): map is SourceMap => map !== undefined);
      return { code: bundle.code, runtimeCode: script.code, bundleUrl: bundle.bundleUrl };
    });
    this.scripts.catch(() => undefined); // awaited by create()
  }

  /**
   * Starts the first sandbox thread; resolves once it is ready. The others start when they are
   * needed: a new run placed while every running thread is busy, and has been saturated for the
   * last `threadGrowthWindowMs`, starts one (and waits for it).
   *
   * @throws ValueError for invalid options; Error when a thread cannot start (e.g. the bundle throws when evaluated).
   */
  static async create(options: WorkflowSandboxOptions): Promise<WorkflowSandbox> {
    const compiled = compileWorkflowSandboxOptions(options);
    if (process.env.TZ !== 'UTC') {
      compiled.logger.debug('Setting TZ=UTC for workflow sandbox threads', { previous: process.env.TZ });
      process.env.TZ = 'UTC';
    }
    // The threads start (and lock themselves down) while the runtime script is loaded and the bundle may still be built.
    const sandbox = new WorkflowSandbox(compiled, compiled.runtime !== undefined ? Promise.resolve(compiled.runtime) : parsedRuntime());
    const first = sandbox.startThread();
    sandbox.slots.push(first, ...new Array<undefined>(compiled.threads - 1).fill(undefined));
    try {
      await sandbox.scripts;
      await first.ready;
    } catch (error) {
      await sandbox.close();
      throw error;
    }
    return sandbox;
  }

  /** Runs in the sandbox (created and not yet disposed or lost). */
  get runCount(): number {
    return this.runs.size;
  }

  /**
   * Runs one activation to completion. An activation containing `initializeWorkflow` creates the
   * run (replacing a run with the same id); any other needs the run to exist.
   *
   * @throws SandboxRunLostError when the run's thread was restarted; SandboxClosedError after close().
   */
  async activate(activation: WorkflowActivation): Promise<ActivationCompletion> {
    this.assertOpen();
    validateActivation(activation);
    const record = this.placeRun(activation);
    const result = await record.thread.request<ActivateResult>({ type: 'activate', activation }, (stack) => ({
      completion: this.deadlockCompletion(record, activation, stack),
      alive: false,
    }));
    if (!result.alive) this.forget(activation.runId, record);
    mapCompletionStacks(result.completion, this.sourceMaps);
    mapStackTraceAnswers(activation, result.completion, this.sourceMaps, this.options.showStackTraceSources);
    return result.completion;
  }

  /**
   * Replays a whole history (binary `History`) in a sandbox thread, which runs the history state
   * machines itself: the same activations and checks as driving them from this thread, without a
   * round trip per activation. Codecs are not applied (the caller uses this only without them). The
   * run stays in the sandbox until disposed, as after {@link activate}. Stacks in the outcome are
   * mapped to the user's sources. `activationTimeoutMs` limits the whole replay.
   *
   * @throws the machines' error for an invalid history (name and message kept); SandboxRunLostError, SandboxClosedError as for activate.
   */
  async replay(run: ReplayRequest['run'], history: Uint8Array): Promise<ReplayOutcome> {
    this.assertOpen();
    if (!(history instanceof Uint8Array)) throw new ValueError('replay: the history must be a Uint8Array (binary History)');
    const record = this.placeNewRun(run.runId, run.workflowType, run.workflowId);
    const limit = formatDuration(this.options.activationTimeoutMs);
    // Posting a view copies its whole buffer: a view into a larger one is copied first.
    const bytes = history.byteLength === history.buffer.byteLength ? history : history.slice();
    const outcome = await record.thread.request<ReplayOutcome>({ type: 'replay', run, history: bytes }, () => (
      new Error(`Replaying the history of workflow ${run.workflowType} (run id ${run.runId}) did not finish within ${limit}: potential deadlock`)
    ));
    if (outcome.kind === 'failed') mapFailureStacks(outcome.failure, this.sourceMaps);
    if (outcome.kind === 'nondeterminism' && outcome.stack !== undefined) outcome.stack = mapStackTrace(outcome.stack, this.sourceMaps);
    return outcome;
  }

  /**
   * Where the run's last activation issued command `index`: the runtime's `commandStack`, mapped
   * to the user's sources. `undefined` when the run or the stack is unknown.
   */
  async commandStack(runId: string, index: number): Promise<string | undefined> {
    if (typeof runId !== 'string') throw new ValueError('commandStack: runId must be a string');
    if (!Number.isInteger(index) || index < 0) throw new ValueError(`commandStack: index must be an integer ≥ 0, got ${index}`);
    this.assertOpen();
    const record = this.runs.get(runId);
    if (record === undefined) return undefined;
    let stack: string | undefined;
    try {
      stack = await record.thread.request<string | undefined>({ type: 'commandStack', runId, index }, () => undefined);
    } catch (error) {
      if (error instanceof SandboxRunLostError) return undefined;
      throw error;
    }
    return stack === undefined ? undefined : mapStackTrace(stack, this.sourceMaps);
  }

  /**
   * Evicts a run: it is gone from the sandbox at once; its thread runs `runtime.dispose()` and drops
   * its Compartment before the next request it gets (or shortly, when none comes). Unknown runs are
   * ignored.
   */
  async dispose(runId: string): Promise<void> {
    if (typeof runId !== 'string') throw new ValueError('dispose: runId must be a string');
    this.lostRuns.delete(runId);
    const record = this.runs.get(runId);
    if (record === undefined || this.closed) return;
    this.forget(runId, record);
    record.thread.discard(runId);
  }

  /** Terminates every thread; runs are gone and later calls reject with SandboxClosedError. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.runs.clear();
    this.lostRuns.clear();
    await Promise.all(this.slots.map((thread) => thread?.close()));
  }

  private assertOpen(): void {
    if (this.closed) throw new SandboxClosedError();
  }

  private startThread(): SandboxThread {
    return new SandboxThread({
      scripts: this.scripts,
      timeoutMs: this.options.activationTimeoutMs,
      logger: this.options.logger,
      onExit: (thread, reason) => this.threadExited(thread, reason),
    });
  }

  /** A thread is gone: its runs are lost; it is replaced (lazily, if it never managed to start). */
  private threadExited(thread: SandboxThread, reason: string): void {
    if (this.closed) return;
    for (const runId of thread.runs) {
      this.runs.delete(runId);
      this.lostRuns.set(runId, reason);
      if (this.lostRuns.size > LOST_RUNS_LIMIT) this.lostRuns.delete(this.lostRuns.keys().next().value as string);
    }
    this.options.logger.warn(`Workflow sandbox thread restarted: ${reason}`, { lostRuns: thread.runs.size });
    thread.runs.clear();
    const index = this.slots.indexOf(thread);
    if (index >= 0) this.slots[index] = thread.started ? this.startThread() : undefined;
  }

  /** The run's record; creates it (on the least-loaded thread) for an activation with `initializeWorkflow`. */
  private placeRun(activation: WorkflowActivation): RunRecord {
    const runId = activation.runId;
    const existing = this.runs.get(runId);
    const init = activation.jobs.find((job): job is InitializeWorkflowJob => job?.kind === 'initializeWorkflow');
    if (init === undefined) {
      if (existing !== undefined) return existing;
      const lost = this.lostRuns.get(runId);
      if (lost !== undefined) throw new SandboxRunLostError(runId, lost);
      throw new ValueError(`Workflow run ${runId} is not in the sandbox: a run's first activation must contain initializeWorkflow`);
    }
    return this.placeNewRun(runId, init.workflowType, init.workflowId);
  }

  /** A record for a run being created (replacing the run with the same id): on its thread if alive, else the least-loaded one. */
  private placeNewRun(runId: string, workflowType: string, workflowId: string): RunRecord {
    const existing = this.runs.get(runId);
    this.lostRuns.delete(runId);
    const thread = existing?.thread.alive ? existing.thread : this.leastLoadedThread();
    if (existing !== undefined && existing.thread !== thread) existing.thread.runs.delete(runId);
    const record: RunRecord = { thread, workflowType, workflowId };
    thread.runs.add(runId);
    this.runs.set(runId, record);
    return record;
  }

  /**
   * The alive thread with the fewest runs (of those, one that has finished starting), after starting
   * another thread if the pool is not full and the alive ones are saturated ({@link saturated}).
   */
  private leastLoadedThread(): SandboxThread {
    const free = this.slots.indexOf(undefined);
    if (free >= 0 && this.saturated()) this.slots[free] = this.startThread();
    let best: SandboxThread | undefined;
    const rank = (thread: SandboxThread): number => thread.runs.size * 2 + (thread.started ? 0 : 1);
    for (const thread of this.slots) {
      if (thread?.alive && (best === undefined || rank(thread) < rank(best))) best = thread;
    }
    return best ?? (this.slots[0] = this.startThread());
  }

  /**
   * Whether every alive thread is busy now and, over the growth window that just ended, had its
   * event loop at least {@link SATURATED} busy. A window ends at the first new run placed after it
   * lasted `threadGrowthWindowMs`; a thread that started during it does not count as saturated.
   */
  private saturated(): boolean {
    const alive = this.slots.filter((thread): thread is SandboxThread => thread?.alive === true);
    if (!alive.every((thread) => thread.busy)) return false;
    const now = performance.now();
    if (now - this.growthWindow.start < this.options.threadGrowthWindowMs) return false;
    const previous = this.growthWindow.readings;
    this.growthWindow = { start: now, readings: new Map(alive.map((thread) => [thread, thread.utilization()])) };
    if (this.options.threadGrowthWindowMs === 0) return true;
    return alive.every((thread) => {
      const reading = previous.get(thread);
      return reading !== undefined && thread.utilization(reading).utilization >= SATURATED;
    });
  }

  /** Threads started (alive or being replaced), for tests and status. */
  get threadCount(): number {
    return this.slots.filter((thread) => thread !== undefined).length;
  }

  private forget(runId: string, record: RunRecord): void {
    if (this.runs.get(runId) === record) this.runs.delete(runId);
    record.thread.runs.delete(runId);
  }

  private deadlockCompletion(record: RunRecord, activation: WorkflowActivation, stack: string | undefined): ActivationCompletion {
    const jobs = activation.jobs.map((job) => job.kind).join(', ');
    const failure: ProtoFailure = {
      message:
        `Potential deadlock detected: workflow ${record.workflowType} (workflow id ${record.workflowId}, run id ${activation.runId}) ` +
        `did not finish its activation within ${formatDuration(this.options.activationTimeoutMs)} (jobs: ${jobs}). ` +
        'Workflow code must not block: a loop has to await a workflow API (sleep, condition, an activity) to let the activation end.',
      source: 'TypeScriptSDK',
      stackTrace: stack !== undefined ? stack : '(the stack of the stuck code could not be read)',
      applicationFailureInfo: { type: 'PotentialDeadlockError', nonRetryable: false },
    };
    return { runId: activation.runId, failed: { failure } };
  }
}
