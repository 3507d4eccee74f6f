/**
 * Options of {@link WorkflowSandbox.create}: {@link WorkflowSandboxOptions} →
 * {@link compileWorkflowSandboxOptions} → {@link CompiledWorkflowSandboxOptions}.
 *
 * @module
 */
import { ValueError } from '../../common/index.js';
import { bundleSourceUrl, isWrappedBundle } from '../bundler/bundle-wrapper.js';
import { isHostLogger, silentLogger, type HostLogger } from '../bundler/host-logger.js';
import { SourceMap } from '../bundler/source-map.js';

export interface WorkflowSandboxOptions {
  /**
   * The workflow bundle (from `bundleWorkflowCode` or `loadWorkflowBundle`); without a source map,
   * stacks name bundle lines. A promise of it lets the threads start and lock themselves down while
   * the bundle is still being built.
   */
  bundle: { code: string; sourceMap?: string } | Promise<{ code: string; sourceMap?: string }>;
  /**
   * The workflow runtime script each thread evaluates once (see `buildWorkflowRuntime`).
   * @internal For tests with a stand-in runtime.
   * @default duraflow's runtime, built when the sandbox is created
   */
  runtime?: { code: string; sourceMap?: string };
  /**
   * Most sandbox threads. Runs are spread over them; each thread runs one activation at a time. The
   * first thread starts with the sandbox, each further one when a new run arrives while every
   * running thread is busy and has been saturated (see `threadGrowthWindowMs`), so a worker whose
   * threads keep up keeps one (a thread costs about 12–16 MB of RSS and 125–250 ms of start-up).
   * Two is the official SDK's default without a reused V8 context: on small machines (the common
   * 2-core container) more threads than cores only cost memory while the main thread also needs CPU
   * for gRPC and payload encoding.
   * @default 2
   */
  threads?: number;
  /**
   * How long every running thread must have been saturated (its event loop at least 80 % busy) before
   * a new run starts another thread. 0 starts one whenever a new run finds every thread busy.
   * @internal For tests that need a second thread at once.
   * @default 1000
   */
  threadGrowthWindowMs?: number;
  /**
   * An activation still running after this long is treated as a potential deadlock: its thread is
   * terminated and restarted (like the official SDK's 5 s isolate execution timeout). 0 disables the
   * limit (for stepping through workflow code in a debugger).
   * @default 5000
   */
  activationTimeoutMs?: number;
  /** Where the sandbox reports thread restarts and stray rejections. @default silent */
  logger?: HostLogger;
  /** Whether `__enhanced_stack_trace` answers carry the user's sources (from the bundle's source map). @default false */
  showStackTraceSources?: boolean;
}

/** A checked script: its code and its parsed source map. */
export interface CompiledScript {
  readonly code: string;
  readonly sourceMap: SourceMap | undefined;
}

/** The checked bundle. */
export interface CompiledBundle extends CompiledScript {
  /** The `//# sourceURL=` of the bundle, as stack frames name it. */
  readonly bundleUrl: string | undefined;
}

export interface CompiledWorkflowSandboxOptions {
  /** Settles once the bundle is there (rejecting with a ValueError when it is not a valid bundle). */
  readonly bundle: Promise<CompiledBundle>;
  readonly runtime: CompiledScript | undefined;
  readonly threads: number;
  readonly threadGrowthWindowMs: number;
  readonly activationTimeoutMs: number;
  readonly logger: HostLogger;
  readonly showStackTraceSources: boolean;
}

/**
 * Validates {@link WorkflowSandboxOptions} and fills in defaults.
 *
 * @throws ValueError naming the option that is wrong.
 * @example
 * ```ts
 * compileWorkflowSandboxOptions({ bundle: await bundleWorkflowCode({ workflowsPath }) }).threads; // 2
 * ```
 */
export function compileWorkflowSandboxOptions(options: WorkflowSandboxOptions): CompiledWorkflowSandboxOptions {
  if (typeof options !== 'object' || options === null) throw new ValueError('WorkflowSandbox options must be an object');
  const bundle = options.bundle instanceof Promise ? options.bundle.then(compileBundle) : Promise.resolve(compileBundle(options.bundle));
  bundle.catch(() => undefined); // awaited by WorkflowSandbox.create
  const runtime = options.runtime === undefined ? undefined : wrappedScript(options.runtime, 'runtime', 'from buildWorkflowRuntime');
  if (options.logger !== undefined && !isHostLogger(options.logger)) {
    throw new ValueError("Option 'logger' must have debug, info, warn and error methods");
  }
  return {
    bundle,
    runtime,
    threads: integer(options.threads, 'threads', 2, 1),
    threadGrowthWindowMs: integer(options.threadGrowthWindowMs, 'threadGrowthWindowMs', 1000, 0),
    activationTimeoutMs: integer(options.activationTimeoutMs, 'activationTimeoutMs', 5000, 0),
    logger: options.logger ?? silentLogger,
    showStackTraceSources: options.showStackTraceSources === true,
  };
}

/** The bundle option, checked, with its sourceURL. */
function compileBundle(value: unknown): CompiledBundle {
  const script = wrappedScript(value, 'bundle', 'from bundleWorkflowCode or loadWorkflowBundle');
  return { ...script, bundleUrl: bundleSourceUrl(script.code) };
}

/** A script made by the bundler: `{ code, sourceMap? }` with the source map parsed. */
function wrappedScript(value: unknown, name: string, origin: string): CompiledScript {
  const script = value as { code?: unknown; sourceMap?: unknown } | undefined;
  if (typeof script !== 'object' || script === null || typeof script.code !== 'string') {
    throw new ValueError(`Option '${name}' must be { code, sourceMap? } ${origin}`);
  }
  if (!isWrappedBundle(script.code)) throw new ValueError(`Option '${name}' is not a duraflow workflow ${name === 'bundle' ? 'bundle' : 'script'}: build it ${origin}`);
  if (script.sourceMap === undefined) return { code: script.code, sourceMap: undefined };
  try {
    return { code: script.code, sourceMap: SourceMap.parse(script.sourceMap as string) };
  } catch (error) {
    throw new ValueError(`Option '${name}.sourceMap' is not a valid source map: ${(error as Error).message}`, error);
  }
}

function integer(value: unknown, name: string, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new ValueError(`Option '${name}' must be an integer ≥ ${min}, got ${JSON.stringify(value)}`);
  }
  return value;
}
