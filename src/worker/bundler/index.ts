/**
 * Workflow bundling: {@link bundleWorkflowCode} turns a workflows module into the one script every
 * sandbox run evaluates; {@link loadWorkflowBundle} loads one built earlier; {@link mapStackTrace}
 * and {@link SourceMap} translate bundle positions back to the user's files.
 *
 * @example
 * ```ts
 * import { bundleWorkflowCode, mapStackTrace } from 'duraflow/worker';
 * const bundle = await bundleWorkflowCode({ workflowsPath: new URL('./workflows.js', import.meta.url).pathname });
 * mapStackTrace(someError.stack, bundle.sourceMap);
 * ```
 *
 * @module
 */
export { bundleWorkflowCode, type WorkflowBundle } from './bundle-workflow-code.js';
export { buildWorkflowRuntime } from './workflow-runtime.js';
export { compileBundleOptions, type BundleOptions, type BundleCacheMode, type CompiledBundleOptions } from './bundle-options.js';
export { WorkflowBundleError, type DisallowedImport } from './workflow-bundle-error.js';
export { loadWorkflowBundle, type LoadedWorkflowBundle, type WorkflowBundleSource } from './load-workflow-bundle.js';
export { mapStackTrace } from './map-stack-trace.js';
export { SourceMap, type OriginalPosition } from './source-map.js';
export { isWrappedBundle } from './bundle-wrapper.js';
export { silentLogger, type HostLogger } from './host-logger.js';
