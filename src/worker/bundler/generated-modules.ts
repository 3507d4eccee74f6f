/**
 * Source text of the virtual modules the bundler adds: the entry module (what evaluating the bundle
 * returns: `WorkflowBundleExports`) and the stub that replaces an ignored module.
 *
 * @module
 */
import type { CompiledBundleOptions } from './bundle-options.js';

/** The entry module: the user's modules, exported for the runtime. */
export function entryModuleSource(options: CompiledBundleOptions): string {
  const lines = [`import * as workflows from ${JSON.stringify(options.workflowsPath)};`];
  const interceptorNames = options.workflowInterceptorModules.map((ref, i) => {
    lines.push(`import * as interceptors${i} from ${JSON.stringify(ref)};`);
    return `interceptors${i}`;
  });
  lines.push(optionalModule('payloadConverterModule', options.payloadConverterPath));
  lines.push(optionalModule('failureConverterModule', options.failureConverterPath));
  lines.push(`export { workflows };`);
  lines.push(`export const interceptorModules = [${interceptorNames.join(', ')}];`);
  return lines.join('\n') + '\n';
}

function optionalModule(name: string, ref: string | undefined): string {
  if (ref === undefined) return `export const ${name} = undefined;`;
  return `import * as ${name}Namespace from ${JSON.stringify(ref)};\nexport const ${name} = ${name}Namespace;`;
}

/**
 * A CommonJS module standing in for an ignored module: importing it works, using anything from it
 * throws an error naming the module. (The prototype trick makes esbuild's ESM interop objects, which
 * copy own keys only, fall through to the throwing proxy for named imports.)
 */
export function ignoredModuleSource(specifier: string): string {
  return `var name = ${JSON.stringify(specifier)};
function fail(key) {
  throw new Error("Module '" + name + "' is replaced by a stub in the workflow bundle (bundler option ignoreModules), so workflow code cannot use it" + (key === undefined ? "" : " (it used '" + String(key) + "')"));
}
function read(target, key) {
  if (typeof key === "symbol" || key === "then" || key === "__esModule") return undefined;
  return fail(key);
}
var thrower = new Proxy({}, { get: read });
module.exports = new Proxy(function () {}, {
  get: read,
  apply: function () { return fail(); },
  construct: function () { return fail(); },
  getPrototypeOf: function () { return thrower; }
});
`;
}
