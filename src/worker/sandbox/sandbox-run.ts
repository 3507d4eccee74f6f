/**
 * One workflow run inside a sandbox thread: its Compartment (with the thread's globals, acting for
 * the run while its code runs) in which the workflow bundle is evaluated, so the user's module state
 * is the run's own (duraflow's modules come from the thread's runtime script); and the activation
 * loop:
 *
 *   make the run active (clock, seed, console) → `runtime.activate` → { setImmediate barrier →
 *   `tryUnblockConditions` } until nothing unblocks → `runtime.concludeActivation`.
 *
 * The barrier lets every pending promise reaction run: Compartments share the thread's microtask
 * queue, and a macrotask runs only once that queue is empty.
 *
 * @module
 */
import type { ProtoFailure } from '../../common/proto-types.js';
import type {
  ActivationCompletion,
  InitializeWorkflowJob,
  SinkCall,
  WorkflowActivation,
  WorkflowBundleExports,
  WorkflowRuntimeModule,
  WorkflowRuntimeScriptExports,
} from '../../workflow/runtime/protocol.js';
import { alea, seedToBytes } from './alea.js';
import type { RunClock, ThreadIntrinsics } from './run-globals.js';
import { serializeError } from './serialized-error.js';
import type { ConsoleSink } from './workflow-console.js';

const RUNTIME_FUNCTIONS = [
  'createRun',
  'activate',
  'tryUnblockConditions',
  'concludeActivation',
  'handleUnhandledRejection',
  'commandStack',
  'dispose',
] as const;

const FAILURE_SOURCE = 'TypeScriptSDK';

/** A failure for an error the sandbox itself caught (the runtime threw, or the bundle failed to load). */
export function failureFromError(error: unknown, prefix = ''): ProtoFailure {
  const { name, message, stack } = serializeError(error);
  return {
    message: prefix + message,
    source: FAILURE_SOURCE,
    stackTrace: stack ?? '',
    applicationFailureInfo: { type: name, nonRetryable: false },
  };
}

