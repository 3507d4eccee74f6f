/**
 * The workflow sandbox: worker threads hardened with SES `lockdown()`, one Compartment per workflow
 * run, deterministic `Date`/`Math.random`, and a deadlock watchdog.
 *
 * @example
 * ```ts
 * import { WorkflowSandbox } from './sandbox/index.js';
 * const sandbox = await WorkflowSandbox.create({ bundle, threads: 2, activationTimeoutMs: 5000 });
 * const completion = await sandbox.activate(activation);
 * ```
 *
 * @module
 */
export { WorkflowSandbox } from './workflow-sandbox.js';
export { compileWorkflowSandboxOptions, type WorkflowSandboxOptions, type CompiledWorkflowSandboxOptions } from './sandbox-options.js';
export { SandboxRunLostError, SandboxClosedError } from './errors.js';
export { alea, seedToBytes } from './alea.js';
export { LEXICAL_GLOBALS } from './sandbox-globals.js';
