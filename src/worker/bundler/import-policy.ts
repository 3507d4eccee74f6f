/**
 * The esbuild plugin that decides what workflow code may import:
 *
 * - `duraflow/workflow`, `duraflow/common` and every file they are made of (however it is imported)
 *   are external, named by their key in the runtime script's shared modules (see `sdk-modules.ts`
 *   and `esm-to-script.ts`): workflow code uses the one instance the runtime uses, evaluated once
 *   per sandbox thread;
 * - modules listed in `ignoreModules` become a stub that throws when used;
 * - Node built-ins (with or without `node:`), duraflow's non-workflow subpaths and `@temporalio/*`
 *   are recorded as violations (with a harmless placeholder so the build can finish and report them
 *   all at once, with import chains);
 * - the generated entry module is served from memory.
 *
 * Type-only imports never reach the plugin: esbuild drops them before resolving.
 *
 * @module
 */
import { builtinModules, isBuiltin } from 'node:module';
import path from 'node:path';
import type { Plugin } from 'esbuild';
import type { CompiledBundleOptions } from './bundle-options.js';
import { SHARED_MODULE_PREFIX } from './esm-to-script.js';
import { entryModuleSource, ignoredModuleSource } from './generated-modules.js';
import { sdkModuleKey, sdkSubpathKey } from './sdk-modules.js';

/** Name of the generated entry module (in its own namespace). */
export const ENTRY_NAME = 'duraflow-workflow-entry';
export const ENTRY_NAMESPACE = 'duraflow-entry';
const DISALLOWED_NAMESPACE = 'duraflow-disallowed';
const IGNORED_NAMESPACE = 'duraflow-ignored';

/** Virtual-module namespaces the plugin creates (their source-map names are kept as they are). */
export const VIRTUAL_NAMESPACES = [ENTRY_NAMESPACE, DISALLOWED_NAMESPACE, IGNORED_NAMESPACE] as const;

const shared = (key: string): { path: string; external: true } => ({ path: `${SHARED_MODULE_PREFIX}${key}`, external: true });

/** duraflow subpaths that must not be imported by workflow code. */
const NON_WORKFLOW_SUBPATHS = new Set(['client', 'worker', 'activity', 'server', 'testing', 'proto']);

/** One import workflow code may not make. */
export interface ImportViolation {
  /** The specifier as written, e.g. `node:fs`. */
  specifier: string;
  /** Absolute path of the importing file (or the entry module's name). */
  importer: string;
  /** Why, and what to do instead. */
  reason: string;
}

const SANDBOX_REASON = 'workflows run in a deterministic sandbox; move this into an activity.';

/** Why a specifier is refused, or `undefined` when it is allowed (a duraflow subpath is handled separately). */
export function disallowedReason(specifier: string): string | undefined {
  if (specifier.startsWith('node:') || isBuiltin(specifier)) return SANDBOX_REASON;
  if (specifier === 'duraflow' || specifier.startsWith('duraflow/')) {
    const subpath = specifier.split('/')[1] ?? '';
    if (subpath === 'workflow' || subpath === 'common') return undefined;
    if (NON_WORKFLOW_SUBPATHS.has(subpath)) {
      return 'workflows run in a deterministic sandbox; move this into an activity (use `import type` for its types).';
    }
    return 'duraflow exports only duraflow/workflow and duraflow/common to workflow code.';
  }
  if (specifier.startsWith('@temporalio/')) {
    const name = specifier.split('/')[1];
    if (name === 'workflow' || name === 'common') return `this is the official SDK; import from duraflow/${name} instead.`;
    return `this is the official SDK, not usable in duraflow workflows (use \`import type\` for its types).`;
  }
  return undefined;
}

/** Whether `specifier` is listed in ignoreModules (exactly, or as a parent path; `node:` ignored). */
export function isIgnored(specifier: string, ignoreModules: readonly string[]): boolean {
  const bare = specifier.replace(/^node:/, '');
  return ignoreModules.some((m) => bare === m || bare.startsWith(`${m}/`));
}

/** An esbuild filter (Go regexp) matching every specifier the plugin needs to see. */
function specifierFilter(ignoreModules: readonly string[]): RegExp {
  const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const names = [...new Set([...builtinModules, ...ignoreModules])].map(escape).join('|');
  return new RegExp(`^(?:node:|duraflow(?:/|$)|@temporalio/|(?:${names})(?:/|$)|${ENTRY_NAME}$)`);
}

/**
 * Creates the plugin; the violations it finds are pushed onto `violations` as esbuild resolves
 * imports (read them once the build has finished).
 */
export function importPolicyPlugin(options: CompiledBundleOptions, violations: ImportViolation[]): Plugin {
  return {
    name: 'duraflow-import-policy',
    setup(build) {
      build.onResolve({ filter: specifierFilter(options.ignoreModules) }, (args) => {
        const specifier = args.path;
        if (specifier === ENTRY_NAME && args.kind === 'entry-point') return { path: ENTRY_NAME, namespace: ENTRY_NAMESPACE };
        if (isIgnored(specifier, options.ignoreModules)) return { path: specifier, namespace: IGNORED_NAMESPACE };
        const subpathKey = sdkSubpathKey(specifier);
        if (subpathKey !== undefined) return shared(subpathKey);
        const reason = disallowedReason(specifier);
        if (reason === undefined) return undefined;
        const importer = args.namespace === ENTRY_NAMESPACE ? ENTRY_NAME : args.importer;
        violations.push({ specifier, importer, reason });
        return { path: specifier, namespace: DISALLOWED_NAMESPACE };
      });
      // Files of duraflow/workflow and duraflow/common imported by path (as its own packages do).
      build.onResolve({ filter: /^(?:\.\.?\/|\/)/ }, (args) => {
        const key = sdkModuleKey(path.resolve(args.resolveDir, args.path), options.runtimeModulePath);
        return key === undefined ? undefined : shared(key);
      });
      build.onLoad({ filter: /.*/, namespace: ENTRY_NAMESPACE }, () => ({
        contents: entryModuleSource(options),
        resolveDir: options.workingDir,
        loader: 'js',
      }));
      build.onLoad({ filter: /.*/, namespace: IGNORED_NAMESPACE }, (args) => ({
        contents: ignoredModuleSource(args.path),
        loader: 'js',
      }));
      build.onLoad({ filter: /.*/, namespace: DISALLOWED_NAMESPACE }, () => ({ contents: 'module.exports = {};', loader: 'js' }));
    },
  };
}