function barrier(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function evaluate(code: string, globals: Record<string, unknown>): unknown {
  const compartment = new Compartment({ __options__: true, globals } as unknown as ConstructorParameters<typeof Compartment>[0]);
  const global = compartment.globalThis;
  global['global'] = global;
  global['self'] = global;
  return compartment.evaluate(code);
}

/**
 * Evaluates the runtime script in a Compartment with `globals` and checks what it returns. Its
 * modules are hardened (with everything reachable from their exports): every run of the thread
 * imports them, so no run may change them for the others.
 *
 * @throws Error when the script throws or does not export a complete runtime.
 */
export function evaluateRuntime(code: string, globals: Record<string, unknown>): WorkflowRuntimeScriptExports {
  const exports = evaluate(code, globals) as Partial<WorkflowRuntimeScriptExports> | undefined;
  const runtime = exports?.runtime as Record<string, unknown> | undefined;
  const missing = RUNTIME_FUNCTIONS.filter((fn) => typeof runtime?.[fn] !== 'function');
  if (missing.length > 0 || typeof exports?.modules !== 'object' || exports.modules === null) {
    throw new TypeError(`The workflow runtime script does not export ${missing.length > 0 ? missing.join(', ') : 'its modules'}: was it built by buildWorkflowRuntime?`);
  }
  // Module namespaces export through getters, which harden() does not follow: harden each value too.
  for (const module of Object.values(exports.modules)) {
    for (const key of Object.keys(module as object)) harden((module as Record<string, unknown>)[key]);
  }
  harden(exports.modules);
  return exports as WorkflowRuntimeScriptExports;
}

/**
 * Evaluates the workflow bundle in a new Compartment with `globals` (which must include the runtime
 * script's modules as `SDK_MODULES_GLOBAL`) and checks what it returns.
 *
 * @throws Error when the bundle throws or does not export the workflows module.
 */
export function evaluateBundle(code: string, globals: Record<string, unknown>): WorkflowBundleExports {
  const exports = evaluate(code, globals) as Partial<WorkflowBundleExports> | undefined;
  if (typeof exports?.workflows !== 'object' || exports.workflows === null || !Array.isArray(exports.interceptorModules)) {
    throw new TypeError('The workflow bundle does not export its workflows module: was it built by bundleWorkflowCode?');
  }
  return exports as WorkflowBundleExports;
}

/** What the runs of a thread share: its intrinsics, its evaluation of the runtime script, and the endowments of every run. */
export interface SandboxThreadContext {
  intrinsics: ThreadIntrinsics;
  runtime: WorkflowRuntimeScriptExports;
  /** The thread's globals (see `run-globals.ts`) plus the runtime script's modules. */
  runGlobals: Record<string, unknown>;
}

/** A live run (see the module doc). */
export class SandboxRun {
  private readonly clock: RunClock;
  private readonly consoleSink: ConsoleSink = { isReplaying: false, records: [], dropped: 0 };
  private readonly runtime: WorkflowRuntimeModule;
  private readonly workflowInfo: SinkCall['workflowInfo'];
  /** A failure of the runtime itself while handling an unhandled rejection; fails the activation. */
  private hostFailure: ProtoFailure | undefined;

  constructor(
    readonly runId: string,
    code: string,
    private readonly thread: SandboxThreadContext,
    init: InitializeWorkflowJob,
    activation: WorkflowActivation
  ) {
    this.clock = { now: activation.timestampMs, random: alea(seedToBytes(init.randomnessSeed)) };
    this.workflowInfo = {
      workflowId: init.workflowId,
      runId,
      workflowType: init.workflowType,
      namespace: init.namespace,
      taskQueue: init.taskQueue,
    };
    // The bundle's top-level code runs as this run's code.
    this.makeActive();
    const userModules = evaluateBundle(code, thread.runGlobals);
    this.runtime = thread.runtime.runtime;
    this.runtime.createRun(runId, userModules);
  }

  /** Runs one activation to quiescence and returns its completion (plain data). */
  async activate(activation: WorkflowActivation): Promise<ActivationCompletion> {
    this.clock.now = activation.timestampMs;
    for (const job of activation.jobs) {
      if (job.kind === 'updateRandomSeed') this.clock.random = alea(seedToBytes(job.randomnessSeed));
    }
    this.consoleSink.isReplaying = activation.isReplaying;
    this.consoleSink.records = [];
    this.consoleSink.dropped = 0;
    this.hostFailure = undefined;
    this.makeActive();
    let completion: ActivationCompletion;
    try {
      this.runtime.activate(activation);
      for (;;) {
        await barrier();
        if (this.runtime.tryUnblockConditions() === 0) break;
      }
      completion = this.runtime.concludeActivation();
    } catch (error) {
      return { runId: this.runId, failed: { failure: failureFromError(error, 'The workflow runtime failed: ') } };
    }
    if (this.hostFailure !== undefined) return { runId: this.runId, failed: { failure: this.hostFailure } };
    return this.withConsoleCalls(completion);
  }

  /** Points the thread's Date, Math.random and console at this run. */
  private makeActive(): void {
    this.thread.intrinsics.active.clock = this.clock;
    this.thread.intrinsics.active.consoleSink = this.consoleSink;
  }

  /** A promise of this run was rejected and nobody handled it during its activation. */
  reportUnhandledRejection(reason: unknown): void {
    try {
      this.runtime.handleUnhandledRejection(reason);
    } catch (error) {
      this.hostFailure ??= failureFromError(error, 'The workflow runtime failed to handle an unhandled rejection: ');
    }
  }

  /** `runtime.commandStack(index)`, if it is a string. */
  commandStack(index: number): string | undefined {
    const stack: unknown = this.runtime.commandStack(this.runId, index);
    return typeof stack === 'string' ? stack : undefined;
  }

  dispose(): void {
    this.runtime.dispose(this.runId);
  }

  private withConsoleCalls(completion: ActivationCompletion): ActivationCompletion {
    const records = this.consoleSink.records;
    if (records.length === 0 || !('successful' in completion)) return completion;
    const consoleCalls: SinkCall[] = records.map((record) => ({
      ifaceName: 'console',
      fnName: record.level,
      args: [record.message],
      isReplaying: false,
      workflowInfo: { ...this.workflowInfo },
    }));
    const successful = completion.successful;
    return { ...completion, successful: { ...successful, sinkCalls: [...(successful.sinkCalls ?? []), ...consoleCalls] } };
  }
}
