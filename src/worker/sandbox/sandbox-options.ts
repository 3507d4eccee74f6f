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
  /** The workflow bundle (from `bundleWorkflowCode` or `loadWorkflowBundle`); without a source map, stacks name bundle lines. */
  bundle: { code: string; sourceMap?: string };
  /**
   * Sandbox threads. Runs are spread over them; each thread runs one activation at a time. Two is
   * the official SDK's default without a reused V8 context: on small machines (the common 2-core
   * container) more threads than cores only cost memory (about 16 MB and 125–250 ms of start-up
   * per locked-down thread) while the main thread also needs CPU for gRPC and payload encoding.
   * @default 2
   */
  threads?: number;
  /**
   * An activation still running after this long is treated as a potential deadlock: its thread is
   * terminated and restarted (like the official SDK's 5 s isolate execution timeout). 0 disables the
   * limit (for stepping through workflow code in a debugger).
   * @default 5000
   */
  activationTimeoutMs?: number;
  /** Where the sandbox reports thread restarts and stray rejections. @default silent */
  logger?: HostLogger;
}

export interface CompiledWorkflowSandboxOptions {
  readonly code: string;
  readonly sourceMap: SourceMap | undefined;
  /** The `//# sourceURL=` of the bundle, as stack frames name it. */
  readonly bundleUrl: string | undefined;
  readonly threads: number;
  readonly activationTimeoutMs: number;
  readonly logger: HostLogger;
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
  const bundle = options.bundle as Partial<WorkflowSandboxOptions['bundle']> | undefined;
  if (typeof bundle !== 'object' || bundle === null || typeof bundle.code !== 'string') {
    throw new ValueError("Option 'bundle' must be { code, sourceMap? } from bundleWorkflowCode or loadWorkflowBundle");
  }
  if (!isWrappedBundle(bundle.code)) throw new ValueError("Option 'bundle' is not a duraflow workflow bundle: build it with bundleWorkflowCode");
  let sourceMap: SourceMap | undefined;
  if (bundle.sourceMap !== undefined) {
    try {
      sourceMap = SourceMap.parse(bundle.sourceMap);
    } catch (error) {
      throw new ValueError(`Option 'bundle.sourceMap' is not a valid source map: ${(error as Error).message}`, error);
    }
  }
  if (options.logger !== undefined && !isHostLogger(options.logger)) {
    throw new ValueError("Option 'logger' must have debug, info, warn and error methods");
  }
  return {
    code: bundle.code,
    sourceMap,
    bundleUrl: bundleSourceUrl(bundle.code),
    threads: integer(options.threads, 'threads', 2, 1),
    activationTimeoutMs: integer(options.activationTimeoutMs, 'activationTimeoutMs', 5000, 0),
    logger: options.logger ?? silentLogger,
  };
}

function integer(value: unknown, name: string, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new ValueError(`Option '${name}' must be an integer ≥ ${min}, got ${JSON.stringify(value)}`);
  }
  return value;
}
