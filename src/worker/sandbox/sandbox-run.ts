/**
 * One workflow run inside a sandbox thread: its Compartment (with the run's globals), the bundle
 * evaluated in it (so module state is the run's own) and the activation loop:
 *
 *   set the clock (and seed) → `runtime.activate` → { setImmediate barrier → `tryUnblockConditions` }
 *   until nothing unblocks → `runtime.concludeActivation`.
 *
 * The barrier lets every pending promise reaction run: a Compartment shares the thread's microtask
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
} from '../../workflow/runtime/protocol.js';
import { alea, seedToBytes } from './alea.js';
import { makeRunGlobals, type RunClock, type ThreadIntrinsics } from './run-globals.js';
import { serializeError } from './serialized-error.js';
import type { ConsoleSink } from './workflow-console.js';

const RUNTIME_FUNCTIONS = [
  'initRuntime',
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

/**
 * Evaluates the bundle in a new Compartment with `globals` and checks what it returns.
 *
 * @throws Error when the bundle throws or does not export a complete runtime.
 */
export function evaluateBundle(code: string, globals: Record<string, unknown>): WorkflowBundleExports {
  const compartment = new Compartment({ __options__: true, globals } as unknown as ConstructorParameters<typeof Compartment>[0]);
  const global = compartment.globalThis;
  global['global'] = global;
  global['self'] = global;
  const exports = compartment.evaluate(code) as Partial<WorkflowBundleExports> | undefined;
  const runtime = exports?.runtime as Record<string, unknown> | undefined;
  const missing = RUNTIME_FUNCTIONS.filter((fn) => typeof runtime?.[fn] !== 'function');
  if (missing.length > 0) {
    throw new TypeError(`The workflow bundle's runtime does not export ${missing.join(', ')}: was it built by bundleWorkflowCode?`);
  }
  return exports as WorkflowBundleExports;
}

/** A live run (see the module doc). */
export class SandboxRun {
  private readonly clock: RunClock;
  private readonly consoleSink: ConsoleSink = { isReplaying: false, records: [] };
  private readonly runtime: WorkflowRuntimeModule;
  private readonly workflowInfo: SinkCall['workflowInfo'];
  /** A failure of the runtime itself while handling an unhandled rejection; fails the activation. */
  private hostFailure: ProtoFailure | undefined;

  constructor(
    readonly runId: string,
    code: string,
    intrinsics: ThreadIntrinsics,
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
    const { runtime, ...userModules } = evaluateBundle(code, makeRunGlobals(intrinsics, this.clock, this.consoleSink));
    this.runtime = runtime;
    runtime.initRuntime(userModules);
  }

  /** Runs one activation to quiescence and returns its completion (plain data). */
  async activate(activation: WorkflowActivation): Promise<ActivationCompletion> {
    this.clock.now = activation.timestampMs;
    for (const job of activation.jobs) {
      if (job.kind === 'updateRandomSeed') this.clock.random = alea(seedToBytes(job.randomnessSeed));
    }
    this.consoleSink.isReplaying = activation.isReplaying;
    this.consoleSink.records = [];
    this.hostFailure = undefined;
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
    const stack: unknown = this.runtime.commandStack(index);
    return typeof stack === 'string' ? stack : undefined;
  }

  dispose(): void {
    this.runtime.dispose();
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
