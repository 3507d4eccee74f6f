/**
 * esbuild for the scripts the sandbox evaluates (workflow bundles and the runtime script): loaded on
 * first use — a worker given a prebuilt bundle (and the prebuilt runtime script) never needs it, so
 * importing `duraflow/worker` does not load it — and the build options those scripts share.
 *
 * @module
 */
import type * as EsbuildModule from 'esbuild';
import type { BuildOptions } from 'esbuild';

/**
 * One ES module, which `esm-to-script.ts` turns into a script for SES (`minifyWhitespace` also strips
 * comments SES would reject, such as ones mentioning `import(`; `keepNames` keeps `fn.name` exact),
 * with an external source map. A script has no top-level await and no `import.meta` (it is empty, as
 * in CommonJS output), and an `import(x)` esbuild cannot resolve would make SES reject the whole
 * script: it becomes a require that fails when called.
 */
export const SANDBOX_SCRIPT_OPTIONS = {
  bundle: true,
  format: 'esm',
  supported: { 'dynamic-import': false, 'top-level-await': false, 'import-meta': false },
  platform: 'neutral',
  target: 'node20',
  mainFields: ['module', 'main'],
  minifyWhitespace: true,
  keepNames: true,
  legalComments: 'none',
  define: { 'process.env.NODE_ENV': '"production"' },
  sourcemap: 'external',
  write: false,
  logLevel: 'silent',
} as const satisfies BuildOptions;

export type Esbuild = Pick<typeof EsbuildModule, 'build' | 'version'>;

let loaded: Promise<Esbuild> | undefined;

/** The esbuild module (imported once). */
export function loadEsbuild(): Promise<Esbuild> {
  // esbuild is CommonJS: its API is the default export.
  loaded ??= import('esbuild').then((module) => (module.default ?? module) as unknown as Esbuild);
  return loaded;
}
