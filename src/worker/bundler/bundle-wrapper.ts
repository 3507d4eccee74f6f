/**
 * The text around the bundle's code (esbuild's output, see `esm-to-script.ts`) that makes it a
 * duraflow workflow bundle: a marker, the lexical-globals function (see `sandbox-globals.ts`), the
 * lookup of shared modules that the code's import declarations became (and a `require` for the
 * shared modules CommonJS code requires), and a `//# sourceURL=` so stack frames name the bundle
 * with exact lines and columns.
 *
 * The wrapper's prefix is exactly one line, so the source map only needs one more empty generated
 * line at the top; columns are unchanged.
 *
 * @module
 */
import { SDK_MODULES_GLOBAL } from '../../workflow/runtime/protocol.js';
import { LEXICAL_GLOBALS } from '../sandbox/sandbox-globals.js';
import { SHARED_IMPORT_FUNCTION, SHARED_MODULE_PREFIX } from './esm-to-script.js';

/** First characters of every bundle this version produces (checked by `loadWorkflowBundle`). */
export const BUNDLE_MARKER = '/*duraflow-workflow-bundle:3*/';

/** Lines the wrapper puts before esbuild's first line. */
export const WRAPPER_PREFIX_LINES = 1;

/**
 * Wraps the rewritten output of esbuild (its import declarations read shared modules, its export
 * clause is a `return`); evaluating the result returns the entry module's exports.
 */
export function wrapBundleCode(scriptBody: string, sourceUrl: string): string {
  const names = LEXICAL_GLOBALS.join(',');
  const sharedPrefix = JSON.stringify(SHARED_MODULE_PREFIX);
  const prefix =
    `${BUNDLE_MARKER}(function(${names}){'use strict';` +
    `function ${SHARED_IMPORT_FUNCTION}(key){var m=${SDK_MODULES_GLOBAL}[key];` +
    `if(m===undefined)throw new Error("The workflow runtime has no module "+key+": the bundle was built for another version of duraflow");return m}` +
    `function require(id){if(typeof id==="string"&&id.startsWith(${sharedPrefix}))return ${SHARED_IMPORT_FUNCTION}(id.slice(${SHARED_MODULE_PREFIX.length}));` +
    `throw new Error("Workflow code cannot require "+JSON.stringify(id)+" at run time: only modules the bundler could resolve are in the bundle")}\n`;
  const body = scriptBody.endsWith('\n') ? scriptBody : `${scriptBody}\n`;
  return `${prefix}${body}})(${names})\n//# sourceURL=${sourceUrl}\n`;
}

/**
 * Adapts esbuild's source map to the wrapped code: one empty generated line for the prefix, the
 * bundle's sourceURL as `file`, and sources turned into absolute paths (virtual modules such as the
 * generated entry keep their `namespace:` names).
 */
export function wrapSourceMap(esbuildMap: string, sourceUrl: string, toAbsolute: (source: string) => string): string {
  const map = JSON.parse(esbuildMap) as { mappings: string; sources: string[]; file?: string };
  map.mappings = ';'.repeat(WRAPPER_PREFIX_LINES) + map.mappings;
  map.file = sourceUrl;
  map.sources = map.sources.map(toAbsolute);
  return JSON.stringify(map);
}

/** Whether `code` was produced by this version's bundler. */
export function isWrappedBundle(code: string): boolean {
  return code.startsWith(BUNDLE_MARKER);
}

/** The `//# sourceURL=` name of a wrapped bundle, if it has one. */
export function bundleSourceUrl(code: string): string | undefined {
  const match = /\/\/# sourceURL=(\S+)\s*$/.exec(code.slice(-300));
  return match?.[1];
}
