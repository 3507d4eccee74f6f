/**
 * The text around esbuild's output that makes it a duraflow workflow bundle: a marker, the
 * lexical-globals function (see `sandbox-globals.ts`), a CommonJS `module` for esbuild's output to
 * fill, and a `//# sourceURL=` so stack frames name the bundle with exact lines and columns.
 *
 * The wrapper's prefix is exactly one line, so the source map only needs one more empty generated
 * line at the top; columns are unchanged.
 *
 * @module
 */
import { LEXICAL_GLOBALS } from '../sandbox/sandbox-globals.js';

/** First characters of every bundle this version produces (checked by `loadWorkflowBundle`). */
export const BUNDLE_MARKER = '/*duraflow-workflow-bundle:2*/';

/** Lines the wrapper puts before esbuild's first line. */
export const WRAPPER_PREFIX_LINES = 1;

/** Wraps esbuild's CommonJS output; evaluating the result returns the entry module's exports. */
export function wrapBundleCode(esbuildCode: string, sourceUrl: string): string {
  const names = LEXICAL_GLOBALS.join(',');
  const prefix =
    `${BUNDLE_MARKER}(function(${names}){'use strict';` +
    `var module={exports:{}},exports=module.exports;(function(module,exports){\n`;
  const body = esbuildCode.endsWith('\n') ? esbuildCode : `${esbuildCode}\n`;
  return `${prefix}${body}})(module,exports);return module.exports;})(${names})\n//# sourceURL=${sourceUrl}\n`;
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
