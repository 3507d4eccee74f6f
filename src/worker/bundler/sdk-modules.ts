/**
 * The duraflow modules workflow code shares with the runtime instead of bundling them: every compiled
 * file of `workflow/` and `common/` (what `duraflow/workflow` and `duraflow/common` are made of), plus
 * the runtime entry. The workflow runtime script (see `workflow-runtime.ts`) evaluates them once per
 * sandbox thread and exports them by key; a workflow bundle's import of one of them becomes a lookup
 * of that key (see `import-policy.ts`).
 *
 * @module
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The package's compiled root (`dist/`), which holds `workflow/` and `common/`. */
const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SHARED_DIRS = ['workflow', 'common'];

/** The key of the runtime entry module. */
export const RUNTIME_MODULE_KEY = 'runtime';

let sharedFiles: ReadonlyMap<string, string> | undefined;

function jsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return jsFiles(file);
    return entry.isFile() && entry.name.endsWith('.js') ? [file] : [];
  });
}

/** Absolute path → key (`workflow/index.js`, …) of every shared module file of this package. */
function packageModules(): ReadonlyMap<string, string> {
  sharedFiles ??= new Map(
    SHARED_DIRS.flatMap((dir) => jsFiles(path.join(PACKAGE_ROOT, dir))).map((file) => [file, path.relative(PACKAGE_ROOT, file).split(path.sep).join('/')]),
  );
  return sharedFiles;
}

/**
 * Every shared module as `[key, absolute path]`, the runtime entry (`runtimeModulePath`) included
 * under {@link RUNTIME_MODULE_KEY}.
 */
export function sdkModules(runtimeModulePath: string): Array<[key: string, file: string]> {
  return [[RUNTIME_MODULE_KEY, runtimeModulePath], ...[...packageModules()].map(([file, key]): [string, string] => [key, file])];
}

/** The file of shared module `key`. */
export function sdkModuleFile(key: string, runtimeModulePath: string): string | undefined {
  if (key === RUNTIME_MODULE_KEY) return runtimeModulePath;
  const file = path.join(PACKAGE_ROOT, ...key.split('/'));
  return packageModules().has(file) ? file : undefined;
}

/** The key of the shared module at `file` (an absolute path), or undefined when it is not one. */
export function sdkModuleKey(file: string, runtimeModulePath: string): string | undefined {
  if (file === runtimeModulePath) return RUNTIME_MODULE_KEY;
  return packageModules().get(file);
}

/** The key `duraflow/<subpath>` stands for, for the subpaths workflow code may import. */
export function sdkSubpathKey(specifier: string): string | undefined {
  if (specifier === 'duraflow/workflow') return 'workflow/index.js';
  if (specifier === 'duraflow/common') return 'common/index.js';
  return undefined;
}

/**
 * The export names of shared module `key`, read by importing it here (duraflow's workflow modules
 * have no side effects when loaded).
 */
export async function sdkModuleExports(key: string, runtimeModulePath: string): Promise<string[]> {
  const file = sdkModuleFile(key, runtimeModulePath);
  if (file === undefined) throw new Error(`No shared duraflow module ${key}`);
  return Object.keys((await import(pathToFileURL(file).href)) as object);
}
