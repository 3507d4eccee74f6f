/**
 * Pre-built bundles (the `workflowBundle` worker option): code from a string or a file, with its
 * source map when there is one.
 *
 * @module
 */
import { readFile } from 'node:fs/promises';
import { ValueError } from '../../common/index.js';
import { isWrappedBundle } from './bundle-wrapper.js';
import { SourceMap } from './source-map.js';

/** A bundle made earlier by `bundleWorkflowCode`: the code itself, or the file it was written to. */
export type WorkflowBundleSource = { code: string; sourceMap?: string } | { codePath: string; sourceMapPath?: string };

/** A bundle ready for the sandbox; without a source map, stack traces name bundle lines. */
export interface LoadedWorkflowBundle {
  code: string;
  sourceMap?: string;
}

/**
 * Loads and checks a pre-built bundle. With `codePath`, the source map is read from `sourceMapPath`,
 * or from `<codePath>.map` when that file exists.
 *
 * @throws ValueError when the code is not a duraflow workflow bundle or the source map is not valid.
 * @example
 * ```ts
 * const bundle = await bundleWorkflowCode({ workflowsPath });
 * await writeFile('dist/workflow-bundle.js', bundle.code);
 * await writeFile('dist/workflow-bundle.js.map', bundle.sourceMap);
 * // later, in the worker process:
 * const loaded = await loadWorkflowBundle({ codePath: 'dist/workflow-bundle.js' });
 * ```
 */
export async function loadWorkflowBundle(source: WorkflowBundleSource): Promise<LoadedWorkflowBundle> {
  if (typeof source !== 'object' || source === null) throw new ValueError('workflowBundle must be { code } or { codePath }');
  let code: unknown;
  let sourceMap: string | undefined;
  if ('code' in source) {
    code = source.code;
    sourceMap = source.sourceMap;
  } else if ('codePath' in source && typeof source.codePath === 'string') {
    code = await readText(source.codePath, 'workflow bundle');
    sourceMap = source.sourceMapPath !== undefined
      ? await readText(source.sourceMapPath, 'workflow bundle source map')
      : await readFile(`${source.codePath}.map`, 'utf8').catch(() => undefined);
  } else {
    throw new ValueError('workflowBundle must be { code } or { codePath }');
  }
  if (typeof code !== 'string' || !isWrappedBundle(code)) {
    throw new ValueError('workflowBundle is not a duraflow workflow bundle: build it with bundleWorkflowCode() from this version of duraflow');
  }
  if (sourceMap !== undefined) {
    if (typeof sourceMap !== 'string') throw new ValueError('workflowBundle.sourceMap must be the source map JSON text');
    try {
      SourceMap.parse(sourceMap);
    } catch (error) {
      throw new ValueError(`workflowBundle source map is not valid: ${(error as Error).message}`, error);
    }
  }
  return sourceMap === undefined ? { code } : { code, sourceMap };
}

async function readText(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new ValueError(`Cannot read the ${what} at ${file}: ${(error as Error).message}`, error);
  }
}
