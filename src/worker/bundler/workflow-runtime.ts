/**
 * The workflow runtime script: duraflow's workflow runtime with every module workflow code may import
 * from duraflow (see `sdk-modules.ts`), as one script that a sandbox thread evaluates once and whose
 * modules all of the thread's runs share (`WorkflowRuntimeScriptExports`). Workflow bundles carry only
 * the user's code.
 *
 * `npm run build` writes duraflow's own runtime script next to this module
 * ({@link writePrebuiltWorkflowRuntime}), with a fingerprint of its inputs, so a worker normally loads
 * it instead of running esbuild (~80 ms); a missing or stale file is rebuilt in memory.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WorkflowBundle } from './bundle-cache.js';
import { DEFAULT_RUNTIME_MODULE } from './bundle-options.js';
import { BUNDLE_MARKER, wrapBundleCode, wrapSourceMap } from './bundle-wrapper.js';
import { esmToScript } from './esm-to-script.js';
import { loadEsbuild, SANDBOX_SCRIPT_OPTIONS } from './load-esbuild.js';
import { sdkModules } from './sdk-modules.js';
import { WorkflowBundleError } from './workflow-bundle-error.js';

const ENTRY = 'duraflow-runtime-entry';
const PACKAGE_DIR = fileURLToPath(new URL('../../../', import.meta.url));
const PREBUILT_FILE = fileURLToPath(new URL('./workflow-runtime.prebuilt.json', import.meta.url));

/** The prebuilt file's content. */
interface Prebuilt extends WorkflowBundle {
  fingerprint: string;
}

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
    script = file === DEFAULT_RUNTIME_MODULE ? loadPrebuilt().then((prebuilt) => prebuilt ?? build(file)) : build(file);
    built.set(file, script);
    script.catch(() => built.delete(file));
  }
  return script;
}

/**
 * Builds duraflow's runtime script and writes it, with the fingerprint of its inputs, where
 * {@link buildWorkflowRuntime} looks for it (run by `npm run build`).
 *
 * @example
 * ```ts
 * await writePrebuiltWorkflowRuntime(); // dist/worker/bundler/workflow-runtime.prebuilt.json
 * ```
 */
export async function writePrebuiltWorkflowRuntime(): Promise<string> {
  const [script, fingerprint] = await Promise.all([build(DEFAULT_RUNTIME_MODULE), inputsFingerprint(DEFAULT_RUNTIME_MODULE)]);
  const prebuilt: Prebuilt = { fingerprint, ...script };
  await writeFile(PREBUILT_FILE, JSON.stringify(prebuilt));
  return PREBUILT_FILE;
}

/** The prebuilt script, if it exists and was built from the current inputs. */
async function loadPrebuilt(): Promise<WorkflowBundle | undefined> {
  let prebuilt: Partial<Prebuilt>;
  try {
    prebuilt = JSON.parse(await readFile(PREBUILT_FILE, 'utf8')) as Partial<Prebuilt>;
  } catch {
    return undefined;
  }
  if (typeof prebuilt.code !== 'string' || typeof prebuilt.sourceMap !== 'string') return undefined;
  if (prebuilt.fingerprint !== (await inputsFingerprint(DEFAULT_RUNTIME_MODULE))) return undefined;
  return { code: prebuilt.code, sourceMap: prebuilt.sourceMap };
}

/** A hash of everything the runtime script is built from: the module files and the wrapper. */
async function inputsFingerprint(runtimeModulePath: string): Promise<string> {
  const hash = createHash('sha256').update(`${BUNDLE_MARKER}\0`);
  const modules = sdkModules(runtimeModulePath);
  const contents = await Promise.all(modules.map(([, file]) => readFile(file)));
  modules.forEach(([key], i) => hash.update(key).update('\0').update(contents[i] as Buffer).update('\0'));
  return hash.digest('hex');
}

function entrySource(runtimeModulePath: string): string {
  const modules = sdkModules(runtimeModulePath);
  const lines = modules.map(([, file], i) => `import * as m${i} from ${JSON.stringify(file)};`);
  lines.push(`export { m0 as runtime };`);
  lines.push(`export const modules = {${modules.map(([key], i) => `${JSON.stringify(key)}: m${i}`).join(', ')}};`);
  return lines.join('\n') + '\n';
}

async function build(runtimeModulePath: string): Promise<WorkflowBundle> {
  const esbuild = await loadEsbuild();
  let result;
  try {
    result = await esbuild.build({
      ...SANDBOX_SCRIPT_OPTIONS,
      entryPoints: [ENTRY],
      sourcesContent: false,
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
  return { code: wrapBundleCode(esmToScript(js.text).code, sourceUrl), sourceMap: wrapSourceMap(map.text, sourceUrl, toAbsolute) };
}
