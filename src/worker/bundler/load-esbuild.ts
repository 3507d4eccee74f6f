/**
 * esbuild, loaded on first use: a worker given a prebuilt bundle (and the prebuilt runtime script)
 * never needs it, so importing `duraflow/worker` does not load it.
 *
 * @module
 */
import type * as EsbuildModule from 'esbuild';

export type Esbuild = Pick<typeof EsbuildModule, 'build' | 'version'>;

let loaded: Promise<Esbuild> | undefined;

/** The esbuild module (imported once). */
export function loadEsbuild(): Promise<Esbuild> {
  // esbuild is CommonJS: its API is the default export.
  loaded ??= import('esbuild').then((module) => (module.default ?? module) as unknown as Esbuild);
  return loaded;
}
