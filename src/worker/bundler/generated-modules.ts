/**
 * Source text of the virtual modules the bundler adds: the entry module (what evaluating the bundle
 * returns: `WorkflowBundleExports`), the stand-in for a module shared with the runtime script, and
 * the stub that replaces an ignored module.
 *
 * @module
 */
import { SDK_MODULES_GLOBAL } from '../../workflow/runtime/protocol.js';
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
 * An ES module standing in for shared module `key` (see `sdk-modules.ts`): it re-exports, by name, the
 * runtime script's instance of that module. Named exports (rather than `module.exports = shared`)
 * let esbuild bind imports directly, without the per-run copy of every export its CommonJS interop
 * makes.
 *
 * @param names the module's export names (read from the module itself at bundle time)
 */
export function sdkModuleSource(key: string, names: readonly string[]): string {
  const name = JSON.stringify(key);
  const lines = [
    `var shared = ${SDK_MODULES_GLOBAL}[${name}];`,
    `if (shared === undefined) throw new Error("The workflow runtime has no module " + ${name} + ": the bundle was built for another version of duraflow");`,
  ];
  for (const exported of names) {
    if (exported === 'default') lines.push('export default shared.default;');
    else if (/^[A-Za-z_$][\w$]*$/.test(exported)) lines.push(`export var ${exported} = shared.${exported};`);
  }
  return lines.join('\n') + '\n';
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
