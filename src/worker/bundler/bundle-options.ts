/**
 * Options of {@link bundleWorkflowCode}: {@link BundleOptions} → {@link compileBundleOptions} →
 * {@link CompiledBundleOptions}.
 *
 * @module
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ValueError } from '../../common/index.js';
import { isHostLogger, silentLogger, type HostLogger } from './host-logger.js';

/** Where finished bundles are kept between calls; see {@link BundleOptions.cache}. */
export type BundleCacheMode = 'memory' | 'disk' | false;

/** Options of {@link bundleWorkflowCode}; names follow `@temporalio/worker`'s `BundleOptions`. */
export interface BundleOptions {
  /** Path of the module exporting the workflow functions (a file, or a directory with an index file). Required. */
  workflowsPath: string;
  /**
   * Modules exporting `interceptors()` for workflows, in the order they are applied. Paths (relative
   * to the working directory) or package specifiers.
   * @default []
   */
  workflowInterceptorModules?: string[];
  /** Module exporting `payloadConverter`, used inside the sandbox. @default none: the default converter */
  payloadConverterPath?: string;
  /** Module exporting `failureConverter`, used inside the sandbox. @default none: the default converter */
  failureConverterPath?: string;
  /**
   * Modules replaced by a stub that throws as soon as it is used: for a library that imports a
   * module workflow code never calls. `'fs'` matches `fs`, `node:fs` and `fs/promises`. Listing a
   * disallowed module here allows it (as the stub).
   * @default []
   */
  ignoreModules?: string[];
  /** Where to report the bundle's size and build time. @default silent */
  logger?: HostLogger;
  /**
   * Reuse a bundle when none of its input files and options changed: `'memory'` keeps recent bundles
   * in this process; `'disk'` also stores them under `os.tmpdir()/duraflow-bundles` for other
   * processes; `false` always builds. Only the contents of the files that went into the bundle are
   * compared, so a new file that would change how an import resolves is not noticed: pass `false`
   * after such a change (or change any input file).
   * @default 'memory'
   */
  cache?: BundleCacheMode;
  /**
   * The runtime entry module: workflow code importing it shares the runtime script's instance (see
   * `buildWorkflowRuntime`, which must be given the same module).
   * @internal For tests of the bundler and the sandbox with a stand-in runtime.
   * @default duraflow's `dist/workflow/runtime/entry.js`
   */
  runtimeModulePath?: string;
}

/** {@link BundleOptions} validated, with absolute paths and defaults filled in. */
export interface CompiledBundleOptions {
  readonly workflowsPath: string;
  readonly workflowInterceptorModules: readonly string[];
  readonly payloadConverterPath?: string;
  readonly failureConverterPath?: string;
  readonly ignoreModules: readonly string[];
  readonly logger: HostLogger;
  readonly cache: BundleCacheMode;
  readonly runtimeModulePath: string;
  /** The directory paths in messages and relative specifiers are relative to. */
  readonly workingDir: string;
}

/** duraflow's workflow runtime entry module. */
export const DEFAULT_RUNTIME_MODULE = fileURLToPath(new URL('../../workflow/runtime/entry.js', import.meta.url));

/**
 * Validates {@link BundleOptions} and fills in defaults.
 *
 * @throws ValueError naming the option that is wrong.
 * @example
 * ```ts
 * const compiled = compileBundleOptions({ workflowsPath: './src/workflows.ts' });
 * compiled.workflowsPath; // '/app/src/workflows.ts'
 * ```
 */
export function compileBundleOptions(options: BundleOptions): CompiledBundleOptions {
  if (typeof options !== 'object' || options === null) throw new ValueError('bundleWorkflowCode options must be an object');
  const workingDir = process.cwd();
  const workflowsPath = path.resolve(workingDir, requireString(options.workflowsPath, 'workflowsPath'));
  if (!existsSync(workflowsPath)) throw new ValueError(`workflowsPath does not exist: ${workflowsPath}`);
  const runtimeModulePath = path.resolve(workingDir, options.runtimeModulePath ?? DEFAULT_RUNTIME_MODULE);
  if (!existsSync(runtimeModulePath)) {
    throw new ValueError(`The workflow runtime module is missing at ${runtimeModulePath}: is duraflow built (npm run build)?`);
  }
  const cache = options.cache ?? 'memory';
  if (cache !== 'memory' && cache !== 'disk' && cache !== false) {
    throw new ValueError(`Option 'cache' must be 'memory', 'disk' or false, got ${JSON.stringify(cache)}`);
  }
  if (options.logger !== undefined && !isHostLogger(options.logger)) {
    throw new ValueError("Option 'logger' must have debug, info, warn and error methods");
  }
  return {
    workflowsPath,
    workflowInterceptorModules: stringList(options.workflowInterceptorModules, 'workflowInterceptorModules').map((m) => toModuleRef(m, workingDir)),
    payloadConverterPath: optionalModule(options.payloadConverterPath, 'payloadConverterPath', workingDir),
    failureConverterPath: optionalModule(options.failureConverterPath, 'failureConverterPath', workingDir),
    ignoreModules: stringList(options.ignoreModules, 'ignoreModules').map((m) => m.replace(/^node:/, '')),
    logger: options.logger ?? silentLogger,
    cache,
    runtimeModulePath,
    workingDir,
  };
}

function requireString(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new ValueError(`Option '${name}' must be a non-empty string, got ${JSON.stringify(value)}`);
  }
  return value;
}

function stringList(value: unknown, name: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new ValueError(`Option '${name}' must be an array of strings`);
  return value.map((item, i) => requireString(item, `${name}[${i}]`));
}

function optionalModule(value: unknown, name: string, workingDir: string): string | undefined {
  return value === undefined ? undefined : toModuleRef(requireString(value, name), workingDir);
}

/** Paths (`./x`, `../x`, absolute) become absolute; package specifiers are kept for esbuild to resolve. */
function toModuleRef(ref: string, workingDir: string): string {
  return ref.startsWith('.') || path.isAbsolute(ref) ? path.resolve(workingDir, ref) : ref;
}
