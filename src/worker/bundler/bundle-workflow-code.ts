/**
 * `bundleWorkflowCode`: the user's workflows module, its imports, and the interceptor and converter
 * modules, as one script for the sandbox (esbuild). duraflow's own workflow modules are not in it:
 * they come from the runtime script (`workflow-runtime.ts`), evaluated once per sandbox thread, and
 * the bundle's imports of them read that instance (`esm-to-script.ts`).
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
import { esmToScript, UnexpectedBundleOutputError, type SharedImport } from './esm-to-script.js';
import { loadEsbuild, SANDBOX_SCRIPT_OPTIONS, type Esbuild } from './load-esbuild.js';
import { ENTRY_NAME, importPolicyPlugin, VIRTUAL_NAMESPACES, type ImportViolation } from './import-policy.js';
import { sdkModuleExports } from './sdk-modules.js';
import { SourceMap } from './source-map.js';
import { disallowedImportsError, WorkflowBundleError } from './workflow-bundle-error.js';

export type { WorkflowBundle } from './bundle-cache.js';

/** Finished bundles of this process (and, in `'disk'` mode, of earlier processes). */
const cache = new BundleCache();

/**
 * Bundles workflow code for the sandbox.
 *
 * The bundle is one script (esbuild: `bundle`, ES module output turned into a script,
 * `platform: 'neutral'`, target node20, `minifyWhitespace` — which also strips comments that SES
 * would reject, such as ones mentioning `import(` — and `keepNames`, so `fn.name` of workflows is
 * exact). Its entry module exports the workflows module, the interceptor modules and the converter
 * modules (`WorkflowBundleExports`). `duraflow/workflow` and `duraflow/common` are the sandbox
 * thread's shared instances of this package's modules (importing a name they do not export is
 * refused). Node built-ins, `duraflow/client|worker|activity|server|testing|proto` and `@temporalio/*`
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
  const script = toScript(js.text);
  await checkSharedImports(script.imports, js.text, map.text, options);
  const sourceUrl = `workflow-bundle-${createHash('sha256').update(script.code).digest('hex').slice(0, 12)}.js`;
  const toAbsolute = (source: string): string =>
    VIRTUAL_NAMESPACES.some((ns) => source.startsWith(`${ns}:`)) ? source : path.resolve(options.workingDir, source);
  return {
    bundle: { code: wrapBundleCode(script.code, sourceUrl), sourceMap: wrapSourceMap(map.text, sourceUrl, toAbsolute) },
    inputs: inputFiles(result.metafile, options.workingDir),
  };
}

/** {@link esmToScript}, its refusals as WorkflowBundleErrors. */
function toScript(esm: string): ReturnType<typeof esmToScript> {
  try {
    return esmToScript(esm);
  } catch (error) {
    if (error instanceof UnexpectedBundleOutputError) throw new WorkflowBundleError(`Workflow bundle failed: ${error.message}`, [], { cause: error });
    throw error;
  }
}

/**
 * Refuses imports of names a shared module does not export (esbuild cannot check them: the shared
 * modules are external), naming where each was imported.
 */
async function checkSharedImports(imports: readonly SharedImport[], esm: string, sourceMap: string, options: CompiledBundleOptions): Promise<void> {
  const problems: string[] = [];
  const exported = new Map<string, Set<string>>();
  let map: SourceMap | undefined;
  for (const { key, names, offset } of imports) {
    if (names.length === 0) continue;
    let known = exported.get(key);
    if (known === undefined) exported.set(key, (known = new Set(await sdkModuleExports(key, options.runtimeModulePath))));
    const missing = names.filter((name) => !known.has(name));
    if (missing.length === 0) continue;
    map ??= SourceMap.parse(sourceMap);
    const before = esm.slice(0, offset);
    const line = before.split('\n').length;
    const where = map.originalPositionFor(line, offset - before.lastIndexOf('\n'));
    const place = where === undefined ? '' : ` (imported in ${path.resolve(options.workingDir, where.source)}:${where.line})`;
    problems.push(`duraflow's ${key.replace(/\/index\.js$/, '')} module has no export named ${missing.map((n) => `'${n}'`).join(', ')}${place}`);
  }
  if (problems.length > 0) throw new WorkflowBundleError(['Workflow bundle failed:', ...problems.map((p) => `  ${p}`)].join('\n'), []);
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
