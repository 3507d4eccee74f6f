/**
 * `bundleWorkflowCode`: the user's workflows module, its imports, and the interceptor and converter
 * modules, as one CommonJS script for the sandbox (esbuild). duraflow's own workflow modules are not
 * in it: they come from the runtime script (`workflow-runtime.ts`), evaluated once per sandbox thread.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { BuildFailure, BuildResult, Message, Metafile } from 'esbuild';
import { LEXICAL_GLOBALS } from '../sandbox/sandbox-globals.js';
import { SDK_VERSION } from '../sdk-version.js';
import { BundleCache, optionsKey, type WorkflowBundle } from './bundle-cache.js';
import { compileBundleOptions, type BundleOptions, type CompiledBundleOptions } from './bundle-options.js';
import { BUNDLE_MARKER, wrapBundleCode, wrapSourceMap } from './bundle-wrapper.js';
import { loadEsbuild, SANDBOX_SCRIPT_OPTIONS, type Esbuild } from './load-esbuild.js';
import { ENTRY_NAME, importPolicyPlugin, VIRTUAL_NAMESPACES, type ImportViolation } from './import-policy.js';
import { disallowedImportsError, WorkflowBundleError } from './workflow-bundle-error.js';

export type { WorkflowBundle } from './bundle-cache.js';

/** Finished bundles of this process (and, in `'disk'` mode, of earlier processes). */
const cache = new BundleCache();

/**
 * Bundles workflow code for the sandbox.
 *
 * The bundle is one CommonJS script (esbuild: `bundle`, `platform: 'neutral'`, target node20,
 * `minifyWhitespace` — which also strips comments that SES would reject, such as ones mentioning
 * `import(` — and `keepNames`, so `fn.name` of workflows is exact). Its entry module exports the
 * runtime, the workflows module, the interceptor modules and the converter modules
 * (`WorkflowBundleExports`). `duraflow/workflow` and `duraflow/common` resolve to this package's own
 * files. Node built-ins, `duraflow/client|worker|activity|server|testing|proto` and `@temporalio/*`
 * are refused (type-only imports are fine: esbuild drops them) with one {@link WorkflowBundleError}
 * listing every such import and the chain of imports that reached it. `process.env.NODE_ENV` is
 * replaced by `"production"`.
 *
 * The result is wrapped so the sandbox can bind its globals lexically, ends with a `//# sourceURL=`,
 * and comes with an external source map whose sources are absolute paths. Unchanged inputs and
 * options give back the cached bundle (see {@link BundleOptions.cache}).
 *
 * @throws ValueError for invalid options; WorkflowBundleError when the code cannot be bundled.
 * @example
 * ```ts
 * import { bundleWorkflowCode } from 'duraflow/worker';
 * const { code, sourceMap } = await bundleWorkflowCode({ workflowsPath: './src/workflows.ts' });
 * await writeFile('workflow-bundle.js', code);
 * ```
 */
export async function bundleWorkflowCode(options: BundleOptions): Promise<WorkflowBundle> {
  const compiled = compileBundleOptions(options);
  const esbuild = await loadEsbuild();
  const started = performance.now();
  const key = optionsKey({
    marker: BUNDLE_MARKER,
    // The bundle names the shared modules' exports (see generated-modules.ts): another duraflow version may export others.
    duraflow: SDK_VERSION,
    esbuild: esbuild.version,
    globals: LEXICAL_GLOBALS,
    options: { ...compiled, logger: undefined, cache: undefined },
  });
  const cached = await cache.lookup(key, compiled.cache);
  const elapsed = (): number => Math.round(performance.now() - started);
  if (cached !== undefined) {
    compiled.logger.debug('Workflow bundle reused from cache', { workflowsPath: compiled.workflowsPath, ms: elapsed() });
    return { ...cached };
  }
  const { bundle, inputs } = await build(esbuild, compiled);
  await cache.store(key, inputs, bundle, compiled.cache).catch((error: unknown) => {
    compiled.logger.warn('Could not cache the workflow bundle', { error: String(error) });
  });
  compiled.logger.info('Workflow bundle created', {
    workflowsPath: compiled.workflowsPath,
    sizeKB: Math.round(bundle.code.length / 1024),
    ms: elapsed(),
  });
  return bundle;
}

async function build(esbuild: Esbuild, options: CompiledBundleOptions): Promise<{ bundle: WorkflowBundle; inputs: string[] }> {
  const violations: ImportViolation[] = [];
  let result: BuildResult<{ write: false; metafile: true }>;
  try {
    result = await esbuild.build({
      ...SANDBOX_SCRIPT_OPTIONS,
      entryPoints: [ENTRY_NAME],
      // An `import(x)` esbuild cannot resolve would make SES reject the whole bundle: turn it into a require that fails when called.
      supported: { 'dynamic-import': false },
      sourcesContent: true,
      metafile: true,
      absWorkingDir: options.workingDir,
      outfile: path.join(options.workingDir, 'workflow-bundle.js'),
      plugins: [importPolicyPlugin(options, violations)],
    });
  } catch (error) {
    throw buildFailureError(error, violations);
  }
  if (violations.length > 0) throw disallowedImportsError(violations, result.metafile, options.workingDir);
  for (const warning of result.warnings) options.logger.warn(`Workflow bundle: ${formatMessage(warning)}`);
  const js = result.outputFiles.find((f) => f.path.endsWith('.js'));
  const map = result.outputFiles.find((f) => f.path.endsWith('.js.map'));
  if (js === undefined || map === undefined) throw new WorkflowBundleError('esbuild produced no bundle or no source map');
  const sourceUrl = `workflow-bundle-${createHash('sha256').update(js.text).digest('hex').slice(0, 12)}.js`;
  const toAbsolute = (source: string): string =>
    VIRTUAL_NAMESPACES.some((ns) => source.startsWith(`${ns}:`)) ? source : path.resolve(options.workingDir, source);
  return {
    bundle: { code: wrapBundleCode(js.text, sourceUrl), sourceMap: wrapSourceMap(map.text, sourceUrl, toAbsolute) },
    inputs: inputFiles(result.metafile, options.workingDir),
  };
}

/** Absolute paths of the real files that went into the bundle (virtual modules excluded). */
function inputFiles(metafile: Metafile, workingDir: string): string[] {
  return Object.keys(metafile.inputs)
    .filter((key) => !VIRTUAL_NAMESPACES.some((ns) => key.startsWith(`${ns}:`)))
    .map((key) => path.resolve(workingDir, key))
    .sort();
}

function formatMessage(message: Message): string {
  const where = message.location ? `${message.location.file}:${message.location.line}:${message.location.column + 1}: ` : '';
  return `${where}${message.text}`;
}

function buildFailureError(error: unknown, violations: readonly ImportViolation[]): WorkflowBundleError {
  const failure = error as Partial<BuildFailure>;
  const messages = Array.isArray(failure.errors) ? failure.errors.map(formatMessage) : [String(error)];
  const refused = violations.map((v) => `Workflow code may not import ${v.specifier} (imported by ${v.importer}): ${v.reason}`);
  const text = ['Workflow bundle failed:', ...messages.map((m) => `  ${m}`), ...refused].join('\n');
  return new WorkflowBundleError(text, [], { cause: error });
}
