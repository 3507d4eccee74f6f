/**
 * The workflow runtime script: duraflow's workflow runtime with every module workflow code may import
 * from duraflow (see `sdk-modules.ts`), as one script that a sandbox thread evaluates once and whose
 * modules all of the thread's runs share (`WorkflowRuntimeScriptExports`). Workflow bundles carry only
 * the user's code.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import esbuild from 'esbuild';
import type { WorkflowBundle } from './bundle-cache.js';
import { DEFAULT_RUNTIME_MODULE } from './bundle-options.js';
import { wrapBundleCode, wrapSourceMap } from './bundle-wrapper.js';
import { sdkModules } from './sdk-modules.js';
import { WorkflowBundleError } from './workflow-bundle-error.js';

const ENTRY = 'duraflow-runtime-entry';
const PACKAGE_DIR = fileURLToPath(new URL('../../../', import.meta.url));

/** Built scripts of this process, by runtime module. */
const built = new Map<string, Promise<WorkflowBundle>>();

/**
 * The runtime script for `runtimeModulePath` (duraflow's own runtime unless a test substitutes one),
 * built once per process.
 *
 * @example
 * ```ts
 * const runtime = await buildWorkflowRuntime();
 * const sandbox = await WorkflowSandbox.create({ bundle, runtime });
 * ```
 */
export function buildWorkflowRuntime(runtimeModulePath: string = DEFAULT_RUNTIME_MODULE): Promise<WorkflowBundle> {
  const file = path.resolve(runtimeModulePath);
  let script = built.get(file);
  if (script === undefined) {
    script = build(file);
    built.set(file, script);
    script.catch(() => built.delete(file));
  }
  return script;
}

function entrySource(runtimeModulePath: string): string {
  const modules = sdkModules(runtimeModulePath);
  const lines = modules.map(([, file], i) => `import * as m${i} from ${JSON.stringify(file)};`);
  lines.push(`export { m0 as runtime };`);
  lines.push(`export const modules = {${modules.map(([key], i) => `${JSON.stringify(key)}: m${i}`).join(', ')}};`);
  return lines.join('\n') + '\n';
}

async function build(runtimeModulePath: string): Promise<WorkflowBundle> {
  let result;
  try {
    result = await esbuild.build({
      entryPoints: [ENTRY],
      bundle: true,
      format: 'cjs',
      platform: 'neutral',
      target: 'node20',
      mainFields: ['module', 'main'],
      minifyWhitespace: true,
      keepNames: true,
      legalComments: 'none',
      define: { 'process.env.NODE_ENV': '"production"' },
      sourcemap: 'external',
      sourcesContent: false,
      write: false,
      logLevel: 'silent',
      absWorkingDir: PACKAGE_DIR,
      outfile: path.join(PACKAGE_DIR, 'workflow-runtime.js'),
      plugins: [
        {
          name: 'duraflow-runtime-entry',
          setup(b) {
            b.onResolve({ filter: new RegExp(`^${ENTRY}$`) }, () => ({ path: ENTRY, namespace: ENTRY }));
            b.onLoad({ filter: /.*/, namespace: ENTRY }, () => ({ contents: entrySource(runtimeModulePath), resolveDir: PACKAGE_DIR, loader: 'js' }));
          },
        },
      ],
    });
  } catch (error) {
    throw new WorkflowBundleError(`The workflow runtime could not be built: ${(error as Error).message}`, [], { cause: error });
  }
  const js = result.outputFiles.find((f) => f.path.endsWith('.js'));
  const map = result.outputFiles.find((f) => f.path.endsWith('.js.map'));
  if (js === undefined || map === undefined) throw new WorkflowBundleError('esbuild produced no runtime script or no source map');
  const sourceUrl = `duraflow-workflow-runtime-${createHash('sha256').update(js.text).digest('hex').slice(0, 12)}.js`;
  const toAbsolute = (source: string): string => (source.startsWith(`${ENTRY}:`) ? source : path.resolve(PACKAGE_DIR, source));
  return { code: wrapBundleCode(js.text, sourceUrl), sourceMap: wrapSourceMap(map.text, sourceUrl, toAbsolute) };
}
