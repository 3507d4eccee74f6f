/**
 * The error {@link bundleWorkflowCode} throws when workflow code cannot be bundled: disallowed
 * imports (each with the chain of imports that reached it) or esbuild errors.
 *
 * @module
 */
import path from 'node:path';
import type { Metafile } from 'esbuild';
import { markErrorClass } from '../../common/type-helpers.js';
import { ENTRY_NAME, ENTRY_NAMESPACE, type ImportViolation } from './import-policy.js';

/** A disallowed import and how the bundle reached it. */
export interface DisallowedImport {
  /** The specifier as written, e.g. `node:fs`. */
  specifier: string;
  /** Files from the first user module to the importer (relative to the working directory), then the specifier. */
  chain: string[];
  reason: string;
}

/**
 * Workflow code could not be bundled. `disallowedImports` lists every import workflow code may not
 * make; it is empty when esbuild itself failed (syntax error, unresolvable module, …).
 *
 * @example
 * ```ts
 * try { await bundleWorkflowCode({ workflowsPath }); }
 * catch (e) { if (e instanceof WorkflowBundleError) console.error(e.disallowedImports); }
 * ```
 */
export class WorkflowBundleError extends Error {
  constructor(
    message: string,
    public readonly disallowedImports: readonly DisallowedImport[] = [],
    options?: ErrorOptions
  ) {
    super(message, options);
  }
}
markErrorClass(WorkflowBundleError, 'WorkflowBundleError');

/** Builds the error for the violations the import policy recorded, with chains from the build's metafile. */
export function disallowedImportsError(violations: readonly ImportViolation[], metafile: Metafile, workingDir: string): WorkflowBundleError {
  const entryKey = `${ENTRY_NAMESPACE}:${ENTRY_NAME}`;
  const parents = importParents(metafile, entryKey);
  const seen = new Set<string>();
  const imports: DisallowedImport[] = [];
  for (const violation of violations) {
    const importerKey = violation.importer === ENTRY_NAME ? entryKey : toMetafileKey(violation.importer, workingDir);
    const id = `${importerKey}\0${violation.specifier}`;
    if (seen.has(id)) continue;
    seen.add(id);
    imports.push({ specifier: violation.specifier, chain: [...chainTo(importerKey, parents, entryKey), violation.specifier], reason: violation.reason });
  }
  const lines = imports.map((i) => `Workflow code may not import ${i.specifier} (${i.chain.join(' → ')}): ${i.reason}`);
  lines.push('If a library imports a module your workflows never use, list it in the bundler option ignoreModules.');
  return new WorkflowBundleError(lines.join('\n'), imports);
}

/** Breadth-first from the entry: for each module, the module that first imported it (shortest chains). */
function importParents(metafile: Metafile, entryKey: string): Map<string, string> {
  const parents = new Map<string, string>();
  const queue = [entryKey];
  const visited = new Set(queue);
  for (let i = 0; i < queue.length; i++) {
    const key = queue[i]!;
    for (const imported of metafile.inputs[key]?.imports ?? []) {
      if (visited.has(imported.path)) continue;
      visited.add(imported.path);
      parents.set(imported.path, key);
      queue.push(imported.path);
    }
  }
  return parents;
}

/** Modules from the first one below the entry down to `key` (the entry itself is generated, so not shown). */
function chainTo(key: string, parents: Map<string, string>, entryKey: string): string[] {
  const chain: string[] = [];
  let current: string | undefined = key;
  while (current !== undefined && current !== entryKey && chain.length < 1000) {
    chain.unshift(current);
    current = parents.get(current);
  }
  return chain;
}

/** esbuild's metafile names files relative to the working directory, with `/` separators. */
function toMetafileKey(file: string, workingDir: string): string {
  return path.relative(workingDir, file).split(path.sep).join('/');
}
